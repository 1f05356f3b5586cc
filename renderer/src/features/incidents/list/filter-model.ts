import dayjs from 'dayjs';
import type { IncidentFilter, IncidentSource, IncidentStatus, Priority } from '@shared';

/** What the filter bar edits; `toContractFilter` turns it into the `incidents.list` filter. */
export interface FilterState {
  statuses: IncidentStatus[];
  categories: string[];
  priorities: Priority[];
  /** Days (YYYY-MM-DD) on occurredAt, both inclusive. */
  range: [string | null, string | null];
  overdueOnly: boolean;
  text: string;
  /** Set by a click in the analysis workspace (grid codes, sources); the bar shows them as one chip. */
  grids: string[];
  sources: IncidentSource[];
}

export const EMPTY_FILTER: FilterState = {
  statuses: [],
  categories: [],
  priorities: [],
  range: [null, null],
  overdueOnly: false,
  text: '',
  grids: [],
  sources: [],
};

export function hasActiveFilters(f: FilterState): boolean {
  return (
    f.statuses.length > 0 ||
    f.categories.length > 0 ||
    f.priorities.length > 0 ||
    f.range[0] !== null ||
    f.range[1] !== null ||
    f.overdueOnly ||
    f.text.trim() !== '' ||
    f.grids.length > 0 ||
    f.sources.length > 0
  );
}

export function toContractFilter(f: FilterState, text: string): IncidentFilter {
  const filter: IncidentFilter = {
    statuses: f.statuses,
    categories: f.categories,
    priorities: f.priorities,
    overdueOnly: f.overdueOnly,
    text: text.trim(),
    grids: f.grids,
    sources: f.sources,
  };
  const [from, to] = f.range;
  if (from) filter.from = dayjs(from).startOf('day').valueOf();
  // Inclusive last day in the UI, exclusive end in the contract.
  if (to) filter.to = dayjs(to).startOf('day').add(1, 'day').valueOf();
  else if (from) filter.to = dayjs(from).startOf('day').add(1, 'day').valueOf();
  return filter;
}

import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import type { IncidentFilter } from '@shared';
import { EMPTY_FILTER, toContractFilter, type FilterState } from './filter-model';

const SEARCH_DEBOUNCE_MS = 250;

interface IncidentFilterValue {
  /** What the filter bar shows (the search text as typed). */
  state: FilterState;
  setState(next: FilterState): void;
  /** The `incidents.list` filter (search text debounced): every view showing incidents uses it. */
  filter: IncidentFilter;
  /** Stable string of `filter`, for effects and caches. */
  filterKey: string;
}

const IncidentFilterContext = createContext<IncidentFilterValue | null>(null);

/** One filter for the whole console: the list, and any other view of incidents, follow it together. */
export function IncidentFilterProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<FilterState>(EMPTY_FILTER);
  const [debouncedText] = useDebouncedValue(state.text, SEARCH_DEBOUNCE_MS);
  const filter = useMemo(
    () => toContractFilter(state, debouncedText),
    // The text goes through the debounce; everything else applies at once.
    [state.statuses, state.categories, state.priorities, state.range, state.overdueOnly, state.grids, state.sources, debouncedText],
  );
  const filterKey = useMemo(() => JSON.stringify(filter), [filter]);
  const value = useMemo(() => ({ state, setState, filter, filterKey }), [state, filter, filterKey]);
  return <IncidentFilterContext.Provider value={value}>{children}</IncidentFilterContext.Provider>;
}

export function useIncidentFilter(): IncidentFilterValue {
  const value = useContext(IncidentFilterContext);
  if (!value) throw new Error('useIncidentFilter() outside <IncidentFilterProvider>');
  return value;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { useMediaQuery } from '@mantine/hooks';
import { useNavigation } from '../../app/navigation';
import { insideDialog, typingTarget } from '../../app/keyboard';
import { IncidentList, type IncidentListHandle } from './list/IncidentList';
import { FilterBar } from './list/FilterBar';
import { EMPTY_FILTER, hasActiveFilters } from './list/filter-model';
import { useIncidentFilter } from './list/filter-context';
import { IncidentDetail } from './detail/IncidentDetail';
import type { WorkflowKind } from '@shared';
import { usePermission } from '../people/session';

/** The incident list beside the selected incident's detail; the console's main view. */
export function IncidentsView({ active }: { active: boolean }) {
  const narrow = useMediaQuery('(max-width: 1100px)') ?? false;
  const { selectedIncidentId: selectedId, openIncident } = useNavigation();
  const { state: filterState, setState: setFilterState, filter, filterKey } = useIncidentFilter();
  const [listTotal, setListTotal] = useState<{ total: number | null; loading: boolean }>({ total: null, loading: true });
  const onTotal = useCallback((total: number | null, loading: boolean) => setListTotal({ total, loading }), []);

  const listRef = useRef<IncidentListHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // A row's escalation button opens the incident, and its sheet once the detail has loaded it.
  const [requestedEscalation, setRequestedEscalation] = useState<{ id: string; kind: WorkflowKind } | null>(null);
  // Row escalation only for people who may escalate (the row then shows no escalation buttons).
  const canEscalate = usePermission('workflows.handle').allowed;
  const escalateRow = useCallback(
    (id: string, kind: WorkflowKind) => {
      openIncident(id);
      setRequestedEscalation({ id, kind });
    },
    [openIncident],
  );
  const escalationTaken = useCallback(() => setRequestedEscalation(null), []);

  const closeDetail = useCallback(() => {
    openIncident(null);
    listRef.current?.focus();
  }, [openIncident]);

  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (insideDialog(event.target)) return;
      if (typingTarget(event.target)) return;
      // Inside popovers, menus and listboxes the keys are theirs.
      if (event.target instanceof HTMLElement && event.target.closest('[role="listbox"], [role="menu"], .mantine-Popover-dropdown')) return;
      switch (event.key) {
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case 'ArrowDown':
        case 'ArrowUp':
          if (event.target instanceof HTMLElement && event.target.closest('button, a, [role="tab"], [role="radio"]') && !event.target.closest('.incident-list')) return;
          event.preventDefault();
          listRef.current?.move(event.key === 'ArrowDown' ? 1 : -1);
          break;
        case 'Enter':
          if (event.target instanceof HTMLElement && event.target.closest('button, a, input, textarea, [role="button"]')) return;
          event.preventDefault();
          listRef.current?.openCursor();
          break;
        case 'Escape':
          if (narrow && selectedId) {
            event.preventDefault();
            closeDetail();
          }
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [active, narrow, selectedId, closeDetail]);

  const showList = !narrow || selectedId === null;
  const showDetail = !narrow || selectedId !== null;

  return (
    <div className="workspace" data-narrow={narrow || undefined}>
      {showList && (
        <section className="list-pane">
          <FilterBar ref={searchRef} value={filterState} onChange={setFilterState} total={listTotal.total} loading={listTotal.loading} />
          <IncidentList
            ref={listRef}
            filter={filter}
            filterKey={filterKey}
            selectedId={selectedId}
            onOpen={openIncident}
            onEscalate={canEscalate ? escalateRow : undefined}
            filtered={hasActiveFilters(filterState)}
            onClearFilters={() => setFilterState(EMPTY_FILTER)}
            onTotal={onTotal}
          />
        </section>
      )}
      {showDetail && (
        <section className="detail-pane">
          <IncidentDetail
            id={selectedId}
            narrow={narrow}
            onClose={closeDetail}
            active={active}
            requestedEscalation={requestedEscalation}
            onEscalationTaken={escalationTaken}
          />
        </section>
      )}
    </div>
  );
}

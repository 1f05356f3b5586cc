import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnalysisFilter, AnalysisGrain, Dashboard } from '@shared';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';

export interface DashboardQuery {
  from: string;
  to: string;
  grain: AnalysisGrain;
  filter: Required<AnalysisFilter>;
}

/** Time moves figures without a write (overdue, "today"): re-read at least this often. */
const REFRESH_MS = 60_000;

/**
 * The dashboard of a query, re-read from the core's aggregates on every `analysis.changed` (one
 * read in flight at a time; a change during a read triggers one more), on reconnect, and each minute.
 */
export function useDashboard(query: DashboardQuery) {
  const client = useClient();
  const { epoch } = useConnection();
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const key = JSON.stringify(query);
  const state = useRef({ inFlight: false, again: false, key });
  state.current.key = key;

  const load = useCallback(async () => {
    const s = state.current;
    if (s.inFlight) {
      s.again = true;
      return;
    }
    s.inFlight = true;
    try {
      do {
        s.again = false;
        const asked = s.key;
        try {
          const next = await client.invoke('analysis.dashboard', JSON.parse(asked) as DashboardQuery);
          if (asked === state.current.key) {
            setData(next);
            setError(null);
            setUpdatedAt(Date.now());
          } else s.again = true;
        } catch (e) {
          setError(e);
        }
      } while (s.again);
    } finally {
      s.inFlight = false;
    }
  }, [client]);

  useEffect(() => {
    if (epoch > 0) void load();
  }, [load, key, epoch]);
  useCoreEvent('analysis.changed', () => void load());
  useEffect(() => {
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return { data, error, updatedAt, reload: load };
}

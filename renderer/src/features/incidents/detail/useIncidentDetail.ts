import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandOutput } from '@shared';
import { useClient, useConnection, useCoreEvent } from '../../../transport/ClientProvider';

export type DetailData = CommandOutput<'incidents.get'>;

export interface DetailState {
  data: DetailData | null;
  loading: boolean;
  error: unknown;
  /** Set when a change pushed by core (another window, another operator) refreshed the view. */
  changedBy: { eventType: string; version: number } | null;
  reload(): Promise<void>;
  /** Wraps this window's own command, so its echo is not reported as someone else's change. */
  own<T>(work: Promise<T>): Promise<T>;
}

/** `incidents.get` for one id, kept current by `incident.changed`; the latest request wins. */
export function useIncidentDetail(id: string | null): DetailState {
  const client = useClient();
  const { epoch } = useConnection();
  const [data, setData] = useState<DetailData | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [changedBy, setChangedBy] = useState<DetailState['changedBy']>(null);
  const request = useRef(0);
  const current = useRef<{ id: string | null; version: number }>({ id: null, version: 0 });
  const ownPending = useRef(0);
  const ownVersions = useRef(new Set<number>());

  const load = useCallback(
    async (target: string | null) => {
      const ticket = ++request.current;
      if (!target) {
        setData(null);
        setError(null);
        setLoading(false);
        current.current = { id: null, version: 0 };
        return;
      }
      setLoading(true);
      try {
        const result = await client.invoke('incidents.get', { id: target });
        if (ticket !== request.current) return;
        current.current = { id: target, version: result.incident.version };
        setData(result);
        setError(null);
      } catch (e) {
        if (ticket !== request.current) return;
        setError(e);
        setData(null);
      } finally {
        if (ticket === request.current) setLoading(false);
      }
    },
    [client],
  );

  useEffect(() => {
    setChangedBy(null);
    void load(id);
  }, [id, load, epoch]);

  useCoreEvent('incident.changed', ({ incident, eventType }) => {
    if (incident.id !== current.current.id || incident.version === current.current.version) return;
    if (!ownPending.current && !ownVersions.current.has(incident.version)) setChangedBy({ eventType, version: incident.version });
    void load(incident.id);
  });
  useCoreEvent('incidents.reloaded', () => {
    if (current.current.id) void load(current.current.id);
  });

  const reload = useCallback(() => load(id), [id, load]);
  const own = useCallback(async <T,>(work: Promise<T>): Promise<T> => {
    ownPending.current += 1;
    try {
      const result = await work;
      // A command's result is the incident, or carries it (workflow commands: { workflow, incident }).
      const carrier = result as { version?: unknown; incident?: { version?: unknown } } | null;
      const version = carrier?.version ?? carrier?.incident?.version;
      if (typeof version === 'number') ownVersions.current.add(version);
      return result;
    } finally {
      ownPending.current -= 1;
    }
  }, []);
  useEffect(() => {
    ownVersions.current.clear();
  }, [id]);
  return { data, loading, error, changedBy, reload, own };
}

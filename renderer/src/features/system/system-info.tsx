import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { CommandOutput } from '@shared';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';
import { reportServerNow } from './clock';

export type SystemInfo = CommandOutput<'system.info'>;
export type Summary = CommandOutput<'incidents.summary'>;

const SystemInfoContext = createContext<{ info: SystemInfo; refresh(): Promise<void> } | null>(null);

export function SystemInfoProvider({ info, refresh, children }: { info: SystemInfo; refresh(): Promise<void>; children: ReactNode }) {
  return <SystemInfoContext.Provider value={{ info, refresh }}>{children}</SystemInfoContext.Provider>;
}

export function useSystemInfo() {
  const value = useContext(SystemInfoContext);
  if (!value) throw new Error('useSystemInfo() outside <SystemInfoProvider>');
  return value;
}

const SUMMARY_POLL_MS = 30_000;
const SUMMARY_DEBOUNCE_MS = 500;

/** Open / overdue counts for the status bar: on start, after changes (debounced), and every 30 s. */
export function useSummary(): Summary | null {
  const client = useClient();
  const { epoch } = useConnection();
  const [summary, setSummary] = useState<Summary | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      const next = await client.invoke('incidents.summary', {});
      reportServerNow(next.now);
      setSummary(next);
    } catch {
      // The status bar keeps the last counts; the connection indicator shows why.
    }
  }, [client]);

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), SUMMARY_DEBOUNCE_MS);
  }, [load]);

  useEffect(() => {
    void load();
    const poll = setInterval(() => void load(), SUMMARY_POLL_MS);
    return () => {
      clearInterval(poll);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [load, epoch]);

  useCoreEvent('incident.changed', schedule);
  useCoreEvent('incidents.reloaded', schedule);
  return summary;
}

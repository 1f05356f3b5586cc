import { useCallback, useEffect, useRef, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { ContractError, WORKFLOW_ACTIONS } from '@shared';
import type { TFunction } from 'i18next';
import { describeFailure } from '../../app/errors';
import { serverNow } from '../system/clock';

export { serverPathErrors, zodPathErrors, type PathErrors } from './messages';

/** Failures of workflow commands: conflicts name the workflow steps that are allowed instead. */
export function notifyWorkflowFailure(error: unknown, t: TFunction): void {
  const { title, message } = describeFailure(error, t);
  let body = message;
  if (error instanceof ContractError && error.code === 'conflict' && error.allowed.some((a) => (WORKFLOW_ACTIONS as readonly string[]).includes(a))) {
    body = t('errors.conflictAllowed', { actions: error.allowed.map((a) => t(`wf.action.${a}`)).join('、') });
  }
  notifications.show({ color: 'red', title, message: body, autoClose: 8000 });
}

/** Core time refreshed every second while a live timer is on screen. */
export function useSecondTicker(enabled: boolean): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!enabled) return;
    setNow(serverNow());
    const timer = setInterval(() => setNow(serverNow()), 1000);
    return () => clearInterval(timer);
  }, [enabled]);
  return now;
}

/** mm:ss under an hour, h:mm:ss beyond. */
export function formatTimer(ms: number): string {
  const total = Math.floor(Math.max(ms, 0) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

export const formatYuan = (amount: number, language: string) => amount.toLocaleString(language === 'en' ? 'en-US' : 'zh-CN');

/** Browser download of text (export): a Blob URL, nothing leaves the machine. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Data a workflow screen shows (an incident's workflows or attachments, the board, the directory),
 * loaded while `enabled` and again whenever `key` changes (an incident's new version), failures
 * notified; `reload` for after one's own command or a core event.
 */
export function useWorkflowData<T>(
  initial: T,
  fetch: () => Promise<T>,
  t: TFunction,
  { enabled = true, key = '' }: { enabled?: boolean; key?: string } = {},
): [T, () => Promise<void>] {
  const [data, setData] = useState<T>(initial);
  // The latest fetch without making it a dependency: callers pass an inline function.
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const reload = useCallback(async () => {
    try {
      setData(await fetchRef.current());
    } catch (error) {
      notifyWorkflowFailure(error, t);
    }
  }, [t]);
  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, key, reload]);
  return [data, reload];
}

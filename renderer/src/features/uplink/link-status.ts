import { useCallback, useEffect, useState } from 'react';
import type { LinkStatus } from '@shared';
import type { TFunction } from 'i18next';
import { formatDuration, type Locale } from 'date-fns';
import { formatSpan } from '../incidents/common/format';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';

/** The link's status: loaded on start and on every reconnect of the window, then pushed by core. */
export function useLinkStatus(): LinkStatus | null {
  const client = useClient();
  const { epoch } = useConnection();
  const [status, setStatus] = useState<LinkStatus | null>(null);
  const load = useCallback(async () => {
    try {
      setStatus(await client.invoke('uplink.status', {}));
    } catch {
      // The window's own connection indicator says why.
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load, epoch]);
  useCoreEvent('uplink.status', setStatus);
  return status;
}

export const shortHash = (hash: string) => `${hash.slice(0, 8)}…${hash.slice(-4)}`;

/** How long the link has been down, or until the next attempt: seconds under a minute (a 3 s outage is not "1 minute"). */
export function linkSpan(ms: number, locale: Locale): string {
  const span = Math.max(ms, 0);
  return span < 60_000 ? formatDuration({ seconds: Math.max(1, Math.floor(span / 1000)) }, { locale }) : formatSpan(span, locale);
}

/** A person as the link view names them: 陈海生（op01）. */
export function signerName(name: string, staffNo: string | null, t: TFunction): string {
  return staffNo ? t('link.person', { name, staffNo }) : name;
}

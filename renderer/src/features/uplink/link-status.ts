import { useCallback, useEffect, useState } from 'react';
import type { LinkStatus } from '@shared';
import type { TFunction } from 'i18next';
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

/** A person as the link view names them: 陈海生（op01）. */
export function signerName(name: string, staffNo: string | null, t: TFunction): string {
  return staffNo ? t('link.person', { name, staffNo }) : name;
}

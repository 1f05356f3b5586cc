import { useCallback, useEffect, useState } from 'react';
import { UnstyledButton } from '@mantine/core';
import { IconUrgent } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';
import { useNavigation } from '../../app/navigation';

const POLL_MS = 30_000;

/** Status-bar item: workflows past their deadline; a click opens the supervision view. */
export function WorkflowStatus() {
  const { t } = useTranslation();
  const client = useClient();
  const { epoch } = useConnection();
  const { go } = useNavigation();
  const [summary, setSummary] = useState<{ open: number; overdue: number } | null>(null);

  const load = useCallback(() => {
    client.invoke('workflows.summary', {}).then(setSummary, () => undefined);
  }, [client]);
  useEffect(() => {
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load, epoch]);
  useCoreEvent('workflow.changed', load);

  const overdue = summary?.overdue ?? 0;
  return (
    <UnstyledButton className="status-item" data-testid="status-workflows" data-alert={overdue > 0 || undefined} onClick={() => go('supervision')}>
      <IconUrgent size={12} />
      {t('wf.statusBar', { open: summary?.open ?? '–' })} <b>{summary ? overdue : '–'}</b>
    </UnstyledButton>
  );
}

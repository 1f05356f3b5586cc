import { useEffect, useState } from 'react';
import { Group, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCircleDot, IconDatabase, IconStack2, IconUser } from '@tabler/icons-react';
import { format } from 'date-fns';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n';
import { serverNow } from '../features/system/clock';
import { useSummary, useSystemInfo } from '../features/system/system-info';
import { WorkflowStatus } from '../features/workflows/WorkflowStatus';
import { useSession } from '../features/people/session';

function Clock() {
  const { dateLocale, language } = useLanguage();
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Text size="xs" className="status-clock" data-testid="status-clock">
      {format(now, language === 'en' ? 'EEE yyyy-MM-dd' : 'yyyy-MM-dd EEE', { locale: dateLocale })}
      <span className="status-time">{format(now, 'HH:mm:ss')}</span>
    </Text>
  );
}

export function StatusBar() {
  const { t } = useTranslation();
  const { info } = useSystemInfo();
  const { session } = useSession();
  const summary = useSummary();
  const fmt = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString());
  const overdue = summary?.overdue ?? 0;
  return (
    <Group justify="space-between" wrap="nowrap" className="status-bar" data-testid="status-bar">
      <Group gap={0} wrap="nowrap" className="status-items">
        <span className="status-item" data-testid="status-open">
          <IconCircleDot size={12} />
          {t('statusBar.open')} <b>{fmt(summary?.open)}</b>
        </span>
        <span className="status-item" data-testid="status-overdue" data-alert={overdue > 0 || undefined}>
          <IconAlertTriangle size={12} />
          {t('statusBar.overdue')} <b>{fmt(summary?.overdue)}</b>
        </span>
        <WorkflowStatus />
        <span className="status-item" data-testid="status-total">
          <IconStack2 size={12} />
          {t('statusBar.total')} <b>{fmt(summary?.total)}</b>
        </span>
        <span className="status-item" data-testid="status-operator">
          <IconUser size={12} />
          {t('statusBar.operator')} <b>{session.staff.name}</b>
        </span>
        <Tooltip label={`${t('statusBar.dataDir', { dir: info.dataDir })}\n${t('statusBar.version', { version: info.version, schema: info.schemaVersion })}`} style={{ whiteSpace: 'pre-line' }}>
          <span className="status-item status-host" data-testid="status-host">
            <IconDatabase size={12} />
            {t('statusBar.host')} <b>{info.host === 'electron' ? t('statusBar.hostElectron') : t('statusBar.hostNode')}</b>
          </span>
        </Tooltip>
      </Group>
      <Clock />
    </Group>
  );
}

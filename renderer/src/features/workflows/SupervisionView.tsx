import { useEffect, useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { IconBell, IconSettings } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput, SupervisionItem } from '@shared';
import { useClient, useCoreEvent } from '../../transport/ClientProvider';
import { useNavigation } from '../../app/navigation';
import { notifySuccess } from '../../app/errors';
import { formatDateTime } from '../incidents/common/format';
import { notifyWorkflowFailure, useWorkflowData } from './common';
import { SettingsModal } from './SettingsModal';
import './workflows.css';

type Supervision = CommandOutput<'supervision.list'>;

/** What is overdue or due within a day, by unit and by grid; "urge" records a supervision action. */
export function SupervisionView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const { openIncident } = useNavigation();
  const [data, load] = useWorkflowData<Supervision | null>(null, () => client.invoke('supervision.list', {}), t, { enabled: active });
  const [settingsOpen, setSettingsOpen] = useState(false);

  // Deadlines pass with the clock: refresh while shown.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void load(), 30_000);
    return () => clearInterval(timer);
  }, [active, load]);
  useCoreEvent('incident.changed', () => active && void load());

  async function urge(item: SupervisionItem) {
    try {
      await client.invoke('supervision.urge', { incidentId: item.incidentId, workflowId: item.workflowId, note: '' });
      notifySuccess(t('wf.supervision.urged', { code: item.code }));
    } catch (error) {
      notifyWorkflowFailure(error, t);
    }
  }

  const overdue = data?.items.filter((i) => i.state === 'overdue').length ?? 0;
  const dueSoon = (data?.items.length ?? 0) - overdue;
  return (
    <div className="wf-view" data-testid="supervision-view">
      <Group justify="space-between" className="wf-view-head">
        <Title order={4}>{t('wf.supervision.title')}</Title>
        <Group gap="xs">
          <Badge color="red" size="lg" data-testid="supervision-overdue">
            {t('wf.supervision.overdue')} {overdue}
          </Badge>
          <Badge color="yellow" size="lg">
            {t('wf.supervision.dueSoon')} {dueSoon}
          </Badge>
          <Button size="xs" variant="default" leftSection={<IconSettings size={14} />} onClick={() => setSettingsOpen(true)} data-testid="settings-open">
            {t('wf.settings.open')}
          </Button>
        </Group>
      </Group>
      {data && (
        <SimpleGrid cols={2} mb="md">
          <CountTable title={t('wf.supervision.byUnit')} rows={data.byUnit} empty={t('wf.supervision.noUnit')} testId="supervision-by-unit" />
          <CountTable title={t('wf.supervision.byGrid')} rows={data.byGrid} empty={t('wf.supervision.noGrid')} testId="supervision-by-grid" />
        </SimpleGrid>
      )}
      {data && !data.items.length ? (
        <Text c="dimmed" size="sm">{t('wf.supervision.empty')}</Text>
      ) : (
        <Table highlightOnHover data-testid="supervision-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('wf.supervision.columns.state')}</Table.Th>
              <Table.Th>{t('wf.supervision.columns.code')}</Table.Th>
              <Table.Th>{t('wf.supervision.columns.title')}</Table.Th>
              <Table.Th>{t('wf.supervision.columns.unit')}</Table.Th>
              <Table.Th>{t('wf.supervision.columns.grid')}</Table.Th>
              <Table.Th>{t('wf.supervision.columns.deadline')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.map((item) => (
              <Table.Tr key={`${item.type}-${item.workflowId ?? item.incidentId}`} className="sup-row" data-state={item.state} data-testid="supervision-item">
                <Table.Td>
                  <Badge size="sm" color={item.state === 'overdue' ? 'red' : 'yellow'} variant="light">
                    {item.state === 'overdue' ? t('wf.supervision.overdue') : t('wf.supervision.dueSoon')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Anchor size="sm" className="mono" onClick={() => openIncident(item.incidentId)}>
                    {item.code}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1}>
                    {item.kind ? `[${t(`wf.kindShort.${item.kind}`)}] ` : `[${t('wf.supervision.incident')}] `}
                    {item.title}
                  </Text>
                </Table.Td>
                <Table.Td>{item.unitName || t('wf.supervision.noUnit')}</Table.Td>
                <Table.Td className="mono">{item.gridId ?? '—'}</Table.Td>
                <Table.Td className={item.state === 'overdue' ? 'wf-overdue' : undefined}>{formatDateTime(item.deadline)}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="light" color="yellow" leftSection={<IconBell size={12} />} onClick={() => void urge(item)} data-testid="supervision-urge">
                    {t('wf.supervision.urge')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <SettingsModal opened={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </div>
  );
}

function CountTable({ title, rows, empty, testId }: { title: string; rows: Supervision['byUnit']; empty: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xs" data-testid={testId}>
      <Text size="sm" fw={600} mb={4}>
        {title}
      </Text>
      <Table className="wf-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>{t('wf.supervision.overdue')}</Table.Th>
            <Table.Th>{t('wf.supervision.dueSoon')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.slice(0, 12).map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.key || empty}</Table.Td>
              <Table.Td className={r.overdue ? 'wf-overdue' : undefined}>{r.overdue}</Table.Td>
              <Table.Td>{r.dueSoon}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

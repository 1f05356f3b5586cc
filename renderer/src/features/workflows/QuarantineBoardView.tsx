import { Anchor, Badge, Group, Progress, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@shared';
import { useClient, useCoreEvent } from '../../transport/ClientProvider';
import { useNavigation } from '../../app/navigation';
import { useWorkflowData } from './common';
import './workflows.css';

type Board = CommandOutput<'quarantine.board'>;

/** Every isolation site: occupancy against capacity, who is there, who is due for release today. */
export function QuarantineBoardView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const { openIncident } = useNavigation();
  const [board, load] = useWorkflowData<Board | null>(null, () => client.invoke('quarantine.board', {}), t, { enabled: active });

  useCoreEvent('workflow.changed', ({ kind }) => kind === 'quarantine' && active && void load());
  useCoreEvent('units.changed', () => active && void load());

  return (
    <div className="wf-view" data-testid="board-view">
      <Group justify="space-between" className="wf-view-head">
        <Title order={4}>{t('wf.board.title')}</Title>
        {board && <Text size="sm" c="dimmed">{t('wf.board.today', { date: board.today })}</Text>}
      </Group>
      {board && !board.sites.length && <Text c="dimmed" size="sm">{t('wf.board.noSites')}</Text>}
      <div className="board-grid">
        {board?.sites.map((site) => {
          const ratio = site.capacity ? (site.occupied / site.capacity) * 100 : 0;
          const due = site.persons.filter((p) => p.dueToday).length;
          const overdue = site.persons.filter((p) => p.overdue).length;
          return (
            <div key={site.unit.id} className="board-site" data-testid="board-site" data-name={site.unit.name}>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={700}>{site.unit.name}</Text>
                <Group gap={6}>
                  {due > 0 && <Badge color="yellow" data-testid="board-due">{t('wf.board.dueToday')} {due}</Badge>}
                  {overdue > 0 && <Badge color="red">{t('wf.board.overdue')} {overdue}</Badge>}
                  <Text size="sm" fw={600} data-testid="board-occupancy">
                    {t('wf.board.occupancy', { occupied: site.occupied, capacity: site.capacity })}
                  </Text>
                </Group>
              </Group>
              <Progress value={ratio} color={ratio >= 100 ? 'red' : ratio >= 80 ? 'orange' : 'teal'} size="sm" my={8} />
              {site.persons.length === 0 ? (
                <Text size="xs" c="dimmed">{t('wf.board.empty')}</Text>
              ) : (
                <Table className="wf-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('wf.board.columns.name')}</Table.Th>
                      <Table.Th>{t('wf.board.columns.id')}</Table.Th>
                      <Table.Th>{t('wf.board.columns.incident')}</Table.Th>
                      <Table.Th>{t('wf.board.columns.term')}</Table.Th>
                      <Table.Th>{t('wf.board.columns.end')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {site.persons.map((p) => (
                      <Table.Tr key={p.personId} className="board-row" data-due={p.dueToday || undefined} data-overdue={p.overdue || undefined} data-testid="board-person">
                        <Table.Td fw={600}>{p.name}</Table.Td>
                        <Table.Td className="mono">{p.idNumberMasked || '—'}</Table.Td>
                        <Table.Td>
                          <Anchor size="xs" className="mono" onClick={() => openIncident(p.incidentId)}>
                            {p.incidentCode}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{t('wf.panel.day', { day: Math.max(1, p.dayOfTerm), term: p.termDays })}</Table.Td>
                        <Table.Td>
                          {p.endDate}
                          {p.dueToday && <Badge ml={6} size="xs" color="yellow">{t('wf.board.dueToday')}</Badge>}
                          {p.overdue && <Badge ml={6} size="xs" color="red">{t('wf.board.overdue')}</Badge>}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

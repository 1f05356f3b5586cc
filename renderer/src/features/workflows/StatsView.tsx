import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Paper, SimpleGrid, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { addDays, shanghaiDate, type CommandOutput, type Figure } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { useLanguage } from '../../i18n';
import { serverNow } from '../system/clock';
import { formatSpan } from '../incidents/common/format';
import { useCategories } from '../incidents/common/categories';
import { notifyWorkflowFailure, serverPathErrors } from './common';
import './workflows.css';

type Stats = CommandOutput<'stats.query'>;
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** Reported, completed, completion rate and average time to close, per grid, category and unit, for a period. */
export function StatsView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const { name: categoryName } = useCategories();
  const [to, setTo] = useState(() => shanghaiDate(serverNow()));
  const [from, setFrom] = useState(() => addDays(shanghaiDate(serverNow()), -29));
  const [stats, setStats] = useState<Stats | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const run = useCallback(
    async (event?: FormEvent) => {
      event?.preventDefault();
      try {
        setStats(await client.invoke('stats.query', { from, to }));
        setErrors({});
      } catch (error) {
        const mapped = serverPathErrors(error, '', t);
        if (mapped) setErrors(mapped.fields);
        else notifyWorkflowFailure(error, t);
      }
    },
    [client, from, to, t],
  );
  useEffect(() => {
    if (active) void run();
    // Only when the view comes up; later runs are the operator's.
  }, [active]);

  return (
    <div className="wf-view" data-testid="stats-view">
      <form onSubmit={(e) => void run(e)} noValidate>
        <Group justify="space-between" className="wf-view-head" align="flex-end">
          <Title order={4}>{t('wf.stats.title')}</Title>
          <Group gap="xs" align="flex-start">
            <TextInput type="date" size="xs" label={t('wf.stats.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={errors.from} data-testid="stats-from" />
            <TextInput type="date" size="xs" label={t('wf.stats.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={errors.to} data-testid="stats-to" />
            <Button size="xs" type="submit" mt={22} data-testid="stats-run">
              {t('wf.stats.run')}
            </Button>
          </Group>
        </Group>
      </form>
      {stats && (
        <>
          <Text size="lg" fw={700} mb={4} data-testid="stats-total">
            {t('wf.stats.total', { reported: stats.total.reported, completed: stats.total.completed, rate: percent(stats.total.completionRate) })}
          </Text>
          <Text size="xs" c="dimmed" mb="md">
            {t('wf.stats.note')}
          </Text>
          <SimpleGrid cols={{ base: 1, lg: 3 }}>
            <FigureTable title={t('wf.stats.byGrid')} rows={stats.byGrid} label={(k) => k || t('wf.stats.noGrid')} testId="stats-by-grid" />
            <FigureTable title={t('wf.stats.byCategory')} rows={stats.byCategory} label={categoryName} testId="stats-by-category" />
            <FigureTable title={t('wf.stats.byUnit')} rows={stats.byUnit} label={(k) => k} testId="stats-by-unit" />
          </SimpleGrid>
        </>
      )}
    </div>
  );
}

function FigureTable({ title, rows, label, testId }: { title: string; rows: Figure[]; label(key: string): string; testId: string }) {
  const { t } = useTranslation();
  const { dateLocale } = useLanguage();
  return (
    <Paper withBorder p="xs" data-testid={testId}>
      <Text size="sm" fw={600} mb={4}>
        {title}
      </Text>
      {rows.length === 0 ? (
        <Text size="xs" c="dimmed">{t('wf.stats.none')}</Text>
      ) : (
        <Table className="wf-table" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th>{t('wf.stats.reported')}</Table.Th>
              <Table.Th>{t('wf.stats.completed')}</Table.Th>
              <Table.Th>{t('wf.stats.rate')}</Table.Th>
              <Table.Th>{t('wf.stats.avgClose')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key} data-testid="stats-row">
                <Table.Td>{label(r.key)}</Table.Td>
                <Table.Td>{r.reported}</Table.Td>
                <Table.Td>{r.completed}</Table.Td>
                <Table.Td className="stat-rate" data-low={(r.completionRate ?? 1) < 0.8 || undefined}>
                  {percent(r.completionRate)}
                </Table.Td>
                <Table.Td>{r.avgCloseMs === null ? '—' : formatSpan(r.avgCloseMs, dateLocale)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Select, Table, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { COMMAND_NAMES, type AuditFilter, type AuditRow, type Staff } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { notifyFailure, notifySuccess, reasonMessage } from '../../app/errors';
import { formatDateTimeSeconds } from '../incidents/common/format';
import { downloadText } from '../workflows/common';
import { useRoleNames } from './session';

const DAY = 86_400_000;

/** Who did what, when, from which window: filter by person, action, case and period; verify the chain; export CSV. */
export function AuditView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const roleNames = useRoleNames();
  const [staff, setStaff] = useState<Staff[]>([]);
  const [staffId, setStaffId] = useState<string | null>(null);
  const [command, setCommand] = useState<string | null>(null);
  const [incidentId, setIncidentId] = useState<string | null>(null);
  const [range, setRange] = useState<[Date | null, Date | null]>([null, null]);
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [total, setTotal] = useState(0);
  const [verify, setVerify] = useState<{ busy: boolean; result: { ok: boolean; checked: number; firstBadSeq: number | null; problem: string | null } | null }>({ busy: false, result: null });

  const filter = useMemo<AuditFilter>(() => {
    const f: AuditFilter = {};
    if (staffId) f.staffId = staffId;
    if (command) f.command = command;
    if (incidentId) f.incidentId = incidentId;
    if (range[0]) f.from = new Date(range[0]).setHours(0, 0, 0, 0);
    if (range[1]) f.to = new Date(range[1]).setHours(0, 0, 0, 0) + DAY;
    return f;
  }, [staffId, command, incidentId, range]);

  const load = useCallback(async () => {
    try {
      const page = await client.invoke('audit.list', { filter, limit: 500 });
      setRows(page.rows);
      setTotal(page.total);
    } catch (error) {
      notifyFailure(error, t);
    }
  }, [client, filter, t]);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);
  useEffect(() => {
    if (!active) return;
    client.invoke('staff.list', {}).then((r) => setStaff(r.staff), (error: unknown) => notifyFailure(error, t));
  }, [active, client, t]);

  const runVerify = async () => {
    setVerify({ busy: true, result: null });
    try {
      setVerify({ busy: false, result: await client.invoke('events.verify', {}) });
    } catch (error) {
      setVerify({ busy: false, result: null });
      notifyFailure(error, t);
    }
  };

  const exportCsv = async () => {
    try {
      const { csv, rows: count } = await client.invoke('audit.exportCsv', { filter });
      // A BOM, so spreadsheet programs read the Chinese as UTF-8.
      downloadText('audit.csv', '\uFEFF' + csv);
      notifySuccess(t('people.audit.total', { count }));
    } catch (error) {
      notifyFailure(error, t);
    }
  };

  return (
    <div className="people-view" data-testid="audit-view">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('people.audit.title')}</Title>
        <Group gap="xs">
          <Button variant="light" leftSection={<IconShieldCheck size={14} />} loading={verify.busy} onClick={() => void runVerify()} data-testid="audit-verify">
            {t('people.audit.verify')}
          </Button>
          <Button variant="default" leftSection={<IconDownload size={14} />} onClick={() => void exportCsv()} data-testid="audit-export">
            {t('people.audit.export')}
          </Button>
        </Group>
      </Group>
      {verify.result && (
        <Alert color={verify.result.ok ? 'teal' : 'red'} variant="light" mb="sm" data-testid="audit-verify-result">
          {verify.result.ok
            ? t('people.audit.verifyOk', { count: verify.result.checked })
            : t('people.audit.verifyBad', { seq: verify.result.firstBadSeq, problem: verify.result.problem })}
        </Alert>
      )}
      <Group gap="sm" mb="sm" align="flex-end">
        <Select
          label={t('people.audit.person')}
          placeholder={t('people.audit.all')}
          data={staff.map((s) => ({ value: s.id, label: `${s.name}（${s.staffNo}）` }))}
          value={staffId}
          onChange={setStaffId}
          clearable
          searchable
          w={200}
          data-testid="audit-filter-person"
        />
        <Select
          label={t('people.audit.command')}
          placeholder={t('people.audit.all')}
          data={[...COMMAND_NAMES].sort()}
          value={command}
          onChange={setCommand}
          clearable
          searchable
          w={220}
          data-testid="audit-filter-command"
        />
        <DatePickerInput
          type="range"
          label={`${t('people.audit.from')} – ${t('people.audit.to')}`}
          value={range}
          onChange={(v) => setRange(v as [Date | null, Date | null])}
          clearable
          w={240}
          data-testid="audit-filter-period"
        />
        {incidentId && (
          <Badge size="lg" variant="light" rightSection={<span style={{ cursor: 'pointer' }} onClick={() => setIncidentId(null)}>×</span>} data-testid="audit-filter-incident">
            {rows.find((r) => r.incidentId === incidentId)?.incidentCode ?? incidentId}
          </Badge>
        )}
        <Text size="xs" c="dimmed">
          {t('people.audit.total', { count: total })}
        </Text>
      </Group>
      <Table striped highlightOnHover fz="xs" data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('people.audit.at')}</Table.Th>
            <Table.Th>{t('people.audit.person')}</Table.Th>
            <Table.Th>{t('people.staff.roles')}</Table.Th>
            <Table.Th>{t('people.audit.command')}</Table.Th>
            <Table.Th>{t('people.audit.incident')}</Table.Th>
            <Table.Th>{t('people.audit.window')}</Table.Th>
            <Table.Th>{t('people.audit.outcome')}</Table.Th>
            <Table.Th>{t('people.audit.cosigner')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id} data-testid="audit-row">
              <Table.Td>{formatDateTimeSeconds(row.at)}</Table.Td>
              <Table.Td>{row.staffName}</Table.Td>
              <Table.Td>{roleNames(row.roles)}</Table.Td>
              <Table.Td ff="monospace">{row.command}</Table.Td>
              <Table.Td>
                {row.incidentId ? (
                  <Button size="compact-xs" variant="subtle" onClick={() => setIncidentId(row.incidentId)}>
                    {row.incidentCode ?? row.incidentId.slice(0, 8)}
                  </Button>
                ) : null}
              </Table.Td>
              <Table.Td ff="monospace">{row.window}</Table.Td>
              <Table.Td>
                {row.outcome === 'ok' ? (
                  <Badge color="teal" variant="light" size="sm">
                    ok
                  </Badge>
                ) : (
                  <Badge color="red" variant="light" size="sm" title={row.reason ? reasonMessage(row.reason as never, {}, t) : undefined}>
                    {row.outcome}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{row.cosignerName ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed" mt="md">
          {t('people.audit.empty')}
        </Text>
      )}
    </div>
  );
}

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconDatabaseExport, IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { BackupSettings, type CommandOutput } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { notifyFailure, notifySuccess } from '../../app/errors';
import { formatDateTimeSeconds } from '../incidents/common/format';
import { useCosign } from '../people/cosign';

type List = CommandOutput<'backup.list'>;
type Check = CommandOutput<'store.check'>;

/**
 * Backups (admin): where they go and when (co-signed), a backup now and the full integrity check
 * (both jobs: their bars and cancel are in the jobs panel), and the backups with their verified state.
 */
export function BackupsView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const [list, setList] = useState<List | null>(null);
  const [form, setForm] = useState<{ folder: string; dailyAt: string; keep: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'backup' | 'check' | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const cosign = useCosign('settings.change');

  const load = useCallback(async () => {
    try {
      const [nextList, settings] = await Promise.all([client.invoke('backup.list', {}), client.invoke('backup.settings', {})]);
      setList(nextList);
      setForm((current) => current ?? { folder: settings.settings.folder ?? '', dailyAt: settings.settings.dailyAt ?? '', keep: settings.settings.keep });
    } catch (e) {
      notifyFailure(e, t);
    }
  }, [client, t]);
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!form) return;
    const parsed = BackupSettings.safeParse({ folder: form.folder.trim() || null, dailyAt: form.dailyAt.trim() || null, keep: form.keep });
    if (!parsed.success) {
      setError(t('backups.invalid'));
      return;
    }
    setError(null);
    setBusy('save');
    try {
      await client.invoke('backup.updateSettings', { settings: parsed.data, cosign: cosign.value });
      notifySuccess(t('backups.saved'));
      await load();
    } catch (e) {
      if (!cosign.handle(e)) notifyFailure(e, t);
    } finally {
      setBusy(null);
    }
  }

  async function backupNow() {
    setBusy('backup');
    try {
      const made = await client.invoke('backup.create', {});
      notifySuccess(t('backups.made', { incidents: made.incidents, attachments: made.attachments }));
      await load();
    } catch (e) {
      notifyFailure(e, t);
    } finally {
      setBusy(null);
    }
  }

  async function checkNow() {
    setBusy('check');
    try {
      setCheck(await client.invoke('store.check', {}));
    } catch (e) {
      notifyFailure(e, t);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Stack p="md" gap="md" data-testid="view-backups-body" maw={960}>
      <Group justify="space-between">
        <Title order={4}>{t('backups.title')}</Title>
        <Group>
          <Button leftSection={<IconShieldCheck size={16} />} variant="default" loading={busy === 'check'} onClick={() => void checkNow()} data-testid="store-check">
            {t('backups.check')}
          </Button>
          <Button leftSection={<IconDatabaseExport size={16} />} loading={busy === 'backup'} onClick={() => void backupNow()} data-testid="backup-now">
            {t('backups.now')}
          </Button>
        </Group>
      </Group>
      {check && (
        <Alert color={check.ok ? 'teal' : 'red'} data-testid="store-check-result">
          {check.ok ? t('backups.checkOk', { events: check.checked }) : t('backups.checkBad', { integrity: check.integrity, seq: check.firstBadSeq ?? '—' })}
        </Alert>
      )}
      {form && (
        <Paper withBorder p="md">
          <form onSubmit={save} noValidate data-testid="backup-settings">
            <Stack gap="sm">
              <Text size="xs" c="dimmed">
                {t('backups.hint', { folder: list?.folder ?? '' })}
              </Text>
              <Group grow align="flex-start">
                <TextInput label={t('backups.folder')} placeholder={t('backups.folderDefault')} value={form.folder} onChange={(e) => setForm({ ...form, folder: e.currentTarget.value })} />
                <TextInput label={t('backups.dailyAt')} placeholder="02:30" value={form.dailyAt} onChange={(e) => setForm({ ...form, dailyAt: e.currentTarget.value })} />
                <NumberInput label={t('backups.keep')} min={1} max={365} allowDecimal={false} value={form.keep} onChange={(v) => setForm({ ...form, keep: typeof v === 'number' ? v : Number.NaN })} />
              </Group>
              {error && (
                <Text size="xs" c="red">
                  {error}
                </Text>
              )}
              {cosign.fields}
              <Group justify="flex-end">
                <Button type="submit" loading={busy === 'save'}>
                  {t('backups.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      <Text size="sm">{t('backups.folderNow', { folder: list?.folder ?? '' })}</Text>
      <Table striped data-testid="backup-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('backups.when')}</Table.Th>
            <Table.Th>{t('backups.contents')}</Table.Th>
            <Table.Th>{t('backups.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list?.backups.map((b) => (
            <Table.Tr key={b.name}>
              <Table.Td>{b.createdAt !== null ? formatDateTimeSeconds(b.createdAt) : b.name}</Table.Td>
              <Table.Td>{b.incidents !== null ? t('recovery.counts', { incidents: b.incidents, events: b.events ?? 0 }) : '—'}</Table.Td>
              <Table.Td>
                <Badge color={b.verified ? 'teal' : 'red'} variant="light">
                  {b.verified ? t('backups.verified') : t('recovery.notVerified')}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list && list.backups.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('backups.empty')}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('backups.restoreHint')}
      </Text>
    </Stack>
  );
}

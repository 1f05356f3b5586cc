import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconDatabaseExclamation } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@shared';
import { useClient, useConnection } from '../../transport/ClientProvider';
import { describeFailure } from '../../app/errors';
import dayjs from 'dayjs';

type Status = CommandOutput<'recovery.status'>;

/**
 * Before the login: a store that failed its check at start is not served, and this screen says
 * what is wrong, where the data is and which verified backups can replace it. A store that went
 * bad while serving keeps the console up with a banner (every write answers store.corrupt).
 */
export function RecoveryGate({ children }: { children: ReactNode }) {
  const client = useClient();
  const { epoch } = useConnection();
  const [status, setStatus] = useState<Status | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await client.invoke('recovery.status', {}));
    } catch {
      setStatus(null);
    }
  }, [client]);
  useEffect(() => {
    if (epoch > 0) void load();
  }, [load, epoch]);

  if (status?.state === 'recovery') return <RecoveryScreen status={status} />;
  return (
    <>
      {status?.state === 'corrupt' && <CorruptBanner status={status} />}
      {children}
    </>
  );
}

function CorruptBanner({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" icon={<IconAlertTriangle size={16} />} className="recovery-banner" data-testid="corrupt-banner" radius={0} py={6}>
      {t('recovery.corruptBanner', { problem: status.problem ?? '', dataDir: status.dataDir })}
    </Alert>
  );
}

function RecoveryScreen({ status }: { status: Status }) {
  const { t } = useTranslation();
  const client = useClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const restore = async (name: string) => {
    setBusy(name);
    setMessage(null);
    try {
      const result = await client.invoke('recovery.restore', { name });
      setMessage({ ok: true, text: t('recovery.restored', { incidents: result.incidents, kept: result.kept ?? '' }) });
      // A fresh connection reaches the core now serving the restored store (and its login).
      setTimeout(() => window.location.reload(), 1500);
    } catch (error) {
      const failure = describeFailure(error, t);
      setMessage({ ok: false, text: `${failure.title}: ${failure.message}` });
      setBusy(null);
    }
  };

  return (
    <Stack className="boot-screen" align="center" justify="center" p="xl" data-testid="recovery-screen">
      <Paper withBorder p="lg" maw={760} w="100%">
        <Stack gap="sm">
          <Group gap="xs">
            <IconDatabaseExclamation size={22} color="var(--mantine-color-red-6)" />
            <Title order={3}>{t('recovery.title')}</Title>
          </Group>
          <Text size="sm">{t('recovery.intro')}</Text>
          <Text size="xs" c="dimmed">
            {t('recovery.problem')}
          </Text>
          <Code block data-testid="recovery-problem" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {status.problem}
          </Code>
          <Text size="sm">
            {t('recovery.dataDir')}: <Code>{status.dataDir}</Code>
          </Text>
          <Text size="sm">
            {t('recovery.backupFolder')}: <Code>{status.backupFolder}</Code>
          </Text>
          <Text fw={600} size="sm" mt="sm">
            {t('recovery.backups')}
          </Text>
          {status.backups.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('recovery.none')}
            </Text>
          )}
          {status.backups.map((backup) => (
            <Paper key={backup.name} withBorder p="sm" data-testid="recovery-backup">
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {backup.createdAt !== null ? dayjs(backup.createdAt).format('YYYY-MM-DD HH:mm:ss') : backup.name}
                    </Text>
                    <Badge color={backup.verified ? 'teal' : 'red'} variant="light">
                      {backup.verified ? t('recovery.verified') : t('recovery.notVerified')}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {backup.incidents !== null ? t('recovery.counts', { incidents: backup.incidents, events: backup.events ?? 0 }) : backup.name}
                  </Text>
                  {!backup.verified && backup.problem && (
                    <Text size="xs" c="red">
                      {backup.problem}
                    </Text>
                  )}
                </Stack>
                <Button disabled={!backup.verified || busy !== null} loading={busy === backup.name} onClick={() => void restore(backup.name)}>
                  {t('recovery.restore')}
                </Button>
              </Group>
            </Paper>
          ))}
          {busy && !message && <Text size="sm">{t('recovery.restoring')}</Text>}
          {message && (
            <Alert color={message.ok ? 'teal' : 'red'} data-testid="recovery-message">
              {message.text}
            </Alert>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}

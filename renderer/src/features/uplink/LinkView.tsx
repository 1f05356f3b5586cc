import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconSettings, IconSignature } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LINK_PROBLEMS, REFUSAL_REASONS, type DirectiveInfo, type LinkLogEntry, type LinkStatus } from '@shared';
import type { TFunction } from 'i18next';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';
import { useLanguage } from '../../i18n';
import { useNavigation } from '../../app/navigation';
import { notifyFailure, notifySuccess } from '../../app/errors';
import { formatDateTime, formatDateTimeSeconds } from '../incidents/common/format';
import { useSecondTicker } from '../workflows/common';
import { useCan } from '../people/session';
import { linkSpan, shortHash, signerName, useLinkStatus } from './link-status';
import { LinkSettingsModal } from './LinkSettingsModal';
import './uplink.css';

/** The city link: its state and figures, the drill switch, directives to sign for, its log, its settings. */
export function LinkView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const status = useLinkStatus();
  const [directives, setDirectives] = useState<DirectiveInfo[]>([]);
  const [log, setLog] = useState<LinkLogEntry[]>([]);
  const [settingsOpen, setSettingsOpen] = useState(false);

  const loadDirectives = useCallback(async () => {
    try {
      setDirectives(await client.invoke('directives.list', {}));
    } catch (error) {
      notifyFailure(error, t);
    }
  }, [client, t]);
  const loadLog = useCallback(async () => {
    try {
      setLog(await client.invoke('uplink.log', { limit: 50 }));
    } catch (error) {
      notifyFailure(error, t);
    }
  }, [client, t]);

  // On opening the view and after the window reconnects (events pushed meanwhile were missed).
  const { epoch } = useConnection();
  useEffect(() => {
    if (!active) return;
    void loadDirectives();
    void loadLog();
  }, [active, loadDirectives, loadLog, epoch]);
  useCoreEvent('directives.changed', () => active && void loadDirectives());
  useCoreEvent('incident.changed', ({ incident }) => active && incident.source === 'city_directive' && void loadDirectives());
  // Core pushes every new line of the link's log.
  useCoreEvent('uplink.logged', (entry) => setLog((lines) => (lines.some((l) => l.id === entry.id) ? lines : [entry, ...lines].slice(0, 50))));
  const canSwitch = useCan('uplink.switch');
  const canConfigure = useCan('uplink.configure');

  async function toggle(on: boolean) {
    try {
      await client.invoke('uplink.switch', { on });
      notifySuccess(t(on ? 'link.switchedOn' : 'link.switchedOff'));
    } catch (error) {
      notifyFailure(error, t);
    }
  }

  return (
    <div className="link-view" data-testid="link-view">
      <Group justify="space-between" mb="md" wrap="nowrap">
        <Title order={4}>{t('link.view')}</Title>
        <Group gap="md" wrap="nowrap">
          {status && status.state !== 'not_configured' && (
            <Tooltip label={canSwitch.reason} disabled={canSwitch.allowed}>
              <Switch
                checked={status.state !== 'off'}
                disabled={!canSwitch.allowed}
                onChange={(e) => void toggle(e.currentTarget.checked)}
                label={t('link.switch')}
                data-testid="link-switch"
              />
            </Tooltip>
          )}
          <Tooltip label={canConfigure.reason} disabled={canConfigure.allowed}>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconSettings size={14} />}
              disabled={!canConfigure.allowed}
              onClick={() => setSettingsOpen(true)}
              data-testid="link-settings-open"
            >
              {t('link.settings.open')}
            </Button>
          </Tooltip>
        </Group>
      </Group>
      {status && <StatusPanel status={status} />}
      <SimpleGrid cols={2} spacing="md" mt="md">
        <Directives items={directives} onChange={() => void loadDirectives()} />
        <LinkLog entries={log} />
      </SimpleGrid>
      <LinkSettingsModal opened={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </div>
  );
}

function StatusPanel({ status }: { status: LinkStatus }) {
  const { t } = useTranslation();
  const { dateLocale } = useLanguage();
  const now = useSecondTicker(true);
  const age = (at: number) => linkSpan(now - at, dateLocale);
  const color = { connected: 'teal', connecting: 'yellow', off: 'yellow', down: 'red', refused: 'red', not_configured: 'gray' }[status.state];
  const failing = status.state === 'down' || status.state === 'refused';
  return (
    <Paper p="md" withBorder>
      <Group gap="sm" mb="sm" wrap="wrap">
        <Badge color={color} size="lg" data-testid="link-state" data-state={status.state}>
          {t(`link.state.${status.state}`)}
        </Badge>
        {failing && status.problem && (
          <Text size="sm" c="red.4" data-testid="link-problem">
            {t(`link.problem.${status.problem}`)}
            {status.detail ? ` · ${status.detail}` : ''}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t(failing ? 'link.downSince' : 'link.since', { time: formatDateTimeSeconds(status.since), age: age(status.since) })}
        </Text>
        {failing && status.nextAttemptAt && (
          <Text size="sm" c="dimmed">
            {t('link.nextAttempt', { in: linkSpan(status.nextAttemptAt - now, dateLocale), n: status.attempts })}
          </Text>
        )}
      </Group>
      {status.state === 'off' && (
        <Text size="xs" c="yellow.4" mb="sm">
          {t('link.switchHint')}
        </Text>
      )}
      <SimpleGrid cols={5} spacing="md">
        <Figure label={t('link.backlog')} testId="link-backlog">
          {status.backlog.toLocaleString()}
        </Figure>
        <Figure label={t('link.oldest')}>{status.oldestAt ? t('link.oldestAge', { age: age(status.oldestAt) }) : t('link.none')}</Figure>
        <Figure label={t('link.rate')}>{t('link.rateValue', { n: status.sendRate.toLocaleString() })}</Figure>
        <Figure label={t('link.lastAck')} testId="link-last-ack">
          {status.lastAckAt ? formatDateTimeSeconds(status.lastAckAt) : t('link.none')}
        </Figure>
        <Figure label={t('link.anchor')} testId="link-anchor">
          {status.anchor ? (
            <span className="link-mono" title={status.anchor.hash}>
              {t('link.anchorValue', { seq: status.anchor.seq.toLocaleString(), hash: shortHash(status.anchor.hash) })}
            </span>
          ) : (
            t('link.none')
          )}
        </Figure>
      </SimpleGrid>
      <Group gap="lg" mt="sm">
        {status.broker && (
          <Text size="xs" c="dimmed">
            {t('link.broker')}: <span className="link-mono">{status.broker}</span>
          </Text>
        )}
        {status.town && (
          <Text size="xs" c="dimmed">
            {t('link.town')}: <b>{status.town}</b>
          </Text>
        )}
        {status.mqttVersion && (
          <Text size="xs" c="dimmed">
            {t('link.mqtt', { v: status.mqttVersion === 5 ? '5' : '3.1.1' })}
          </Text>
        )}
        {status.demo && (
          <Badge variant="light" color="blue" size="sm">
            {t('link.demo')}
          </Badge>
        )}
      </Group>
      {status.mismatchAt !== null && status.anchor && (
        <Alert color="red" mt="sm" icon={<IconAlertTriangle size={16} />}>
          {t('link.mismatch', { seq: status.anchor.seq })}
        </Alert>
      )}
      {status.lastRefusal && (
        <Alert color="orange" mt="sm" icon={<IconAlertTriangle size={16} />} data-testid="link-refusal">
          {t(`link.refusal.${status.lastRefusal.direction}`, { reason: t(`link.refusalReason.${status.lastRefusal.reason}`), detail: status.lastRefusal.detail })}
          <Text size="xs" c="dimmed">
            {formatDateTimeSeconds(status.lastRefusal.at)}
          </Text>
        </Alert>
      )}
    </Paper>
  );
}

function Figure({ label, testId, children }: { label: string; testId?: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <span className="link-figure-label">{label}</span>
      <span className="link-figure-value" data-testid={testId}>
        {children}
      </span>
    </Stack>
  );
}

function Directives({ items, onChange }: { items: DirectiveInfo[]; onChange(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const { openIncident } = useNavigation();
  const [busy, setBusy] = useState<string | null>(null);
  // The signer is whoever is logged in at this window (core takes it from the session).
  const canSign = useCan('directives.sign');
  async function sign(id: string) {
    setBusy(id);
    try {
      await client.invoke('directives.sign', { id });
      notifySuccess(t('link.directives.signedOk'));
      onChange();
    } catch (error) {
      notifyFailure(error, t);
      onChange();
    } finally {
      setBusy(null);
    }
  }
  return (
    <Paper p="md" withBorder data-testid="directives">
      <Title order={5} mb="sm">
        {t('link.directives.title')}
      </Title>
      {!items.length && (
        <Text size="sm" c="dimmed">
          {t('link.directives.empty')}
        </Text>
      )}
      <Stack gap="sm">
        {items.map((d) => (
          <Paper key={d.id} p="sm" withBorder className="link-directive" data-unsigned={d.signedBy === null || undefined} data-testid="directive">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={4} miw={0}>
                <Group gap={6}>
                  <Badge color={d.mode === 'supervise' ? 'red' : 'blue'} size="sm">
                    {t(`link.directives.mode.${d.mode}`)}
                  </Badge>
                  <Text size="sm" fw={600}>
                    {d.incidentCode} · {d.incidentTitle}
                  </Text>
                </Group>
                <Text size="sm">{d.text}</Text>
                <Text size="xs" c="dimmed">
                  {t('link.directives.issuer')}: {d.issuer} · {t('link.directives.deadline', { time: formatDateTime(d.deadline) })} ·{' '}
                  {t('link.directives.received', { time: formatDateTime(d.receivedAt) })}
                </Text>
                {d.signedBy && d.signedAt && (
                  <Text size="xs" c="teal.4" data-testid="directive-signed">
                    {t('link.directives.signed', { name: signerName(d.signedBy, d.signedByStaffNo, t), time: formatDateTime(d.signedAt) })}
                  </Text>
                )}
              </Stack>
              <Stack gap={6} align="flex-end">
                {d.signedBy === null && (
                  <Tooltip label={canSign.reason} disabled={canSign.allowed}>
                    <Button
                      size="xs"
                      color="red"
                      leftSection={<IconSignature size={14} />}
                      loading={busy === d.id}
                      disabled={!canSign.allowed}
                      onClick={() => void sign(d.id)}
                      data-testid="directive-sign"
                    >
                      {t('link.directives.sign')}
                    </Button>
                  </Tooltip>
                )}
                <Button size="xs" variant="subtle" onClick={() => openIncident(d.incidentId)}>
                  {t('link.directives.open')}
                </Button>
              </Stack>
            </Group>
          </Paper>
        ))}
      </Stack>
    </Paper>
  );
}

function LinkLog({ entries }: { entries: LinkLogEntry[] }) {
  const { t } = useTranslation();
  return (
    <Paper p="md" withBorder data-testid="link-log">
      <Title order={5} mb="sm">
        {t('link.log.title')}
      </Title>
      {!entries.length ? (
        <Text size="sm" c="dimmed">
          {t('link.log.empty')}
        </Text>
      ) : (
        <Table striped fz="xs">
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid="link-log-entry" data-kind={e.kind}>
                <Table.Td className="link-mono" w={150}>
                  {formatDateTimeSeconds(e.at)}
                </Table.Td>
                <Table.Td>{t(`link.log.kind.${e.kind}`)}</Table.Td>
                <Table.Td>{e.actor ? signerName(e.actor, e.actorStaffNo, t) : ''}</Table.Td>
                <Table.Td>
                  {logReason(e, t)}
                  {e.detail && <span className="link-mono link-log-detail">{e.detail}</span>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** A log line's reason in the operator's words: a link problem (down, refused) or why a message was refused. */
function logReason(entry: LinkLogEntry, t: TFunction): string {
  const { kind, reason } = entry;
  if (!reason) return '';
  if ((kind === 'down' || kind === 'refused') && (LINK_PROBLEMS as readonly string[]).includes(reason)) return t(`link.problem.${reason}`);
  if ((REFUSAL_REASONS as readonly string[]).includes(reason)) return t(`link.refusalReason.${reason}`);
  return reason;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { ActionIcon, Badge, Button, Group, Popover, ScrollArea, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ContractError, type Alarm } from '@shared';
import { useNavigation } from '../../app/navigation';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';
import { notifyCameraFailure } from './errors';

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A short two-tone chime, made here (no audio file, nothing fetched). */
function chime(): void {
  try {
    const audio = new AudioContext();
    for (const [i, freq] of [880, 660].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.15, audio.currentTime + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.18 + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + i * 0.18);
      osc.stop(audio.currentTime + i * 0.18 + 0.17);
    }
    setTimeout(() => void audio.close(), 600);
  } catch {
    // no audio device: the inbox still shows the alarm
  }
}

/** The alarm inbox: one line per burst (camera + kind within the cooldown), newest first. */
export function AlarmInbox() {
  const { t } = useTranslation();
  const client = useClient();
  const { epoch } = useConnection();
  const { openIncident } = useNavigation();
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const loading = useRef(false);

  const load = useCallback(() => {
    if (loading.current) return;
    loading.current = true;
    client
      .invoke('alarms.list', {})
      .then(({ alarms }) => setAlarms(alarms), (error: unknown) => notifyCameraFailure(error, t))
      .finally(() => (loading.current = false));
  }, [client, t]);

  useEffect(load, [load, epoch]);
  useCoreEvent('alarms.changed', (payload) => {
    if (payload.sound) chime();
    load();
  });

  const act = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      // Handled meanwhile in another window: the reload shows it gone.
      if (!(error instanceof ContractError && error.code === 'conflict')) notifyCameraFailure(error, t);
    }
    load();
  };

  return (
    <div className="alarm-inbox" data-testid="alarm-inbox">
      <Group justify="space-between" px="sm" py={6}>
        <Text fw={600} size="sm">
          {t('cameras.alarms.title')}
        </Text>
        {alarms.length > 0 && (
          <Badge color="red" variant="filled" size="sm" data-testid="alarm-count">
            {alarms.length}
          </Badge>
        )}
      </Group>
      <ScrollArea className="alarm-scroll">
        {alarms.length === 0 && (
          <Text size="xs" c="dimmed" px="sm" pb="sm">
            {t('cameras.alarms.empty')}
          </Text>
        )}
        {alarms.map((alarm) => (
          <div key={alarm.id} className="alarm-row" data-testid="alarm-row">
            <Group justify="space-between" wrap="nowrap" gap={4}>
              <Text size="sm" fw={600} truncate>
                {alarm.cameraName}
              </Text>
              <Text size="xs" c="dimmed">
                {alarm.count > 1 ? `${hhmm(alarm.firstAt)}–${hhmm(alarm.lastAt)}` : hhmm(alarm.lastAt)}
              </Text>
            </Group>
            <Group justify="space-between" wrap="nowrap" gap={4} mt={2}>
              <Group gap={4}>
                <Badge size="xs" color="red" variant="light">
                  {t(`cameras.alarms.kind.${alarm.kind}`)}
                </Badge>
                {alarm.count > 1 && (
                  <Badge size="xs" color="gray" variant="light" data-testid="alarm-times">
                    ×{alarm.count}
                  </Badge>
                )}
              </Group>
              <Group gap={2} wrap="nowrap">
                <Button
                  size="compact-xs"
                  color="red"
                  data-testid="alarm-to-incident"
                  onClick={() =>
                    void act(client.invoke('alarms.toIncident', { id: alarm.id }).then(({ incident }) => openIncident(incident.id)))
                  }
                >
                  {t('cameras.alarms.toIncident')}
                </Button>
                <Tooltip label={t('cameras.alarms.acknowledge')}>
                  <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('cameras.alarms.acknowledge')} onClick={() => void act(client.invoke('alarms.acknowledge', { id: alarm.id }))}>
                    <IconCheck size={14} />
                  </ActionIcon>
                </Tooltip>
                <DismissButton alarm={alarm} onDismiss={(reason) => act(client.invoke('alarms.dismiss', { id: alarm.id, reason }))} />
              </Group>
            </Group>
          </div>
        ))}
      </ScrollArea>
    </div>
  );
}

function DismissButton({ alarm, onDismiss }: { alarm: Alarm; onDismiss(reason: string): Promise<void> }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Popover opened={opened} onChange={setOpened} position="right" withArrow trapFocus>
      <Popover.Target>
        <Tooltip label={t('cameras.alarms.dismiss')}>
          <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('cameras.alarms.dismiss')} onClick={() => setOpened((o) => !o)} data-testid="alarm-dismiss">
            <IconX size={14} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) return setError(t('validation.required'));
            setOpened(false);
            void onDismiss(reason);
          }}
        >
          <Stack gap="xs" w={220}>
            <TextInput
              size="xs"
              label={t('cameras.alarms.dismissReason', { camera: alarm.cameraName })}
              value={reason}
              onChange={(e) => (setReason(e.currentTarget.value), setError(null))}
              error={error}
              maxLength={200}
              data-autofocus
            />
            <Button size="xs" type="submit">
              {t('cameras.alarms.dismiss')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

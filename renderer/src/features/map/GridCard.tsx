import { useEffect, useState } from 'react';
import { Badge, CloseButton, Group, Loader, Progress, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { format } from 'date-fns';
import type { Camera, CameraHealth, CommandOutput } from '@shared';
import { useClient, useCoreEvent } from '../../transport/ClientProvider';
import { describeFailure } from '../../app/errors';
import { CameraHealthDot, useCameraHealthText } from './CameraTooltip';

type Card = CommandOutput<'grids.card'>;

interface GridCardProps {
  gridId: string;
  from: number;
  to: number;
  /** The registry's cameras whose grid (computed in core from their location) is this one. */
  cameras: readonly Camera[];
  health: ReadonlyMap<string, CameraHealth>;
  onOpenCamera: (cameraId: string) => void;
  onClose: () => void;
}

/**
 * A grid at a glance: who works it, what is open and overdue, how much of the period's work was
 * closed, and the cameras that look at it (a click opens one in the video wall).
 */
export function GridCard({ gridId, from, to, cameras, health, onOpenCamera, onClose }: GridCardProps) {
  const { t } = useTranslation();
  const healthText = useCameraHealthText();
  const client = useClient();
  const [card, setCard] = useState<Card | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    client.invoke('grids.card', { gridId, from, to }).then(
      (value) => !cancelled && setCard(value),
      (e: unknown) => !cancelled && setError(describeFailure(e, t).message),
    );
    return () => {
      cancelled = true;
    };
  }, [client, gridId, from, to, version, t]);

  useCoreEvent('incident.changed', () => setVersion((v) => v + 1));
  useCoreEvent('grids.changed', () => setVersion((v) => v + 1));

  const rate = card?.completionRate ?? null;
  return (
    <Stack gap={6} className="grid-card" data-testid="grid-card">
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {t('map.card.title')}
        </Text>
        <CloseButton size="sm" onClick={onClose} aria-label={t('map.card.close')} />
      </Group>
      {error && (
        <Text size="sm" c="red.5">
          {error}
        </Text>
      )}
      {!card && !error && <Loader size="sm" />}
      {card && card.grid.id === gridId && (
        <>
          <Group gap={6} wrap="nowrap">
            <Text fw={600} data-testid="grid-card-name">
              {card.grid.name}
            </Text>
            <Badge variant="light" size="sm" data-testid="grid-card-code">
              {card.grid.code}
            </Badge>
            {card.grid.demo && (
              <Badge color="orange" variant="outline" size="sm">
                {t('map.card.demo')}
              </Badge>
            )}
          </Group>
          <Text size="sm">
            <Text span c="dimmed">
              {t('map.card.community')}
            </Text>
            {card.grid.community || '—'}
          </Text>
          <Text size="sm" data-testid="grid-card-workers">
            <Text span c="dimmed">
              {t('map.card.workers')}
            </Text>
            {card.grid.workers.length ? card.grid.workers.join('、') : t('map.card.noWorkers')}
          </Text>
          <Group gap="lg" mt={4}>
            <Stack gap={0}>
              <Text size="xl" fw={700} data-testid="grid-card-open">
                {card.open}
              </Text>
              <Text size="xs" c="dimmed">
                {t('map.card.open')}
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xl" fw={700} c={card.overdue ? 'red.5' : undefined} data-testid="grid-card-overdue">
                {card.overdue}
              </Text>
              <Text size="xs" c="dimmed">
                {t('map.card.overdue')}
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xl" fw={700} data-testid="grid-card-rate">
                {rate === null ? '—' : `${Math.round(rate * 100)}%`}
              </Text>
              <Text size="xs" c="dimmed">
                {t('map.card.completion')}
              </Text>
            </Stack>
          </Group>
          {rate !== null && <Progress value={rate * 100} size="sm" color={rate >= 0.9 ? 'teal' : rate >= 0.6 ? 'yellow' : 'red'} />}
          <Text size="xs" c="dimmed">
            {card.reportedInPeriod
              ? `${t('map.card.reported')} ${card.reportedInPeriod} · ${t('map.card.closed')} ${card.closedInPeriod}`
              : t('map.card.noneReported')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('map.card.period', { from: format(from, 'yyyy-MM-dd'), to: format(to - 1, 'yyyy-MM-dd') })}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t('map.card.cameras', { count: cameras.length })}
          </Text>
          <Stack gap={0} data-testid="grid-card-cameras">
            {cameras.length === 0 && (
              <Text size="xs" c="dimmed">
                {t('map.card.noCameras')}
              </Text>
            )}
            {cameras.map((camera) => (
              <UnstyledButton
                key={camera.id}
                className="grid-card-camera"
                onClick={() => onOpenCamera(camera.id)}
                title={t('map.camera.clickToOpen')}
                data-testid="grid-card-camera"
                data-camera={camera.id}
              >
                <CameraHealthDot camera={camera} health={health.get(camera.id)} />
                <Text size="sm" truncate style={{ flex: 1 }}>
                  {camera.name}
                </Text>
                <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                  {healthText(camera, health.get(camera.id))}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}

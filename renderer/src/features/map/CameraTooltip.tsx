import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Camera, CameraHealth } from '@shared';
import { CAMERA_HEALTH_HEX, cameraMapHealth } from './camera-features';

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** One line about a camera's health: online/offline since when, not known yet, or disabled. */
export function useCameraHealthText() {
  const { t } = useTranslation();
  return (camera: Camera, health: CameraHealth | undefined) => {
    const state = cameraMapHealth(camera, health);
    if (state === 'online' || state === 'offline') return t(`map.camera.${state}`, { time: health?.since ? hhmm(health.since) : '—' });
    return t(`map.camera.${state}`);
  };
}

export function CameraHealthDot({ camera, health }: { camera: Camera; health: CameraHealth | undefined }) {
  const state = cameraMapHealth(camera, health);
  return <span className="map-camera-dot" style={{ background: CAMERA_HEALTH_HEX[state] }} data-health={state} />;
}

/** What the pointer is over on the map: name, health and grid; a click opens it in the video wall. */
export function CameraTooltip({ camera, health, gridName, x, y }: { camera: Camera; health: CameraHealth | undefined; gridName: string | null; x: number; y: number }) {
  const { t } = useTranslation();
  const healthText = useCameraHealthText();
  return (
    <Paper className="map-camera-tooltip" shadow="md" withBorder p={8} style={{ left: x, top: y }} data-testid="map-camera-tooltip" data-camera={camera.id}>
      <Group gap={6} wrap="nowrap">
        <CameraHealthDot camera={camera} health={health} />
        <Text size="sm" fw={600}>
          {camera.name}
        </Text>
      </Group>
      <Text size="xs" data-testid="map-camera-tooltip-health">
        {healthText(camera, health)}
      </Text>
      <Text size="xs" data-testid="map-camera-tooltip-grid">
        {gridName ? t('map.context.grid', { name: gridName }) : t('map.context.noGrid')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('map.camera.clickToOpen')}
      </Text>
    </Paper>
  );
}

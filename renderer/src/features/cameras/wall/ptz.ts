import { useCallback, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyCameraFailure } from '../errors';
import { useClient } from '../../../transport/ClientProvider';

export type PtzDirection = 'up' | 'down' | 'left' | 'right' | 'zoomIn' | 'zoomOut';

const SPEED = 0.5;
const VELOCITY: Record<PtzDirection, { pan: number; tilt: number; zoom: number }> = {
  up: { pan: 0, tilt: SPEED, zoom: 0 },
  down: { pan: 0, tilt: -SPEED, zoom: 0 },
  left: { pan: -SPEED, tilt: 0, zoom: 0 },
  right: { pan: SPEED, tilt: 0, zoom: 0 },
  zoomIn: { pan: 0, tilt: 0, zoom: SPEED },
  zoomOut: { pan: 0, tilt: 0, zoom: -SPEED },
};

/** Arrow keys and +/- → a PTZ direction (held keys move, release stops). */
export const PTZ_KEYS: Record<string, PtzDirection> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  '+': 'zoomIn',
  '=': 'zoomIn',
  '-': 'zoomOut',
};

/**
 * Press-and-hold PTZ for one camera: `start` sends ContinuousMove, `stop` always sends Stop (the
 * core falls back to a zero-velocity move), even when the move failed, so nothing keeps turning.
 */
export function usePtz(cameraId: string | null) {
  const { t } = useTranslation();
  const client = useClient();
  const moving = useRef(false);

  const start = useCallback(
    (direction: PtzDirection) => {
      if (!cameraId) return;
      moving.current = true;
      client.invoke('ptz.move', { cameraId, ...VELOCITY[direction] }).catch((error: unknown) => notifyCameraFailure(error, t));
    },
    [cameraId, client, t],
  );

  const stop = useCallback(() => {
    if (!cameraId || !moving.current) return;
    moving.current = false;
    client.invoke('ptz.stop', { cameraId }).catch((error: unknown) => notifyCameraFailure(error, t));
  }, [cameraId, client, t]);

  return useMemo(() => ({ start, stop }), [start, stop]);
}

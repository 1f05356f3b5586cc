import { useCallback, useEffect, useRef, useState } from 'react';
import type { Camera, CameraHealth } from '@shared';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';

export interface MapCameras {
  cameras: Camera[];
  health: ReadonlyMap<string, CameraHealth>;
}

/**
 * The camera registry and its health, for the camera layer and the grid card. A town has tens to
 * hundreds of cameras: the whole list is read again on every change. While the map is hidden,
 * changes only mark it stale; it catches up when shown.
 */
export function useMapCameras(active: boolean): MapCameras {
  const client = useClient();
  const { epoch } = useConnection();
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [health, setHealth] = useState<ReadonlyMap<string, CameraHealth>>(new Map());
  const stale = useRef({ cameras: true, health: true });
  // Only the latest request's answer is kept: an older one arriving late would undo a change.
  const sent = useRef({ cameras: 0, health: 0 });

  const load = useCallback(() => {
    if (stale.current.cameras) {
      stale.current.cameras = false;
      const mine = ++sent.current.cameras;
      client.invoke('cameras.list', {}).then(
        ({ cameras }) => mine === sent.current.cameras && setCameras(cameras),
        () => (stale.current.cameras = true),
      );
    }
    if (stale.current.health) {
      stale.current.health = false;
      const mine = ++sent.current.health;
      client.invoke('cameras.health', {}).then(
        ({ health }) => mine === sent.current.health && setHealth(new Map(health.map((h) => [h.cameraId, h]))),
        () => (stale.current.health = true),
      );
    }
  }, [client]);

  // A reconnect (epoch) may have missed events: read both again.
  useEffect(() => {
    stale.current = { cameras: true, health: true };
  }, [epoch]);
  useEffect(() => {
    if (active) load();
  }, [epoch, active, load]);

  const changed = (what: 'cameras' | 'health' | 'both') => {
    if (what !== 'health') stale.current.cameras = true;
    if (what !== 'cameras') stale.current.health = true;
    if (active) load();
  };
  // A new, removed or disabled camera changes its health entry too.
  useCoreEvent('cameras.changed', () => changed('both'));
  useCoreEvent('cameras.health', () => changed('health'));
  // A grid import re-grids every located camera (its `grid`) in core.
  useCoreEvent('grids.changed', () => changed('cameras'));

  return { cameras, health };
}

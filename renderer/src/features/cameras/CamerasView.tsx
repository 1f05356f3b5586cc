import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Badge, Button, Group, ScrollArea, SegmentedControl, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconArrowsMinimize } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { FOCUS_LAYOUTS, WALL_LAYOUTS, wallGeometry, wallLayoutOf, type Camera, type CameraHealth, type WallLayout, type WallLayoutSize, type WallShape } from '@shared';
import { notifyFailure } from '../../app/errors';
import { plainShortcut } from '../../app/keyboard';
import { useNavigation } from '../../app/navigation';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';
import { AddCameraModal } from './AddCameraModal';
import { AlarmInbox } from './AlarmInbox';
import { EditCameraModal } from './EditCameraModal';
import { CAMERA_DRAG_TYPE, VideoTile } from './wall/VideoTile';
import { GridChooser } from './wall/GridChooser';
import { SnapshotModal, type SnapshotRequest } from './snapshot/SnapshotModal';
import { PTZ_KEYS, usePtz } from './wall/ptz';
import { tileForOpenedCamera } from './wall/placement';
import './cameras.css';

/** Which wall this window keeps (a second window opened with ?wall=NAME keeps its own). */
const WINDOW_KEY = new URLSearchParams(window.location.search).get('wall') || 'main';

const LAYOUT_KEYS: Record<string, WallLayoutSize> = { '1': 1, '4': 4, '9': 9, '0': 16 };

function tilesFor(layout: WallLayout): (string | null)[] {
  return Array.from({ length: layout.size }, (_, i) => layout.tiles[i] ?? null);
}

/** The layout chooser's value: `4`, `1+5`, or `grid` for a rows × cols one. */
function layoutKey(layout: WallLayout | null): string {
  if (!layout) return '4';
  if (layout.shape?.kind === 'focus') return layout.shape.name;
  if (layout.shape?.kind === 'grid') return 'grid';
  return String(layout.size);
}

/** The video wall: the camera list beside a grid of live tiles (1/4/9/16, 1+5, 1+7, or rows × cols up to 5×5). */
const HEALTH_REFRESH_MS = 10_000;

export function CamerasView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const { epoch } = useConnection();
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [layout, setLayout] = useState<WallLayout | null>(null);
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [single, setSingle] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Camera | null>(null);
  const [snapshot, setSnapshot] = useState<SnapshotRequest | null>(null);
  const [health, setHealth] = useState<Map<string, CameraHealth>>(new Map());
  const loadHealth = useCallback(() => {
    client.invoke('cameras.health', {}).then(({ health }) => setHealth(new Map(health.map((h) => [h.cameraId, h]))), () => {});
  }, [client]);
  useEffect(loadHealth, [loadHealth, epoch]);
  useCoreEvent('cameras.health', loadHealth);
  // "Last frame" moves with every frame, which sends no event: refresh it while the wall is shown.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(loadHealth, HEALTH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, loadHealth]);

  const loadCameras = useCallback(() => {
    client.invoke('cameras.list', {}).then(({ cameras }) => setCameras(cameras), (error: unknown) => notifyFailure(error, t));
  }, [client, t]);

  useEffect(() => {
    loadCameras();
    client.invoke('wall.get', { window: WINDOW_KEY }).then(setLayout, (error: unknown) => notifyFailure(error, t));
    client.invoke('video.endpoint', {}).then(({ url }) => setEndpoint(url), (error: unknown) => notifyFailure(error, t));
  }, [client, epoch, loadCameras, t]);

  useCoreEvent('cameras.changed', (payload) => {
    loadCameras();
    loadHealth();
    // A removed camera's tiles come back empty from the core.
    if (payload.reason === 'removed') client.invoke('wall.get', { window: WINDOW_KEY }).then(setLayout, () => {});
  });

  const byId = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);

  const save = useCallback(
    (next: WallLayout) => {
      setLayout(next);
      client.invoke('wall.save', { window: WINDOW_KEY, layout: next }).catch((error: unknown) => notifyFailure(error, t));
    },
    [client, t],
  );

  const setSize = useCallback(
    (size: WallLayoutSize | WallShape) => {
      if (!layout) return;
      setSingle(null);
      setSelected(null);
      // Cameras beyond the new size are kept in the layout, so going back to a larger one brings them back.
      // Each tile measures itself again, so the stream choice follows the new tile sizes.
      save(wallLayoutOf(size, layout.tiles));
    },
    [layout, save],
  );

  const assign = useCallback(
    (index: number, cameraId: string | null) => {
      if (!layout) return;
      const tiles = [...layout.tiles];
      while (tiles.length <= index) tiles.push(null);
      tiles[index] = cameraId;
      while (tiles.length && tiles[tiles.length - 1] === null) tiles.pop();
      save({ size: layout.size, tiles });
    },
    [layout, save],
  );

  /** A click on a camera fills the selected tile, or the first empty one. */
  const place = (cameraId: string) => {
    if (!layout) return;
    const tiles = tilesFor(layout);
    const target = selected !== null && selected < layout.size ? selected : tiles.findIndex((id) => id === null);
    if (target >= 0) {
      assign(target, cameraId);
      setSelected(null);
    }
  };

  // A camera opened from elsewhere (the map), once the layout is here: placed like a click in the
  // list (the selection is used up, so the next camera opened goes beside it, not over it); in
  // single view, that view shows it.
  const { cameraRequest } = useNavigation();
  const handledRequest = useRef(0);
  useEffect(() => {
    if (!cameraRequest || !layout || cameraRequest.seq === handledRequest.current) return;
    handledRequest.current = cameraRequest.seq;
    const { index, replace } = tileForOpenedCamera(tilesFor(layout), selected, cameraRequest.cameraId);
    if (replace) {
      assign(index, cameraRequest.cameraId);
      setSelected(null);
    }
    setSingle((current) => (current === null ? null : index));
  }, [cameraRequest, layout, selected, assign]);

  // Keyboard PTZ on the selected tile's camera: hold an arrow (or +/-), release to stop.
  const selectedCamera = layout && selected !== null ? (byId.get(tilesFor(layout)[selected] ?? '') ?? null) : null;
  const ptzCameraId = selectedCamera?.hasPtz && selectedCamera.enabled ? selectedCamera.id : null;
  const keyboardPtz = usePtz(ptzCameraId);
  useEffect(() => {
    if (!active || !ptzCameraId) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const direction = PTZ_KEYS[event.key];
      if (!direction || !plainShortcut(event)) return;
      event.preventDefault();
      if (!event.repeat) keyboardPtz.start(direction);
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (PTZ_KEYS[event.key]) keyboardPtz.stop();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', keyboardPtz.stop);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', keyboardPtz.stop);
      keyboardPtz.stop();
    };
  }, [active, ptzCameraId, keyboardPtz]);

  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!plainShortcut(event)) return;
      if (event.key === 'Escape' && single !== null) {
        event.preventDefault();
        setSingle(null);
        return;
      }
      const size = LAYOUT_KEYS[event.key];
      if (size) {
        event.preventDefault();
        setSize(size);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [active, single, setSize]);

  const tiles = layout ? tilesFor(layout) : [];
  const isSingle = single !== null && Boolean(tiles[single]);
  const shown = isSingle ? [single!] : tiles.map((_, i) => i);
  const geometry = isSingle || !layout ? { rows: 1, cols: 1, span: 1 } : wallGeometry(layout);
  const gridShape = layout?.shape?.kind === 'grid' ? layout.shape : null;

  return (
    <div className="cameras-view" data-testid="view-cameras-body">
      <aside className="cameras-list">
        <Group justify="space-between" px="sm" py={8}>
          <Text fw={600} size="sm">
            {t('cameras.list.title')}{' '}
            <Text span c="dimmed" size="xs">
              {t('cameras.list.count', { count: cameras.length })}
            </Text>
          </Text>
          <Button size="compact-sm" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="camera-add">
            {t('cameras.list.add')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed" px="sm" pb={6}>
          {cameras.length ? t('cameras.list.dragHint') : t('cameras.list.empty')}
        </Text>
        <ScrollArea className="cameras-scroll">
          {cameras.map((camera) => (
            <div
              key={camera.id}
              className={`camera-row${camera.enabled ? '' : ' camera-row--off'}`}
              draggable
              role="button"
              tabIndex={0}
              data-testid="camera-row"
              data-camera={camera.id}
              onDragStart={(event) => {
                event.dataTransfer.setData(CAMERA_DRAG_TYPE, camera.id);
                event.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => place(camera.id)}
              onKeyDown={(event) => event.key === 'Enter' && place(camera.id)}
            >
              <HealthDot health={health.get(camera.id)} enabled={camera.enabled} />
              <div className="camera-row-main">
                <Text size="sm" truncate>
                  {camera.name}
                </Text>
                <Group gap={4}>
                  {camera.tags.map((tag) => (
                    <Badge key={tag} size="xs" variant="light" color="gray">
                      {tag}
                    </Badge>
                  ))}
                  {camera.hasPtz && (
                    <Badge size="xs" variant="light" color="cyan">
                      {t('cameras.list.ptz')}
                    </Badge>
                  )}
                  {camera.enabled && camera.armed && health.get(camera.id)?.events.state === 'unsupported' && (
                    <Tooltip label={t('cameras.health.noAlarmsWhy', { answer: health.get(camera.id)?.events.answer ?? '' })}>
                      <Badge size="xs" variant="light" color="yellow" data-testid="camera-no-alarms">
                        {t('cameras.health.noAlarms')}
                      </Badge>
                    </Tooltip>
                  )}
                  {camera.enabled && camera.armed && health.get(camera.id)?.events.state === 'failing' && (
                    <Badge size="xs" variant="light" color="red" data-testid="camera-events-failing">
                      {t('cameras.health.eventsFailing', { attempt: health.get(camera.id)?.events.attempt ?? 0 })}
                    </Badge>
                  )}
                  {camera.enabled && !camera.armed && (
                    <Badge size="xs" variant="light" color="orange">
                      {t('cameras.list.disarmed')}
                    </Badge>
                  )}
                  {camera.enabled && camera.armed && camera.armSchedule && (
                    <Badge size="xs" variant="light" color="indigo">
                      {t('cameras.list.scheduled', { from: camera.armSchedule.from, to: camera.armSchedule.to })}
                    </Badge>
                  )}
                  {!camera.enabled && (
                    <Badge size="xs" variant="light" color="red">
                      {t('cameras.list.disabled')}
                    </Badge>
                  )}
                </Group>
              </div>
              <Tooltip label={t('cameras.list.edit')}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('cameras.list.edit')}
                  onClick={(event) => {
                    event.stopPropagation();
                    setEditing(camera);
                  }}
                >
                  <IconPencil size={16} />
                </ActionIcon>
              </Tooltip>
            </div>
          ))}
        </ScrollArea>
        <AlarmInbox />
      </aside>
      <section className="wall">
        <Group className="wall-toolbar" justify="space-between" px="sm" py={6}>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('cameras.wall.layout')}
            </Text>
            <SegmentedControl
              size="xs"
              value={layoutKey(layout)}
              onChange={(value) => {
                if (value === 'grid') return;
                if (value in FOCUS_LAYOUTS) setSize({ kind: 'focus', name: value as keyof typeof FOCUS_LAYOUTS });
                else setSize(Number(value) as WallLayoutSize);
              }}
              data={[
                ...WALL_LAYOUTS.map((size) => ({ value: String(size), label: String(size) })),
                ...Object.keys(FOCUS_LAYOUTS).map((name) => ({ value: name, label: name })),
                ...(gridShape ? [{ value: 'grid', label: `${gridShape.rows}×${gridShape.cols}` }] : []),
              ]}
              data-testid="wall-layout"
            />
            <GridChooser current={gridShape} onPick={(rows, cols) => setSize({ kind: 'grid', rows, cols })} />
          </Group>
          {single !== null && layout && (
            <Button size="compact-sm" variant="light" leftSection={<IconArrowsMinimize size={14} />} onClick={() => setSingle(null)} data-testid="wall-exit-single">
              {t('cameras.wall.exitSingle', { size: layout.size })}
            </Button>
          )}
        </Group>
        <div
          className="wall-grid"
          style={{ gridTemplateColumns: `repeat(${geometry.cols}, 1fr)`, gridTemplateRows: `repeat(${geometry.rows}, 1fr)` }}
          data-testid="wall-grid"
          data-size={shown.length}
          data-layout={isSingle ? 'single' : layoutKey(layout) === 'grid' ? `${geometry.rows}x${geometry.cols}` : layoutKey(layout)}
        >
          {shown.map((index) => (
            <VideoTile
              key={index}
              index={index}
              span={index === 0 && !isSingle ? geometry.span : 1}
              active={active}
              camera={tiles[index] ? (byId.get(tiles[index]!) ?? null) : null}
              endpoint={endpoint}
              selected={selected === index}
              onSelect={(i) => setSelected((s) => (s === i ? null : i))}
              onDropCamera={assign}
              onClear={(i) => assign(i, null)}
              onToggleSingle={(i) => setSingle((s) => (s === null ? i : null))}
              onSnapshot={(camera, tileFrame) => setSnapshot({ camera, tileFrame })}
            />
          ))}
        </div>
      </section>
      <AddCameraModal opened={adding} onClose={() => setAdding(false)} />
      <EditCameraModal camera={editing} onClose={() => setEditing(null)} />
      <SnapshotModal request={snapshot} onClose={() => setSnapshot(null)} />
    </div>
  );
}

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const hhmmss = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Online (green), offline (red) or not known yet (grey), with since when and the latest alarm. */
function HealthDot({ health, enabled }: { health: CameraHealth | undefined; enabled: boolean }) {
  const { t } = useTranslation();
  const online = enabled ? (health?.online ?? null) : null;
  const parts = [
    !enabled
      ? t('cameras.list.disabled')
      : online === null
        ? t('cameras.health.unknown')
        : t(online ? 'cameras.health.online' : 'cameras.health.offline', { time: health?.since ? hhmm(health.since) : '—' }),
  ];
  if (enabled && health?.device === 'unreachable' && online) parts.push(t('cameras.health.deviceSilentStreaming'));
  if (health?.lastFrameAt) parts.push(t('cameras.health.lastFrame', { time: hhmmss(health.lastFrameAt) }));
  if (health?.lastAlarmAt) parts.push(t('cameras.health.lastAlarm', { time: hhmm(health.lastAlarmAt) }));
  const label = parts.join(' · ');
  return (
    <Tooltip label={label}>
      <span
        className={`health-dot health-dot--${online === null ? 'unknown' : online ? 'online' : 'offline'}`}
        data-testid="camera-health"
        data-online={online === null ? '' : String(online)}
        aria-label={label}
        role="img"
      />
    </Tooltip>
  );
}

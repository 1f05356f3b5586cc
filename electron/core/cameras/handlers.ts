import { ALARM_COOLDOWN_MS, ATTACHMENT_MAX_BYTES, ContractError, sniffImage, type AttachmentMime, WallLayout, alarmKindOf, isArmed, type Alarm, type AlarmKind, type CameraFields, type cameraCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { CameraStore, type CameraRecord } from './camera-store';
import { bundledFfmpegPath } from './ffmpeg-path';
import { AlarmStore } from './alarm-store';
import { AlarmWatcher } from './alarm-watcher';
import { discover } from './discovery';
import { CameraConnectError, deviceServiceUrl, type CameraAddress, type CameraConnection, type CameraDriver } from './driver';
import { DEMO_CAMERAS, DEMO_PASSWORD, DEMO_USERNAME, demoCameraRow, startDemoSimulator } from './demo-cameras';
import { OnvifDriver } from './onvif-driver';
import { VideoRelay, parseTestPattern, redact, type StreamSource } from './relay/relay';
import { startVideoServer, type VideoServer } from './relay/video-server';
import { grabFrame } from './relay/frame-grab';
import type { ChildProcess } from 'node:child_process';
import { fileKeySecretBox, type SecretBox } from './secret-box';
import { fetchSnapshot } from './snapshot-fetch';
import type { OnvifSimulator } from './simulator/onvif-simulator';

export interface CameraModuleOptions {
  secretBox?: SecretBox;
  driver?: CameraDriver;
  /** ffmpeg to run; defaults to the binary inside @ffmpeg-installer/ffmpeg. */
  ffmpegPath?: string;
}

/** The messages the renderer translates (see renderer/src/features/cameras/strings.ts). */
export const CAMERA_MESSAGES = {
  unreachable: 'camera unreachable',
  unauthorized: 'wrong user name or password',
  not_onvif: 'not an ONVIF camera',
  duplicate: 'camera already registered',
  badUrl: 'not a valid ONVIF address',
  unknownCamera: 'unknown camera',
  noPtz: 'camera has no PTZ',
  cameraOffline: 'camera did not answer',
  unknownAlarm: 'unknown alarm',
  alarmHandled: 'alarm already handled',
  badImage: 'not a JPEG or PNG picture',
  imageTooLarge: 'picture too large',
} as const;

const DEFAULT_WALL: WallLayout = { size: 4, tiles: [] };

/** `2026-06-01 10:00:05` in China Standard Time (UTC+8, no daylight saving), whatever the host's zone. */
const chinaTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

/** Incident titles are data in the console's language (Chinese), like the rest of the record. */
const ALARM_TITLES: Record<AlarmKind, string> = {
  motion: '移动侦测告警',
  line_crossing: '越线告警',
  intrusion: '区域入侵告警',
  tamper: '视频遮挡告警',
};

function connectError(error: unknown): ContractError {
  if (error instanceof CameraConnectError) {
    const path = error.reason === 'unauthorized' ? 'password' : 'url';
    return ContractError.validation(`cannot add camera: ${error.reason}`, [{ path, message: CAMERA_MESSAGES[error.reason] }]);
  }
  throw error;
}

export function camerasModule(ctx: CoreContext, options: CameraModuleOptions = {}): CoreModule<keyof typeof cameraCommands> & { ready: Promise<void> } {
  const secrets = options.secretBox ?? fileKeySecretBox(ctx.options.dataDir);
  const driver = options.driver ?? new OnvifDriver();
  const store = new CameraStore(ctx.db, secrets, ctx.now);
  // The demo's cameras are rows of the demo seed's one transaction (system/handlers.ts seedDemo).
  ctx.demoParts.push(() => {
    const present = new Set(store.list().filter((r) => r.demo).map((r) => r.camera.device.serialNumber));
    for (const camera of DEMO_CAMERAS) {
      if (present.has(camera.serial)) continue;
      const location = { lon: camera.lon, lat: camera.lat };
      store.insert({
        ...demoCameraRow(camera),
        fields: {
          name: camera.name,
          location,
          heading: camera.heading,
          fieldOfView: 60,
          grid: ctx.grids.resolve(location, null, 'fields.grid'),
          tags: camera.tags,
          enabled: true,
          armed: true,
          armSchedule: null,
        },
      });
    }
  });
  const ffmpegPath = options.ffmpegPath ?? bundledFfmpegPath();
  /** When a camera's video last reached the relay (any stream of it; only while someone watches). */
  const lastFrameAt = new Map<string, number>();
  const relay = new VideoRelay({ ffmpegPath, onFrame: (key) => lastFrameAt.set(key.slice(0, key.indexOf(':')), ctx.now()) });
  /** Frame grabs in flight (alarm snapshots): ended on close like the relay's. */
  const grabs = new Set<ChildProcess>();
  const simulators: OnvifSimulator[] = [];
  let videoServer: Promise<VideoServer> | null = null;
  let closed = false;

  /** One authenticated connection per camera, made on first use and dropped when a call fails. */
  const connections = new Map<string, Promise<CameraConnection>>();
  const connectionFor = (id: string): Promise<CameraConnection> => {
    let connection = connections.get(id);
    if (!connection) {
      const record = requireCamera(id);
      connection = driver.connect({ url: record.camera.url, username: record.camera.username, password: store.password(id) });
      connections.set(id, connection);
    }
    return connection;
  };
  /** Runs a PTZ call on the camera's main profile; a camera that does not answer is a conflict the operator can see. */
  const ptz = async <T>(id: string, work: (connection: CameraConnection, profileToken: string) => Promise<T>): Promise<T> => {
    const record = requireCamera(id);
    if (!record.camera.hasPtz) throw ContractError.conflict(CAMERA_MESSAGES.noPtz);
    const profileToken = record.profiles[0]?.token ?? '';
    try {
      return await work(await connectionFor(id), profileToken);
    } catch (error) {
      connections.delete(id);
      if (error instanceof ContractError) throw error;
      throw ContractError.conflict(CAMERA_MESSAGES.cameraOffline);
    }
  };

  const changed = (reason: 'added' | 'updated' | 'removed' | 'demo') => {
    syncWatchers();
    ctx.bus.emit('cameras.changed', { reason });
  };

  // Alarms: one PullPoint watcher per enabled camera; events grouped into bursts per camera and kind.
  const alarms = new AlarmStore(ctx.db, ALARM_COOLDOWN_MS);
  const watchers = new Map<string, AlarmWatcher>();
  /** Health is what this run has seen (not stored): online since / offline since, latest alarm. */
  const health = new Map<string, { online: boolean | null; since: number | null; lastAlarmAt: number | null }>();
  const healthOf = (id: string) => health.get(id) ?? { online: null, since: null, lastAlarmAt: null };
  const setHealth = (id: string, change: Partial<{ online: boolean; lastAlarmAt: number }>) => {
    const current = healthOf(id);
    const next = { ...current, ...change };
    if (change.online !== undefined && change.online !== current.online) next.since = ctx.now();
    else if (change.lastAlarmAt === undefined) return; // nothing new
    health.set(id, next);
    ctx.bus.emit('cameras.health', { cameraId: id });
  };
  const onCameraEvent = (cameraId: string, at: number, kind: AlarmKind) => {
    const record = closed ? null : store.get(cameraId);
    // Disarmed, or outside its weekly schedule: the event is not an alarm.
    if (!record || !isArmed(record.camera.armed, record.camera.armSchedule, ctx.now())) return;
    const { alarm, isNew } = alarms.record(cameraId, kind, Math.min(at, ctx.now()));
    setHealth(cameraId, { lastAlarmAt: alarm.lastAt });
    ctx.bus.emit('alarms.changed', { alarmId: alarm.id, sound: isNew });
  };
  const syncWatchers = () => {
    if (closed) return;
    const wanted = new Map(store.list().filter((r) => r.camera.enabled).map((r) => [r.camera.id, r] as const));
    for (const [id, watcher] of watchers) {
      if (!wanted.has(id)) {
        watcher.stop();
        watchers.delete(id);
        health.delete(id); // disabled or removed: no longer watched
      }
    }
    for (const [id, record] of wanted) {
      if (watchers.has(id)) continue;
      watchers.set(
        id,
        new AlarmWatcher(
          driver,
          () => addressOf(record, id),
          (event) => {
            const kind = alarmKindOf(event.topic, event.data);
            if (kind) onCameraEvent(id, event.at, kind);
          },
          (online) => !closed && store.get(id) && setHealth(id, { online }),
        ),
      );
    }
  };
  const addressOf = (record: CameraRecord, id: string): CameraAddress => {
    const current = store.get(id) ?? record; // demo cameras move to a new port each run
    return { url: current.camera.url, username: current.camera.username, password: store.password(id) };
  };
  /** A camera picture on the incident, through the one attachment store (file by SHA-256, hash on the timeline). */
  const attachPicture = (incidentId: string, picture: Buffer, cameraName: string, actor: string) => {
    const mime = sniffImage(picture);
    if (!mime) throw ContractError.validation('not a picture', [{ path: 'image', message: CAMERA_MESSAGES.badImage }]);
    if (picture.length > ATTACHMENT_MAX_BYTES) throw ContractError.validation('picture too large', [{ path: 'image', message: CAMERA_MESSAGES.imageTooLarge }]);
    return ctx.attachments.add(incidentId, `${cameraName} ${chinaTime(ctx.now())}`, mime, picture, actor, ctx.now()).change;
  };
  /** The category a camera's incidents get unless the operator says otherwise. */
  const categoryFor = (camera: { tags: string[] }) => (camera.tags.includes('双防') ? 'illegal_landing' : 'public_security');

  /**
   * The camera's own picture, kept by SHA-256: its ONVIF snapshot URI (full resolution, decoded by
   * nobody) where it has one and it answers with a picture; else one frame of the main stream.
   */
  const takeCameraPicture = async (cameraId: string): Promise<{ data: Buffer; mime: AttachmentMime; source: 'camera' | 'stream' }> => {
    const record = requireCamera(cameraId);
    const profile = record.profiles[0];
    if (!profile) throw new Error(`camera ${record.camera.name} has no video profile`);
    if (profile.snapshotUri && !record.demo) {
      try {
        // A picture over the attachment limit is not usable: a frame of the stream is.
        const data = await fetchSnapshot(profile.snapshotUri, record.camera.username, store.password(cameraId), ATTACHMENT_MAX_BYTES);
        const mime = sniffImage(data);
        if (mime) return { data, mime, source: 'camera' };
      } catch (error) {
        if (!closed) console.warn(`[video] snapshot URI of ${record.camera.name} failed, grabbing a frame: ${redact(error instanceof Error ? error.message : String(error))}`);
      }
    }
    const jpeg = await grabFrame(ffmpegPath, sourceFor(cameraId, profile.token), grabs);
    return { data: jpeg, mime: 'image/jpeg', source: 'stream' };
  };

  /**
   * The alarm's picture (the camera's snapshot, or a frame of its main stream), attached once it
   * is in (a second or so), so the one click that makes the incident does not wait for the camera.
   */
  const attachCameraFrame = (cameraId: string, incidentId: string, actor: string) => {
    const record = store.get(cameraId);
    if (!record || !record.profiles[0]) return;
    Promise.resolve()
      .then(() => takeCameraPicture(cameraId))
      .then((picture) => {
        if (closed) return;
        ctx.publish(attachPicture(incidentId, picture.data, record.camera.name, actor));
      })
      .catch((error: unknown) => {
        if (!closed) console.warn(`[video] no picture for the alarm of ${record.camera.name}: ${error instanceof Error ? error.message : String(error)}`);
      });
  };

  const requireAlarm = (id: string): Alarm => {
    const alarm = alarms.get(id);
    if (!alarm) throw ContractError.notFound(CAMERA_MESSAGES.unknownAlarm);
    return alarm;
  };
  const handled = (alarm: Alarm | null): Alarm => {
    if (!alarm) throw ContractError.conflict(CAMERA_MESSAGES.alarmHandled);
    ctx.bus.emit('alarms.changed', { alarmId: alarm.id, sound: false });
    return alarm;
  };

  const requireCamera = (id: string) => {
    const record = store.get(id);
    if (!record) throw ContractError.notFound(CAMERA_MESSAGES.unknownCamera);
    return record;
  };

  const sourceFor = (cameraId: string, profileToken: string, transcode = false): StreamSource => {
    const record = requireCamera(cameraId);
    const profile = record.profiles.find((p) => p.token === profileToken);
    if (!profile) throw new Error(`camera ${cameraId} has no profile ${profileToken}`);
    const pattern = record.demo ? parseTestPattern(profile.streamUri) : null;
    if (pattern) return pattern;
    return { kind: 'rtsp', url: profile.streamUri, username: record.camera.username, password: store.password(cameraId), transcode };
  };

  const register = async (address: CameraAddress, fields: Partial<CameraFields>, demo = false) => {
    let url: string;
    try {
      url = deviceServiceUrl(address.url).toString();
    } catch {
      throw ContractError.validation('cannot add camera: bad address', [{ path: 'url', message: CAMERA_MESSAGES.badUrl }]);
    }
    if (store.findByUrl(url)) throw ContractError.conflict(CAMERA_MESSAGES.duplicate);
    let connection;
    try {
      connection = await driver.connect({ ...address, url });
    } catch (error) {
      throw connectError(error);
    }
    const [device, profiles] = await Promise.all([connection.deviceInformation(), connection.profiles()]).catch((error: unknown) => {
      throw connectError(error instanceof CameraConnectError ? error : new CameraConnectError('not_onvif', String(error)));
    });
    if (closed) throw new Error('core closed');
    if (store.findByUrl(url)) throw ContractError.conflict(CAMERA_MESSAGES.duplicate); // added meanwhile by another window
    return store.insert({
      url,
      username: address.username,
      password: address.password,
      device,
      profiles,
      hasPtz: connection.hasPtz,
      clockOffsetMs: connection.clockOffsetMs,
      demo,
      fields: {
        name: fields.name || [device.manufacturer, device.model].filter(Boolean).join(' ') || new URL(url).host,
        location: fields.location ?? null,
        heading: fields.heading ?? null,
        fieldOfView: fields.fieldOfView ?? null,
        grid: ctx.grids.resolve(fields.location ?? null, fields.grid ?? null, 'fields.grid'),
        tags: fields.tags ?? [],
        enabled: fields.enabled ?? true,
        armed: fields.armed ?? true,
        armSchedule: fields.armSchedule ?? null,
      },
    });
  };

  /** Demo cameras: start their simulators (new ports each run) and register any that are missing. */
  const startDemoCameras = async (seed: boolean) => {
    const existing = store.list().filter((r) => r.demo);
    if (!seed && existing.length === 0) return;
    for (const camera of DEMO_CAMERAS) {
      if (closed) return;
      const sim = await startDemoSimulator(camera);
      simulators.push(sim);
      if (closed) return void sim.close();
      const record = existing.find((r) => r.camera.device.serialNumber === camera.serial);
      if (record) store.moveDemo(record.camera.id, sim.xaddr);
      else if (seed)
        await register({ url: sim.xaddr, username: DEMO_USERNAME, password: DEMO_PASSWORD }, {
          name: camera.name,
          location: { lon: camera.lon, lat: camera.lat },
          heading: camera.heading,
          fieldOfView: 60,
          tags: camera.tags,
        }, true);
    }
    if (!closed) changed('demo');
  };

  const logDemoFailure = (error: unknown) => {
    if (!closed) console.error('demo cameras failed to start', error);
  };
  const ready = startDemoCameras(false)
    .catch(logDemoFailure)
    .then(() => syncWatchers());
  const offBus = ctx.bus.on((name, payload) => {
    if (name === 'incidents.reloaded' && (payload as { reason?: string }).reason === 'demo') {
      void ready.then(() => startDemoCameras(!store.list().some((r) => r.demo))).catch(logDemoFailure);
    }
  });

  return {
    ready,
    handlers: {
      'cameras.list': () => ({ cameras: store.list().map((r) => r.camera) }),
      'cameras.add': async ({ url, username, password, fields }) => {
        const record = await register({ url, username, password }, fields);
        changed('added');
        return record.camera;
      },
      'cameras.update': ({ id, fields }) => {
        const current = requireCamera(id).camera;
        if (fields.location !== undefined || fields.grid !== undefined) {
          // A camera's grid follows its location, like an incident's.
          const location = fields.location !== undefined ? fields.location : current.location;
          fields = { ...fields, grid: ctx.grids.resolve(location, fields.grid !== undefined ? fields.grid : current.grid, 'fields.grid') };
        }
        const record = store.update(id, fields)!;
        if (!record.camera.enabled) relay.stopMatching(`${id}:`);
        changed('updated');
        return record.camera;
      },
      'cameras.remove': ({ id }) => {
        if (!store.remove(id)) throw ContractError.notFound(CAMERA_MESSAGES.unknownCamera);
        connections.delete(id);
        relay.stopMatching(`${id}:`);
        changed('removed');
        return {};
      },
      'cameras.health': () => ({
        health: store.list().map((r) => ({ cameraId: r.camera.id, ...healthOf(r.camera.id), lastFrameAt: lastFrameAt.get(r.camera.id) ?? null })),
      }),
      'cameras.discover': async (input) => {
        const found = await discover(input);
        return {
          devices: found.map((match) => {
            let known = null;
            try {
              known = store.findByUrl(deviceServiceUrl(match.url).toString());
            } catch {
              known = null;
            }
            return { ...match, cameraId: known?.camera.id ?? null };
          }),
        };
      },
      'video.endpoint': async () => {
        videoServer ??= startVideoServer(relay, sourceFor, (cameraId, profile) => {
          const record = store.get(cameraId);
          return Boolean(record?.camera.enabled && record.profiles.some((p) => p.token === profile));
        });
        return { url: (await videoServer).url };
      },
      'ptz.move': async ({ cameraId, pan, tilt, zoom }) => {
        await ptz(cameraId, (c, token) => c.continuousMove(token, { pan, tilt, zoom }));
        return {};
      },
      'ptz.stop': async ({ cameraId }) => {
        await ptz(cameraId, (c, token) => c.stop(token));
        return {};
      },
      'ptz.presets': async ({ cameraId }) => ({ presets: await ptz(cameraId, (c, token) => c.presets(token)) }),
      'ptz.gotoPreset': async ({ cameraId, preset }) => {
        await ptz(cameraId, (c, token) => c.gotoPreset(token, preset));
        return {};
      },
      'ptz.setPreset': async ({ cameraId, name }) => ({ token: await ptz(cameraId, (c, token) => c.setPreset(token, name)), name }),
      'ptz.home': async ({ cameraId }) => {
        await ptz(cameraId, (c, token) => c.gotoHome(token));
        return {};
      },
      'alarms.list': ({ includeHandled, limit }) => ({ alarms: alarms.list(includeHandled, limit) }),
      'alarms.acknowledge': ({ id }, { actor }) => {
        requireAlarm(id);
        return handled(alarms.handle(id, 'acknowledged', actor, ctx.now()));
      },
      'alarms.dismiss': ({ id, reason }, { actor }) => {
        requireAlarm(id);
        return handled(alarms.handle(id, 'dismissed', actor, ctx.now(), { reason }));
      },
      'alarms.toIncident': ({ id, category }, { actor }) => {
        const alarm = requireAlarm(id);
        if (alarm.status !== 'new') throw ContractError.conflict(CAMERA_MESSAGES.alarmHandled);
        const camera = requireCamera(alarm.cameraId).camera;
        const { incident, linked } = alarms.inTransaction(() => {
          const change = ctx.incidents.create(
            {
              // Cameras of the "double anti" line watch the coast: their alarms are landings by default.
              category: category ?? categoryFor(camera),
              title: `${camera.name} ${ALARM_TITLES[alarm.kind]}`,
              description:
                `摄像机告警：${camera.name}（${camera.device.manufacturer} ${camera.device.model}）` +
                `，${ALARM_TITLES[alarm.kind]} ${alarm.count} 次，` +
                `${chinaTime(alarm.firstAt)} 至 ${chinaTime(alarm.lastAt)}（北京时间）。`,
              location: camera.location,
              gridId: camera.grid,
              source: 'camera_alarm',
              priority: alarm.kind === 'motion' || alarm.kind === 'tamper' ? 3 : 2,
              reporter: camera.name,
              occurredAt: alarm.firstAt,
            },
            actor,
          );
          const linkedAlarm = alarms.handle(id, 'incident', actor, ctx.now(), { incidentId: change.incident.id });
          if (!linkedAlarm) throw ContractError.conflict(CAMERA_MESSAGES.alarmHandled);
          return { incident: ctx.publish(change), linked: linkedAlarm };
        });
        attachCameraFrame(camera.id, incident.id, actor);
        return { alarm: handled(linked), incident };
      },
      'cameras.snapshot': async ({ cameraId }) => {
        requireCamera(cameraId);
        try {
          const { data, mime, source } = await takeCameraPicture(cameraId);
          return { mime, dataBase64: data.toString('base64'), source };
        } catch (error) {
          if (error instanceof ContractError) throw error;
          throw ContractError.conflict(CAMERA_MESSAGES.cameraOffline);
        }
      },
      'cameras.snapshotToIncident': ({ cameraId, image, incidentId }, { actor }) => {
        const camera = requireCamera(cameraId).camera;
        const data = Buffer.from(image, 'base64');
        // Refused before anything is written: a bad picture or an unknown incident makes no incident either.
        if (!sniffImage(data)) throw ContractError.validation('not a picture', [{ path: 'image', message: CAMERA_MESSAGES.badImage }]);
        if (data.length > ATTACHMENT_MAX_BYTES) throw ContractError.validation('picture too large', [{ path: 'image', message: CAMERA_MESSAGES.imageTooLarge }]);
        if (incidentId) ctx.incidents.get(incidentId);
        const { created, attached } = alarms.inTransaction(() => {
          const made = incidentId
            ? null
            : ctx.incidents.create(
                {
                  category: categoryFor(camera),
                  title: `${camera.name} 视频截图`,
                  description: `值班员从视频墙截取 ${camera.name} 的画面（${chinaTime(ctx.now())}，北京时间）。`,
                  location: camera.location,
                  gridId: camera.grid,
                  source: 'camera_alarm',
                  priority: 3,
                  reporter: camera.name,
                  occurredAt: ctx.now(),
                },
                actor,
              );
          return { created: made, attached: attachPicture(incidentId ?? made!.incident.id, data, camera.name, actor) };
        });
        // Both changes reach the windows: the lists learn of the new incident, the detail of the picture.
        if (created) ctx.publish(created);
        return ctx.publish(attached);
      },
      'wall.get': ({ window }) => {
        const raw = ctx.settings.get(`wall.${window}`);
        const parsed = raw ? WallLayout.safeParse(JSON.parse(raw)) : null;
        const layout = parsed?.success ? parsed.data : DEFAULT_WALL;
        // A camera removed since the layout was saved leaves its tile empty.
        return { ...layout, tiles: layout.tiles.map((id) => (id && store.get(id) ? id : null)) };
      },
      'wall.save': ({ window, layout }) => {
        const issues = layout.tiles.flatMap((id, i) => (id && !store.get(id) ? [{ path: `layout.tiles.${i}`, message: CAMERA_MESSAGES.unknownCamera }] : []));
        if (issues.length) throw ContractError.validation('wall refers to unknown cameras', issues);
        ctx.settings.set(`wall.${window}`, JSON.stringify(layout));
        return layout;
      },
    },
    close() {
      closed = true;
      offBus();
      for (const watcher of watchers.values()) watcher.stop();
      for (const child of grabs) child.kill('SIGKILL');
      relay.close();
      void videoServer?.then((server) => server.close());
      for (const sim of simulators) void sim.close();
    },
  };
}

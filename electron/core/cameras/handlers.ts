/**
 * The cameras domain: named services (registry, PTZ, alarms, health, snapshots, walls, video) and
 * the handler table that maps each command onto one of them.
 */
import type { cameraCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { AlarmService } from './alarm-service';
import { discover } from './discovery';
import { DEMO_CAMERAS, demoCameraRow } from './demo-cameras';
import { deviceServiceUrl, type CameraDriver } from './driver';
import { bundledFfmpegPath } from './ffmpeg-path';
import { HealthService } from './health-service';
import { OnvifDriver } from './onvif-driver';
import { PtzService } from './ptz-service';
import { CameraScheduler } from './scheduler';
import { RequestGate } from './soap-transport';
import { CameraRegistry } from './registry';
import { fileKeySecretBox, type SecretBox } from './secret-box';
import { SnapshotService } from './snapshot-service';
import { VideoService } from './video-service';
import { WallService } from './wall-service';

export interface CameraModuleOptions {
  secretBox?: SecretBox;
  driver?: CameraDriver;
  /** ffmpeg to run; defaults to the binary inside @ffmpeg-installer/ffmpeg. */
  ffmpegPath?: string;
  /** Most SOAP exchanges (sockets to cameras) in flight at once, over all cameras. */
  soapLimit?: number;
}

/** 64 sockets: a town's 16–64 cameras each keep a long poll open; 1,000 take turns (see README). */
const SOAP_LIMIT = 64;

export function camerasModule(ctx: CoreContext, options: CameraModuleOptions = {}): CoreModule<keyof typeof cameraCommands> & { ready: Promise<void> } {
  const ffmpegPath = options.ffmpegPath ?? bundledFfmpegPath();
  const gate = new RequestGate(options.soapLimit ?? SOAP_LIMIT);
  const registry = new CameraRegistry(ctx, options.driver ?? new OnvifDriver({ gate }), options.secretBox ?? fileKeySecretBox(ctx.options.dataDir));
  const scheduler = new CameraScheduler();
  const video = new VideoService(ctx, registry, ffmpegPath);
  const snapshots = new SnapshotService(ctx, registry, ffmpegPath);
  const ptz = new PtzService(registry);
  const walls = new WallService(ctx, registry);
  const alarms = new AlarmService(ctx, registry, snapshots, (cameraId, at) => health.alarmRaised(cameraId, at));
  const health = new HealthService(ctx, registry, scheduler, (cameraId, at, kind) => alarms.onCameraEvent(cameraId, at, kind), video.lastFrameAt);
  registry.onChange(() => health.sync());
  // The demo's cameras are rows of the demo seed's one transaction (system/handlers.ts seedDemo).
  ctx.demoParts.push(() => {
    const present = new Set(registry.store.list().filter((r) => r.demo).map((r) => r.camera.device.serialNumber));
    for (const camera of DEMO_CAMERAS) {
      if (present.has(camera.serial)) continue;
      const location = { lon: camera.lon, lat: camera.lat };
      registry.store.insert({
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
          allowBasicOverHttp: false,
        },
      });
    }
  });

  const logDemoFailure = (error: unknown) => {
    if (!registry.isClosed) ctx.log.error('demo cameras failed to start', { domain: 'cameras', err: error });
  };
  const ready = registry
    .startDemoCameras(false)
    .catch(logDemoFailure)
    .then(() => health.sync());
  const offBus = ctx.bus.on((name, payload) => {
    if (name === 'incidents.reloaded' && (payload as { reason?: string }).reason === 'demo') {
      void ready.then(() => registry.startDemoCameras(!registry.store.list().some((r) => r.demo))).catch(logDemoFailure);
    }
  });

  return {
    ready,
    handlers: {
      'cameras.list': () => ({ cameras: registry.store.list().map((r) => r.camera) }),
      'cameras.add': async ({ url, username, password, fields }) => {
        const record = await registry.register({ url, username, password }, fields);
        registry.changed('added');
        return record.camera;
      },
      'cameras.update': ({ id, fields }) => {
        const record = registry.update(id, fields);
        if (!record.camera.enabled) video.stopCamera(id);
        registry.changed('updated');
        return record.camera;
      },
      'cameras.remove': ({ id }) => {
        registry.remove(id);
        video.stopCamera(id);
        registry.changed('removed');
        return {};
      },
      'cameras.health': () => ({ health: health.list() }),
      'cameras.discover': async (input) => ({
        devices: (await discover(input)).map((match) => {
          let known = null;
          try {
            known = registry.store.findByUrl(deviceServiceUrl(match.url).toString());
          } catch {
            known = null;
          }
          return { ...match, cameraId: known?.camera.id ?? null };
        }),
      }),
      'video.endpoint': () => video.endpoint(),
      'ptz.move': async ({ cameraId, pan, tilt, zoom }) => (await ptz.move(cameraId, { pan, tilt, zoom }), {}),
      'ptz.stop': async ({ cameraId }) => (await ptz.stop(cameraId), {}),
      'ptz.presets': async ({ cameraId }) => ({ presets: await ptz.presets(cameraId) }),
      'ptz.gotoPreset': async ({ cameraId, preset }) => (await ptz.gotoPreset(cameraId, preset), {}),
      'ptz.setPreset': async ({ cameraId, name }) => ({ token: await ptz.setPreset(cameraId, name), name }),
      'ptz.home': async ({ cameraId }) => (await ptz.home(cameraId), {}),
      'alarms.list': ({ includeHandled, limit }) => ({ alarms: alarms.list(includeHandled, limit) }),
      'alarms.acknowledge': ({ id }, { actor }) => alarms.acknowledge(id, actor),
      'alarms.dismiss': ({ id, reason }, { actor }) => alarms.dismiss(id, reason, actor),
      'alarms.toIncident': ({ id, category }, { actor }) => alarms.toIncident(id, category, actor),
      'cameras.snapshot': async ({ cameraId }) => {
        const { data, mime, source, refused } = await snapshots.snapshot(cameraId);
        return { mime, dataBase64: data.toString('base64'), source, ...(refused ? { refused } : {}) };
      },
      'cameras.snapshotToIncident': ({ cameraId, image, incidentId }, { actor }) =>
        snapshots.toIncident(registry.require(cameraId).camera, image, incidentId, actor, (work) => alarms.store.inTransaction(work)),
      'wall.get': ({ window }) => walls.get(window),
      'wall.save': ({ window, layout }) => walls.save(window, layout),
    },
    close() {
      offBus();
      registry.close();
      alarms.close();
      scheduler.close();
      health.close();
      snapshots.close();
      video.close();
    },
  };
}

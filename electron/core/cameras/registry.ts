/**
 * The camera registry: what is registered (CameraStore), how to reach each camera (one
 * authenticated connection per camera, made on first use), adding a camera over ONVIF, and the
 * demo's simulated cameras. Every other camera service asks it for records and connections.
 */
import type { CameraFields } from '@shared';
import type { CoreContext } from '../context';
import { CameraStore, type CameraRecord } from './camera-store';
import { CameraConnectError, deviceServiceUrl, type CameraAddress, type CameraConnection, type CameraDriver } from './driver';
import { DEMO_CAMERAS, DEMO_PASSWORD, DEMO_USERNAME, startDemoSimulator } from './demo-cameras';
import { cameraErrors, connectError } from './errors';
import { parseTestPattern, type StreamSource } from './relay/relay';
import type { SecretBox } from './secret-box';
import type { OnvifSimulator } from './simulator/onvif-simulator';

export type ChangeReason = 'added' | 'updated' | 'removed' | 'demo';

export class CameraRegistry {
  readonly store: CameraStore;
  private readonly connections = new Map<string, Promise<CameraConnection>>();
  private readonly simulators: OnvifSimulator[] = [];
  private readonly listeners: Array<(reason: ChangeReason) => void> = [];
  private closed = false;

  constructor(
    private readonly ctx: CoreContext,
    readonly driver: CameraDriver,
    secrets: SecretBox,
  ) {
    this.store = new CameraStore(ctx.db, secrets, ctx.now);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Services that follow the registry (event subscriptions, health) hear of every change first. */
  onChange(listener: (reason: ChangeReason) => void): void {
    this.listeners.push(listener);
  }

  changed(reason: ChangeReason): void {
    if (this.closed) return;
    for (const listener of this.listeners) listener(reason);
    this.ctx.bus.emit('cameras.changed', { reason });
  }

  require(id: string): CameraRecord {
    const record = this.store.get(id);
    if (!record) throw cameraErrors.unknownCamera();
    return record;
  }

  /** How to reach the camera now (demo cameras move to a new port each run). */
  address(id: string): CameraAddress {
    const record = this.require(id);
    return { url: record.camera.url, username: record.camera.username, password: this.store.password(id) };
  }

  /** One authenticated connection per camera, made on first use; `drop` it when a call fails. */
  connection(id: string): Promise<CameraConnection> {
    let connection = this.connections.get(id);
    if (!connection) {
      connection = this.driver.connect(this.address(id));
      connection.catch(() => this.connections.delete(id));
      this.connections.set(id, connection);
    }
    return connection;
  }

  dropConnection(id: string): void {
    this.connections.delete(id);
  }

  /** The relay's source for one of the camera's profiles (demo cameras: a drawn test pattern). */
  source(cameraId: string, profileToken: string, transcode = false): StreamSource {
    const record = this.require(cameraId);
    const profile = record.profiles.find((p) => p.token === profileToken);
    if (!profile) throw new Error(`camera ${cameraId} has no profile ${profileToken}`);
    const pattern = record.demo ? parseTestPattern(profile.streamUri) : null;
    if (pattern) return pattern;
    return { kind: 'rtsp', url: profile.streamUri, username: record.camera.username, password: this.store.password(cameraId), transcode };
  }

  /** Connects over ONVIF, reads device and profiles, and registers the camera. */
  async register(address: CameraAddress, fields: Partial<CameraFields>, demo = false): Promise<CameraRecord> {
    let url: string;
    try {
      url = deviceServiceUrl(address.url).toString();
    } catch {
      throw cameraErrors.badUrl();
    }
    if (this.store.findByUrl(url)) throw cameraErrors.duplicate();
    let connection;
    try {
      connection = await this.driver.connect({ ...address, url });
    } catch (error) {
      throw connectError(error);
    }
    const [device, profiles] = await Promise.all([connection.deviceInformation(), connection.profiles()]).catch((error: unknown) => {
      throw connectError(error instanceof CameraConnectError ? error : new CameraConnectError('not_onvif', String(error)));
    });
    if (this.closed) throw new Error('core closed');
    if (this.store.findByUrl(url)) throw cameraErrors.duplicate(); // added meanwhile by another window
    return this.store.insert({
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
        grid: this.ctx.grids.resolve(fields.location ?? null, fields.grid ?? null, 'fields.grid'),
        tags: fields.tags ?? [],
        enabled: fields.enabled ?? true,
        armed: fields.armed ?? true,
        armSchedule: fields.armSchedule ?? null,
        allowBasicOverHttp: fields.allowBasicOverHttp ?? false,
      },
    });
  }

  update(id: string, fields: Partial<CameraFields>): CameraRecord {
    const current = this.require(id).camera;
    if (fields.location !== undefined || fields.grid !== undefined) {
      // A camera's grid follows its location, like an incident's.
      const location = fields.location !== undefined ? fields.location : current.location;
      fields = { ...fields, grid: this.ctx.grids.resolve(location, fields.grid !== undefined ? fields.grid : current.grid, 'fields.grid') };
    }
    return this.store.update(id, fields)!;
  }

  remove(id: string): void {
    if (!this.store.remove(id)) throw cameraErrors.unknownCamera();
    this.connections.delete(id);
  }

  /** Demo cameras: start their simulators (new ports each run) and register any that are missing. */
  async startDemoCameras(seed: boolean): Promise<void> {
    const existing = this.store.list().filter((r) => r.demo);
    if (!seed && existing.length === 0) return;
    for (const camera of DEMO_CAMERAS) {
      if (this.closed) return;
      const sim = await startDemoSimulator(camera);
      this.simulators.push(sim);
      if (this.closed) return void sim.close();
      const record = existing.find((r) => r.camera.device.serialNumber === camera.serial);
      if (record) this.store.moveDemo(record.camera.id, sim.xaddr);
      else if (seed)
        await this.register(
          { url: sim.xaddr, username: DEMO_USERNAME, password: DEMO_PASSWORD },
          { name: camera.name, location: { lon: camera.lon, lat: camera.lat }, heading: camera.heading, fieldOfView: 60, tags: camera.tags },
          true,
        );
    }
    this.changed('demo');
  }

  close(): void {
    this.closed = true;
    for (const sim of this.simulators) void sim.close();
  }
}

/**
 * `CameraDriver` over the maintained `onvif` package (agsh). It learns the camera's clock offset
 * first (unauthenticated GetSystemDateAndTime) and signs WS-UsernameToken with it, answers HTTP
 * digest challenges on every SOAP call, and has PullPoint subscriptions — the three things the
 * older `node-onvif` lacks (see README, "Camera driver").
 */
import crypto from 'node:crypto';
import onvif from 'onvif';
import type { Cam as CamType, CamProfile } from 'onvif';
import {
  CameraConnectError,
  deviceServiceUrl,
  type CameraAddress,
  type CameraConnection,
  type CameraDriver,
  type CameraEvent,
  type DeviceInformation,
  type MediaProfileInfo,
  type PtzPreset,
  type PtzVelocity,
  type PullPoint,
} from './driver';

const { Cam } = onvif;

/** A SOAP call should answer within this; PullMessages waits longer on purpose (its own timeout). */
const REQUEST_TIMEOUT_MS = 8_000;

type Loose = Record<string, unknown> & { $?: Record<string, unknown> };

const call = <T>(cam: CamType, fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => {
    fn.call(cam, (err, value) => (err ? reject(err) : resolve(value as T)));
  });

const asArray = <T>(value: T | T[] | undefined | null): T[] => (value == null ? [] : Array.isArray(value) ? value : [value]);
const str = (value: unknown): string => (value == null ? '' : typeof value === 'object' ? String((value as Loose)._ ?? '') : String(value));
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value) || 0);

function classify(error: unknown): CameraConnectError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ECONNRESET' || /timeout/i.test(message))
    return new CameraConnectError('unreachable', message);
  if (/not ?authori[sz]ed|401|authentication failed/i.test(message)) return new CameraConnectError('unauthorized', message);
  return new CameraConnectError('not_onvif', message);
}

function profileToken(profile: CamProfile): string {
  return str(profile.token ?? (profile as Loose).$?.token);
}

class OnvifConnection implements CameraConnection {
  constructor(
    private readonly cam: CamType,
    readonly clockOffsetMs: number,
  ) {}

  get hasPtz(): boolean {
    return Boolean(this.cam.uri && (this.cam.uri as Record<string, unknown>).ptz);
  }

  async deviceInformation(): Promise<DeviceInformation> {
    const info = await call<Loose>(this.cam, (cb) => this.cam.getDeviceInformation(cb as never));
    return {
      manufacturer: str(info.manufacturer),
      model: str(info.model),
      firmwareVersion: str(info.firmwareVersion),
      serialNumber: str(info.serialNumber),
    };
  }

  async profiles(): Promise<MediaProfileInfo[]> {
    const profiles = await call<CamProfile[]>(this.cam, (cb) => this.cam.getProfiles(cb as never));
    const out: MediaProfileInfo[] = [];
    for (const profile of asArray(profiles)) {
      const token = profileToken(profile);
      const encoder = (profile.videoEncoderConfiguration ?? {}) as Loose;
      if (!encoder.resolution) continue; // audio-only or metadata profile
      const resolution = encoder.resolution as Loose;
      const rate = (encoder.rateControl ?? {}) as Loose;
      const stream = await call<{ uri: string }>(this.cam, (cb) =>
        this.cam.getStreamUri({ protocol: 'RTSP', profileToken: token } as never, cb as never),
      );
      let snapshotUri: string | null = null;
      try {
        snapshotUri = (await call<{ uri: string }>(this.cam, (cb) => this.cam.getSnapshotUri({ profileToken: token }, cb as never))).uri;
      } catch {
        snapshotUri = null; // optional in Profile S
      }
      out.push({
        token,
        name: str(profile.name) || token,
        encoding: str(encoder.encoding) || 'H264',
        width: num(resolution.width),
        height: num(resolution.height),
        fps: num(rate.frameRateLimit),
        streamUri: str(stream.uri),
        snapshotUri,
      });
    }
    return out;
  }

  async continuousMove(token: string, velocity: PtzVelocity): Promise<void> {
    await call(this.cam, (cb) => this.cam.continuousMove({ profileToken: token, x: velocity.pan, y: velocity.tilt, zoom: velocity.zoom }, cb as never));
  }

  async stop(token: string): Promise<void> {
    try {
      await call(this.cam, (cb) => this.cam.stop({ profileToken: token, panTilt: true, zoom: true }, cb as never));
    } catch {
      // Some cameras lack Stop (or fault on it): a zero velocity stops them as well.
      await this.continuousMove(token, { pan: 0, tilt: 0, zoom: 0 });
    }
  }

  async presets(token: string): Promise<PtzPreset[]> {
    // name → the preset element (its token is the attribute `$.token`)
    const presets = await call<Record<string, Loose>>(this.cam, (cb) => this.cam.getPresets({ profileToken: token }, cb as never));
    return Object.entries(presets ?? {}).map(([name, preset]) => ({ token: str(preset?.$?.token), name }));
  }

  async gotoPreset(token: string, presetToken: string): Promise<void> {
    await call(this.cam, (cb) => this.cam.gotoPreset({ profileToken: token, preset: presetToken } as never, cb as never));
  }

  async setPreset(token: string, name: string): Promise<string> {
    // The library hands back the raw parsed body here: find the PresetToken element in it.
    const result = await call<unknown>(this.cam, (cb) => this.cam.setPreset({ profileToken: token, presetName: name } as never, cb as never));
    return findValue(result, 'presetToken') ?? '';
  }

  async gotoHome(token: string): Promise<void> {
    await call(this.cam, (cb) => this.cam.gotoHomePosition({ profileToken: token } as never, cb as never));
  }

  async createPullPoint(): Promise<PullPoint> {
    // One Cam object per subscription: the library keeps the subscription address on the instance.
    const cam = this.cam;
    await call(cam, (cb) => cam.createPullPointSubscription(cb as never));
    const offset = this.clockOffsetMs;
    return {
      pull: async () => {
        const response = await call<Loose>(cam, (cb) => cam.pullMessages({ messageLimit: 50 }, cb as never));
        return asArray(response?.notificationMessage as Loose | Loose[] | undefined).map((message) => toCameraEvent(message, offset));
      },
      renew: async () => {
        await call(cam, (cb) => cam.renew({}, cb as never));
      },
      unsubscribe: async () => {
        await call(cam, (cb) => cam.unsubscribe(cb as never, true));
      },
    };
  }
}

function findValue(node: unknown, key: string): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findValue(item, key);
      if (found !== undefined) return found;
    }
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) return str(Array.isArray(v) ? v[0] : v);
      const found = findValue(v, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function toCameraEvent(message: Loose, clockOffsetMs: number): CameraEvent {
  const inner = ((message.message as Loose | undefined)?.message ?? {}) as Loose;
  const utc = inner.$?.UtcTime;
  const cameraTime = utc instanceof Date ? utc.getTime() : Date.parse(String(utc ?? ''));
  const data: Record<string, string> = {};
  for (const item of asArray((inner.data as Loose | undefined)?.simpleItem as Loose | Loose[] | undefined)) {
    const name = item.$?.Name;
    if (name !== undefined) data[String(name)] = String(item.$?.Value);
  }
  return {
    topic: str(message.topic),
    at: Number.isFinite(cameraTime) ? cameraTime - clockOffsetMs : Date.now(),
    data,
  };
}

export class OnvifDriver implements CameraDriver {
  async connect(address: CameraAddress): Promise<CameraConnection> {
    let url: URL;
    try {
      url = deviceServiceUrl(address.url);
    } catch (error) {
      throw new CameraConnectError('unreachable', error instanceof Error ? error.message : String(error));
    }
    const cam = new Cam({
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      path: url.pathname,
      useSecure: url.protocol === 'https:',
      username: address.username,
      password: address.password,
      timeout: REQUEST_TIMEOUT_MS,
      autoconnect: false,
    });
    // The library hashes the password as ASCII (mangling 中文 or other non-ASCII passwords) with a
    // Math.random nonce; WS-Security (OASIS UsernameToken 1.1) wants UTF-8, and a nonce should be random.
    (cam as unknown as { _passwordDigest: () => unknown })._passwordDigest = function (this: CamType) {
      const timestamp = new Date(process.uptime() * 1000 + (this.timeShift ?? 0)).toISOString();
      const nonce = crypto.randomBytes(16);
      const passdigest = crypto
        .createHash('sha1')
        .update(Buffer.concat([nonce, Buffer.from(timestamp, 'utf8'), Buffer.from(this.password ?? '', 'utf8')]))
        .digest('base64');
      return { passdigest, nonce: nonce.toString('base64'), timestamp };
    };
    // The library reports some failures as an 'error'/'warning' event as well; never let them crash core.
    cam.on('error', () => {});
    cam.on('warning', () => {});
    const before = Date.now();
    try {
      const cameraTime = await call<Date>(cam, (cb) => cam.getSystemDateAndTime(cb as never));
      const clockOffsetMs = Math.round(cameraTime.getTime() - (before + Date.now()) / 2);
      await call(cam, (cb) => cam.connect(cb as never));
      // connect() swallows per-call media failures; a wrong password must still be an error here.
      await call(cam, (cb) => cam.getDeviceInformation(cb as never));
      return new OnvifConnection(cam, clockOffsetMs);
    } catch (error) {
      throw classify(error);
    }
  }
}

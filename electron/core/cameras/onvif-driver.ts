/**
 * `CameraDriver` over the maintained `onvif` package (agsh). It learns the camera's clock offset
 * first (unauthenticated GetSystemDateAndTime) and signs WS-UsernameToken with it, answers HTTP
 * digest challenges on every SOAP call, and has PullPoint subscriptions — the three things the
 * older `node-onvif` lacks (see README, "Camera driver").
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- tsconfig.electron reaches this file only through main's imports, so it needs the declaration named here
/// <reference path="./onvif-utils.d.ts" />
import crypto from 'node:crypto';
import { parse as parseLegacyUrl } from 'node:url';
import onvif from 'onvif';
import type { Cam as CamType, CamProfile } from 'onvif';
import { getDigestHeaders, parseSOAPString } from 'onvif/lib/utils.js';
import {
  CameraCallError,
  CameraConnectError,
  EventsUnsupported,
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
import { RequestGate, UNGATED, parseFault, soapExchange } from './soap-transport';

const { Cam } = onvif;

/** A SOAP call should answer within this; PullMessages waits longer on purpose (its own timeout). */
const REQUEST_TIMEOUT_MS = 8_000;
/** GetSystemDateAndTime for health: a device that takes longer than this is not "reachable". */
const PROBE_TIMEOUT_MS = 5_000;
/**
 * How long a PullMessages may wait for events. The library asks for a minute; a long poll holds a
 * socket slot of the shared gate all that time, so with 1,000 cameras and 64 slots the cameras would
 * take turns every 15 minutes. At 1 s a camera with events answers at once and an idle one frees its
 * slot within a second (64 slots: every camera polled at least every ~16 s at 1,000 cameras).
 */
const PULL_SECONDS = 1;

export interface OnvifDriverOptions {
  /** Shared by every camera: at most `limit` SOAP exchanges (sockets) in flight. */
  gate?: RequestGate;
  timeoutMs?: number;
  probeTimeoutMs?: number;
  pullSeconds?: number;
}

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
  if (error instanceof CameraCallError) {
    if (error.kind === 'no_answer') return new CameraConnectError('unreachable', message);
    if (/not ?authori[sz]ed|401|authentication failed/i.test(message)) return new CameraConnectError('unauthorized', message);
    return new CameraConnectError('not_onvif', message);
  }
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
    // Only at the address the camera gave for its Events service: without one it has no events (the
    // library would post to a relative `events` path, which such cameras answer 400/404).
    if (!(cam.uri as Record<string, unknown> | undefined)?.events) throw new EventsUnsupported('no Events service in GetServices/GetCapabilities');
    try {
      await call(cam, (cb) => cam.createPullPointSubscription(cb as never));
    } catch (error) {
      if (error instanceof CameraCallError && error.kind === 'fault' && error.fault) throw new EventsUnsupported(`${error.fault.code} ${error.fault.text}`.trim());
      throw error;
    }
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

const sameHost = (a: string, b: string) => a.replace(/^\[|\]$/g, '').toLowerCase() === b.replace(/^\[|\]$/g, '').toLowerCase();

interface LibraryRequest {
  headers?: Record<string, string>;
  action?: string;
  service?: string;
  body: string;
  url?: string | { hostname?: string | null; port?: string | null; protocol?: string | null; path?: string | null; pathname?: string | null; search?: string | null };
  replyTimeout?: number;
}
type LibraryCallback = (error: Error | null, ...rest: unknown[]) => void;

/**
 * Replaces the library's HTTP exchange (Node's strict parser) with `soapExchange`, through the
 * shared gate, and turns faults into `CameraCallError`s with the camera's code and text. Requests
 * go only to the registered host: a service or subscription address on another host keeps its path
 * but is sent to the registered host and port (cameras behind NAT report their inside address; and
 * the credentials go nowhere else).
 */
function installTransport(cam: CamType, registered: URL, gate: RequestGate, timeoutMs: number, pullSeconds: number): void {
  const self = cam as unknown as {
    _requestPart2: (options: LibraryRequest, callback: LibraryCallback) => void;
    digestAuth: (challenges: string[], reqOptions: { method: string; path: string }) => string;
    uri?: Record<string, { path?: string; pathname?: string; search?: string; hostname?: string; port?: string; protocol?: string }>;
    path: string;
    emit: (event: string, ...args: unknown[]) => void;
  };
  const registeredHost = registered.hostname.replace(/^\[|\]$/g, '');
  const registeredPort = Number(registered.port || (registered.protocol === 'https:' ? 443 : 80));
  self._requestPart2 = function (options, callback) {
    options.headers ??= {};
    let path = self.path;
    let port = registeredPort;
    let secure = registered.protocol === 'https:';
    const target = options.url ?? (options.service ? self.uri?.[options.service] : undefined);
    if (options.service && !options.url && !target) {
      return callback(new CameraCallError('fault', `no ${options.service} service`, { code: 'NoService', text: `no ${options.service} service in GetServices/GetCapabilities` }));
    }
    if (target) {
      const u = typeof target === 'string' ? parseLegacyUrl(target) : target;
      path = u.path ?? `${u.pathname ?? '/'}${u.search ?? ''}`;
      if (u.hostname && sameHost(u.hostname, registeredHost)) {
        secure = u.protocol === 'https:';
        port = Number(u.port || (secure ? 443 : 80));
      }
    }
    let body = options.body;
    let timeout = options.replyTimeout ?? timeoutMs;
    if (/<PullMessages[\s>]/.test(body)) {
      body = body.replace(/<Timeout>PT1M<\/Timeout>/, `<Timeout>PT${pullSeconds}S</Timeout>`);
      timeout = pullSeconds * 1000 + timeoutMs;
    }
    const headers: Record<string, string> = { 'Content-Type': `application/soap+xml;charset=utf-8;action="${options.action ?? ''}"` };
    if (options.headers.Authorization) headers.Authorization = options.headers.Authorization;
    gate
      .run(() => soapExchange({ host: registeredHost, port, secure, path, headers, body, timeoutMs: timeout }))
      .then((reply) => {
        if (reply.status === 401) {
          if (options.headers!.Authorization) return callback(new CameraCallError('fault', 'Digest authentication failed 401', { code: 'HTTP 401', text: reply.statusText || 'Unauthorized' }));
          const challenges = getDigestHeaders(reply.rawHeaders);
          if (!challenges.length) return callback(new CameraCallError('fault', 'authentication failed 401 (no digest challenge)', { code: 'HTTP 401', text: reply.statusText || 'Unauthorized' }));
          options.headers!.Authorization = self.digestAuth(challenges, { method: 'POST', path });
          return self._requestPart2(options, callback);
        }
        const xml = reply.body.toString('utf8');
        self.emit('rawResponse', xml, reply.status);
        const fault = parseFault(xml);
        if (fault) return callback(new CameraCallError('fault', `ONVIF SOAP Fault: ${fault.code} ${fault.text}`, fault), null, xml, reply.status);
        if (reply.status >= 400) {
          const text = reply.statusText || xml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
          return callback(new CameraCallError('fault', `HTTP ${reply.status} ${text}`, { code: `HTTP ${reply.status}`, text }), null, xml, reply.status);
        }
        parseSOAPString(
          xml,
          (error, ...rest) => {
            if (error) return callback(new CameraCallError('no_answer', `not a SOAP reply: ${(error as Error).message}`), ...rest);
            callback(null, ...rest);
          },
          reply.status,
        );
      })
      .catch((error: unknown) => callback(error instanceof CameraCallError ? error : new CameraCallError('no_answer', String(error))));
  };
}

const PROBE_BODY =
  '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
  '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';

/** The camera's UTC clock in a GetSystemDateAndTime reply (prefixes and order as devices send them). */
export function parseSystemDateAndTime(xml: string): number | null {
  const utc = /<(?:[\w.-]+:)?UTCDateTime[\s>]([\s\S]*?)<\/(?:[\w.-]+:)?UTCDateTime>/.exec(xml)?.[1];
  if (!utc) return null;
  const n = (name: string) => Number(new RegExp(`<(?:[\\w.-]+:)?${name}>\\s*(\\d+)\\s*<`).exec(utc)?.[1]);
  const ms = Date.UTC(n('Year'), n('Month') - 1, n('Day'), n('Hour'), n('Minute'), n('Second'));
  return Number.isFinite(ms) ? ms : null;
}

export class OnvifDriver implements CameraDriver {
  private readonly gate: RequestGate;
  private readonly timeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly pullSeconds: number;

  constructor(options: OnvifDriverOptions = {}) {
    this.gate = options.gate ?? UNGATED;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.probeTimeoutMs = options.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
    this.pullSeconds = options.pullSeconds ?? PULL_SECONDS;
  }

  async probe(address: CameraAddress): Promise<number> {
    const url = deviceServiceUrl(address.url);
    const secure = url.protocol === 'https:';
    const reply = await this.gate.run(() =>
      soapExchange({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port || (secure ? 443 : 80)),
        secure,
        path: url.pathname + url.search,
        headers: { 'Content-Type': 'application/soap+xml;charset=utf-8;action="http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime"' },
        body: PROBE_BODY,
        timeoutMs: this.probeTimeoutMs,
      }),
    );
    const xml = reply.body.toString('utf8');
    const fault = parseFault(xml);
    if (fault) throw new CameraCallError('fault', `ONVIF SOAP Fault: ${fault.code} ${fault.text}`, fault);
    const time = parseSystemDateAndTime(xml);
    if (time === null) throw new CameraCallError(reply.status >= 400 ? 'fault' : 'no_answer', `GetSystemDateAndTime: HTTP ${reply.status}, no date`, reply.status >= 400 ? { code: `HTTP ${reply.status}`, text: reply.statusText } : null);
    return time;
  }

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
      timeout: this.timeoutMs,
      autoconnect: false,
    });
    installTransport(cam, url, this.gate, this.timeoutMs, this.pullSeconds);
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

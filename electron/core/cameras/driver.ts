/**
 * The one face the console shows a camera through. Everything else in core (registry, relay,
 * alarms) talks to a `CameraConnection`, so a vendor SDK or a second ONVIF library can replace
 * the implementation without touching them.
 */

export interface CameraAddress {
  /** Device service URL, e.g. http://192.0.2.10/onvif/device_service (host:port alone is accepted). */
  url: string;
  username: string;
  password: string;
}

export interface DeviceInformation {
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
}

export interface MediaProfileInfo {
  token: string;
  name: string;
  encoding: string;
  width: number;
  height: number;
  fps: number;
  /** RTSP URI as the camera reports it (no credentials in it). */
  streamUri: string;
  snapshotUri: string | null;
}

export interface PtzVelocity {
  /** -1..1 each; positive pan is right, positive tilt is up, positive zoom is in. */
  pan: number;
  tilt: number;
  zoom: number;
}

export interface PtzPreset {
  token: string;
  name: string;
}

export interface CameraEvent {
  /** e.g. `tns1:RuleEngine/CellMotionDetector/Motion` */
  topic: string;
  /** The camera's own time of the event, converted to our clock. */
  at: number;
  /** Data items, e.g. { IsMotion: 'true' } */
  data: Record<string, string>;
}

export interface PullPoint {
  /** Waits for events up to the camera's pull timeout; [] when none came. */
  pull(): Promise<CameraEvent[]>;
  renew(): Promise<void>;
  unsubscribe(): Promise<void>;
}

export interface CameraConnection {
  /** Camera clock minus ours (ms), learnt from the unauthenticated GetSystemDateAndTime. */
  readonly clockOffsetMs: number;
  readonly hasPtz: boolean;
  deviceInformation(): Promise<DeviceInformation>;
  profiles(): Promise<MediaProfileInfo[]>;
  continuousMove(profileToken: string, velocity: PtzVelocity): Promise<void>;
  /** Sends Stop; cameras without a working Stop get a zero-velocity ContinuousMove instead. */
  stop(profileToken: string): Promise<void>;
  presets(profileToken: string): Promise<PtzPreset[]>;
  gotoPreset(profileToken: string, presetToken: string): Promise<void>;
  setPreset(profileToken: string, name: string): Promise<string>;
  gotoHome(profileToken: string): Promise<void>;
  /** Rejects with `EventsUnsupported` when the camera has no PullPoint events. */
  createPullPoint(): Promise<PullPoint>;
}

export interface CameraDriver {
  /** Connects and authenticates; rejects with a `CameraConnectError` saying what went wrong. */
  connect(address: CameraAddress): Promise<CameraConnection>;
  /**
   * Is the device there? The unauthenticated GetSystemDateAndTime, bounded in time; resolves with
   * the camera's clock, rejects with a `CameraCallError`.
   */
  probe(address: CameraAddress): Promise<number>;
}

/**
 * The camera has no events to subscribe to: no Events service in GetServices/GetCapabilities, or it
 * answered CreatePullPointSubscription with a fault or an HTTP error. `answer` is what it said.
 */
export class EventsUnsupported extends Error {
  constructor(readonly answer: string) {
    super(`events not supported: ${answer}`);
    this.name = 'EventsUnsupported';
  }
}

export type ConnectFailure = 'unreachable' | 'unauthorized' | 'not_onvif';

export class CameraConnectError extends Error {
  constructor(
    readonly reason: ConnectFailure,
    message: string,
  ) {
    super(message);
    this.name = 'CameraConnectError';
  }
}

/** `host`, `host:port` or a full URL → the device service URL. */
export function deviceServiceUrl(input: string): URL {
  const trimmed = input.trim();
  const url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('ONVIF address must be http or https');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/onvif/device_service';
  url.username = '';
  url.password = '';
  return url;
}

/**
 * A call to a connected camera failed. `fault`: the camera answered, with a SOAP fault or an HTTP
 * error (its code and text are kept for the operator); `no_answer`: nothing usable came back
 * (refused, reset, timed out, not SOAP at all).
 */
export class CameraCallError extends Error {
  constructor(
    readonly kind: 'fault' | 'no_answer',
    message: string,
    readonly fault: { code: string; text: string } | null = null,
  ) {
    super(message);
    this.name = 'CameraCallError';
  }
}

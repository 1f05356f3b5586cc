/**
 * Camera health from what matters, as this run has seen it (not stored):
 * - device: the unauthenticated GetSystemDateAndTime answers (every 30 s, bounded by the probe timeout);
 * - stream: frames reached the relay in the last 15 s (only while someone watches);
 * - events, a state of its own: subscribed / not supported (with what the camera answered) /
 *   failing (retrying) / off (disarmed or disabled: no subscription, no polling).
 * A camera is online when its device answers or its stream delivers; one that streams without
 * events is online, marked "no alarms from this camera". All of it runs as jobs of one scheduler,
 * its sockets bounded by the driver's shared gate.
 */
import { alarmKindOf, reconnectDelay, type AlarmKind, type CameraHealth, type EventsState } from '@shared';
import type { CoreContext } from '../context';
import { EventsUnsupported, type CameraEvent, type PullPoint } from './driver';
import type { CameraRegistry } from './registry';
import { CameraScheduler } from './scheduler';

/** Device probe period; jittered ±20 %, so 1,000 cameras probe ~33 times a second, spread out. */
const PROBE_EVERY_MS = 30_000;
/** Renew well before the 2-minute termination time the subscription is created with. */
const RENEW_EVERY_MS = 60_000;
/** A camera that said it has no events is asked again this seldom (firmware may change, NVR channels come back). */
const UNSUPPORTED_RETRY_MS = 10 * 60_000;
/** Frames this recent mean the stream is reachable. */
const STREAM_FRESH_MS = 15_000;

interface Seen {
  device: 'unknown' | 'reachable' | 'unreachable';
  online: boolean | null;
  since: number | null;
  lastAlarmAt: number | null;
  events: EventsState;
}

const OFF: EventsState = { state: 'off', answer: null, attempt: 0 };
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200);

export class HealthService {
  private readonly seen = new Map<string, Seen>();
  private readonly pullPoints = new Map<string, PullPoint>();
  /** When each subscription is due for renewal. */
  private readonly renewAt = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly registry: CameraRegistry,
    private readonly scheduler: CameraScheduler,
    /** Each alarm-kind event a camera sends. */
    private readonly onEvent: (cameraId: string, at: number, kind: AlarmKind) => void,
    private readonly lastFrameAt: ReadonlyMap<string, number>,
  ) {}

  private of(id: string): Seen {
    let seen = this.seen.get(id);
    if (!seen) {
      seen = { device: 'unknown', online: null, since: null, lastAlarmAt: null, events: { state: 'unknown', answer: null, attempt: 0 } };
      this.seen.set(id, seen);
    }
    return seen;
  }

  private streamFresh(id: string): boolean {
    const at = this.lastFrameAt.get(id);
    return at !== undefined && this.ctx.now() - at < STREAM_FRESH_MS;
  }

  /** Recomputes online from device and stream; tells the windows when anything they show changed. */
  private update(id: string, change: Partial<Pick<Seen, 'device' | 'events' | 'lastAlarmAt'>>): void {
    if (this.closed || !this.registry.store.get(id)) return;
    const seen = this.of(id);
    const before = JSON.stringify(seen);
    Object.assign(seen, change);
    const online = seen.device === 'reachable' || this.streamFresh(id) ? true : seen.device === 'unreachable' ? false : null;
    if (online !== seen.online) {
      seen.online = online;
      seen.since = this.ctx.now();
    }
    if (JSON.stringify(seen) !== before) this.ctx.bus.emit('cameras.health', { cameraId: id });
  }

  alarmRaised(cameraId: string, at: number): void {
    this.update(cameraId, { lastAlarmAt: at });
  }

  list(): CameraHealth[] {
    return this.registry.store.list().map((r) => {
      const id = r.camera.id;
      const seen = this.seen.get(id);
      const fresh = this.streamFresh(id);
      return {
        cameraId: id,
        online: fresh ? true : (seen?.online ?? null),
        since: seen?.since ?? null,
        lastAlarmAt: seen?.lastAlarmAt ?? null,
        lastFrameAt: this.lastFrameAt.get(id) ?? null,
        device: seen?.device ?? 'unknown',
        stream: fresh ? 'delivering' : 'not_watched',
        events: seen?.events ?? { state: 'unknown', answer: null, attempt: 0 },
      };
    });
  }

  /** Jobs follow the registry: a probe per enabled camera, a subscription per enabled and armed one. */
  sync(): void {
    if (this.closed) return;
    const records = new Map(this.registry.store.list().map((r) => [r.camera.id, r] as const));
    for (const key of this.scheduler.keys()) {
      const [kind, id] = key.split(':') as [string, string];
      const record = records.get(id);
      const wanted = record?.camera.enabled && (kind === 'probe' || record.camera.armed);
      if (!wanted) this.scheduler.cancel(key);
    }
    for (const id of [...this.seen.keys()]) {
      const record = records.get(id);
      if (!record || !record.camera.enabled) this.seen.delete(id); // disabled or removed: no longer watched
      else if (!record.camera.armed && this.seen.get(id)!.events.state !== 'off') this.update(id, { events: OFF });
    }
    for (const [id, record] of records) {
      if (!record.camera.enabled) continue;
      this.scheduler.start(`probe:${id}`, 0, () => this.probe(id));
      if (record.camera.armed) this.scheduler.start(`events:${id}`, 0, () => this.eventsStep(id), () => this.unsubscribe(id));
    }
  }

  private async probe(id: string): Promise<number | null> {
    if (this.closed || !this.registry.store.get(id)) return null;
    let device: Seen['device'];
    try {
      await this.registry.driver.probe(this.registry.address(id));
      device = 'reachable';
    } catch {
      device = 'unreachable';
    }
    this.update(id, { device });
    return PROBE_EVERY_MS;
  }

  /** One step of a camera's subscription: subscribe, or pull once (≤ the driver's pull timeout) and renew when due. */
  private async eventsStep(id: string): Promise<number | null> {
    if (this.closed || !this.registry.store.get(id)) return null;
    const key = `events:${id}`;
    try {
      const pullPoint = this.pullPoints.get(id);
      if (!pullPoint) {
        const created = await (await this.registry.connection(id)).createPullPoint();
        if (!this.scheduler.has(key)) {
          void created.unsubscribe().catch(() => {}); // disarmed meanwhile
          return null;
        }
        this.pullPoints.set(id, created);
        this.renewAt.set(id, Date.now() + RENEW_EVERY_MS);
        this.update(id, { events: { state: 'subscribed', answer: null, attempt: 0 } });
        return 0;
      }
      const events: CameraEvent[] = await pullPoint.pull();
      if (!this.scheduler.has(key)) return null;
      for (const event of events) {
        const kind = alarmKindOf(event.topic, event.data);
        if (kind) this.onEvent(id, event.at, kind);
      }
      if (Date.now() >= (this.renewAt.get(id) ?? 0)) {
        await pullPoint.renew();
        this.renewAt.set(id, Date.now() + RENEW_EVERY_MS);
      }
      return 0;
    } catch (error) {
      if (!this.scheduler.has(key) || this.closed) return null;
      this.pullPoints.delete(id);
      this.registry.dropConnection(id);
      const attempt = this.of(id).events.attempt + 1;
      if (error instanceof EventsUnsupported) {
        this.update(id, { events: { state: 'unsupported', answer: error.answer, attempt } });
        return UNSUPPORTED_RETRY_MS;
      }
      this.update(id, { events: { state: 'failing', answer: describe(error), attempt } });
      this.scheduler.runSoon(`probe:${id}`); // is the device still there at all?
      return reconnectDelay(attempt);
    }
  }

  /** Disarmed, disabled or removed: one Unsubscribe, and no more event traffic. */
  private unsubscribe(id: string): void {
    const pullPoint = this.pullPoints.get(id);
    this.pullPoints.delete(id);
    this.renewAt.delete(id);
    if (pullPoint) void pullPoint.unsubscribe().catch(() => {});
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.pullPoints.keys()]) this.unsubscribe(id);
  }
}

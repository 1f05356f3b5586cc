/**
 * Camera health as this run has seen it (not stored): online since / offline since, latest alarm,
 * and the event subscriptions (one PullPoint watcher per enabled camera) that report both.
 */
import { alarmKindOf, type AlarmKind, type CameraHealth } from '@shared';
import type { CoreContext } from '../context';
import { AlarmWatcher } from './alarm-watcher';
import type { CameraRegistry } from './registry';

interface Seen {
  online: boolean | null;
  since: number | null;
  lastAlarmAt: number | null;
}

export class HealthService {
  private readonly health = new Map<string, Seen>();
  private readonly watchers = new Map<string, AlarmWatcher>();
  private closed = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly registry: CameraRegistry,
    /** Each alarm-kind event a camera sends. */
    private readonly onEvent: (cameraId: string, at: number, kind: AlarmKind) => void,
    private readonly lastFrameAt: ReadonlyMap<string, number>,
  ) {}

  private of(id: string): Seen {
    return this.health.get(id) ?? { online: null, since: null, lastAlarmAt: null };
  }

  private set(id: string, change: Partial<{ online: boolean; lastAlarmAt: number }>): void {
    const current = this.of(id);
    const next = { ...current, ...change };
    if (change.online !== undefined && change.online !== current.online) next.since = this.ctx.now();
    else if (change.lastAlarmAt === undefined) return; // nothing new
    this.health.set(id, next);
    this.ctx.bus.emit('cameras.health', { cameraId: id });
  }

  alarmRaised(cameraId: string, at: number): void {
    this.set(cameraId, { lastAlarmAt: at });
  }

  list(): CameraHealth[] {
    return this.registry.store.list().map((r) => ({ cameraId: r.camera.id, ...this.of(r.camera.id), lastFrameAt: this.lastFrameAt.get(r.camera.id) ?? null }));
  }

  /** One watcher per enabled camera: started for new ones, stopped for disabled or removed ones. */
  sync(): void {
    if (this.closed) return;
    const wanted = new Set(this.registry.store.list().filter((r) => r.camera.enabled).map((r) => r.camera.id));
    for (const [id, watcher] of this.watchers) {
      if (!wanted.has(id)) {
        watcher.stop();
        this.watchers.delete(id);
        this.health.delete(id); // disabled or removed: no longer watched
      }
    }
    for (const id of wanted) {
      if (this.watchers.has(id)) continue;
      this.watchers.set(
        id,
        new AlarmWatcher(
          this.registry.driver,
          () => this.registry.address(id),
          (event) => {
            const kind = alarmKindOf(event.topic, event.data);
            if (kind) this.onEvent(id, event.at, kind);
          },
          (online) => {
            if (!this.closed && this.registry.store.get(id)) this.set(id, { online });
          },
        ),
      );
    }
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.stop();
  }
}

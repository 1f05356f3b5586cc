/**
 * Alarms: camera events become inbox lines (bursts per camera and kind), handled by acknowledging,
 * dismissing with a reason, or one click for an incident pre-filled from the camera.
 */
import { ALARM_COOLDOWN_MS, isArmed, type Alarm, type AlarmKind, type Incident } from '@shared';
import type { CoreContext } from '../context';
import { AlarmStore } from './alarm-store';
import { cameraErrors } from './errors';
import type { CameraRegistry } from './registry';
import { categoryFor, chinaTime, type SnapshotService } from './snapshot-service';

/** Incident titles are data in the console's language (Chinese), like the rest of the record. */
const ALARM_TITLES: Record<AlarmKind, string> = {
  motion: '移动侦测告警',
  line_crossing: '越线告警',
  intrusion: '区域入侵告警',
  tamper: '视频遮挡告警',
};

export class AlarmService {
  readonly store: AlarmStore;
  private closed = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly registry: CameraRegistry,
    private readonly snapshots: SnapshotService,
    /** Told of every alarm raised (the health list shows each camera's latest). */
    private readonly onAlarm: (cameraId: string, at: number) => void,
  ) {
    this.store = new AlarmStore(ctx.db, ALARM_COOLDOWN_MS);
  }

  /** A camera event of an alarm kind: an alarm when the camera is armed now (its weekly schedule, if any). */
  onCameraEvent(cameraId: string, at: number, kind: AlarmKind): void {
    const record = this.closed ? null : this.registry.store.get(cameraId);
    if (!record || !isArmed(record.camera.armed, record.camera.armSchedule, this.ctx.now())) return;
    const { alarm, isNew } = this.store.record(cameraId, kind, Math.min(at, this.ctx.now()));
    this.onAlarm(cameraId, alarm.lastAt);
    this.ctx.bus.emit('alarms.changed', { alarmId: alarm.id, sound: isNew });
  }

  list(includeHandled: boolean, limit: number): Alarm[] {
    return this.store.list(includeHandled, limit);
  }

  private require(id: string): Alarm {
    const alarm = this.store.get(id);
    if (!alarm) throw cameraErrors.unknownAlarm();
    return alarm;
  }

  private handled(alarm: Alarm | null): Alarm {
    if (!alarm) throw cameraErrors.alarmHandled();
    this.ctx.bus.emit('alarms.changed', { alarmId: alarm.id, sound: false });
    return alarm;
  }

  acknowledge(id: string, actor: string): Alarm {
    this.require(id);
    return this.handled(this.store.handle(id, 'acknowledged', actor, this.ctx.now()));
  }

  dismiss(id: string, reason: string, actor: string): Alarm {
    this.require(id);
    return this.handled(this.store.handle(id, 'dismissed', actor, this.ctx.now(), { reason }));
  }

  toIncident(id: string, category: string | undefined, actor: string): { alarm: Alarm; incident: Incident } {
    const alarm = this.require(id);
    if (alarm.status !== 'new') throw cameraErrors.alarmHandled();
    const camera = this.registry.require(alarm.cameraId).camera;
    const { incident, linked } = this.store.inTransaction(() => {
      const change = this.ctx.incidents.create(
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
      const linkedAlarm = this.store.handle(id, 'incident', actor, this.ctx.now(), { incidentId: change.incident.id });
      if (!linkedAlarm) throw cameraErrors.alarmHandled();
      return { incident: this.ctx.publish(change), linked: linkedAlarm };
    });
    this.snapshots.attachCameraFrame(camera.id, incident.id, actor);
    return { alarm: this.handled(linked), incident };
  }

  close(): void {
    this.closed = true;
  }
}

import { randomUUID } from 'node:crypto';
import { joinsBurst, type Alarm, type AlarmKind, type AlarmStatus } from '@shared';
import type { Db } from '../store';

interface Row {
  id: string;
  camera_id: string;
  camera_name: string;
  kind: AlarmKind;
  first_at: number;
  last_at: number;
  count: number;
  status: AlarmStatus;
  reason: string;
  incident_id: string | null;
  handled_by: string | null;
  handled_at: number | null;
}

const SELECT = 'SELECT alarms.*, cameras.name AS camera_name FROM alarms JOIN cameras ON cameras.id = alarms.camera_id';

const toAlarm = (r: Row): Alarm => ({
  id: r.id,
  cameraId: r.camera_id,
  cameraName: r.camera_name,
  kind: r.kind,
  firstAt: r.first_at,
  lastAt: r.last_at,
  count: r.count,
  status: r.status,
  reason: r.reason,
  incidentId: r.incident_id,
  handledBy: r.handled_by,
  handledAt: r.handled_at,
});

export class AlarmStore {
  private readonly transaction;

  constructor(
    private readonly db: Db,
    private readonly cooldownMs: number,
  ) {
    this.transaction = db.transaction((fn: () => unknown) => fn());
  }

  /** Records one event: joins the camera's open burst of that kind, or starts a new one. */
  record(cameraId: string, kind: AlarmKind, at: number): { alarm: Alarm; isNew: boolean } {
    return this.transaction.immediate(() => {
      const latest = this.db
        .prepare<[string, string], Row>(`${SELECT} WHERE camera_id = ? AND kind = ? ORDER BY last_at DESC LIMIT 1`)
        .get(cameraId, kind);
      if (latest && joinsBurst({ status: latest.status, lastAt: latest.last_at }, at, this.cooldownMs)) {
        this.db.prepare('UPDATE alarms SET count = count + 1, last_at = max(last_at, ?), first_at = min(first_at, ?) WHERE id = ?').run(at, at, latest.id);
        return { alarm: this.get(latest.id)!, isNew: false };
      }
      const id = randomUUID();
      this.db.prepare('INSERT INTO alarms (id, camera_id, kind, first_at, last_at) VALUES (?, ?, ?, ?, ?)').run(id, cameraId, kind, at, at);
      return { alarm: this.get(id)!, isNew: true };
    }) as { alarm: Alarm; isNew: boolean };
  }

  get(id: string): Alarm | null {
    const row = this.db.prepare<[string], Row>(`${SELECT} WHERE alarms.id = ?`).get(id);
    return row ? toAlarm(row) : null;
  }

  list(includeHandled: boolean, limit: number): Alarm[] {
    const sql = includeHandled ? `${SELECT} ORDER BY last_at DESC LIMIT ?` : `${SELECT} WHERE status = 'new' ORDER BY last_at DESC LIMIT ?`;
    return this.db.prepare<[number], Row>(sql).all(limit).map(toAlarm);
  }

  /** Marks a new alarm handled; null when it is not new any more (someone else was quicker). */
  handle(id: string, status: Exclude<AlarmStatus, 'new'>, by: string, at: number, extra: { reason?: string; incidentId?: string } = {}): Alarm | null {
    const changes = this.db
      .prepare("UPDATE alarms SET status = ?, handled_by = ?, handled_at = ?, reason = ?, incident_id = ? WHERE id = ? AND status = 'new'")
      .run(status, by, at, extra.reason ?? '', extra.incidentId ?? null, id).changes;
    return changes ? this.get(id) : null;
  }

  /** For the incident link: run the incident creation and the alarm update as one transaction. */
  inTransaction<T>(fn: () => T): T {
    return this.transaction.immediate(fn) as T;
  }
}

import { z } from 'zod';
import { EpochMs, Id } from './incident';

export const ALARM_KINDS = ['motion', 'line_crossing', 'intrusion', 'tamper'] as const;
export const AlarmKind = z.enum(ALARM_KINDS);
export type AlarmKind = z.infer<typeof AlarmKind>;

export const ALARM_STATUSES = ['new', 'acknowledged', 'dismissed', 'incident'] as const;
export const AlarmStatus = z.enum(ALARM_STATUSES);
export type AlarmStatus = z.infer<typeof AlarmStatus>;

/** One burst of alarms from one camera: an event storm is one line with a count. */
export const Alarm = z.object({
  id: Id,
  cameraId: Id,
  cameraName: z.string(),
  kind: AlarmKind,
  firstAt: EpochMs,
  lastAt: EpochMs,
  count: z.number().int().positive(),
  status: AlarmStatus,
  reason: z.string(),
  incidentId: Id.nullable(),
  handledBy: z.string().nullable(),
  handledAt: EpochMs.nullable(),
});
export type Alarm = z.infer<typeof Alarm>;

/** Events of one camera and kind closer than this to the burst's last one join it. */
export const ALARM_COOLDOWN_MS = 2 * 60_000;

/** Does an event at `at` join this burst? Only an unhandled burst still within the cooldown does. */
export function joinsBurst(burst: Pick<Alarm, 'status' | 'lastAt'> | null, at: number, cooldownMs = ALARM_COOLDOWN_MS): boolean {
  return burst !== null && burst.status === 'new' && at - burst.lastAt <= cooldownMs && at >= burst.lastAt - cooldownMs;
}

/** ONVIF topic + data → our alarm kind; null for events that are not alarms (or an alarm ending). */
export function alarmKindOf(topic: string, data: Record<string, string>): AlarmKind | null {
  const active = Object.entries(data).some(([key, value]) => /^(IsMotion|State|IsInside|IsTamper|Triggered|ObjectsInside)$/i.test(key) && value === 'true');
  if (!active) return null;
  if (/Tamper/i.test(topic)) return 'tamper';
  if (/LineDetector|LineCross|Crossed/i.test(topic)) return 'line_crossing';
  if (/FieldDetector|Intrusion|ObjectsInside/i.test(topic)) return 'intrusion';
  if (/Motion/i.test(topic)) return 'motion';
  return null;
}

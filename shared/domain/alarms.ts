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

/** China Standard Time, UTC+8 without daylight saving: the schedule's clock, whatever the host's zone. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * When a camera's alarms count: on these weekdays (0 = Sunday), from `from` to `to` (China time).
 * `to` before `from` runs over midnight (22:00–06:00 is the night watch, into the next morning).
 */
export const ArmSchedule = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1, { message: 'required' }).max(7),
    from: z.string().regex(HHMM, { message: 'not a time (HH:MM)' }),
    to: z.string().regex(HHMM, { message: 'not a time (HH:MM)' }),
  })
  .strict();
export type ArmSchedule = z.infer<typeof ArmSchedule>;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Is a camera armed at `at`? Disarmed: never; armed without a schedule: always. */
export function isArmed(armed: boolean, schedule: ArmSchedule | null, at: number): boolean {
  if (!armed) return false;
  if (!schedule) return true;
  const local = new Date(at + CHINA_OFFSET_MS);
  const day = local.getUTCDay();
  const now = local.getUTCHours() * 60 + local.getUTCMinutes();
  const from = minutes(schedule.from);
  const to = minutes(schedule.to);
  if (from === to) return schedule.days.includes(day); // the whole day
  if (from < to) return schedule.days.includes(day) && now >= from && now < to;
  // Over midnight: the evening part belongs to the day it starts, the morning part to the day before.
  return (schedule.days.includes(day) && now >= from) || (schedule.days.includes((day + 6) % 7) && now < to);
}

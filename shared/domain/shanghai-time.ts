/**
 * Calendar arithmetic in the town's time zone. Asia/Shanghai has been UTC+8 all year since 1991
 * (no daylight saving), so a fixed offset is exact for every time the console accepts (2000–2100)
 * and does not depend on the time zone of the PC it runs on.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 in Shanghai: the calendar day a moment falls on there. */
export function shanghaiDayNumber(at: number): number {
  return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** 00:00 in Shanghai of the day `at` falls on. */
export function startOfShanghaiDay(at: number): number {
  return shanghaiDayNumber(at) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The calendar date in Shanghai, `YYYY-MM-DD`. */
export function shanghaiDate(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 00:00 in Shanghai of a `YYYY-MM-DD` date; null when it is not a real date. */
export function shanghaiDateStart(date: string): number | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return utc - SHANGHAI_OFFSET_MS;
}

/** A `YYYY-MM-DD` date plus whole days. */
export function addDays(date: string, days: number): string {
  const start = shanghaiDateStart(date);
  if (start === null) throw new Error(`not a date: ${date}`);
  return shanghaiDate(start + days * DAY_MS);
}

/** Whole calendar days from one `YYYY-MM-DD` date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = shanghaiDateStart(from);
  const b = shanghaiDateStart(to);
  if (a === null || b === null) throw new Error(`not a date: ${a === null ? from : to}`);
  return Math.round((b - a) / DAY_MS);
}

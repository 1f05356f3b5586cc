import { format, formatDuration, type Locale } from 'date-fns';
import { isOverdue, type IncidentStatus } from '@shared';
import type { TFunction } from 'i18next';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const formatDateTime = (ms: number) => format(ms, 'yyyy-MM-dd HH:mm');
export const formatDateTimeSeconds = (ms: number) => format(ms, 'yyyy-MM-dd HH:mm:ss');
export const formatShort = (ms: number) => format(ms, 'MM-dd HH:mm');

/** A duration an operator reads at a glance: "45 分钟", "3 小时", "1 天 5 小时", "12 天". */
export function formatSpan(ms: number, locale: Locale): string {
  const span = Math.max(ms, 0);
  if (span < HOUR) return formatDuration({ minutes: Math.max(1, Math.floor(span / MINUTE)) }, { locale });
  if (span < DAY) return formatDuration({ hours: Math.floor(span / HOUR) }, { locale });
  const days = Math.floor(span / DAY);
  const hours = Math.floor((span % DAY) / HOUR);
  if (days < 10 && hours > 0) return formatDuration({ days, hours }, { locale });
  return formatDuration({ days }, { locale });
}

export interface DeadlineView {
  text: string;
  overdue: boolean;
  /** Less than a quarter of a day left. */
  soon: boolean;
  closed: boolean;
}

export function deadlineView(
  incident: { status: IncidentStatus; deadline: number },
  now: number,
  t: TFunction,
  locale: Locale,
): DeadlineView {
  if (incident.status === 'closed') {
    return { text: t('deadline.closed'), overdue: false, soon: false, closed: true };
  }
  const overdue = isOverdue(incident, now);
  const span = formatSpan(Math.abs(incident.deadline - now), locale);
  return {
    text: overdue ? t('deadline.overdue', { duration: span }) : t('deadline.remaining', { duration: span }),
    overdue,
    soon: !overdue && incident.deadline - now < 6 * HOUR,
    closed: false,
  };
}

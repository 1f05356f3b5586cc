import {
  EVENT_TYPES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  TRANSITION_ACTIONS,
  type IncidentSource,
  type IncidentStatus,
  type Priority,
} from '@shared';
import type { TFunction } from 'i18next';

const has = (list: readonly string[], value: string) => list.includes(value);

export const statusLabel = (status: IncidentStatus | string, t: TFunction) =>
  has(INCIDENT_STATUSES, status) ? t(`status.${status}`) : status;
/** Compact status names for the list's narrow column. */
export const statusShortLabel = (status: IncidentStatus | string, t: TFunction) =>
  has(INCIDENT_STATUSES, status) ? t(`statusShort.${status}`) : status;
export const priorityLabel = (priority: Priority | number, t: TFunction) =>
  [1, 2, 3, 4].includes(priority) ? t(`priority.${priority}`) : String(priority);
export const sourceLabel = (source: IncidentSource | string, t: TFunction) =>
  has(INCIDENT_SOURCES, source) ? t(`source.${source}`) : source;
export const actionLabel = (action: string, t: TFunction) => (has(TRANSITION_ACTIONS, action) ? t(`action.${action}`) : action);
export const eventTypeLabel = (type: string, t: TFunction) => (has(EVENT_TYPES, type) ? t(`eventType.${type}`) : type);
export const assigneeKindLabel = (kind: string, t: TFunction) =>
  kind === 'unit' || kind === 'grid_worker' ? t(`assigneeKind.${kind}`) : kind;

/** reported=blue, dispatched=cyan, in_progress=yellow, feedback_submitted=violet, closed=teal. */
export const STATUS_COLORS: Record<IncidentStatus, string> = {
  reported: 'blue',
  dispatched: 'cyan',
  in_progress: 'yellow',
  feedback_submitted: 'violet',
  closed: 'teal',
};

/** Red is reserved for urgent and overdue. */
export const PRIORITY_COLORS: Record<Priority, string> = { 1: 'red', 2: 'orange', 3: 'gray', 4: 'dark' };

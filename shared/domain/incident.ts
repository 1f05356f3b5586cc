import { z } from 'zod';
import { because } from '../contract/errors';

/** Text limits: the contract refuses anything longer, so no client can bloat the store. */
export const LIMITS = {
  title: 200,
  description: 5000,
  person: 100,
  comment: 2000,
  searchText: 200,
  pageSize: 500,
} as const;

export const INCIDENT_STATUSES = [
  'reported',
  'dispatched',
  'in_progress',
  'feedback_submitted',
  'closed',
] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export const OPEN_STATUSES: readonly IncidentStatus[] = INCIDENT_STATUSES.filter((s) => s !== 'closed');

export const INCIDENT_SOURCES = [
  'camera_alarm',
  'grid_report',
  'phone',
  'walk_in_petition',
  'city_directive',
  'drill',
] as const;
export const IncidentSource = z.enum(INCIDENT_SOURCES);
export type IncidentSource = z.infer<typeof IncidentSource>;

/** 1 = most urgent (特急), 4 = low. */
export const PRIORITIES = [1, 2, 3, 4] as const;
export const Priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type Priority = z.infer<typeof Priority>;

/** Milliseconds since the Unix epoch, UTC. Bounded to 2000–2100 to catch unit mistakes (seconds vs ms). */
export const EpochMs = z
  .number()
  .int()
  .refine((t) => t >= Date.UTC(2000, 0, 1), because('validation.time_range', 'time is before 2000'))
  .refine((t) => t <= Date.UTC(2100, 0, 1), because('validation.time_range', 'time is after 2100'));

export const Id = z.uuid({ message: 'not a valid id' });

const trimmed = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: `at most ${max} characters` });

export const Title = trimmed(LIMITS.title).min(1, { message: 'required' });
export const Description = trimmed(LIMITS.description);
export const PersonName = trimmed(LIMITS.person);

export const Location = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
});
export type Location = z.infer<typeof Location>;

export const Category = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  group: z.string(),
  defaultDeadlineHours: z.number().int().positive(),
});
export type Category = z.infer<typeof Category>;

export const Assignee = z.object({
  kind: z.enum(['unit', 'grid_worker']),
  name: PersonName.min(1, { message: 'required' }),
});
export type Assignee = z.infer<typeof Assignee>;

export const Assessment = z.object({
  score: z.number().int().min(1).max(5),
  comment: trimmed(LIMITS.comment),
});
export type Assessment = z.infer<typeof Assessment>;

export const Incident = z.object({
  id: Id,
  code: z.string(),
  category: z.string(),
  title: z.string(),
  description: z.string(),
  location: Location.nullable(),
  gridId: z.string().nullable(),
  source: IncidentSource,
  priority: Priority,
  reporter: z.string(),
  occurredAt: z.number().int(),
  recordedAt: z.number().int(),
  deadline: z.number().int(),
  status: IncidentStatus,
  assignee: Assignee.nullable(),
  assessment: Assessment.nullable(),
  closedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
  /** Optimistic-concurrency token: bumped by every change. */
  version: z.number().int().positive(),
});
export type Incident = z.infer<typeof Incident>;

/** What the list needs per row; kept small because the list pages through 100k+ rows. */
export const IncidentListRow = Incident.pick({
  id: true,
  code: true,
  category: true,
  title: true,
  source: true,
  priority: true,
  occurredAt: true,
  deadline: true,
  status: true,
  assignee: true,
});
export type IncidentListRow = z.infer<typeof IncidentListRow>;

/** Fields an operator enters, without defaults (a patch must not fill in the fields it leaves out). */
const DraftFields = z.object({
  category: z.string().min(1, { message: 'required' }).max(64),
  title: Title,
  description: Description,
  location: Location.nullable(),
  gridId: z.string().max(64).nullable(),
  source: IncidentSource,
  priority: Priority,
  reporter: PersonName,
  occurredAt: EpochMs,
  /** Absent: the category's default term from recording time. */
  deadline: EpochMs.optional(),
});

/** Fields an operator enters; the rest are derived by core. */
export const IncidentDraft = DraftFields.extend({
  description: Description.default(''),
  location: Location.nullable().default(null),
  gridId: z.string().max(64).nullable().default(null),
  reporter: PersonName.default(''),
}).strict();
export type IncidentDraft = z.input<typeof IncidentDraft>;

/**
 * Built from the fields without defaults: Zod 4 applies `.default()` even inside `.partial()`,
 * so a patch derived from IncidentDraft would reset description, location, grid and reporter.
 */
export const IncidentPatch = DraftFields.omit({ source: true })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, because('validation.nothing_changed', 'nothing to change'));
export type IncidentPatch = z.input<typeof IncidentPatch>;

export const EVENT_TYPES = [
  'created',
  'updated',
  'dispatched',
  'started',
  'feedback_submitted',
  'feedback_rejected',
  'closed',
  'assessed',
  'commented',
  // Workflows hung on the incident (shared/domain/workflows.ts), on the same timeline.
  'workflow_started',
  'workflow_step',
  'deadline_extended',
  'supervision_urged',
  'personal_data_viewed',
  'attachment_added',
  // The city link (shared/uplink/protocol.ts): a directive received from the city, signed for (签收).
  'directive_received',
  'directive_signed',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const TimelineEvent = z.object({
  id: Id,
  seq: z.number().int().positive(),
  type: EventType,
  /** The name of the person who acted (or 系统 for the core itself). */
  actor: z.string(),
  /** The authenticated person's staff id and roles at the time; absent on events from before accounts existed. */
  actorId: z.string().nullable().optional(),
  actorRoles: z.array(z.string()).optional(),
  /** The second person who confirmed (co-sign, 四眼原则), when the action needed one. */
  cosigner: z.object({ id: z.string().nullable(), name: z.string(), roles: z.array(z.string()) }).nullable().optional(),
  at: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** Open and past its deadline at `now`. */
export function isOverdue(incident: Pick<Incident, 'status' | 'deadline'>, now: number): boolean {
  return incident.status !== 'closed' && incident.deadline < now;
}

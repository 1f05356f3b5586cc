import { z } from 'zod';
import {
  Category,
  EpochMs,
  Id,
  Incident,
  IncidentDraft,
  IncidentListRow,
  IncidentPatch,
  IncidentSource,
  IncidentStatus,
  LIMITS,
  Priority,
  TimelineEvent,
} from '../domain/incident';
import { Transition } from '../domain/lifecycle';

export const IncidentFilter = z
  .object({
    statuses: z.array(IncidentStatus).max(10).default([]),
    categories: z.array(z.string().max(64)).max(50).default([]),
    priorities: z.array(Priority).max(4).default([]),
    sources: z.array(IncidentSource).max(10).default([]),
    /** On `occurredAt`, inclusive from, exclusive to. */
    from: EpochMs.optional(),
    to: EpochMs.optional(),
    /** Matched against code, title and description (full-text index). */
    text: z.string().trim().max(LIMITS.searchText).default(''),
    overdueOnly: z.boolean().default(false),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, {
    message: 'the end of the time range must be after its start',
    path: ['to'],
  });
export type IncidentFilter = z.input<typeof IncidentFilter>;

const command = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/**
 * Every command the renderer may send to core: name → input schema, output schema.
 * The dispatcher validates inputs against these on every transport; unknown names are refused.
 */
export const commands = {
  'system.info': command(
    z.object({}).strict(),
    z.object({
      version: z.string(),
      host: z.enum(['electron', 'node']),
      dataDir: z.string(),
      schemaVersion: z.number().int(),
      operator: z.string(),
      incidentCount: z.number().int(),
      /** True until the operator has seeded the demo or declined it, and only on an empty store. */
      offerDemo: z.boolean(),
    }),
  ),
  'demo.seed': command(z.object({}).strict(), z.object({ created: z.number().int() })),
  'demo.decline': command(z.object({}).strict(), z.object({})),
  'categories.list': command(z.object({}).strict(), z.array(Category)),
  'incidents.list': command(
    z
      .object({
        filter: IncidentFilter.default({
          statuses: [],
          categories: [],
          priorities: [],
          sources: [],
          text: '',
          overdueOnly: false,
        }),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        limit: z.number().int().min(1).max(LIMITS.pageSize).default(50),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(IncidentListRow), now: z.number().int() }),
  ),
  /** Counts for the status bar and the supervision badge. */
  'incidents.summary': command(
    z.object({}).strict(),
    z.object({ total: z.number().int(), open: z.number().int(), overdue: z.number().int(), now: z.number().int() }),
  ),
  'incidents.get': command(
    z.object({ id: Id }).strict(),
    z.object({ incident: Incident, timeline: z.array(TimelineEvent), allowedActions: z.array(z.string()) }),
  ),
  'incidents.create': command(z.object({ draft: IncidentDraft }).strict(), Incident),
  'incidents.update': command(
    z.object({ id: Id, expectedVersion: z.number().int().positive(), patch: IncidentPatch }).strict(),
    Incident,
  ),
  'incidents.transition': command(
    z.object({ id: Id, expectedVersion: z.number().int().positive(), transition: Transition }).strict(),
    Incident,
  ),
  'incidents.comment': command(
    z
      .object({ id: Id, text: z.string().trim().min(1, { message: 'required' }).max(LIMITS.comment) })
      .strict(),
    Incident,
  ),
  'events.verify': command(
    z.object({}).strict(),
    z.object({
      ok: z.boolean(),
      checked: z.number().int(),
      /** Sequence number of the first event whose hash or link does not match. */
      firstBadSeq: z.number().int().nullable(),
      problem: z.string().nullable(),
    }),
  ),
  'outbox.status': command(
    z.object({}).strict(),
    z.object({ pending: z.number().int(), oldestSeq: z.number().int().nullable() }),
  ),
} as const;

/** Everything core pushes to every open window. */
export const events = {
  'incident.changed': z.object({ incident: Incident, eventType: z.string(), seq: z.number().int() }),
  /** Many incidents changed at once (demo seed, import): lists reload. */
  'incidents.reloaded': z.object({ reason: z.string() }),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type ParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

export const COMMAND_NAMES = Object.keys(commands) as CommandName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

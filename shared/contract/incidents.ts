import { z } from 'zod';
import { because } from './errors';
import { command } from './command';
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
import { Cosign } from './people';

export const IncidentFilter = z
  .object({
    statuses: z.array(IncidentStatus).max(10).default([]),
    categories: z.array(z.string().max(64)).max(50).default([]),
    priorities: z.array(Priority).max(4).default([]),
    sources: z.array(IncidentSource).max(10).default([]),
    /** Grid codes (an analysis click-through filters by grid). */
    grids: z.array(z.string().max(64)).max(200).default([]),
    /** On `occurredAt`, inclusive from, exclusive to. */
    from: EpochMs.optional(),
    to: EpochMs.optional(),
    /** Matched against code, title and description (full-text index). */
    text: z.string().trim().max(LIMITS.searchText).default(''),
    overdueOnly: z.boolean().default(false),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, {
    ...because('validation.range_end', 'the end of the time range must be after its start'),
    path: ['to'],
  });
export type IncidentFilter = z.input<typeof IncidentFilter>;

/** Incidents: the list, the detail, and every change to them. */
export const incidentCommands = {
  'categories.list': command(z.object({}).strict(), z.array(Category)),
  'incidents.list': command(
    z
      .object({
        filter: IncidentFilter.default({
          statuses: [],
          categories: [],
          priorities: [],
          sources: [],
          grids: [],
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
    // Editing a recorded case is co-signed (COSIGN_RULES).
    z.object({ id: Id, expectedVersion: z.number().int().positive(), patch: IncidentPatch, cosign: Cosign.optional() }).strict(),
    Incident,
  ),
  'incidents.transition': command(
    // Closing and assessing are co-signed (COSIGN_RULES).
    z.object({ id: Id, expectedVersion: z.number().int().positive(), transition: Transition, cosign: Cosign.optional() }).strict(),
    Incident,
  ),
  'incidents.comment': command(
    z
      .object({ id: Id, text: z.string().trim().min(1, { message: 'required' }).max(LIMITS.comment) })
      .strict(),
    Incident,
  ),
} as const;

export const incidentEvents = {
  'incident.changed': z.object({ incident: Incident, eventType: z.string(), seq: z.number().int() }),
  /** Many incidents changed at once (demo seed, import): lists reload. */
  'incidents.reloaded': z.object({ reason: z.string() }),
} as const;

import { z } from 'zod';
import { because } from './errors';
import { command } from './command';
import { Cosign } from './people';
import { Id, Incident } from '../domain/incident';
import { IdType } from '../domain/personal-data';
import { WorkflowSettings } from '../domain/supervision';
import { Unit, UnitDraft, UnitKind, UNIT_LIMITS } from '../domain/units';
import { Escalation, IsoDate, Workflow, WorkflowKind, WorkflowStep, WORKFLOW_LIMITS } from '../domain/workflows';

const note = z.string().trim().max(WORKFLOW_LIMITS.text, { message: `at most ${WORKFLOW_LIMITS.text} characters` });
const version = z.number().int().positive();

const Figure = z.object({
  key: z.string(),
  reported: z.number().int(),
  completed: z.number().int(),
  completionRate: z.number().nullable(),
  avgCloseMs: z.number().nullable(),
});
export type Figure = z.infer<typeof Figure>;

export const SupervisionItem = z.object({
  type: z.enum(['incident', 'workflow']),
  incidentId: Id,
  workflowId: Id.nullable(),
  kind: WorkflowKind.nullable(),
  code: z.string(),
  title: z.string(),
  unitName: z.string(),
  gridId: z.string().nullable(),
  deadline: z.number().int(),
  status: z.string(),
  state: z.enum(['overdue', 'due_soon']),
});
export type SupervisionItem = z.infer<typeof SupervisionItem>;
const Count = z.object({ key: z.string(), overdue: z.number().int(), dueSoon: z.number().int() });

export const BoardPerson = z.object({
  personId: Id,
  workflowId: Id,
  incidentId: Id,
  incidentCode: z.string(),
  name: z.string(),
  idType: IdType,
  idNumberMasked: z.string(),
  nationality: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  dayOfTerm: z.number().int(),
  termDays: z.number().int(),
  dueToday: z.boolean(),
  overdue: z.boolean(),
});
export type BoardPerson = z.infer<typeof BoardPerson>;

const WorkflowChange = z.object({ workflow: Workflow, incident: Incident });

/** The directory of units, the three workflows, supervision and statistics. */
export const workflowCommands = {
  'units.list': command(z.object({ kind: UnitKind.optional() }).strict(), z.array(Unit)),
  'units.create': command(z.object({ draft: UnitDraft }).strict(), Unit),
  'units.update': command(z.object({ id: Id, expectedVersion: version, draft: UnitDraft }).strict(), Unit),
  'units.delete': command(z.object({ id: Id, expectedVersion: version, cosign: Cosign.optional() }).strict(), z.object({})),
  /** All or nothing; a broken row refuses the file with issues at `csv.<line>.<column>`. */
  'units.importCsv': command(
    z.object({ csv: z.string().refine((v) => v.length <= UNIT_LIMITS.csvBytes, because('validation.file_too_large', 'file over 1 MB', { max: UNIT_LIMITS.csvBytes })) }).strict(),
    z.object({ imported: z.number().int() }),
  ),
  'units.exportCsv': command(z.object({}).strict(), z.object({ csv: z.string() })),

  'workflows.settings': command(z.object({}).strict(), WorkflowSettings),
  'workflows.updateSettings': command(z.object({ settings: WorkflowSettings, cosign: Cosign.optional() }).strict(), WorkflowSettings),
  /** The confirm sheet: candidates of the right kind (sites with free places) and the recommended one. */
  'workflows.prepare': command(
    z.object({ incidentId: Id, kind: WorkflowKind }).strict(),
    z.object({
      candidates: z.array(Unit.extend({ free: z.number().int().nullable() })),
      recommendedId: Id.nullable(),
      lawyers: z.array(Unit),
      counsellors: z.array(Unit),
      settings: WorkflowSettings,
    }),
  ),
  /** Mediation starting at county or city level is co-signed. */
  'workflows.escalate': command(z.object({ incidentId: Id, escalation: Escalation, cosign: Cosign.optional() }).strict(), WorkflowChange),
  /** An early release and mediation going to county are co-signed (the stored state decides). */
  'workflows.step': command(z.object({ id: Id, expectedVersion: version, step: WorkflowStep, cosign: Cosign.optional() }).strict(), WorkflowChange),
  'workflows.extendDeadline': command(
    z
      .object({
        id: Id,
        expectedVersion: version,
        days: z.number().int().min(0).max(60),
        reason: note.min(1, { message: 'required' }),
        /** Past the hard-case term: the approver co-signs (no typed-in name). */
        cosign: Cosign.optional(),
      })
      .strict(),
    WorkflowChange,
  ),
  'workflows.forIncident': command(z.object({ incidentId: Id }).strict(), z.array(Workflow)),
  /** Full ID and phone number of one person or party; co-signed, recorded on the incident's timeline. */
  'workflows.revealPerson': command(
    z.object({ workflowId: Id, personId: Id, cosign: Cosign.optional() }).strict(),
    z.object({
      incident: Incident,
      person: z.object({ id: Id, name: z.string(), idType: IdType, idNumber: z.string(), phone: z.string() }),
    }),
  ),

  'quarantine.board': command(
    z.object({}).strict(),
    z.object({
      today: z.string(),
      sites: z.array(z.object({ unit: Unit, capacity: z.number().int(), occupied: z.number().int(), persons: z.array(BoardPerson) })),
    }),
  ),
  /** Open and overdue workflows, for the status bar. */
  'workflows.summary': command(
    z.object({}).strict(),
    z.object({ open: z.number().int(), overdue: z.number().int(), now: z.number().int() }),
  ),
  'supervision.list': command(
    z.object({}).strict(),
    z.object({ now: z.number().int(), items: z.array(SupervisionItem), byUnit: z.array(Count), byGrid: z.array(Count) }),
  ),
  /** "Urge" (催办): a supervision action on the incident's timeline, optionally aimed at one workflow. */
  'supervision.urge': command(
    z.object({ incidentId: Id, workflowId: Id.nullable().default(null), note: note.default('') }).strict(),
    Incident,
  ),
  'stats.query': command(
    z.object({ from: IsoDate, to: IsoDate }).strict(),
    z.object({
      from: z.string(),
      to: z.string(),
      total: Figure,
      byGrid: z.array(Figure),
      byCategory: z.array(Figure),
      byUnit: z.array(Figure),
    }),
  ),
} as const;

export const workflowEvents = {
  /** A workflow changed (the incident's own `incident.changed` follows): boards and views reload. */
  'workflow.changed': z.object({ workflowId: Id, incidentId: Id, kind: WorkflowKind }),
  'units.changed': z.object({ reason: z.string() }),
} as const;

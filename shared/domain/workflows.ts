import { z } from 'zod';
import { EpochMs, Id } from './incident';
import { because } from '../contract/errors';
import { IdType, Phone, RESIDENT_ID_MESSAGES, RESIDENT_ID_REASONS, residentIdProblem } from './personal-data';
import { daysBetween, shanghaiDateStart } from './shanghai-time';
import { Tier } from './supervision';

/** The three workflows an incident escalates to: the police station, mediation, quarantine. */
export const WORKFLOW_KINDS = ['police', 'mediation', 'quarantine'] as const;
export const WorkflowKind = z.enum(WORKFLOW_KINDS);
export type WorkflowKind = z.infer<typeof WorkflowKind>;

export const WORKFLOW_LIMITS = { text: 2000, name: 100, parties: 50, persons: 100, attendees: 50, amount: 10_000_000_000, visitors: 10_000 } as const;

const longText = () => z.string().trim().max(WORKFLOW_LIMITS.text, { message: `at most ${WORKFLOW_LIMITS.text} characters` });
function text(required: true): z.ZodString;
function text(required: false): z.ZodDefault<z.ZodString>;
function text(required: boolean) {
  return required ? longText().min(1, { message: 'required' }) : longText().default('');
}
const Name = z.string().trim().min(1, { message: 'required' }).max(WORKFLOW_LIMITS.name, { message: `at most ${WORKFLOW_LIMITS.name} characters` });

export const IsoDate = z.string().refine((d) => shanghaiDateStart(d) !== null, because('validation.not_a_date', 'not a date (YYYY-MM-DD)'));

/** An ID number is optional; a resident ID, when given, must pass the national checksum. */
function idNumberRule(person: { idType: IdType; idNumber: string }, ctx: z.RefinementCtx): void {
  if (person.idType !== 'resident_id' || !person.idNumber) return;
  const problem = residentIdProblem(person.idNumber);
  if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], ...because(RESIDENT_ID_REASONS[problem], RESIDENT_ID_MESSAGES[problem]) });
}
const IdNumber = z
  .string()
  .trim()
  .max(30, { message: 'at most 30 characters' })
  .transform((v) => v.toUpperCase())
  .default('');

// ── Police ────────────────────────────────────────────────────────────────────────────────────

export const POLICE_STATES = ['dispatched', 'acknowledged', 'on_scene', 'outcome_recorded', 'closed'] as const;
export type PoliceState = (typeof POLICE_STATES)[number];

export const POLICE_OUTCOMES = ['arrested', 'dispersed', 'handed_over', 'false_alarm'] as const;
export const PoliceOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('arrested'), count: z.number().int().min(1, { message: 'at least 1' }).max(999) }).strict(),
  z.object({ kind: z.literal('dispersed') }).strict(),
  z.object({ kind: z.literal('handed_over') }).strict(),
  z.object({ kind: z.literal('false_alarm') }).strict(),
]);
export type PoliceOutcome = z.infer<typeof PoliceOutcome>;

// ── Mediation ─────────────────────────────────────────────────────────────────────────────────

export const MEDIATION_STATES = ['open', 'agreed', 'failed', 'closed'] as const;
export type MediationState = (typeof MEDIATION_STATES)[number];
/** "Small matters do not leave the village, major matters do not leave the island": one level up at a time. */
export const MEDIATION_LEVELS = ['village', 'town', 'county', 'city'] as const;
export const MediationLevel = z.enum(MEDIATION_LEVELS);
export type MediationLevel = z.infer<typeof MediationLevel>;
export const DISPUTE_TYPES = ['debt', 'wages', 'neighbour', 'family', 'land', 'contract', 'other'] as const;
export const DisputeType = z.enum(DISPUTE_TYPES);
export const PARTY_ROLES = ['applicant', 'respondent', 'third_party'] as const;
export const PartyRole = z.enum(PARTY_ROLES);

export function nextLevel(level: MediationLevel): MediationLevel | null {
  return MEDIATION_LEVELS[MEDIATION_LEVELS.indexOf(level) + 1] ?? null;
}

export const PartyDraft = z
  .object({
    name: Name,
    role: PartyRole,
    phone: Phone.default(''),
    idType: IdType.default('resident_id'),
    idNumber: IdNumber,
  })
  .strict()
  .superRefine(idNumberRule);
export type PartyDraft = z.input<typeof PartyDraft>;

export const MediationSession = z
  .object({
    startAt: EpochMs,
    endAt: EpochMs,
    room: z.string().trim().min(1, { message: 'required' }).max(WORKFLOW_LIMITS.name),
    attendees: z.array(Name).max(WORKFLOW_LIMITS.attendees).default([]),
    minutes: text(false),
  })
  .strict()
  .refine((s) => s.endAt > s.startAt, { ...because('validation.end_before_start', 'the end must be after the start'), path: ['endAt'] });
export type MediationSessionInput = z.input<typeof MediationSession>;

// ── Quarantine ────────────────────────────────────────────────────────────────────────────────

export const QUARANTINE_PERSON_STATES = ['in_quarantine', 'released'] as const;
export type QuarantinePersonState = (typeof QUARANTINE_PERSON_STATES)[number];

export const PersonDraft = z
  .object({
    name: Name,
    idType: IdType,
    idNumber: IdNumber,
    nationality: z.string().trim().min(1, { message: 'required' }).max(60).default('中国'),
    phone: Phone.default(''),
  })
  .strict()
  .superRefine(idNumberRule);
export type PersonDraft = z.input<typeof PersonDraft>;

// ── Escalation: one command per click ─────────────────────────────────────────────────────────

export const Escalation = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('police'),
      unitId: Id,
      /** What is asked of the station, printed on the dispatch slip. */
      ask: text(true),
      tier: Tier.default('simple'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('mediation'),
      unitId: Id,
      ask: text(true),
      level: MediationLevel.default('village'),
      disputeType: DisputeType,
      /** Whole yuan. */
      amountInDispute: z.number().int().min(0).max(WORKFLOW_LIMITS.amount).default(0),
      visitorCount: z.number().int().min(0).max(WORKFLOW_LIMITS.visitors).default(0),
      parties: z.array(PartyDraft).max(WORKFLOW_LIMITS.parties).default([]),
      lawyerId: Id.nullable().default(null),
      counsellorId: Id.nullable().default(null),
      /** Absent: the configured mediation term. */
      termDays: z.number().int().min(1).max(90).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('quarantine'),
      unitId: Id,
      ask: text(false),
      startDate: IsoDate,
      /** Either a term in days (absent: the configured default) or an explicit end date. */
      termDays: z.number().int().min(1).max(60).optional(),
      endDate: IsoDate.optional(),
      persons: z.array(PersonDraft).min(1, { message: 'at least one person' }).max(WORKFLOW_LIMITS.persons),
    })
    .strict()
    .superRefine((q, ctx) => {
      if (q.endDate === undefined || shanghaiDateStart(q.startDate) === null || shanghaiDateStart(q.endDate) === null) return;
      if (daysBetween(q.startDate, q.endDate) <= 0) ctx.addIssue({ code: 'custom', path: ['endDate'], ...because('validation.end_before_start', 'the end date must be after the start date') });
      if (q.termDays !== undefined) ctx.addIssue({ code: 'custom', path: ['termDays'], ...because('workflows.term_or_end', 'give a term or an end date, not both') });
    }),
]);
export type Escalation = z.input<typeof Escalation>;

// ── Steps: every later action on a workflow ───────────────────────────────────────────────────

const note = text(false);
export const WorkflowStep = z.discriminatedUnion('action', [
  z.object({ action: z.literal('acknowledge'), note }).strict(),
  z.object({ action: z.literal('arrive'), note }).strict(),
  z.object({ action: z.literal('record_outcome'), outcome: PoliceOutcome, note }).strict(),
  z.object({ action: z.literal('close'), note }).strict(),
  z.object({ action: z.literal('add_session'), session: MediationSession }).strict(),
  z
    .object({
      action: z.literal('record_agreement'),
      amountSettled: z.number().int().min(0).max(WORKFLOW_LIMITS.amount),
      terms: text(true),
    })
    .strict(),
  z.object({ action: z.literal('record_failure'), reason: text(true) }).strict(),
  z.object({ action: z.literal('escalate'), reason: text(true) }).strict(),
  z.object({ action: z.literal('refer_court'), reason: text(true) }).strict(),
  z.object({ action: z.literal('follow_up'), note: text(true) }).strict(),
  z
    .object({
      action: z.literal('check'),
      personId: Id,
      temperature: z.number().min(34, { message: 'below 34 °C: measure again' }).max(43, { message: 'above 43 °C: measure again' }),
      symptoms: z.string().trim().max(200).default(''),
      note,
    })
    .strict(),
  z.object({ action: z.literal('extend'), personId: Id, days: z.number().int().min(1).max(60), reason: text(true) }).strict(),
  /** Release on or after the end date; earlier is an early release and needs a reason. */
  z.object({ action: z.literal('release'), personId: Id, reason: note }).strict(),
]);
export type WorkflowStep = z.input<typeof WorkflowStep>;
export type WorkflowAction = WorkflowStep['action'];

interface Rule {
  kind: WorkflowKind;
  from: readonly string[];
  /** 'same': the workflow keeps its state (a session, a daily check). */
  to: string;
}

/** Every workflow's state machine in one table: action → the kind it belongs to, from, to. */
export const WORKFLOW_RULES: Readonly<Record<WorkflowAction, Rule>> = {
  // A station may report arriving without acknowledging first: arriving acknowledges.
  acknowledge: { kind: 'police', from: ['dispatched'], to: 'acknowledged' },
  arrive: { kind: 'police', from: ['dispatched', 'acknowledged'], to: 'on_scene' },
  record_outcome: { kind: 'police', from: ['on_scene'], to: 'outcome_recorded' },
  close: { kind: 'police', from: ['outcome_recorded'], to: 'closed' },
  add_session: { kind: 'mediation', from: ['open'], to: 'same' },
  record_agreement: { kind: 'mediation', from: ['open'], to: 'agreed' },
  record_failure: { kind: 'mediation', from: ['open'], to: 'failed' },
  escalate: { kind: 'mediation', from: ['open', 'failed'], to: 'open' },
  refer_court: { kind: 'mediation', from: ['failed'], to: 'closed' },
  follow_up: { kind: 'mediation', from: ['agreed'], to: 'closed' },
  // Per person: the workflow stays active until the last person is released.
  check: { kind: 'quarantine', from: ['in_quarantine'], to: 'same' },
  extend: { kind: 'quarantine', from: ['in_quarantine'], to: 'same' },
  release: { kind: 'quarantine', from: ['in_quarantine'], to: 'released' },
};

export const WORKFLOW_ACTIONS = Object.keys(WORKFLOW_RULES) as WorkflowAction[];

export const INITIAL_STATE: Record<WorkflowKind, string> = { police: 'dispatched', mediation: 'open', quarantine: 'active' };
export const WORKFLOW_STATES: Record<WorkflowKind, readonly string[]> = {
  police: POLICE_STATES,
  mediation: MEDIATION_STATES,
  quarantine: ['active', 'closed'],
};
export function isWorkflowClosed(status: string): boolean {
  return status === 'closed';
}

export interface StepContext {
  kind: WorkflowKind;
  /** The workflow's state; for quarantine steps the person's state. */
  state: string;
  /** Mediation only: the current level. */
  level?: MediationLevel;
}

export type StepCheck = { ok: true; to: string } | { ok: false; reason: 'wrong_kind' | 'not_allowed' | 'top_level'; allowed: WorkflowAction[] };

export function allowedSteps(ctx: StepContext): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => {
    const rule = WORKFLOW_RULES[a];
    if (rule.kind !== ctx.kind || !rule.from.includes(ctx.state)) return false;
    return !(a === 'escalate' && ctx.level && nextLevel(ctx.level) === null);
  });
}

export function checkStep(ctx: StepContext, action: WorkflowAction): StepCheck {
  const rule = WORKFLOW_RULES[action];
  const allowed = allowedSteps(ctx);
  if (rule.kind !== ctx.kind) return { ok: false, reason: 'wrong_kind', allowed };
  if (!rule.from.includes(ctx.state)) return { ok: false, reason: 'not_allowed', allowed };
  if (action === 'escalate' && ctx.level && nextLevel(ctx.level) === null) return { ok: false, reason: 'top_level', allowed };
  return { ok: true, to: rule.to === 'same' ? ctx.state : rule.to };
}

// ── Police timers ─────────────────────────────────────────────────────────────────────────────

export interface Timer {
  elapsedMs: number;
  limitMs: number;
  over: boolean;
  /** Stopped: the step it measures has happened. */
  stopped: boolean;
}

/** Dispatch → acknowledge and dispatch → arrival, running until the step happens. */
export function policeTimers(
  times: { dispatchedAt: number; acknowledgedAt: number | null; arrivedAt: number | null },
  now: number,
  limits: { policeAckMinutes: number; policeArrivalMinutes: number },
): { acknowledge: Timer; arrival: Timer } {
  const timer = (end: number | null, limitMinutes: number): Timer => {
    const elapsedMs = Math.max(0, (end ?? now) - times.dispatchedAt);
    const limitMs = limitMinutes * 60_000;
    return { elapsedMs, limitMs, over: elapsedMs > limitMs, stopped: end !== null };
  };
  return {
    acknowledge: timer(times.acknowledgedAt ?? times.arrivedAt, limits.policeAckMinutes),
    arrival: timer(times.arrivedAt, limits.policeArrivalMinutes),
  };
}

// ── Views sent to the renderer (personal data masked) ─────────────────────────────────────────

export const UnitRef = z.object({ id: Id, name: z.string(), phone: z.string(), radioChannel: z.string() });
export type UnitRef = z.infer<typeof UnitRef>;

export const PartyView = z.object({
  id: Id,
  name: z.string(),
  role: PartyRole,
  phoneMasked: z.string(),
  idType: IdType,
  idNumberMasked: z.string(),
});
export const PersonView = z.object({
  id: Id,
  name: z.string(),
  idType: IdType,
  idNumberMasked: z.string(),
  nationality: z.string(),
  phoneMasked: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  status: z.enum(QUARANTINE_PERSON_STATES),
  releasedAt: z.number().int().nullable(),
  releaseReason: z.string(),
  checks: z.array(
    z.object({ at: z.number().int(), temperature: z.number(), symptoms: z.string(), note: z.string(), actor: z.string() }),
  ),
});
export type PersonView = z.infer<typeof PersonView>;

export const Workflow = z.object({
  id: Id,
  incidentId: Id,
  incidentCode: z.string(),
  kind: WorkflowKind,
  unit: UnitRef,
  status: z.string(),
  tier: Tier.nullable(),
  ask: z.string(),
  deadline: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  version: z.number().int().positive(),
  allowedActions: z.array(z.string()),
  police: z
    .object({
      acknowledgedAt: z.number().int().nullable(),
      arrivedAt: z.number().int().nullable(),
      outcome: PoliceOutcome.nullable(),
    })
    .nullable(),
  mediation: z
    .object({
      level: MediationLevel,
      disputeType: DisputeType,
      amountInDispute: z.number().int(),
      visitorCount: z.number().int(),
      lawyer: UnitRef.nullable(),
      counsellor: UnitRef.nullable(),
      parties: z.array(PartyView),
      sessions: z.array(
        z.object({ startAt: z.number().int(), endAt: z.number().int(), room: z.string(), attendees: z.array(z.string()), minutes: z.string() }),
      ),
      agreement: z.object({ amountSettled: z.number().int(), terms: z.string() }).nullable(),
      failureReason: z.string(),
      followUp: z.string(),
    })
    .nullable(),
  quarantine: z.object({ termDays: z.number().int(), persons: z.array(PersonView) }).nullable(),
});
export type Workflow = z.infer<typeof Workflow>;

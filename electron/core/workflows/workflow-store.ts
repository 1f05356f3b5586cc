import { v7 as uuidv7 } from 'uuid';
import {
  COSIGNED_MEDIATION_LEVELS,
  ContractError,
  DAY_MS,
  DEFAULT_WORKFLOW_SETTINGS,
  ESCALATION_UNIT_KIND,
  INITIAL_STATE,
  WorkflowSettings,
  addDays,
  allowedSteps,
  checkExtension,
  checkStep,
  daysBetween,
  maskIdNumber,
  maskPhone,
  nextLevel,
  recommendUnit,
  shanghaiDate,
  shanghaiDateStart,
  termDeadline,
  tierDays,
  type IdType,
  type MediationLevel,
  type ParsedInput,
  type PoliceOutcome,
  type Tier,
  type UnitKind,
  type Workflow,
  type WorkflowKind,
} from '@shared';
import type { Db } from '../store';
import type { SettingsStore } from '../store';
import type { Change, IncidentStore } from '../incidents';
import { toUnit, type UnitRow, type UnitStore } from './unit-store';
import { requireCosign } from '../contract';

type EscalationInput = ParsedInput<'workflows.escalate'>['escalation'];
type StepInput = ParsedInput<'workflows.step'>['step'];
type CommandResult = { change: Change; workflow: Workflow };

interface WorkflowRow {
  rid: number;
  id: string;
  incident_rid: number;
  kind: WorkflowKind;
  unit_rid: number;
  status: string;
  tier: Tier | null;
  ask: string;
  deadline: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  version: number;
  acknowledged_at: number | null;
  arrived_at: number | null;
  outcome: string | null;
  level: MediationLevel | null;
  dispute_type: string | null;
  amount_in_dispute: number | null;
  visitor_count: number | null;
  lawyer_rid: number | null;
  counsellor_rid: number | null;
  agreement: string | null;
  failure_reason: string;
  follow_up: string;
  term_days: number | null;
}

interface PersonRow {
  rid: number;
  id: string;
  workflow_rid: number;
  site_rid: number;
  name: string;
  id_type: IdType;
  id_number: string;
  nationality: string;
  phone: string;
  start_date: string;
  end_date: string;
  status: 'in_quarantine' | 'released';
  released_at: number | null;
  release_reason: string;
}

const MEDIATOR_KINDS: readonly UnitKind[] = ['mediation_committee', 'village_committee', 'mediation_room'];
const UNIT_KINDS_FOR: Record<WorkflowKind, readonly UnitKind[]> = {
  police: ['police_station'],
  mediation: MEDIATOR_KINDS,
  quarantine: ['quarantine_site'],
};
const SETTINGS_KEY = 'workflows.settings';

interface SupervisionSource {
  type: 'incident' | 'workflow';
  incidentId: string;
  workflowId: string | null;
  kind: WorkflowKind | null;
  code: string;
  title: string;
  unitName: string;
  gridId: string | null;
  deadline: number;
  status: string;
}

function toSupervisionRow({ status, ...item }: SupervisionSource, now: number) {
  return { ...item, status, state: item.deadline < now ? ('overdue' as const) : ('due_soon' as const) };
}

/** Police, mediation and quarantine workflows, each step on the incident's hash-chained timeline. */
export class WorkflowStore {
  private readonly byId;
  private readonly unitByRid;
  private readonly incidentRef;

  constructor(
    private readonly db: Db,
    private readonly incidents: IncidentStore,
    private readonly units: UnitStore,
    private readonly settingsStore: SettingsStore,
  ) {
    this.byId = db.prepare<[string], WorkflowRow>('SELECT * FROM workflows WHERE id = ?');
    this.unitByRid = db.prepare<[number], UnitRow>('SELECT * FROM units WHERE rid = ?');
    this.incidentRef = db.prepare<[string], { rid: number; id: string; code: string; status: string; grid_id: string | null }>(
      'SELECT rid, id, code, status, grid_id FROM incidents WHERE id = ?',
    );
  }

  settings(): WorkflowSettings {
    const raw = this.settingsStore.get(SETTINGS_KEY);
    const parsed = raw ? WorkflowSettings.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : DEFAULT_WORKFLOW_SETTINGS;
  }

  updateSettings(settings: WorkflowSettings): WorkflowSettings {
    this.settingsStore.set(SETTINGS_KEY, JSON.stringify(settings));
    return this.settings();
  }

  /** What the confirm sheet needs: candidates of the right kind (with free places for sites) and the recommended one. */
  prepare(incidentId: string, kind: WorkflowKind) {
    const incident = this.incident(incidentId);
    const occupied = this.occupancy();
    const candidates = UNIT_KINDS_FOR[kind]
      .flatMap((k) => this.units.list(k))
      .map((u) => ({ ...u, free: u.capacity === null ? null : u.capacity - (occupied.get(u.id) ?? 0) }));
    // A full site is never recommended; among the rest: on duty, serving the grid.
    const usable = candidates.filter((u) => u.free === null || u.free > 0);
    const preferred = kind === 'mediation' ? usable.filter((u) => u.kind === ESCALATION_UNIT_KIND.mediation) : usable;
    const recommended = recommendUnit(preferred.length ? preferred : usable, incident.grid_id);
    return {
      candidates,
      recommendedId: recommended?.id ?? null,
      lawyers: this.units.list('lawyer'),
      counsellors: this.units.list('counsellor'),
      settings: this.settings(),
    };
  }

  escalate(incidentId: string, input: EscalationInput, actor: string, at: number): CommandResult {
    return this.incidents.write(() => {
      const incident = this.incident(incidentId);
      if (incident.status === 'closed') {
        throw ContractError.conflict(`incident ${incident.code} is closed; open a new incident instead`, undefined, { reason: 'workflows.incident_closed', params: { code: incident.code } });
      }
      const unit = this.units.rowOfKind(input.unitId, UNIT_KINDS_FOR[input.kind], 'escalation.unitId');
      const settings = this.settings();
      const id = uuidv7({ msecs: at });
      const base = {
        id,
        incident_rid: incident.rid,
        kind: input.kind,
        unit_rid: unit.rid,
        status: INITIAL_STATE[input.kind],
        ask: input.ask,
        created_at: at,
      };
      const payload: Record<string, unknown> = { workflowId: id, kind: input.kind, unitId: unit.id, unitName: unit.name, ask: input.ask };
      switch (input.kind) {
        case 'police': {
          const deadline = termDeadline(at, tierDays(input.tier, settings));
          this.insertWorkflow({ ...base, tier: input.tier, deadline });
          Object.assign(payload, { tier: input.tier, deadline });
          break;
        }
        case 'mediation': {
          const lawyer = input.lawyerId ? this.units.rowOfKind(input.lawyerId, ['lawyer'], 'escalation.lawyerId') : null;
          const counsellor = input.counsellorId ? this.units.rowOfKind(input.counsellorId, ['counsellor'], 'escalation.counsellorId') : null;
          const deadline = termDeadline(at, input.termDays ?? settings.mediationTermDays);
          const rid = this.insertWorkflow({
            ...base,
            deadline,
            level: input.level,
            dispute_type: input.disputeType,
            amount_in_dispute: input.amountInDispute,
            visitor_count: input.visitorCount,
            lawyer_rid: lawyer?.rid ?? null,
            counsellor_rid: counsellor?.rid ?? null,
          });
          const insertParty = this.db.prepare(
            'INSERT INTO mediation_parties (id, workflow_rid, name, role, phone, id_type, id_number) VALUES (?, ?, ?, ?, ?, ?, ?)',
          );
          for (const p of input.parties) insertParty.run(uuidv7({ msecs: at }), rid, p.name, p.role, p.phone, p.idType, p.idNumber);
          Object.assign(payload, {
            level: input.level,
            disputeType: input.disputeType,
            amountInDispute: input.amountInDispute,
            visitorCount: input.visitorCount,
            lawyer: lawyer?.name ?? null,
            counsellor: counsellor?.name ?? null,
            parties: input.parties.map((p) => ({ name: p.name, role: p.role })),
            deadline,
          });
          break;
        }
        case 'quarantine': {
          const endDate = input.endDate ?? addDays(input.startDate, input.termDays ?? settings.quarantineTermDays);
          const termDays = daysBetween(input.startDate, endDate);
          const free = unit.capacity! - this.occupiedAt(unit.rid);
          if (input.persons.length > free) {
            throw ContractError.field(
              'escalation.unitId',
              'workflows.capacity',
              `${unit.name} has ${Math.max(free, 0)} free places of ${unit.capacity}; ${input.persons.length} people do not fit`,
              { site: unit.name, free: Math.max(free, 0), total: unit.capacity, count: input.persons.length },
              `capacity exceeded: ${Math.max(free, 0)} free of ${unit.capacity}`,
            );
          }
          this.refuseDoubleQuarantine(input.persons);
          const deadline = shanghaiDateStart(endDate)! + DAY_MS;
          const rid = this.insertWorkflow({ ...base, deadline, term_days: termDays });
          const insertPerson = this.db.prepare(
            `INSERT INTO quarantine_persons (id, workflow_rid, site_rid, name, id_type, id_number, nationality, phone, start_date, end_date, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_quarantine')`,
          );
          for (const p of input.persons) {
            insertPerson.run(uuidv7({ msecs: at }), rid, unit.rid, p.name, p.idType, p.idNumber, p.nationality, p.phone, input.startDate, endDate);
          }
          Object.assign(payload, {
            startDate: input.startDate,
            endDate,
            termDays,
            // The timeline (and the uplink) carry masked numbers; the full ones stay in the table.
            persons: input.persons.map((p) => ({ name: p.name, idType: p.idType, idNumber: maskIdNumber(p.idNumber), nationality: p.nationality })),
            deadline,
          });
          break;
        }
      }
      // Escalating a new incident delegates it: the loop's "diversion and delegation" step.
      if (incident.status === 'reported') {
        const { incident: current } = this.incidents.get(incident.id);
        this.incidents.transition(
          incident.id,
          current.version,
          { action: 'dispatch', assignee: { kind: 'unit', name: unit.name }, note: input.ask },
          actor,
          at,
        );
      }
      const change = this.incidents.touch(incident.id, 'workflow_started', payload, actor, at);
      return { change, workflow: this.view(this.byId.get(id)!) };
    });
  }

  step(id: string, expectedVersion: number, step: StepInput, actor: string, at: number): CommandResult {
    return this.incidents.write(() => {
      const row = this.load(id, expectedVersion);
      const person = 'personId' in step ? this.person(row, step.personId) : null;
      const state = person ? person.status : row.status;
      const check = checkStep({ kind: row.kind, state, level: row.level ?? undefined }, step.action);
      if (!check.ok) {
        const allowed = allowedSteps({ kind: row.kind, state, level: row.level ?? undefined });
        const why =
          check.reason === 'wrong_kind'
            ? `"${step.action}" is not a step of a ${row.kind} workflow`
            : check.reason === 'top_level'
              ? 'mediation is already at city level and cannot go higher; refer it to court instead'
              : `"${step.action}" is not allowed while the ${row.kind} workflow is ${state}`;
        const reason = check.reason === 'wrong_kind' ? 'workflows.wrong_kind' : check.reason === 'top_level' ? 'workflows.top_level' : 'workflows.step_not_allowed';
        throw ContractError.conflict(`${why}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`, allowed, { reason, params: { action: step.action, kind: row.kind, state } });
      }
      const set: Record<string, unknown> = {};
      const payload: Record<string, unknown> = { workflowId: row.id, kind: row.kind, action: step.action, from: state, to: check.to };
      switch (step.action) {
        case 'acknowledge':
          Object.assign(set, { status: check.to, acknowledged_at: at });
          payload.note = step.note;
          break;
        case 'arrive':
          Object.assign(set, { status: check.to, arrived_at: at, acknowledged_at: row.acknowledged_at ?? at });
          payload.note = step.note;
          break;
        case 'record_outcome':
          Object.assign(set, { status: check.to, outcome: JSON.stringify(step.outcome) });
          Object.assign(payload, { outcome: step.outcome, note: step.note });
          break;
        case 'close':
          Object.assign(set, { status: check.to, closed_at: at });
          payload.note = step.note;
          break;
        case 'add_session':
          this.db
            .prepare('INSERT INTO mediation_sessions (workflow_rid, start_at, end_at, room, attendees, minutes) VALUES (?, ?, ?, ?, ?, ?)')
            .run(row.rid, step.session.startAt, step.session.endAt, step.session.room, JSON.stringify(step.session.attendees), step.session.minutes);
          payload.session = step.session;
          break;
        case 'record_agreement':
          Object.assign(set, { status: check.to, agreement: JSON.stringify({ amountSettled: step.amountSettled, terms: step.terms }) });
          Object.assign(payload, { amountSettled: step.amountSettled, terms: step.terms, level: row.level });
          break;
        case 'record_failure':
          Object.assign(set, { status: check.to, failure_reason: step.reason });
          payload.reason = step.reason;
          break;
        case 'escalate': {
          const level = nextLevel(row.level!)!;
          // To county or city: the case leaves the island ("major matters do not leave the island"), co-signed.
          if ((COSIGNED_MEDIATION_LEVELS as readonly string[]).includes(level)) requireCosign('mediation.county');
          // A new level gets a new term: the higher body starts from the day it receives the case.
          const deadline = termDeadline(at, this.settings().mediationTermDays);
          Object.assign(set, { status: check.to, level, deadline });
          Object.assign(payload, { fromLevel: row.level, toLevel: level, reason: step.reason, deadline });
          break;
        }
        case 'refer_court':
          Object.assign(set, { status: check.to, closed_at: at, failure_reason: step.reason });
          payload.reason = step.reason;
          break;
        case 'follow_up':
          Object.assign(set, { status: check.to, closed_at: at, follow_up: step.note });
          payload.note = step.note;
          break;
        case 'check':
          this.db
            .prepare('INSERT INTO quarantine_checks (person_rid, at, temperature, symptoms, note, actor) VALUES (?, ?, ?, ?, ?, ?)')
            .run(person!.rid, at, step.temperature, step.symptoms, step.note, actor);
          Object.assign(payload, { personId: person!.id, name: person!.name, temperature: step.temperature, symptoms: step.symptoms, note: step.note });
          break;
        case 'extend': {
          const endDate = addDays(person!.end_date, step.days);
          const term = daysBetween(person!.start_date, endDate);
          if (term > 60) {
            throw ContractError.field('step.days', 'workflows.term_over', `the term would be ${term} days; at most 60`, { days: term, max: 60 }, 'term over 60 days');
          }
          this.db.prepare('UPDATE quarantine_persons SET end_date = ? WHERE rid = ?').run(endDate, person!.rid);
          Object.assign(payload, { personId: person!.id, name: person!.name, fromEndDate: person!.end_date, toEndDate: endDate, reason: step.reason });
          break;
        }
        case 'release': {
          const today = shanghaiDate(at);
          const early = today < person!.end_date;
          if (early && !step.reason) {
            throw ContractError.field('step.reason', 'workflows.early_release', `release before the end date (${person!.end_date}) needs a reason`, { endDate: person!.end_date }, 'early release needs a reason');
          }
          if (early) requireCosign('quarantine.early_release');
          this.db
            .prepare("UPDATE quarantine_persons SET status = 'released', released_at = ?, release_reason = ? WHERE rid = ?")
            .run(at, step.reason, person!.rid);
          Object.assign(payload, { personId: person!.id, name: person!.name, early, endDate: person!.end_date, reason: step.reason });
          break;
        }
      }
      if (row.kind === 'quarantine') Object.assign(set, this.quarantineRollup(row.rid, at));
      this.updateWorkflow(row.rid, { ...set, updated_at: at });
      const change = this.incidents.touch(this.incidentIdOf(row), 'workflow_step', payload, actor, at);
      return { change, workflow: this.view(this.byId.get(id)!) };
    });
  }

  /** A longer supervision term: past the hard-case term an approver co-signs; never past the maximum. */
  extendDeadline(id: string, expectedVersion: number, days: number, reason: string, actor: string, at: number): CommandResult {
    return this.incidents.write(() => {
      const row = this.load(id, expectedVersion);
      if (row.status === 'closed') throw ContractError.conflict('the workflow is closed', undefined, { reason: 'workflows.closed' });
      if (row.kind === 'quarantine') {
        throw ContractError.field('days', 'workflows.extend_per_person', 'a quarantine ends on its end date; extend the person’s term instead', {}, 'extend the term per person');
      }
      const settings = this.settings();
      const check = checkExtension(days, settings);
      if (!check.ok) throw ContractError.field(check.field, check.reason, check.message, check.params);
      if (check.needsApproval) requireCosign('deadline.beyond_hard');
      const deadline = termDeadline(row.created_at, days);
      if (deadline <= row.deadline) {
        throw ContractError.field('days', 'workflows.not_later', 'the new term does not end later than the current one', {}, 'not later than the current deadline');
      }
      this.updateWorkflow(row.rid, { deadline, updated_at: at });
      const change = this.incidents.touch(
        this.incidentIdOf(row),
        'deadline_extended',
        // The approver is the event's co-signer (old events carry a typed-in `approvedBy`).
        { workflowId: row.id, kind: row.kind, fromDeadline: row.deadline, toDeadline: deadline, days, reason },
        actor,
        at,
      );
      return { change, workflow: this.view(this.byId.get(id)!) };
    });
  }

  forIncident(incidentId: string): Workflow[] {
    const incident = this.incident(incidentId);
    return this.db
      .prepare<[number], WorkflowRow>('SELECT * FROM workflows WHERE incident_rid = ? ORDER BY rid')
      .all(incident.rid)
      .map((row) => this.view(row));
  }

  /** The full ID and phone number of one person or party; the look is recorded on the incident's timeline. */
  reveal(workflowId: string, personId: string, actor: string, at: number) {
    return this.incidents.write(() => {
      const row = this.load(workflowId);
      const found =
        this.db
          .prepare<[string, number], { id: string; name: string; id_type: IdType; id_number: string; phone: string }>(
            'SELECT id, name, id_type, id_number, phone FROM quarantine_persons WHERE id = ? AND workflow_rid = ?',
          )
          .get(personId, row.rid) ??
        this.db
          .prepare<[string, number], { id: string; name: string; id_type: IdType; id_number: string; phone: string }>(
            'SELECT id, name, id_type, id_number, phone FROM mediation_parties WHERE id = ? AND workflow_rid = ?',
          )
          .get(personId, row.rid);
      if (!found) throw ContractError.notFound(`no person ${personId} in this workflow`, { reason: 'workflows.unknown_person' });
      const change = this.incidents.touch(
        this.incidentIdOf(row),
        'personal_data_viewed',
        { workflowId: row.id, kind: row.kind, personId: found.id, name: found.name },
        actor,
        at,
      );
      return { change, person: { id: found.id, name: found.name, idType: found.id_type, idNumber: found.id_number, phone: found.phone } };
    });
  }

  /** Every quarantine site: capacity, who is there, who is due for release today (Shanghai calendar). */
  board(now: number) {
    const today = shanghaiDate(now);
    const persons = this.db
      .prepare<[], PersonRow & { workflow_id: string; incident_id: string; incident_code: string }>(
        `SELECT p.*, w.id AS workflow_id, i.id AS incident_id, i.code AS incident_code
         FROM quarantine_persons p JOIN workflows w ON w.rid = p.workflow_rid JOIN incidents i ON i.rid = w.incident_rid
         WHERE p.status = 'in_quarantine' ORDER BY p.end_date, p.name`,
      )
      .all();
    const sites = this.units.list('quarantine_site').map((unit) => {
      const siteRid = this.db.prepare<[string], { rid: number }>('SELECT rid FROM units WHERE id = ?').get(unit.id)!.rid;
      const here = persons
        .filter((p) => p.site_rid === siteRid)
        .map((p) => ({
          personId: p.id,
          workflowId: p.workflow_id,
          incidentId: p.incident_id,
          incidentCode: p.incident_code,
          name: p.name,
          idType: p.id_type,
          idNumberMasked: maskIdNumber(p.id_number),
          nationality: p.nationality,
          startDate: p.start_date,
          endDate: p.end_date,
          dayOfTerm: daysBetween(p.start_date, today) + 1,
          termDays: daysBetween(p.start_date, p.end_date),
          dueToday: p.end_date === today,
          overdue: p.end_date < today,
        }));
      return { unit, capacity: unit.capacity ?? 0, occupied: here.length, persons: here };
    });
    return { today, sites };
  }

  /** Counts on idx_workflows_open_deadline (partial: open workflows only). */
  summary(now: number): { open: number; overdue: number } {
    return this.db
      .prepare<[number], { open: number; overdue: number }>(
        `SELECT (SELECT count(*) FROM workflows WHERE closed_at IS NULL) AS open,
                (SELECT count(*) FROM workflows WHERE closed_at IS NULL AND deadline < ?) AS overdue`,
      )
      .get(now)!;
  }

  /** Open incidents and workflows past or near their deadline, with counts per unit and grid. */
  supervision(now: number, dueSoonMs: number) {
    const horizon = now + dueSoonMs;
    const incidents = this.db
      .prepare<[number], { id: string; code: string; title: string; grid_id: string | null; assignee_name: string | null; deadline: number; status: string }>(
        // Open incidents' list_key is their deadline (migration 002): a range on idx_incidents_list.
        'SELECT id, code, title, grid_id, assignee_name, deadline, status FROM incidents WHERE list_key <= ? ORDER BY list_key LIMIT 500',
      )
      .all(horizon);
    const workflows = this.db
      .prepare<[number], { id: string; kind: WorkflowKind; deadline: number; status: string; incident_id: string; code: string; title: string; grid_id: string | null; unit_name: string }>(
        // idx_workflows_open_deadline: open workflows by deadline.
        `SELECT w.id, w.kind, w.deadline, w.status, i.id AS incident_id, i.code, i.title, i.grid_id, u.name AS unit_name
         FROM workflows w JOIN incidents i ON i.rid = w.incident_rid JOIN units u ON u.rid = w.unit_rid
         WHERE w.closed_at IS NULL AND w.deadline <= ? ORDER BY w.deadline LIMIT 500`,
      )
      .all(horizon);
    const items = [
      ...incidents.map((r) =>
        toSupervisionRow({ type: 'incident', incidentId: r.id, workflowId: null, kind: null, code: r.code, title: r.title, unitName: r.assignee_name ?? '', gridId: r.grid_id, deadline: r.deadline, status: r.status }, now),
      ),
      ...workflows.map((r) =>
        toSupervisionRow({ type: 'workflow', incidentId: r.incident_id, workflowId: r.id, kind: r.kind, code: r.code, title: r.title, unitName: r.unit_name, gridId: r.grid_id, deadline: r.deadline, status: r.status }, now),
      ),
    ].sort((a, b) => a.deadline - b.deadline);
    const counts = (key: (item: (typeof items)[number]) => string) => {
      const map = new Map<string, { key: string; overdue: number; dueSoon: number }>();
      for (const item of items) {
        const k = key(item);
        const entry = map.get(k) ?? { key: k, overdue: 0, dueSoon: 0 };
        if (item.state === 'overdue') entry.overdue += 1;
        else entry.dueSoon += 1;
        map.set(k, entry);
      }
      return [...map.values()].sort((a, b) => b.overdue - a.overdue || b.dueSoon - a.dueSoon || a.key.localeCompare(b.key));
    };
    return { now, items, byUnit: counts((i) => i.unitName), byGrid: counts((i) => i.gridId ?? '') };
  }

  urge(incidentId: string, workflowId: string | null, note: string, actor: string, at: number): Change {
    return this.incidents.write(() => {
      const incident = this.incident(incidentId);
      let target: Record<string, unknown> = {};
      if (workflowId) {
        const row = this.load(workflowId);
        if (row.incident_rid !== incident.rid) throw ContractError.field('workflowId', 'workflows.wrong_incident', 'the workflow belongs to another incident', {}, 'not on this incident');
        const unit = this.unitByRid.get(row.unit_rid)!;
        target = { workflowId: row.id, kind: row.kind, unitName: unit.name, deadline: row.deadline };
      }
      return this.incidents.touch(incident.id, 'supervision_urged', { note, ...target }, actor, at);
    });
  }

  private incident(id: string) {
    const incident = this.incidentRef.get(id);
    if (!incident) throw ContractError.notFound(`no incident with id ${id}`, { reason: 'incidents.not_found' });
    return incident;
  }

  private incidentIdOf(row: WorkflowRow): string {
    return this.db.prepare<[number], { id: string }>('SELECT id FROM incidents WHERE rid = ?').get(row.incident_rid)!.id;
  }

  private load(id: string, expectedVersion?: number): WorkflowRow {
    const row = this.byId.get(id);
    if (!row) throw ContractError.notFound(`no workflow with id ${id}`, { reason: 'workflows.not_found' });
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw ContractError.conflict(`the workflow was changed by someone else (version ${row.version}, you had ${expectedVersion}); reload it and try again`, undefined, {
        reason: 'workflows.stale',
        params: { version: row.version, expected: expectedVersion },
      });
    }
    return row;
  }

  private person(row: WorkflowRow, personId: string): PersonRow {
    const person = this.db
      .prepare<[string, number], PersonRow>('SELECT * FROM quarantine_persons WHERE id = ? AND workflow_rid = ?')
      .get(personId, row.rid);
    if (!person) throw ContractError.field('step.personId', 'workflows.unknown_person', 'no such person in this quarantine', {}, 'not in this quarantine');
    return person;
  }

  private occupiedAt(siteRid: number): number {
    // idx_quarantine_site_status
    return this.db
      .prepare<[number], { n: number }>("SELECT count(*) AS n FROM quarantine_persons WHERE site_rid = ? AND status = 'in_quarantine'")
      .get(siteRid)!.n;
  }

  private occupancy(): Map<string, number> {
    const rows = this.db
      .prepare<[], { id: string; n: number }>(
        "SELECT u.id, count(*) AS n FROM quarantine_persons p JOIN units u ON u.rid = p.site_rid WHERE p.status = 'in_quarantine' GROUP BY u.id",
      )
      .all();
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  private refuseDoubleQuarantine(persons: Extract<EscalationInput, { kind: 'quarantine' }>['persons']): void {
    const find = this.db.prepare<[string, string], { name: string; code: string }>(
      `SELECT p.name, i.code FROM quarantine_persons p JOIN workflows w ON w.rid = p.workflow_rid JOIN incidents i ON i.rid = w.incident_rid
       WHERE p.id_type = ? AND p.id_number = ? AND p.status = 'in_quarantine' LIMIT 1`,
    );
    persons.forEach((p, index) => {
      if (!p.idNumber) return;
      const existing = find.get(p.idType, p.idNumber);
      if (existing) {
        throw ContractError.field(`escalation.persons.${index}.idNumber`, 'workflows.already_in_quarantine', `${p.name} is already in quarantine (${existing.code})`, { name: p.name, code: existing.code }, `already in quarantine (${existing.code})`);
      }
    });
  }

  /** The workflow closes when its last person is released; its deadline follows the latest end date. */
  private quarantineRollup(workflowRid: number, at: number): Record<string, unknown> {
    const r = this.db
      .prepare<[number], { open: number; last_end: string }>(
        "SELECT sum(status = 'in_quarantine') AS open, max(end_date) AS last_end FROM quarantine_persons WHERE workflow_rid = ?",
      )
      .get(workflowRid)!;
    const deadline = shanghaiDateStart(r.last_end)! + DAY_MS;
    return r.open === 0 ? { status: 'closed', closed_at: at, deadline } : { deadline };
  }

  private insertWorkflow(values: Record<string, unknown>): number {
    const row = { version: 1, updated_at: values.created_at, ...values };
    const keys = Object.keys(row);
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO workflows (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`)
      .run(row);
    return Number(lastInsertRowid);
  }

  private updateWorkflow(rid: number, set: Record<string, unknown>): void {
    const keys = Object.keys(set);
    this.db.prepare(`UPDATE workflows SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, version = version + 1 WHERE rid = @rid`).run({ ...set, rid });
  }

  private ref(rid: number | null) {
    if (rid === null) return null;
    const u = toUnit(this.unitByRid.get(rid)!);
    return { id: u.id, name: u.name, phone: u.phone, radioChannel: u.radioChannel };
  }

  view(row: WorkflowRow): Workflow {
    const incident = this.db.prepare<[number], { id: string; code: string }>('SELECT id, code FROM incidents WHERE rid = ?').get(row.incident_rid)!;
    const persons =
      row.kind === 'quarantine'
        ? this.db.prepare<[number], PersonRow>('SELECT * FROM quarantine_persons WHERE workflow_rid = ? ORDER BY rid').all(row.rid)
        : [];
    const checks = this.db.prepare<[number], { at: number; temperature: number; symptoms: string; note: string; actor: string }>(
      'SELECT at, temperature, symptoms, note, actor FROM quarantine_checks WHERE person_rid = ? ORDER BY at',
    );
    return {
      id: row.id,
      incidentId: incident.id,
      incidentCode: incident.code,
      kind: row.kind,
      unit: this.ref(row.unit_rid)!,
      status: row.status,
      tier: row.tier,
      ask: row.ask,
      deadline: row.deadline,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      closedAt: row.closed_at,
      version: row.version,
      allowedActions:
        row.kind === 'quarantine'
          ? persons.some((p) => p.status === 'in_quarantine')
            ? ['check', 'extend', 'release']
            : []
          : allowedSteps({ kind: row.kind, state: row.status, level: row.level ?? undefined }),
      police:
        row.kind === 'police'
          ? { acknowledgedAt: row.acknowledged_at, arrivedAt: row.arrived_at, outcome: row.outcome ? (JSON.parse(row.outcome) as PoliceOutcome) : null }
          : null,
      mediation:
        row.kind === 'mediation'
          ? {
              level: row.level!,
              disputeType: row.dispute_type as NonNullable<Workflow['mediation']>['disputeType'],
              amountInDispute: row.amount_in_dispute ?? 0,
              visitorCount: row.visitor_count ?? 0,
              lawyer: this.ref(row.lawyer_rid),
              counsellor: this.ref(row.counsellor_rid),
              parties: this.db
                .prepare<[number], { id: string; name: string; role: 'applicant' | 'respondent' | 'third_party'; phone: string; id_type: IdType; id_number: string }>(
                  'SELECT id, name, role, phone, id_type, id_number FROM mediation_parties WHERE workflow_rid = ? ORDER BY rid',
                )
                .all(row.rid)
                .map((p) => ({ id: p.id, name: p.name, role: p.role, phoneMasked: maskPhone(p.phone), idType: p.id_type, idNumberMasked: maskIdNumber(p.id_number) })),
              sessions: this.db
                .prepare<[number], { start_at: number; end_at: number; room: string; attendees: string; minutes: string }>(
                  'SELECT start_at, end_at, room, attendees, minutes FROM mediation_sessions WHERE workflow_rid = ? ORDER BY start_at',
                )
                .all(row.rid)
                .map((s) => ({ startAt: s.start_at, endAt: s.end_at, room: s.room, attendees: JSON.parse(s.attendees) as string[], minutes: s.minutes })),
              agreement: row.agreement ? (JSON.parse(row.agreement) as { amountSettled: number; terms: string }) : null,
              failureReason: row.failure_reason,
              followUp: row.follow_up,
            }
          : null,
      quarantine:
        row.kind === 'quarantine'
          ? {
              termDays: row.term_days ?? 0,
              persons: persons.map((p) => ({
                id: p.id,
                name: p.name,
                idType: p.id_type,
                idNumberMasked: maskIdNumber(p.id_number),
                nationality: p.nationality,
                phoneMasked: maskPhone(p.phone),
                startDate: p.start_date,
                endDate: p.end_date,
                status: p.status,
                releasedAt: p.released_at,
                releaseReason: p.release_reason,
                checks: checks.all(p.rid),
              })),
            }
          : null,
    };
  }
}

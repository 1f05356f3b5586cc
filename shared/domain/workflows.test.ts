import { describe, expect, it } from 'vitest';
import {
  Escalation,
  INITIAL_STATE,
  MEDIATION_LEVELS,
  MediationSession,
  PersonDraft,
  WORKFLOW_ACTIONS,
  WORKFLOW_RULES,
  WORKFLOW_STATES,
  WorkflowStep,
  allowedSteps,
  checkStep,
  nextLevel,
  policeTimers,
  type WorkflowKind,
} from './workflows';

const UNIT = '0196a000-0000-7000-8000-000000000001';

describe('the workflow state machines', () => {
  // Every (kind, state, action) triple: legal exactly when the table says so.
  const personStates = ['in_quarantine', 'released'];
  const states = (kind: WorkflowKind) => (kind === 'quarantine' ? personStates : WORKFLOW_STATES[kind]);
  const cases = (['police', 'mediation', 'quarantine'] as const).flatMap((kind) =>
    states(kind).flatMap((state) => WORKFLOW_ACTIONS.map((action) => [kind, state, action] as const)),
  );

  it.each(cases)('%s in %s: %s', (kind, state, action) => {
    const rule = WORKFLOW_RULES[action];
    const check = checkStep({ kind, state, level: 'village' }, action);
    const legal = rule.kind === kind && rule.from.includes(state);
    expect(check.ok).toBe(legal);
    if (check.ok) expect(check.to).toBe(rule.to === 'same' ? state : rule.to);
    else expect(check.reason).toBe(rule.kind !== kind ? 'wrong_kind' : 'not_allowed');
    expect(allowedSteps({ kind, state, level: 'village' }).includes(action)).toBe(legal);
  });

  it('runs the police story: dispatched → acknowledged → on scene → outcome → closed', () => {
    let state = INITIAL_STATE.police;
    for (const [action, to] of [
      ['acknowledge', 'acknowledged'],
      ['arrive', 'on_scene'],
      ['record_outcome', 'outcome_recorded'],
      ['close', 'closed'],
    ] as const) {
      const check = checkStep({ kind: 'police', state }, action);
      expect(check).toEqual({ ok: true, to });
      state = to;
    }
    expect(allowedSteps({ kind: 'police', state })).toEqual([]);
  });

  it('lets a station arrive without acknowledging first', () => {
    expect(checkStep({ kind: 'police', state: 'dispatched' }, 'arrive')).toEqual({ ok: true, to: 'on_scene' });
  });

  it('escalates mediation one level at a time and never past the city', () => {
    expect(MEDIATION_LEVELS.map(nextLevel)).toEqual(['town', 'county', 'city', null]);
    expect(checkStep({ kind: 'mediation', state: 'failed', level: 'town' }, 'escalate')).toEqual({ ok: true, to: 'open' });
    expect(checkStep({ kind: 'mediation', state: 'failed', level: 'city' }, 'escalate')).toMatchObject({ ok: false, reason: 'top_level' });
    expect(allowedSteps({ kind: 'mediation', state: 'failed', level: 'city' })).toEqual(['refer_court']);
  });

  it('refuses a step of another workflow with the steps that are allowed', () => {
    expect(checkStep({ kind: 'police', state: 'dispatched' }, 'add_session')).toEqual({
      ok: false,
      reason: 'wrong_kind',
      allowed: ['acknowledge', 'arrive'],
    });
  });
});

describe('escalation and step input', () => {
  it('needs an ask, a unit, at least one quarantined person', () => {
    expect(Escalation.safeParse({ kind: 'police', unitId: UNIT, ask: '  ' }).success).toBe(false);
    expect(Escalation.parse({ kind: 'police', unitId: UNIT, ask: '出警核查' })).toMatchObject({ tier: 'simple' });
    const q = Escalation.safeParse({ kind: 'quarantine', unitId: UNIT, startDate: '2026-06-01', persons: [] });
    expect(q.success).toBe(false);
    expect(q.error?.issues[0]?.path).toEqual(['persons']);
  });

  it('refuses an end date before (or on) the start date, and a term together with an end date', () => {
    const person = { name: '甲', idType: 'passport' as const, idNumber: 'E1234567' };
    const base = { kind: 'quarantine' as const, unitId: UNIT, startDate: '2026-06-01', persons: [person] };
    expect(Escalation.safeParse({ ...base, endDate: '2026-05-31' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['endDate']);
    expect(Escalation.safeParse({ ...base, endDate: '2026-06-01' }).success).toBe(false);
    expect(Escalation.safeParse({ ...base, endDate: '2026-06-22' }).success).toBe(true);
    expect(Escalation.safeParse({ ...base, endDate: '2026-06-22', termDays: 21 }).error?.issues[0]?.path).toEqual(['termDays']);
    expect(Escalation.safeParse({ ...base, startDate: '2026-02-30' }).success).toBe(false);
  });

  it('checks a resident ID number, and only a resident ID', () => {
    expect(PersonDraft.safeParse({ name: '甲', idType: 'resident_id', idNumber: '11010519491231002X' }).success).toBe(true);
    expect(PersonDraft.parse({ name: '甲', idType: 'resident_id', idNumber: '11010519491231002x' }).idNumber).toBe('11010519491231002X');
    const bad = PersonDraft.safeParse({ name: '甲', idType: 'resident_id', idNumber: '110105194912310021' });
    expect(bad.error?.issues).toMatchObject([{ path: ['idNumber'], message: expect.stringContaining('check digit') }]);
    expect(PersonDraft.safeParse({ name: '甲', idType: 'passport', idNumber: 'E1234567' }).success).toBe(true);
    expect(PersonDraft.safeParse({ name: '甲', idType: 'resident_id' }).success).toBe(true);
  });

  it('refuses a session that ends before it starts', () => {
    const at = Date.UTC(2026, 5, 1, 2);
    const bad = MediationSession.safeParse({ startAt: at, endAt: at - 1, room: '矛盾纠纷调解室' });
    expect(bad.error?.issues[0]?.path).toEqual(['endAt']);
    expect(MediationSession.safeParse({ startAt: at, endAt: at + 3_600_000, room: '矛盾纠纷调解室' }).success).toBe(true);
  });

  it('needs a count for arrests, a plausible temperature', () => {
    expect(WorkflowStep.safeParse({ action: 'record_outcome', outcome: { kind: 'arrested', count: 0 } }).success).toBe(false);
    expect(WorkflowStep.safeParse({ action: 'record_outcome', outcome: { kind: 'arrested', count: 2 } }).success).toBe(true);
    expect(WorkflowStep.safeParse({ action: 'check', personId: UNIT, temperature: 52 }).success).toBe(false);
  });
});

describe('police timers', () => {
  const limits = { policeAckMinutes: 5, policeArrivalMinutes: 30 };
  const t0 = Date.UTC(2026, 5, 1, 2);

  it('run from dispatch until the step happens, red past the limit', () => {
    const running = policeTimers({ dispatchedAt: t0, acknowledgedAt: null, arrivedAt: null }, t0 + 6 * 60_000, limits);
    expect(running.acknowledge).toEqual({ elapsedMs: 6 * 60_000, limitMs: 5 * 60_000, over: true, stopped: false });
    expect(running.arrival.over).toBe(false);
    const done = policeTimers({ dispatchedAt: t0, acknowledgedAt: t0 + 60_000, arrivedAt: t0 + 40 * 60_000 }, t0 + 90 * 60_000, limits);
    expect(done.acknowledge).toMatchObject({ elapsedMs: 60_000, over: false, stopped: true });
    expect(done.arrival).toMatchObject({ elapsedMs: 40 * 60_000, over: true, stopped: true });
  });

  it('counts arriving without acknowledging as acknowledged at arrival', () => {
    const timers = policeTimers({ dispatchedAt: t0, acknowledgedAt: null, arrivedAt: t0 + 3 * 60_000 }, t0 + 60 * 60_000, limits);
    expect(timers.acknowledge).toMatchObject({ elapsedMs: 3 * 60_000, stopped: true, over: false });
  });
});

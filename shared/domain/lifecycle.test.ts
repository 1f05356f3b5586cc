import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, type EventType, type IncidentStatus } from './incident';
import {
  LIFECYCLE,
  TRANSITION_ACTIONS,
  Transition,
  allowedActions,
  checkTransition,
  isEditable,
  type TransitionAction,
} from './lifecycle';

/**
 * The closed loop, written out by hand (not derived from LIFECYCLE), so a change to the rules
 * has to be made in both places: status → action → [target status, event].
 */
const LEGAL: Record<IncidentStatus, Partial<Record<TransitionAction, [IncidentStatus, EventType]>>> = {
  reported: { dispatch: ['dispatched', 'dispatched'] },
  dispatched: { dispatch: ['dispatched', 'dispatched'], start: ['in_progress', 'started'] },
  in_progress: { submit_feedback: ['feedback_submitted', 'feedback_submitted'] },
  feedback_submitted: { reject_feedback: ['in_progress', 'feedback_rejected'], close: ['closed', 'closed'] },
  closed: { assess: ['closed', 'assessed'] },
};

/** Allowed actions per state, in loop order. */
const ALLOWED: Record<IncidentStatus, TransitionAction[]> = {
  reported: ['dispatch'],
  dispatched: ['dispatch', 'start'],
  in_progress: ['submit_feedback'],
  feedback_submitted: ['reject_feedback', 'close'],
  closed: ['assess'],
};

const PAIRS = INCIDENT_STATUSES.flatMap((status) => TRANSITION_ACTIONS.map((action) => [status, action] as const));

describe('the tables above cover the whole state machine', () => {
  it('knows every status and every action', () => {
    expect(INCIDENT_STATUSES).toEqual(['reported', 'dispatched', 'in_progress', 'feedback_submitted', 'closed']);
    expect(TRANSITION_ACTIONS).toEqual(['dispatch', 'start', 'submit_feedback', 'reject_feedback', 'close', 'assess']);
    expect(Object.keys(LIFECYCLE).sort()).toEqual([...TRANSITION_ACTIONS].sort());
    expect(PAIRS).toHaveLength(30);
  });
});

describe('checkTransition: every (status × action) pair of a not yet assessed incident', () => {
  it.each(PAIRS)('%s × %s', (status, action) => {
    const legal = LEGAL[status][action];
    const result = checkTransition({ status, assessed: false }, action);
    if (legal) {
      expect(result).toEqual({ ok: true, to: legal[0], event: legal[1] });
    } else {
      expect(result).toEqual({ ok: false, allowed: ALLOWED[status] });
    }
  });
});

describe('assessment', () => {
  it('is allowed only on a closed incident', () => {
    for (const status of INCIDENT_STATUSES) {
      expect(checkTransition({ status, assessed: false }, 'assess').ok, status).toBe(status === 'closed');
    }
  });

  it('keeps the incident closed', () => {
    expect(checkTransition({ status: 'closed', assessed: false }, 'assess')).toEqual({ ok: true, to: 'closed', event: 'assessed' });
  });

  it('happens only once: an assessed incident takes no further action', () => {
    expect(allowedActions({ status: 'closed', assessed: true })).toEqual([]);
    for (const action of TRANSITION_ACTIONS) {
      expect(checkTransition({ status: 'closed', assessed: true }, action)).toEqual({ ok: false, allowed: [] });
    }
  });
});

describe('rejected feedback', () => {
  it('sends the incident back to in_progress, from where feedback can be submitted again', () => {
    const rejected = checkTransition({ status: 'feedback_submitted', assessed: false }, 'reject_feedback');
    expect(rejected).toEqual({ ok: true, to: 'in_progress', event: 'feedback_rejected' });
    expect(checkTransition({ status: 'in_progress', assessed: false }, 'submit_feedback')).toEqual({
      ok: true,
      to: 'feedback_submitted',
      event: 'feedback_submitted',
    });
  });
});

describe('a whole loop', () => {
  it('walks reported → dispatched → (re-dispatched) → in_progress → feedback → rejected → feedback → closed → assessed', () => {
    const walk: [TransitionAction, IncidentStatus][] = [
      ['dispatch', 'dispatched'],
      ['dispatch', 'dispatched'],
      ['start', 'in_progress'],
      ['submit_feedback', 'feedback_submitted'],
      ['reject_feedback', 'in_progress'],
      ['submit_feedback', 'feedback_submitted'],
      ['close', 'closed'],
      ['assess', 'closed'],
    ];
    let state = { status: 'reported' as IncidentStatus, assessed: false };
    for (const [action, to] of walk) {
      const result = checkTransition(state, action);
      expect(result.ok, `${action} from ${state.status}`).toBe(true);
      if (!result.ok) return;
      expect(result.to).toBe(to);
      state = { status: result.to, assessed: state.assessed || action === 'assess' };
    }
    expect(allowedActions(state)).toEqual([]);
  });
});

describe('allowedActions', () => {
  it.each(INCIDENT_STATUSES)('%s', (status) => {
    expect(allowedActions({ status, assessed: false })).toEqual(ALLOWED[status]);
  });

  it('ignores the assessed flag on open incidents', () => {
    for (const status of INCIDENT_STATUSES.filter((s) => s !== 'closed')) {
      expect(allowedActions({ status, assessed: true })).toEqual(ALLOWED[status]);
    }
  });
});

describe('isEditable', () => {
  it.each(INCIDENT_STATUSES)('%s', (status) => {
    expect(isEditable(status)).toBe(status !== 'closed');
  });
});

describe('the Transition schema', () => {
  it('fills in optional notes', () => {
    expect(Transition.parse({ action: 'start' })).toEqual({ action: 'start', note: '' });
    expect(Transition.parse({ action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } })).toEqual({
      action: 'dispatch',
      assignee: { kind: 'unit', name: '桂山派出所' },
      note: '',
    });
  });

  it.each([
    ['an unknown action', { action: 'reopen' }],
    ['a dispatch without assignee', { action: 'dispatch' }],
    ['an assignee of an unknown kind', { action: 'dispatch', assignee: { kind: 'army', name: 'x' } }],
    ['empty feedback', { action: 'submit_feedback', result: '   ' }],
    ['a rejection without reason', { action: 'reject_feedback' }],
    ['a score of 0', { action: 'assess', assessment: { score: 0, comment: '' } }],
    ['a score of 6', { action: 'assess', assessment: { score: 6, comment: '' } }],
    ['a fractional score', { action: 'assess', assessment: { score: 4.5, comment: '' } }],
    ['a field of another action', { action: 'start', result: 'done' }],
  ])('refuses %s', (_label, input) => {
    expect(Transition.safeParse(input).success).toBe(false);
  });
});

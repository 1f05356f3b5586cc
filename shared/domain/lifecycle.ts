import { z } from 'zod';
import { Assessment, Assignee, LIMITS, type EventType, type IncidentStatus } from './incident';

/**
 * The grid-management closed loop: information collection → diversion and delegation →
 * disposal → result feedback → work assessment. Each action is one step of it.
 */
export const Transition = z.discriminatedUnion('action', [
  z.object({ action: z.literal('dispatch'), assignee: Assignee, note: z.string().trim().max(LIMITS.comment).default('') }).strict(),
  z.object({ action: z.literal('start'), note: z.string().trim().max(LIMITS.comment).default('') }).strict(),
  z
    .object({
      action: z.literal('submit_feedback'),
      result: z.string().trim().min(1, { message: 'required' }).max(LIMITS.description),
    })
    .strict(),
  z
    .object({
      action: z.literal('reject_feedback'),
      reason: z.string().trim().min(1, { message: 'required' }).max(LIMITS.comment),
    })
    .strict(),
  z.object({ action: z.literal('close'), note: z.string().trim().max(LIMITS.comment).default('') }).strict(),
  z.object({ action: z.literal('assess'), assessment: Assessment }).strict(),
]);
export type Transition = z.input<typeof Transition>;
export type TransitionAction = Transition['action'];

interface Rule {
  from: readonly IncidentStatus[];
  to: IncidentStatus | 'same';
  event: EventType;
}

export const LIFECYCLE: Readonly<Record<TransitionAction, Rule>> = {
  // Re-dispatch from "dispatched" reassigns before the unit has started.
  dispatch: { from: ['reported', 'dispatched'], to: 'dispatched', event: 'dispatched' },
  start: { from: ['dispatched'], to: 'in_progress', event: 'started' },
  submit_feedback: { from: ['in_progress'], to: 'feedback_submitted', event: 'feedback_submitted' },
  reject_feedback: { from: ['feedback_submitted'], to: 'in_progress', event: 'feedback_rejected' },
  close: { from: ['feedback_submitted'], to: 'closed', event: 'closed' },
  assess: { from: ['closed'], to: 'same', event: 'assessed' },
};

export const TRANSITION_ACTIONS = Object.keys(LIFECYCLE) as TransitionAction[];

export interface LifecycleState {
  status: IncidentStatus;
  assessed: boolean;
}

/** Actions allowed from a state, in loop order. An assessed incident takes no further action. */
export function allowedActions(state: LifecycleState): TransitionAction[] {
  return TRANSITION_ACTIONS.filter((action) => {
    if (action === 'assess' && state.assessed) return false;
    return LIFECYCLE[action].from.includes(state.status);
  });
}

export type TransitionCheck =
  | { ok: true; to: IncidentStatus; event: EventType }
  | { ok: false; allowed: TransitionAction[] };

export function checkTransition(state: LifecycleState, action: TransitionAction): TransitionCheck {
  const allowed = allowedActions(state);
  if (!allowed.includes(action)) return { ok: false, allowed };
  const rule = LIFECYCLE[action];
  return { ok: true, to: rule.to === 'same' ? state.status : rule.to, event: rule.event };
}

/** Details can be edited until the loop is closed; after that only the assessment changes. */
export function isEditable(status: IncidentStatus): boolean {
  return status !== 'closed';
}

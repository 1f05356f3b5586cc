import { z } from 'zod';
import { because, type ErrorReason } from '../contract/errors';
import { DAY_MS, startOfShanghaiDay } from './shanghai-time';

/**
 * Supervision (督办) terms from practice: simple cases the same day, ordinary ones 2–3 days,
 * hard ones 7 days, at most 15 days with approval. Seeded as these defaults, editable in the store.
 */
export const TIERS = ['simple', 'ordinary', 'hard'] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;

const days = (max: number) => z.number().int().min(0).max(max);

export const WorkflowSettings = z
  .object({
    simpleDays: days(15),
    ordinaryDays: days(15),
    hardDays: days(15),
    /** The longest term any extension may reach; beyond `hardDays` it needs an approver. */
    maxDays: days(60),
    policeAckMinutes: z.number().int().min(1).max(240),
    policeArrivalMinutes: z.number().int().min(1).max(1440),
    /** People's Mediation Law practice: one month unless the parties agree otherwise. */
    mediationTermDays: z.number().int().min(1).max(90),
    quarantineTermDays: z.number().int().min(1).max(60),
  })
  .strict()
  .superRefine((s, ctx) => {
    const order: [keyof typeof s, keyof typeof s][] = [
      ['simpleDays', 'ordinaryDays'],
      ['ordinaryDays', 'hardDays'],
      ['hardDays', 'maxDays'],
    ];
    for (const [lower, upper] of order) {
      if (s[lower] > s[upper]) ctx.addIssue({ code: 'custom', path: [upper], ...because('workflows.shorter', `must not be shorter than ${lower}`, { field: lower }) });
    }
  });
export type WorkflowSettings = z.infer<typeof WorkflowSettings>;

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  simpleDays: 0,
  ordinaryDays: 3,
  hardDays: 7,
  maxDays: 15,
  policeAckMinutes: 5,
  policeArrivalMinutes: 30,
  mediationTermDays: 30,
  quarantineTermDays: 21,
};

export function tierDays(tier: Tier, settings: WorkflowSettings): number {
  return tier === 'simple' ? settings.simpleDays : tier === 'ordinary' ? settings.ordinaryDays : settings.hardDays;
}

/**
 * A term of N days ends at midnight (Shanghai) after the N-th day following the start day:
 * 0 days = the end of the same day, 3 days from Monday 15:00 = the end of Thursday.
 */
export function termDeadline(startAt: number, termDays: number): number {
  return startOfShanghaiDay(startAt) + (termDays + 1) * DAY_MS;
}

export type ExtensionCheck =
  | { ok: true; needsApproval: boolean }
  | { ok: false; field: 'days'; message: string; reason: ErrorReason; params: { days: number } };

/**
 * Past `maxDays` an extension is refused; past the hard-case term it needs an approver, who co-signs
 * (四眼原则: the act `deadline.beyond_hard`) instead of having their name typed in.
 */
export function checkExtension(termDays: number, settings: WorkflowSettings): ExtensionCheck {
  if (termDays > settings.maxDays) return { ok: false, field: 'days', message: `at most ${settings.maxDays} days`, reason: 'workflows.max_days', params: { days: settings.maxDays } };
  return { ok: true, needsApproval: termDays > settings.hardDays };
}

/** How long before the deadline an item counts as "due soon" in the supervision view. */
export const DUE_SOON_MS = DAY_MS;

export type DeadlineState = 'done' | 'overdue' | 'due_soon' | 'on_track';

export function deadlineState(deadline: number, closed: boolean, now: number): DeadlineState {
  if (closed) return 'done';
  if (deadline < now) return 'overdue';
  if (deadline - now <= DUE_SOON_MS) return 'due_soon';
  return 'on_track';
}

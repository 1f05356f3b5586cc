import { z } from 'zod';
import { command } from './command';

/**
 * Long work (a grid import with its re-grid, the event chain's verification, a backup…) runs off
 * the serving event loop as a job: core reports its progress as `job.progress` events and
 * `jobs.cancel` stops it, leaving nothing half-done. Add a kind here when you move work onto jobs
 * (and its name under `jobs.kind` in renderer/src/features/jobs/strings.ts).
 */
export const JOB_KINDS = ['grids.import', 'events.verify', 'store.check', 'backup.create'] as const;
export const JobKind = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKind>;

/**
 * Commands that run as a job and answer when it ends: the renderer's transport waits for them as
 * long as the job runs (its bar shows progress, `jobs.cancel` stops it) instead of its usual 30 s.
 */
export const JOB_COMMANDS: ReadonlySet<string> = new Set(['grids.import', 'events.verify', 'store.check', 'backup.create']);

export const JOB_STATES = ['running', 'done', 'failed', 'cancelled'] as const;

export const Job = z.object({
  id: z.string().max(64),
  kind: JobKind,
  state: z.enum(JOB_STATES),
  /** What it is doing now, a key under `jobs.phase` (`parse`, `validate`, `write`, `regrid`, `verify`, `copy`…). */
  phase: z.string().max(40),
  done: z.number().int().nonnegative(),
  /** Null while the amount of work is not known yet. */
  total: z.number().int().nonnegative().nullable(),
  /** Whether `jobs.cancel` can still stop it (false once it commits). */
  cancellable: z.boolean(),
  startedAt: z.number().int(),
});
export type Job = z.infer<typeof Job>;

export const jobCommands = {
  /** Jobs running now (a window opened mid-job shows their bars). */
  'jobs.list': command(z.object({}).strict(), z.object({ jobs: z.array(Job) })),
  /**
   * Asks a running job to stop. The command that started it then fails with `job.cancelled` and
   * nothing it did is kept. False when no such job runs or it is already committing.
   */
  'jobs.cancel': command(z.object({ id: z.string().max(64) }).strict(), z.object({ cancelled: z.boolean() })),
} as const;

export const jobEvents = {
  /** A job started, moved on, or ended (state done / failed / cancelled); at most ~5 per second per job. */
  'job.progress': Job,
} as const;

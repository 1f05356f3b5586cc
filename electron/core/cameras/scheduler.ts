/**
 * One scheduler for all recurring camera work (device probes, event subscriptions). Each job is a
 * step that returns when to run again; a job never runs twice at once; cancelling stops it before
 * its next step. The sockets the steps open go through the driver's shared RequestGate, so the
 * number in flight stays bounded however many cameras there are. Delays get ±20 % jitter, so a
 * thousand cameras that failed together do not retry together.
 */

export type Step = () => Promise<number | null>;

interface Job {
  run: () => Promise<void>;
  timer: NodeJS.Timeout | null;
  running: boolean;
  cancelled: boolean;
  onCancel: (() => void) | null;
}

/** ±20 %: spreads retries and periodic checks over time. */
export const jitter = (ms: number, random: () => number = Math.random) => Math.round(ms * (0.8 + 0.4 * random()));

export class CameraScheduler {
  private readonly jobs = new Map<string, Job>();
  private closed = false;

  constructor(private readonly random: () => number = Math.random) {}

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Runs `step` after `firstDelayMs` (jittered), then again after each delay it returns; null ends the job. */
  start(key: string, firstDelayMs: number, step: Step, onCancel?: () => void): void {
    if (this.closed || this.jobs.has(key)) return;
    const job: Job = { run: async () => {}, timer: null, running: false, cancelled: false, onCancel: onCancel ?? null };
    this.jobs.set(key, job);
    const run = async () => {
      job.timer = null;
      if (job.cancelled) return;
      job.running = true;
      let next: number | null = null;
      try {
        next = await step();
      } catch {
        next = null; // steps handle their own failures; one that throws ends its job
      }
      job.running = false;
      if (job.cancelled || this.closed) return;
      if (next === null) {
        this.jobs.delete(key);
        return;
      }
      job.timer = setTimeout(() => void run(), next === 0 ? 0 : jitter(next, this.random));
    };
    job.run = run;
    job.timer = setTimeout(() => void run(), jitter(firstDelayMs, this.random));
  }

  /** Runs a waiting job now instead of at its time (a failed subscription asks for a device probe). */
  runSoon(key: string): void {
    const job = this.jobs.get(key);
    if (!job || job.running || !job.timer) return;
    clearTimeout(job.timer);
    job.timer = setTimeout(() => void job.run(), 0);
  }

  cancel(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    job.cancelled = true;
    if (job.timer) clearTimeout(job.timer);
    this.jobs.delete(key);
    job.onCancel?.();
  }

  keys(): string[] {
    return [...this.jobs.keys()];
  }

  close(): void {
    this.closed = true;
    for (const key of [...this.jobs.keys()]) this.cancel(key);
  }
}

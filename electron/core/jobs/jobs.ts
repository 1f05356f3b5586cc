import { randomUUID } from 'node:crypto';
import { ContractError, type Job, type JobKind } from '@shared';
import { callScope, type EventBus } from '../contract';
import { silentLogger, type Logger } from '../log';
import type { Db } from '../store';
import { FLAG_CANCELLED, FLAG_RUNNING, JobCancelled, type FromWorker, type StoreRef, type TaskControl } from './protocol';
import { TASKS } from './tasks';
import type { WorkerPool } from './worker-pool';

/** Task ids, unique in the process (the worker pool is shared by every core in it). */
let taskSeq = 0;

/** Progress events per job at most every this many ms (plus the first and the last). */
const PROGRESS_INTERVAL_MS = 200;

export interface JobHandle {
  readonly id: string;
  readonly kind: JobKind;
  /** Reports progress on this thread (throttled). */
  progress(phase: string, done: number, total: number | null): void;
  /** Throws `job.cancelled` when the job was cancelled: call it between slices of work on this thread. */
  check(): void;
  /**
   * Runs a task of electron/core/jobs/tasks.ts in a worker thread with its own store connection.
   * `writes`: the task opens a write transaction; one writing task at a time (SQLite has one
   * writer), and while it runs, commands whose writes meet its lock wait for it instead of blocking
   * the loop (Dispatcher `waitForWriter`).
   */
  inWorker<T>(task: string, args: unknown, options?: { writes?: boolean }): Promise<T>;
}

interface Running {
  job: Job;
  flag: Int32Array;
  lastEmit: number;
  timer: ReturnType<typeof setTimeout> | null;
}

export function cancelledError(kind: JobKind): ContractError {
  return ContractError.refused(`${kind} was cancelled; nothing was changed`, { reason: 'job.cancelled', params: { kind } });
}

/**
 * Long work off the serving loop: each job has an id, reports `job.progress`, and can be cancelled
 * (`jobs.cancel`) until it commits. The command that started a job awaits it, so callers see one
 * answer: the result, or the job's error (`job.cancelled` when cancelled).
 */
export class JobRunner {
  private readonly running = new Map<string, Running>();
  private writer: Promise<void> | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly now: () => number,
    private readonly pool: WorkerPool,
    private readonly mainDb: Db,
    private readonly store: StoreRef,
    /** A failed job (not a cancelled one) is logged with its kind and the command that started it. */
    private readonly log: Pick<Logger, 'warn' | 'error'> = silentLogger,
  ) {}

  list(): Job[] {
    return [...this.running.values()].map((r) => r.job);
  }

  cancel(id: string): boolean {
    const entry = this.running.get(id);
    if (!entry || !entry.job.cancellable) return false;
    // Only a running job can be cancelled; one that reached its commit keeps going.
    if (Atomics.compareExchange(entry.flag, 0, FLAG_RUNNING, FLAG_CANCELLED) !== FLAG_RUNNING) return false;
    this.update(entry, { cancellable: false }, true);
    return true;
  }

  /** Null when no writing task runs; else settles when it ends. */
  writerIdle(): Promise<void> | null {
    return this.writer;
  }

  async run<T>(kind: JobKind, work: (job: JobHandle) => Promise<T>): Promise<T> {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const entry: Running = {
      job: { id: randomUUID(), kind, state: 'running', phase: 'start', done: 0, total: null, cancellable: true, startedAt: this.now() },
      flag,
      lastEmit: 0,
      timer: null,
    };
    this.running.set(entry.job.id, entry);
    this.update(entry, {}, true);
    const handle: JobHandle = {
      id: entry.job.id,
      kind,
      progress: (phase, done, total) => this.update(entry, { phase, done, total }),
      check: () => {
        if (Atomics.load(flag, 0) === FLAG_CANCELLED) throw cancelledError(kind);
      },
      inWorker: <R>(task: string, args: unknown, options: { writes?: boolean } = {}) => this.inWorker<R>(entry, task, args, options.writes ?? false),
    };
    try {
      const value = await work(handle);
      this.finish(entry, 'done');
      return value;
    } catch (error) {
      const cancelled = error instanceof ContractError && error.reason === 'job.cancelled';
      this.finish(entry, cancelled ? 'cancelled' : 'failed');
      if (!cancelled) {
        const fields = { job: kind, jobId: entry.job.id, command: callScope.getStore()?.command ?? null, err: error };
        // A typed refusal (ContractError) is the job's answer, not a fault: a warning; anything else is an error.
        if (error instanceof ContractError && error.code !== 'internal') this.log.warn(`job ${kind} refused`, fields);
        else this.log.error(`job ${kind} failed`, fields);
      }
      throw error;
    }
  }

  private async inWorker<T>(entry: Running, task: string, args: unknown, writes: boolean): Promise<T> {
    if (this.store.readOnly) return this.onThisThread<T>(entry, task, args);
    // One writer: a second writing job waits for the first.
    while (writes && this.writer) await this.writer;
    let release = () => {};
    let previousTimeout = 0;
    if (writes) {
      this.writer = new Promise<void>((resolve) => (release = resolve));
      // The serving thread must never sleep in SQLite's busy handler while the worker holds the
      // write lock (that is the freeze this avoids): it fails fast and the dispatcher waits.
      previousTimeout = this.mainDb.pragma('busy_timeout', { simple: true }) as number;
      this.mainDb.pragma('busy_timeout = 0');
    }
    const taskId = ++taskSeq;
    const onMessage = (message: FromWorker) => {
      if (message.type === 'progress') this.update(entry, { phase: message.phase, done: message.done, total: message.total });
      else if (message.type === 'committing') this.update(entry, { cancellable: false, phase: 'commit' }, true);
    };
    try {
      return (await this.pool.run(this.store, task, args, entry.flag.buffer as SharedArrayBuffer, taskId, onMessage)) as T;
    } catch (error) {
      throw toError(error, entry.job.kind);
    } finally {
      if (writes) {
        this.mainDb.pragma(`busy_timeout = ${previousTimeout}`);
        this.writer = null;
        release();
      }
    }
  }

  /** A read-only store (see StoreRef.readOnly): the task runs here, on the store's one connection. */
  private onThisThread<T>(entry: Running, task: string, args: unknown): T {
    const run = TASKS[task as keyof typeof TASKS] as ((db: Db, args: never, control: TaskControl) => unknown) | undefined;
    if (!run) throw new Error(`unknown job task "${task}"`);
    try {
      return run(this.mainDb, args as never, {
        progress: (phase, done, total) => this.update(entry, { phase, done, total }),
        check: () => {
          if (Atomics.load(entry.flag, 0) === FLAG_CANCELLED) throw new JobCancelled();
        },
        commit: () => {},
      }) as T;
    } catch (error) {
      if (error instanceof JobCancelled) throw cancelledError(entry.job.kind);
      throw error;
    }
  }

  private update(entry: Running, change: Partial<Job>, force = false): void {
    Object.assign(entry.job, change);
    const at = Date.now();
    if (force || at - entry.lastEmit >= PROGRESS_INTERVAL_MS) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
      entry.lastEmit = at;
      this.bus.emit('job.progress', { ...entry.job });
    } else if (!entry.timer) {
      // The latest figure goes out at the end of the interval even if no further report comes.
      entry.timer = setTimeout(() => {
        entry.timer = null;
        if (this.running.has(entry.job.id)) this.update(entry, {}, true);
      }, PROGRESS_INTERVAL_MS - (at - entry.lastEmit));
    }
  }

  private finish(entry: Running, state: Job['state']): void {
    this.running.delete(entry.job.id);
    this.update(entry, { state, cancellable: false }, true);
  }

  close(): void {
    for (const entry of this.running.values()) {
      Atomics.store(entry.flag, 0, FLAG_CANCELLED);
      if (entry.timer) clearTimeout(entry.timer);
    }
  }
}

/** A worker's failure as the command's error: typed errors pass through, the rest is internal. */
function toError(error: unknown, kind: JobKind): Error {
  const message = error as Partial<Extract<FromWorker, { type: 'error' }>>;
  if (message && message.type === 'error') {
    if (message.cancelled) return cancelledError(kind);
    if (message.contract) return new ContractError(message.contract);
    return new Error(message.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}

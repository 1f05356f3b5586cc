import type { ErrorBody } from '@shared';

/**
 * Messages between the job runner (serving thread) and a job worker. The cancel flag is an Int32
 * in a SharedArrayBuffer so a worker busy in a synchronous loop sees it without an event turn:
 * 0 running, 1 cancel asked, 2 committing (too late to cancel). The runner sets 0 → 1, the
 * worker 0 → 2 just before its transaction commits; whoever swaps first wins.
 */
export const FLAG_RUNNING = 0;
export const FLAG_CANCELLED = 1;
export const FLAG_COMMITTING = 2;

export interface StoreRef {
  /** The store file; each task opens its own better-sqlite3 connection to it, closed when the task ends. */
  dbFile: string;
  nativeBinding?: string;
  /**
   * The store was opened read-only (a full disk): its one connection holds an exclusive lock (no
   * -shm can be written), so no worker can open the file and read-only tasks run on the serving
   * thread instead — a degraded mode where a slow chain check is better than none.
   */
  readOnly?: boolean;
}

export type ToWorker =
  | { type: 'run'; taskId: number; task: string; args: unknown; flag: SharedArrayBuffer; store: StoreRef };

export type FromWorker =
  | { type: 'progress'; taskId: number; phase: string; done: number; total: number | null }
  | { type: 'committing'; taskId: number }
  | { type: 'result'; taskId: number; value: unknown }
  | { type: 'error'; taskId: number; cancelled: boolean; contract: ErrorBody | null; message: string };

export type { TaskControl } from '../store';

export class JobCancelled extends Error {
  constructor() {
    super('job cancelled');
    this.name = 'JobCancelled';
  }
}

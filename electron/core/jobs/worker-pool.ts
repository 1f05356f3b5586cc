import { Worker } from 'node:worker_threads';
import type { FromWorker, StoreRef, ToWorker } from './protocol';

/**
 * The job worker's entry. From the sources (tsx, vitest) the worker registers tsx itself; in the
 * Electron build it is its own bundle beside the main one (electron.vite.config.ts, input
 * `job-worker`). `CoreOptions.jobWorker` overrides both.
 */
function spawnWorker(entry: string | undefined): Worker {
  const here = import.meta.url;
  if (!entry && /\.ts$/.test(here)) {
    const url = new URL('./job-worker.ts', here).href;
    const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(boot, { eval: true });
  }
  return new Worker(entry ?? new URL('./job-worker.js', here));
}

type Listener = (message: FromWorker) => void;

interface Slot {
  worker: Worker;
  listener: Listener | null;
  /** Rejects the running task when the worker dies under it. */
  fail: ((error: Error) => void) | null;
}

/**
 * A few long-lived workers (starting one costs ~50 ms built, seconds under tsx on a loaded
 * machine), each keeping its own connection per store, one task at a time; tasks wait for a free
 * one. One pool per process (sharedPool): a core that closes tells the workers to close its store.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private closed = false;

  constructor(
    private readonly size = 2,
    private readonly entry?: string,
  ) {}

  run(store: StoreRef, task: string, args: unknown, flag: SharedArrayBuffer, taskId: number, onMessage: Listener): Promise<unknown> {
    return this.acquire().then(
      (slot) =>
        new Promise<unknown>((resolve, reject) => {
          const done = () => {
            slot.listener = null;
            slot.fail = null;
            this.release(slot);
          };
          slot.fail = (error) => {
            slot.listener = null;
            slot.fail = null;
            reject(error);
          };
          slot.listener = (message) => {
            if (message.taskId !== taskId) return;
            if (message.type === 'result') {
              done();
              resolve(message.value);
            } else if (message.type === 'error') {
              done();
              reject(message);
            } else onMessage(message);
          };
          slot.worker.ref();
          slot.worker.postMessage({ type: 'run', taskId, task, args, flag, store } satisfies ToWorker);
        }),
    );
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new Error('the core is closing'));
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.slots.length < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) return next(slot);
    // An idle worker must not keep the process alive.
    slot.worker.unref();
    this.idle.push(slot);
  }

  private spawn(): Slot {
    const worker = spawnWorker(this.entry);
    const slot: Slot = { worker, listener: null, fail: null };
    worker.on('message', (message: FromWorker) => slot.listener?.(message));
    const drop = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      const idleIndex = this.idle.indexOf(slot);
      if (idleIndex >= 0) this.idle.splice(idleIndex, 1);
      slot.fail?.(error);
      // A task that waited for a worker gets a fresh one.
      const next = !this.closed && this.waiting.shift();
      if (next) next(this.spawn());
    };
    worker.on('error', (error) => drop(error));
    worker.on('exit', (code) => drop(new Error(`job worker exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots.splice(0)) void slot.worker.terminate();
    this.idle.length = 0;
  }
}

const pools = new Map<string, WorkerPool>();

/** The process's pool for a worker entry (task ids are unique per process). */
export function sharedPool(entry?: string): WorkerPool {
  const key = entry ?? '';
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new WorkerPool(2, entry)));
  return pool;
}

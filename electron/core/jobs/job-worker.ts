/**
 * A job worker: its own better-sqlite3 connection to the store, one task at a time (tasks.ts).
 * WAL lets it read beside the serving thread; a writing task holds the one write lock in a single
 * transaction, so cancelling (or failing) rolls everything back.
 */
import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import { ContractError } from '@shared';
import { FLAG_CANCELLED, FLAG_COMMITTING, FLAG_RUNNING, JobCancelled, type FromWorker, type StoreRef, type TaskControl, type ToWorker } from './protocol';
import { TASKS } from './tasks';

/**
 * One connection per task, closed when the task ends: while the serving thread's connection is
 * open, closing ours never checkpoints the WAL into the database file. A connection kept for the
 * next task would be the last one open after the core closes, and its late close would rewrite
 * the file behind the core's back (a read-only start on a full disk must not change a byte).
 */
function openConnection(store: StoreRef): Database.Database {
  const db = new Database(store.dbFile, { fileMustExist: true, ...(store.nativeBinding ? { nativeBinding: store.nativeBinding } : {}) });
  // The serving thread's writes are short; waiting for them here blocks nobody.
  db.pragma('busy_timeout = 10000');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  return db;
}

const post = (message: FromWorker) => parentPort!.postMessage(message);

parentPort!.on('message', (message: ToWorker) => {
  const { taskId } = message;
  const flag = new Int32Array(message.flag);
  let lastProgress = 0;
  const control: TaskControl = {
    progress(phase, done, total) {
      const now = Date.now();
      if (now - lastProgress < 100 && done !== total) return;
      lastProgress = now;
      post({ type: 'progress', taskId, phase, done, total });
    },
    check() {
      if (Atomics.load(flag, 0) === FLAG_CANCELLED) throw new JobCancelled();
    },
    commit() {
      if (Atomics.compareExchange(flag, 0, FLAG_RUNNING, FLAG_COMMITTING) !== FLAG_RUNNING) throw new JobCancelled();
      post({ type: 'committing', taskId });
    },
  };
  try {
    const task = TASKS[message.task as keyof typeof TASKS];
    if (!task) throw new Error(`unknown job task "${message.task}"`);
    // Cancelled while it waited for a worker (or its core closed): never touch the store.
    control.check();
    const db = openConnection(message.store);
    let value: unknown;
    try {
      value = task(db, message.args as never, control);
    } finally {
      db.close();
    }
    post({ type: 'result', taskId, value });
  } catch (error) {
    post({
      type: 'error',
      taskId,
      cancelled: error instanceof JobCancelled,
      contract: error instanceof ContractError ? error.toBody() : null,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});

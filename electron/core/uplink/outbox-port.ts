import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PROTOCOL_VERSION, encodeMessage } from '@shared';
import { ANCHOR_KEY, OUTBOX_SQL, acknowledgeWith, toUpEvent, type DrillPolicy, type Outbox } from './outbox';

/** A batch ready to publish: the protocol message as UTF-8 bytes (moved, not copied, from the worker), and the seqs it carries. */
export interface EncodedBatch {
  bytes: Uint8Array;
  firstSeq: number;
  lastSeq: number;
  count: number;
}

export interface BatchRequest {
  town: string;
  afterSeq: number;
  limit: number;
  drills: DrillPolicy;
  sentAt: number;
}

/**
 * The link's data plane: reading and encoding the next batch, and recording the city's
 * acknowledgement (delete the acknowledged prefix, move the anchor, commit with fsync). The link's
 * connection, its state and the directives stay on the serving loop; these — the costly, I/O-waiting
 * part of a drain — run in a worker thread on its own connection, so a 100,000-event backlog going up
 * never holds the console's commands behind it.
 */
export interface OutboxPort {
  batch(request: BatchRequest): Promise<EncodedBatch | null>;
  acknowledge(upTo: number, head: string | null, at: number): Promise<{ advanced: boolean; mismatch: boolean }>;
  close(): void;
}

function encode(town: string, sentAt: number, events: ReturnType<typeof toUpEvent>[]): EncodedBatch | null {
  if (!events.length) return null;
  const bytes = new TextEncoder().encode(encodeMessage({ v: PROTOCOL_VERSION, kind: 'events', town, sentAt, events }));
  return { bytes, firstSeq: events[0]!.seq, lastSeq: events[events.length - 1]!.seq, count: events.length };
}

/** On the serving loop (a read-only store, whose exclusive lock a second connection cannot share). */
export function inlineOutboxPort(outbox: Outbox): OutboxPort {
  return {
    batch: async ({ town, afterSeq, limit, drills, sentAt }) => encode(town, sentAt, outbox.batch(afterSeq, limit, drills)),
    acknowledge: async (upTo, head, at) => outbox.acknowledge(upTo, head, at),
    close: () => {},
  };
}

// Plain CommonJS evaluated from this string (as the backup's worker): it needs only better-sqlite3,
// resolved by the caller, so it runs the same under tsx, vitest and the bundled Electron main process.
// toUpEvent and acknowledgeWith are the outbox's own functions, from their source text.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const __name = (fn) => fn;
const toUpEvent = (${toUpEvent.toString()});
const acknowledgeWith = (${acknowledgeWith.toString()});
const { sql } = workerData;
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
const batchStmt = db.prepare(sql.batch);
const headStmt = db.prepare(sql.head);
const hashStmt = db.prepare(sql.hashAt);
const deleteStmt = db.prepare(sql.delete);
const getSetting = db.prepare(sql.getSetting);
const setSetting = db.prepare(sql.setSetting);
const headSeq = () => { const row = headStmt.get(); return row ? row.seq : 0; };
const ackedSeq = () => { const row = getSetting.get(workerData.anchorKey); return row ? JSON.parse(row.value).seq : 0; };
const queries = {
  ackedSeq,
  headSeq,
  hashAt: (seq) => { const row = hashStmt.get(seq); return row ? Buffer.from(row.hash).toString('hex') : null; },
  deleteUpTo: (seq) => deleteStmt.run(seq),
  setAnchor: (json) => setSetting.run(workerData.anchorKey, json),
};
const acknowledge = db.transaction((upTo, head, at) => acknowledgeWith(queries, upTo, head, at));
parentPort.on('message', (m) => {
  if (m.op === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (m.op === 'batch') {
      const events = batchStmt.all(m.afterSeq, m.limit).map((r) => toUpEvent(r, m.drills));
      if (!events.length) return parentPort.postMessage({ id: m.id, ok: true, value: null });
      const bytes = new TextEncoder().encode(JSON.stringify({ v: workerData.version, kind: 'events', town: m.town, sentAt: m.sentAt, events }));
      const value = { bytes, firstSeq: events[0].seq, lastSeq: events[events.length - 1].seq, count: events.length };
      parentPort.postMessage({ id: m.id, ok: true, value }, [bytes.buffer]);
    } else if (m.op === 'ack') {
      parentPort.postMessage({ id: m.id, ok: true, value: acknowledge.immediate(m.upTo, m.head, m.at) });
    }
  } catch (error) {
    parentPort.postMessage({ id: m.id, ok: false, message: String((error && error.message) || error), code: error && error.code });
  }
});
`;

export interface WorkerPortOptions {
  /** The store's file (the worker opens its own connection to it). */
  file: string;
  nativeBinding?: string;
  synchronous: 'FULL' | 'NORMAL';
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** The data plane in a worker thread; started on first use, started again if it ever dies. */
export function workerOutboxPort(options: WorkerPortOptions): OutboxPort {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker | null = null;
  let next = 1;
  const pending = new Map<number, Pending>();
  let closed = false;

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...options, betterSqlite3, sql: OUTBOX_SQL, anchorKey: ANCHOR_KEY, version: PROTOCOL_VERSION },
    });
    w.on('message', (m: { id: number; ok: boolean; value?: unknown; message?: string; code?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(Object.assign(new Error(m.message ?? 'outbox worker failed'), { code: m.code }));
    });
    w.on('error', (error) => {
      if (worker === w) worker = null;
      failAll(error);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new Error(`outbox worker exited (${code})`));
    });
    // An idle worker must not keep the process alive (the host exits when its server closes).
    w.unref();
    return w;
  };

  const ask = <T>(message: Record<string, unknown>): Promise<T> => {
    if (closed) return Promise.reject(new Error('outbox closed'));
    worker ??= start();
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker!.postMessage({ ...message, id });
    });
  };

  return {
    batch: (request) => ask<EncodedBatch | null>({ op: 'batch', ...request }),
    acknowledge: (upTo, head, at) => ask<{ advanced: boolean; mismatch: boolean }>({ op: 'ack', upTo, head, at }),
    close: () => {
      if (closed) return;
      closed = true;
      failAll(new Error('outbox closed'));
      // The worker closes its connection and ends; nothing waits for it (core.close is synchronous).
      worker?.postMessage({ op: 'close' });
      worker = null;
    },
  };
}

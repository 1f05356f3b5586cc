import type { UpEvent } from '@shared';
import type { Db, SettingsStore } from '../store';

/** The chain head the city confirmed holding: tampering with anything up to it shows against the city's copy. */
export interface Anchor {
  seq: number;
  hash: string;
  /** When the city's acknowledgement arrived. */
  at: number;
}

export type DrillPolicy = 'marked' | 'withheld';

export const ANCHOR_KEY = 'uplink.anchor';

/**
 * The statements of delivery, shared by the in-thread outbox (below) and the outbox worker
 * (outbox-worker.ts), which runs them on its own connection off the serving event loop.
 */
export const OUTBOX_SQL = {
  batch: `SELECT e.seq, e.id, i.id AS incident_id, i.source, e.type, e.actor, e.at, e.payload, e.prev_hash, e.hash
          FROM events e JOIN incidents i ON i.rid = e.incident_rid WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
  head: 'SELECT seq FROM events ORDER BY seq DESC LIMIT 1',
  hashAt: 'SELECT hash FROM events WHERE seq = ?',
  oldest: 'SELECT seq, enqueued_at FROM outbox ORDER BY seq LIMIT 1',
  delete: 'DELETE FROM outbox WHERE seq <= ?',
  getSetting: 'SELECT value FROM settings WHERE key = ?',
  setSetting: 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
} as const;

export interface OutboxRow {
  seq: number;
  id: string;
  incident_id: string;
  source: string;
  type: string;
  actor: string;
  at: number;
  payload: string;
  prev_hash: Uint8Array;
  hash: Uint8Array;
}

/**
 * One stored event as sent to the city. Self-contained (no imports, no closures): the outbox worker
 * runs this very function, from its source text, so both paths send the same bytes.
 */
export function toUpEvent(r: OutboxRow, drills: DrillPolicy): UpEvent {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  const drill = r.source === 'drill';
  const withheld = drill && drills === 'withheld';
  return {
    seq: r.seq,
    id: r.id,
    incidentId: r.incident_id,
    type: r.type,
    actor: withheld ? '' : r.actor,
    at: r.at,
    payload: withheld ? '' : r.payload,
    prevHash: hex(r.prev_hash),
    hash: hex(r.hash),
    drill,
    withheld,
  };
}

export class Outbox {
  private readonly batchStmt;
  private readonly headStmt;
  private readonly hashStmt;
  private readonly oldestStmt;
  private readonly deleteStmt;

  constructor(
    private readonly db: Db,
    private readonly settings: SettingsStore,
  ) {
    this.batchStmt = db.prepare<[number, number], OutboxRow>(OUTBOX_SQL.batch);
    this.headStmt = db.prepare<[], { seq: number }>(OUTBOX_SQL.head);
    this.hashStmt = db.prepare<[number], { hash: Buffer }>(OUTBOX_SQL.hashAt);
    this.oldestStmt = db.prepare<[], { seq: number; enqueued_at: number }>(OUTBOX_SQL.oldest);
    this.deleteStmt = db.prepare(OUTBOX_SQL.delete);
  }

  /** The last event appended (0 for an empty log). */
  headSeq(): number {
    return this.headStmt.get()?.seq ?? 0;
  }

  anchor(): Anchor | null {
    const raw = this.settings.get(ANCHOR_KEY);
    return raw ? (JSON.parse(raw) as Anchor) : null;
  }

  ackedSeq(): number {
    return this.anchor()?.seq ?? 0;
  }

  /** Events not yet acknowledged, and when the oldest of them was written. */
  backlog(): { count: number; oldestAt: number | null } {
    const oldest = this.oldestStmt.get();
    return { count: Math.max(0, this.headSeq() - this.ackedSeq()), oldestAt: oldest?.enqueued_at ?? null };
  }

  /** Up to `limit` events after `afterSeq`, as sent to the city. */
  batch(afterSeq: number, limit: number, drills: DrillPolicy): UpEvent[] {
    return this.batchStmt.all(afterSeq, limit).map((r) => toUpEvent(r, drills));
  }

  hashAt(seq: number): string | null {
    return this.hashStmt.get(seq)?.hash.toString('hex') ?? null;
  }

  /**
   * The city holds everything up to `upTo` with `head` as its hash there. Returns whether it moved the
   * anchor, and whether the city's head disagrees with the town's own hash (one side was altered).
   */
  acknowledge(upTo: number, head: string | null, at: number): { advanced: boolean; mismatch: boolean } {
    return this.db
      .transaction(() =>
        acknowledgeWith(
          {
            ackedSeq: () => this.ackedSeq(),
            headSeq: () => this.headSeq(),
            hashAt: (seq) => this.hashAt(seq),
            deleteUpTo: (seq) => this.deleteStmt.run(seq),
            setAnchor: (json) => this.settings.set(ANCHOR_KEY, json),
          },
          upTo,
          head,
          at,
        ),
      )
      .immediate();
  }
}

export interface AckQueries {
  ackedSeq(): number;
  headSeq(): number;
  hashAt(seq: number): string | null;
  deleteUpTo(seq: number): void;
  setAnchor(json: string): void;
}

/**
 * The city holds everything up to `upTo` with `head` as its hash there: inside one transaction, move
 * the anchor and drop the acknowledged prefix of the outbox — unless the city's head disagrees with
 * the town's own hash (one side was altered). Self-contained, like toUpEvent: the worker runs it too.
 */
export function acknowledgeWith(q: AckQueries, upTo: number, head: string | null, at: number): { advanced: boolean; mismatch: boolean } {
  const current = q.ackedSeq();
  if (upTo <= current || upTo > q.headSeq()) return { advanced: false, mismatch: false };
  const own = q.hashAt(upTo);
  if (own === null || own !== head) return { advanced: false, mismatch: true };
  q.deleteUpTo(upTo);
  q.setAnchor(JSON.stringify({ seq: upTo, hash: head, at }));
  return { advanced: true, mismatch: false };
}

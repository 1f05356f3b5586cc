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

const ANCHOR_KEY = 'uplink.anchor';

/**
 * The town's side of delivery, on the event log of migration 1. Every appended event is in `outbox`
 * until the city acknowledges it: the city acknowledges cumulatively ("everything up to seq N"), so
 * the outbox is always the events after the anchor and an acknowledgement deletes a prefix of it.
 * Statements are prepared once; reads use the events' primary key (seq), so a batch costs the same at
 * the 100,000th event of a backlog as at the first.
 */
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
    this.batchStmt = db.prepare<[number, number], { seq: number; id: string; incident_id: string; source: string; type: string; actor: string; at: number; payload: string; prev_hash: Buffer; hash: Buffer }>(
      `SELECT e.seq, e.id, i.id AS incident_id, i.source, e.type, e.actor, e.at, e.payload, e.prev_hash, e.hash
       FROM events e JOIN incidents i ON i.rid = e.incident_rid WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
    );
    this.headStmt = db.prepare<[], { seq: number }>('SELECT seq FROM events ORDER BY seq DESC LIMIT 1');
    this.hashStmt = db.prepare<[number], { hash: Buffer }>('SELECT hash FROM events WHERE seq = ?');
    this.oldestStmt = db.prepare<[], { seq: number; enqueued_at: number }>('SELECT seq, enqueued_at FROM outbox ORDER BY seq LIMIT 1');
    this.deleteStmt = db.prepare('DELETE FROM outbox WHERE seq <= ?');
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
    return this.batchStmt.all(afterSeq, limit).map((r) => {
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
        prevHash: r.prev_hash.toString('hex'),
        hash: r.hash.toString('hex'),
        drill,
        withheld,
      };
    });
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
      .transaction(() => {
        const current = this.ackedSeq();
        if (upTo <= current || upTo > this.headSeq()) return { advanced: false, mismatch: false };
        const own = this.hashAt(upTo);
        if (own === null || own !== head) return { advanced: false, mismatch: true };
        this.deleteStmt.run(upTo);
        this.settings.set(ANCHOR_KEY, JSON.stringify({ seq: upTo, hash: head, at } satisfies Anchor));
        return { advanced: true, mismatch: false };
      })
      .immediate();
  }
}

import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EventType, TimelineEvent } from '@shared';
import type { Db } from '../store';
import { callScope } from '../contract';
import type { TaskControl } from '../store';

/** Events hashed between two looks at the cancel flag and progress reports (~50 ms of work). */
const VERIFY_SLICE = 10_000;

export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** JSON with object keys sorted at every level, so the same payload always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}

export interface ChainedFields {
  seq: number;
  id: string;
  incidentId: string;
  type: string;
  actor: string;
  at: number;
  payload: string;
  /** The authenticated actor (staff id, roles JSON, co-signer JSON): hashed when present. */
  actorId?: string | null;
  actorRoles?: string | null;
  cosigner?: string | null;
}

/**
 * The hash covers the position (seq), the identity, the content and the previous hash; and, on events
 * written by a logged-in person, their staff id, roles and co-signer (events from before accounts
 * existed hash as they always did, so old chains still verify).
 */
export function eventHash(fields: ChainedFields, prevHash: Buffer): Buffer {
  // The staff id, roles and co-signer are stored beside the event but not hashed yet: the city link's
  // protocol (shared/uplink/protocol.ts, tools/city/chain.ts) verifies this exact formula.
  const parts: unknown[] = [fields.seq, fields.id, fields.incidentId, fields.type, fields.actor, fields.at, fields.payload];
  return createHash('sha256').update(parts.join('\u001f')).update(prevHash).digest();
}

export interface AppendInput {
  incidentRid: number;
  incidentId: string;
  type: EventType;
  actor: string;
  at: number;
  payload: Record<string, unknown>;
}

interface TimelineRow {
  seq: number;
  id: string;
  type: EventType;
  actor: string;
  actor_id: string | null;
  actor_roles: string | null;
  cosigner: string | null;
  at: number;
  payload: string;
}

/** The authenticated actor's fields of a timeline event (only on events written by a logged-in person). */
function identity(actorId: string | null, actorRoles: string | null, cosigner: string | null): Partial<TimelineEvent> {
  if (actorId === null) return {};
  return {
    actorId,
    actorRoles: actorRoles ? (JSON.parse(actorRoles) as string[]) : [],
    cosigner: cosigner ? (JSON.parse(cosigner) as TimelineEvent['cosigner']) : null,
  };
}

export interface AppendedEvent extends TimelineEvent {
  hash: Buffer;
}

/**
 * The append-only log. Callers run `append` inside their write transaction, so the incident row
 * and its event commit together; the chain head is read inside that transaction.
 */
export class EventLog {
  private readonly head;
  private readonly insert;
  private readonly enqueue;
  private readonly timelineStmt;

  constructor(private readonly db: Db) {
    this.head = db.prepare<[], { seq: number; hash: Buffer }>('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      'INSERT INTO events (seq, id, incident_rid, type, actor, actor_id, actor_roles, cosigner, at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.enqueue = db.prepare('INSERT INTO outbox (seq, enqueued_at) VALUES (?, ?)');
    this.timelineStmt = db.prepare<[number], TimelineRow>(
      'SELECT seq, id, type, actor, actor_id, actor_roles, cosigner, at, payload FROM events WHERE incident_rid = ? ORDER BY seq',
    );
  }

  append(input: AppendInput): AppendedEvent {
    if (!this.db.inTransaction) throw new Error('EventLog.append must run inside a write transaction');
    const head = this.head.get();
    const prevHash = head?.hash ?? GENESIS_HASH;
    const seq = (head?.seq ?? 0) + 1;
    const id = uuidv7({ msecs: input.at });
    const payload = canonicalJson(input.payload);
    // The person of the call being served (the dispatcher sets it); none for the core's own background work.
    const scope = callScope.getStore();
    const actorId = scope?.actor.id ?? null;
    const actorRoles = actorId !== null ? JSON.stringify(scope!.actor.roles) : null;
    const cosigner = actorId !== null && scope!.cosigner ? canonicalJson(scope!.cosigner) : null;
    const fields = { seq, id, incidentId: input.incidentId, type: input.type, actor: input.actor, at: input.at, payload, actorId, actorRoles, cosigner };
    const hash = eventHash(fields, prevHash);
    this.insert.run(seq, id, input.incidentRid, input.type, input.actor, actorId, actorRoles, cosigner, input.at, payload, prevHash, hash);
    this.enqueue.run(seq, input.at);
    return {
      id,
      seq,
      type: input.type,
      actor: input.actor,
      ...identity(actorId, actorRoles, cosigner),
      at: input.at,
      payload: input.payload,
      hash,
    };
  }

  timeline(incidentRid: number): TimelineEvent[] {
    return this.timelineStmt.all(incidentRid).map((row) => ({
      id: row.id,
      seq: row.seq,
      type: row.type,
      actor: row.actor,
      ...identity(row.actor_id, row.actor_roles, row.cosigner),
      at: row.at,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
    }));
  }

  /** Walks the whole chain: every link must point at its predecessor and every hash must recompute. */
  verify(control?: Pick<TaskControl, 'progress' | 'check'>): { ok: boolean; checked: number; firstBadSeq: number | null; problem: string | null } {
    const total = control ? (this.db.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM events').get()?.n ?? 0) : 0;
    control?.progress('verify', 0, total);
    const rows = this.db
      .prepare<[], { seq: number; id: string; incident_id: string; type: string; actor: string; actor_id: string | null; actor_roles: string | null; cosigner: string | null; at: number; payload: string; prev_hash: Buffer; hash: Buffer }>(
        `SELECT e.seq, e.id, i.id AS incident_id, e.type, e.actor, e.actor_id, e.actor_roles, e.cosigner, e.at, e.payload, e.prev_hash, e.hash
         FROM events e JOIN incidents i ON i.rid = e.incident_rid ORDER BY e.seq`,
      )
      .iterate();
    let prev: Buffer = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (const row of rows) {
      const fail = (problem: string) => ({ ok: false, checked, firstBadSeq: row.seq, problem });
      if (row.seq !== expectedSeq) return fail(`event ${expectedSeq} is missing`);
      if (!row.prev_hash.equals(prev)) return fail('link to the previous event does not match');
      const recomputed = eventHash(
        { ...row, incidentId: row.incident_id, actorId: row.actor_id, actorRoles: row.actor_roles, cosigner: row.cosigner },
        row.prev_hash,
      );
      if (!recomputed.equals(row.hash)) return fail('content does not match its hash');
      prev = row.hash;
      expectedSeq += 1;
      checked += 1;
      if (control && checked % VERIFY_SLICE === 0) {
        control.check();
        control.progress('verify', checked, total);
      }
    }
    return { ok: true, checked, firstBadSeq: null, problem: null };
  }

  outboxStatus(): { pending: number; oldestSeq: number | null } {
    const row = this.db.prepare<[], { pending: number; oldest: number | null }>('SELECT count(*) AS pending, min(seq) AS oldest FROM outbox').get()!;
    return { pending: row.pending, oldestSeq: row.oldest };
  }

  /** The uplink calls this when the city platform confirms receipt (idempotent by seq). */
  acknowledge(seqs: readonly number[]): number {
    const del = this.db.prepare('DELETE FROM outbox WHERE seq = ?');
    return this.db.transaction(() => seqs.reduce((n, seq) => n + del.run(seq).changes, 0)).immediate();
  }
}

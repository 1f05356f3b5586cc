import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase, type Db } from '../store/database';
import { EventLog, GENESIS_HASH, canonicalJson, eventHash, type AppendedEvent } from './event-log';

const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);

let dir: string;
let file: string;
let db: Db;
let log: EventLog;

interface Row {
  seq: number;
  id: string;
  incident_rid: number;
  type: string;
  actor: string;
  at: number;
  payload: string;
  prev_hash: Buffer;
  hash: Buffer;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-events-'));
  file = path.join(dir, DATABASE_FILE);
  db = openDatabase(file);
  log = new EventLog(db);
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A bare incident row for events to point at (the store is tested on its own). */
function incident(n: number): { rid: number; id: string } {
  const id = `0196a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
       VALUES (?, ?, 'other', 'test', 'phone', 4, ?, ?, ?, 'reported', ?, 1)`,
    )
    .run(id, `GS-2026-${String(n).padStart(6, '0')}`, T0, T0, T0 + 86_400_000, T0);
  return { rid: Number(lastInsertRowid), id };
}

function append(target: { rid: number; id: string }, i: number, payload: Record<string, unknown> = { i }): AppendedEvent {
  return db
    .transaction(() =>
      log.append({ incidentRid: target.rid, incidentId: target.id, type: 'commented', actor: 'tester', at: T0 + i * 1000, payload }),
    )
    .immediate();
}

function appendMany(n: number): AppendedEvent[] {
  const a = incident(1);
  const b = incident(2);
  return Array.from({ length: n }, (_v, i) => append(i % 2 ? b : a, i, { text: `event ${i}`, nested: { z: i, a: [i, 'x'] } }));
}

const rows = () => db.prepare<[], Row>('SELECT * FROM events ORDER BY seq').all();

/** Tampering needs the append-only triggers gone, as someone editing the file with another tool would do. */
function dropTriggers() {
  db.exec('DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;');
}

describe('the hash chain', () => {
  it('starts at the genesis hash: 32 zero bytes', () => {
    expect(GENESIS_HASH.equals(Buffer.alloc(32))).toBe(true);
    appendMany(1);
    const [first] = rows();
    expect(first!.seq).toBe(1);
    expect(first!.prev_hash.equals(Buffer.alloc(32))).toBe(true);
  });

  it('links every event to the one before it and verifies', () => {
    const appended = appendMany(6);
    const stored = rows();
    expect(stored).toHaveLength(6);
    stored.forEach((row, i) => {
      expect(row.prev_hash.equals(i === 0 ? GENESIS_HASH : stored[i - 1]!.hash), `prev_hash of ${row.seq}`).toBe(true);
      expect(row.hash).toHaveLength(32);
      expect(row.hash.equals(appended[i]!.hash)).toBe(true);
    });
    // Each hash recomputes from the stored fields and the previous hash.
    const ids = new Map(db.prepare<[], { rid: number; id: string }>('SELECT rid, id FROM incidents').all().map((r) => [r.rid, r.id]));
    for (const row of stored) {
      const recomputed = eventHash({ ...row, incidentId: ids.get(row.incident_rid)! }, row.prev_hash);
      expect(recomputed.equals(row.hash)).toBe(true);
    }
    expect(log.verify()).toEqual({ ok: true, checked: 6, firstBadSeq: null, problem: null });
  });

  it('verifies an empty log', () => {
    expect(log.verify()).toEqual({ ok: true, checked: 0, firstBadSeq: null, problem: null });
  });

  it('stores the payload as canonical JSON and returns it as given', () => {
    const target = incident(1);
    const event = append(target, 0, { b: 1, a: { d: 2, c: 3 } });
    expect(event.payload).toEqual({ b: 1, a: { d: 2, c: 3 } });
    expect(rows()[0]!.payload).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(log.timeline(target.rid)[0]!.payload).toEqual({ a: { c: 3, d: 2 }, b: 1 });
  });

  it('continues across re-opening the file', () => {
    appendMany(3);
    db.close();
    db = openDatabase(file);
    log = new EventLog(db);
    const target = db.prepare<[], { rid: number; id: string }>('SELECT rid, id FROM incidents ORDER BY rid LIMIT 1').get()!;
    const event = append(target, 3);
    expect(event.seq).toBe(4);
    expect(rows()[3]!.prev_hash.equals(rows()[2]!.hash)).toBe(true);
    expect(log.verify()).toMatchObject({ ok: true, checked: 4 });
  });

  it('refuses to append outside a transaction', () => {
    const target = incident(1);
    expect(() => log.append({ incidentRid: target.rid, incidentId: target.id, type: 'commented', actor: 'x', at: T0, payload: {} })).toThrow(
      /inside a write transaction/,
    );
    expect(rows()).toHaveLength(0);
  });

  it('leaves nothing behind when the surrounding transaction rolls back, and the next append reuses the seq', () => {
    appendMany(2);
    const target = incident(9);
    expect(() =>
      db
        .transaction(() => {
          log.append({ incidentRid: target.rid, incidentId: target.id, type: 'commented', actor: 'x', at: T0, payload: {} });
          throw new Error('command failed after the append');
        })
        .immediate(),
    ).toThrow('command failed');
    expect(rows()).toHaveLength(2);
    expect(log.outboxStatus().pending).toBe(2);
    expect(append(target, 10).seq).toBe(3);
    expect(log.verify()).toMatchObject({ ok: true, checked: 3 });
  });
});

describe('events are append-only', () => {
  it('refuses UPDATE', () => {
    appendMany(2);
    expect(() => db.prepare("UPDATE events SET actor = 'someone else' WHERE seq = 1").run()).toThrow('events are append-only');
    expect(() => db.prepare("UPDATE events SET payload = '{}'").run()).toThrow('events are append-only');
    expect(rows()[0]!.actor).toBe('tester');
  });

  it('refuses DELETE', () => {
    appendMany(2);
    log.acknowledge([1, 2]); // the outbox's foreign key is not what stops it
    expect(() => db.prepare('DELETE FROM events WHERE seq = 2').run()).toThrow('events are append-only');
    expect(() => db.prepare('DELETE FROM events').run()).toThrow('events are append-only');
    expect(rows()).toHaveLength(2);
  });
});

describe('tampering is detected', () => {
  beforeEach(() => {
    appendMany(5);
    dropTriggers();
  });

  it('a changed payload', () => {
    db.prepare(`UPDATE events SET payload = '{"text":"nothing happened"}' WHERE seq = 3`).run();
    expect(log.verify()).toEqual({ ok: false, checked: 2, firstBadSeq: 3, problem: 'content does not match its hash' });
  });

  it.each([
    ['actor', "actor = 'intruder'"],
    ['type', "type = 'closed'"],
    ['time', 'at = at + 1'],
    ['id', "id = '0196a000-0000-7000-8000-ffffffffffff'"],
    ['incident', 'incident_rid = 3 - incident_rid'],
  ])('a changed %s', (_field, set) => {
    db.prepare(`UPDATE events SET ${set} WHERE seq = 4`).run();
    expect(log.verify()).toMatchObject({ ok: false, checked: 3, firstBadSeq: 4 });
  });

  it('a deleted middle event: the next one no longer links', () => {
    log.acknowledge([3]);
    db.prepare('DELETE FROM events WHERE seq = 3').run();
    expect(log.verify()).toEqual({ ok: false, checked: 2, firstBadSeq: 4, problem: 'event 3 is missing' });
  });

  it('an altered prev_hash', () => {
    db.prepare('UPDATE events SET prev_hash = ? WHERE seq = 4').run(Buffer.alloc(32, 7));
    expect(log.verify()).toEqual({ ok: false, checked: 3, firstBadSeq: 4, problem: 'link to the previous event does not match' });
  });

  it('a forged first event pointing anywhere but genesis', () => {
    db.prepare('UPDATE events SET prev_hash = ? WHERE seq = 1').run(Buffer.alloc(32, 1));
    expect(log.verify()).toMatchObject({ ok: false, checked: 0, firstBadSeq: 1 });
  });

  it('a changed event whose own hash was recomputed: the link of the next one breaks', () => {
    const row = rows()[2]!;
    const payload = '{"text":"rewritten"}';
    const incidentId = db.prepare<[number], { id: string }>('SELECT id FROM incidents WHERE rid = ?').get(row.incident_rid)!.id;
    const hash = eventHash({ ...row, incidentId, payload }, row.prev_hash);
    db.prepare('UPDATE events SET payload = ?, hash = ? WHERE seq = 3').run(payload, hash);
    expect(log.verify()).toEqual({ ok: false, checked: 3, firstBadSeq: 4, problem: 'link to the previous event does not match' });
  });
});

describe('the outbox', () => {
  it('gets one row per event, enqueued at the event time', () => {
    const appended = appendMany(4);
    const outbox = db.prepare<[], { seq: number; enqueued_at: number }>('SELECT seq, enqueued_at FROM outbox ORDER BY seq').all();
    expect(outbox).toEqual(appended.map((e) => ({ seq: e.seq, enqueued_at: e.at })));
    expect(log.outboxStatus()).toEqual({ pending: 4, oldestSeq: 1 });
  });

  it('is empty at first', () => {
    expect(log.outboxStatus()).toEqual({ pending: 0, oldestSeq: null });
  });

  it('drops acknowledged events idempotently and keeps the log itself', () => {
    appendMany(4);
    expect(log.acknowledge([1, 2])).toBe(2);
    expect(log.outboxStatus()).toEqual({ pending: 2, oldestSeq: 3 });
    expect(log.acknowledge([1, 2])).toBe(0);
    expect(log.acknowledge([2, 3, 999])).toBe(1);
    expect(log.outboxStatus()).toEqual({ pending: 1, oldestSeq: 4 });
    expect(log.acknowledge([])).toBe(0);
    expect(log.acknowledge([4])).toBe(1);
    expect(log.outboxStatus()).toEqual({ pending: 0, oldestSeq: null });
    expect(rows()).toHaveLength(4);
    expect(log.verify()).toMatchObject({ ok: true, checked: 4 });
  });
});

describe('sequence numbers and ids', () => {
  it('seq strictly increases from 1 without gaps', () => {
    const appended = appendMany(10);
    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows().map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('event ids are unique UUIDv7 carrying the event time', () => {
    const target = incident(1);
    // Many events in the same millisecond.
    const appended = db.transaction(() =>
      Array.from({ length: 200 }, () => log.append({ incidentRid: target.rid, incidentId: target.id, type: 'commented', actor: 'x', at: T0, payload: {} })),
    )();
    const ids = appended.map((e) => e.id);
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(uuidVersion(id)).toBe(7);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(T0);
    }
  });
});

describe('timeline', () => {
  it("returns one incident's events in seq order with parsed payloads", () => {
    const a = incident(1);
    const b = incident(2);
    append(a, 0);
    append(b, 1);
    append(a, 2);
    append(b, 3);
    append(a, 4);
    expect(log.timeline(a.rid).map((e) => [e.seq, e.payload])).toEqual([
      [1, { i: 0 }],
      [3, { i: 2 }],
      [5, { i: 4 }],
    ]);
    expect(log.timeline(b.rid).map((e) => e.seq)).toEqual([2, 4]);
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { title: '快艇', location: { lon: 113.8, lat: 22.1 }, list: [{ y: 1, x: 2 }], n: null };
    const b = { n: null, list: [{ x: 2, y: 1 }], location: { lat: 22.1, lon: 113.8 }, title: '快艇' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"list":[{"x":2,"y":1}],"location":{"lat":22.1,"lon":113.8},"n":null,"title":"快艇"}');
  });

  it('keeps array order and distinguishes different values', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('handles numeric-looking keys deterministically', () => {
    expect(canonicalJson({ 10: 'a', 2: 'b', x: 'c' })).toBe(canonicalJson({ x: 'c', 2: 'b', 10: 'a' }));
  });

  it('so the same event hashes the same whatever order its payload keys came in', () => {
    const fields = { seq: 1, id: 'id', incidentId: 'inc', type: 'updated', actor: 'a', at: T0 };
    const h1 = eventHash({ ...fields, payload: canonicalJson({ from: 1, to: 2 }) }, GENESIS_HASH);
    const h2 = eventHash({ ...fields, payload: canonicalJson({ to: 2, from: 1 }) }, GENESIS_HASH);
    const h3 = eventHash({ ...fields, payload: canonicalJson({ to: 3, from: 1 }) }, GENESIS_HASH);
    expect(h1.equals(h2)).toBe(true);
    expect(h1.equals(h3)).toBe(false);
    expect(eventHash({ ...fields, payload: '{}' }, GENESIS_HASH).equals(eventHash({ ...fields, payload: '{}' }, Buffer.alloc(32, 1)))).toBe(false);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, SEED_CATEGORIES, commands, isOverdue, type IncidentStatus } from '@shared';
import { DATABASE_FILE, openDatabase, type Db } from '../store/database';
import { IncidentStore } from '../incidents/incident-store';
import { seedGuishanDemo } from './guishan';

const DAY = 86_400_000;
/** 2026-06-01 10:00 in Guishan. */
const NOW = Date.UTC(2026, 5, 1, 2, 0, 0);

interface Seeded {
  dir: string;
  db: Db;
  store: IncidentStore;
  created: number;
}

function seed(now = NOW): Seeded {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-demo-'));
  const db = openDatabase(path.join(dir, DATABASE_FILE));
  const store = new IncidentStore(db, { codePrefix: 'GS', now: () => now });
  const created = seedGuishanDemo(store, { actor: '演示', now });
  return { dir, db, store, created };
}

function dispose(seeded: Seeded) {
  seeded.db.close();
  fs.rmSync(seeded.dir, { recursive: true, force: true });
}

interface Row {
  rid: number;
  code: string;
  category: string;
  title: string;
  status: IncidentStatus;
  occurred_at: number;
  recorded_at: number;
  deadline: number;
  closed_at: number | null;
  assessment_score: number | null;
  lon: number | null;
  lat: number | null;
}

/** Everything but the random parts (UUIDs, and the hashes that cover them). */
function content(db: Db) {
  return {
    incidents: db.prepare('SELECT * FROM incidents ORDER BY rid').all().map((r) => ({ ...(r as Record<string, unknown>), id: undefined })),
    events: db.prepare('SELECT seq, incident_rid, type, actor, at, payload FROM events ORDER BY seq').all(),
  };
}

describe('the Guishan demo', () => {
  let demo: Seeded;
  let rows: Row[];

  beforeAll(() => {
    demo = seed();
    rows = demo.db.prepare<[], Row>('SELECT * FROM incidents ORDER BY rid').all();
  });

  afterAll(() => dispose(demo));

  it('creates 320 incidents', () => {
    expect(demo.created).toBe(320);
    expect(rows).toHaveLength(320);
    expect(demo.store.count()).toBe(320);
  });

  it('has incidents in every status, some assessed, some overdue, some with rejected feedback', () => {
    const statuses = new Set(rows.map((r) => r.status));
    expect([...statuses].sort()).toEqual([...INCIDENT_STATUSES].sort());
    expect(rows.filter((r) => r.assessment_score !== null).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status === 'closed' && r.assessment_score === null).length).toBeGreaterThan(0);
    expect(rows.filter((r) => isOverdue(r, NOW)).length).toBeGreaterThan(0);
    const rejected = demo.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM events WHERE type = 'feedback_rejected'").get()!.n;
    expect(rejected).toBeGreaterThan(0);
    expect(demo.store.summary(NOW)).toMatchObject({ total: 320 });
  });

  it('looks like a working town: history closed, a few cases overdue by days, none by weeks', () => {
    const open = rows.filter((r) => r.status !== 'closed');
    for (const row of rows.filter((r) => r.recorded_at < NOW - 10 * DAY)) expect(row.status, row.code).toBe('closed');
    expect(rows.filter((r) => r.status === 'closed').length / rows.length).toBeGreaterThan(0.85);
    const overdueDays = open.filter((r) => isOverdue(r, NOW)).map((r) => (NOW - r.deadline) / DAY);
    expect(overdueDays.filter((d) => d >= 1).length).toBeGreaterThan(0);
    expect(overdueDays.filter((d) => d >= 1).length).toBeLessThanOrEqual(15);
    expect(Math.max(...overdueDays)).toBeLessThan(10);
  });

  it('uses known categories, and several of them', () => {
    const known = new Set(SEED_CATEGORIES.map((c) => c.code));
    for (const row of rows) expect(known.has(row.category), row.category).toBe(true);
    expect(new Set(rows.map((r) => r.category)).size).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(row.title).not.toContain('{place}');
  });

  it('numbers codes in chronological order', () => {
    expect(rows.map((r) => r.code)).toEqual(rows.map((_r, i) => `GS-2026-${String(i + 1).padStart(6, '0')}`));
    const recorded = rows.map((r) => r.recorded_at);
    expect(recorded).toEqual([...recorded].sort((a, b) => a - b));
  });

  it('keeps everything within the last 120 days and never in the future', () => {
    for (const row of rows) {
      expect(row.recorded_at).toBeGreaterThanOrEqual(NOW - 120 * DAY);
      expect(row.recorded_at).toBeLessThanOrEqual(NOW);
      expect(row.occurred_at).toBeLessThanOrEqual(row.recorded_at);
      expect(row.occurred_at).toBeGreaterThanOrEqual(NOW - 121 * DAY);
      expect(row.deadline).toBeGreaterThan(row.occurred_at);
      if (row.closed_at !== null) expect(row.closed_at).toBeLessThanOrEqual(NOW);
      expect(row.status === 'closed').toBe(row.closed_at !== null);
    }
    const range = demo.db.prepare<[], { min: number; max: number }>('SELECT min(at) AS min, max(at) AS max FROM events').get()!;
    expect(range.min).toBeGreaterThanOrEqual(NOW - 120 * DAY);
    expect(range.max).toBeLessThanOrEqual(NOW);
  });

  it('places incidents around Guishan Island', () => {
    for (const row of rows) {
      expect(row.lon).toBeGreaterThan(113.7);
      expect(row.lon).toBeLessThan(113.9);
      expect(row.lat).toBeGreaterThan(22.1);
      expect(row.lat).toBeLessThan(22.2);
    }
  });

  it('goes through the store: timelines follow the loop and the chain verifies', () => {
    const verify = demo.store.eventLog.verify();
    expect(verify).toMatchObject({ ok: true, firstBadSeq: null });
    const events = demo.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()!.n;
    expect(verify.checked).toBe(events);
    expect(demo.store.eventLog.outboxStatus().pending).toBe(events);
    const first = demo.store.list(commands['incidents.list'].input.parse({ filter: { statuses: ['closed'] } }).filter, 0, 1).rows[0]!;
    const { timeline } = demo.store.get(first.id);
    expect(timeline[0]!.type).toBe('created');
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['dispatched', 'started', 'feedback_submitted', 'closed']));
    const times = timeline.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('is found by the full-text search', () => {
    const filter = commands['incidents.list'].input.parse({ filter: { text: '快艇' } }).filter;
    const found = demo.store.list(filter, 0, 500);
    expect(found.total).toBeGreaterThan(0);
    for (const row of found.rows) expect(row.title).toContain('快艇');
  });

  it('is deterministic: the same data on every machine', () => {
    const again = seed();
    try {
      expect(content(again.db)).toEqual(content(demo.db));
    } finally {
      dispose(again);
    }
  });
});

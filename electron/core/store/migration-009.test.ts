import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, SEED_CATEGORIES } from '@shared';
import { DATABASE_FILE, migrate, openDatabase, type Db } from './database';
import { MIGRATIONS } from './migrations';
import { DEADLINE_DAY_MS } from './migrations/009_aggregates';

let dir: string;
let file: string;
let db: Db | null = null;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-migration-9-'));
  file = path.join(dir, DATABASE_FILE);
});

afterEach(() => {
  if (db?.open) db.close();
  db = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const T = Date.UTC(2026, 5, 1, 2);
const BEFORE_9 = MIGRATIONS.filter((m) => m.version < 9);
const UP_TO_9 = MIGRATIONS.filter((m) => m.version <= 9);

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let serial = 0;
function insert(target: Db, o: { status?: string; category?: string; priority?: number; source?: string; grid?: string | null; recordedAt?: number; deadline?: number; closedAt?: number | null } = {}): void {
  serial += 1;
  const recordedAt = o.recordedAt ?? T;
  target
    .prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, closed_at, grid_id, updated_at, version)
       VALUES (?, ?, ?, 't', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    )
    .run(`id-${serial}`, `GS-${serial}`, o.category ?? 'dispute', o.source ?? 'phone', o.priority ?? 3, recordedAt, recordedAt, o.deadline ?? recordedAt + DAY, o.status ?? 'reported', o.closedAt ?? null, o.grid ?? null, recordedAt);
}

/** What the aggregates must hold, computed from the rows themselves (zero rows left out). */
function truth(target: Db) {
  const all = <T>(sql: string) => target.prepare(sql).all() as T[];
  return {
    counts: all('SELECT status, category, priority, source, count(*) AS n FROM incidents GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4'),
    deadlines: all(`SELECT deadline / ${DEADLINE_DAY_MS} AS day, status, count(*) AS n FROM incidents WHERE status <> 'closed' GROUP BY 1, 2 ORDER BY 1, 2`),
    grid: all(
      `SELECT day, grid, sum(reported) AS reported, sum(completed) AS completed, sum(close_ms_sum) AS close_ms_sum FROM incident_daily_stats
       GROUP BY 1, 2 HAVING sum(reported) OR sum(completed) OR sum(close_ms_sum) ORDER BY 1, 2`,
    ),
    category: all(
      `SELECT day, category, sum(reported) AS reported, sum(completed) AS completed, sum(close_ms_sum) AS close_ms_sum FROM incident_daily_stats
       GROUP BY 1, 2 HAVING sum(reported) OR sum(completed) OR sum(close_ms_sum) ORDER BY 1, 2`,
    ),
  };
}

function kept(target: Db) {
  const all = <T>(sql: string) => target.prepare(sql).all() as T[];
  return {
    counts: all('SELECT status, category, priority, source, n FROM incident_counts WHERE n <> 0 ORDER BY 1, 2, 3, 4'),
    deadlines: all('SELECT day, status, n FROM incident_open_deadlines WHERE n <> 0 ORDER BY 1, 2'),
    grid: all('SELECT day, grid, reported, completed, close_ms_sum FROM incident_daily_grid WHERE reported OR completed OR close_ms_sum ORDER BY 1, 2'),
    category: all('SELECT day, category, reported, completed, close_ms_sum FROM incident_daily_category WHERE reported OR completed OR close_ms_sum ORDER BY 1, 2'),
  };
}

describe('migration 9 on a database at version 8 with incidents', () => {
  it('backfills counts, open deadlines and the daily rollups from what is stored', () => {
    db = openDatabase(file, { migrations: BEFORE_9 });
    insert(db, { grid: 'GS-G01' });
    insert(db, { grid: 'GS-G01', status: 'closed', closedAt: T + 2 * DAY });
    insert(db, { grid: null, category: 'fire', priority: 1, deadline: T + 3 * DAY });
    insert(db, { grid: 'GS-G02', source: 'drill' });
    insert(db, { grid: 'GS-G02', status: 'dispatched', recordedAt: T + DAY });
    expect(migrate(db, file, UP_TO_9)).toBe(9);
    const expected = truth(db);
    expect(kept(db)).toEqual(expected);
    expect(expected.counts).toHaveLength(5);
    expect(db.prepare('SELECT coalesce(sum(n), 0) AS n FROM incident_counts').get()).toEqual({ n: 5 });
    expect(db.prepare('SELECT coalesce(sum(n), 0) AS n FROM incident_open_deadlines').get()).toEqual({ n: 4 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps every aggregate in step with the rows through inserts, updates and deletes', () => {
    db = openDatabase(file);
    const rnd = random(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
    const categories = SEED_CATEGORIES.slice(0, 4).map((c) => c.code);
    const grids = [null, 'GS-G01', 'GS-G02', 'GS-G03'];
    for (let i = 0; i < 60; i += 1) {
      const status = pick(INCIDENT_STATUSES);
      const recordedAt = T + Math.floor(rnd() * 5) * DAY + Math.floor(rnd() * DAY);
      insert(db, {
        status,
        category: pick(categories),
        priority: 1 + Math.floor(rnd() * 4),
        source: rnd() < 0.2 ? 'drill' : pick(['phone', 'grid_report']),
        grid: pick(grids),
        recordedAt,
        deadline: recordedAt + Math.floor(rnd() * 4 * DAY) + 1,
        closedAt: status === 'closed' ? recordedAt + DAY : null,
      });
    }
    const rids = () => (db!.prepare('SELECT rid FROM incidents').all() as { rid: number }[]).map((r) => r.rid);
    const changes: (() => void)[] = [
      () => db!.prepare("UPDATE incidents SET status = 'closed', closed_at = recorded_at + ? WHERE rid = ?").run(Math.floor(rnd() * 3 * DAY), pick(rids())),
      () => db!.prepare("UPDATE incidents SET status = 'dispatched', closed_at = NULL WHERE rid = ?").run(pick(rids())),
      () => db!.prepare('UPDATE incidents SET category = ? WHERE rid = ?').run(pick(categories), pick(rids())),
      () => db!.prepare('UPDATE incidents SET priority = ?, source = ? WHERE rid = ?').run(1 + Math.floor(rnd() * 4), pick(['phone', 'drill']), pick(rids())),
      () => db!.prepare('UPDATE incidents SET deadline = deadline + ? WHERE rid = ?').run(Math.floor(rnd() * 3 * DAY), pick(rids())),
      () => db!.prepare('UPDATE incidents SET grid_id = ? WHERE rid = ?').run(pick(grids), pick(rids())),
      () => db!.prepare('UPDATE incidents SET recorded_at = recorded_at + ? WHERE rid = ?').run(DAY, pick(rids())),
      () => db!.prepare('DELETE FROM incidents WHERE rid = ?').run(pick(rids())),
      // Many rows in one statement, as re-gridding does.
      () => db!.prepare("UPDATE incidents SET grid_id = 'GS-G09' WHERE rid % 7 = ?").run(Math.floor(rnd() * 7)),
    ];
    for (let i = 0; i < 300; i += 1) {
      pick(changes)();
      if (i % 50 === 0) expect(kept(db), `after change ${i}`).toEqual(truth(db));
    }
    expect(kept(db)).toEqual(truth(db));
  });

  it('answers the status bar, list counts and statistics through the aggregates’ primary keys', () => {
    db = openDatabase(file);
    const plan = (sql: string) => JSON.stringify(db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan('SELECT sum(n) FROM incident_open_deadlines WHERE day < 5')).toMatch(/SEARCH incident_open_deadlines USING PRIMARY KEY/);
    expect(plan("SELECT sum(n) FROM incident_counts WHERE status IN ('reported')")).toMatch(/SEARCH incident_counts USING PRIMARY KEY/);
    expect(plan('SELECT count(*) FROM incidents WHERE list_key >= 1 AND list_key < 2')).toContain('idx_incidents_list');
    expect(plan('SELECT grid, sum(reported) FROM incident_daily_grid WHERE day BETWEEN 1 AND 2 GROUP BY grid')).toMatch(/SEARCH incident_daily_grid USING PRIMARY KEY/);
    expect(plan('SELECT category, sum(reported) FROM incident_daily_category WHERE day BETWEEN 1 AND 2 GROUP BY category')).toMatch(
      /SEARCH incident_daily_category USING PRIMARY KEY/,
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_CATEGORIES } from '@shared';
import { DATABASE_FILE, NewerDatabaseError, SCHEMA_VERSION, migrate, openDatabase, type Db } from './database';
import { MIGRATIONS, type Migration } from './migrations';
import { migration001 } from './migrations/001_initial';
import { CLOSED_LIST_KEY_BASE, migration002 } from './migrations/002_list_order';
import { migration003 } from './migrations/003_workflows';
import { migration004 } from './migrations/004_attachments';
import { migration005 } from './migrations/005_grids';
import { migration006 } from './migrations/006_cameras';
import { migration007 } from './migrations/007_camera_basic_auth';
import { migration008 } from './migrations/008_uplink';
import { migration009 } from './migrations/009_aggregates';
import { migration010 } from './migrations/010_people';
import { migration011 } from './migrations/011_analysis';
import { migration012 } from './migrations/012_uplink_people';

let dir: string;
let file: string;
const open: Db[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-migrations-'));
  file = path.join(dir, DATABASE_FILE);
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const track = (db: Db): Db => {
  open.push(db);
  return db;
};

const userVersion = (db: Db) => db.pragma('user_version', { simple: true }) as number;
const objects = (db: Db, type: string) =>
  db
    .prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all(type)
    .map((r) => r.name);
const schemaSnapshot = (db: Db) =>
  db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();

describe('the migration list', () => {
  it('runs 1..n without gaps, so every migration is in it and in order', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    for (const migration of MIGRATIONS) expect(migration.name.trim(), `migration ${migration.version}`).not.toBe('');
  });

  it.each(MIGRATIONS.map((m) => [m.version, m] as const))(
    'migration %i applies on top of its predecessors in one step and sets user_version',
    (version) => {
      const db = track(openDatabase(file, { migrations: MIGRATIONS.slice(0, version - 1) }));
      expect(userVersion(db)).toBe(version - 1);
      expect(migrate(db, file, MIGRATIONS.slice(0, version))).toBe(version);
      expect(userVersion(db)).toBe(version);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    },
  );
});

describe('migration 1 on an empty file', () => {
  it('creates the tables, indexes, triggers and the full-text table', () => {
    const db = track(openDatabase(file, { migrations: [migration001] }));
    expect(objects(db, 'table')).toEqual(
      expect.arrayContaining(['categories', 'code_counters', 'events', 'incident_search', 'incidents', 'outbox', 'settings']),
    );
    expect(objects(db, 'index')).toEqual([
      'idx_events_incident',
      'idx_incidents_deadline',
      'idx_incidents_occurred',
      'idx_incidents_status_category_deadline',
    ]);
    expect(objects(db, 'trigger')).toEqual(['events_append_only_delete', 'events_append_only_update']);
    const fts = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'incident_search'").get();
    expect(fts?.sql).toMatch(/CREATE VIRTUAL TABLE incident_search USING fts5/i);
    expect(db.prepare("SELECT count(*) AS n FROM incident_search WHERE incident_search MATCH 'x'").get()).toEqual({ n: 0 });
  });

  it('seeds the 10 categories in order', () => {
    const db = track(openDatabase(file, { migrations: [migration001] }));
    const rows = db
      .prepare<[], { code: string; name_zh: string; name_en: string; grp: string; default_deadline_hours: number; sort: number }>(
        'SELECT * FROM categories ORDER BY sort',
      )
      .all();
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, group: r.grp, defaultDeadlineHours: r.default_deadline_hours }))).toEqual(
      SEED_CATEGORIES,
    );
    expect(rows.map((r) => r.sort)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('sets user_version, WAL and foreign keys', () => {
    const db = track(openDatabase(file, { migrations: [migration001] }));
    expect(userVersion(db)).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Foreign keys are enforced, not only declared.
    expect(() =>
      db
        .prepare(
          `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
           VALUES ('x', 'GS-2026-000001', 'no_such_category', 't', 'phone', 1, 1, 1, 2, 'reported', 1, 1)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('writes its tables with their constraints (STRICT, checks)', () => {
    const db = track(openDatabase(file, { migrations: [migration001] }));
    const insert = (status: string, priority: number) =>
      db
        .prepare(
          `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
           VALUES (?, ?, 'other', 't', 'phone', ?, 1, 1, 2, ?, 1, 1)`,
        )
        .run(`id-${status}-${priority}`, `code-${status}-${priority}`, priority, status);
    expect(() => insert('reported', 1)).not.toThrow();
    expect(() => insert('lost', 1)).toThrow(/CHECK/);
    expect(() => insert('reported', 9)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO categories VALUES ('x', 'x', 'x', 'x', 'not a number', 0)").run()).toThrow();
  });
});

describe('migration 2 on a database at version 1 with incidents', () => {
  const insert = (db: Db, code: string, status: string, deadline: number, closedAt: number | null) =>
    db
      .prepare(
        `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, closed_at, updated_at, version)
         VALUES (?, ?, 'other', 't', 'phone', 3, 1000, 1000, ?, ?, ?, 5000, 1)`,
      )
      .run(`id-${code}`, code, deadline, status, closedAt);

  it('orders open incidents by deadline, then closed ones newest first, through the new indexes', () => {
    const db = track(openDatabase(file, { migrations: [migration001] }));
    insert(db, 'closed-old', 'closed', 2000, 3000);
    insert(db, 'open-late', 'reported', 9000, null);
    insert(db, 'closed-new', 'closed', 8000, 4000);
    insert(db, 'open-soon', 'in_progress', 6000, null);
    expect(migrate(db, file, [migration001, migration002])).toBe(2);

    const order = db.prepare<[], { code: string }>('SELECT code FROM incidents ORDER BY list_key, rid').all().map((r) => r.code);
    expect(order).toEqual(['open-soon', 'open-late', 'closed-new', 'closed-old']);
    const keys = db.prepare<[], { code: string; list_key: number }>('SELECT code, list_key FROM incidents').all();
    for (const { code, list_key } of keys) expect(list_key < CLOSED_LIST_KEY_BASE, code).toBe(code.startsWith('open'));

    expect(objects(db, 'index')).toEqual(['idx_events_incident', 'idx_incidents_list', 'idx_incidents_occurred', 'idx_incidents_status_category_list']);
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan('SELECT id FROM incidents ORDER BY list_key, rid LIMIT 50')).toContain('idx_incidents_list');
    expect(plan("SELECT id FROM incidents WHERE status = 'reported' AND category = 'fire' ORDER BY list_key, rid LIMIT 50")).toContain(
      'idx_incidents_status_category_list',
    );
    expect(plan('SELECT count(*) FROM incidents WHERE list_key < 7000')).toContain('idx_incidents_list');
  });

  it('follows a status change: closing moves the incident behind every open one', () => {
    const db = track(openDatabase(file));
    insert(db, 'a', 'reported', 9000, null);
    insert(db, 'b', 'reported', 6000, null);
    db.prepare("UPDATE incidents SET status = 'closed', closed_at = 7000 WHERE code = 'b'").run();
    const order = db.prepare<[], { code: string }>('SELECT code FROM incidents ORDER BY list_key, rid').all().map((r) => r.code);
    expect(order).toEqual(['a', 'b']);
  });
});

describe('migration 3 on a database at version 2 with incidents', () => {
  const DAY = 86_400_000;
  // 2026-06-01 10:00 in Shanghai; its Shanghai day number.
  const T = Date.UTC(2026, 5, 1, 2);
  const day = Math.floor((T + 8 * 3_600_000) / DAY);
  const insert = (db: Db, code: string, opts: { status?: string; closedAt?: number | null; grid?: string | null; source?: string; category?: string } = {}) =>
    db
      .prepare(
        `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, closed_at, grid_id, updated_at, version)
         VALUES (?, ?, ?, 't', ?, 3, ?, ?, ?, ?, ?, ?, ?, 1)`,
      )
      .run(`id-${code}`, code, opts.category ?? 'dispute', opts.source ?? 'phone', T, T, T + DAY, opts.status ?? 'reported', opts.closedAt ?? null, opts.grid ?? null, T);
  const stats = (db: Db) =>
    db.prepare('SELECT day, grid, category, reported, completed, close_ms_sum FROM incident_daily_stats ORDER BY grid, category').all();

  it('backfills the daily figures from existing incidents, without drills', () => {
    const db = track(openDatabase(file, { migrations: [migration001, migration002] }));
    insert(db, 'a', { grid: 'GS-G01' });
    insert(db, 'b', { grid: 'GS-G01', status: 'closed', closedAt: T + 2 * DAY });
    insert(db, 'c', { grid: null });
    insert(db, 'd', { grid: 'GS-G01', source: 'drill' });
    expect(migrate(db, file, [migration001, migration002, migration003])).toBe(3);
    expect(stats(db)).toEqual([
      { day, grid: '', category: 'dispute', reported: 1, completed: 0, close_ms_sum: 0 },
      { day, grid: 'GS-G01', category: 'dispute', reported: 2, completed: 1, close_ms_sum: 2 * DAY },
    ]);
    expect(objects(db, 'table')).toEqual(
      expect.arrayContaining(['units', 'workflows', 'mediation_parties', 'mediation_sessions', 'quarantine_persons', 'quarantine_checks', 'incident_daily_stats']),
    );
    expect(JSON.parse(db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'workflows.settings'").get()!.value)).toMatchObject({
      simpleDays: 0,
      ordinaryDays: 3,
      hardDays: 7,
      maxDays: 15,
    });
  });

  it('keeps the figures with triggers: closing, re-gridding, recategorising; drills never count', () => {
    const db = track(openDatabase(file));
    insert(db, 'a', { grid: 'GS-G01' });
    insert(db, 'drill', { grid: 'GS-G01', source: 'drill' });
    db.prepare("UPDATE incidents SET status = 'dispatched' WHERE code = 'a'").run();
    db.prepare("UPDATE incidents SET grid_id = 'GS-G02', category = 'fire' WHERE code = 'a'").run();
    db.prepare(`UPDATE incidents SET status = 'closed', closed_at = ${T + DAY} WHERE code IN ('a', 'drill')`).run();
    const rows = stats(db).filter((r) => (r as { reported: number }).reported !== 0);
    expect(rows).toEqual([{ day, grid: 'GS-G02', category: 'fire', reported: 1, completed: 1, close_ms_sum: DAY }]);
  });

  it('answers its queries through the indexes it creates', () => {
    const db = track(openDatabase(file));
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan('SELECT grid, sum(reported) FROM incident_daily_stats WHERE day BETWEEN 1 AND 2 GROUP BY grid')).toMatch(/SEARCH incident_daily_stats USING PRIMARY KEY/);
    expect(plan('SELECT id FROM workflows WHERE closed_at IS NULL AND deadline <= 5 ORDER BY deadline')).toContain('idx_workflows_open_deadline');
    expect(plan('SELECT * FROM workflows WHERE incident_rid = 1')).toContain('idx_workflows_incident');
    expect(plan("SELECT count(*) FROM quarantine_persons WHERE site_rid = 1 AND status = 'in_quarantine'")).toContain('idx_quarantine_site_status');
    expect(plan("SELECT * FROM units WHERE kind = 'lawyer' ORDER BY name")).toContain('idx_units_kind_name');
    // A quarantine site without a capacity, or a workflow closed without a time, is refused by the schema.
    expect(() => db.prepare("INSERT INTO units (id, kind, name, on_duty, updated_at, version) VALUES ('u', 'quarantine_site', 'x', 1, 1, 1)").run()).toThrow(/CHECK/);
  });
});

describe('migration 4 on a database at version 3 with incidents', () => {
  it('adds the attachments table, keyed to incidents, listed through its index', () => {
    const db = track(openDatabase(file, { migrations: [migration001, migration002, migration003] }));
    db.prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
       VALUES ('i1', 'GS-1', 'dispute', 't', 'phone', 3, 1, 1, 2, 'reported', 1, 1)`,
    ).run();
    expect(migrate(db, file, [migration001, migration002, migration003, migration004])).toBe(4);
    const insert = db.prepare("INSERT INTO attachments (id, incident_rid, name, mime, bytes, sha256, actor, at) VALUES (?, ?, 'p.jpg', 'image/jpeg', ?, ?, 'a', 1)");
    insert.run('a1', 1, 10, 'f'.repeat(64));
    // No attachment without its incident, an empty file, or a hash of the wrong length.
    expect(() => insert.run('a2', 99, 10, 'f'.repeat(64))).toThrow(/FOREIGN KEY/);
    expect(() => insert.run('a3', 1, 0, 'f'.repeat(64))).toThrow(/CHECK/);
    expect(() => insert.run('a4', 1, 10, 'abc')).toThrow(/CHECK/);
    expect(JSON.stringify(db.prepare('EXPLAIN QUERY PLAN SELECT id FROM attachments WHERE incident_rid = 1 ORDER BY rid').all())).toContain('idx_attachments_incident');
  });
});

describe('migration 5 on a database at version 4 with incidents', () => {
  it('adds the grid and basemap tables and the per-grid index the grid card and choropleth use', () => {
    const db = track(openDatabase(file, { migrations: [migration001, migration002, migration003, migration004] }));
    db.prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, grid_id, updated_at, version)
       VALUES ('a', 'GS-1', 'other', 't', 'phone', 3, 1000, 1000, 9000, 'reported', 'GS-01', 1000, 1)`,
    ).run();
    expect(migrate(db, file, [migration001, migration002, migration003, migration004, migration005])).toBe(5);
    expect(objects(db, 'table')).toEqual(expect.arrayContaining(['grids', 'basemaps']));
    expect(objects(db, 'index')).toContain('idx_incidents_grid_list');
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan("SELECT count(*) FROM incidents WHERE grid_id = 'GS-01' AND list_key < 5000")).toContain('idx_incidents_grid_list');
    expect(db.prepare("SELECT count(*) AS n FROM incidents WHERE grid_id = 'GS-01' AND list_key < ?").get(CLOSED_LIST_KEY_BASE)).toEqual({ n: 1 });
    const insertGrid = (code: string, demo: number) =>
      db.prepare(`INSERT INTO grids (code, name, polygons, min_lon, min_lat, max_lon, max_lat, demo, sort, imported_at) VALUES (?, 'n', '[]', 0, 0, 1, 1, ?, 0, 0)`).run(code, demo);
    insertGrid('GS-01', 1);
    expect(() => insertGrid('GS-01', 0)).toThrow(/UNIQUE/);
    expect(() => insertGrid('GS-02', 2)).toThrow(/CHECK/);
    expect(() =>
      db.prepare(`INSERT INTO basemaps (id, name, kind, file, format, min_zoom, max_zoom, added_at) VALUES ('b', 'n', 'geotiff', 'f', 'png', 0, 1, 0)`).run(),
    ).toThrow(/CHECK/);
  });
});

describe('migration 6 on a database at version 5 with incidents', () => {
  it('adds the camera registry, keeps the incidents, and refuses a device registered twice', () => {
    const db = track(openDatabase(file, { migrations: [migration001, migration002, migration003, migration004, migration005] }));
    db.prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
       VALUES ('i1', 'GS-1', 'other', 't', 'phone', 3, 1000, 1000, 9000, 'reported', 5000, 1)`,
    ).run();
    expect(migrate(db, file, [migration001, migration002, migration003, migration004, migration005, migration006])).toBe(6);
    expect(objects(db, 'table')).toContain('cameras');
    expect(db.prepare('SELECT count(*) AS n FROM incidents').get()).toEqual({ n: 1 });
    const insert = db.prepare(
      `INSERT INTO cameras (id, name, onvif_url, username, password_sealed, device, profiles, created_at, updated_at)
       VALUES (?, 'c', 'http://127.0.0.1/onvif/device_service', 'u', 'sealed', '{}', '[]', 1, 1)`,
    );
    insert.run('a');
    expect(() => insert.run('b')).toThrow(/UNIQUE/);
    expect(JSON.stringify(db.prepare("EXPLAIN QUERY PLAN SELECT id FROM cameras WHERE onvif_url = 'x'").all())).toContain('idx_cameras_onvif_url');
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan("SELECT * FROM alarms WHERE status = 'new' ORDER BY last_at DESC LIMIT 200")).toContain('idx_alarms_status_last');
    expect(plan("SELECT * FROM alarms WHERE camera_id = 'a' AND kind = 'motion' ORDER BY last_at DESC LIMIT 1")).toContain('idx_alarms_camera_kind_last');
    // Removing a camera removes its alarms.
    db.prepare("INSERT INTO alarms (id, camera_id, kind, first_at, last_at) VALUES ('al', 'a', 'motion', 1, 1)").run();
    db.prepare("DELETE FROM cameras WHERE id = 'a'").run();
    expect(db.prepare('SELECT count(*) AS n FROM alarms').get()).toEqual({ n: 0 });
  });
});

describe('migration 7 on a database at version 6 with a camera', () => {
  it('adds the Basic-over-HTTP setting, off for the cameras already registered', () => {
    const before = [migration001, migration002, migration003, migration004, migration005, migration006];
    const db = track(openDatabase(file, { migrations: before }));
    db.prepare(
      `INSERT INTO cameras (id, name, onvif_url, username, password_sealed, device, profiles, created_at, updated_at)
       VALUES ('a', 'c', 'http://127.0.0.1/onvif/device_service', 'u', 'sealed', '{}', '[]', 1, 1)`,
    ).run();
    expect(migrate(db, file, [...before, migration007])).toBe(7);
    expect(db.prepare('SELECT name, allow_basic_over_http FROM cameras').all()).toEqual([{ name: 'c', allow_basic_over_http: 0 }]);
  });
});

describe('migration 8 on a database at version 7 with incidents', () => {
  it('adds directives (one row per city id, tied to an incident) and the link log; the list and detail use their indexes', () => {
    const upTo7 = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];
    const db = track(openDatabase(file, { migrations: upTo7 }));
    db.prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
       VALUES ('i1', 'GS-1', 'other', 't', 'city_directive', 3, 1000, 1000, 9000, 'reported', 5000, 1)`,
    ).run();
    expect(migrate(db, file, [...upTo7, migration008])).toBe(8);
    expect(objects(db, 'table')).toEqual(expect.arrayContaining(['directives', 'uplink_log']));
    const insert = db.prepare(
      `INSERT INTO directives (id, revision, incident_id, issuer, mode, text, deadline, priority, issued_at, received_at)
       VALUES ('d1', 1, ?, 'city', 'assign', 'x', 9000, 2, 1000, 1000)`,
    );
    expect(() => insert.run('nope')).toThrow(/FOREIGN KEY/);
    insert.run('i1');
    expect(() => insert.run('i1')).toThrow(/UNIQUE|PRIMARY/);
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan("SELECT * FROM directives WHERE incident_id = 'i1'")).toContain('idx_directives_incident');
    expect(plan('SELECT * FROM directives ORDER BY received_at DESC LIMIT 200')).toContain('idx_directives_received');
  });
});

describe('migration 10 on a database at version 9 with events', () => {
  it('adds staff (unique staff number, any case), the audit trail with its indexes, and the actor columns on events', () => {
    const before = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009];
    const db = track(openDatabase(file, { migrations: before }));
    db.prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
       VALUES ('i1', 'GS-1', 'other', 't', 'phone', 3, 1000, 1000, 9000, 'reported', 5000, 1)`,
    ).run();
    expect(migrate(db, file, [...before, migration010])).toBe(10);
    expect(objects(db, 'table')).toEqual(expect.arrayContaining(['staff', 'audit']));
    const insert = db.prepare(
      `INSERT INTO staff (id, staff_no, name, roles, password_hash, created_at, updated_at) VALUES (?, ?, 'n', '["operator"]', 'h', 1, 1)`,
    );
    insert.run('a', 'GS001');
    expect(() => insert.run('b', 'gs001')).toThrow(/UNIQUE/);
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan("SELECT * FROM staff WHERE staff_no = 'x' COLLATE NOCASE")).toContain('idx_staff_staff_no');
    expect(plan("SELECT * FROM audit WHERE staff_id = 'a' ORDER BY at DESC LIMIT 100")).toContain('idx_audit_staff_at');
    expect(plan("SELECT * FROM audit WHERE command = 'x' ORDER BY at DESC LIMIT 100")).toContain('idx_audit_command_at');
    expect(plan("SELECT * FROM audit WHERE incident_id = 'x' ORDER BY at DESC LIMIT 100")).toContain('idx_audit_incident_at');
    expect(plan('SELECT * FROM audit ORDER BY at DESC LIMIT 100')).toContain('idx_audit_at');
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(events)').all().map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['actor_id', 'actor_roles', 'cosigner']));
    expect(db.prepare('SELECT count(*) AS n FROM incidents').get()).toEqual({ n: 1 });
  });
});

describe('migration 11 on a database at version 10 with incidents', () => {
  const upTo10 = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010];
  const sum = (db: Db, table: string) => (db.prepare(`SELECT coalesce(sum(n), 0) AS n FROM ${table}`).get() as { n: number }).n;
  it('backfills the analysis aggregates without drills, and the triggers keep them on insert, close and move', () => {
    const db = track(openDatabase(file, { migrations: upTo10 }));
    const insert = db.prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, grid_id, updated_at, version, closed_at)
       VALUES (?, ?, 'other', 't', ?, 3, 1000, 1000, 9000, ?, 'GS-01', 1000, 1, ?)`,
    );
    insert.run('a', 'GS-1', 'phone', 'reported', null);
    insert.run('b', 'GS-2', 'phone', 'closed', 5000);
    insert.run('d', 'GS-3', 'drill', 'reported', null);
    expect(migrate(db, file, [...upTo10, migration011])).toBe(11);
    expect([sum(db, 'analysis_reported'), sum(db, 'analysis_open'), sum(db, 'analysis_closed')]).toEqual([2, 1, 1]);
    expect(db.prepare('SELECT on_time FROM analysis_closed').get()).toEqual({ on_time: 1 });
    insert.run('c', 'GS-4', 'grid_report', 'reported', null);
    insert.run('e', 'GS-5', 'drill', 'reported', null);
    expect([sum(db, 'analysis_reported'), sum(db, 'analysis_open'), sum(db, 'analysis_closed')]).toEqual([3, 2, 1]);
    db.prepare("UPDATE incidents SET status = 'closed', closed_at = 20000, version = 2 WHERE id = 'a'").run();
    expect([sum(db, 'analysis_open'), sum(db, 'analysis_closed')]).toEqual([1, 2]);
    expect(db.prepare('SELECT sum(on_time) AS n FROM analysis_closed').get()).toEqual({ n: 1 });
    db.prepare("UPDATE incidents SET grid_id = 'GS-02', version = 3 WHERE id = 'c'").run();
    expect(db.prepare("SELECT grid, sum(n) AS n FROM analysis_open WHERE n <> 0 GROUP BY grid").all()).toEqual([{ grid: 'GS-02', n: 1 }]);
    db.prepare("UPDATE incidents SET status = 'closed', closed_at = 3000, version = 2 WHERE id = 'e'").run();
    expect(sum(db, 'analysis_closed')).toBe(2);
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan("SELECT * FROM workflows WHERE kind = 'police' AND created_at >= 0 AND created_at < 5")).toContain('idx_workflows_kind_created');
    expect(plan('SELECT camera_id FROM alarms WHERE first_at >= 0 AND first_at < 5')).toContain('idx_alarms_first');
  });
});

describe('migration 12 on a database at version 11 with a directive and link log entries', () => {
  it('keeps them, adds the signer\'s staff number and the link log\'s actor, and reads the log by time through its index', () => {
    const before = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011];
    const db = track(openDatabase(file, { migrations: before }));
    db.prepare(
      `INSERT INTO incidents (id, code, category, title, source, priority, occurred_at, recorded_at, deadline, status, updated_at, version)
       VALUES ('i1', 'GS-1', 'other', 't', 'city_directive', 3, 1000, 1000, 9000, 'reported', 5000, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO directives (id, revision, incident_id, issuer, mode, text, deadline, priority, issued_at, received_at, signed_by, signed_at)
       VALUES ('d1', 1, 'i1', 'city', 'assign', 'x', 9000, 2, 1000, 1000, '陈海生', 2000)`,
    ).run();
    db.prepare("INSERT INTO uplink_log (at, kind, reason, detail) VALUES (3000, 'down', 'network', 'ECONNREFUSED')").run();
    expect(migrate(db, file, [...before, migration012])).toBe(12);
    expect(db.prepare('SELECT signed_by, signed_by_staff_no FROM directives').get()).toEqual({ signed_by: '陈海生', signed_by_staff_no: null });
    expect(db.prepare('SELECT at, kind, actor, actor_staff_no FROM uplink_log').get()).toEqual({ at: 3000, kind: 'down', actor: null, actor_staff_no: null });
    const plan = (sql: string) => JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all());
    expect(plan('SELECT * FROM uplink_log WHERE at >= 1 AND at < 2 ORDER BY at')).toContain('idx_uplink_log_at');
  });
});

describe('re-opening', () => {
  it('is a no-op: no migration runs again and the data stays', () => {
    track(openDatabase(file)).close();
    const spied: Migration[] = MIGRATIONS.map((m) => ({ ...m, up: vi.fn(m.up) }));
    const db = track(openDatabase(file, { migrations: spied }));
    for (const m of spied) expect(m.up).not.toHaveBeenCalled();
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM categories').get()).toEqual({ n: 10 });
    expect(migrate(db, file)).toBe(SCHEMA_VERSION);
  });
});

describe('a database written by a newer version', () => {
  const writeNewer = (wal: boolean) => {
    const db = new Database(file);
    if (wal) db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('from the future');");
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    return fs.readFileSync(file);
  };

  it.each([
    ['in WAL mode (as this app writes it)', true],
    ['in rollback-journal mode', false],
  ])('is refused with NewerDatabaseError and left byte-identical, %s', (_label, wal) => {
    const before = writeNewer(wal);
    let error: unknown;
    try {
      track(openDatabase(file));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NewerDatabaseError);
    expect((error as Error).message).toContain(`schema ${SCHEMA_VERSION + 1}`);
    expect((error as Error).message).toContain(`supports up to ${SCHEMA_VERSION}`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([DATABASE_FILE]);
  });

  it('is refused by migrate() too', () => {
    writeNewer(true);
    const db = track(new Database(file));
    expect(() => migrate(db, file)).toThrow(NewerDatabaseError);
    expect(userVersion(db)).toBe(SCHEMA_VERSION + 1);
  });
});

describe('a failing migration', () => {
  const broken: Migration = {
    version: 2,
    name: 'broken',
    up(db) {
      db.exec('CREATE TABLE half_done (x INTEGER)');
      db.exec('CREATE INDEX idx_half_done ON half_done (x)');
      db.exec("UPDATE categories SET name_en = 'changed'");
      throw new Error('migration 2 failed');
    },
  };

  it('rolls back completely on an empty file: nothing of migration 1 either', () => {
    const db = track(new Database(file));
    expect(() => migrate(db, file, [migration001, broken])).toThrow('migration 2 failed');
    expect(userVersion(db)).toBe(0);
    expect(schemaSnapshot(db)).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls back completely on a database at version 1', () => {
    const db = track(openDatabase(file, { migrations: [migration001] }));
    const before = schemaSnapshot(db);
    const categories = db.prepare('SELECT * FROM categories ORDER BY sort').all();
    expect(() => migrate(db, file, [migration001, broken])).toThrow('migration 2 failed');
    expect(userVersion(db)).toBe(1);
    expect(schemaSnapshot(db)).toEqual(before);
    expect(objects(db, 'table')).not.toContain('half_done');
    expect(db.prepare('SELECT * FROM categories ORDER BY sort').all()).toEqual(categories);
  });

  it('makes openDatabase throw and close the file, which opens fine afterwards', () => {
    track(openDatabase(file, { migrations: [migration001] })).close();
    expect(() => openDatabase(file, { migrations: [migration001, broken] })).toThrow('migration 2 failed');
    const db = track(openDatabase(file, { migrations: [migration001] }));
    expect(userVersion(db)).toBe(1);
    expect(objects(db, 'table')).not.toContain('half_done');
  });
});

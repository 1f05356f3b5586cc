import type { Migration } from './migration';
import { CLOSED_LIST_KEY_BASE } from './002_list_order';

/** Days of deadlines are UTC days (deadline / 86,400,000): "overdue" is compared with an epoch instant. */
export const DEADLINE_DAY_MS = 86_400_000;

/**
 * Aggregates kept by triggers in the same transaction as the write, so what every window asks for
 * costs the same whatever the size of the store. At 1M incidents the status bar counted the whole
 * table (24 ms), every unfiltered page counted it again (22 ms), and a year's statistics grouped
 * ~365 × grids × categories daily rows (109 ms) — each ten times slower in a town's tenth year.
 *
 * - incident_counts: incidents per (status, category, priority, source) — a few hundred rows. Any
 *   list filter made of those four (or none) is a sum over it; the status bar's total and open too.
 * - incident_open_deadlines: open incidents per UTC day of deadline and status. Overdue = the whole
 *   days before today from here + today's part as a range on idx_incidents_list (list_key = deadline
 *   for open incidents, migration 002).
 * - incident_daily_grid / incident_daily_category: migration 003's daily figures rolled up by grid
 *   and by category alone (the statistics view never asks for both at once): a year is 365 × grids
 *   and 365 × categories rows, however many incidents a day brings. Kept by triggers on
 *   incident_daily_stats itself, so whatever writes that table keeps them in step.
 */
export const migration009: Migration = {
  version: 9,
  name: 'aggregate counts and statistics kept by triggers',
  up(db) {
    const openDay = (row: string) => `${row}.deadline / ${DEADLINE_DAY_MS}`;
    const counts = (row: 'NEW' | 'OLD', sign: '+' | '-') =>
      `INSERT INTO incident_counts (status, category, priority, source, n) VALUES (${row}.status, ${row}.category, ${row}.priority, ${row}.source, ${sign}1)
       ON CONFLICT (status, category, priority, source) DO UPDATE SET n = n + excluded.n;`;
    const deadlines = (row: 'NEW' | 'OLD', sign: '+' | '-') =>
      `INSERT INTO incident_open_deadlines (day, status, n) SELECT ${openDay(row)}, ${row}.status, ${sign}1 WHERE ${row}.status <> 'closed'
       ON CONFLICT (day, status) DO UPDATE SET n = n + excluded.n;`;
    const rollup = (table: string, key: string, row: 'NEW' | 'OLD', sign: '+' | '-') =>
      `INSERT INTO ${table} (day, ${key}, reported, completed, close_ms_sum)
       VALUES (${row}.day, ${row}.${key}, ${sign}${row}.reported, ${sign}${row}.completed, ${sign}${row}.close_ms_sum)
       ON CONFLICT (day, ${key}) DO UPDATE SET reported = reported + excluded.reported,
         completed = completed + excluded.completed, close_ms_sum = close_ms_sum + excluded.close_ms_sum;`;
    const delta = (table: string, key: string) =>
      `INSERT INTO ${table} (day, ${key}, reported, completed, close_ms_sum)
       VALUES (NEW.day, NEW.${key}, NEW.reported - OLD.reported, NEW.completed - OLD.completed, NEW.close_ms_sum - OLD.close_ms_sum)
       ON CONFLICT (day, ${key}) DO UPDATE SET reported = reported + excluded.reported,
         completed = completed + excluded.completed, close_ms_sum = close_ms_sum + excluded.close_ms_sum;`;
    db.exec(`
      CREATE TABLE incident_counts (
        status TEXT NOT NULL,
        category TEXT NOT NULL,
        priority INTEGER NOT NULL,
        source TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (status, category, priority, source)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE incident_open_deadlines (
        day INTEGER NOT NULL,                   -- deadline / 86,400,000 (UTC day)
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, status)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE incident_daily_grid (
        day INTEGER NOT NULL,                   -- Shanghai day, as in incident_daily_stats
        grid TEXT NOT NULL,
        reported INTEGER NOT NULL,
        completed INTEGER NOT NULL,
        close_ms_sum INTEGER NOT NULL,
        PRIMARY KEY (day, grid)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE incident_daily_category (
        day INTEGER NOT NULL,
        category TEXT NOT NULL,
        reported INTEGER NOT NULL,
        completed INTEGER NOT NULL,
        close_ms_sum INTEGER NOT NULL,
        PRIMARY KEY (day, category)
      ) STRICT, WITHOUT ROWID;

      -- Backfill. A plain scan: walking idx_incidents_status_category_list instead (SQLite's choice)
      -- looks every row up in the table, 2–3× slower at 100k.
      INSERT INTO incident_counts (status, category, priority, source, n)
      SELECT status, category, priority, source, count(*) FROM incidents NOT INDEXED GROUP BY 1, 2, 3, 4;
      -- Open incidents are the list keys below ${CLOSED_LIST_KEY_BASE} (migration 002): a range on idx_incidents_list.
      INSERT INTO incident_open_deadlines (day, status, n)
      SELECT deadline / ${DEADLINE_DAY_MS}, status, count(*) FROM incidents WHERE list_key < ${CLOSED_LIST_KEY_BASE} GROUP BY 1, 2;
      INSERT INTO incident_daily_grid (day, grid, reported, completed, close_ms_sum)
      SELECT day, grid, sum(reported), sum(completed), sum(close_ms_sum) FROM incident_daily_stats GROUP BY 1, 2;
      INSERT INTO incident_daily_category (day, category, reported, completed, close_ms_sum)
      SELECT day, category, sum(reported), sum(completed), sum(close_ms_sum) FROM incident_daily_stats GROUP BY 1, 2;

      CREATE TRIGGER incident_aggregates_insert AFTER INSERT ON incidents
      BEGIN
        ${counts('NEW', '+')}
        ${deadlines('NEW', '+')}
      END;
      CREATE TRIGGER incident_counts_update AFTER UPDATE OF status, category, priority, source ON incidents
      WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category OR OLD.priority IS NOT NEW.priority OR OLD.source IS NOT NEW.source
      BEGIN
        ${counts('OLD', '-')}
        ${counts('NEW', '+')}
      END;
      CREATE TRIGGER incident_open_deadlines_update AFTER UPDATE OF status, deadline ON incidents
      WHEN OLD.status IS NOT NEW.status OR OLD.deadline IS NOT NEW.deadline
      BEGIN
        ${deadlines('OLD', '-')}
        ${deadlines('NEW', '+')}
      END;
      CREATE TRIGGER incident_aggregates_delete AFTER DELETE ON incidents
      BEGIN
        ${counts('OLD', '-')}
        ${deadlines('OLD', '-')}
      END;

      CREATE TRIGGER incident_daily_rollup_insert AFTER INSERT ON incident_daily_stats
      BEGIN
        ${rollup('incident_daily_grid', 'grid', 'NEW', '+')}
        ${rollup('incident_daily_category', 'category', 'NEW', '+')}
      END;
      -- Migration 003's upserts only change the sums: one write per rollup with the difference.
      CREATE TRIGGER incident_daily_rollup_update AFTER UPDATE ON incident_daily_stats
      WHEN OLD.day = NEW.day AND OLD.grid = NEW.grid AND OLD.category = NEW.category
      BEGIN
        ${delta('incident_daily_grid', 'grid')}
        ${delta('incident_daily_category', 'category')}
      END;
      CREATE TRIGGER incident_daily_rollup_rekey AFTER UPDATE ON incident_daily_stats
      WHEN NOT (OLD.day = NEW.day AND OLD.grid = NEW.grid AND OLD.category = NEW.category)
      BEGIN
        ${rollup('incident_daily_grid', 'grid', 'OLD', '-')}
        ${rollup('incident_daily_grid', 'grid', 'NEW', '+')}
        ${rollup('incident_daily_category', 'category', 'OLD', '-')}
        ${rollup('incident_daily_category', 'category', 'NEW', '+')}
      END;
      CREATE TRIGGER incident_daily_rollup_delete AFTER DELETE ON incident_daily_stats
      BEGIN
        ${rollup('incident_daily_grid', 'grid', 'OLD', '-')}
        ${rollup('incident_daily_category', 'category', 'OLD', '-')}
      END;
    `);
  },
};

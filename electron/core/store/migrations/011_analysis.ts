import type { Migration } from './migration';

/** Shanghai (UTC+8, no DST) calendar day number and hour of an epoch-ms expression. */
const day = (ms: string) => `((${ms} + 28800000) / 86400000)`;
const hour = (ms: string) => `(((${ms} + 28800000) / 3600000) % 24)`;
/** The analysis "unit": whoever the incident is assigned to (a unit or a grid worker); '' when nobody yet. */
const unit = (row: string) => `coalesce(${row}.assignee_name, '')`;

type Row = 'NEW' | 'OLD';

/**
 * The analysis workspace's aggregate tables, kept by triggers in the same transaction as the
 * incident write, so a dashboard reads a few thousand aggregate rows (not a million incidents) and
 * a write costs a few upserts. Drills never count.
 *
 * - analysis_reported: per Shanghai day and hour of occurrence × grid × category × source × unit.
 *   Trends, the hour × weekday matrix, and the by-grid/category/source/unit bars read it.
 * - analysis_closed: per day of closing: closed, closed on time, time to close, assessments.
 * - analysis_open: what is open now, per grid × category × source × unit.
 */
export const migration011: Migration = {
  version: 11,
  name: 'analysis aggregates and early warnings',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_reported (
        day INTEGER NOT NULL,
        hour INTEGER NOT NULL,
        grid TEXT NOT NULL,
        category TEXT NOT NULL,
        source TEXT NOT NULL,
        unit TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, hour, grid, category, source, unit)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE analysis_closed (
        day INTEGER NOT NULL,
        grid TEXT NOT NULL,
        category TEXT NOT NULL,
        source TEXT NOT NULL,
        unit TEXT NOT NULL,
        n INTEGER NOT NULL,
        on_time INTEGER NOT NULL,
        close_ms_sum INTEGER NOT NULL,
        score_n INTEGER NOT NULL,
        score_sum INTEGER NOT NULL,
        PRIMARY KEY (day, grid, category, source, unit)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE analysis_open (
        grid TEXT NOT NULL,
        category TEXT NOT NULL,
        source TEXT NOT NULL,
        unit TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (grid, category, source, unit)
      ) STRICT, WITHOUT ROWID;

      -- Early warnings (预警) by the key of their pattern: a dismissal or an opened case stays with it.
      CREATE TABLE analysis_warnings (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('open', 'dismissed', 'opened_case')),
        params TEXT NOT NULL,                  -- JSON: the finding's figures (masked values only)
        cases TEXT NOT NULL,                   -- JSON array of incident ids
        baseline TEXT,                         -- JSON weekly counts (category spike)
        first_seen_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),  -- 1 while the pattern holds
        assignee TEXT,
        dismiss_reason TEXT,
        case_id TEXT,
        actor TEXT
      ) STRICT;

      -- Police times and the mediation funnel of a period: workflows of one kind by creation time.
      CREATE INDEX idx_workflows_kind_created ON workflows (kind, created_at);
      -- Alarms per camera in a period.
      CREATE INDEX idx_alarms_first ON alarms (first_at);

      CREATE TRIGGER analysis_insert AFTER INSERT ON incidents WHEN NEW.source <> 'drill'
      BEGIN
        ${reported('NEW', '+')}
        ${open('NEW', '+')}
        ${closed('NEW', '+')}
      END;
      -- One trigger per table, each firing only on the columns it is keyed or counted by: a status
      -- step that changes nothing counted (start, feedback) costs no upsert at all. Seeding the
      -- 320-incident demo (~2,000 updates) took 1.5 s with one trigger doing all six upserts per
      -- update, 0.85 s without any (loaded machine).
      CREATE TRIGGER analysis_update_reported AFTER UPDATE OF grid_id, category, source, occurred_at, assignee_name ON incidents
      WHEN (OLD.source <> 'drill' OR NEW.source <> 'drill') AND (OLD.grid_id IS NOT NEW.grid_id OR OLD.category IS NOT NEW.category
        OR OLD.source IS NOT NEW.source OR OLD.occurred_at IS NOT NEW.occurred_at OR OLD.assignee_name IS NOT NEW.assignee_name)
      BEGIN
        ${reported('OLD', '-')}
        ${reported('NEW', '+')}
      END;
      CREATE TRIGGER analysis_update_open AFTER UPDATE OF status, grid_id, category, source, assignee_name ON incidents
      WHEN (OLD.status <> 'closed' OR NEW.status <> 'closed') AND ((OLD.status = 'closed') IS NOT (NEW.status = 'closed')
        OR OLD.grid_id IS NOT NEW.grid_id OR OLD.category IS NOT NEW.category OR OLD.source IS NOT NEW.source OR OLD.assignee_name IS NOT NEW.assignee_name)
      BEGIN
        ${open('OLD', '-')}
        ${open('NEW', '+')}
      END;
      CREATE TRIGGER analysis_update_closed AFTER UPDATE OF status, closed_at, grid_id, category, source, assignee_name, assessment_score, deadline, recorded_at ON incidents
      WHEN (OLD.status = 'closed' OR NEW.status = 'closed') AND (OLD.status IS NOT NEW.status OR OLD.closed_at IS NOT NEW.closed_at
        OR OLD.grid_id IS NOT NEW.grid_id OR OLD.category IS NOT NEW.category OR OLD.source IS NOT NEW.source OR OLD.assignee_name IS NOT NEW.assignee_name
        OR OLD.assessment_score IS NOT NEW.assessment_score OR OLD.deadline IS NOT NEW.deadline OR OLD.recorded_at IS NOT NEW.recorded_at)
      BEGIN
        ${closed('OLD', '-')}
        ${closed('NEW', '+')}
      END;
    `);
    // Backfill from what is already stored.
    db.exec(`
      INSERT INTO analysis_reported (day, hour, grid, category, source, unit, n)
      SELECT ${day('occurred_at')}, ${hour('occurred_at')}, coalesce(grid_id, ''), category, source, coalesce(assignee_name, ''), count(*)
      FROM incidents WHERE source <> 'drill' GROUP BY 1, 2, 3, 4, 5, 6;
      INSERT INTO analysis_closed (day, grid, category, source, unit, n, on_time, close_ms_sum, score_n, score_sum)
      SELECT ${day('coalesce(closed_at, recorded_at)')}, coalesce(grid_id, ''), category, source, coalesce(assignee_name, ''), count(*),
             sum(coalesce(closed_at, recorded_at) <= deadline), sum(coalesce(closed_at, recorded_at) - recorded_at),
             count(assessment_score), coalesce(sum(assessment_score), 0)
      FROM incidents WHERE source <> 'drill' AND status = 'closed' GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO analysis_open (grid, category, source, unit, n)
      SELECT coalesce(grid_id, ''), category, source, coalesce(assignee_name, ''), count(*)
      FROM incidents WHERE source <> 'drill' AND status <> 'closed' GROUP BY 1, 2, 3, 4;
    `);
  },
};

const real = (r: Row) => `${r}.source <> 'drill'`;

/** The upsert that adds (+) or removes (−) one incident row's contribution to analysis_reported. */
function reported(r: Row, sign: '+' | '-'): string {
  return `INSERT INTO analysis_reported (day, hour, grid, category, source, unit, n)
        SELECT ${day(`${r}.occurred_at`)}, ${hour(`${r}.occurred_at`)}, coalesce(${r}.grid_id, ''), ${r}.category, ${r}.source, ${unit(r)}, ${sign}1
        WHERE ${real(r)}
        ON CONFLICT (day, hour, grid, category, source, unit) DO UPDATE SET n = n + excluded.n;`;
}

function closed(r: Row, sign: '+' | '-'): string {
  const closedAt = `coalesce(${r}.closed_at, ${r}.recorded_at)`;
  return `INSERT INTO analysis_closed (day, grid, category, source, unit, n, on_time, close_ms_sum, score_n, score_sum)
        SELECT ${day(closedAt)}, coalesce(${r}.grid_id, ''), ${r}.category, ${r}.source, ${unit(r)}, ${sign}1,
               ${sign}(${closedAt} <= ${r}.deadline), ${sign}(${closedAt} - ${r}.recorded_at),
               ${sign}(${r}.assessment_score IS NOT NULL), ${sign}coalesce(${r}.assessment_score, 0)
        WHERE ${real(r)} AND ${r}.status = 'closed'
        ON CONFLICT (day, grid, category, source, unit) DO UPDATE SET n = n + excluded.n, on_time = on_time + excluded.on_time,
          close_ms_sum = close_ms_sum + excluded.close_ms_sum, score_n = score_n + excluded.score_n, score_sum = score_sum + excluded.score_sum;`;
}

function open(r: Row, sign: '+' | '-'): string {
  return `INSERT INTO analysis_open (grid, category, source, unit, n)
        SELECT coalesce(${r}.grid_id, ''), ${r}.category, ${r}.source, ${unit(r)}, ${sign}1
        WHERE ${real(r)} AND ${r}.status <> 'closed'
        ON CONFLICT (grid, category, source, unit) DO UPDATE SET n = n + excluded.n;`;
}

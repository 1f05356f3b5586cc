import { DEFAULT_WORKFLOW_SETTINGS, ID_TYPES, MEDIATION_LEVELS, DISPUTE_TYPES, PARTY_ROLES, TIERS, UNIT_KINDS, WORKFLOW_KINDS } from '@shared';
import type { Migration } from './migration';

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Shanghai calendar day number of an epoch-ms column (UTC+8, no DST): integer division. */
const day = (column: string) => `((${column} + 28800000) / 86400000)`;


/**
 * The workflows hung on an incident (police, mediation, quarantine), the directory of units they
 * go to, and daily figures per grid and category kept by triggers for the statistics view.
 */
export const migration003: Migration = {
  version: 3,
  name: 'workflows, units directory, daily statistics',
  up(db) {
    db.exec(`
      CREATE TABLE units (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN (${sqlList(UNIT_KINDS)})),
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        radio_channel TEXT NOT NULL DEFAULT '',
        grids TEXT NOT NULL DEFAULT '[]',      -- JSON array of grid codes; [] = the whole town
        capacity INTEGER CHECK (capacity > 0),
        on_duty INTEGER NOT NULL CHECK (on_duty IN (0, 1)),
        note TEXT NOT NULL DEFAULT '',
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        CHECK ((kind = 'quarantine_site') = (capacity IS NOT NULL))
      ) STRICT;
      -- Directory view and the escalation sheet: the units of one kind by name; also refuses duplicates.
      CREATE UNIQUE INDEX idx_units_kind_name ON units (kind, name);

      CREATE TABLE workflows (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        incident_rid INTEGER NOT NULL REFERENCES incidents(rid),
        kind TEXT NOT NULL CHECK (kind IN (${sqlList(WORKFLOW_KINDS)})),
        unit_rid INTEGER NOT NULL REFERENCES units(rid),
        status TEXT NOT NULL,
        tier TEXT CHECK (tier IN (${sqlList(TIERS)})),
        ask TEXT NOT NULL DEFAULT '',
        deadline INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        closed_at INTEGER,
        version INTEGER NOT NULL CHECK (version > 0),
        -- police
        acknowledged_at INTEGER,
        arrived_at INTEGER,
        outcome TEXT,                           -- JSON PoliceOutcome
        -- mediation
        level TEXT CHECK (level IN (${sqlList(MEDIATION_LEVELS)})),
        dispute_type TEXT CHECK (dispute_type IN (${sqlList(DISPUTE_TYPES)})),
        amount_in_dispute INTEGER,
        visitor_count INTEGER,
        lawyer_rid INTEGER REFERENCES units(rid),
        counsellor_rid INTEGER REFERENCES units(rid),
        agreement TEXT,                         -- JSON { amountSettled, terms }
        failure_reason TEXT NOT NULL DEFAULT '',
        follow_up TEXT NOT NULL DEFAULT '',
        -- quarantine
        term_days INTEGER,
        CHECK ((closed_at IS NULL) = (status <> 'closed'))
      ) STRICT;
      -- The workflow panels of one incident.
      CREATE INDEX idx_workflows_incident ON workflows (incident_rid);
      -- Supervision view: open workflows by deadline (overdue = a range below now).
      CREATE INDEX idx_workflows_open_deadline ON workflows (deadline) WHERE closed_at IS NULL;
      -- Statistics per unit for a period; also the foreign-key lookup when a unit is deleted.
      CREATE INDEX idx_workflows_unit_created ON workflows (unit_rid, created_at);
      -- Foreign-key lookups when a lawyer or counsellor is deleted from the directory.
      CREATE INDEX idx_workflows_lawyer ON workflows (lawyer_rid) WHERE lawyer_rid IS NOT NULL;
      CREATE INDEX idx_workflows_counsellor ON workflows (counsellor_rid) WHERE counsellor_rid IS NOT NULL;

      CREATE TABLE mediation_parties (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        workflow_rid INTEGER NOT NULL REFERENCES workflows(rid),
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN (${sqlList(PARTY_ROLES)})),
        phone TEXT NOT NULL DEFAULT '',
        id_type TEXT NOT NULL CHECK (id_type IN (${sqlList(ID_TYPES)})),
        id_number TEXT NOT NULL DEFAULT ''
      ) STRICT;
      -- The parties of one mediation.
      CREATE INDEX idx_mediation_parties_workflow ON mediation_parties (workflow_rid);

      CREATE TABLE mediation_sessions (
        rid INTEGER PRIMARY KEY,
        workflow_rid INTEGER NOT NULL REFERENCES workflows(rid),
        start_at INTEGER NOT NULL,
        end_at INTEGER NOT NULL,
        room TEXT NOT NULL,
        attendees TEXT NOT NULL DEFAULT '[]',   -- JSON array of names
        minutes TEXT NOT NULL DEFAULT '',
        CHECK (end_at > start_at)
      ) STRICT;
      -- The sessions of one mediation, in order.
      CREATE INDEX idx_mediation_sessions_workflow ON mediation_sessions (workflow_rid, start_at);

      CREATE TABLE quarantine_persons (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        workflow_rid INTEGER NOT NULL REFERENCES workflows(rid),
        site_rid INTEGER NOT NULL REFERENCES units(rid),
        name TEXT NOT NULL,
        id_type TEXT NOT NULL CHECK (id_type IN (${sqlList(ID_TYPES)})),
        id_number TEXT NOT NULL DEFAULT '',
        nationality TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        start_date TEXT NOT NULL,               -- YYYY-MM-DD, Shanghai calendar
        end_date TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('in_quarantine', 'released')),
        released_at INTEGER,
        release_reason TEXT NOT NULL DEFAULT '',
        CHECK (end_date > start_date),
        CHECK ((released_at IS NULL) = (status = 'in_quarantine'))
      ) STRICT;
      -- Site board and the capacity check: who is in quarantine at a site, by end date.
      CREATE INDEX idx_quarantine_site_status ON quarantine_persons (site_rid, status, end_date);
      -- The persons of one quarantine workflow.
      CREATE INDEX idx_quarantine_persons_workflow ON quarantine_persons (workflow_rid);

      CREATE TABLE quarantine_checks (
        rid INTEGER PRIMARY KEY,
        person_rid INTEGER NOT NULL REFERENCES quarantine_persons(rid),
        at INTEGER NOT NULL,
        temperature REAL NOT NULL CHECK (temperature BETWEEN 34 AND 43),
        symptoms TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL
      ) STRICT;
      -- One person's daily checks, in order.
      CREATE INDEX idx_quarantine_checks_person ON quarantine_checks (person_rid, at);

      -- Reported / completed / time to close per Shanghai day (of recording), grid and category:
      -- a year's statistics read ~365 × grids × categories rows instead of every incident.
      -- Drills never count (the brief: drills must not pollute real statistics).
      CREATE TABLE incident_daily_stats (
        day INTEGER NOT NULL,
        grid TEXT NOT NULL,                     -- '' for incidents without a grid
        category TEXT NOT NULL,
        reported INTEGER NOT NULL,
        completed INTEGER NOT NULL,
        close_ms_sum INTEGER NOT NULL,
        PRIMARY KEY (day, grid, category)
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER incident_stats_insert AFTER INSERT ON incidents WHEN NEW.source <> 'drill'
      BEGIN
        ${upsert('NEW', '+')}
      END;
      CREATE TRIGGER incident_stats_update AFTER UPDATE OF status, closed_at, grid_id, category, recorded_at ON incidents
      WHEN NEW.source <> 'drill' AND ((OLD.status = 'closed') IS NOT (NEW.status = 'closed') OR OLD.closed_at IS NOT NEW.closed_at
        OR OLD.grid_id IS NOT NEW.grid_id OR OLD.category IS NOT NEW.category OR OLD.recorded_at IS NOT NEW.recorded_at)
      BEGIN
        ${upsert('OLD', '-')}
        ${upsert('NEW', '+')}
      END;
    `);
    db.exec(`
      INSERT INTO incident_daily_stats (day, grid, category, reported, completed, close_ms_sum)
      SELECT ${day('recorded_at')}, coalesce(grid_id, ''), category, count(*), sum(status = 'closed'),
             sum(CASE WHEN status = 'closed' THEN coalesce(closed_at, updated_at) - recorded_at ELSE 0 END)
      FROM incidents WHERE source <> 'drill' GROUP BY 1, 2, 3;
    `);
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
      'workflows.settings',
      JSON.stringify(DEFAULT_WORKFLOW_SETTINGS),
    );
  },
};

function upsert(row: 'NEW' | 'OLD', sign: '+' | '-'): string {
  return `INSERT INTO incident_daily_stats (day, grid, category, reported, completed, close_ms_sum)
        VALUES (${day(`${row}.recorded_at`)}, coalesce(${row}.grid_id, ''), ${row}.category, ${sign}1,
          ${sign}(${row}.status = 'closed'),
          ${sign}(CASE WHEN ${row}.status = 'closed' THEN coalesce(${row}.closed_at, ${row}.updated_at) - ${row}.recorded_at ELSE 0 END))
        ON CONFLICT (day, grid, category) DO UPDATE SET reported = reported + excluded.reported,
          completed = completed + excluded.completed, close_ms_sum = close_ms_sum + excluded.close_ms_sum;`;
}

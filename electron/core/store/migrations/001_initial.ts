import { INCIDENT_SOURCES, INCIDENT_STATUSES, SEED_CATEGORIES } from '@shared';
import type { Migration } from './migration';

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Incidents, their append-only hash-chained event log, the upstream outbox and the search index. */
export const migration001: Migration = {
  version: 1,
  name: 'incidents, event log, outbox, search',
  up(db) {
    db.exec(`
      CREATE TABLE categories (
        code TEXT PRIMARY KEY,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        grp TEXT NOT NULL,
        default_deadline_hours INTEGER NOT NULL CHECK (default_deadline_hours > 0),
        sort INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE incidents (
        rid INTEGER PRIMARY KEY,               -- compact key for events and the search index
        id TEXT NOT NULL UNIQUE,               -- UUIDv7, the identity shared with the city platform
        code TEXT NOT NULL UNIQUE,             -- human code, e.g. GS-2026-000123
        category TEXT NOT NULL REFERENCES categories(code),
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        lon REAL CHECK (lon BETWEEN -180 AND 180),
        lat REAL CHECK (lat BETWEEN -90 AND 90),
        grid_id TEXT,
        source TEXT NOT NULL CHECK (source IN (${sqlList(INCIDENT_SOURCES)})),
        priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
        reporter TEXT NOT NULL DEFAULT '',
        occurred_at INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        deadline INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN (${sqlList(INCIDENT_STATUSES)})),
        assignee_kind TEXT CHECK (assignee_kind IN ('unit', 'grid_worker')),
        assignee_name TEXT,
        assessment_score INTEGER CHECK (assessment_score BETWEEN 1 AND 5),
        assessment_comment TEXT,
        closed_at INTEGER,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        CHECK ((lon IS NULL) = (lat IS NULL))
      ) STRICT;

      -- List pane: filter by status (+ category), ordered by deadline (the benchmark's list page).
      CREATE INDEX idx_incidents_status_category_deadline ON incidents (status, category, deadline);
      -- List pane with no status filter, ordered by deadline.
      CREATE INDEX idx_incidents_deadline ON incidents (deadline);
      -- Time-range filter on when it happened.
      CREATE INDEX idx_incidents_occurred ON incidents (occurred_at);

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,               -- per-store, strictly increasing; the uplink's cursor
        id TEXT NOT NULL UNIQUE,               -- UUIDv7, idempotency key upstream
        incident_rid INTEGER NOT NULL REFERENCES incidents(rid),
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        at INTEGER NOT NULL,
        payload TEXT NOT NULL,                 -- canonical JSON (sorted keys): hashed as stored
        prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
        hash BLOB NOT NULL CHECK (length(hash) = 32)
      ) STRICT;
      -- Incident timeline.
      CREATE INDEX idx_events_incident ON events (incident_rid, seq);

      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

      -- Events not yet acknowledged by the city platform; a row is removed when acknowledged.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY REFERENCES events(seq),
        enqueued_at INTEGER NOT NULL
      ) STRICT;

      -- Code, title and description as CJK bigrams + words (see incidents/search-text.ts).
      CREATE VIRTUAL TABLE incident_search USING fts5(body, content='', contentless_delete=1);

      CREATE TABLE code_counters (
        prefix TEXT NOT NULL,
        year INTEGER NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (prefix, year)
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
    const insert = db.prepare(
      'INSERT INTO categories (code, name_zh, name_en, grp, default_deadline_hours, sort) VALUES (?, ?, ?, ?, ?, ?)',
    );
    SEED_CATEGORIES.forEach((c, i) => insert.run(c.code, c.nameZh, c.nameEn, c.group, c.defaultDeadlineHours, i));
  },
};

import type { Migration } from './migration';

/**
 * The city link: directives received from the city (交办 / 督办), and the link's own log of going
 * down, coming back and being refused. What is delivered is the outbox (migration 1): a row leaves it
 * only when the city acknowledges it.
 */
export const migration008: Migration = {
  version: 8,
  name: 'city link: directives and link log',
  up(db) {
    db.exec(`
      CREATE TABLE directives (
        id TEXT PRIMARY KEY,                   -- the city's id: the same directive twice is one row
        revision INTEGER NOT NULL,
        incident_id TEXT NOT NULL REFERENCES incidents(id),
        issuer TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('assign', 'supervise')),
        text TEXT NOT NULL,
        deadline INTEGER NOT NULL,
        priority INTEGER NOT NULL,
        issued_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        signed_by TEXT,
        signed_at INTEGER
      ) STRICT;
      -- The directives list: unsigned first, newest first (ORDER BY signed_at IS NOT NULL, received_at DESC).
      CREATE INDEX idx_directives_received ON directives (received_at);
      -- The incident detail shows its directive.
      CREATE INDEX idx_directives_incident ON directives (incident_id);

      CREATE TABLE uplink_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,                    -- up, down, refused, switched_off, switched_on, refused_message, city_refused
        reason TEXT,
        detail TEXT
      ) STRICT;
    `);
  },
};

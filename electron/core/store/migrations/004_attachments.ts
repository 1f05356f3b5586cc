import type { Migration } from './migration';

/**
 * Pictures kept with an incident: result-feedback photos and camera snapshots. The row holds what
 * the timeline needs (name, type, size, SHA-256); the bytes live in the data directory under their
 * SHA-256 (`attachments/<sha256>`), so the database stays small and one picture attached twice is
 * one file.
 */
export const migration004: Migration = {
  version: 4,
  name: 'attachments',
  up(db) {
    db.exec(`
      CREATE TABLE attachments (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        incident_rid INTEGER NOT NULL REFERENCES incidents(rid),
        name TEXT NOT NULL,
        mime TEXT NOT NULL,
        bytes INTEGER NOT NULL CHECK (bytes > 0),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        actor TEXT NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      -- attachments.list: the attachments of one incident, in order.
      CREATE INDEX idx_attachments_incident ON attachments (incident_rid, rid);
    `);
  },
};

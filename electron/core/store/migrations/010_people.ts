import type { Migration } from './migration';

/**
 * People on duty: staff accounts (argon2id hashes only), the audit trail of every action, and the
 * authenticated actor on events (id and roles beside the name; hashed into the chain when present,
 * so events written before this migration still verify).
 */
export const migration010: Migration = {
  version: 10,
  name: 'staff accounts, audit trail, actor identity on events',
  up(db) {
    db.exec(`
      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        staff_no TEXT NOT NULL,
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        roles TEXT NOT NULL,                      -- JSON array of role names
        active INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT NOT NULL,              -- argon2id PHC string, never leaves core
        must_change INTEGER NOT NULL DEFAULT 0,
        failed_count INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        demo INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      -- Login looks a person up by staff number, case-insensitively.
      CREATE UNIQUE INDEX idx_staff_staff_no ON staff (staff_no COLLATE NOCASE);

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        staff_id TEXT,
        staff_name TEXT NOT NULL,
        roles TEXT NOT NULL,
        window TEXT NOT NULL,
        command TEXT NOT NULL,
        incident_id TEXT,
        outcome TEXT NOT NULL,
        reason TEXT,
        cosigner_id TEXT,
        cosigner_name TEXT
      ) STRICT;
      -- The audit view filters by person, command or case, each newest first.
      CREATE INDEX idx_audit_staff_at ON audit (staff_id, at);
      CREATE INDEX idx_audit_command_at ON audit (command, at);
      CREATE INDEX idx_audit_incident_at ON audit (incident_id, at);
      CREATE INDEX idx_audit_at ON audit (at);

      ALTER TABLE events ADD COLUMN actor_id TEXT;
      ALTER TABLE events ADD COLUMN actor_roles TEXT;
      ALTER TABLE events ADD COLUMN cosigner TEXT;
    `);
  },
};

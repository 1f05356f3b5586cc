import type { Migration } from './index';

/**
 * The camera registry. The password is stored only as the SecretBox's sealed form (AES-GCM under a
 * user-only key file in the Node host, the OS keychain through safeStorage in Electron).
 */
export const migration003: Migration = {
  version: 3,
  name: 'camera registry',
  up(db) {
    db.exec(`
      CREATE TABLE cameras (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        onvif_url TEXT NOT NULL,
        username TEXT NOT NULL,
        password_sealed TEXT NOT NULL,
        lon REAL,
        lat REAL,
        heading REAL,
        field_of_view REAL,
        grid TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        enabled INTEGER NOT NULL DEFAULT 1,
        device TEXT NOT NULL,
        profiles TEXT NOT NULL,
        has_ptz INTEGER NOT NULL DEFAULT 0,
        clock_offset_ms INTEGER NOT NULL DEFAULT 0,
        demo INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- cameras.add refuses a device that is already registered (lookup by URL), and discovery
      -- marks devices already in the registry.
      CREATE UNIQUE INDEX idx_cameras_onvif_url ON cameras (onvif_url);
    `);
  },
};

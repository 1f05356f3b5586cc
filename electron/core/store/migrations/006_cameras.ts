import type { Migration } from './migration';

/**
 * The camera registry. The password is stored only as the SecretBox's sealed form (AES-GCM under a
 * user-only key file in the Node host, the OS keychain through safeStorage in Electron).
 */
export const migration006: Migration = {
  version: 6,
  name: 'camera registry and alarms',
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
        armed INTEGER NOT NULL DEFAULT 1,
        arm_schedule TEXT,
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

      -- One row per burst: events of one camera and kind within the cooldown raise the count.
      CREATE TABLE alarms (
        id TEXT PRIMARY KEY,
        camera_id TEXT NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'new',
        reason TEXT NOT NULL DEFAULT '',
        incident_id TEXT,
        handled_by TEXT,
        handled_at INTEGER
      );
      -- The inbox: alarms by status, newest burst first.
      CREATE INDEX idx_alarms_status_last ON alarms (status, last_at);
      -- Grouping: the latest burst of one camera and kind, on every incoming event.
      CREATE INDEX idx_alarms_camera_kind_last ON alarms (camera_id, kind, last_at);
    `);
  },
};

import type { Migration } from './migration';

/**
 * The city link meets people on duty: a directive's receipt (签收) names the staff member who signed
 * for it (their staff number beside the name, both from the window's session); the link's log names
 * who switched it off or on or changed its settings, and is read by time (a shift's entries: the
 * duty log's automatic "link down / link up" lines).
 */
export const migration012: Migration = {
  version: 12,
  name: 'city link: the signer of a directive, who acted on the link, the link log by time',
  up(db) {
    db.exec(`
      ALTER TABLE directives ADD COLUMN signed_by_staff_no TEXT;
      ALTER TABLE uplink_log ADD COLUMN actor TEXT;               -- name of the person (switch, settings); NULL: the link itself
      ALTER TABLE uplink_log ADD COLUMN actor_staff_no TEXT;
      -- A shift's entries: WHERE at >= ? AND at < ? ORDER BY at.
      CREATE INDEX idx_uplink_log_at ON uplink_log (at);
    `);
  },
};

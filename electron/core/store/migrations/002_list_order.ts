import type { Migration } from './migration';

/**
 * Every closed incident's key is above this, every open one's below (deadlines are epoch ms before
 * 2100, ~4.1e12): a closed key is 2 · base − closed_at, so the most recently closed comes first.
 */
export const CLOSED_LIST_KEY_BASE = 4_000_000_000_000_000;

/**
 * The list pane's order as one indexed key: open incidents by deadline (most urgent first), then
 * closed ones by close time, newest first. Before this, the whole list was ordered by deadline, so
 * an operator opening the console saw months-old closed cases above today's overdue ones.
 *
 * For open incidents list_key = deadline, so "overdue" is `list_key < now` (a range on the index).
 */
export const migration002: Migration = {
  version: 2,
  name: 'list order: open by deadline, then closed by close time',
  up(db) {
    db.exec(`
      ALTER TABLE incidents ADD COLUMN list_key INTEGER GENERATED ALWAYS AS (
        CASE WHEN status = 'closed' THEN ${2 * CLOSED_LIST_KEY_BASE} - coalesce(closed_at, updated_at) ELSE deadline END
      ) VIRTUAL;

      -- List pane with no status filter (and the overdue count: list_key < now).
      DROP INDEX idx_incidents_deadline;
      CREATE INDEX idx_incidents_list ON incidents (list_key);
      -- List pane filtered by status (+ category): the benchmark's list page.
      DROP INDEX idx_incidents_status_category_deadline;
      CREATE INDEX idx_incidents_status_category_list ON incidents (status, category, list_key);
    `);
  },
};

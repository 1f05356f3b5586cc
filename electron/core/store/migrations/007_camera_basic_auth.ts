import type { Migration } from './migration';

/**
 * Per-camera consent to Basic auth over plain HTTP (a snapshot URI that asks for Basic on http://
 * would get the password readable on the wire); off for every camera until the operator allows it.
 */
export const migration007: Migration = {
  version: 7,
  name: 'camera setting: Basic auth over plain HTTP',
  up(db) {
    db.exec('ALTER TABLE cameras ADD COLUMN allow_basic_over_http INTEGER NOT NULL DEFAULT 0');
  },
};

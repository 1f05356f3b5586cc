import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'console.sqlite3';

export class NewerDatabaseError extends Error {
  constructor(file: string, found: number, supported: number) {
    super(
      `The database ${file} was written by a newer version of the console (schema ${found}; this version supports up to ${supported}). ` +
        'Install the newer version, or move the file aside to start with an empty store. It has not been changed.',
    );
    this.name = 'NewerDatabaseError';
  }
}

export interface OpenOptions {
  /** Path to an Electron-ABI build of better-sqlite3 (see scripts/electron-native.mjs). */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('busy_timeout = 5000');
    // Statement and savepoint journals, sorter spills and IN (…) lists in memory, not temp files:
    // nested writes (demo seed, bulk loads) otherwise pwrite every touched page to a sub-journal
    // file — about a fifth of the seeding time in bench/ (npm run bench).
    db.pragma('temp_store = MEMORY');
    // Refuse a newer schema before anything writes: switching to WAL rewrites the file header.
    const migrations = options.migrations ?? MIGRATIONS;
    assertSupported(db, file, migrations);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across app crashes, fast commits
    migrate(db, file, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function assertSupported(db: Db, file: string, migrations: readonly Migration[]): { current: number; latest: number } {
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new NewerDatabaseError(file, current, latest);
  return { current, latest };
}

/** Runs the pending migrations in one transaction; a failure leaves the file as it was. */
export function migrate(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const { current, latest } = assertSupported(db, file, migrations);
  const pending = migrations.filter((m) => m.version > current);
  if (!pending.length) return current;
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  return latest;
}

export { SCHEMA_VERSION };

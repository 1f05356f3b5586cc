import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';
import { DiskFullError, freeBytes, isOutOfSpace, NEARLY_FULL } from './storage';

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
  /** FULL unless a benchmark compares settings; nothing else should lower it. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens (and migrates) the store for reading and writing. On a full disk it throws DiskFullError
 * before writing anything (the caller opens it read-only instead): checked up front, and again for
 * a failure while opening — SQLite says only "disk I/O error" when it cannot size its -shm file.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const dir = path.dirname(file);
  if (file !== ':memory:') {
    fs.mkdirSync(dir, { recursive: true });
    const free = freeBytes(dir);
    if (free !== null && free < NEARLY_FULL) throw new DiskFullError(dir, null);
  }
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    if (file !== ':memory:' && isOutOfSpace(error, dir)) throw new DiskFullError(dir, error);
    throw error;
  }
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
    // FULL: every commit fsyncs the WAL before it is acknowledged, so an acknowledged write survives
    // a power cut or an OS crash (NORMAL only survives an app crash: the last commits before a power
    // loss can roll back). Its cost is measured in `npm run bench -- store` (README, Benchmark).
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    migrate(db, file, migrations);
    return db;
  } catch (error) {
    db.close();
    if (file !== ':memory:' && isOutOfSpace(error, dir)) throw new DiskFullError(dir, error);
    throw error;
  }
}

/**
 * The store for reading only, on a full disk: no byte is written. EXCLUSIVE locking before the
 * first read keeps the WAL index in this connection's memory, so SQLite never needs to size the
 * -shm file (which fails on a full disk, and a read-only connection cannot take the lock: tried on a
 * full tmpfs); query_only refuses every write with SQLITE_READONLY.
 */
export function openDatabaseReadOnly(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('query_only = ON');
    db.pragma('temp_store = MEMORY');
    const { current, latest } = assertSupported(db, file, options.migrations ?? MIGRATIONS);
    if (current < latest) {
      throw new Error(
        `The database ${file} must be upgraded (schema ${current} to ${latest}) and that cannot be written on a full disk. Free some space on that disk and start again.`,
      );
    }
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

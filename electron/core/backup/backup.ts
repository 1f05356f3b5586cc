/**
 * Online backups of the data directory, their verification, and restore.
 *
 * A backup is a folder `duty-backup-<UTC time>/` holding `console.sqlite3` (a consistent copy made
 * with SQLite's backup API while the console serves), `attachments/` and `manifest.json` (counts and
 * the head of the hash chain). It is built under `<name>.partial/` and renamed into place only once
 * every file is fsynced and the copy passed SQLite's integrity check, so a backup killed half-way
 * leaves a `.partial` folder (removed by the next backup), never a backup that looks whole.
 *
 * The copy runs in a worker thread with its own connection, page by page in steps, so the serving
 * event loop only sees progress messages (figures: `npm run bench -- store`).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { EventLog } from '../events';
import { ATTACHMENTS_DIR } from '../attachments';
import { DATABASE_FILE, SCHEMA_VERSION, TEMP_SUFFIX, fsyncDirectory } from '../store';

export const BACKUP_PREFIX = 'duty-backup-';
const PARTIAL = '.partial';
const MANIFEST = 'manifest.json';
/** Pages per backup step: 256 × 4 KiB = 1 MiB between progress messages. */
const PAGES_PER_STEP = 256;

export interface BackupManifest {
  format: 1;
  createdAt: number;
  schemaVersion: number;
  incidents: number;
  events: number;
  lastSeq: number | null;
  /** Hex SHA-256 of the last event: the head of the chain at the moment of the copy. */
  lastHash: string | null;
  attachments: number;
  databaseBytes: number;
}

export interface BackupProgress {
  phase: 'database' | 'attachments' | 'verify' | 'restore';
  done: number;
  total: number;
}

export interface BackupOptions {
  dataDir: string;
  /** Where backups go: a second disk or a USB drive. */
  folder: string;
  /** Newest backups kept in the folder; older ones are removed after a successful backup. */
  keep?: number;
  nativeBinding?: string;
  onProgress?: (progress: BackupProgress) => void;
  now?: () => number;
  /** Asked between steps: true stops the backup (the worker is ended, the partial folder removed). */
  shouldStop?: () => boolean;
}

export class BackupStopped extends Error {
  constructor() {
    super('backup stopped');
    this.name = 'BackupStopped';
  }
}

// The worker is plain CommonJS evaluated from this string: it needs only better-sqlite3 (resolved by
// the caller), so it runs the same under tsx, vitest and the bundled Electron main process.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.betterSqlite3);
const options = workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {};
(async () => {
  const source = new Database(workerData.source, { ...options, readonly: true, fileMustExist: true });
  try {
    await source.backup(workerData.target, {
      progress: ({ totalPages, remainingPages }) => {
        parentPort.postMessage({ type: 'progress', done: totalPages - remainingPages, total: totalPages });
        return workerData.pagesPerStep;
      },
    });
  } finally {
    source.close();
  }
  const copy = new Database(workerData.target, options);
  let result;
  try {
    copy.pragma('journal_mode = DELETE');
    const integrity = copy.pragma('integrity_check', { simple: true });
    const one = (sql) => copy.prepare(sql).get();
    const head = one('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
    result = {
      integrity,
      schemaVersion: copy.pragma('user_version', { simple: true }),
      incidents: one('SELECT count(*) AS n FROM incidents').n,
      events: one('SELECT count(*) AS n FROM events').n,
      lastSeq: head ? head.seq : null,
      lastHash: head ? Buffer.from(head.hash).toString('hex') : null,
    };
  } finally {
    copy.close();
  }
  const fd = fs.openSync(workerData.target, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  parentPort.postMessage({ type: 'done', result });
})().catch((error) => parentPort.postMessage({ type: 'error', message: String(error && error.message || error), code: error && error.code }));
`;

interface WorkerResult {
  integrity: string;
  schemaVersion: number;
  incidents: number;
  events: number;
  lastSeq: number | null;
  lastHash: string | null;
}

function copyDatabaseInWorker(
  source: string,
  target: string,
  nativeBinding: string | undefined,
  onProgress: (done: number, total: number) => void,
  shouldStop: () => boolean = () => false,
): Promise<WorkerResult> {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { source, target, betterSqlite3, nativeBinding, pagesPerStep: PAGES_PER_STEP } });
    let settled = false;
    worker.on('message', (message: { type: string; done?: number; total?: number; result?: WorkerResult; message?: string }) => {
      if (message.type === 'progress') {
        if (shouldStop() && !settled) {
          settled = true;
          void worker.terminate();
          reject(new BackupStopped());
          return;
        }
        onProgress(message.done!, message.total!);
      }
      else if (message.type === 'done') {
        settled = true;
        resolve(message.result!);
      } else if (message.type === 'error') {
        settled = true;
        reject(new Error(`backup copy failed: ${message.message}`));
      }
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`backup worker exited with code ${code}`));
    });
  });
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeJsonDurably(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  fsyncFile(file);
}

/** Attachment files in a data (or backup) directory: names are their SHA-256; temporary files skipped. */
function attachmentNames(dir: string): string[] {
  try {
    return fs.readdirSync(path.join(dir, ATTACHMENTS_DIR)).filter((n) => /^[0-9a-f]{64}$/.test(n));
  } catch {
    return [];
  }
}

/** Copies attachments missing from `to` (content-addressed, so a name present is the same file), fsynced. */
async function copyAttachments(from: string, to: string, onProgress: (done: number, total: number) => void, shouldStop: () => boolean = () => false): Promise<number> {
  const names = attachmentNames(from);
  const target = path.join(to, ATTACHMENTS_DIR);
  fs.mkdirSync(target, { recursive: true });
  let done = 0;
  for (const name of names) {
    if (shouldStop()) throw new BackupStopped();
    const file = path.join(target, name);
    if (!fs.existsSync(file)) {
      const temp = `${file}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
      await fs.promises.copyFile(path.join(from, ATTACHMENTS_DIR, name), temp);
      fsyncFile(temp);
      fs.renameSync(temp, file);
    }
    onProgress(++done, names.length);
  }
  fsyncDirectory(target);
  return names.length;
}

export function listBackups(folder: string): { name: string; dir: string; manifest: BackupManifest | null }[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(BACKUP_PREFIX) && !n.endsWith(PARTIAL))
    .sort()
    .reverse()
    .map((name) => {
      const dir = path.join(folder, name);
      let manifest: BackupManifest | null = null;
      try {
        manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as BackupManifest;
      } catch {
        manifest = null;
      }
      return { name, dir, manifest };
    });
}

/** Makes one backup of a live data directory; resolves with its folder and manifest. */
export async function createBackup(options: BackupOptions): Promise<{ dir: string; manifest: BackupManifest }> {
  const now = options.now ?? Date.now;
  const report = options.onProgress ?? (() => {});
  fs.mkdirSync(options.folder, { recursive: true });
  for (const name of fs.readdirSync(options.folder)) {
    if (name.startsWith(BACKUP_PREFIX) && name.endsWith(PARTIAL)) fs.rmSync(path.join(options.folder, name), { recursive: true, force: true });
  }
  const createdAt = now();
  const name = `${BACKUP_PREFIX}${stamp(createdAt)}`;
  const partial = path.join(options.folder, `${name}${PARTIAL}`);
  fs.mkdirSync(partial);
  try {
    const target = path.join(partial, DATABASE_FILE);
    const copied = await copyDatabaseInWorker(path.join(options.dataDir, DATABASE_FILE), target, options.nativeBinding, (done, total) =>
      report({ phase: 'database', done, total }),
      options.shouldStop,
    );
    if (copied.integrity !== 'ok') throw new Error(`the copy failed SQLite's integrity check: ${copied.integrity}`);
    const attachments = await copyAttachments(options.dataDir, partial, (done, total) => report({ phase: 'attachments', done, total }), options.shouldStop);
    if (options.shouldStop?.()) throw new BackupStopped();
    const manifest: BackupManifest = {
      format: 1,
      createdAt,
      schemaVersion: copied.schemaVersion,
      incidents: copied.incidents,
      events: copied.events,
      lastSeq: copied.lastSeq,
      lastHash: copied.lastHash,
      attachments,
      databaseBytes: fs.statSync(target).size,
    };
    writeJsonDurably(path.join(partial, MANIFEST), manifest);
    fsyncDirectory(partial);
    const dir = path.join(options.folder, name);
    fs.renameSync(partial, dir);
    fsyncDirectory(options.folder);
    const keep = options.keep ?? 0;
    if (keep > 0) for (const old of listBackups(options.folder).slice(keep)) fs.rmSync(old.dir, { recursive: true, force: true });
    return { dir, manifest };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

export interface Verification {
  ok: boolean;
  problem: string | null;
  manifest: BackupManifest | null;
  incidents: number;
  events: number;
}

/**
 * Checks a backup before anything is replaced with it: the manifest, SQLite's integrity check, the
 * whole hash chain, the counts and chain head against the manifest, and every attachment's bytes
 * against its SHA-256. Opens the copy read-only; writes nothing.
 */
export function verifyBackup(dir: string): Verification {
  const fail = (problem: string, manifest: BackupManifest | null = null): Verification => ({ ok: false, problem, manifest, incidents: 0, events: 0 });
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    return fail(`${dir} is not a backup (no readable ${MANIFEST})`);
  }
  const file = path.join(dir, DATABASE_FILE);
  if (!fs.existsSync(file)) return fail(`${file} is missing`, manifest);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return fail(`cannot open the backup's database: ${(error as Error).message}`, manifest);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    if (integrity !== 'ok') return fail(`integrity check: ${integrity}`, manifest);
    const schema = db.pragma('user_version', { simple: true }) as number;
    const latest = SCHEMA_VERSION;
    if (schema > latest) return fail(`the backup was made by a newer version (schema ${schema}; this one supports ${latest})`, manifest);
    const chain = new EventLog(db).verify();
    if (!chain.ok) return fail(`hash chain broken at event ${chain.firstBadSeq}: ${chain.problem}`, manifest);
    const incidents = (db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
    const head = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer } | undefined;
    if (incidents !== manifest.incidents || chain.checked !== manifest.events || (head?.seq ?? null) !== manifest.lastSeq) {
      return fail(`the database does not match its manifest (incidents ${incidents}/${manifest.incidents}, events ${chain.checked}/${manifest.events})`, manifest);
    }
    if ((head ? Buffer.from(head.hash).toString('hex') : null) !== manifest.lastHash) return fail('the head of the hash chain does not match the manifest', manifest);
    const wanted = db.prepare('SELECT DISTINCT sha256 FROM attachments').all() as { sha256: string }[];
    for (const { sha256 } of wanted) {
      let data: Buffer;
      try {
        data = fs.readFileSync(path.join(dir, ATTACHMENTS_DIR, sha256));
      } catch {
        return fail(`attachment ${sha256} is missing`, manifest);
      }
      if (createHash('sha256').update(data).digest('hex') !== sha256) return fail(`attachment ${sha256} does not match its hash`, manifest);
    }
    return { ok: true, problem: null, manifest, incidents, events: chain.checked };
  } finally {
    db.close();
  }
}

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

/**
 * Replaces a data directory's database with a verified backup. The console must not be running on
 * it (checked: the store is opened with an exclusive lock). The current database is kept beside it
 * as `console.sqlite3.before-restore-<time>`; the new one is copied to a temporary file, fsynced and
 * renamed over the old in one step, so a kill at any moment leaves the old store or the restored one.
 */
export async function restoreBackup(options: {
  dataDir: string;
  from: string;
  onProgress?: (p: BackupProgress) => void;
  now?: () => number;
  /**
   * The current store failed its check (recovery screen): it is never opened — opening would
   * checkpoint its WAL into the damaged file. It is renamed aside whole (file, -wal, -shm) as
   * `console.sqlite3.damaged-<time>`, so not one byte of it is written.
   */
  damaged?: boolean;
}): Promise<{ verification: Verification; kept: string | null }> {
  const report = options.onProgress ?? (() => {});
  report({ phase: 'verify', done: 0, total: 1 });
  const verification = verifyBackup(options.from);
  if (!verification.ok) throw new RestoreError(`the backup ${options.from} did not pass verification, nothing was changed: ${verification.problem}`);
  report({ phase: 'verify', done: 1, total: 1 });
  fs.mkdirSync(options.dataDir, { recursive: true });
  const current = path.join(options.dataDir, DATABASE_FILE);
  const temp = `${current}.restore${TEMP_SUFFIX}`;
  fs.rmSync(temp, { force: true });
  let kept: string | null = null;
  if (options.damaged && fs.existsSync(current)) {
    kept = `${current}.damaged-${stamp((options.now ?? Date.now)())}`;
    for (const suffix of ['-wal', '-shm']) if (fs.existsSync(`${current}${suffix}`)) fs.renameSync(`${current}${suffix}`, `${kept}${suffix}`);
    fs.renameSync(current, kept);
    fsyncDirectory(options.dataDir);
  } else if (fs.existsSync(current)) {
    // Leaving WAL mode needs the only connection to the store: refused while a console has it open.
    // The checkpoint folds the WAL into the file, so the copy kept aside is whole and no old WAL is
    // left to be replayed onto the restored file.
    const inUse = () => new RestoreError(`the store in ${options.dataDir} is in use: close the console first; nothing was changed`);
    const db = new Database(current, { fileMustExist: true, timeout: 0 });
    try {
      let mode: unknown;
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
        mode = db.pragma('journal_mode = DELETE', { simple: true });
      } catch {
        throw inUse();
      }
      if (mode !== 'delete') throw inUse();
    } finally {
      db.close();
    }
    const wal = `${current}-wal`;
    if (fs.existsSync(wal) && fs.statSync(wal).size > 0) throw new RestoreError(`${wal} could not be folded into the store; nothing was changed`);
    fs.rmSync(wal, { force: true });
    fs.rmSync(`${current}-shm`, { force: true });
    kept = `${current}.before-restore-${stamp((options.now ?? Date.now)())}`;
    await fs.promises.copyFile(current, kept);
    fsyncFile(kept);
  }
  await copyAttachments(options.from, options.dataDir, (done, total) => report({ phase: 'attachments', done, total }));
  report({ phase: 'restore', done: 0, total: 1 });
  await fs.promises.copyFile(path.join(options.from, DATABASE_FILE), temp);
  fsyncFile(temp);
  fs.renameSync(temp, current);
  fsyncDirectory(options.dataDir);
  report({ phase: 'restore', done: 1, total: 1 });
  return { verification, kept };
}

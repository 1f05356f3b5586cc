import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ContractError } from '@shared';

/**
 * Files that must survive a power cut, and what to say when the disk is full.
 *
 * A file is durable once its bytes and its directory entry are both on disk: write a temporary
 * file, fsync it, rename it into place, fsync the directory. Without the last step a power cut
 * can lose the rename (ext4 with data=ordered usually keeps it; NTFS and other setups do not
 * promise it).
 */

/** Temporary files end in `.tmp`, so a start can remove what a crash or a full disk left behind. */
export const TEMP_SUFFIX = '.tmp';

export function fsyncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync (EPERM/EISDIR); NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `data` to `file` so that after it returns a power cut leaves the whole file or the old one, never part. */
export function writeFileDurably(file: string, data: Uint8Array): void {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, 'wx');
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(temp, { force: true }); // a full disk leaves no half-written .tmp behind
    throw error;
  }
  fsyncDirectory(dir);
}

/** Removes leftover temporary files (a crash or a full disk between write and rename); returns how many. */
export function removeTempFiles(dir: string): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed++;
  }
  if (removed) fsyncDirectory(dir);
  return removed;
}

/** Free bytes for this user on the disk holding `dir`; null when the platform cannot tell. */
export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** "0 B", "512 KB", "1.5 MB", "12.3 GB": units read the same in both languages. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Below this much free space an I/O error from SQLite is taken as "disk full": SQLite reports a
 * full disk as SQLITE_FULL when a write fails, but as a bare SQLITE_IOERR_* ("disk I/O error") when
 * it cannot size its shared-memory file on open (seen on a full tmpfs: SQLITE_IOERR_SHMSIZE).
 */
export const NEARLY_FULL = 1024 * 1024;

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}

export function isOutOfSpace(error: unknown, dataDir: string): boolean {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  if (code.startsWith('SQLITE_IOERR')) {
    const free = freeBytes(dataDir);
    return free !== null && free < NEARLY_FULL;
  }
  return false;
}

export function isReadOnlyError(error: unknown): boolean {
  return errorCode(error).startsWith('SQLITE_READONLY');
}

export function diskFullError(dataDir: string): ContractError {
  return ContractError.refused(`the disk holding ${dataDir} is full (${formatBytes(freeBytes(dataDir))} free); nothing was saved`, {
    reason: 'store.disk_full',
    params: { dataDir, free: formatBytes(freeBytes(dataDir)) },
  });
}

export function readOnlyError(dataDir: string): ContractError {
  return ContractError.refused(`the store in ${dataDir} is open read-only because its disk is full; nothing was saved`, {
    reason: 'store.read_only',
    params: { dataDir, free: formatBytes(freeBytes(dataDir)) },
  });
}

/** Thrown by openCore's database open when the disk is full; the core then opens read-only. */
export class DiskFullError extends Error {
  constructor(
    readonly dataDir: string,
    readonly original: unknown,
  ) {
    super(`the disk holding ${dataDir} is full (${formatBytes(freeBytes(dataDir))} free)`);
    this.name = 'DiskFullError';
  }
}

/**
 * Every command's storage failures in words the operator can act on: a full disk names the data
 * directory and its free space; in read-only mode every write says why. Other errors pass through.
 */
export function storageError(error: unknown, dataDir: string, readOnly: boolean): unknown {
  if (error instanceof ContractError) return error;
  if (readOnly && (isReadOnlyError(error) || isOutOfSpace(error, dataDir))) return readOnlyError(dataDir);
  if (isOutOfSpace(error, dataDir)) return diskFullError(dataDir);
  return error;
}

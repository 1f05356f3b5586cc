import fs from 'node:fs';
import Database from 'better-sqlite3';

/**
 * The quick check at start (issue 16): a damaged file must not end the process with a bare "file is
 * not a database", nor be served and written into. Checked without writing a byte to the file:
 *  - the header: the 16-byte magic string and a valid page size;
 *  - `PRAGMA quick_check` (every page's b-tree structure, not the index contents), bounded: on a
 *    store larger than QUICK_CHECK_MAX_BYTES it is left to the full check, which runs as a job
 *    right after start (a 1M-incident store would otherwise hold the start for seconds).
 * A store with a WAL left behind is opened the way the read-only start opens it (exclusive lock,
 * query_only: the WAL index stays in memory and nothing is checkpointed into the file).
 */
export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
export const QUICK_CHECK_MAX_BYTES = 512 * 1024 * 1024;

export interface QuickCheck {
  ok: boolean;
  /** What is wrong, in words for the recovery screen and the log; null when ok. */
  problem: string | null;
  /** False when the pages were not read (too large for the bounded quick check, or busy): the full check follows as a job. */
  pagesChecked: boolean;
}

export function quickCheckStore(file: string, options: { nativeBinding?: string; maxBytes?: number } = {}): QuickCheck {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return { ok: true, problem: null, pagesChecked: true }; // a new store: nothing to check
  }
  if (size === 0) return { ok: true, problem: null, pagesChecked: true };
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    return { ok: false, problem: `the file header is damaged: ${file} does not start as an SQLite database`, pagesChecked: false };
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { ok: false, problem: `the file header is damaged: page size ${rawPageSize} is not valid`, pagesChecked: false };
  }
  if (size % pageSize !== 0) {
    return { ok: false, problem: `the file is ${size} bytes, not a whole number of ${pageSize}-byte pages (cut short or overwritten)`, pagesChecked: false };
  }
  if (size > (options.maxBytes ?? QUICK_CHECK_MAX_BYTES)) return { ok: true, problem: null, pagesChecked: false };
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  const wal = `${file}-wal`;
  const hasWal = fs.existsSync(wal) && fs.statSync(wal).size > 0;
  let db: Database.Database | null = null;
  try {
    if (hasWal) {
      db = new Database(file, { fileMustExist: true, ...binding });
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('query_only = ON');
    } else {
      db = new Database(file, { readonly: true, fileMustExist: true, ...binding });
    }
    const rows = db.pragma('quick_check(20)', { simple: false }) as { quick_check: string }[];
    const lines = rows.map((r) => r.quick_check);
    if (lines.length === 1 && lines[0] === 'ok') return { ok: true, problem: null, pagesChecked: true };
    return { ok: false, problem: `SQLite's quick check found damage: ${lines.join('; ')}`, pagesChecked: true };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (isCorruptionError(error)) return { ok: false, problem: `${code}: ${(error as Error).message}`, pagesChecked: true };
    // Busy (another console holds it), permissions…: not damage; the normal open reports it.
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') return { ok: true, problem: null, pagesChecked: false };
    return { ok: false, problem: `${code || 'error'}: ${(error as Error).message}`, pagesChecked: true };
  } finally {
    db?.close();
  }
}

/** SQLITE_CORRUPT (and its extended codes), SQLITE_NOTADB: the file itself is damaged. */
export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

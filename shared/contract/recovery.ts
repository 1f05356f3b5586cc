import { z } from 'zod';
import { command } from './command';

/**
 * A damaged store (issue 16): the quick check at start (header + bounded `PRAGMA quick_check`), the
 * full check as a job (`PRAGMA integrity_check` + the event hash chain), and the recovery screen's
 * commands. A console whose store failed the check at start serves nothing else: it never writes
 * into the damaged file; the screen names the problem, the data directory and the verified backups.
 */
export const BackupEntry = z.object({
  name: z.string().max(200),
  createdAt: z.number().int().nullable(),
  incidents: z.number().int().nullable(),
  events: z.number().int().nullable(),
  /** Result of the verification (integrity, chain, manifest, attachments) run for this listing. */
  verified: z.boolean(),
  problem: z.string().max(2000).nullable(),
});
export type BackupEntry = z.infer<typeof BackupEntry>;

export const StoreCheck = z.object({
  ok: z.boolean(),
  /** `ok`, or SQLite's first lines of trouble. */
  integrity: z.string().max(4000),
  chainOk: z.boolean(),
  checked: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  checkedAt: z.number().int(),
});
export type StoreCheck = z.infer<typeof StoreCheck>;

export const recoveryCommands = {
  /**
   * Public (the recovery screen comes before any login: the staff table is in the damaged file).
   * `state`: `ok`; `corrupt` when a page went bad while serving (writes are refused, store.corrupt);
   * `recovery` when the store failed the check at start (nothing but these commands is served).
   */
  'recovery.status': command(
    z.object({}).strict(),
    z.object({
      state: z.enum(['ok', 'corrupt', 'recovery']),
      problem: z.string().max(4000).nullable(),
      dataDir: z.string(),
      backupFolder: z.string(),
      /** Newest first, each verified; only in the recovery state (empty otherwise). */
      backups: z.array(BackupEntry),
    }),
  ),
  /**
   * Replaces the damaged store with a verified backup (verified again before anything is replaced;
   * the damaged file is kept beside it). Refused unless the console is in the recovery state.
   */
  'recovery.restore': command(
    z.object({ name: z.string().min(1).max(200) }).strict(),
    z.object({ incidents: z.number().int(), events: z.number().int(), kept: z.string().nullable() }),
  ),
  /** The full check as a job: `PRAGMA integrity_check` then the whole hash chain. Also nightly. */
  'store.check': command(z.object({}).strict(), StoreCheck),
} as const;

export const recoveryEvents = {
  /** A page went bad while serving, or the full check failed: writes stop (store.corrupt) until a restore. */
  'store.corrupted': z.object({ problem: z.string() }),
} as const;

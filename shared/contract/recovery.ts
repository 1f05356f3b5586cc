import { z } from 'zod';
import { command } from './command';
import { Cosign } from './people';

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

/** Scheduled backups: daily at a set local time, the newest `keep` kept; null folder = `<dataDir>/backups`. */
export const BackupSettings = z.object({
  /** An absolute path (a second disk, a USB drive); null: the data directory's own `backups`. */
  folder: z.string().trim().min(1).max(1000).refine((v) => v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v), { message: 'absolute path' }).nullable(),
  /** Local time of the daily backup, `HH:MM`; null: no scheduled backup. */
  dailyAt: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/).nullable(),
  keep: z.number().int().min(1).max(365),
});
export type BackupSettings = z.infer<typeof BackupSettings>;
export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { folder: null, dailyAt: '02:30', keep: 14 };

export const backupCommands = {
  'backup.settings': command(z.object({}).strict(), z.object({ settings: BackupSettings, folder: z.string() })),
  /** Co-signed (settings.change): where the records' copies go and how many are kept. */
  'backup.updateSettings': command(z.object({ settings: BackupSettings, cosign: Cosign.optional() }).strict(), z.object({ settings: BackupSettings, folder: z.string() })),
  /** Backups in the folder, newest first; `verified`: the copy passed the integrity check when made and has its manifest. */
  'backup.list': command(z.object({}).strict(), z.object({ folder: z.string(), backups: z.array(BackupEntry) })),
  /** An online backup now, as a job (progress, cancel: nothing is left in the folder). */
  'backup.create': command(
    z.object({}).strict(),
    z.object({ name: z.string(), incidents: z.number().int(), events: z.number().int(), attachments: z.number().int() }),
  ),
} as const;

import { ContractError, type BackupEntry, type BackupSettings, type backupCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { BackupStopped, createBackup, listBackups } from './backup';
import { backupFolderFor, readBackupSettings, writeBackupSettings } from './settings';

/** Ms from `now` to the next local `HH:MM`. */
export function msUntil(dailyAt: string, now: number): number {
  const [h, m] = dailyAt.split(':').map(Number) as [number, number];
  const next = new Date(now);
  next.setHours(h, m, 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime() - now;
}

/**
 * Backups from the console (issue 16): settings (co-signed), the list, a backup now as a job
 * (progress, cancel), and the daily schedule. The copy itself is the CLI's (SQLite's backup API in
 * a worker thread, the copy integrity-checked, attachments fsynced, the folder renamed into place).
 */
export function backupModule(ctx: CoreContext): CoreModule<keyof typeof backupCommands> {
  const { dataDir } = ctx.options;
  const folder = () => backupFolderFor(ctx.options);
  let running: Promise<unknown> | null = null;

  const backupNow = async () => {
    if (running) throw ContractError.conflict('a backup is already running', undefined, { reason: 'backup.running', params: {} });
    const settings = readBackupSettings(dataDir);
    const work = ctx.jobs.run('backup.create', async (job) => {
      let stopped = false;
      try {
        const { dir, manifest } = await createBackup({
          dataDir,
          folder: folder(),
          keep: settings.keep,
          nativeBinding: ctx.options.nativeBinding,
          now: ctx.now,
          onProgress: (p) => job.progress(p.phase, p.done, p.total),
          shouldStop: () => {
            try {
              job.check();
              return false;
            } catch {
              stopped = true;
              return true;
            }
          },
        });
        return { name: dir.split(/[\\/]/).pop()!, incidents: manifest.incidents, events: manifest.events, attachments: manifest.attachments };
      } catch (error) {
        if (stopped || error instanceof BackupStopped) throw ContractError.refused('backup.create was cancelled; nothing was left in the folder', { reason: 'job.cancelled', params: { kind: 'backup.create' } });
        throw ContractError.refused(`the backup to ${folder()} failed: ${(error as Error).message}`, { reason: 'backup.failed', params: { folder: folder() } });
      }
    });
    running = work;
    try {
      return await work;
    } finally {
      running = null;
    }
  };

  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const { dailyAt } = readBackupSettings(dataDir);
    if (!dailyAt || ctx.readOnly) return;
    timer = setTimeout(() => {
      backupNow().catch(() => {
        // A failed or cancelled scheduled backup shows in the jobs panel; tomorrow tries again.
      });
      schedule();
    }, msUntil(dailyAt, ctx.now()));
    timer.unref?.();
  };
  schedule();

  const view = (settings: BackupSettings) => ({ settings, folder: backupFolderFor({ dataDir, backupFolder: ctx.options.backupFolder }) });

  return {
    handlers: {
      'backup.settings': () => view(readBackupSettings(dataDir)),
      'backup.updateSettings': ({ settings }) => {
        writeBackupSettings(dataDir, settings);
        schedule();
        return view(settings);
      },
      'backup.list': () => ({
        folder: folder(),
        backups: listBackups(folder()).map(
          (b): BackupEntry => ({
            name: b.name,
            createdAt: b.manifest?.createdAt ?? null,
            incidents: b.manifest?.incidents ?? null,
            events: b.manifest?.events ?? null,
            // The manifest is written only after the copy passed SQLite's integrity check.
            verified: b.manifest !== null,
            problem: b.manifest ? null : 'no manifest',
          }),
        ),
      }),
      'backup.create': () => backupNow(),
    },
    close: () => {
      if (timer) clearTimeout(timer);
    },
  };
}

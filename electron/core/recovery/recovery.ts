import { ContractError, commands, type BackupEntry, type Envelope } from '@shared';
import { backupFolderFor, listBackups, restoreBackup, verifyBackup } from '../backup';
import type { Core, CoreConnection, CoreOptions } from '../context';

/** Backups verified for the recovery screen's list (each is a full integrity + chain check). */
const VERIFIED_IN_LIST = 5;

export function backupFolderOf(options: Pick<CoreOptions, 'dataDir' | 'backupFolder'>): string {
  return backupFolderFor(options);
}

/** The backups in the folder, newest first; the newest few verified (integrity, chain, manifest, attachments). */
export function verifiedBackups(folder: string): BackupEntry[] {
  return listBackups(folder).map((backup, index) => {
    const verification = index < VERIFIED_IN_LIST ? verifyBackup(backup.dir) : null;
    return {
      name: backup.name,
      createdAt: backup.manifest?.createdAt ?? null,
      incidents: backup.manifest?.incidents ?? null,
      events: backup.manifest?.events ?? null,
      verified: verification?.ok ?? false,
      problem: verification ? (verification.problem?.slice(0, 2000) ?? null) : 'not verified (older than the newest five)',
    };
  });
}

export function corruptError(dataDir: string, problem: string): ContractError {
  return ContractError.refused(`the store in ${dataDir} is damaged (${problem}); nothing is written into it`, {
    reason: 'store.corrupt',
    params: { dataDir },
  });
}

const fail = (error: unknown): Envelope => ({
  ok: false,
  error: (error instanceof ContractError ? error : ContractError.refused(String((error as Error)?.message ?? error), { reason: 'recovery.restore_failed', params: {} })).toBody(),
});

/**
 * The core of a console whose store failed the check at start. It serves the recovery screen only:
 * `recovery.status` (what is wrong, the data directory, the verified backups) and
 * `recovery.restore` (verified restore; the damaged file is renamed aside, never opened for
 * writing). Every other command answers store.corrupt. After a restore the serving core opens on
 * the restored store and every later connection (the screen reloads) reaches it.
 */
export function recoveringCore(options: CoreOptions, problem: string, openServing: () => Core): Core {
  let serving: Core | null = null;
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const offs = new Map<(name: string, payload: unknown) => void, () => void>();
  const folder = backupFolderOf(options);
  let restoring = false;

  async function recoveryDispatch(name: string, input: unknown): Promise<Envelope> {
    if (serving) return serving.dispatch(name, input);
    try {
      if (name === 'recovery.status') {
        return { ok: true, value: { state: 'recovery', problem, dataDir: options.dataDir, backupFolder: folder, backups: verifiedBackups(folder) } };
      }
      if (name === 'recovery.restore') {
        const parsed = commands['recovery.restore'].input.safeParse(input);
        if (!parsed.success) throw ContractError.validation('recovery.restore: invalid input');
        const backup = listBackups(folder).find((b) => b.name === parsed.data.name);
        if (!backup) throw ContractError.notFound(`no backup ${parsed.data.name} in ${folder}`, { reason: 'recovery.no_backup', params: { name: parsed.data.name } });
        if (restoring) throw ContractError.conflict('a restore is already running');
        restoring = true;
        try {
          const { verification, kept } = await restoreBackup({ dataDir: options.dataDir, from: backup.dir, damaged: true, now: options.now });
          serving = openServing();
          for (const listener of listeners) offs.set(listener, serving.onEvent(listener));
          return { ok: true, value: { incidents: verification.incidents, events: verification.events, kept } };
        } catch (error) {
          if (error instanceof ContractError) throw error;
          throw ContractError.refused(`restore failed: ${(error as Error).message}`, { reason: 'recovery.restore_failed', params: { name: backup.name } });
        } finally {
          restoring = false;
        }
      }
      throw corruptError(options.dataDir, problem);
    } catch (error) {
      return fail(error);
    }
  }

  return {
    dataDir: options.dataDir,
    ready: Promise.resolve(),
    connect(window): CoreConnection {
      if (serving) return serving.connect(window);
      return {
        window: `${window}#recovery`,
        // After a restore this window must reload (a fresh connection logs in to the serving core);
        // it never borrows the in-process caller's rights.
        dispatch: (name, input) =>
          serving
            ? Promise.resolve(fail(ContractError.refused('the store was restored: reload the window', { reason: 'recovery.not_needed', params: {} })))
            : recoveryDispatch(name, input),
        onEvent: () => () => {},
        adoptToken: (token) => serving?.hasSession(token) ?? false,
        close: () => {},
      };
    },
    dispatch: recoveryDispatch,
    onEvent(listener) {
      listeners.add(listener);
      if (serving) offs.set(listener, serving.onEvent(listener));
      return () => {
        listeners.delete(listener);
        offs.get(listener)?.();
        offs.delete(listener);
      };
    },
    hasSession: (token) => serving?.hasSession(token) ?? false,
    close: () => serving?.close(),
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { BackupSettings, DEFAULT_BACKUP_SETTINGS } from '@shared';
import { writeFileDurably } from '../store';

/**
 * Backup settings live in a small file in the data directory, not in the store: the recovery state
 * (a damaged store) must still find the backup folder.
 */
export const BACKUP_SETTINGS_FILE = 'backup-settings.json';

export function readBackupSettings(dataDir: string): BackupSettings {
  try {
    const parsed = BackupSettings.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // none yet, or unreadable: the defaults
  }
  return { ...DEFAULT_BACKUP_SETTINGS };
}

export function writeBackupSettings(dataDir: string, settings: BackupSettings): void {
  writeFileDurably(path.join(dataDir, BACKUP_SETTINGS_FILE), Buffer.from(`${JSON.stringify(settings, null, 2)}\n`));
}

/** The folder backups go to: the host's --backup-dir, else the settings', else `<dataDir>/backups`. */
export function backupFolderFor(options: { dataDir: string; backupFolder?: string }): string {
  return options.backupFolder ?? readBackupSettings(options.dataDir).folder ?? path.join(options.dataDir, 'backups');
}

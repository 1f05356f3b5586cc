// The backup room's door: online backups, verification, restore, their settings and commands.
export { BackupStopped, createBackup, listBackups, restoreBackup, verifyBackup, type BackupManifest, type BackupProgress } from './backup';
export { backupFolderFor, readBackupSettings, writeBackupSettings } from './settings';
export { backupModule } from './handlers';

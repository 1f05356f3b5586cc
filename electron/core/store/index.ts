// The store floor's door: what the domains above may import from electron/core/store.
export { DATABASE_FILE, SCHEMA_VERSION, openDatabase, type Db } from './database';
export { SettingsStore } from './settings';
export { CLOSED_LIST_KEY_BASE } from './migrations/002_list_order';
export { TEMP_SUFFIX, formatBytes, freeBytes, fsyncDirectory, removeTempFiles, writeFileDurably } from './storage';
export type { TaskControl } from './task-control';
export { DEADLINE_DAY_MS } from './migrations/009_aggregates';
export { QUICK_CHECK_MAX_BYTES, isCorruptionError, quickCheckStore, type QuickCheck } from './check';

/**
 * Which better-sqlite3 binary the main process loads.
 *
 * node_modules/better-sqlite3 is built for Node (tests, Node host, bench) and is never rebuilt in
 * place. In a dev checkout, scripts/electron-native.mjs (run by npm start / dev / dist) builds a
 * second copy for Electron's ABI into .cache/electron-native/<electron version>/; the core hands
 * that path to better-sqlite3's `nativeBinding` option. Packaged apps use the copy electron-builder
 * rebuilt for Electron (npmRebuild), so they pass nothing.
 */
import fs from 'node:fs';
import path from 'node:path';

export type NativeBinding = { ok: true; path: string | undefined } | { ok: false; message: string };

export function electronNativeBinding(options: { packaged: boolean; appRoot: string; electronVersion: string }): NativeBinding {
  if (options.packaged) return { ok: true, path: undefined };
  const file = path.join(options.appRoot, '.cache', 'electron-native', options.electronVersion, 'better_sqlite3.node');
  if (fs.existsSync(file)) return { ok: true, path: file };
  return {
    ok: false,
    message:
      `The Electron build of better-sqlite3 is missing:\n${file}\n\n` +
      'Run "node scripts/electron-native.mjs" (npm start and npm run dev do this first), then start again.',
  };
}

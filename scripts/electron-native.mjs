// Before `npm start` / `npm run dev` / `npm run dist`: make an Electron-ABI build of better-sqlite3
// beside the Node build, never in place (tests and the Node host need the Node build).
// The main process loads it through better-sqlite3's `nativeBinding` option.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function electronBinary() {
  const pathFile = path.join(root, 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(root, 'node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

if (!electronBinary()) {
  console.error(
    'Electron binary not installed: use "npm run host" to open the console in a browser, ' +
      'or reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD to get the desktop app.',
  );
  process.exit(1);
}

const electronVersion = require('electron/package.json').version;
const target = path.join(root, '.cache/electron-native', electronVersion, 'better_sqlite3.node');
if (fs.existsSync(target)) process.exit(0);

const work = path.join(root, '.cache/electron-native', `build-${electronVersion}`);
fs.rmSync(work, { recursive: true, force: true });
fs.cpSync(path.dirname(require.resolve('better-sqlite3/package.json')), work, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
console.log(`building better-sqlite3 for Electron ${electronVersion} in ${work}`);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' });
try {
  // A prebuilt binary for this Electron if the registry mirror has one; else compile against Electron's headers.
  run('npx', ['--yes', 'prebuild-install', '--runtime', 'electron', '--target', electronVersion]);
} catch {
  run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(path.join(work, 'build/Release/better_sqlite3.node'), target);
fs.rmSync(work, { recursive: true, force: true });
console.log(`Electron build of better-sqlite3: ${path.relative(root, target)}`);

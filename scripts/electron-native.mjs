// Run before `npm start`, `npm run dev` and `npm run dist`.
//
// node_modules/better-sqlite3 is built for Node by `npm install`; the tests, the Node host and the
// benchmark need exactly that build, so it is never rebuilt in place. This script makes a second
// copy for Electron's ABI in .cache/electron-native/<electron version>/better_sqlite3.node, which
// electron/main passes to the core as better-sqlite3's `nativeBinding`:
//   1. no Electron binary (ELECTRON_SKIP_BINARY_DOWNLOAD) → say so, exit 1; nothing is downloaded;
//   2. cached build present and loadable by this Electron → done;
//   3. else copy better-sqlite3 to .cache/, try `prebuild-install --runtime electron`, fall back to
//      `node-gyp rebuild --runtime=electron` against Electron's headers, keep the .node, and check
//      that Electron (as Node, ELECTRON_RUN_AS_NODE) really loads it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(path.join(root, 'package.json'));

// A `npm run dist` that died between electron-builder's in-place rebuild and its afterPack hook
// leaves the Electron build in node_modules: put the Node build back first.
if (require('./scripts/electron-builder-hooks.cjs').restoreNodeBuild()) {
  console.log('restored the Node build of better-sqlite3 saved by an interrupted electron-builder run');
}

function electronBinary() {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const relative = fs.readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(root, 'node_modules', 'electron', 'dist');
  const binary = path.join(dist, relative);
  return relative && fs.existsSync(binary) ? binary : null;
}

const electron = electronBinary();
if (!electron) {
  console.error(
    'Electron binary not installed: use "npm run host" to open the console in a browser, ' +
      'or reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD',
  );
  process.exit(1);
}

const electronVersion = require('electron/package.json').version;
const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = JSON.parse(fs.readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;
const cacheDir = path.join(root, '.cache', 'electron-native', electronVersion);
const target = path.join(cacheDir, 'better_sqlite3.node');
const stampFile = path.join(cacheDir, 'build-info.json');
const stamp = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch };

// Settings that would point node-gyp / prebuild-install at Node instead of Electron (a user
// .npmrc with `nodedir`, for instance, reaches child processes as npm_config_nodedir).
const env = { ...process.env };
for (const key of Object.keys(env)) {
  if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|target_arch|build_from_source)$/i.test(key)) delete env[key];
}

/** Does this Electron load the cached build through better-sqlite3 (the ABI check)? */
function loadsInElectron() {
  const probe =
    `const Database = require(${JSON.stringify(sqliteDir)});` +
    `const db = new Database(':memory:', { nativeBinding: ${JSON.stringify(target)} });` +
    `db.prepare('select 1').get(); db.close();`;
  try {
    execFileSync(electron, ['-e', probe], { env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    return true;
  } catch (error) {
    const stderr = String(error.stderr ?? '').trim().split('\n').slice(0, 3).join('\n');
    console.warn(`cached Electron build of better-sqlite3 does not load:\n${stderr}`);
    return false;
  }
}

function stampMatches() {
  try {
    return JSON.stringify(JSON.parse(fs.readFileSync(stampFile, 'utf8'))) === JSON.stringify(stamp);
  } catch {
    return false;
  }
}

function nodeGypCommand() {
  const candidates = [];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not in node_modules
  }
  // npm sets npm_config_node_gyp to its bundled node-gyp when it runs a script.
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const found = candidates.find((file) => fs.existsSync(file));
  return found ? [process.execPath, [found]] : ['npx', ['--yes', 'node-gyp']];
}

function build() {
  const work = path.join(root, '.cache', 'electron-native', `build-${electronVersion}-${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  // The package without its Node build (build/), which must not be reused or touched.
  fs.cpSync(sqliteDir, work, { recursive: true, filter: (src) => path.relative(sqliteDir, src).split(path.sep)[0] !== 'build' });
  const run = (command, args) =>
    execFileSync(command, args, { cwd: work, env, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npx' });
  console.log(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch}) in ${path.relative(root, work)}`);
  try {
    try {
      // A published prebuilt binary for this Electron, when the network has one.
      run(process.execPath, [
        require.resolve('prebuild-install/bin.js'),
        '--runtime=electron',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        `--platform=${process.platform}`,
      ]);
    } catch {
      console.log('no prebuilt binary; compiling against Electron headers with node-gyp');
      const [command, prefix] = nodeGypCommand();
      run(command, [
        ...prefix,
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ]);
    }
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
    fs.writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (fs.existsSync(target) && stampMatches() && loadsInElectron()) process.exit(0);

try {
  build();
} catch (error) {
  console.error(`could not build better-sqlite3 for Electron ${electronVersion}: ${error.message}`);
  console.error('A C++ toolchain (node-gyp prerequisites) or network access to the prebuilt binaries is needed once.');
  process.exit(1);
}
if (!loadsInElectron()) {
  fs.rmSync(cacheDir, { recursive: true, force: true });
  console.error(`the Electron build of better-sqlite3 does not load in Electron ${electronVersion}; removed ${path.relative(root, cacheDir)}`);
  process.exit(1);
}
console.log(`Electron build of better-sqlite3 ready: ${path.relative(root, target)}`);

// electron-builder hooks (electron-builder.yml: beforeBuild, afterPack).
//
// With `npmRebuild: true`, electron-builder rebuilds native dependencies for Electron *in place*,
// in this checkout's node_modules, before it copies them into the package. better-sqlite3 in
// node_modules must stay the Node build (tests, Node host, bench), so:
//   beforeBuild  saves the Node build's .node files to .cache/node-native/
//   afterPack    puts them back once the rebuilt copy is inside the package, and sets the
//                Electron fuses (scripts/electron-fuses.cjs)
// If a `npm run dist` dies in between, scripts/electron-native.mjs (run first by npm start / dev /
// dist) restores the saved files; by hand: `npm rebuild better-sqlite3`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { flipPackagedFuses } = require('./electron-fuses.cjs');

const root = path.resolve(__dirname, '..');
const release = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release');
const saved = path.join(root, '.cache', 'node-native');

function nodeFiles(dir) {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.node')) : [];
}

/** Called by electron-builder before it rebuilds node_modules; true = go on and rebuild. */
exports.beforeBuild = async function beforeBuild() {
  // A backup left by an interrupted run is the Node build; never overwrite it with whatever is there now.
  if (nodeFiles(saved).length === 0) {
    fs.mkdirSync(saved, { recursive: true });
    for (const name of nodeFiles(release)) fs.copyFileSync(path.join(release, name), path.join(saved, name));
  }
  return true;
};

/**
 * Called after the app (with the Electron build of better-sqlite3) is in appOutDir, before signing:
 * puts the Node build back, then flips the packaged binary's fuses (scripts/electron-fuses.cjs).
 */
exports.afterPack = async function afterPack(context) {
  exports.restoreNodeBuild();
  await flipPackagedFuses(context);
};

exports.restoreNodeBuild = function restoreNodeBuild() {
  const files = nodeFiles(saved);
  if (files.length === 0) return false;
  fs.mkdirSync(release, { recursive: true });
  for (const name of files) fs.copyFileSync(path.join(saved, name), path.join(release, name));
  fs.rmSync(saved, { recursive: true, force: true });
  return true;
};

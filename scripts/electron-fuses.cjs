// Electron fuses of the packaged console, flipped by electron-builder's afterPack hook
// (scripts/electron-builder-hooks.cjs) — after the app is in place, before signing.
// tests/unit/electron-fuses.test.ts checks FUSES and flips a stand-in binary with the installed
// @electron/fuses. Only packaged builds are fused: `npm start` / `npm run dev` and the Electron smoke
// test run node_modules' Electron as it is (Playwright drives it through the inspector).
'use strict';
const path = require('node:path');

/**
 * Fuse name (as @electron/fuses' FuseV1Options names it) → on/off.
 * - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the console into a plain Node that runs any script.
 * - EnableNodeOptionsEnvironmentVariable, EnableNodeCliInspectArguments off: no NODE_OPTIONS
 *   (--require a file) and no --inspect debugger port into the main process.
 * - EnableCookieEncryption on: the session's cookies encrypted with the OS keychain's key.
 * - EnableEmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar on: the app is app.asar and nothing
 *   else, checked against the hash electron-builder embeds (macOS and Windows; Electron does not
 *   validate on Linux, where the fuse changes nothing).
 * - LoadBrowserProcessSpecificV8Snapshot off: we ship no browser-process snapshot.
 * - GrantFileProtocolExtraPrivileges stays on: the renderer is loaded from file:// (its module
 *   scripts and MapLibre's module worker need it). Serving it from a custom protocol is what would
 *   let this one go off.
 */
const FUSES = Object.freeze({
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: true,
});

/**
 * The packaged Electron binary electron-builder wrote: `<productFilename>.app` on macOS (the fuses
 * live in its framework; @electron/fuses finds them from the .app), `<productFilename>.exe` on
 * Windows, `<executableName>` on Linux (electron-builder.yml linux.executableName).
 */
function electronBinaryPath({ appOutDir, electronPlatformName, productFilename, executableName }) {
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, executableName || productFilename);
    default:
      throw new Error(`fuses: unknown platform ${electronPlatformName}`);
  }
}

/** FUSES in @electron/fuses' terms; a name the installed version does not know fails the build. */
function fuseConfig({ FuseVersion, FuseV1Options }, electronPlatformName) {
  const config = {
    version: FuseVersion.V1,
    // Flipping fuses breaks the ad-hoc signature of a macOS build; electron-builder signs after this.
    resetAdHocDarwinSignature: electronPlatformName === 'darwin' || electronPlatformName === 'mas',
  };
  for (const [name, on] of Object.entries(FUSES)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`fuses: @electron/fuses has no fuse named ${name}`);
    config[index] = on;
  }
  return config;
}

/** afterPack: flip the fuses of the binary electron-builder just packed. */
async function flipPackagedFuses(context) {
  const loaded = await import('@electron/fuses');
  // 1.x is CommonJS (its exports may arrive as `default`), 2.x an ES module.
  const fuses = { ...(loaded.default ?? {}), ...loaded };
  const binary = electronBinaryPath({
    appOutDir: context.appOutDir,
    electronPlatformName: context.electronPlatformName,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName,
  });
  await fuses.flipFuses(binary, fuseConfig(fuses, context.electronPlatformName));
  console.log(`  • fuses flipped in ${binary}: ${Object.entries(FUSES).map(([name, on]) => `${name}=${on ? 'on' : 'off'}`).join(' ')}`);
}

module.exports = { FUSES, electronBinaryPath, fuseConfig, flipPackagedFuses };

/**
 * The packaged console's Electron fuses (scripts/electron-fuses.cjs, flipped by electron-builder's
 * afterPack hook): the settings, where the binary is on each platform, and a real flip with the
 * installed @electron/fuses on a stand-in binary that carries Electron's fuse wire.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}
interface FusesModule {
  FUSES: Readonly<Record<string, boolean>>;
  electronBinaryPath(options: { appOutDir: string; electronPlatformName: string; productFilename: string; executableName?: string }): string;
  fuseConfig(fuses: { FuseVersion: Record<string, string>; FuseV1Options: Record<string, number | string> }, platform: string): Record<string, unknown>;
  flipPackagedFuses(context: AfterPackContext): Promise<void>;
}

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const fuses = require('../../scripts/electron-fuses.cjs') as FusesModule;
const hooks = require('../../scripts/electron-builder-hooks.cjs') as { afterPack: (context: AfterPackContext) => Promise<void> };

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

async function installedFuses() {
  const loaded = (await import('@electron/fuses')) as unknown as Record<string, unknown> & { default?: Record<string, unknown> };
  return { ...(loaded.default ?? {}), ...loaded } as unknown as { FuseVersion: Record<string, string>; FuseV1Options: Record<string, number | string> };
}

describe('the fuses of the packaged console', () => {
  it('turn off run-as-node, NODE_OPTIONS and --inspect; turn on cookie encryption, asar integrity and app.asar only', () => {
    expect(fuses.FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: true,
    });
    expect(Object.isFrozen(fuses.FUSES)).toBe(true);
  });

  it('name only fuses the installed @electron/fuses knows, each set explicitly', async () => {
    const installed = await installedFuses();
    const config = fuses.fuseConfig(installed, 'linux');
    for (const [name, on] of Object.entries(fuses.FUSES)) {
      expect(typeof installed.FuseV1Options[name], name).toBe('number');
      expect(config[String(installed.FuseV1Options[name])], name).toBe(on);
    }
    expect(config.version).toBe(installed.FuseVersion.V1);
    expect(config.resetAdHocDarwinSignature).toBe(false);
    expect(fuses.fuseConfig(installed, 'darwin').resetAdHocDarwinSignature).toBe(true);
    expect(() => fuses.fuseConfig({ ...installed, FuseV1Options: {} }, 'linux')).toThrow(/no fuse named RunAsNode/);
  });

  it('find the packed binary on every platform', () => {
    const base = { appOutDir: '/out/linux-unpacked', productFilename: '综治中心值班台', executableName: 'duty-room-console' };
    expect(fuses.electronBinaryPath({ ...base, electronPlatformName: 'linux' })).toBe(path.join('/out/linux-unpacked', 'duty-room-console'));
    expect(fuses.electronBinaryPath({ ...base, electronPlatformName: 'win32' })).toBe(path.join('/out/linux-unpacked', '综治中心值班台.exe'));
    expect(fuses.electronBinaryPath({ ...base, electronPlatformName: 'darwin' })).toBe(path.join('/out/linux-unpacked', '综治中心值班台.app'));
    expect(() => fuses.electronBinaryPath({ ...base, electronPlatformName: 'aix' })).toThrow();
  });

  it('are flipped by the afterPack hook electron-builder.yml names', async () => {
    const config = parseYaml(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { afterPack?: string; asar?: boolean; linux?: { executableName?: string } };
    expect(config.afterPack).toBe('./scripts/electron-builder-hooks.cjs');
    expect(config.asar).not.toBe(false); // OnlyLoadAppFromAsar needs app.asar

    // A stand-in for the packed Linux binary: Electron's fuse wire (version 1, nine fuses, as built).
    const appOutDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuses-'));
    temporary.push(appOutDir);
    const binary = path.join(appOutDir, config.linux?.executableName ?? 'duty-room-console');
    const wire = '101100011';
    fs.writeFileSync(binary, Buffer.concat([Buffer.from('ELF…'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.from('…')]));

    await hooks.afterPack({ appOutDir, electronPlatformName: 'linux', packager: { appInfo: { productFilename: '综治中心值班台' }, executableName: config.linux?.executableName } });

    const bytes = fs.readFileSync(binary);
    const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
    const flipped = bytes.subarray(at, at + wire.length).toString('latin1');
    const installed = await installedFuses();
    for (const [name, on] of Object.entries(fuses.FUSES)) expect(flipped[Number(installed.FuseV1Options[name])], name).toBe(on ? '1' : '0');
    // A fuse this config does not name (a newer Electron's ninth) keeps what the binary had.
    expect(flipped[8]).toBe(wire[8]);
  });
});

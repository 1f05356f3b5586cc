import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';

/** Where the Electron binary was downloaded (npm i without ELECTRON_SKIP_BINARY_DOWNLOAD), or null. */
function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown as string;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test('the Electron console opens a sandboxed window on the demo store', async () => {
  if (!binary) {
    console.log('skipped: Electron binary not installed');
    test.skip(true, 'Electron binary not installed');
    return;
  }
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-console-electron-'));
  const app = await electron.launch({ executablePath: binary, args: ['out/main/index.js', '--demo', `--user-data-dir=${userData}`] });
  try {
    const win = await app.firstWindow();
    await expect(win).toHaveTitle(/综治中心值班台/);
    const exposure = await win.evaluate(() => ({
      bridge: typeof (window as unknown as { dutyConsole?: unknown }).dutyConsole,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposure).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined' });
    await expect(win.getByTestId('incident-row').first()).toBeVisible();
    await win.screenshot({ path: 'tests/e2e/artifacts/electron-smoke.png' });
  } finally {
    await app.close();
  }
});

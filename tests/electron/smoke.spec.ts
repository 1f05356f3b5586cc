/**
 * Electron smoke test (Playwright project `electron`): the built app (`npm run build` → out/) opens a
 * sandboxed window on the demo store, the page sees only window.dutyConsole, and a command makes
 * the round trip through preload → IPC (sender check) → core.
 *
 * Where the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1) it reports itself
 * skipped; nothing is downloaded.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { CHOICE_FILE, choiceText } from '../../electron/main/secret-store';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOT = path.join(root, 'tests/e2e/artifacts/electron-smoke.png');

/** The downloaded Electron executable, or null (node_modules/electron/path.txt missing or stale). */
function electronBinary(): string | null {
  const pathFile = path.join(root, 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const relative = fs.readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(root, 'node_modules/electron/dist');
  const binary = path.join(dist, relative);
  return relative && fs.existsSync(binary) ? binary : null;
}

interface Bridge {
  invoke(name: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
}

test('the Electron console opens a sandboxed window on the demo store', async () => {
  const binary = electronBinary();
  if (!binary) {
    console.log('skipped: Electron binary not installed');
    test.skip(true, 'Electron binary not installed');
    return;
  }
  test.setTimeout(180_000);
  expect(fs.existsSync(path.join(root, 'out/main/index.js')), 'run `npm run build` first').toBe(true);
  // The Electron-ABI build of better-sqlite3 the main process loads (built once, then cached).
  execFileSync(process.execPath, [path.join(root, 'scripts/electron-native.mjs')], { cwd: root, stdio: 'inherit' });

  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-console-electron-'));
  // Without a keyring (CI's Linux) the console would ask how to keep passwords before its window
  // opens (electron/main/secret-store.ts): the test answers "key file" up front, as a user would.
  fs.writeFileSync(path.join(userData, CHOICE_FILE), choiceText('key-file', new Date()));
  // `root` runs package.json "main" (out/main/index.js) with the checkout as the app path.
  const app = await electron.launch({
    executablePath: binary,
    args: [root, '--demo', `--user-data-dir=${userData}`],
    cwd: root,
    env: { ...process.env, ELECTRON_RENDERER_URL: '' },
  });
  try {
    const win = await app.firstWindow();
    await win.waitForLoadState('domcontentloaded');

    const shell = await app.evaluate(({ BrowserWindow, app: electronApp }) => ({
      title: BrowserWindow.getAllWindows()[0]?.getTitle(),
      userData: electronApp.getPath('userData'),
    }));
    expect(shell.userData).toBe(userData);
    expect(shell.title).toContain('综治中心值班台');

    const exposure = await win.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = w.dutyConsole as Record<string, unknown> | undefined;
      return {
        bridge: typeof bridge,
        members: bridge ? Object.keys(bridge).sort() : [],
        invoke: typeof bridge?.invoke,
        subscribe: typeof bridge?.subscribe,
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
      };
    });
    expect(exposure).toEqual({
      bridge: 'object',
      members: ['invoke', 'subscribe'],
      invoke: 'function',
      subscribe: 'function',
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
    });

    const info = await win.evaluate(() =>
      (window as unknown as { dutyConsole: Bridge }).dutyConsole.invoke('system.info', {}),
    );
    expect(info.ok).toBe(true);
    expect(info.value).toMatchObject({ host: 'electron' });
    expect((info.value as { incidentCount: number }).incidentCount).toBeGreaterThan(0);

    await win.waitForTimeout(1_000); // let the first render settle for the screenshot
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await win.screenshot({ path: SCREENSHOT });
  } finally {
    await app.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
});

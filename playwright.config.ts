import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

import { CHROMIUM, CHROMIUM_ARGS } from './tests/chromium';

const port = Number(process.env.E2E_PORT ?? 5199);
// A fresh store per run; set once so Playwright's workers (which re-read this file) share it.
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'duty-console-e2e-'));

export default defineConfig({
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // 2 min: since every window logs in (argon2id, about 0.1 s a login on this machine, several per spec), the
  // longest spec (map: 60+ steps) ran to 60 s on a quiet 2-core machine; the 60 s limit had no headroom.
  timeout: 120_000,
  // 20 s: every page now logs in (argon2id) before the console loads, on a machine shared by many builds.
  expect: { timeout: 20_000 },
  outputDir: 'test-results/playwright',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1600, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'e2e', testDir: 'tests/e2e' },
    { name: 'electron', testDir: 'tests/electron' },
  ],
  webServer: {
    command: `npx tsx electron/host/index.ts --data-dir "${process.env.E2E_DATA_DIR}" --port ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});

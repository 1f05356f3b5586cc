/**
 * The console in Chromium for benchmarks that need the real renderer: the core and its WebSocket
 * server in this process (static out/renderer), Debian Chromium driven by Playwright, and a
 * requestAnimationFrame sampler for frame times while something moves on screen.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { openCore } from '../electron/core';
import { startWsServer } from '../electron/core/transport/ws-server';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/chromium';
import { authorizePage, sessionTokenFor } from '../tests/contract/login';

const RENDERER_DIR = fileURLToPath(new URL('../out/renderer/', import.meta.url));

export interface ConsoleInBrowser {
  page: Page;
  url: string;
  close(): Promise<void>;
}

/** Serves the store in `dataDir` and opens the console at `viewport` (the e2e tests' 1600×900 by default). */
export async function openConsoleInBrowser(
  dataDir: string,
  viewport = { width: 1600, height: 900 },
): Promise<ConsoleInBrowser> {
  if (!fs.existsSync(`${RENDERER_DIR}index.html`)) throw new Error('out/renderer is missing: run `npm run build` first');
  const core = openCore({ dataDir, host: 'node', operator: '值班员 基准测试', version: 'bench' });
  const server = await startWsServer(core, { port: 0, staticDir: RENDERER_DIR });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // bypassCSP: the samplers are page scripts, which the console's strict CSP (no eval) would refuse.
    const page = await browser.newPage({ viewport, bypassCSP: true });
    // Logged in as a person holding every role (the login screen is not what these benches measure).
    await authorizePage(page, await sessionTokenFor(core));
    return {
      page,
      url: server.url,
      close: async () => {
        await browser?.close();
        await server.close();
        core.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    core.close();
    throw error;
  }
}

// Page scripts are strings: this file is compiled without DOM types, and tsx's name-keeping
// helper (__name) does not exist in the page.
const START_SAMPLING = `(() => {
  window.__frames = [];
  window.__sampling = true;
  let last = 0;
  const tick = (t) => {
    if (!window.__sampling) return;
    window.__frames.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
})()`;
const STOP_SAMPLING = `(() => { window.__sampling = false; return window.__frames; })()`;

/**
 * Frame-to-frame times (ms) in the page while `action` runs: every requestAnimationFrame callback
 * records its delta, so a long task that blocks painting shows as one long frame.
 */
export async function sampleFrames(page: Page, action: () => Promise<void>): Promise<number[]> {
  await page.evaluate(START_SAMPLING);
  await action();
  return (await page.evaluate(STOP_SAMPLING)) as number[];
}

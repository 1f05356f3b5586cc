/**
 * "100k rows scroll smoothly": the real renderer in Debian Chromium against a store of 100,000
 * incidents (with histories, so every status shows), scrolled by the mouse wheel and by jumps
 * deep into the list. Figures: time to the first page of rows, frame times while scrolling
 * (requestAnimationFrame deltas, so a frame blocked by rendering or by JSON parsing counts), and
 * how long a jump to row 50,000 shows placeholders before its rows arrive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DATABASE_FILE } from '../electron/core/store/database';
import { openConsoleInBrowser, sampleFrames } from './browser';
import { seed } from './incidents';
import { bytes, duration, measurement, measurementTable, peakRss, type Measurement, type SuiteResult } from './stats';

/** 30 frames a second at worst while scrolling; a page of rows after a jump within 300 ms. */
const TARGET = { frameP95: 33.4, jumpP95: 300, firstRows: 1500 };

function incidentCount(): number {
  const raw = process.env.BENCH_SCROLL_INCIDENTS;
  const value = raw ? Number(raw.replace(/[_,]/g, '')) : 100_000;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`BENCH_SCROLL_INCIDENTS must be a positive integer, got "${raw}"`);
  return value;
}

export async function runListScrollBench(): Promise<SuiteResult> {
  const started = performance.now();
  const incidents = incidentCount();
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_TMP || os.tmpdir(), 'duty-console-scroll-'));
  const info: Record<string, unknown> = { incidents, targets: TARGET };
  try {
    console.log(`data dir: ${dir}`);
    const seeded = seed(path.join(dir, DATABASE_FILE), { incidents, eventsPerIncident: 3, batch: 5_000 });
    info.seed = { incidents: seeded.incidents, events: seeded.events, seconds: seeded.seconds };

    const browser = await openConsoleInBrowser(dir);
    const measurements: Measurement[] = [];
    try {
      const { page } = browser;
      const firstRows: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await page.goto(browser.url);
        await page.getByTestId('incident-row').first().waitFor();
        firstRows.push(performance.now() - t0);
      }
      measurements.push(measurement('first page of rows after opening the console', firstRows, { targetP95Ms: TARGET.firstRows }));

      const list = page.getByTestId('incident-list-scroll');
      const box = (await list.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const wheelFrames = await sampleFrames(page, async () => {
        // ~6 s of steady wheel scrolling, about 20 rows a tick: far past the first pages.
        for (let i = 0; i < 360; i++) {
          await page.mouse.wheel(0, 640);
          await page.waitForTimeout(16);
        }
      });
      measurements.push(measurement('frame time while wheel-scrolling', wheelFrames, { targetP95Ms: TARGET.frameP95 }));
      info.scrolledToPx = await page.evaluate(`document.querySelector('[data-testid="incident-list-scroll"]').scrollTop`);

      const jumps: number[] = [];
      const jumpFrames = await sampleFrames(page, async () => {
        for (let i = 0; i < 20; i++) {
          const row = Math.floor(((i % 2 ? 0.25 : 0.5) + i / 100) * incidents);
          const t0 = performance.now();
          // Row height from the page, then wait (per animation frame) until that row's data shows.
          await page.evaluate(
            `(() => { const el = document.querySelector('[data-testid="incident-list-scroll"]');
               const slot = el.querySelector('.list-slot'); el.scrollTop = ${row} * (slot ? slot.offsetHeight : 32); })()`,
          );
          await page.waitForFunction(
            `(() => { const slot = document.querySelector('[aria-rowindex="${row + 1}"]');
               return slot !== null && slot.querySelector('[data-testid="incident-row"]') !== null; })()`,
            undefined,
            { polling: 'raf' },
          );
          jumps.push(performance.now() - t0);
        }
      });
      measurements.push(measurement('jump deep into the list: rows shown', jumps, { targetP95Ms: TARGET.jumpP95 }));
      measurements.push(measurement('frame time during jumps', jumpFrames));
      info.heapBytes = await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : null');
    } finally {
      await browser.close();
    }
    const durationMs = performance.now() - started;
    console.log(`\n${measurementTable(measurements)}\n`);
    console.log(`page JS heap: ${info.heapBytes ? bytes(info.heapBytes as number) : 'n/a'}, peak RSS (bench process): ${bytes(peakRss())}, suite time: ${duration(durationMs)}`);
    return { suite: 'list-scroll', ok: measurements.every((m) => m.pass !== false), durationMs, measurements, info };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

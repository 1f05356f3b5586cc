/**
 * The island map at scale.
 *
 * map-regrid: N incidents with locations on and around Guishan (raw rows: the re-grid reads only
 *   the incidents table), then a grid import (the demo grids) that re-grids every one of them, and a
 *   second import that moves them all to other grids. Target: < 30 s at 1,000,000.
 * map-render: N incidents in a real store behind the Node host serving the built renderer
 *   (`npm run build` first), opened in Debian's Chromium (WebGL through SwiftShader when headless):
 *   time from opening the map view to the first complete render of every point, then frame times
 *   (requestAnimationFrame deltas) while panning and zooming. Targets: first render < 1.5 s,
 *   frames p95 < 33 ms.
 *
 * Environment:
 *   BENCH_REGRID_INCIDENTS  incidents for map-regrid (default 1,000,000)
 *   BENCH_MAP_INCIDENTS     incidents for map-render (default 100,000)
 *   BENCH_TMP               parent of the temporary data dirs (default os.tmpdir())
 *   CHROMIUM_PATH           browser for map-render (default /usr/bin/chromium)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { INCIDENT_STATUSES } from '@shared';
import { openCore } from '../electron/core';
import { DATABASE_FILE, openDatabase, type Db } from '../electron/core/store/database';
import { GridStore } from '../electron/core/map/grid-store';
import { guishanDemoGrids } from '../electron/core/map/demo-grids';
import type { ImportedGrid } from '../electron/core/map/grid-import';
import { startWsServer } from '../electron/core/transport/ws-server';
import { random } from './incident-data';
import { count, duration, measurement, measurementTable, type Measurement, type SuiteResult } from './stats';

const HOUR = 3_600_000;
const TARGET = { regridMs: 30_000, firstRenderMs: 1_500, frameMs: 33 } as const;
const RENDERER_DIR = fileURLToPath(new URL('../out/renderer/', import.meta.url));

const envInt = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
};

const tempDir = (label: string) => fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), `duty-bench-${label}-`));

/**
 * Rows straight into the incidents table, in one transaction: locations scattered over the box
 * around Guishan Island (most on land, some at sea, as boats are), statuses and deadlines mixed.
 */
function seedLocatedIncidents(db: Db, n: number, now: number): void {
  const rnd = random(20260601);
  const insert = db.prepare(
    `INSERT INTO incidents (id, code, category, title, lon, lat, source, priority, occurred_at, recorded_at, deadline, status, closed_at, updated_at, version)
     VALUES (?, ?, 'other', 'bench', ?, ?, 'grid_report', ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const occurred = now - Math.floor(rnd() * 180 * 24 * HOUR);
      const status = INCIDENT_STATUSES[Math.floor(rnd() * INCIDENT_STATUSES.length)]!;
      insert.run(
        randomUUID(),
        `BM-${i}`,
        113.806 + rnd() * 0.03,
        22.118 + rnd() * 0.042,
        1 + Math.floor(rnd() * 4),
        occurred,
        occurred,
        occurred + (12 + Math.floor(rnd() * 72)) * HOUR,
        status,
        status === 'closed' ? occurred + 24 * HOUR : null,
        occurred,
      );
    }
  }).immediate();
}

/** The demo grids shifted west by `dLon`: every incident changes grid on re-import. */
const shifted = (grids: ImportedGrid[], dLon: number): ImportedGrid[] =>
  grids.map((g) => ({ ...g, code: `${g.code}-B`, polygons: g.polygons.map((p) => p.map((r) => r.map(([x, y]) => [x + dLon, y] as [number, number]))) }));

export async function runRegridBench(): Promise<SuiteResult> {
  const started = performance.now();
  const n = envInt('BENCH_REGRID_INCIDENTS', 1_000_000);
  const dir = tempDir('regrid');
  const db = openDatabase(path.join(dir, DATABASE_FILE));
  try {
    const now = Date.now();
    let t = performance.now();
    seedLocatedIncidents(db, n, now);
    const seedMs = performance.now() - t;
    console.log(`seeded ${count(n)} located incidents in ${duration(seedMs)}`);
    const grids = new GridStore(db);
    const demo = guishanDemoGrids();

    t = performance.now();
    const first = grids.replaceAll(demo, { demo: true, at: now });
    const firstMs = performance.now() - t;
    t = performance.now();
    const second = grids.replaceAll(shifted(demo, -0.0015), { demo: true, at: now });
    const secondMs = performance.now() - t;
    const loadT = performance.now();
    grids.loads(now);
    const loadsMs = performance.now() - loadT;

    const measurements: Measurement[] = [
      measurement(`grid import + re-grid of ${count(n)} incidents (from none)`, [firstMs], { targetP95Ms: TARGET.regridMs, note: `${count(first.regridded)} changed` }),
      measurement(`grid import + re-grid of ${count(n)} incidents (new grid set)`, [secondMs], { targetP95Ms: TARGET.regridMs, note: `${count(second.regridded)} changed` }),
      measurement(`choropleth counts (${demo.length} grids)`, [loadsMs]),
    ];
    console.log(measurementTable(measurements));
    return {
      suite: 'map-regrid',
      ok: measurements.every((m) => m.pass !== false),
      durationMs: performance.now() - started,
      measurements,
      info: { incidents: n, grids: demo.length, seedMs, regridded: [first.regridded, second.regridded] },
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface FrameReport {
  firstRenderMs: number;
  frames: number[];
  points: number;
}

/** Runs in the page: opens the map view, waits for the first complete render, then pans and zooms. */
const measureInPage = (expected: number) => `(async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const t0 = performance.now();
  document.querySelector('[data-testid="nav-map"]').click();
  // First render: the map exists, has every point in its clustered source, and is idle.
  for (;;) {
    const map = window.__dutyConsoleMap;
    const text = document.querySelector('[data-testid="map-point-count"]')?.textContent ?? '';
    if (map && map.loaded() && map.areTilesLoaded() && !map.isMoving() && text.includes('${expected}')) break;
    await sleep(5);
  }
  const firstRenderMs = performance.now() - t0;
  const map = window.__dutyConsoleMap;
  const frames = [];
  let last = 0;
  let running = true;
  const tick = (t) => {
    if (last) frames.push(t - last);
    last = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const moves = [
    () => map.panBy([300, 0], { duration: 800 }),
    () => map.panBy([-300, 200], { duration: 800 }),
    () => map.zoomTo(map.getZoom() + 2, { duration: 800 }),
    () => map.panBy([200, -200], { duration: 800 }),
    () => map.zoomTo(map.getZoom() - 3, { duration: 800 }),
    () => map.panBy([-200, 0], { duration: 800 }),
    () => map.zoomTo(map.getZoom() + 1, { duration: 800 }),
  ];
  for (const move of moves) {
    await new Promise((resolve) => {
      map.once('moveend', () => resolve());
      move();
    });
  }
  running = false;
  return { firstRenderMs, frames, points: ${expected} };
})()`;

export async function runRenderBench(): Promise<SuiteResult> {
  const started = performance.now();
  const n = envInt('BENCH_MAP_INCIDENTS', 100_000);
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('map-render needs the built renderer: run "npm run build" first');
  const { chromium } = await import('@playwright/test');
  const dir = tempDir('render');
  const now = Date.now();
  {
    const db = openDatabase(path.join(dir, DATABASE_FILE));
    seedLocatedIncidents(db, n, now);
    new GridStore(db).replaceAll(guishanDemoGrids(), { demo: true, at: now });
    db.close();
  }
  const core = openCore({ dataDir: dir, host: 'node', operator: 'bench', version: 'bench' });
  const server = await startWsServer(core, { port: 0, staticDir: RENDERER_DIR });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--ignore-gpu-blocklist'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
    await page.goto(server.url);
    await page.getByTestId('nav-map').waitFor();
    // A string, not a function: tsx would wrap a function's inner helpers in its own `__name`, which the page lacks.
    const report = (await page.evaluate(measureInPage(n))) as FrameReport;
    const measurements: Measurement[] = [
      measurement(`first render of ${count(n)} incidents (open view → idle)`, [report.firstRenderMs], { targetP95Ms: TARGET.firstRenderMs }),
      measurement('frame time while panning and zooming (rAF deltas)', report.frames, { targetP95Ms: TARGET.frameMs }),
    ];
    console.log(measurementTable(measurements));
    return {
      suite: 'map-render',
      ok: measurements.every((m) => m.pass !== false),
      durationMs: performance.now() - started,
      measurements,
      info: { incidents: n, frames: report.frames.length, browser: browser.version(), renderer: 'Chromium headless (SwiftShader WebGL unless a GPU is present)' },
    };
  } finally {
    await browser.close();
    await server.close();
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The island map at scale.
 *
 * map-regrid: N incidents with locations on and around Guishan (raw rows: the re-grid reads only
 *   the incidents table), then a grid import (the demo grids) that re-grids every one of them, and a
 *   second import that moves them all to other grids. Target: < 30 s at 1,000,000.
 * map-render: N incidents in a real store behind the Node host serving the built renderer
 *   (`npm run build` first), opened in Debian's Chromium (WebGL through SwiftShader when headless):
 *   time from opening the map view until every incident is counted, drawn and the map is idle
 *   (BENCH_MAP_RUNS fresh pages, a new incident before each, so neither page nor core has the work
 *   done), then frame times (requestAnimationFrame deltas) over two rounds of pans and zooms. For
 *   the reader: MapLibre's main-thread time per frame, and the floor — an empty style on a canvas of
 *   the same size making the same moves, at full and at half resolution — since software WebGL
 *   (SwiftShader) costs time for every pixel whatever is drawn. Targets: first render < 1.5 s,
 *   frames p95 < 33 ms.
 *
 * Environment:
 *   BENCH_REGRID_INCIDENTS  incidents for map-regrid (default 1,000,000)
 *   BENCH_MAP_INCIDENTS     incidents for map-render (default 100,000)
 *   BENCH_MAP_RUNS          first-render runs (default 3)
 *   BENCH_TMP               parent of the temporary data dirs (default os.tmpdir())
 *   CHROMIUM_PATH           browser for map-render (default /usr/bin/chromium)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { INCIDENT_STATUSES, MAP_CLUSTER } from '@shared';
import { openCore } from '../electron/core';
import { DATABASE_FILE, openDatabase, type Db } from '../electron/core/store/database';
import { GridStore } from '../electron/core/map/grid-store';
import { guishanDemoGrids } from '../electron/core/map/demo-grids';
import type { ImportedGrid } from '../electron/core/map/grid-import';
import { startWsServer } from '../electron/core/transport/ws-server';
import { random } from './incident-data';
import { count, duration, figure, measurement, measurementTable, type Measurement, type SuiteResult } from './stats';
import { authorizePage, sessionTokenFor } from '../tests/contract/login';

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
export function seedLocatedIncidents(db: Db, n: number, now: number): void {
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

/** Moves the frame measurement makes, from the same start each round (the island fitted to the view). */
const MOVES_JS = `[
  (map) => map.panBy([300, 0], { duration: 800 }),
  (map) => map.panBy([-300, 200], { duration: 800 }),
  (map) => map.zoomTo(map.getZoom() + 2, { duration: 800 }),
  (map) => map.panBy([200, -200], { duration: 800 }),
  (map) => map.zoomTo(map.getZoom() - 3, { duration: 800 }),
  (map) => map.panBy([-200, 0], { duration: 800 }),
  (map) => map.zoomTo(map.getZoom() + 1, { duration: 800 }),
]`;

/**
 * Page-side helpers, as a string: tsx would wrap a function's inner helpers in its own `__name`,
 * which the page lacks. `__bench.moves(map, rounds)` runs the moves and returns every rAF delta
 * (what the operator sees), MapLibre's own main-thread time per drawn frame, and how many frames
 * were drawn below the device's pixel ratio.
 */
const PAGE_HELPERS = `window.__bench = {
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  idle: (map) => map.loaded() && map.areTilesLoaded() && !map.isMoving(),
  async moves(map, rounds) {
    const start = { center: map.getCenter(), zoom: map.getZoom(), bearing: 0, pitch: 0 };
    const frames = [], cpu = [];
    let reduced = 0, last = 0, running = true;
    const tick = (t) => {
      if (last) {
        frames.push(t - last);
        if (map.getPixelRatio() < devicePixelRatio) reduced++;
      }
      last = t;
      if (running) requestAnimationFrame(tick);
    };
    const render = map._render.bind(map);
    map._render = (p) => { const s = performance.now(); const r = render(p); cpu.push(performance.now() - s); return r; };
    for (let round = 0; round < rounds; round++) {
      map.jumpTo(start);
      while (!window.__bench.idle(map)) await window.__bench.sleep(20);
      await window.__bench.sleep(300);
      last = 0;
      running = true;
      requestAnimationFrame(tick);
      for (const move of ${MOVES_JS}) {
        await new Promise((resolve) => { map.once('moveend', () => resolve()); move(map); });
      }
      running = false;
    }
    map._render = render;
    map.jumpTo(start);
    return { frames, cpu, reduced };
  },
  /** The floor: a map with nothing but a background, on a canvas of the same size, making the same moves. */
  async floor(pixelRatio, rounds) {
    const map = window.__dutyConsoleMap;
    const box = map.getContainer().getBoundingClientRect();
    const div = document.createElement('div');
    div.style.cssText = 'position:fixed;z-index:10000;left:' + box.left + 'px;top:' + box.top + 'px;width:' + box.width + 'px;height:' + box.height + 'px';
    document.body.appendChild(div);
    map.getContainer().style.visibility = 'hidden';
    const Map = map.constructor;
    const empty = new Map({
      container: div,
      style: { version: 8, sources: {}, layers: [{ id: 'sea', type: 'background', paint: { 'background-color': '#0b1620' } }] },
      center: map.getCenter(), zoom: map.getZoom(), attributionControl: false, fadeDuration: 0,
      ...(pixelRatio ? { pixelRatio: devicePixelRatio * pixelRatio } : {}),
    });
    await new Promise((r) => empty.once('load', r));
    const result = await window.__bench.moves(empty, rounds);
    const canvas = { width: empty.getCanvas().width, height: empty.getCanvas().height };
    empty.remove();
    div.remove();
    map.getContainer().style.visibility = '';
    return { ...result, canvas };
  },
  /**
   * The peer: the same points through MapLibre's own GeoJSON clustering (cluster: true, in its
   * worker), with the app's own style (basemap, grids, the same incident layers, radius and max
   * zoom), on a canvas of the same size. Timed from the points in the page (as a map.incidents
   * reply) to clusters drawn and the map idle; then the same moves.
   */
  async peer(points, rounds) {
    const map = window.__dutyConsoleMap;
    const box = map.getContainer().getBoundingClientRect();
    const div = document.createElement('div');
    div.style.cssText = 'position:fixed;z-index:10000;left:' + box.left + 'px;top:' + box.top + 'px;width:' + box.width + 'px;height:' + box.height + 'px';
    document.body.appendChild(div);
    map.getContainer().style.visibility = 'hidden';
    const Map = map.constructor;
    const t0 = performance.now();
    const features = new Array(points.lon.length);
    for (let i = 0; i < features.length; i++) {
      features[i] = { type: 'Feature', geometry: { type: 'Point', coordinates: [points.lon[i], points.lat[i]] }, properties: { s: points.status[i], p: points.priority[i], o: points.overdue[i] } };
    }
    const style = map.getStyle();
    style.sources.incidents = {
      type: 'geojson', data: { type: 'FeatureCollection', features }, cluster: true,
      clusterRadius: ${MAP_CLUSTER.radius}, clusterMaxZoom: ${MAP_CLUSTER.maxZoom},
      clusterProperties: { overdue: ['+', ['get', 'o']] },
    };
    const peer = new Map({ container: div, style, center: map.getCenter(), zoom: map.getZoom(), attributionControl: false, fadeDuration: 0 });
    for (;;) {
      if (window.__bench.idle(peer) && peer.isStyleLoaded() && peer.queryRenderedFeatures({ layers: ['incident-clusters', 'incident-points'] }).length > 0) break;
      await window.__bench.sleep(5);
    }
    const firstRender = performance.now() - t0;
    const result = await window.__bench.moves(peer, rounds);
    peer.remove();
    div.remove();
    map.getContainer().style.visibility = '';
    return { ...result, firstRender };
  },
}`;

/** Opens the map view; resolves when every filtered incident is counted and the map has drawn them and is idle. */
const firstRenderInPage = (expected: number) => `(async () => {
  const t0 = performance.now();
  document.querySelector('[data-testid="nav-map"]').click();
  for (;;) {
    const map = window.__dutyConsoleMap;
    const text = document.querySelector('[data-testid="map-point-count"]')?.textContent ?? '';
    if (map && text.includes('${expected}') && window.__bench.idle(map)
      && map.queryRenderedFeatures({ layers: ['incident-clusters', 'incident-points'] }).length > 0) break;
    await window.__bench.sleep(5);
  }
  return performance.now() - t0;
})()`;

interface MovesReport {
  frames: number[];
  cpu: number[];
  reduced: number;
}

const RUNS = envInt('BENCH_MAP_RUNS', 3);

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
  const loadBefore = os.loadavg();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await authorizePage(page, await sessionTokenFor(core));
    // First render, several times: a fresh page each time, and a new incident before each run after
    // the first, so no run finds the previous one's work done (in the page or in core).
    const firstRenders: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) {
        const created = await core.dispatch('incidents.create', {
          draft: { category: 'other', title: `bench run ${run}`, location: { lon: 113.82, lat: 22.13 }, source: 'grid_report', priority: 2, occurredAt: Date.now() - HOUR },
        });
        if (!created.ok) throw new Error(`could not create an incident: ${created.error.message}`);
      }
      await page.goto(server.url);
      await page.getByTestId('nav-map').waitFor();
      await page.evaluate(PAGE_HELPERS);
      firstRenders.push((await page.evaluate(firstRenderInPage(n + run))) as number);
    }
    const view = (await page.evaluate(`(() => {
      const map = window.__dutyConsoleMap;
      const gl = map.painter.context.gl;
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      return {
        canvas: { width: map.getCanvas().width, height: map.getCanvas().height, cssWidth: map.getContainer().clientWidth, cssHeight: map.getContainer().clientHeight },
        devicePixelRatio,
        webgl: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
        contextAttributes: gl.getContextAttributes(),
        layers: map.getStyle().layers.filter((l) => (l.layout?.visibility ?? 'visible') !== 'none').map((l) => l.id),
        renderedIncidentFeatures: map.queryRenderedFeatures({ layers: ['incident-clusters', 'incident-points'] }).length,
        incidentSource: map.getSource('incidents').serialize(),
      };
    })()`)) as Record<string, unknown> & { incidentSource: Record<string, unknown> };
    // What the source holds, not the data itself (old builds hold every point there).
    const { data: _data, ...incidentSource } = view.incidentSource;
    view.incidentSource = incidentSource;
    const map = (await page.evaluate('window.__bench.moves(window.__dutyConsoleMap, 2)')) as MovesReport;
    const floor = (await page.evaluate('window.__bench.floor(0, 2)')) as MovesReport & { canvas: object };
    const floorHalf = (await page.evaluate('window.__bench.floor(0.5, 1)')) as MovesReport & { canvas: object };
    // The peer, RUNS times on fresh pages (its first render), moves measured on the last.
    const points = await core.dispatch('map.incidents', {});
    if (!points.ok) throw new Error(`map.incidents failed: ${points.error.message}`);
    const peerRenders: number[] = [];
    let peer: (MovesReport & { firstRender: number }) | null = null;
    for (let run = 0; run < RUNS; run++) {
      await page.goto(server.url);
      await page.evaluate(PAGE_HELPERS);
      await page.evaluate(firstRenderInPage(n + RUNS - 1));
      const last = run === RUNS - 1;
      const result = (await page.evaluate(([p, rounds]) => (globalThis as unknown as { __bench: { peer(p: unknown, r: number): Promise<unknown> } }).__bench.peer(p, rounds), [points.value, last ? 2 : 0] as const)) as MovesReport & { firstRender: number };
      peerRenders.push(result.firstRender);
      if (last) peer = result;
    }
    const loadAfter = os.loadavg();

    const measurements: Measurement[] = [
      measurement(`first render of ${count(n)} incidents (open view → drawn and idle), ${RUNS} runs`, firstRenders, { targetP95Ms: TARGET.firstRenderMs }),
      measurement('frame time while panning and zooming (rAF deltas)', map.frames, {
        targetP95Ms: TARGET.frameMs,
        note: `${map.reduced} of ${map.frames.length} frames drawn at a lower resolution while moving`,
      }),
      measurement('  MapLibre main-thread time per drawn frame', map.cpu),
      measurement('  floor: empty style, same canvas, same moves (rAF deltas)', floor.frames, { note: 'background layer only: what this browser/renderer costs per frame at this canvas size' }),
      measurement('  floor at half resolution (rAF deltas)', floorHalf.frames, { note: 'the same, at half the pixel ratio (what the map draws at while moving on a slow renderer)' }),
      measurement(`  peer: MapLibre cluster: true, first render of ${count(n)} (points in the page → drawn and idle), ${RUNS} runs`, peerRenders, {
        note: 'the same style and layers; its points arrive already in the page (the transfer is not timed)',
      }),
      measurement('  peer: frame time while panning and zooming (rAF deltas)', peer!.frames),
    ];
    const median = (xs: readonly number[]) => measurement('', xs).stats.p50;
    const figures = [
      figure('first render: ours / peer (MapLibre clustering), p50', median(firstRenders) / median(peerRenders), '×', { max: 1 }),
      figure('frames while moving: ours / floor (empty style), p95', measurement('', map.frames).stats.p95 / measurement('', floor.frames).stats.p95, '×', { max: 1 }),
      figure('frames while moving: ours / peer (MapLibre clustering), p95', measurement('', map.frames).stats.p95 / measurement('', peer!.frames).stats.p95, '×', { max: 1 }),
    ];
    console.log(measurementTable(measurements));
    console.log(`canvas ${JSON.stringify(view.canvas)} at devicePixelRatio ${view.devicePixelRatio}; WebGL: ${view.webgl as string}`);
    console.log(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
    return {
      suite: 'map-render',
      ok: measurements.every((m) => m.pass !== false) && figures.every((f) => f.pass !== false),
      durationMs: performance.now() - started,
      measurements,
      figures,
      info: {
        peerFirstRendersMs: peerRenders,
        incidents: n,
        firstRendersMs: firstRenders,
        frames: map.frames.length,
        reducedFrames: map.reduced,
        ...view,
        floorCanvas: floor.canvas,
        floorHalfCanvas: floorHalf.canvas,
        loadAverage: { before: loadBefore, after: loadAfter },
        browser: browser.version(),
        renderer: 'Chromium headless (SwiftShader WebGL unless a GPU is present)',
      },
    };
  } finally {
    await browser.close();
    await server.close();
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

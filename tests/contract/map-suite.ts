/**
 * The map's part of the contract (grids, point → grid, map points, exports), run over every
 * transport like suite.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wgs84ToGcj02, type ConsoleClient, type Cosign, type IncidentDraft, type Position } from '@shared';
import { TEST_SESSION_HOURS, cosignBy } from './login';
import { openCore, type Core } from '../../electron/core';
import { DRAFT, NOW, expectContractError, nextEvent, rawInvoke, type TransportFactory, type TransportHarness } from './suite';
import { guishanTiles, solidPng, writeMbtiles, writePmtiles } from '../fixtures/basemap-files';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const square = (x0: number, y0: number, size: number): Position[] => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];
/** Two grids side by side over the wharf: W (west of 113.82) and E. */
const GRIDS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'W', name: '西网格', community: '桂山村', workers: ['何少华'] }, geometry: { type: 'Polygon', coordinates: [square(113.8, 22.12, 0.02)] } },
    { type: 'Feature', properties: { code: 'E', name: '东网格', community: '桂山社区', workers: ['周敏'] }, geometry: { type: 'Polygon', coordinates: [square(113.82, 22.12, 0.02)] } },
  ],
};

export function mapContractSuite(label: string, factory: TransportFactory): void {
  // The first grid import of a test file starts the job worker (seconds under tsx on a loaded machine).
  describe(`the map contract over ${label}`, { timeout: 60_000 }, () => {
    let dir: string;
    let clock: number;
    let core: Core;
    let harness: TransportHarness;
    let client: ConsoleClient;
    /** Editing a recorded case and closing are co-signed (四眼原则): the shift leader's credentials. */
    let cosign: Cosign;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-map-contract-'));
      clock = NOW;
      core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test', sessionHours: TEST_SESSION_HOURS, now: () => clock });
      harness = await factory(core);
      client = (await harness.open()).client;
      cosign = await cosignBy(core);
    });

    afterEach(async () => {
      await harness.close();
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const create = (draft: Partial<IncidentDraft> = {}) => client.invoke('incidents.create', { draft: { ...DRAFT, ...draft } });
    const importGrids = (doc: unknown = GRIDS, crs: 'wgs84' | 'gcj02' | 'bd09' = 'wgs84') =>
      client.invoke('grids.import', { geojson: JSON.stringify(doc), crs });

    it('imports grids, re-grids incidents, and tells every window', async () => {
      const before = await create({ location: { lon: 113.825, lat: 22.13 } });
      expect(before.gridId).toBeNull();
      const changed = nextEvent(client, 'grids.changed', 60_000);
      expect(await importGrids()).toEqual({ imported: 2, regridded: 1 });
      expect(await changed).toEqual({ reason: 'import', count: 2 });
      expect((await client.invoke('incidents.get', { id: before.id })).incident.gridId).toBe('E');
      const { grids } = await client.invoke('grids.list', {});
      expect(grids.map((g) => [g.code, g.name, g.community, g.workers, g.demo])).toEqual([
        ['W', '西网格', '桂山村', ['何少华'], false],
        ['E', '东网格', '桂山社区', ['周敏'], false],
      ]);
    });

    it('runs a grid import as a job: progress events from start to done, then nothing running', async () => {
      const seen: { state: string; phase: string; kind: string }[] = [];
      const off = client.subscribe('job.progress', (job) => seen.push({ state: job.state, phase: job.phase, kind: job.kind }));
      await importGrids();
      await new Promise((resolve) => setTimeout(resolve, 50));
      off();
      expect(seen[0]).toMatchObject({ state: 'running', kind: 'grids.import' });
      expect(seen.at(-1)).toMatchObject({ state: 'done', kind: 'grids.import' });
      expect(await client.invoke('jobs.list', {})).toEqual({ jobs: [] });
      expect(await client.invoke('jobs.cancel', { id: 'no-such-job' })).toEqual({ cancelled: false });
    });

    it('cancelling a grid import leaves the grids and every incident as they were', async () => {
      await importGrids();
      const inside = await create({ location: { lon: 113.81, lat: 22.13 } });
      expect(inside.gridId).toBe('W');
      const before = await client.invoke('grids.list', {});
      // The new set: 40 round grids of 2,000 positions (enough work that the cancel, one round trip
      // away, arrives before the commit); cancelled as soon as the job starts.
      const circle = (cx: number, cy: number, r: number, n: number): Position[] => {
        const ring: Position[] = Array.from({ length: n }, (_v, i) => [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)]);
        return [...ring, ring[0]!];
      };
      const other = {
        type: 'FeatureCollection',
        features: Array.from({ length: 40 }, (_v, i) => ({
          type: 'Feature',
          properties: { code: `R${i}`, name: `圆${i}` },
          geometry: { type: 'Polygon', coordinates: [circle(113.79 + (i % 8) * 0.01, 22.11 + Math.floor(i / 8) * 0.01, 0.004, 2000)] },
        })),
      };
      const states: string[] = [];
      const off = client.subscribe('job.progress', (job) => {
        states.push(job.state);
        if (job.state === 'running' && job.cancellable && states.length === 1) void client.invoke('jobs.cancel', { id: job.id });
      });
      const error = await expectContractError(importGrids(other), 'refused');
      off();
      expect(error.reason).toBe('job.cancelled');
      expect(states.at(-1)).toBe('cancelled');
      expect(await client.invoke('grids.list', {})).toEqual(before);
      expect((await client.invoke('incidents.get', { id: inside.id })).incident.gridId).toBe('W');
    });

    it('computes the grid of every new or moved incident from its location, whatever the client sent', async () => {
      await importGrids();
      const created = await create({ location: { lon: 113.81, lat: 22.13 }, gridId: 'E' });
      expect(created.gridId).toBe('W');
      expect(await client.invoke('grids.locate', { location: { lon: 113.83, lat: 22.13 } })).toEqual({ grid: { id: 'E', code: 'E', name: '东网格' } });
      expect(await client.invoke('grids.locate', { location: { lon: 113.9, lat: 22.13 } })).toEqual({ grid: null });
      const moved = await client.invoke('incidents.update', { id: created.id, expectedVersion: 1, patch: { location: { lon: 113.83, lat: 22.13 } }, cosign });
      expect(moved.gridId).toBe('E');
      const offshore = await create({ location: { lon: 113.9, lat: 22.13 } });
      expect(offshore.gridId).toBeNull();
      // Without a location an operator picks the grid; it must exist.
      expect((await create({ location: null, gridId: 'W' })).gridId).toBe('W');
      const error = await expectContractError(create({ location: null, gridId: 'NOPE' }), 'validation');
      expect(error.issues).toEqual([{ path: 'draft.gridId', message: 'unknown grid', reason: 'map.unknown_grid', params: { code: 'NOPE' } }]);
    });

    it('imports a GCJ-02 file into WGS84', async () => {
      const shifted = {
        ...GRIDS,
        features: GRIDS.features.map((f) => ({ ...f, geometry: { type: 'Polygon', coordinates: [f.geometry.coordinates[0]!.map((p) => wgs84ToGcj02(p))] } })),
      };
      await importGrids(shifted, 'gcj02');
      const { grids } = await client.invoke('grids.list', {});
      expect(grids[0]!.polygons[0]![0]![0]![0]).toBeCloseTo(113.8, 7);
      expect(grids[0]!.polygons[0]![0]![0]![1]).toBeCloseTo(22.12, 7);
    });

    it('refuses a bad file with the feature and the problem, changing nothing', async () => {
      await importGrids();
      const incident = await create({ location: { lon: 113.825, lat: 22.13 } });
      const bad = { ...GRIDS, features: [GRIDS.features[0], { ...GRIDS.features[1], geometry: { type: 'Point', coordinates: [113.8, 22.1] } }] };
      const error = await expectContractError(importGrids(bad), 'validation');
      expect(error.message).toContain('feature 1 (E): geometry is Point; only Polygon and MultiPolygon');
      expect(error.issues[0]!.path).toBe('geojson.features.1.geometry.type');
      await expectContractError(client.invoke('grids.import', { geojson: 'not json', crs: 'wgs84' }), 'validation');
      await expectContractError(importGrids({ ...GRIDS, features: [GRIDS.features[0], GRIDS.features[0]] }), 'validation');
      expect((await client.invoke('grids.list', {})).grids.map((g) => g.code)).toEqual(['W', 'E']);
      expect((await client.invoke('incidents.get', { id: incident.id })).incident.gridId).toBe('E');
    });

    it('answers the grid card and the choropleth loads', async () => {
      await importGrids();
      const a = await create({ location: { lon: 113.825, lat: 22.13 } });
      await create({ location: { lon: 113.825, lat: 22.131 } });
      await create({ location: { lon: 113.81, lat: 22.13 } });
      clock += 2 * DAY; // past the one-day deadline
      let version = a.version;
      for (const transition of [
        { action: 'dispatch', assignee: { kind: 'grid_worker', name: '周敏' } },
        { action: 'start' },
        { action: 'submit_feedback', result: '已处置' },
        { action: 'close' },
      ] as const) {
        version = (await client.invoke('incidents.transition', { id: a.id, expectedVersion: version, transition, cosign: transition.action === 'close' ? cosign : undefined })).version;
      }
      const { loads } = await client.invoke('grids.load', {});
      expect(loads).toEqual([
        { gridId: 'W', open: 1, overdue: 1 },
        { gridId: 'E', open: 1, overdue: 1 },
      ]);
      const card = await client.invoke('grids.card', { gridId: 'E', from: NOW - 7 * DAY, to: clock });
      expect(card).toMatchObject({ open: 1, overdue: 1, reportedInPeriod: 2, closedInPeriod: 1, completionRate: 0.5, grid: { code: 'E', workers: ['周敏'] } });
      await expectContractError(client.invoke('grids.card', { gridId: 'NOPE', from: NOW - DAY, to: NOW }), 'not_found');
      await expectContractError(client.invoke('grids.card', { gridId: 'E', from: NOW, to: NOW - DAY }), 'validation');
    });

    it('gives the map the filtered incidents with a location, and exports them and the grids', async () => {
      await importGrids();
      const fire = await create({ category: 'fire', location: { lon: 113.825, lat: 22.13 } });
      await create({ category: 'dispute', location: { lon: 113.81, lat: 22.13 } });
      await create({ category: 'fire', location: null });
      const all = await client.invoke('map.incidents', {});
      expect(all.ids).toHaveLength(2);
      const fires = await client.invoke('map.incidents', { filter: { categories: ['fire'] } });
      expect(fires).toMatchObject({ ids: [fire.id], lon: [113.825], lat: [22.13], status: [0], priority: [1], overdue: [0] });
      const text = await client.invoke('map.incidents', { filter: { text: '快艇' } });
      expect(text.ids).toHaveLength(2);

      const exported = await client.invoke('map.export', { what: 'incidents', crs: 'gcj02', filter: { categories: ['fire'] } });
      expect(exported.count).toBe(1);
      expect(exported.fileName).toMatch(/^incidents-gcj02-\d{4}-\d{2}-\d{2}\.geojson$/);
      const doc = JSON.parse(exported.geojson) as { crs_name: string; features: { geometry: { coordinates: Position }; properties: { code: string; grid: string } }[] };
      expect(doc.crs_name).toBe('GCJ02');
      expect(doc.features[0]!.geometry.coordinates).toEqual(wgs84ToGcj02([113.825, 22.13]));
      expect(doc.features[0]!.properties).toMatchObject({ code: fire.code, grid: 'E' });

      const grids = await client.invoke('map.export', { what: 'grids', crs: 'wgs84' });
      expect(grids.count).toBe(2);
      // An export imports back as it was.
      expect(await client.invoke('grids.import', { geojson: grids.geojson, crs: 'wgs84' })).toEqual({ imported: 2, regridded: 0 });
    });

    it('clusters the filtered incidents in core for the view, and follows every change', async () => {
      const island = [113.7, 22.0, 113.9, 22.3] as [number, number, number, number];
      // Three incidents a few metres apart (one cluster at the overview), one fire far from them.
      const near = [];
      for (let i = 0; i < 3; i++) near.push(await create({ location: { lon: 113.82 + i * 0.00005, lat: 22.13 }, deadline: NOW - HOUR + i, occurredAt: NOW - 2 * HOUR }));
      const fire = await create({ category: 'fire', location: { lon: 113.80, lat: 22.16 } });
      await create({ category: 'fire', location: null });

      const overview = await client.invoke('map.clusters', { bbox: island, zoom: 12.4 });
      expect(overview.total).toBe(4);
      expect(overview.zoom).toBe(12);
      expect(overview.clusters).toMatchObject({ count: [3], overdue: [3] });
      expect(overview.clusters.expansionZoom[0]).toBeGreaterThan(12);
      expect(overview.points).toEqual({ ids: [fire.id], lon: [113.8], lat: [22.16], status: [0], priority: [1], overdue: [0] });

      // Close in, every incident is its own point; the box leaves out what is outside it.
      const close = await client.invoke('map.clusters', { bbox: [113.819, 22.129, 113.821, 22.131], zoom: 19 });
      expect(close.clusters.ids).toEqual([]);
      expect([...close.points.ids].sort()).toEqual(near.map((i) => i.id).sort());
      expect(close.total).toBe(4);

      // The list's filter is the map's.
      const fires = await client.invoke('map.clusters', { filter: { categories: ['fire'] }, bbox: island, zoom: 12 });
      expect(fires).toMatchObject({ total: 1, clusters: { ids: [] }, points: { ids: [fire.id] } });

      // A change in core shows in the next answer (the index is rebuilt, not served stale).
      const moved = await client.invoke('incidents.update', { id: near[0]!.id, expectedVersion: 1, patch: { location: { lon: 113.85, lat: 22.2 } }, cosign });
      expect(moved.location).toEqual({ lon: 113.85, lat: 22.2 });
      const after = await client.invoke('map.clusters', { bbox: island, zoom: 12 });
      expect(after.clusters.count).toEqual([2]);
      expect(after.points.ids).toContain(near[0]!.id);
    });

    it('refuses a bad view with typed validation errors naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ bbox: [113.9, 22, 113.7, 22.3], zoom: 12 }, 'bbox.0'],
        [{ bbox: [113.7, 22.3, 113.9, 22.0], zoom: 12 }, 'bbox.1'],
        [{ bbox: [113.7, 22, 190, 22.3], zoom: 12 }, 'bbox.2'],
        [{ bbox: [113.7, -95, 113.9, 22.3], zoom: 12 }, 'bbox.1'],
        [{ bbox: [113.7, 22, 113.9], zoom: 12 }, 'bbox'],
        [{ bbox: [113.7, 22, 113.9, 22.3], zoom: 30 }, 'zoom'],
        [{ bbox: [113.7, 22, 113.9, 22.3], zoom: -1 }, 'zoom'],
        [{ bbox: [113.7, 22, 113.9, 22.3] }, 'zoom'],
        [{ bbox: [113.7, 22, 113.9, 22.3], zoom: 12, filter: { statuses: ['lost'] } }, 'filter.statuses.0'],
        [{ bbox: [113.7, 22, 113.9, 22.3], zoom: 12, extra: 1 }, ''],
      ];
      for (const [input, field] of cases) {
        const error = await expectContractError(rawInvoke(client, 'map.clusters', input), 'validation');
        expect(error.issues.map((i) => i.path), JSON.stringify(input)).toContain(field);
      }
    });

    it('loads basemap files, serves their tiles, and remembers the choice for every window', async () => {
      const png = solidPng(2, [20, 60, 90, 255]);
      const tiles = guishanTiles(() => png);
      const mbtiles = path.join(dir, 'town.mbtiles');
      writeMbtiles(mbtiles, { format: 'png', tiles });
      const pmtiles = path.join(dir, 'town.pmtiles');
      writePmtiles(pmtiles, { tileType: 2, tiles, metadata: { name: 'pm' } });
      expect(await client.invoke('basemap.list', {})).toEqual({ active: 'builtin', basemaps: [] });
      const a = await client.invoke('basemap.add', { path: mbtiles, name: '国土所影像' });
      const b = await client.invoke('basemap.add', { path: pmtiles });
      expect([a.kind, b.kind, b.name]).toEqual(['mbtiles', 'pmtiles', 'pm']);
      const other = await harness.open();
      const changed = nextEvent(other.client, 'basemap.changed');
      await client.invoke('basemap.select', { id: b.id });
      expect(await changed).toEqual({ active: b.id });
      expect((await other.client.invoke('basemap.list', {})).active).toBe(b.id);
      const tile = tiles.find((t) => t.z === 11)!;
      for (const id of [a.id, b.id]) {
        const { data } = await client.invoke('basemap.tile', { id, z: tile.z, x: tile.x, y: tile.y });
        expect(Buffer.from(data!, 'base64')).toEqual(png);
      }
      await expectContractError(client.invoke('basemap.tile', { id: a.id, z: 1, x: 5, y: 0 }), 'validation');
      await expectContractError(client.invoke('basemap.select', { id: 'nope' }), 'not_found');
      const refused = await expectContractError(client.invoke('basemap.add', { path: path.join(dir, 'console.sqlite3') }), 'validation');
      expect(refused.message).toContain('not an MBTiles file');
      expect(await client.invoke('basemap.remove', { id: b.id })).toEqual({ active: 'builtin' });
      expect((await client.invoke('basemap.list', {})).basemaps.map((m) => m.id)).toEqual([a.id]);
    });

    it('seeds demo grids with the demo incidents, marked as demo', async () => {
      await client.invoke('demo.seed', {});
      const { grids } = await client.invoke('grids.list', {});
      expect(grids.length).toBeGreaterThanOrEqual(8);
      expect(grids.every((g) => g.demo && g.name.includes('演示'))).toBe(true);
      const { loads } = await client.invoke('grids.load', {});
      expect(loads.reduce((sum, l) => sum + l.open, 0)).toBeGreaterThan(0);
    });
  });
}

import { loginAs } from './support/login';
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { guishanTiles, solidPng, writeMbtiles } from '../fixtures/basemap-files';

declare global {
  interface Window {
    /** Set by the map view (renderer/src/features/map/MapView.tsx). */
    __dutyConsoleMap?: MapLibreMap;
  }
}

/**
 * The island map in the real renderer against the Node host: the GSHHG island renders offline,
 * a grid opens its card, a right-click creates an incident in the right grid, the shared filter
 * moves list and map together, bad grid files are refused and change nothing — and no request
 * leaves localhost.
 */

const ARTIFACTS = 'tests/e2e/artifacts';
const foreignRequests: string[] = [];

function watchRequests(page: Page) {
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) foreignRequests.push(request.url());
  });
}

/** Demo grid centres (scripts/make-demo-grids.ts): each lies inside its own grid, on land. */
const WHARF_GRID = { code: 'GS-01', name: '码头网格（演示）', lon: 113.8236, lat: 22.1352 };
const SOUTH_HILL_GRID = { code: 'GS-08', name: '南山网格（演示）', lon: 113.82, lat: 22.124 };

/** Screen position of a WGS84 point, relative to the map canvas. */
async function pixelOf(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([x, y]) => {
    const p = window.__dutyConsoleMap!.project([x!, y!]);
    return { x: p.x, y: p.y };
  }, [lon, lat] as const);
}

/** Waits until the map has drawn everything it has and stopped moving. */
async function mapIdle(page: Page) {
  await page.waitForFunction(() => {
    const map = window.__dutyConsoleMap;
    return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
  });
  await page.waitForTimeout(250);
}

const mapCount = async (page: Page) => Number((await page.getByTestId('map-point-count').textContent())!.match(/(\d+)/)![1]);
const listTotal = async (page: Page, view: 'map-view' | 'incidents') => {
  const scope = view === 'map-view' ? page.getByTestId('map-view') : page.getByTestId('view-incidents');
  return Number((await scope.getByTestId('list-total').textContent())!.replace(/[^\d]/g, ''));
};

test.describe.configure({ mode: 'serial' });

test('the island map: grids, card, right-click, shared filter, refused imports, offline', async ({ page }) => {
  watchRequests(page);
  await page.goto('/');
  await loginAs(page, 'all');
  // A fresh store offers the demo; after another spec it is already loaded.
  const offer = page.getByTestId('demo-offer');
  await expect(offer.or(page.getByTestId('incident-row').first())).toBeVisible();
  if (await offer.isVisible()) await offer.getByTestId('demo-load').click();
  await expect(page.getByTestId('incident-row').first()).toBeVisible();

  // Alt+2 opens the map.
  await page.keyboard.press('Alt+2');
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-ready', 'true');
  await mapIdle(page);
  await expect(page.getByText('海岸线：GSHHG（LGPL-3.0）')).toBeVisible();
  await expect(page.locator('.maplibregl-ctrl-scale')).toBeVisible();
  await expect(page.locator('.maplibregl-ctrl-compass')).toBeVisible();
  await expect(page.getByText('演示网格').first()).toBeVisible();
  // The island and the grids are drawn (rendered features, not only loaded data).
  const rendered = await page.evaluate(() => {
    const map = window.__dutyConsoleMap!;
    return {
      land: map.queryRenderedFeatures({ layers: ['land'] }).length,
      grids: new Set(map.queryRenderedFeatures({ layers: ['grid-fill'] }).map((f) => f.properties.id as string)).size,
      incidents: map.queryRenderedFeatures({ layers: ['incident-clusters', 'incident-points'] }).length,
    };
  });
  expect(rendered.land).toBeGreaterThan(0);
  expect(rendered.grids).toBeGreaterThanOrEqual(10);
  expect(rendered.incidents).toBeGreaterThan(0);
  await page.screenshot({ path: `${ARTIFACTS}/map-01-island-demo-grids.png` });

  // Heatmap on, incidents off: the layer panel drives the map.
  await page.getByTestId('layer-heatmap').click();
  await page.getByTestId('layer-incidents').click();
  await mapIdle(page);
  expect(await page.evaluate(() => window.__dutyConsoleMap!.getLayoutProperty('incident-heat', 'visibility'))).toBe('visible');
  expect(await page.evaluate(() => window.__dutyConsoleMap!.getLayoutProperty('incident-points', 'visibility'))).toBe('none');
  await page.screenshot({ path: `${ARTIFACTS}/map-02-heatmap.png` });
  await page.getByTestId('layer-heatmap').click();

  // Click a grid (incidents hidden, so the click lands on the grid) → its card.
  let at = await pixelOf(page, WHARF_GRID.lon, WHARF_GRID.lat);
  await canvas.click({ position: at });
  const card = page.getByTestId('grid-card');
  await expect(card.getByTestId('grid-card-name')).toHaveText(WHARF_GRID.name);
  await expect(card.getByTestId('grid-card-code')).toHaveText(WHARF_GRID.code);
  await expect(card).toContainText('演示数据');
  await expect(card.getByTestId('grid-card-workers')).toContainText('何少华');
  const wharfOpen = Number(await card.getByTestId('grid-card-open').textContent());
  expect(wharfOpen).toBeGreaterThan(0);
  await expect(card.getByTestId('grid-card-rate')).toHaveText(/^(\d+%|—)$/);
  await page.screenshot({ path: `${ARTIFACTS}/map-03-grid-card.png` });
  await page.getByTestId('layer-incidents').click();

  // Right-click in the south-hill grid → "new incident here", location and grid filled in.
  at = await pixelOf(page, SOUTH_HILL_GRID.lon, SOUTH_HILL_GRID.lat);
  await canvas.click({ position: at, button: 'right' });
  const menu = page.getByTestId('map-context-menu');
  await expect(menu.getByTestId('map-context-grid')).toHaveText(`网格：${SOUTH_HILL_GRID.name}`);
  await page.screenshot({ path: `${ARTIFACTS}/map-04-context-menu.png` });
  await menu.getByTestId('map-new-incident').click();
  const form = page.getByTestId('incident-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('field-grid').getByRole('textbox')).toHaveValue(`${SOUTH_HILL_GRID.name}（${SOUTH_HILL_GRID.code}）`);
  const lon = Number(await form.getByTestId('field-lon').getByRole('textbox').inputValue());
  expect(lon).toBeCloseTo(SOUTH_HILL_GRID.lon, 3);
  const title = '南山林地发现山火隐患（地图右键上报）';
  await form.getByTestId('field-title').getByRole('textbox').fill(title);
  await form.getByTestId('field-category').click();
  await page.getByRole('option', { name: /消防/ }).click();
  await page.screenshot({ path: `${ARTIFACTS}/map-05-form-from-map.png` });
  await form.getByTestId('form-submit').click();
  await expect(form).toBeHidden();
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toContainText(title);
  await expect(detail.getByTestId('incident-fields')).toContainText(SOUTH_HILL_GRID.code);

  // Back on the map, the new incident is selected (highlighted), and its grid counts it.
  await page.keyboard.press('Alt+2');
  await mapIdle(page);
  await page.getByTestId('layer-incidents').click();
  at = await pixelOf(page, SOUTH_HILL_GRID.lon + 0.0012, SOUTH_HILL_GRID.lat - 0.0012);
  await canvas.click({ position: at });
  await expect(card.getByTestId('grid-card-code')).toHaveText(SOUTH_HILL_GRID.code);
  await expect(card.getByTestId('grid-card-open')).toHaveText('1');
  await page.getByTestId('layer-incidents').click();

  // The selected incident (the one just created) is highlighted on the map.
  const selectedFilter = JSON.stringify(await page.evaluate(() => window.__dutyConsoleMap!.getFilter('incident-selected')));
  expect(selectedFilter).not.toContain('""]');

  // Click a cluster → the map zooms in on it; click a single incident → its detail.
  await page.getByTestId('map-fit').click();
  await mapIdle(page);
  const cluster = await page.evaluate(() => {
    const map = window.__dutyConsoleMap!;
    const feature = map.queryRenderedFeatures({ layers: ['incident-clusters'] })[0]!;
    const [lon, lat] = (feature.geometry as unknown as { coordinates: [number, number] }).coordinates;
    const p = map.project([lon, lat]);
    return { x: p.x, y: p.y, zoom: map.getZoom() };
  });
  await canvas.click({ position: { x: cluster.x, y: cluster.y } });
  await mapIdle(page);
  expect(await page.evaluate(() => window.__dutyConsoleMap!.getZoom())).toBeGreaterThan(cluster.zoom);
  await page.evaluate(() => window.__dutyConsoleMap!.jumpTo({ center: [113.8236, 22.1352], zoom: 18 }));
  await mapIdle(page);
  const single = await page.evaluate(() => {
    const map = window.__dutyConsoleMap!;
    const feature = map.queryRenderedFeatures({ layers: ['incident-points'] })[0]!;
    const [lon, lat] = (feature.geometry as unknown as { coordinates: [number, number] }).coordinates;
    const p = map.project([lon, lat]);
    return { x: p.x, y: p.y, id: String(feature.properties.id) };
  });
  await canvas.click({ position: { x: single.x, y: single.y } });
  await expect(page.getByTestId('view-incidents')).toBeVisible();
  await expect(page.getByTestId('incident-detail')).toBeVisible();
  await page.keyboard.press('Alt+2');
  await page.getByTestId('map-fit').click();
  await mapIdle(page);

  // The filter moves both: set it on the map, read it on the list; change it on the list, read it on the map.
  const everything = await mapCount(page);
  const mapView = page.getByTestId('map-view');
  await mapView.getByTestId('filter-category').click();
  await page.getByTestId('filter-category-menu').getByText('消防', { exact: true }).click();
  await page.keyboard.press('Escape');
  await expect.poll(() => mapCount(page)).toBeLessThan(everything);
  const fires = await mapCount(page);
  expect(fires).toBeGreaterThan(0);
  await page.screenshot({ path: `${ARTIFACTS}/map-06-filtered-fire.png` });
  await page.keyboard.press('Alt+1');
  const incidentsView = page.getByTestId('view-incidents');
  await expect(incidentsView.getByTestId('filter-category')).toContainText('1');
  const listed = await listTotal(page, 'incidents');
  // The list also counts incidents without a location; the map only those with one.
  expect(listed).toBeGreaterThanOrEqual(fires);
  await incidentsView.getByTestId('filter-overdue').click();
  await page.keyboard.press('Alt+2');
  await expect.poll(() => mapCount(page)).toBeLessThan(fires + 1);
  const overdueFires = await mapCount(page);
  expect(overdueFires).toBeLessThanOrEqual(fires);
  await mapView.getByTestId('filter-reset').click();
  await expect.poll(() => mapCount(page)).toBe(everything);

  // Measure: two clicks 1 km apart at this latitude.
  await page.keyboard.press('m');
  const a = await pixelOf(page, 113.815, 22.13);
  const b = await pixelOf(page, 113.815 + 0.009708, 22.13);
  await canvas.click({ position: a });
  await canvas.click({ position: b });
  // Clicks land on whole pixels: a few metres either way at this zoom.
  await expect(page.getByTestId('map-measure-result')).toContainText(/\d/);
  const measuredText = (await page.getByTestId('map-measure-result').textContent())!;
  const km = measuredText.match(/([\d.]+) km/);
  const metres = km ? Number(km[1]) * 1000 : Number(measuredText.match(/(\d+) m/)![1]);
  expect(Math.abs(metres - 1000)).toBeLessThan(25);
  await page.keyboard.press('Escape');

  // Export the filtered incidents as GCJ-02 GeoJSON: a file download, made locally.
  await page.getByTestId('map-export').click();
  await page.getByText('GCJ02', { exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-incidents').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^incidents-gcj02-\d{4}-\d{2}-\d{2}\.geojson$/);
  const exported = JSON.parse(fs.readFileSync((await file.path())!, 'utf8')) as { crs_name: string; features: unknown[] };
  expect(exported.crs_name).toBe('GCJ02');
  expect(exported.features.length).toBe(everything);

  // Bad grid files are refused with the feature and the problem, and change nothing.
  const gridsBefore = await page.evaluate(() => window.__dutyConsoleMap!.querySourceFeatures('grids').length);
  await page.getByTestId('grid-import-open').click();
  const dialog = page.getByRole('dialog');
  const upload = async (name: string, text: string) => {
    await dialog.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/geo+json', buffer: Buffer.from(text) });
    await dialog.getByTestId('grid-import-submit').click();
  };
  await upload('broken.geojson', '{"type": "FeatureCollection", "features": [');
  await expect(dialog.getByTestId('grid-import-problems')).toContainText('不是 GeoJSON 文件');
  const square = [[113.81, 22.12], [113.82, 22.12], [113.82, 22.13], [113.81, 22.13], [113.81, 22.12]];
  const doc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  await upload(
    'line.geojson',
    doc([
      { type: 'Feature', properties: { code: 'A-1' }, geometry: { type: 'Polygon', coordinates: [square] } },
      { type: 'Feature', properties: { code: 'A-2' }, geometry: { type: 'LineString', coordinates: [[113.8, 22.1], [113.9, 22.2]] } },
    ]),
  );
  await expect(dialog.getByTestId('grid-import-problems')).toContainText('第 1 个要素（A-2）：几何类型为 LineString');
  await upload(
    'dupes.geojson',
    doc([
      { type: 'Feature', properties: { code: 'A-1' }, geometry: { type: 'Polygon', coordinates: [square] } },
      { type: 'Feature', properties: { code: 'A-1' }, geometry: { type: 'Polygon', coordinates: [square] } },
    ]),
  );
  await expect(dialog.getByTestId('grid-import-problems')).toContainText('网格编码“A-1”重复');
  await upload('swapped.geojson', doc([{ type: 'Feature', properties: { code: 'S' }, geometry: { type: 'Polygon', coordinates: [square.map(([x, y]) => [y, x])] } }]));
  await expect(dialog.getByTestId('grid-import-problems')).toContainText('超出经纬度范围');
  await page.screenshot({ path: `${ARTIFACTS}/map-07-import-refused.png` });
  await dialog.getByRole('button', { name: '取消' }).click();
  await mapIdle(page);
  expect(await page.evaluate(() => window.__dutyConsoleMap!.querySourceFeatures('grids').length)).toBe(gridsBefore);
  at = await pixelOf(page, WHARF_GRID.lon, WHARF_GRID.lat);
  await page.getByTestId('layer-incidents').click();
  await canvas.click({ position: at });
  await expect(card.getByTestId('grid-card-code')).toHaveText(WHARF_GRID.code);
  await page.getByTestId('layer-incidents').click();

  // English labels on the map too.
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByText('Coastline: GSHHG (LGPL-3.0)')).toBeVisible();
  await mapIdle(page);
  await page.screenshot({ path: `${ARTIFACTS}/map-08-english.png` });
  await page.getByTestId('lang-toggle').click();

  expect(foreignRequests, 'requests outside localhost').toEqual([]);
});

test('a basemap file from the GIS office: refused when it is not one, shown and remembered when it is', async ({ page }) => {
  watchRequests(page);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-e2e-basemap-'));
  const notes = path.join(dir, 'notes.txt');
  fs.writeFileSync(notes, 'not a tile archive');
  const mbtiles = path.join(dir, 'guishan-imagery.mbtiles');
  // Green raster tiles over the island at zooms 10–12, so the switch is plain to see.
  writeMbtiles(mbtiles, { format: 'png', name: '桂山镇影像（测试）', tiles: guishanTiles(() => solidPng(256, [34, 90, 52, 255])) });

  await page.goto('/');
  await loginAs(page, 'all');
  // Run alone, this test meets the first-start demo offer.
  await expect(page.getByTestId('demo-offer').or(page.getByTestId('incident-row').first())).toBeVisible();
  if (await page.getByTestId('demo-offer').isVisible()) await page.getByTestId('demo-offer').getByTestId('demo-load').click();
  await expect(page.getByTestId('incident-row').first()).toBeVisible();
  await page.getByTestId('nav-map').click();
  await expect(page.getByTestId('map-canvas')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('basemap-add-open').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('basemap-path').fill(notes);
  await dialog.getByTestId('basemap-add-submit').click();
  await expect(dialog).toContainText('不是底图文件');
  await dialog.getByTestId('basemap-path').fill(mbtiles);
  await dialog.getByTestId('basemap-add-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('basemap-select')).toHaveValue('桂山镇影像（测试）');
  await mapIdle(page);
  await expect(page.getByText('Town GIS office')).toBeVisible();
  await expect(page.getByText('海岸线：GSHHG（LGPL-3.0）')).toHaveCount(0);
  const centre = await pixelOf(page, 113.82, 22.13);
  const rendered = await page.evaluate(({ x, y }) => {
    const map = window.__dutyConsoleMap!;
    return { source: !!map.getSource('user-basemap'), land: map.getLayoutProperty('land', 'visibility'), at: map.queryRenderedFeatures([x, y]).length };
  }, centre);
  expect(rendered.source).toBe(true);
  expect(rendered.land).toBe('none');
  await page.screenshot({ path: `${ARTIFACTS}/map-09-user-basemap.png` });

  // The choice outlives a reload; going back to the built-in coastline is one pick.
  await page.reload();
  await page.getByTestId('nav-map').click();
  await expect(page.getByTestId('basemap-select')).toHaveValue('桂山镇影像（测试）');
  await page.getByTestId('basemap-select').click();
  await page.getByRole('option', { name: '内置海岸线（GSHHG）' }).click();
  await expect(page.getByText('海岸线：GSHHG（LGPL-3.0）')).toBeVisible();
  expect(foreignRequests, 'requests outside localhost').toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

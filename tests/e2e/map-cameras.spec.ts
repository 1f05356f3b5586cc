import { loginAs } from './support/login';
import { expect, test, type Page } from '@playwright/test';
import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** Set by the map view (renderer/src/features/map/MapView.tsx). */
    __dutyConsoleMap?: MapLibreMap;
  }
}

/**
 * The camera layer on the island map, against the Node host with the Guishan demo: the demo's
 * cameras are drawn with their view cones, coloured by health; hovering one names it, its health
 * and grid; a click opens it in the video wall; the grid card lists its grid's cameras, each
 * opening in the wall — and no request leaves localhost.
 */

const ARTIFACTS = 'tests/e2e/artifacts';
// A wall of this spec's own (?wall=): the video-wall spec after it starts from an empty main wall.
const WALL = 'map-cameras-e2e';
/** Demo cameras (electron/core/cameras/demo-cameras.ts) in the demo's wharf grid. */
const WHARF_EAST = { name: '桂山码头东', lon: 113.8248, lat: 22.1352 };
const WHARF_WEST = { name: '桂山码头西' };
const WHARF_GRID = { code: 'GS-01', name: '码头网格（演示）', lon: 113.8236, lat: 22.1352 };
const DEMO_CAMERA_COUNT = 6;

const foreignRequests: string[] = [];

async function mapIdle(page: Page) {
  await page.waitForFunction(() => {
    const map = window.__dutyConsoleMap;
    return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
  });
  await page.waitForTimeout(250);
}

async function pixelOf(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([x, y]) => {
    const p = window.__dutyConsoleMap!.project([x!, y!]);
    return { x: p.x, y: p.y };
  }, [lon, lat] as const);
}

/** What the camera layer draws now: rendered (on screen), not only loaded. */
function renderedCameras(page: Page) {
  return page.evaluate(() => {
    const map = window.__dutyConsoleMap!;
    const points = map.queryRenderedFeatures({ layers: ['camera-points'] });
    const cones = map.queryRenderedFeatures({ layers: ['camera-cone-fill'] });
    return {
      points: new Set(points.map((f) => f.properties.id as string)).size,
      cones: new Set(cones.map((f) => f.properties.id as string)).size,
      health: [...new Set(points.map((f) => f.properties.h as string))],
      byName: Object.fromEntries(points.map((f) => [f.properties.name as string, f.properties.id as string])),
    };
  });
}

test('cameras on the island map: cones, health, hover, click into the wall, the grid card', async ({ page }) => {
  test.setTimeout(150_000);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) foreignRequests.push(request.url());
  });
  await page.goto(`/?wall=${WALL}`);
  await loginAs(page, 'all');
  // A fresh store offers the demo; after another spec it is already loaded.
  const offer = page.getByTestId('demo-offer');
  await expect(offer.or(page.getByTestId('incident-row').first())).toBeVisible();
  if (await offer.isVisible()) await offer.getByTestId('demo-load').click();
  await expect(page.getByTestId('incident-row').first()).toBeVisible();

  await page.keyboard.press('Alt+2');
  const canvas = page.getByTestId('map-canvas');
  await expect(canvas).toHaveAttribute('data-ready', 'true');
  await mapIdle(page);

  // The demo registers its cameras after the incidents (each one's simulator starts first): wait for them.
  await expect.poll(async () => (await renderedCameras(page)).points, { timeout: 45_000 }).toBe(DEMO_CAMERA_COUNT);
  const island = await renderedCameras(page);
  expect(island.cones).toBe(DEMO_CAMERA_COUNT);
  // Their event subscriptions answer: every demo camera turns green.
  await expect.poll(async () => (await renderedCameras(page)).health, { timeout: 30_000 }).toEqual(['online']);
  await expect(page.getByTestId('map-camera-legend')).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/map-cameras-01-island.png` });

  // Close up on the wharf: cones point where the cameras look, names appear.
  await page.evaluate(([lon, lat]) => window.__dutyConsoleMap!.jumpTo({ center: [lon!, lat!], zoom: 16.3 }), [WHARF_GRID.lon, WHARF_GRID.lat + 0.001] as const);
  await mapIdle(page);
  const labels = await page.evaluate(() => window.__dutyConsoleMap!.queryRenderedFeatures({ layers: ['camera-label'] }).map((f) => f.properties.name as string));
  expect(labels).toContain(WHARF_EAST.name);
  await page.screenshot({ path: `${ARTIFACTS}/map-cameras-02-wharf-cones.png` });

  // Hover a camera: pointer, and a tooltip with its name, health and grid.
  const east = await pixelOf(page, WHARF_EAST.lon, WHARF_EAST.lat);
  await canvas.hover({ position: east });
  const tooltip = page.getByTestId('map-camera-tooltip');
  await expect(tooltip).toContainText(WHARF_EAST.name);
  await expect(tooltip.getByTestId('map-camera-tooltip-health')).toContainText('在线');
  await expect(tooltip.getByTestId('map-camera-tooltip-grid')).toHaveText(`网格：${WHARF_GRID.name}`);
  expect(await page.evaluate(() => window.__dutyConsoleMap!.getCanvas().style.cursor)).toBe('pointer');
  await page.screenshot({ path: `${ARTIFACTS}/map-cameras-03-hover.png` });

  // Click it: the video wall, with that camera in a tile, playing.
  const eastId = (await renderedCameras(page)).byName[WHARF_EAST.name]!;
  await canvas.click({ position: east });
  await expect(page.getByTestId('view-cameras-body')).toBeVisible();
  const eastTile = page.locator(`[data-testid^="tile-"][data-camera="${eastId}"]`);
  await expect(eastTile).toHaveCount(1);
  await expect(eastTile).toHaveAttribute('data-testid', 'tile-0');
  await expect(eastTile).toContainText(WHARF_EAST.name);
  await expect(eastTile).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await page.screenshot({ path: `${ARTIFACTS}/map-cameras-04-wall-from-map.png` });

  // The layer switch hides the cameras, and this PC keeps it so after a reload.
  await page.keyboard.press('Alt+2');
  await mapIdle(page);
  await page.getByTestId('layer-cameras').click();
  expect(await page.evaluate(() => window.__dutyConsoleMap!.getLayoutProperty('camera-points', 'visibility'))).toBe('none');
  await page.reload();
  await expect(page.getByTestId('nav-map')).toBeVisible();
  await page.keyboard.press('Alt+2');
  await expect(canvas).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('layer-cameras')).not.toBeChecked();
  expect(await page.evaluate(() => window.__dutyConsoleMap!.getLayoutProperty('camera-cone-fill', 'visibility'))).toBe('none');
  await page.getByTestId('layer-cameras').click();
  await expect(page.getByTestId('layer-cameras')).toBeChecked();

  // The wharf grid's card lists its cameras (core put them in it from their location).
  await page.getByTestId('layer-incidents').click();
  await page.getByTestId('map-fit').click();
  await mapIdle(page);
  await canvas.click({ position: await pixelOf(page, WHARF_GRID.lon, WHARF_GRID.lat) });
  const card = page.getByTestId('grid-card');
  await expect(card.getByTestId('grid-card-code')).toHaveText(WHARF_GRID.code);
  const cardCameras = card.getByTestId('grid-card-camera');
  await expect(cardCameras).toHaveCount(2);
  await expect(card.getByTestId('grid-card-cameras')).toContainText(WHARF_EAST.name);
  await expect(card.getByTestId('grid-card-cameras')).toContainText(WHARF_WEST.name);
  await page.screenshot({ path: `${ARTIFACTS}/map-cameras-05-grid-card.png` });
  await page.getByTestId('layer-incidents').click();

  // A camera in the card opens in the wall too: beside the first one, in the next empty tile.
  await cardCameras.filter({ hasText: WHARF_WEST.name }).click();
  await expect(page.getByTestId('view-cameras-body')).toBeVisible();
  await expect(page.getByTestId('tile-1')).toContainText(WHARF_WEST.name);
  await expect(page.getByTestId('tile-0')).toContainText(WHARF_EAST.name);
  // Opening a camera already on the wall changes nothing.
  await page.keyboard.press('Alt+2');
  await mapIdle(page);
  await canvas.click({ position: await pixelOf(page, WHARF_EAST.lon, WHARF_EAST.lat) });
  await expect(page.getByTestId('view-cameras-body')).toBeVisible();
  await expect(page.locator(`[data-testid^="tile-"][data-camera="${eastId}"]`)).toHaveCount(1);
  await expect(page.getByTestId('tile-2')).toHaveAttribute('data-camera', '');

  expect(foreignRequests).toEqual([]);
});

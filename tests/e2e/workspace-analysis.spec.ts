import { expect, test, type Page } from '@playwright/test';
import { createClient, type ConsoleClient } from '@shared';
import { connectWs, type WsTransport } from '../contract/ws-client';

declare global {
  interface Window {
    /** Set by the workspace's charts (renderer/src/features/analysis/Chart.tsx). */
    __analysisCharts?: Record<string, { getOption(): unknown; getDom(): HTMLElement }>;
  }
}

/**
 * The analysis workspace (研判分析) on its own page beside the operator's page, against the Node
 * host with the Guishan demo (loaded by incident-loop.spec.ts; this file sorts last, so the specs before it see the store they expect): every widget
 * draws at 1920×1080 and 3840×2160, a click on a grid's bar filters the operator's list, and a new
 * incident moves the KPI within a second — live through the core, no reload.
 */

const ARTIFACTS = 'tests/e2e/artifacts';
const port = Number(process.env.E2E_PORT ?? 5199);
const WIDGETS = ['trend', 'map', 'by-grid', 'by-category', 'by-source', 'by-unit', 'heat', 'funnel', 'police', 'cameras', 'overdue'];

let transport: WsTransport;
let client: ConsoleClient;

test.describe.configure({ mode: 'serial' });
// Written before logins and host tokens: its socket and pages are refused (403 / login screen) on
// today's host. The rewrite (logged-in pages, the host's origin, warning cards, briefings) is on
// branch analysis2, not landed at stop 10; until it lands this spec does not run.
test.skip(true, 'pre-login spec; its rewrite is on branch analysis2 (closing note, stop 10)');

test.beforeAll(async () => {
  transport = await connectWs(`ws://127.0.0.1:${port}/ws`);
  client = createClient(transport);
  // Run alone, the store is empty: the demo (a no-op when incident-loop.spec.ts loaded it already).
  await client.invoke('demo.seed', {});
});
test.afterAll(async () => {
  await transport?.close();
});

async function openWorkspace(page: Page) {
  await page.goto('/?view=analysis');
  await expect(page.getByTestId('analysis-workspace')).toBeVisible();
  await expect(page.getByTestId('kpi-open-value')).toBeVisible();
  // Every chart has drawn (a canvas with pixels in it).
  for (const id of WIDGETS) {
    await expect.poll(() => page.evaluate((testId) => !!window.__analysisCharts?.[testId], `chart-${id}`), { message: id }).toBe(true);
    await expect(page.getByTestId(`widget-${id}`).locator('canvas').first()).toBeVisible();
  }
  // Let the series' entry animations finish before a picture.
  await page.waitForTimeout(1500);
}

const kpi = async (page: Page, id: string) => Number(await page.getByTestId(`kpi-${id}-value`).textContent());

test('every widget draws with the demo data at 1920×1080 and 3840×2160', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openWorkspace(page);
  expect(await kpi(page, 'open')).toBeGreaterThan(0);
  await page.screenshot({ path: `${ARTIFACTS}/analysis-1920x1080.png` });
  // Nothing overflows its widget at full HD: the whole dashboard fits without scrolling.
  const overflow = await page.evaluate(() => {
    const body = document.querySelector('.analysis-body')!;
    return body.scrollHeight - body.clientHeight;
  });
  expect(overflow).toBeLessThanOrEqual(1);

  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `${ARTIFACTS}/analysis-3840x2160.png` });
  const size = await page.getByTestId('widget-heat').boundingBox();
  expect(size!.width).toBeGreaterThan(800);
});

test('a click on a grid bar filters the incident list in the operator window', async ({ page, context }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const operator = await context.newPage();
  await operator.setViewportSize({ width: 1600, height: 900 });
  await operator.goto('/');
  await expect(operator.getByTestId('list-total')).toContainText(/\d/);
  await openWorkspace(page);

  // The top bar of the by-grid chart (bars are drawn largest on top), and its figures.
  const target = await page.evaluate(() => {
    const chart = window.__analysisCharts!['chart-by-grid']!;
    const option = chart.getOption() as { yAxis: { data: string[] }[]; series: { data: { value: number; key: string }[] }[] };
    const names = option.yAxis[0]!.data;
    // A located grid: the "(not located)" row has no grid to filter by.
    let index = names.length - 1;
    while (index >= 0 && !option.series[0]!.data[index]!.key) index--;
    const bar = option.series[0]!.data[index]!;
    // The drawn rectangle of that bar (ECharts' own layout of the series' data item).
    const model = (chart as unknown as { getModel(): { getSeriesByIndex(i: number): { getData(): { getItemLayout(i: number): { x: number; y: number; width: number; height: number } } } } }).getModel();
    const rect = model.getSeriesByIndex(0).getData().getItemLayout(index);
    const box = chart.getDom().getBoundingClientRect();
    return { key: bar.key, name: names[index]!, reported: bar.value, x: box.left + rect.x + rect.width / 2, y: box.top + rect.y + rect.height / 2 };
  });
  expect(target.reported).toBeGreaterThan(0);
  await page.mouse.click(target.x, target.y);

  // The operator's list: filtered by that grid over the period (the chip says so), the same count.
  await expect(operator.getByTestId('filter-focus')).toContainText(target.key);
  await expect(operator.getByTestId('view-incidents')).toBeVisible();
  await expect
    .poll(async () => Number((await operator.getByTestId('list-total').textContent())!.replace(/[^\d]/g, '')))
    .toBe(target.reported);
  await operator.screenshot({ path: `${ARTIFACTS}/analysis-click-through-operator.png` });
  await operator.close();
});

test('a new incident moves the KPI within a second, without a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openWorkspace(page);
  const before = await kpi(page, 'new-today');
  const openBefore = await kpi(page, 'open');
  const started = Date.now();
  await client.invoke('incidents.create', {
    draft: {
      category: 'dispute',
      title: '研判实时测试：码头摊位纠纷',
      source: 'phone',
      priority: 3,
      occurredAt: Date.now() - 60_000,
      location: { lon: 113.8236, lat: 22.1352 },
    },
  });
  await expect.poll(() => kpi(page, 'new-today'), { timeout: 1000, intervals: [50] }).toBe(before + 1);
  const elapsed = Date.now() - started;
  expect(await kpi(page, 'open')).toBe(openBefore + 1);
  console.log(`analysis e2e: KPI moved ${elapsed} ms after the write (loaded machine)`);
  // A drill never reaches analysis.
  await client.invoke('incidents.create', {
    draft: { category: 'dispute', title: '演练：码头纠纷', source: 'drill', priority: 3, occurredAt: Date.now() - 60_000 },
  });
  await page.waitForTimeout(700);
  expect(await kpi(page, 'new-today')).toBe(before + 1);
});

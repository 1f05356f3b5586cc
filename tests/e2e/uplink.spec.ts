import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ReferenceCity } from '../../tools/city/city';
import { startMosquitto, waitFor, type RunningMosquitto } from '../support/mosquitto';

/**
 * The city link as the operator sees it, against a real Mosquitto (password file) and the reference
 * city: configure it, watch it connect and drain, switch it off for a drill, keep working, switch it
 * back and see the backlog reach zero; a directive from the city arrives and is signed for (签收).
 */

const ARTIFACTS = 'tests/e2e/artifacts';
let broker: RunningMosquitto;
let city: ReferenceCity;
let dir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-e2e-city-'));
  broker = await startMosquitto({ users: { GS: 'town-pass', city: 'city-pass' } });
  city = new ReferenceCity({ dbFile: path.join(dir, 'city.sqlite3'), brokerUrl: broker.url, clientId: 'e2e-city', mqtt: { username: 'city', password: 'city-pass' } });
  await city.start();
});

test.afterAll(async () => {
  await city?.stop();
  await broker?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the operator connects the city link, works through an outage, and signs for a directive', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  const indicator = page.getByTestId('link-indicator');
  await expect(indicator).toBeVisible();
  await indicator.click();
  const view = page.getByTestId('link-view');
  await expect(view).toBeVisible();

  // Settings: a wrong URL is refused beside the field; then the real broker.
  await view.getByTestId('link-settings-open').click();
  const settings = page.getByRole('dialog');
  await settings.getByTestId('link-url').fill('http://city');
  await settings.getByTestId('link-town').fill('GS');
  await settings.getByTestId('link-save').click();
  await expect(settings).toContainText('mqtts://主机:8883');
  await settings.getByTestId('link-url').fill(broker.url);
  await settings.getByTestId('link-username').fill('GS');
  await settings.getByTestId('link-password').fill('town-pass');
  await page.screenshot({ path: `${ARTIFACTS}/uplink-01-settings.png` });
  await settings.getByTestId('link-save').click();
  await expect(settings).toBeHidden();

  const state = view.getByTestId('link-state');
  await expect(state).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(view.getByTestId('link-backlog')).toHaveText('0', { timeout: 60_000 });
  await expect(view.getByTestId('link-anchor')).toContainText('第');
  await expect(indicator).toContainText('已连接');
  await page.screenshot({ path: `${ARTIFACTS}/uplink-02-connected.png` });

  // A drill: switch the link off; the title bar says so; the operator keeps working.
  await view.getByTestId('link-switch').click();
  await expect(state).toHaveAttribute('data-state', 'off');
  await expect(indicator).toContainText('已断开');
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('incident-row').first().click();
  const note = `链路中断期间的备注 ${Date.now()}`;
  await page.getByTestId('comment-input').getByRole('textbox').fill(note);
  await page.getByTestId('comment-submit').click();
  await expect(page.getByTestId('timeline')).toContainText(note);
  await expect(page.getByTestId('link-indicator-backlog')).toContainText('积压 1');
  await page.screenshot({ path: `${ARTIFACTS}/uplink-03-working-while-off.png` });

  // Back on: the backlog goes up and reaches zero.
  await indicator.click();
  await expect(view.getByTestId('link-backlog')).toHaveText('1');
  await view.getByTestId('link-switch').click();
  await expect(state).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(view.getByTestId('link-backlog')).toHaveText('0', { timeout: 20_000 });
  await expect(page.getByTestId('link-indicator-backlog')).toHaveCount(0);
  await expect(view.getByTestId('link-log')).toContainText('手动断开');
  await expect(view.getByTestId('link-log')).toContainText('手动恢复');

  // A directive from the city: it appears, the title bar counts it, the person on duty signs for it.
  const now = Date.now();
  const directive = await city.issueDirective('GS', {
    issuer: '香洲区综治中心',
    mode: 'supervise',
    text: '群众反映桂山岛东湾码头夜间有不明快艇靠岸，请组织核查并于 48 小时内反馈。',
    deadline: now + 48 * 3_600_000,
    priority: 2,
    newCase: { category: 'smuggling', title: '东湾码头夜间快艇靠岸核查（区督办）', description: '', location: { lon: 113.8376, lat: 22.1368 }, occurredAt: now - 3_600_000 },
  });
  const card = view.getByTestId('directive').filter({ hasText: '东湾码头夜间快艇靠岸核查' });
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(indicator).toContainText('1 条待签收');
  await page.screenshot({ path: `${ARTIFACTS}/uplink-04-directive-arrived.png` });
  await card.getByTestId('directive-sign').click();
  await expect(card.getByTestId('directive-signed')).toContainText('值班员');
  await expect(indicator).not.toContainText('待签收');
  await waitFor('the city to hear the signature', () => city.directive(directive.id)?.status === 'signed', 20_000);
  expect(city.directive(directive.id)!.signedBy).toBe('值班员');
  await page.screenshot({ path: `${ARTIFACTS}/uplink-05-directive-signed.png` });
  expect(city.verify('GS').ok).toBe(true);
});

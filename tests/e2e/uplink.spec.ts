import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ReferenceCity } from '../../tools/city/city';
import { startMosquitto, waitFor, type RunningMosquitto } from '../support/mosquitto';
import { DEMO_ACCOUNTS, cosignAs, loginAs } from './support/login';

/**
 * The city link as a duty room sees it, against a real Mosquitto (password file) and the reference
 * city: the shift leader connects it and the demo's history goes up; the broker goes down and the
 * operator sees it, keeps working, sees the link come back and the backlog reach zero; a directive
 * from the city arrives and the operator signs for it (签收) as themselves; a drill switches it off,
 * and the link log names who did. (Runs after incident-loop, which seeds the demo and its staff.)
 */

const ARTIFACTS = 'tests/e2e/artifacts';
const OPERATOR = DEMO_ACCOUNTS.operator;
const LEADER = DEMO_ACCOUNTS.shift_leader;
/** Modals and notifications fade; screenshots wait for the transitions to end. */
const settle = (page: Page) => page.waitForTimeout(400);

let broker: RunningMosquitto;
let city: ReferenceCity;
let dir: string;

test.describe.configure({ mode: 'serial', timeout: 240_000 });

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

test('the city link: connected, down and back while the operator works, a directive signed for, a drill', async ({ page }) => {
  await page.goto('/');
  await loginAs(page, 'shift_leader');
  const indicator = page.getByTestId('link-indicator');
  await expect(indicator).toContainText('未配置');
  await indicator.click();
  const view = page.getByTestId('link-view');
  await expect(view).toBeVisible();

  // Settings (the shift leader may change them, co-signed): a wrong address is refused beside its field; then the real broker.
  await view.getByTestId('link-settings-open').click();
  const settings = page.getByRole('dialog');
  await settings.getByTestId('link-url').fill('http://city');
  await settings.getByTestId('link-town').fill('GS');
  await settings.getByTestId('link-save').click();
  await expect(settings).toContainText('请填写 mqtts://主机:8883');
  await settings.getByTestId('link-url').fill(broker.url);
  await settings.getByTestId('link-username').fill('GS');
  await settings.getByTestId('link-password').fill('town-pass');
  // A settings change is co-signed (四眼原则): the town leader confirms on this form.
  await cosignAs(settings, 'town_leader');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/uplink-01-settings.png` });
  await settings.getByTestId('link-save').click();
  await expect(settings).toBeHidden();

  // Connected: the demo's history goes up until the city has acknowledged all of it.
  const state = view.getByTestId('link-state');
  await expect(state).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(view.getByTestId('link-backlog')).toHaveText('0', { timeout: 90_000 });
  await expect(view.getByTestId('link-anchor')).toContainText('第');
  await expect(indicator).toContainText('已连接');
  const head = city.town('GS')!;
  expect(head.events).toBeGreaterThan(300);
  await expect(view.getByTestId('link-log')).toContainText(`${LEADER.name}（${LEADER.staffNo}）`);
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/uplink-02-connected.png` });

  // The operator takes the window: they may not change the settings or switch the link (disabled, with the reason).
  await loginAs(page, 'operator');
  await page.getByTestId('nav-link').click();
  await expect(view.getByTestId('link-settings-open')).toBeDisabled();
  await expect(view.getByTestId('link-switch')).toBeDisabled();

  // The city's broker goes down: the title bar says so.
  await broker.stop();
  await expect(state).toHaveAttribute('data-state', 'down', { timeout: 30_000 });
  await expect(indicator).toContainText('中断');
  await expect(view.getByTestId('link-problem')).toContainText('网络不通');
  await expect(view.getByTestId('link-log-entry').first()).toHaveAttribute('data-kind', 'down');

  // … and the operator keeps working: a comment is saved here and queues for the city.
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('incident-row').first().click();
  const note = `市级链路中断期间的备注 ${Date.now()}`;
  await page.getByTestId('comment-input').getByRole('textbox').fill(note);
  await page.getByTestId('comment-submit').click();
  await expect(page.getByTestId('timeline')).toContainText(note);
  await expect(page.getByTestId('link-indicator-backlog')).toContainText('积压 1');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/uplink-03-down-working.png` });

  // The broker is back: the link reconnects by itself and the backlog reaches zero.
  await broker.start();
  await indicator.click();
  await expect(state).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
  await expect(view.getByTestId('link-backlog')).toHaveText('0', { timeout: 30_000 });
  await expect(page.getByTestId('link-indicator-backlog')).toHaveCount(0);
  await expect(view.getByTestId('link-log-entry').first()).toHaveAttribute('data-kind', 'up');
  // One "link down" line for the outage (not one per failed attempt), with its cause in words.
  const downLines = view.locator('[data-testid="link-log-entry"][data-kind="down"]');
  await expect(downLines).toHaveCount(1);
  await expect(downLines).toContainText('链路中断');
  await expect(downLines).toContainText('网络不通');
  await waitFor('the comment at the city', () => city.db.prepare("SELECT 1 FROM events WHERE town = 'GS' AND type = 'commented' AND payload LIKE ?").get(`%${note}%`));
  expect(city.town('GS')).toMatchObject({ events: head.events + 1 });
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/uplink-04-back-drained.png` });

  // A directive from the city (督办): it appears, the title bar counts it, the operator signs for it as themselves.
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
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(indicator).toContainText('1 条待签收');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/uplink-05-directive-arrived.png` });
  await card.getByTestId('directive-sign').click();
  await expect(card.getByTestId('directive-signed')).toContainText(`${OPERATOR.name}（${OPERATOR.staffNo}）`);
  await expect(indicator).not.toContainText('待签收');
  await waitFor('the city to hear the signature', () => city.directive(directive.id)?.status === 'signed', 30_000);
  expect(city.directive(directive.id)).toMatchObject({ signedBy: OPERATOR.name, signedByStaffNo: OPERATOR.staffNo });
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/uplink-06-directive-signed.png` });

  // The signature is on the incident's timeline.
  await card.getByRole('button', { name: '查看事件' }).click();
  await expect(page.getByTestId('timeline')).toContainText(`${OPERATOR.name}（${OPERATOR.staffNo}）`);

  // A drill: the shift leader switches the link off; the title bar says so; the log names who.
  await loginAs(page, 'shift_leader');
  await page.getByTestId('nav-link').click();
  await view.getByTestId('link-switch').click();
  await expect(state).toHaveAttribute('data-state', 'off');
  await expect(indicator).toContainText('已断开');
  const switchedOff = view.getByTestId('link-log-entry').first();
  await expect(switchedOff).toHaveAttribute('data-kind', 'switched_off');
  await expect(switchedOff).toContainText(`${LEADER.name}（${LEADER.staffNo}）`);
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/uplink-07-drill-off.png` });
  expect(city.verify('GS').ok).toBe(true);
  // Left off: the specs after this one run without a broker to talk to.
});

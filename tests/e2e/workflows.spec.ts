import { cosignAs, loginAs } from './support/login';
import { expect, test, type Locator, type Page } from '@playwright/test';

/**
 * The two stories of the brief, in the real renderer against the Node host, offline:
 * the speedboat (camera → police with one key + Enter → arrested 2 → 21 days of quarantine → the
 * site board → every step on the timeline) and the debt petition settled at town level with a
 * lawyer. Plus the directory's CSV import refusing broken rows, supervision and statistics.
 */

const ARTIFACTS = 'tests/e2e/artifacts';
const foreignRequests: string[] = [];
/** Valid resident ID numbers (national checksum); the second with its last digit mistyped first. */
const ID_A = '11010519491231002X';
const ID_B = '440402199001011236';
const ID_B_TYPO = '440402199001011235';
/** A small PNG (a 1×1 pixel), standing in for a phone photo. */
const PHOTO_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function watchRequests(page: Page) {
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) foreignRequests.push(request.url());
  });
}

// Long stories on a shared, busy machine: more than the default minute each.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

/** Modals fade in; screenshots wait for the transition to end. */
const settle = (page: Page) => page.waitForTimeout(400);

/** The demo (incidents and the Guishan directory) on a fresh store; nothing to do when already there. */
async function ready(page: Page) {
  await page.goto('/');
  // The shift leader: escalations, steps, unmasking, the directory and supervision settings.
  await loginAs(page, 'shift_leader');
  const offer = page.getByTestId('demo-offer');
  const row = page.getByTestId('incident-row').first();
  await expect(offer.or(row)).toBeVisible();
  if (await offer.isVisible()) await offer.getByTestId('demo-load').click();
  await expect(row).toBeVisible();
}

async function createIncident(page: Page, title: string, category: RegExp, source: RegExp): Promise<{ detail: Locator; code: string }> {
  await page.getByTestId('incident-list').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('n');
  const form = page.getByTestId('incident-form');
  await expect(form).toBeVisible();
  await form.getByTestId('field-title').getByRole('textbox').fill(title);
  await form.getByTestId('field-category').click();
  await page.getByRole('option', { name: category }).click();
  await form.getByTestId('field-source').click();
  await page.getByRole('option', { name: source }).click();
  await form.getByTestId('form-submit').click();
  await expect(form).toBeHidden();
  const detail = page.getByTestId('incident-detail');
  await expect(detail.getByTestId('incident-title')).toHaveText(title);
  return { detail, code: (await detail.getByTestId('incident-code').textContent())!.trim() };
}

async function step(page: Page, card: Locator, action: string, fill?: (dialog: Locator) => Promise<void>) {
  await card.getByTestId(`workflow-action-${action}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  if (fill) await fill(dialog);
  await dialog.getByTestId('step-confirm').click();
  await expect(dialog).toBeHidden();
}

test('the speedboat: camera → police in one key + Enter → arrested 2 → 21 days of quarantine', async ({ page }) => {
  watchRequests(page);
  await ready(page);
  const { detail, code } = await createIncident(page, '桂山码头快艇高速靠岸，两人登岸后离开（联动测试）', /非法登岸/, /视频|摄像/);

  // One key opens the police sheet, pre-filled: the station on duty, its phone and radio channel.
  await detail.getByTestId('incident-title').click();
  await page.keyboard.press('p');
  const sheet = page.getByTestId('escalation-sheet-police');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByTestId('escalation-unit')).toHaveValue(/桂山边防派出所/);
  await expect(sheet.getByTestId('escalation-phone')).toHaveText('0756-8830110');
  await expect(sheet.getByTestId('escalation-radio')).toHaveText('治安 3 频道');
  await expect(sheet.getByTestId('escalation-send')).toBeFocused();
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/wf-01-police-sheet.png` });

  // The printable slip, offline.
  await sheet.getByTestId('escalation-print').click();
  const slip = page.getByTestId('dispatch-slip');
  await expect(slip).toContainText(code);
  await expect(slip).toContainText('0756-8830110');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/wf-02-dispatch-slip.png` });
  // On paper (print media) only the slip is there; Chromium turns it into a PDF without the network.
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: `${ARTIFACTS}/wf-02b-dispatch-slip-print-media.png` });
  await page.emulateMedia({ media: 'screen' });
  const pdf = await page.pdf({ path: `${ARTIFACTS}/wf-dispatch-slip.pdf`, format: 'A5', landscape: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.getByTestId('slip-close').click();
  await expect(slip).toBeHidden();
  // The closed slip gives focus back to its button once its transition ends; wait for that, or it
  // can take the focus from the send button after we put it there (and Enter prints again).
  await expect(sheet.getByTestId('escalation-print')).toBeFocused();

  // Enter sends.
  await sheet.getByTestId('escalation-send').focus();
  await page.keyboard.press('Enter');
  await expect(sheet).toBeHidden();
  const police = detail.getByTestId('workflow-police');
  await expect(police.getByTestId('workflow-status')).toHaveText('已派警');
  await expect(police.getByTestId('timer-ack')).toBeVisible();
  await expect(detail.getByTestId('status-badge')).toContainText('已派遣');
  // The status bar counts open workflows and the overdue ones (none yet).
  await expect(page.getByTestId('status-workflows')).toContainText(/联动 \d+ · 超时 0/);
  await page.screenshot({ path: `${ARTIFACTS}/wf-03-police-dispatched-timers.png` });

  await step(page, police, 'acknowledge');
  await step(page, police, 'arrive');
  await step(page, police, 'record_outcome', async (dialog) => {
    await expect(dialog.getByTestId('step-count')).toBeVisible();
    await dialog.getByTestId('step-count').fill('2');
    await dialog.getByTestId('step-note').fill('两人在企湾附近被抓获');
  });
  await expect(police.getByTestId('police-outcome')).toHaveText('抓获 2 人');
  await step(page, police, 'close');
  await expect(police.getByTestId('workflow-status')).toHaveText('已结束');

  // The station's photo of the arrest, for the result feedback: scaled, re-encoded, on the timeline.
  await detail.getByTestId('attachment-file').setInputFiles({ name: '抓获现场.png', mimeType: 'image/png', buffer: Buffer.from(PHOTO_PNG, 'base64') });
  await expect(detail.getByTestId('attachment-thumb')).toHaveCount(1);
  await expect(detail.getByTestId('attachment-thumb').locator('img')).toHaveAttribute('src', /^data:image\/jpeg;base64,/);
  await expect(detail.getByTestId('timeline').locator('[data-type="attachment_added"]')).toContainText('抓获现场.jpg');

  // Quarantine both at the island's site, 21 days by default; a mistyped ID is refused beside its field.
  await detail.getByTestId('incident-title').click();
  await page.keyboard.press('q');
  const q = page.getByTestId('escalation-sheet-quarantine');
  await expect(q).toBeVisible();
  await expect(q.getByTestId('escalation-unit')).toHaveValue(/桂山镇集中隔离点/);
  await expect(q.getByTestId('escalation-term')).toHaveValue('21');
  const rows = q.getByTestId('person-row');
  await rows.nth(0).getByTestId('person-name').fill('嫌疑人甲');
  await rows.nth(0).getByTestId('person-id').fill(ID_A);
  await q.getByTestId('escalation-persons-add').click();
  await rows.nth(1).getByTestId('person-name').fill('嫌疑人乙');
  await rows.nth(1).getByTestId('person-id').fill(ID_B_TYPO);
  await q.getByTestId('escalation-send').click();
  await expect(rows.nth(1)).toContainText('身份证号校验位不符');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/wf-04-quarantine-sheet-bad-id.png` });
  await rows.nth(1).getByTestId('person-id').fill(ID_B);
  await rows.nth(1).getByTestId('person-id').press('Enter');
  await expect(q).toBeHidden();

  const quarantine = detail.getByTestId('workflow-quarantine');
  await expect(quarantine.getByTestId('quarantine-person')).toHaveCount(2);
  await expect(quarantine).toContainText('第 1 / 21 天');
  // Masked in the panel; the full number only on an explicit, recorded look that a second person co-signs.
  await expect(quarantine.getByTestId('person-id-number').first()).toHaveText('1101**********002X');
  await quarantine.getByTestId('person-id-number-reveal').first().click();
  const reveal = page.getByTestId('reveal-form');
  await expect(reveal).toContainText('查看完整证件号码和电话');
  await cosignAs(reveal, 'town_leader');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/wf-04b-reveal-cosign.png` });
  await reveal.getByTestId('reveal-confirm').click();
  await expect(reveal).toBeHidden();
  await expect(quarantine.getByTestId('person-id-number').first()).toHaveText(ID_A);

  // A daily check.
  await quarantine.getByTestId('person-action-check').first().click();
  const check = page.getByRole('dialog');
  await check.getByTestId('step-temperature').fill('36.7');
  await check.getByTestId('step-confirm').click();
  await expect(check).toBeHidden();
  await expect(quarantine).toContainText('36.7 °C');

  // Every step on the incident's timeline.
  const timeline = detail.getByTestId('timeline');
  await expect(timeline.locator('[data-type="workflow_started"]')).toHaveCount(2);
  await expect(timeline.locator('[data-type="workflow_step"]')).toHaveCount(5);
  await expect(timeline.locator('[data-type="personal_data_viewed"]')).toHaveCount(1);
  await expect(timeline).toContainText('抓获 2 人');
  await expect(timeline).not.toContainText(ID_B);
  await page.screenshot({ path: `${ARTIFACTS}/wf-05-incident-workflows.png`, fullPage: true });
  await detail.getByTestId('timeline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}/wf-06-incident-timeline.png` });

  // The site board shows them.
  await page.getByTestId('nav-quarantine').click();
  const site = page.getByTestId('board-site').filter({ hasText: '桂山镇集中隔离点' });
  await expect(site.getByTestId('board-person')).toHaveCount(2);
  await expect(site.getByTestId('board-occupancy')).toHaveText('在住 2 / 30');
  await expect(site).toContainText(code);
  await expect(site).not.toContainText(ID_A);
  await page.screenshot({ path: `${ARTIFACTS}/wf-07-quarantine-board.png` });

  expect(foreignRequests, 'requests outside localhost').toEqual([]);
});

test('the debt petition settled at town level with a lawyer', async ({ page }) => {
  watchRequests(page);
  await ready(page);
  const { detail } = await createIncident(page, '三方食堂欠款13万元集体来访（联动测试）', /信访/, /来访/);

  // From the list row this time: its mediation button opens the same sheet for that incident.
  await page.getByTestId('search-input').fill('三方食堂欠款');
  const row = page.getByTestId('incident-row').filter({ hasText: '三方食堂欠款13万元集体来访' });
  await expect(row).toHaveCount(1);
  await row.hover();
  await page.screenshot({ path: `${ARTIFACTS}/wf-08a-row-escalation.png` });
  await row.getByTestId('row-escalate-mediation').click();
  const sheet = page.getByTestId('escalation-sheet-mediation');
  await expect(sheet).toBeVisible();
  await sheet.getByTestId('escalation-unit').click();
  await page.getByRole('option', { name: /桂山镇人民调解委员会/ }).click();
  await sheet.getByTestId('escalation-level').click();
  await page.getByRole('option', { name: '镇', exact: true }).click();
  await sheet.getByTestId('escalation-amount').fill('130000');
  await sheet.getByTestId('escalation-visitors').fill('3');
  await sheet.getByTestId('escalation-lawyer').click();
  await page.getByRole('option', { name: /林志明律师/ }).click();
  for (const name of ['食堂承包人 王某', '供货商 李某', '工程公司 代表']) {
    await sheet.getByTestId('escalation-parties-add').click();
    await sheet.getByTestId('party-name').last().fill(name);
  }
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/wf-08-mediation-sheet.png` });
  await sheet.getByTestId('escalation-send').click();
  await expect(sheet).toBeHidden();

  const card = detail.getByTestId('workflow-mediation');
  await expect(card.getByTestId('workflow-status')).toHaveText('调解中');
  await expect(card.getByTestId('mediation-participants')).toContainText('林志明律师');
  await expect(card.getByTestId('mediation-party')).toHaveCount(3);

  // A session whose end is before its start is refused beside the field.
  await card.getByTestId('workflow-action-add_session').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('step-room').fill('镇综治中心矛盾纠纷调解室');
  await dialog.getByTestId('step-attendees').fill('林志明律师, 调解员 何丽');
  await dialog.getByTestId('step-start').fill('2026-06-01T15:00');
  await dialog.getByTestId('step-end').fill('2026-06-01T14:00');
  await dialog.getByTestId('step-confirm').click();
  await expect(dialog).toContainText('结束时间必须晚于开始时间');
  await dialog.getByTestId('step-end').fill('2026-06-01T17:00');
  await dialog.getByTestId('step-note').fill('三方同意分期偿还');
  await dialog.getByTestId('step-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('mediation-session')).toContainText('镇综治中心矛盾纠纷调解室');

  await step(page, card, 'record_agreement', async (d) => {
    await d.getByTestId('step-note').fill('三个月内分三期付清');
  });
  await expect(card.getByTestId('mediation-agreement')).toContainText('130,000');
  await step(page, card, 'follow_up', async (d) => {
    await d.getByTestId('step-note').fill('回访：首期已付');
  });
  await expect(card.getByTestId('workflow-status')).toHaveText('已结束');
  await page.screenshot({ path: `${ARTIFACTS}/wf-09-mediation-settled.png` });

  // Statistics per unit count the mediation.
  await page.getByTestId('nav-stats').click();
  await expect(page.getByTestId('stats-total')).toBeVisible();
  await expect(page.getByTestId('stats-by-unit')).toContainText('桂山镇人民调解委员会');
  await page.screenshot({ path: `${ARTIFACTS}/wf-10-statistics.png` });

  // Supervision lists what is due; urging records it.
  await page.getByTestId('nav-supervision').click();
  await expect(page.getByTestId('supervision-item').first()).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/wf-11-supervision.png` });
  await page.getByTestId('supervision-urge').first().click();
  await expect(page.getByText(/已催办：GS-/)).toBeVisible();

  // The terms are seeded from practice and editable; out of order is refused beside the field.
  await page.getByTestId('settings-open').click();
  const settings = page.getByTestId('settings-form');
  await expect(settings.getByTestId('settings-hardDays')).toHaveValue('7');
  await expect(settings.getByTestId('settings-maxDays')).toHaveValue('15');
  await settings.getByTestId('settings-hardDays').fill('2');
  await settings.getByTestId('settings-save').click();
  await expect(settings).toContainText('不得短于“一般案件（日）”');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/wf-11b-settings-refused.png` });
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  // The same incident in English.
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('lang-toggle').click();
  await expect(detail.getByTestId('workflow-mediation').getByTestId('workflow-status')).toHaveText('Closed');
  await page.screenshot({ path: `${ARTIFACTS}/wf-14-mediation-en.png` });
  await page.getByTestId('lang-toggle').click();

  expect(foreignRequests, 'requests outside localhost').toEqual([]);
});

test('the directory refuses a CSV with broken rows, line by line, and imports a good one', async ({ page }) => {
  watchRequests(page);
  await ready(page);
  await page.getByTestId('nav-directory').click();
  const rows = page.getByTestId('directory-row');
  await expect(rows.first()).toBeVisible();
  const before = await rows.count();
  const header = 'kind,name,phone,radio_channel,grids,capacity,on_duty,note';
  await page.getByTestId('directory-file').setInputFiles({
    name: 'broken.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([header, 'lawyer,新律师,13800000000,,,,1,', 'spaceship,飞船,,,,,1,', 'quarantine_site,新隔离点,,,,,1,'].join('\n')),
  });
  await expect(page.getByTestId('import-error')).toHaveCount(2);
  await expect(page.getByTestId('import-errors')).toContainText('第 4 行 capacity：隔离点需填写床位数');
  await expect(rows).toHaveCount(before);
  await page.screenshot({ path: `${ARTIFACTS}/wf-12-directory-import-errors.png` });

  await page.getByTestId('directory-file').setInputFiles({
    name: 'good.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([header, 'quarantine_site,桂山中学临时隔离点,0756-8830503,卫健 2 频道,,40,1,备用'].join('\n')),
  });
  await expect(rows).toHaveCount(before + 1);
  await expect(page.getByTestId('directory-table')).toContainText('桂山中学临时隔离点');
  await page.screenshot({ path: `${ARTIFACTS}/wf-13-directory.png` });
  expect(foreignRequests, 'requests outside localhost').toEqual([]);
});

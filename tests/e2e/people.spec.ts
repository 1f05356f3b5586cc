import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { cosignAs, loginAs } from './support/login';

/**
 * People on duty, as a duty room would: the administrator creates an account; an operator opens a
 * case and escalates it, runs it to closed with the shift leader co-signing the closure on her
 * screen, and cannot assess it; the shift leader assesses it in a window of their own, the town
 * leader co-signing (a co-signer who worked on the case, or a wrong password, is refused); the analyst's window refuses operator actions; a locked window keeps the
 * console and unlocks; a session that ends keeps what was typed; the audit view names who did each
 * step, and the chain verifies. (Runs after incident-loop, which seeds the demo and its staff.)
 */

const ARTIFACTS = 'tests/e2e/artifacts';
const settle = (page: Page) => page.waitForTimeout(400);
const TITLE = '企湾村民反映夜间有不明船只靠岸（值班权限测试）';

// Generous: the machine these run on is shared and loaded; each step waits for the UI, not a clock.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

let code = '';

test('the administrator creates an account; the new person sets their own password at the first login', async ({ page }) => {
  await page.goto('/');
  // Demo mode: the login screen lists the demo duty room with their passwords.
  await expect(page.getByTestId('demo-accounts')).toContainText('guishan-op1');
  await page.screenshot({ path: `${ARTIFACTS}/people-01-login-demo.png` });
  await loginAs(page, 'admin');
  await page.getByTestId('nav-staff').click();
  await page.getByTestId('staff-add').click();
  const form = page.getByTestId('staff-form');
  await form.getByTestId('staff-form-staff-no').fill('GS0201');
  await form.getByTestId('staff-form-name').fill('郑小龙');
  await form.getByTestId('staff-form-phone').fill('13800000201');
  await form.getByTestId('staff-form-password').fill('gs0201abc');
  await form.getByTestId('staff-form-submit').click();
  await expect(form).toContainText('密码不能包含工号');
  await form.getByTestId('staff-form-password').fill('Temp-pass-2026');
  await form.getByTestId('staff-form-submit').click();
  await expect(form).toBeHidden();
  const row = page.getByTestId('staff-row-GS0201');
  await expect(row).toContainText('郑小龙');
  await expect(row).toContainText('值班员');
  await expect(row).toContainText('待改密');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/people-02-staff-created.png` });

  // The new person logs in on this window (switch user) and must choose a password first.
  await page.getByTestId('person-menu').click();
  await page.getByTestId('person-switch').click();
  const login = page.getByTestId('login-form').last();
  await login.getByTestId('login-staff-no').fill('GS0201');
  await login.getByTestId('login-password').fill('Temp-pass-2026');
  await login.getByTestId('login-submit').click();
  const change = page.getByTestId('change-password-screen');
  await expect(change).toBeVisible();
  await change.getByTestId('change-current').fill('Temp-pass-2026');
  await change.getByTestId('change-next').fill('Zheng-2026-xl');
  await change.getByTestId('change-submit').click();
  await expect(page.getByTestId('person-menu')).toContainText('郑小龙');
  // An operator sees no staff or audit views.
  await expect(page.getByTestId('nav-staff')).toHaveCount(0);
  await expect(page.getByTestId('nav-audit')).toHaveCount(0);
});

test('a wrong password and a lockout each say so', async ({ page }) => {
  await page.goto('/');
  const login = page.getByTestId('login-form');
  for (let i = 1; i <= 5; i++) {
    await login.getByTestId('login-staff-no').fill('GS0201');
    await login.getByTestId('login-password').fill(`wrong-pass-${i}`);
    await login.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toContainText(i < 5 ? '工号或密码错误' : '账号已锁定');
  }
  await page.screenshot({ path: `${ARTIFACTS}/people-03-locked-out.png` });
});

test('an operator opens and escalates a case and runs it to closed, but cannot assess it', async ({ page }) => {
  await page.goto('/');
  await loginAs(page, 'operator');
  await page.getByTestId('new-incident').click();
  const form = page.getByTestId('incident-form');
  await form.getByTestId('field-title').getByRole('textbox').fill(TITLE);
  await form.getByTestId('field-category').click();
  await page.getByRole('option', { name: /非法登岸/ }).click();
  await form.getByTestId('field-source').click();
  await page.getByRole('option', { name: /电话/ }).click();
  await form.getByTestId('form-submit').click();
  await expect(form).toBeHidden();
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toContainText(TITLE);
  code = (await detail.getByTestId('incident-code').textContent())!.trim();

  // Escalate to the police in one key + Enter.
  await detail.getByTestId('incident-title').click();
  await page.keyboard.press('p');
  const sheet = page.getByTestId('escalation-sheet-police');
  await expect(sheet).toBeVisible();
  await sheet.getByTestId('escalation-send').click();
  await expect(sheet).toBeHidden();

  const act = async (action: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) => {
    await detail.getByTestId(`action-${action}`).click();
    const dialog = page.getByRole('dialog');
    if (fill) await fill(dialog);
    await dialog.getByTestId('action-confirm').click();
    await expect(dialog).toBeHidden();
  };
  // The police escalation dispatched the incident to the station.
  await expect(detail.getByTestId('status-badge')).toContainText('已派遣');
  await act('start');
  await act('submit_feedback', async (dialog) => {
    await dialog.getByTestId('field-result').getByRole('textbox').fill('派出所核查：渔船避风靠岸，无人登岸。');
  });
  // 四眼原则: closing needs a second person. Without one the core says so beside the fields; the
  // shift leader then types their own staff number and password on the operator's screen.
  await detail.getByTestId('action-close').click();
  const closing = page.getByRole('dialog');
  await expect(closing.getByTestId('cosign')).toContainText('办结事件');
  await closing.getByTestId('action-confirm').click();
  await expect(closing.getByTestId('cosign-error')).toContainText('须由第二人');
  await cosignAs(closing, 'operator');
  await closing.getByTestId('action-confirm').click();
  await expect(closing.getByTestId('cosign')).toContainText('复核人不能是操作人本人');
  await cosignAs(closing, 'analyst');
  await closing.getByTestId('action-confirm').click();
  await expect(closing.getByTestId('cosign')).toContainText('无权复核');
  await cosignAs(closing, 'shift_leader');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/people-04a-close-cosign.png` });
  await closing.getByTestId('action-confirm').click();
  await expect(closing).toBeHidden();
  await expect(detail.getByTestId('status-badge')).toContainText('已办结');
  await expect(detail.getByTestId('timeline')).toContainText('复核：梁国栋');
  // The assessment is for leaders: the button is there, disabled, and says why.
  const assess = detail.getByTestId('action-assess');
  await expect(assess).toBeDisabled();
  await expect(assess).toHaveAttribute('data-denied', /值班员无此权限/);
  await assess.hover({ force: true });
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/people-04-operator-cannot-assess.png` });
});

test("the shift leader assesses it in a window of their own; the analyst's window refuses operator actions", async ({ browser }) => {
  const leader = await browser.newPage();
  const analyst = await browser.newPage();
  await leader.goto('/');
  await analyst.goto('/');
  await loginAs(leader, 'shift_leader');
  await loginAs(analyst, 'analyst');

  for (const page of [leader, analyst]) {
    await page.getByTestId('search-input').fill(code);
    await expect(page.getByTestId('incident-row')).toHaveCount(1);
    await page.getByTestId('incident-row').first().click();
  }
  const detail = leader.getByTestId('incident-detail');
  await detail.getByTestId('action-assess').click();
  const dialog = leader.getByRole('dialog');
  await dialog.getByTestId('field-score').locator('input[value="4"]').check({ force: true });
  // The co-signer must not have worked on the case: the operator who ran it is refused (and may not co-sign anyway).
  await cosignAs(dialog, 'town_leader');
  await dialog.getByTestId('cosign-password').fill('wrong-pass-9');
  await dialog.getByTestId('action-confirm').click();
  await expect(dialog.getByTestId('cosign')).toContainText('工号或密码错误');
  await cosignAs(dialog, 'town_leader');
  await dialog.getByTestId('action-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(detail.getByTestId('timeline')).toContainText('复核：周建华');

  // The analyst reads and comments, but every operator action is disabled with the reason.
  await expect(analyst.getByTestId('timeline')).toContainText('梁国栋');
  await expect(analyst.getByTestId('new-incident')).toBeDisabled();
  const other = analyst.getByTestId('search-input');
  await other.fill('');
  await expect(analyst.getByTestId('incident-row').first()).toBeVisible();
  await analyst.getByTestId('incident-row').first().click();
  await expect(analyst.getByTestId('escalate-police').or(analyst.getByTestId('detail-actions')).first()).toBeVisible();
  const actions = analyst.getByTestId('detail-actions').getByRole('button');
  for (const button of await actions.all()) await expect(button).toBeDisabled();
  await analyst.keyboard.press('n');
  await expect(analyst.getByTestId('incident-form')).toBeHidden();
  await settle(analyst);
  await analyst.screenshot({ path: `${ARTIFACTS}/people-05-analyst-window.png` });
  await leader.close();
  await analyst.close();
});

test('a locked window keeps the console and unlocks; a session that ends keeps what was typed', async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto('/');
  await loginAs(page, 'operator2');
  await page.getByTestId('person-menu').click();
  await page.getByTestId('person-lock').click();
  const overlay = page.getByTestId('lock-overlay');
  await expect(overlay).toBeVisible();
  await expect(page.getByTestId('incident-row').first()).toBeAttached();
  await overlay.getByTestId('unlock-password').fill('wrong-pass-1');
  await overlay.getByTestId('unlock-submit').click();
  await expect(overlay).toContainText('工号或密码错误');
  await page.screenshot({ path: `${ARTIFACTS}/people-06-locked-window.png` });
  await overlay.getByTestId('unlock-password').fill('guishan-op2');
  await overlay.getByTestId('unlock-submit').click();
  await expect(overlay).toBeHidden();

  // She types a comment; meanwhile the administrator disables and re-enables her account (her session ends).
  await page.getByTestId('incident-row').first().click();
  const note = '回访：村民确认夜间船只已离开。';
  await page.getByTestId('comment-input').getByRole('textbox').fill(note);
  const admin = await browser.newPage();
  await admin.goto('/');
  await loginAs(admin, 'admin');
  await admin.getByTestId('nav-staff').click();
  for (const active of [false, true]) {
    await admin.getByTestId('staff-edit-op02').click();
    const form = admin.getByTestId('staff-form');
    const toggle = form.getByTestId('staff-form-active');
    if ((await toggle.isChecked()) !== active) await toggle.click({ force: true });
    await form.getByTestId('staff-form-submit').click();
    await expect(form).toBeHidden();
  }
  await admin.close();

  // Her window learns it at its next call: this send, or a background one (the link status, the
  // jobs bar, the warnings inbox) that got there first — then the overlay already covers the button.
  const again = page.getByTestId('login-expired');
  if (!(await again.isVisible())) await page.getByTestId('comment-submit').click({ timeout: 5_000 }).catch(() => undefined);
  await expect(again).toBeVisible();
  // Over the console, not instead of it: the form and what was typed are still there underneath.
  await expect(page.getByTestId('comment-input').getByRole('textbox')).toHaveValue(note);
  await page.screenshot({ path: `${ARTIFACTS}/people-07-session-ended.png` });
  await again.getByTestId('login-staff-no').fill('op02');
  await again.getByTestId('login-password').fill('guishan-op2');
  await again.getByTestId('login-submit').click();
  await expect(again).toBeHidden();
  // What she typed is still there; sending it now works.
  await expect(page.getByTestId('comment-input').getByRole('textbox')).toHaveValue(note);
  await page.getByTestId('comment-submit').click();
  await expect(page.getByTestId('timeline')).toContainText(note);
  await page.close();
});

test('the audit view shows who did each step, verifies the chain and exports CSV', async ({ page }) => {
  await page.goto('/');
  await loginAs(page, 'shift_leader');
  await page.getByTestId('nav-audit').click();
  const view = page.getByTestId('audit-view');
  await expect(view.getByTestId('audit-row').first()).toBeVisible();
  await view.getByTestId('audit-table').getByRole('button', { name: code }).first().click();
  const rows = view.getByTestId('audit-row');
  await expect(rows.filter({ hasText: 'incidents.create' })).toContainText('陈海生');
  await expect(rows.filter({ hasText: 'workflows.escalate' })).toContainText('陈海生');
  // The assessment: the shift leader, co-signed by the town leader; the closure: the operator, co-signed by the shift leader.
  await expect(rows.filter({ hasText: 'incidents.transition' }).first()).toContainText('梁国栋');
  await expect(rows.filter({ hasText: 'incidents.transition' }).first()).toContainText('周建华');
  await expect(rows.filter({ hasText: 'incidents.transition' }).filter({ hasText: 'ok' }).nth(1)).toContainText('梁国栋');
  await expect(rows.filter({ hasText: 'incidents.transition' }).last()).toContainText('陈海生');
  await view.getByTestId('audit-verify').click();
  await expect(view.getByTestId('audit-verify-result')).toContainText('哈希链完整');
  await settle(page);
  await page.screenshot({ path: `${ARTIFACTS}/people-08-audit.png` });
  const [download] = await Promise.all([page.waitForEvent('download'), view.getByTestId('audit-export').click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv).toContain('时间(UTC+8),人员,角色,窗口,操作,事件,结果,原因,复核人');
  expect(csv).toContain(code);
  fs.writeFileSync(`${ARTIFACTS}/people-audit.csv`, csv);
});

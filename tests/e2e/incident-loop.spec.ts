import { E2E_ADMIN, cosignAs, loginAs } from './support/login';
import { expect, test, type Page } from '@playwright/test';

/**
 * The operator's main line, in the real renderer against the Node host: take the demo, create an
 * incident, find it by search, move it through the whole closed loop, read the timeline, switch
 * language — and nothing leaves localhost.
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

test.describe.configure({ mode: 'serial' });

test('an operator runs an incident through the closed loop', async ({ page }) => {
  // First start, the administrator, seeding the demo and the whole loop: over a minute on a loaded machine.
  test.setTimeout(300_000);
  watchRequests(page);
  await page.goto('/');

  // First start without accounts asks for the administrator (no default password).
  const setup = page.getByTestId('setup-screen');
  await expect(setup).toBeVisible({ timeout: 30_000 });
  await setup.getByTestId('setup-staff-no').fill(E2E_ADMIN.staffNo);
  await setup.getByTestId('setup-name').fill(E2E_ADMIN.name);
  await setup.getByTestId('setup-password').fill('short1');
  await setup.getByTestId('setup-password-again').fill('short1');
  await setup.getByTestId('setup-submit').click();
  await expect(setup).toContainText('密码至少 8 个字符');
  await setup.getByTestId('setup-password').fill(E2E_ADMIN.password);
  await setup.getByTestId('setup-password-again').fill(E2E_ADMIN.password);
  await page.screenshot({ path: `${ARTIFACTS}/00-first-start-administrator.png` });
  await setup.getByTestId('setup-submit').click();

  // The administrator's first start on an empty store offers the Guishan demo data set.
  const offer = page.getByTestId('demo-offer');
  // The console loads after the login (system info, categories): slow on a loaded machine.
  await expect(offer).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${ARTIFACTS}/01-first-start-demo-offer.png` });
  await offer.getByTestId('demo-load').click();
  await expect(page.getByTestId('incident-row').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('status-total')).toContainText('320');
  // Open incidents first, the most urgent on top; closed ones after them.
  await expect(page.getByTestId('incident-row').first().getByTestId('status-badge')).not.toContainText('已办结');
  await page.getByTestId('incident-row').first().click();
  await expect(page.getByTestId('incident-detail')).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/02-list-demo-zh.png` });
  // The administrator runs no incidents: the operator takes the window (switch user), and runs the loop.
  await loginAs(page, 'operator');

  // Create an incident with the keyboard shortcut; first try to save it empty.
  await page.getByTestId('incident-list').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('n');
  const form = page.getByTestId('incident-form');
  await expect(form).toBeVisible();
  await form.getByTestId('form-submit').click();
  await expect(form.getByTestId('field-title')).toContainText('必填');
  await page.screenshot({ path: `${ARTIFACTS}/03-form-validation-zh.png` });

  const title = '桂山码头发现可疑快艇两人登岸后离开（测试）';
  await form.getByTestId('field-title').getByRole('textbox').fill(title);
  await form.getByTestId('field-description').getByRole('textbox').fill('视频监控发现快艇高速靠岸，两人登岸后往企湾方向离开。');
  await form.getByTestId('field-category').click();
  await page.getByRole('option', { name: /非法登岸/ }).click();
  await form.getByTestId('field-source').click();
  await page.getByRole('option', { name: /视频告警|摄像头告警|视频/ }).click();
  await form.getByTestId('form-submit').click();
  await expect(form).toBeHidden();

  // The new incident is open in the detail pane; remember its code, then find it by search.
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toContainText(title);
  const code = (await detail.getByTestId('incident-code').textContent())!.trim();
  expect(code).toMatch(/^GS-\d{4}-\d{6}$/);

  await page.keyboard.press('Escape');
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type('快艇两人');
  await expect(page.getByTestId('incident-row')).toHaveCount(1);
  await expect(page.getByTestId('incident-row').first()).toContainText(code);
  await page.getByTestId('incident-row').first().click();
  await expect(detail.getByTestId('incident-code')).toHaveText(code);

  // Dispatch → start → feedback → reject → feedback → close (co-signed) → assess (by a leader, co-signed).
  const act = async (action: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) => {
    await detail.getByTestId(`action-${action}`).click();
    const dialog = page.getByRole('dialog');
    if (fill) await fill(dialog);
    await dialog.getByTestId('action-confirm').click();
    await expect(dialog).toBeHidden();
  };
  await act('dispatch', async (dialog) => {
    await dialog.getByTestId('field-assignee-name').getByRole('textbox').fill('桂山派出所');
  });
  await expect(detail.getByTestId('status-badge')).toContainText('已派遣');
  await act('start');
  await act('submit_feedback', async (dialog) => {
    await dialog.getByTestId('field-result').getByRole('textbox').fill('已抓获两名嫌疑人，移交隔离点。');
  });
  await act('reject_feedback', async (dialog) => {
    await dialog.getByTestId('field-reason').getByRole('textbox').fill('请补充抓获地点和时间。');
  });
  await act('submit_feedback', async (dialog) => {
    await dialog.getByTestId('field-result').getByRole('textbox').fill('在企湾附近抓获两人，已送隔离点集中隔离21天。');
  });
  // 四眼原则: the shift leader confirms the closure on the operator's screen with their own credentials.
  await act('close', async (dialog) => {
    await cosignAs(dialog, 'shift_leader');
  });
  await expect(detail.getByTestId('status-badge')).toContainText('已办结');
  // The operator may not assess; the town leader takes the window and assesses, the shift leader co-signs.
  await expect(detail.getByTestId('action-assess')).toBeDisabled();
  await loginAs(page, 'town_leader');
  await act('assess', async (dialog) => {
    await dialog.getByTestId('field-score').locator('input[value="5"]').check({ force: true });
    await dialog.getByTestId('field-comment').getByRole('textbox').fill('处置迅速，闭环完整。');
    await cosignAs(dialog, 'shift_leader');
  });

  // The timeline holds every step, newest included.
  const timeline = detail.getByTestId('timeline');
  await expect(timeline.getByTestId('timeline-item')).toHaveCount(8);
  await expect(timeline).toContainText('桂山派出所');
  await expect(timeline).toContainText('请补充抓获地点和时间');
  await expect(timeline.getByTestId('tl-cosigner')).toHaveCount(2);
  await page.screenshot({ path: `${ARTIFACTS}/04-detail-timeline-zh.png` });

  // English.
  await page.getByTestId('lang-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(detail.getByTestId('status-badge')).toContainText('Closed');
  await page.screenshot({ path: `${ARTIFACTS}/05-detail-timeline-en.png` });
  await page.getByTestId('search-input').fill('');
  await expect(page.getByTestId('incident-row').first()).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/06-list-en.png` });

  expect(foreignRequests, 'requests outside localhost').toEqual([]);
});

test('a change made in one window shows in another without reload', async ({ browser }) => {
  const first = await browser.newPage();
  const second = await browser.newPage();
  watchRequests(first);
  watchRequests(second);
  await first.goto('/');
  await second.goto('/');
  // Each window logs in on its own: the operator in one, the analyst (who may comment) in the other.
  await loginAs(first, 'operator');
  await loginAs(second, 'analyst');
  const row = first.getByTestId('incident-row').first();
  await expect(row).toBeVisible();
  await row.click();
  const code = (await first.getByTestId('incident-detail').getByTestId('incident-code').textContent())!.trim();
  await second.getByTestId('search-input').fill(code);
  await expect(second.getByTestId('incident-row')).toHaveCount(1);
  await second.getByTestId('incident-row').first().click();

  const note = `第二窗口同步测试 ${Date.now()}`;
  await first.getByTestId('comment-input').getByRole('textbox').fill(note);
  await first.getByTestId('comment-submit').click();
  await expect(second.getByTestId('timeline')).toContainText(note);
  expect(foreignRequests, 'requests outside localhost').toEqual([]);
});

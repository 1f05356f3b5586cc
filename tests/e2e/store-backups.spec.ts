/**
 * Backups from the console (issue 16): the administrator backs up now (a job: its bar in the jobs
 * panel) and runs the full integrity check; the list shows the backup with its verified state.
 * Runs on the shared e2e store after incident-loop.spec.ts has seeded the demo.
 */
import { expect, test } from '@playwright/test';
import { loginAs } from './support/login';

test('the administrator backs up now and checks the store; the backup is listed, verified', async ({ page }) => {
  await page.goto('/');
  await loginAs(page, 'admin');
  await page.getByTestId('nav-backups').click();
  const view = page.getByTestId('view-backups-body');
  await expect(view).toBeVisible();
  await page.getByTestId('backup-now').click();
  const list = page.getByTestId('backup-list');
  await expect(list.locator('tbody tr')).toHaveCount(1, { timeout: 60_000 });
  await expect(list).toContainText('已校验');
  await page.getByTestId('store-check').click();
  await expect(page.getByTestId('store-check-result')).toContainText('数据库完整', { timeout: 60_000 });
  await page.screenshot({ path: 'test-results/backups-view.png' });
});

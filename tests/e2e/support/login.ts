import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Logging e2e windows in (README → People on duty → tests). Every page starts at the login screen:
 *
 *   await page.goto('/');
 *   await loginAs(page, 'operator');   // a demo account of that role (the demo is seeded by incident-loop)
 *   await loginAs(page, 'all');        // the e2e's duty officer holding every role (older specs' screens mix them)
 *   await cosignAs(dialog, 'shift_leader');  // a second person types their own credentials on a co-signed form (四眼原则)
 *
 * On a page already logged in, loginAs switches user through the header's person menu.
 */

/** The e2e store's administrator, created on the first-start screen by incident-loop.spec.ts. */
export const E2E_ADMIN = { staffNo: 'e2e-admin', name: '系统管理员 测试', password: 'Guishan-admin-2026' } as const;

/** The demo duty room (electron/core/people/demo-staff.ts): shown on the login screen of a demo store. */
export const DEMO_ACCOUNTS = {
  operator: { staffNo: 'op01', name: '陈海生', password: 'guishan-op1' },
  operator2: { staffNo: 'op02', name: '林晓燕', password: 'guishan-op2' },
  analyst: { staffNo: 'an01', name: '黄志强', password: 'guishan-an1' },
  shift_leader: { staffNo: 'ld01', name: '梁国栋', password: 'guishan-ld1' },
  town_leader: { staffNo: 'tl01', name: '周建华', password: 'guishan-tl1' },
  admin: { staffNo: 'ad01', name: '何文', password: 'guishan-ad1' },
  drill_controller: { staffNo: 'dr01', name: '吴敏', password: 'guishan-dr1' },
} as const;

/** Holds every role: for specs written before roles, whose screens mix operator, leader and administrator work. */
export const ALL_ROLES_ACCOUNT = { staffNo: 'e2e-all', name: '值班员 测试', password: 'Duty-console-2026' } as const;

export type LoginAs = keyof typeof DEMO_ACCOUNTS | 'all' | 'e2e-admin';

const ACCOUNTS: Record<LoginAs, { staffNo: string; name: string; password: string }> = {
  ...DEMO_ACCOUNTS,
  all: ALL_ROLES_ACCOUNT,
  'e2e-admin': E2E_ADMIN,
};

export async function loginAs(page: Page, who: LoginAs): Promise<void> {
  if (who === 'all') await ensureAllRolesAccount(page);
  const account = ACCOUNTS[who];
  const form = page.getByTestId('login-form');
  const menu = page.getByTestId('person-menu');
  await expect(form.or(menu).first()).toBeVisible({ timeout: 30_000 });
  if (!(await form.isVisible())) {
    if ((await menu.textContent())?.includes(account.name)) return;
    await menu.click();
    await page.getByTestId('person-switch').click();
  }
  const visible = page.getByTestId('login-form').last();
  await visible.getByTestId('login-staff-no').fill(account.staffNo);
  await visible.getByTestId('login-password').fill(account.password);
  await visible.getByTestId('login-submit').click();
  await expect(menu).toContainText(account.name, { timeout: 20_000 });
}

/**
 * Creates the every-role account once, through the contract from this page (a WebSocket of its own
 * origin), as the demo administrator: create with a temporary password, then the first login's change.
 */
async function ensureAllRolesAccount(page: Page): Promise<void> {
  if (!page.url().startsWith('http')) await page.goto('/');
  const error = await page.evaluate(
    async ({ admin, all }) => {
      const call = (ws: WebSocket, id: number, name: string, input: unknown) =>
        new Promise<{ ok: boolean; error?: { reason?: string; message: string } }>((resolve) => {
          const onMessage = (event: MessageEvent) => {
            const frame = JSON.parse(String(event.data)) as { t: string; id?: number; result?: { ok: boolean; error?: { reason?: string; message: string } } };
            if (frame.t === 'result' && frame.id === id) {
              ws.removeEventListener('message', onMessage);
              resolve(frame.result!);
            }
          };
          ws.addEventListener('message', onMessage);
          ws.send(JSON.stringify({ t: 'invoke', id, name, input }));
        });
      const open = () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
          ws.onopen = () => resolve(ws);
          ws.onerror = () => reject(new Error('socket refused'));
        });
      const ws = await open();
      try {
        const probe = await call(ws, 1, 'auth.login', { staffNo: all.staffNo, password: all.password });
        if (probe.ok) return null;
        let answer = await call(ws, 2, 'auth.login', { staffNo: admin.staffNo, password: admin.password });
        if (!answer.ok) return `admin login: ${answer.error?.message}`;
        const roles = ['operator', 'analyst', 'shift_leader', 'town_leader', 'admin', 'drill_controller'];
        answer = await call(ws, 3, 'staff.create', { draft: { staffNo: all.staffNo, name: all.name, roles }, password: 'Temporary-pass-1' });
        if (!answer.ok) return `create: ${answer.error?.message}`;
        answer = await call(ws, 4, 'auth.login', { staffNo: all.staffNo, password: 'Temporary-pass-1' });
        if (!answer.ok) return `first login: ${answer.error?.message}`;
        answer = await call(ws, 5, 'auth.changePassword', { current: 'Temporary-pass-1', next: all.password });
        return answer.ok ? null : `change: ${answer.error?.message}`;
      } finally {
        ws.close();
      }
    },
    { admin: DEMO_ACCOUNTS.admin, all: ALL_ROLES_ACCOUNT },
  );
  expect(error).toBeNull();
}

/**
 * Co-sign (四眼原则): the second person types their own staff number and password into the co-sign
 * fields of the form in `scope` (a dialog, a sheet). Closing, assessing, unmasking, an early release,
 * mediation going to county, editing a recorded case, deleting a directory record and settings ask for it.
 */
export async function cosignAs(scope: Locator | Page, who: LoginAs): Promise<void> {
  const account = ACCOUNTS[who];
  const box = scope.getByTestId('cosign');
  await expect(box).toBeVisible();
  await box.getByTestId('cosign-staff-no').fill(account.staffNo);
  await box.getByTestId('cosign-password').fill(account.password);
}

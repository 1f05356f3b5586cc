/**
 * Logging test windows in. Every window starts logged out; contract suites and other tests sign in
 * with these helpers (README → "People on duty" → tests).
 *
 *   const client = createClient(createMemoryTransport(core));
 *   await signIn(core, client);                 // the suite's person: every role, name 值班员 陈海生
 *   await signIn(core, client, 'analyst');      // a person holding just that role
 */
import { ContractError, ROLES, type ConsoleClient, type Cosign, type Role } from '@shared';
import { createClient } from '@shared';
import type { Core } from '../../electron/core';
import { createMemoryTransport } from '../../electron/core/transport/memory';

/** The person the contract suites act as: holds every role, so every command is allowed. */
export const SUITE_PERSON = { staffNo: 'suite', name: '值班员 陈海生', roles: [...ROLES] as Role[] } as const;
export const TEST_PASSWORD = 'test-pass-2026';
/** The suites move their clock by weeks (quarantine terms): their sessions last a year of test time. */
export const TEST_SESSION_HOURS = 24 * 365;

export interface TestPerson {
  staffNo: string;
  name: string;
  roles: Role[];
}

/** One person per role, named after it (`role-operator`, 测试 operator). */
export function personFor(role: Role): TestPerson {
  return { staffNo: `role-${role}`, name: `测试 ${role}`, roles: [role] };
}

const made = new WeakMap<Core, Map<string, Promise<void>>>();

/** Creates the person once per core (through the in-process system door), with a password they need not change. */
export function ensurePerson(core: Core, person: TestPerson): Promise<void> {
  let perCore = made.get(core);
  if (!perCore) made.set(core, (perCore = new Map()));
  let pending = perCore.get(person.staffNo);
  if (!pending) {
    pending = (async () => {
      const created = await core.dispatch('staff.create', { draft: { staffNo: person.staffNo, name: person.name, roles: person.roles }, password: 'temporary-1' });
      if (!created.ok) throw new ContractError(created.error);
      // A created account must change its password at the first login: do that once, here.
      const first = createMemoryTransport(core);
      const client = createClient(first);
      await client.invoke('auth.login', { staffNo: person.staffNo, password: 'temporary-1' });
      await client.invoke('auth.changePassword', { current: 'temporary-1', next: TEST_PASSWORD });
      first.close();
    })();
    perCore.set(person.staffNo, pending);
  }
  return pending;
}

/** Logs a window in as the suite's person, a role's test person, or a given person. */
export async function signIn(core: Core, client: ConsoleClient, who: Role | TestPerson = SUITE_PERSON): Promise<void> {
  const person = typeof who === 'string' ? personFor(who) : who;
  await ensurePerson(core, person);
  await client.invoke('auth.login', { staffNo: person.staffNo, password: TEST_PASSWORD });
}

/**
 * A second person's own credentials for a co-signed act (四眼原则), as typed on the acting window:
 * a test person of that role (default: the shift leader), created once per core.
 *
 *   await client.invoke('incidents.transition', { id, expectedVersion, transition: { action: 'close' }, cosign: await cosignBy(core) });
 */
export async function cosignBy(core: Core, who: Role | TestPerson = 'shift_leader'): Promise<Cosign> {
  const person = typeof who === 'string' ? personFor(who) : who;
  await ensurePerson(core, person);
  return { staffNo: person.staffNo, password: TEST_PASSWORD };
}

/**
 * A session token for a page driven without the login screen (benchmarks): put it in the page's
 * sessionStorage before the app loads (`authorizePage`), and its socket connects logged in.
 */
export async function sessionTokenFor(core: Core, who: Role | TestPerson = SUITE_PERSON): Promise<string> {
  const person = typeof who === 'string' ? personFor(who) : who;
  await ensurePerson(core, person);
  const transport = createMemoryTransport(core);
  const session = await createClient(transport).invoke('auth.login', { staffNo: person.staffNo, password: TEST_PASSWORD });
  // The session outlives this memory window: closing it leaves the token valid for the page.
  transport.close();
  return session.token;
}

/** Makes a Playwright page open the console logged in with `token` (renderer/src/transport/session-token.ts). */
export async function authorizePage(page: { addInitScript(script: string): Promise<unknown> }, token: string): Promise<void> {
  await page.addInitScript(`sessionStorage.setItem('duty-console.session', ${JSON.stringify(token)})`);
}

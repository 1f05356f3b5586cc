/**
 * People on duty over every transport: first start, login, lockout, reset, lock, switch user, expiry,
 * the actor on events, the audit trail, event filtering, passwords never leaving core — and the
 * permission matrix: every command for every role, a refused call leaving the store byte-identical.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  COMMAND_NAMES,
  COMMAND_RULES,
  ContractError,
  LOCKOUT,
  ROLES,
  ROLE_PERMISSIONS,
  commands,
  peopleCommands,
  roleMayRun,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type ConsoleClient,
  type Role,
} from '@shared';
import { openCore, type Core } from '../../electron/core';
import { DATABASE_FILE } from '../../electron/core/store/database';
import { DRAFT, NOW, expectContractError, nextEvent, rawInvoke, type TransportFactory, type TransportHarness } from './suite';
import { TEST_PASSWORD, cosignBy, personFor, signIn, type TestPerson } from './login';

const HOUR = 3_600_000;
const ADMIN_PASSWORD = 'Admin-pass-1';

/** A co-signer who holds no other role the matrix test signs in as. */
const COSIGNER: TestPerson = { staffNo: 'cosigner', name: '测试 复核人', roles: ['town_leader'] };

/** What a refused co-signed act must leave as it was: the case, its chain, the outbox, the workflows. */
function caseDump(dir: string): string {
  return JSON.stringify(JSON.parse(dump(dir)).filter(([name]: [string]) => !['staff', 'audit'].includes(name)));
}

/** Every table, every row, in rowid order: equal dumps mean an unchanged store. */
function dump(dir: string): string {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    return JSON.stringify(
      tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).raw().all()]),
      (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v),
    );
  } finally {
    db.close();
  }
}

export function peopleSuite(label: string, factory: TransportFactory): void {
  describe(`people on duty over ${label}`, () => {
    let dir: string;
    let clock: number;
    let core: Core;
    let harness: TransportHarness;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-people-'));
      clock = NOW;
      core = openCore({ dataDir: dir, host: 'node', version: '0.0.0-test', now: () => clock });
      harness = await factory(core);
    });

    afterEach(async () => {
      await harness.close();
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** A window of its own, logged out. */
    const window = async (): Promise<ConsoleClient> => {
      const { client } = await harness.open();
      await client.invoke('auth.logout', {});
      return client;
    };

    it('first start asks for the administrator (no default password), once; nothing but the login screen answers before', async () => {
      // The harness logs its windows in as the suite's person, which exists then: use a bare core here.
      const client = await window();
      const bare = openCore({ dataDir: path.join(dir, 'bare'), host: 'node', version: '0.0.0-test', now: () => clock });
      try {
        const { createMemoryTransport } = await import('../../electron/core/transport/memory');
        const { createClient } = await import('@shared');
        const first = createClient(createMemoryTransport(bare));
        const status = await first.invoke('auth.status', {});
        expect(status).toMatchObject({ setupNeeded: true, session: null, demoAccounts: [] });
        const refused = await expectContractError(first.invoke('incidents.summary', {}), 'forbidden');
        expect(refused.reason).toBe('auth.required');
        const weak = await expectContractError(first.invoke('auth.setup', { staffNo: 'admin', name: '管理员', password: 'short1' }), 'validation');
        expect(weak.reason).toBe('auth.password_too_short');
        expect(weak.issues[0]).toMatchObject({ path: 'password', reason: 'auth.password_too_short', params: { min: 8 } });
        await expectContractError(first.invoke('auth.setup', { staffNo: 'admin', name: '管理员', password: 'onlyletters' }), 'validation');
        const session = await first.invoke('auth.setup', { staffNo: 'gly01', name: '管理员', password: ADMIN_PASSWORD });
        expect(session).toMatchObject({ staff: { staffNo: 'gly01', roles: ['admin'] }, locked: false, mustChangePassword: false });
        const again = await expectContractError(first.invoke('auth.setup', { staffNo: 'x', name: 'x', password: ADMIN_PASSWORD }), 'conflict');
        expect(again.reason).toBe('auth.already_set_up');
        expect((await first.invoke('auth.status', {})).setupNeeded).toBe(false);
      } finally {
        bare.close();
      }
      expect(await client.invoke('auth.status', {})).toMatchObject({ session: null });
    });

    it('logs in, records the person (id, name, roles) on every event, and keeps wrong passwords, lockout and disabled accounts apart', async () => {
      const client = await window();
      await signIn(core, client, 'operator');
      const me = (await client.invoke('auth.status', {})).session!;
      expect(me.staff).toMatchObject({ name: '测试 operator', roles: ['operator'] });
      const created = await client.invoke('incidents.create', { draft: DRAFT });
      const { timeline } = await client.invoke('incidents.get', { id: created.id });
      expect(timeline[0]).toMatchObject({ actor: '测试 operator', actorId: me.staff.id, actorRoles: ['operator'], cosigner: null });
      expect((await client.invoke('events.verify', {}).catch((e: ContractError) => e)) instanceof ContractError).toBe(true); // operators hold no audit.view

      const other = await window();
      const wrong = await expectContractError(other.invoke('auth.login', { staffNo: 'role-operator', password: 'wrong-pass-1' }), 'forbidden');
      expect(wrong.reason).toBe('auth.bad_credentials');
      const unknown = await expectContractError(other.invoke('auth.login', { staffNo: 'nobody', password: 'wrong-pass-1' }), 'forbidden');
      expect(unknown.reason).toBe('auth.bad_credentials'); // the same answer: no staff numbers to fish for
      for (let i = 2; i < LOCKOUT.attempts; i++) await expectContractError(other.invoke('auth.login', { staffNo: 'role-operator', password: 'wrong-pass-1' }), 'forbidden');
      const locked = await expectContractError(other.invoke('auth.login', { staffNo: 'role-operator', password: 'wrong-pass-1' }), 'forbidden');
      expect(locked.reason).toBe('auth.locked_out');
      expect(locked.params).toMatchObject({ untilMs: clock + LOCKOUT.minutes * 60_000, until: '10:15', attempts: LOCKOUT.attempts });
      // Locked: even the right password waits for the release time…
      expect((await expectContractError(other.invoke('auth.login', { staffNo: 'role-operator', password: TEST_PASSWORD }), 'forbidden')).reason).toBe('auth.locked_out');
      clock += LOCKOUT.minutes * 60_000;
      // …and works after it.
      await other.invoke('auth.login', { staffNo: 'role-operator', password: TEST_PASSWORD });

      // An administrator disables the account: its sessions end, and the login says "disabled" (only to the right password).
      const admin = await window();
      await signIn(core, admin, 'admin');
      await admin.invoke('staff.update', { id: me.staff.id, draft: { name: '测试 operator', phone: '', roles: ['operator'] }, active: false });
      expect((await expectContractError(client.invoke('incidents.summary', {}), 'forbidden')).reason).toBe('auth.expired');
      expect((await expectContractError(other.invoke('auth.login', { staffNo: 'role-operator', password: TEST_PASSWORD }), 'forbidden')).reason).toBe('auth.disabled');
      expect((await expectContractError(other.invoke('auth.login', { staffNo: 'role-operator', password: 'wrong-pass-1' }), 'forbidden')).reason).toBe('auth.bad_credentials');
    });

    it('an administrator creates staff and resets passwords: the person must change it at the next login', async () => {
      const admin = await window();
      await signIn(core, admin, 'admin');
      const draft = { staffNo: 'GS0107', name: '李明', phone: '13800000000', roles: ['operator', 'analyst'] as Role[] };
      const weak = await expectContractError(admin.invoke('staff.create', { draft, password: 'gs0107abc' }), 'validation');
      expect(weak.reason).toBe('auth.password_contains_staff_no');
      const person = await admin.invoke('staff.create', { draft, password: 'Temp-pass-1' });
      expect(person).toMatchObject({ ...draft, active: true, mustChangePassword: true, lockedUntil: null, demo: false });
      expect((await expectContractError(admin.invoke('staff.create', { draft: { ...draft, staffNo: 'gs0107' }, password: 'Temp-pass-1' }), 'conflict')).reason).toBe('auth.staff_no_taken');

      const li = await window();
      const first = await li.invoke('auth.login', { staffNo: 'gs0107', password: 'Temp-pass-1' });
      expect(first.mustChangePassword).toBe(true);
      expect((await expectContractError(li.invoke('incidents.summary', {}), 'forbidden')).reason).toBe('auth.must_change_password');
      expect((await expectContractError(li.invoke('auth.changePassword', { current: 'Temp-pass-1', next: 'Temp-pass-1' }), 'validation')).reason).toBe('auth.password_reused');
      const changed = await li.invoke('auth.changePassword', { current: 'Temp-pass-1', next: 'Li-Ming-2026' });
      expect(changed.mustChangePassword).toBe(false);
      expect(await li.invoke('incidents.summary', {})).toMatchObject({ total: 0 });

      const reset = await admin.invoke('staff.resetPassword', { id: person.id, password: 'Reset-pass-2' });
      expect(reset.mustChangePassword).toBe(true);
      // The reset ends the person's open sessions.
      expect((await expectContractError(li.invoke('incidents.summary', {}), 'forbidden')).reason).toBe('auth.expired');
      expect((await li.invoke('auth.login', { staffNo: 'GS0107', password: 'Reset-pass-2' })).mustChangePassword).toBe(true);

      // The last administrator cannot be disabled (the suite's person, who holds every role, gives the admin role up first).
      const suite = (await admin.invoke('staff.list', {})).staff.find((s) => s.staffNo === 'suite')!;
      await admin.invoke('staff.update', { id: suite.id, draft: { name: suite.name, phone: '', roles: ['operator'] }, active: true });
      const adminId = (await admin.invoke('auth.status', {})).session!.staff.id;
      expect((await expectContractError(admin.invoke('staff.update', { id: adminId, draft: { name: 'x', phone: '', roles: ['admin'] }, active: false }), 'conflict')).reason).toBe('auth.last_admin');
    });

    it('a locked window still reads (the wall, alarms) but refuses actions until the same person unlocks; switch user starts afresh', async () => {
      const client = await window();
      await signIn(core, client, 'operator');
      const locked = await client.invoke('auth.lock', {});
      expect(locked.locked).toBe(true);
      expect(await client.invoke('incidents.summary', {})).toMatchObject({ total: 0 });
      await client.invoke('cameras.list', {});
      const before = dump(dir);
      expect((await expectContractError(client.invoke('incidents.create', { draft: DRAFT }), 'forbidden')).reason).toBe('auth.locked');
      expect(dump(dir)).toBe(before);
      expect((await expectContractError(client.invoke('auth.unlock', { password: 'wrong-pass-1' }), 'forbidden')).reason).toBe('auth.bad_credentials');
      expect((await client.invoke('auth.unlock', { password: TEST_PASSWORD })).locked).toBe(false);
      await client.invoke('incidents.create', { draft: DRAFT });

      // Switch user on the same window: the analyst now acts here, and may not do what the operator did.
      await client.invoke('auth.lock', {});
      await signIn(core, client, 'analyst');
      const status = await client.invoke('auth.status', {});
      expect(status.session).toMatchObject({ staff: { roles: ['analyst'] }, locked: false });
      const refused = await expectContractError(client.invoke('incidents.create', { draft: DRAFT }), 'forbidden');
      expect(refused).toMatchObject({ reason: 'auth.forbidden', params: { permission: 'incidents.report' } });
    });

    it('a session ends after its hours; the window is told auth.expired and logs in again', async () => {
      const client = await window();
      await signIn(core, client, 'operator');
      clock += 24 * HOUR;
      expect((await expectContractError(client.invoke('incidents.summary', {}), 'forbidden')).reason).toBe('auth.expired');
      await signIn(core, client, 'operator');
      expect(await client.invoke('incidents.summary', {})).toMatchObject({ total: 0 });
    });

    it('events go only to windows whose person may see them; none before login', async () => {
      const operator = await window();
      await signIn(core, operator, 'operator');
      const admin = await window();
      await signIn(core, admin, 'admin');
      const anonymous = await window();
      const seen: string[] = [];
      operator.subscribe('staff.changed', () => seen.push('operator'));
      anonymous.subscribe('incident.changed', () => seen.push('anonymous'));
      const adminSees = nextEvent(admin, 'staff.changed');
      await admin.invoke('staff.create', { draft: { staffNo: 'x1', name: 'x', roles: ['analyst'] }, password: 'Temp-pass-1' });
      await adminSees;
      const operatorSees = nextEvent(operator, 'incident.changed');
      await operator.invoke('incidents.create', { draft: DRAFT });
      await operatorSees;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual([]);
    });

    it('the audit trail says who did what, when, from which window; its CSV escapes formula cells', async () => {
      const operator = await window();
      await signIn(core, operator, 'operator');
      const created = await operator.invoke('incidents.create', { draft: { ...DRAFT, title: '=HYPERLINK("http://x")' } });
      await operator.invoke('incidents.comment', { id: created.id, text: '已通知' });
      const leader = await window();
      await signIn(core, leader, 'shift_leader');
      const { rows, total } = await leader.invoke('audit.list', { filter: { incidentId: created.id } });
      expect(total).toBe(2);
      expect(rows.map((r) => [r.command, r.staffName, r.roles, r.outcome])).toEqual([
        ['incidents.comment', '测试 operator', ['operator'], 'ok'],
        ['incidents.create', '测试 operator', ['operator'], 'ok'],
      ]);
      expect(rows[0]!.window).toMatch(/^(memory|ws)/);
      const logins = await leader.invoke('audit.list', { filter: { command: 'auth.login' } });
      expect(logins.rows.map((r) => r.staffName)).toEqual(expect.arrayContaining(['测试 operator', '测试 shift_leader']));
      await expectContractError(operator.invoke('audit.list', {}), 'forbidden');

      await expectContractError(leader.invoke('auth.login', { staffNo: '=cmd|calc', password: 'wrong-pass-1' }), 'forbidden');
      // An actor named like a formula (the staff number tried is the actor of a failed login).
      await expectContractError(leader.invoke('auth.login', { staffNo: '@SUM(A1:A9)', password: 'wrong-pass-1' }), 'forbidden');
      await signIn(core, leader, 'shift_leader');
      const { csv } = await leader.invoke('audit.exportCsv', { filter: { command: 'auth.login' } });
      expect(csv).toContain(`'=cmd|calc`);
      expect(csv).toContain(`,'@SUM(A1:A9),`);
      expect(csv.split(/[\r\n,]+/).filter((cell) => /^"?[=+\-@]/.test(cell))).toEqual([]);
      expect(csv.split('\r\n')[0]).toContain('人员');
    });

    it('never lets a password out: not in the database file, not in any answer, not in any log', async () => {
      const logs: string[] = [];
      const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' '))),
      );
      const answers: unknown[] = [];
      try {
        const admin = await window();
        await signIn(core, admin, 'admin');
        const secret = 'Very-secret-77';
        const record = async <N extends CommandName>(name: N, input: CommandInput<N>) => {
          const value = await admin.invoke(name, input).catch((e: unknown) => e);
          answers.push(value instanceof ContractError ? value.toBody() : value);
          return value as CommandOutput<N>;
        };
        const person = await record('staff.create', { draft: { staffNo: 'pw1', name: '张三', roles: ['operator'] }, password: secret });
        await record('staff.resetPassword', { id: person.id, password: secret + 'x' });
        await record('staff.list', {});
        await record('auth.login', { staffNo: 'pw1', password: secret });
        await record('auth.login', { staffNo: 'pw1', password: secret + 'x' });
        await record('auth.changePassword', { current: secret + 'x', next: secret + 'y' });
        await record('auth.status', {});
        // A co-signer's password, right and wrong, typed on someone else's window.
        const settings = await record('workflows.settings', {});
        await record('workflows.updateSettings', { settings, cosign: { staffNo: 'pw1', password: secret + 'y' } });
        await record('workflows.updateSettings', { settings, cosign: { staffNo: 'pw1', password: secret + 'z' } });
        await record('audit.list', {});
        const text = JSON.stringify(answers) + logs.join('\n');
        for (const candidate of [secret, secret + 'x', secret + 'y', secret + 'z', TEST_PASSWORD]) expect(text).not.toContain(candidate);
        expect(text).not.toContain('$argon2');
        core.close();
        const bytes = Buffer.concat(
          fs.readdirSync(dir).filter((f) => f.startsWith(DATABASE_FILE)).map((f) => fs.readFileSync(path.join(dir, f))),
        ).toString('latin1');
        for (const candidate of [secret, secret + 'x', secret + 'y', secret + 'z', TEST_PASSWORD]) expect(bytes).not.toContain(candidate);
        expect(bytes).toContain('$argon2id$v=19$m=19456,t=2,p=1$');
        core = openCore({ dataDir: dir, host: 'node', version: '0.0.0-test', now: () => clock }); // for afterEach
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    });

    it('the people commands answer with exactly their output schemas', async () => {
      const admin = await window();
      await signIn(core, admin, 'admin');
      const called = new Set<string>();
      const check = async <N extends CommandName>(name: N, input: CommandInput<N>) => {
        const value = await admin.invoke(name, input);
        expect(value, name).toEqual(commands[name].output.parse(value));
        called.add(name);
        return value;
      };
      await check('auth.status', {});
      await check('auth.lock', {});
      await check('auth.unlock', { password: TEST_PASSWORD });
      const person = await check('staff.create', { draft: { staffNo: 's1', name: '甲', roles: ['analyst'] }, password: 'Temp-pass-1' });
      await check('staff.update', { id: person.id, draft: { name: '甲乙', phone: '', roles: ['analyst'] }, active: true });
      await check('staff.resetPassword', { id: person.id, password: 'Temp-pass-2' });
      await check('staff.list', {});
      await check('audit.list', {});
      await check('audit.exportCsv', {});
      const token = (await admin.invoke('auth.status', {})).session!.token;
      await check('auth.resume', { token });
      await check('auth.changePassword', { current: TEST_PASSWORD, next: 'Other-pass-9' });
      await check('auth.logout', {});
      await check('auth.login', { staffNo: 's1', password: 'Temp-pass-2' });
      called.add('auth.setup'); // first start: its own test above
      expect([...called].sort()).toEqual(Object.keys(peopleCommands).sort());
    });

    describe('co-sign (四眼原则) and nobody assessing their own work', () => {
      /** An operator's case run to "feedback submitted", ready to close. */
      const caseReadyToClose = async (operator: ConsoleClient) => {
        let incident = await operator.invoke('incidents.create', { draft: DRAFT });
        for (const transition of [
          { action: 'dispatch', assignee: { kind: 'unit', name: '桂山边防派出所' } },
          { action: 'start' },
          { action: 'submit_feedback', result: '已核查，渔船避风。' },
        ] as const) {
          incident = await operator.invoke('incidents.transition', { id: incident.id, expectedVersion: incident.version, transition });
        }
        return incident;
      };

      it('closing needs a second person with the right role, not the first; refused is unchanged, with the reason', async () => {
        const operator = await window();
        await signIn(core, operator, 'operator');
        const incident = await caseReadyToClose(operator);
        const close = { id: incident.id, expectedVersion: incident.version, transition: { action: 'close' as const, note: '' } };
        const before = caseDump(dir);
        const refuse = async (cosign: unknown, reason: string, path?: string) => {
          const error = await expectContractError(rawInvoke(operator, 'incidents.transition', { ...close, cosign }), 'forbidden');
          expect(error.reason, reason).toBe(reason);
          if (path) expect(error.issues.map((i) => i.path), reason).toEqual([path]);
          expect(caseDump(dir), reason).toBe(before);
          return error;
        };
        expect((await refuse(undefined, 'auth.cosign_required')).params).toEqual({ act: 'incident.close' });
        const leader = await cosignBy(core, 'shift_leader');
        await refuse({ ...leader, password: 'wrong-pass-1' }, 'auth.bad_credentials', 'cosign.password');
        await refuse({ staffNo: 'nobody', password: 'wrong-pass-1' }, 'auth.bad_credentials', 'cosign.password');
        await refuse({ staffNo: 'ROLE-OPERATOR', password: TEST_PASSWORD }, 'auth.cosign_self', 'cosign.staffNo');
        const analyst = await refuse(await cosignBy(core, 'analyst'), 'auth.cosign_forbidden', 'cosign.staffNo');
        expect(analyst.params).toEqual({ name: '测试 analyst', roles: 'analyst' });
        // A co-signer's wrong passwords count towards their own lockout, like a login.
        for (let i = 2; i < LOCKOUT.attempts; i++) await refuse({ ...leader, password: 'wrong-pass-1' }, 'auth.bad_credentials');
        await refuse({ ...leader, password: 'wrong-pass-1' }, 'auth.locked_out', 'cosign.password');
        await refuse(leader, 'auth.locked_out');
        clock += LOCKOUT.minutes * 60_000;

        // The shift leader confirms with their own credentials: both are on the event and in the audit trail.
        const closed = await operator.invoke('incidents.transition', { ...close, cosign: leader });
        expect(closed.status).toBe('closed');
        const { timeline } = await operator.invoke('incidents.get', { id: incident.id });
        expect(timeline.at(-1)).toMatchObject({
          type: 'closed',
          actor: '测试 operator',
          actorRoles: ['operator'],
          cosigner: { name: '测试 shift_leader', roles: ['shift_leader'], id: expect.any(String) },
        });
        const auditor = await window();
        await signIn(core, auditor, 'town_leader');
        const { rows } = await auditor.invoke('audit.list', { filter: { incidentId: incident.id, command: 'incidents.transition' } });
        expect(rows[0]).toMatchObject({ staffName: '测试 operator', outcome: 'ok', cosignerName: '测试 shift_leader' });
        // The refused co-signatures are there too, like failed logins: the staff number tried, never a password.
        expect(rows.filter((r) => r.outcome === 'forbidden').map((r) => [r.reason, r.cosignerName])).toEqual(
          expect.arrayContaining([
            ['auth.bad_credentials', 'role-shift_leader'],
            ['auth.bad_credentials', 'nobody'],
            ['auth.locked_out', 'role-shift_leader'],
          ]),
        );
        expect(JSON.stringify(rows)).not.toContain(TEST_PASSWORD);
        expect(await auditor.invoke('events.verify', {})).toMatchObject({ ok: true });
      });

      it('nobody assesses their own work, nor co-signs its assessment or closure; the assessment is co-signed', async () => {
        const operator = await window();
        await signIn(core, operator, 'operator');
        const incident = await caseReadyToClose(operator);
        // The shift leader worked on the case (a dispatch note): they may not co-sign its closure…
        const worker = await window();
        await signIn(core, worker, 'shift_leader');
        await worker.invoke('incidents.transition', { id: incident.id, expectedVersion: incident.version, transition: { action: 'reject_feedback', reason: '请补充照片' } });
        let current = (await worker.invoke('incidents.get', { id: incident.id })).incident;
        current = await operator.invoke('incidents.transition', { id: incident.id, expectedVersion: current.version, transition: { action: 'submit_feedback', result: '已补充照片' } });
        let before = caseDump(dir);
        const ownClose = await expectContractError(
          operator.invoke('incidents.transition', { id: incident.id, expectedVersion: current.version, transition: { action: 'close' }, cosign: await cosignBy(core, 'shift_leader') }),
          'forbidden',
        );
        expect(ownClose).toMatchObject({ reason: 'auth.own_work', params: { name: '测试 shift_leader', action: 'close' } });
        expect(caseDump(dir)).toBe(before);
        current = await operator.invoke('incidents.transition', { id: incident.id, expectedVersion: current.version, transition: { action: 'close' }, cosign: await cosignBy(core, 'town_leader') });

        // …nor assess it, nor co-sign its assessment; the operator may not assess at all.
        const assess = { id: incident.id, expectedVersion: current.version, transition: { action: 'assess' as const, assessment: { score: 4, comment: '处置及时' } } };
        expect((await expectContractError(operator.invoke('incidents.transition', { ...assess, cosign: await cosignBy(core, 'town_leader') }), 'forbidden')).reason).toBe('auth.forbidden');
        before = caseDump(dir);
        expect((await expectContractError(worker.invoke('incidents.transition', assess), 'forbidden')).reason).toBe('auth.cosign_required');
        const own = await expectContractError(worker.invoke('incidents.transition', { ...assess, cosign: await cosignBy(core, 'town_leader') }), 'forbidden');
        expect(own).toMatchObject({ reason: 'auth.own_work', params: { name: '测试 shift_leader', action: 'assess' } });
        const townLeader = await window();
        await signIn(core, townLeader, 'town_leader');
        const ownCosign = await expectContractError(townLeader.invoke('incidents.transition', { ...assess, cosign: await cosignBy(core, 'shift_leader') }), 'forbidden');
        expect(ownCosign).toMatchObject({ reason: 'auth.own_work', params: { name: '测试 shift_leader' } });
        expect(caseDump(dir)).toBe(before);

        // The town leader (who co-signed the closure, which is not work on the case) assesses; another leader co-signs.
        const assessed = await townLeader.invoke('incidents.transition', { ...assess, cosign: await cosignBy(core, COSIGNER) });
        expect(assessed.assessment).toEqual({ score: 4, comment: '处置及时' });
        const { timeline } = await townLeader.invoke('incidents.get', { id: incident.id });
        expect(timeline.at(-1)).toMatchObject({ type: 'assessed', actor: '测试 town_leader', cosigner: { name: '测试 复核人', roles: ['town_leader'] } });
      });

      it('early release, unmasking, settings and deleting a record each need the co-signer; both are recorded', async () => {
        const admin = await window();
        await signIn(core, admin, 'admin');
        const operator = await window();
        await signIn(core, operator, 'operator');
        const leader = await window();
        await signIn(core, leader, 'shift_leader');
        const cosign = await cosignBy(core, 'town_leader');
        const site = await admin.invoke('units.create', { draft: { kind: 'quarantine_site', name: '桂山镇集中隔离点', capacity: 2 } });
        const spare = await admin.invoke('units.create', { draft: { kind: 'lawyer', name: '待删除律师' } });
        const incident = await operator.invoke('incidents.create', { draft: DRAFT });
        const quarantine = await operator.invoke('workflows.escalate', {
          incidentId: incident.id,
          escalation: { kind: 'quarantine', unitId: site.id, startDate: '2026-06-01', persons: [{ name: '嫌疑人甲', idType: 'resident_id', idNumber: '11010519491231002X' }] },
        });
        const person = quarantine.workflow.quarantine!.persons[0]!;
        const release = { id: quarantine.workflow.id, expectedVersion: quarantine.workflow.version, step: { action: 'release' as const, personId: person.id, reason: '经卫健部门评估提前解除' } };

        const before = caseDump(dir);
        const workflowSettings = await admin.invoke('workflows.settings', {});
        // Each call starts when the loop reaches it: a refusal left waiting would be an unhandled rejection.
        const acts: [string, () => Promise<unknown>][] = [
          ['quarantine.early_release', () => operator.invoke('workflows.step', release)],
          ['person.reveal', () => leader.invoke('workflows.revealPerson', { workflowId: quarantine.workflow.id, personId: person.id })],
          ['settings.change', () => admin.invoke('workflows.updateSettings', { settings: { ...workflowSettings, ordinaryDays: 2 } })],
          ['record.delete', () => admin.invoke('units.delete', { id: spare.id, expectedVersion: 1 })],
          ['record.edit', () => operator.invoke('incidents.update', { id: incident.id, expectedVersion: quarantine.incident.version, patch: { priority: 1 } })],
        ];
        for (const [act, call] of acts) expect((await expectContractError(call(), 'forbidden')).params, act).toEqual({ act });
        expect(caseDump(dir)).toBe(before);

        const released = await operator.invoke('workflows.step', { ...release, cosign });
        expect(released.workflow.quarantine!.persons[0]).toMatchObject({ status: 'released' });
        const revealed = await leader.invoke('workflows.revealPerson', { workflowId: quarantine.workflow.id, personId: person.id, cosign });
        expect(revealed.person.idNumber).toBe('11010519491231002X');
        const settings = await admin.invoke('workflows.updateSettings', { settings: { ...(await admin.invoke('workflows.settings', {})), ordinaryDays: 2 }, cosign });
        expect(settings.ordinaryDays).toBe(2);
        await admin.invoke('units.delete', { id: spare.id, expectedVersion: 1, cosign });
        const { timeline } = await operator.invoke('incidents.get', { id: incident.id });
        expect(timeline.slice(-2).map((e) => [e.type, e.actor, e.cosigner?.name])).toEqual([
          ['workflow_step', '测试 operator', '测试 town_leader'],
          ['personal_data_viewed', '测试 shift_leader', '测试 town_leader'],
        ]);
        const audit = await leader.invoke('audit.list', {});
        for (const command of ['workflows.updateSettings', 'units.delete', 'workflows.revealPerson', 'workflows.step']) {
          expect(audit.rows.find((r) => r.command === command && r.outcome === 'ok'), command).toMatchObject({ cosignerName: '测试 town_leader' });
        }
      });
    });

    describe('the permission matrix: every command, every role', () => {
      it('is data that names every command (the compiler checks it) and gives every role something', () => {
        expect(Object.keys(COMMAND_RULES).sort()).toEqual([...COMMAND_NAMES].sort());
        for (const role of ROLES) expect(COMMAND_NAMES.some((n) => roleMayRun(role, n) === 'all'), role).toBe(true);
      });

      it('refuses what a role may not do with forbidden and an unchanged store, and lets through what it may', async () => {
        // Something to act on: an incident, for the transition whose action decides the permission.
        const setup = await window();
        await signIn(core, setup);
        const incident = await setup.invoke('incidents.create', { draft: DRAFT });
        const cosign = await cosignBy(core, COSIGNER);
        const client = await window();
        const probe = { probe: 'not a field of any command' };
        for (const role of ROLES) {
          await signIn(core, client, role);
          for (const name of COMMAND_NAMES) {
            const rule = COMMAND_RULES[name];
            if (rule.access !== 'permission') continue;
            const expectation = roleMayRun(role, name);
            const inputs: unknown[] =
              name === 'incidents.transition'
                ? [
                    { id: incident.id, expectedVersion: 99, transition: { action: 'dispatch', assignee: { kind: 'unit', name: '派出所' } } },
                    { id: incident.id, expectedVersion: 99, transition: { action: 'assess', assessment: { score: 5, comment: '' } }, cosign },
                  ]
                : [probe];
            for (const [i, input] of inputs.entries()) {
              const allowed = name === 'incidents.transition' ? roleMayRunTransition(role, i === 0 ? 'incidents.handle' : 'incidents.assess') : expectation === 'all';
              const before = dump(dir);
              const outcome = await rawInvoke(client, name, input).then(
                () => null,
                (e: unknown) => e,
              );
              if (allowed) {
                // Past the permission check: the probe input is refused by validation (or the stale version by a conflict).
                expect(outcome instanceof ContractError && outcome.code === 'forbidden', `${role} ${name}`).toBe(false);
              } else {
                expect(outcome, `${role} ${name}`).toBeInstanceOf(ContractError);
                expect((outcome as ContractError).code, `${role} ${name}`).toBe('forbidden');
                expect((outcome as ContractError).reason, `${role} ${name}`).toBe('auth.forbidden');
                expect(dump(dir), `${role} ${name} changed the store`).toBe(before);
              }
            }
          }
        }
        // Without a session every command but the login screen's is refused, and changes nothing.
        await client.invoke('auth.logout', {});
        for (const name of COMMAND_NAMES) {
          if (COMMAND_RULES[name].access === 'public') continue;
          const before = dump(dir);
          const error = await expectContractError(rawInvoke(client, name, {}), 'forbidden');
          expect(error.reason, name).toBe('auth.required');
          expect(dump(dir), name).toBe(before);
        }
      }, 120_000);
    });
  });
}

function roleMayRunTransition(role: Role, permission: 'incidents.handle' | 'incidents.assess'): boolean {
  return personFor(role).roles.some((r) => (ROLE_PERMISSIONS[r] as readonly string[]).includes(permission));
}

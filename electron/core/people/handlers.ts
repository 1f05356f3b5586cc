import { ContractError, LOCKOUT, PASSWORD_POLICY, toCsv, type CsvValue, type peopleCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import type { ConnectionSlot } from '../contract';
import { sessionView, type SessionManager } from './sessions';
import type { StaffStore } from './staff-store';
import type { AuditStore } from './audit-store';
import { liveDemoAccounts } from './demo-staff';

export interface PeopleServices {
  staff: StaffStore;
  sessions: SessionManager;
  audit: AuditStore;
  idleLockMinutes: number;
}

const AUDIT_CSV_HEADER = ['时间(UTC+8)', '人员', '角色', '窗口', '操作', '事件', '结果', '原因', '复核人'];

export function peopleModule(ctx: CoreContext, services: PeopleServices): CoreModule<keyof typeof peopleCommands> {
  const { staff, sessions, audit } = services;

  const sessionOf = (conn: ConnectionSlot) => {
    if (!conn.session) throw ContractError.forbidden('log in first', { reason: 'auth.required' });
    return conn.session;
  };
  const changed = (reason: string) => ctx.bus.emit('staff.changed', { reason });

  return {
    handlers: {
      'auth.status': (_input, { conn }) => ({
        setupNeeded: staff.count() === 0,
        demoAccounts: ctx.settings.get('demo.offer') === 'seeded' ? liveDemoAccounts(ctx.db) : [],
        session: conn.session && !sessions.expired(conn.session) ? sessionView(conn.session) : null,
        policy: {
          minLength: PASSWORD_POLICY.minLength,
          lockoutAttempts: LOCKOUT.attempts,
          lockoutMinutes: LOCKOUT.minutes,
          idleLockMinutes: services.idleLockMinutes,
        },
      }),
      'auth.setup': async ({ staffNo, name, phone, password }, { conn }) => {
        if (staff.count() > 0) throw ContractError.conflict('the administrator exists already', undefined, { reason: 'auth.already_set_up' });
        const admin = await staff.create({ staffNo, name, phone, roles: ['admin'] }, password, { mustChange: false });
        if (conn.session) sessions.end(conn.session);
        conn.session = sessions.start(admin);
        changed('setup');
        return sessionView(conn.session);
      },
      'auth.login': async ({ staffNo, password }, { conn }) => {
        const person = await staff.authenticate(staffNo, password);
        // Switch user: the window's previous session ends; the new person starts unlocked.
        if (conn.session) sessions.end(conn.session);
        conn.session = sessions.start(person);
        return sessionView(conn.session);
      },
      'auth.resume': ({ token }, { conn }) => {
        const session = sessions.find(token);
        if (!session) throw ContractError.forbidden('the session has ended', { reason: 'auth.expired' });
        conn.session = session;
        return sessionView(session);
      },
      'auth.logout': (_input, { conn }) => {
        if (conn.session) sessions.end(conn.session);
        conn.session = null;
        return {};
      },
      'auth.lock': (_input, { conn }) => {
        const session = sessionOf(conn);
        session.locked = true;
        return sessionView(session);
      },
      'auth.unlock': async ({ password }, { conn }) => {
        const session = sessionOf(conn);
        await staff.verifyOf(session.staffId, password);
        session.locked = false;
        return sessionView(session);
      },
      'auth.changePassword': async ({ current, next }, { conn }) => {
        const session = sessionOf(conn);
        const person = await staff.changePassword(session.staffId, current, next);
        sessions.refresh(person);
        changed('password');
        return sessionView(session);
      },
      'staff.list': () => ({ staff: staff.list() }),
      'staff.create': async ({ draft, password }) => {
        const created = await staff.create(draft, password, { mustChange: true });
        changed('created');
        return created;
      },
      'staff.update': ({ id, draft, active }) => {
        const updated = staff.update(id, draft, active);
        sessions.refresh(updated);
        changed('updated');
        return updated;
      },
      'staff.resetPassword': async ({ id, password }) => {
        const reset = await staff.resetPassword(id, password);
        sessions.endAllOf(id);
        changed('reset');
        return reset;
      },
      'audit.list': ({ filter, offset, limit }) => audit.list(filter, offset, limit),
      'audit.exportCsv': ({ filter }) => {
        // Every cell is text (names, windows, commands typed or chosen by people): csvCell escapes formulas.
        const rows: CsvValue[][] = [];
        for (const row of audit.iterate(filter)) {
          const at = new Date(row.at + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
          rows.push([at, row.staffName, row.roles.join('/'), row.window, row.command, row.incidentCode ?? row.incidentId, row.outcome, row.reason, row.cosignerName]);
        }
        return { csv: toCsv([AUDIT_CSV_HEADER, ...rows]), rows: rows.length };
      },
    },
  };
}

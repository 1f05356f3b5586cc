import { z } from 'zod';
import { command } from './command';
import { PASSWORD_POLICY, Permission, Role, Staff, StaffName, StaffNo } from '../domain/people';
import { Phone } from '../domain/personal-data';

/** A password as typed: length only here; the rules (letters and digits…) are checked in core with a reason. */
const Password = z.string().min(1, { message: 'required' }).max(PASSWORD_POLICY.maxLength * 4);

/** A second person's own credentials, entered on the same screen (co-sign, 四眼原则). */
export const Cosign = z.object({ staffNo: StaffNo, password: Password }).strict();
export type Cosign = z.infer<typeof Cosign>;

/** The session of one window: who is logged in there and what they may do. */
export const Session = z.object({
  /** Presented again after a reconnect (`auth.resume`); bound to the person, not to the socket. */
  token: z.string(),
  staff: z.object({ id: z.string(), staffNo: z.string(), name: z.string(), roles: z.array(Role) }),
  permissions: z.array(Permission),
  /** Idle lock: reads (video wall, alarms) go on, actions are refused until the same person unlocks. */
  locked: z.boolean(),
  /** After an administrator's reset: every command but changing the password is refused. */
  mustChangePassword: z.boolean(),
  startedAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type Session = z.infer<typeof Session>;

export const AuthPolicy = z.object({
  minLength: z.number().int(),
  lockoutAttempts: z.number().int(),
  lockoutMinutes: z.number().int(),
  idleLockMinutes: z.number().int(),
});
export type AuthPolicy = z.infer<typeof AuthPolicy>;

export const DemoAccount = z.object({ staffNo: z.string(), name: z.string(), roles: z.array(Role), password: z.string() });
export type DemoAccount = z.infer<typeof DemoAccount>;

export const AuditRow = z.object({
  id: z.number().int(),
  at: z.number().int(),
  staffId: z.string().nullable(),
  staffName: z.string(),
  roles: z.array(Role),
  /** Which window: `ws#3 127.0.0.1`, `ipc#2`… */
  window: z.string(),
  command: z.string(),
  incidentId: z.string().nullable(),
  incidentCode: z.string().nullable(),
  /** `ok`, or the error code of a refused call. */
  outcome: z.string(),
  reason: z.string().nullable(),
  cosignerName: z.string().nullable(),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditFilter = z
  .object({
    staffId: z.string().max(64).optional(),
    command: z.string().max(100).optional(),
    incidentId: z.string().max(64).optional(),
    from: z.number().int().optional(),
    to: z.number().int().optional(),
  })
  .strict();
export type AuditFilter = z.input<typeof AuditFilter>;

const StaffDraft = z.object({ staffNo: StaffNo, name: StaffName, phone: Phone.default(''), roles: z.array(Role).min(1).max(6) }).strict();

/** Accounts, login and sessions, and the audit trail. */
export const peopleCommands = {
  /** Before login: whether the first administrator must be created, demo accounts (demo stores only), this window's session. */
  'auth.status': command(
    z.object({}).strict(),
    z.object({ setupNeeded: z.boolean(), demoAccounts: z.array(DemoAccount), session: Session.nullable(), policy: AuthPolicy }),
  ),
  /** First start: creates the administrator (only while there is no account) and logs this window in. */
  'auth.setup': command(z.object({ staffNo: StaffNo, name: StaffName, phone: Phone.default(''), password: Password }).strict(), Session),
  /** Logs this window in; on a window with a session, switches the user. */
  'auth.login': command(z.object({ staffNo: z.string().trim().min(1).max(64), password: Password }).strict(), Session),
  /** A reconnected window presents its token again. */
  'auth.resume': command(z.object({ token: z.string().min(1).max(200) }).strict(), Session),
  'auth.logout': command(z.object({}).strict(), z.object({})),
  'auth.lock': command(z.object({}).strict(), Session),
  'auth.unlock': command(z.object({ password: Password }).strict(), Session),
  'auth.changePassword': command(z.object({ current: Password, next: Password }).strict(), Session),
  'staff.list': command(z.object({}).strict(), z.object({ staff: z.array(Staff) })),
  /** The password is temporary: the person must change it at the first login. */
  'staff.create': command(z.object({ draft: StaffDraft, password: Password }).strict(), Staff),
  'staff.update': command(
    z.object({ id: z.string().max(64), draft: StaffDraft.omit({ staffNo: true }), active: z.boolean() }).strict(),
    Staff,
  ),
  /** Sets a temporary password, lifts a lockout; the person must change it at the next login. */
  'staff.resetPassword': command(z.object({ id: z.string().max(64), password: Password }).strict(), Staff),
  'audit.list': command(
    z
      .object({
        filter: AuditFilter.default({}),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(AuditRow) }),
  ),
  /** The filtered trail as CSV (cells that a spreadsheet would run as a formula are escaped). */
  'audit.exportCsv': command(z.object({ filter: AuditFilter.default({}) }).strict(), z.object({ csv: z.string(), rows: z.number().int() })),
} as const;

export const peopleEvents = {
  'staff.changed': z.object({ reason: z.string() }),
} as const;

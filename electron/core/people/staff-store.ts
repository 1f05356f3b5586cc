import { randomUUID } from 'node:crypto';
import { ContractError, LOCKOUT, SHANGHAI_OFFSET_MS, type Role, type Staff } from '@shared';
import type { Db } from '../store';
import { LOCKOUT_MS, checkPasswordRules, decoyVerify, hashPassword, verifyPassword } from './passwords';

interface StaffRow {
  id: string;
  staff_no: string;
  name: string;
  phone: string;
  roles: string;
  active: number;
  password_hash: string;
  must_change: number;
  failed_count: number;
  locked_until: number | null;
  demo: number;
  created_at: number;
  updated_at: number;
}

/** The row as the contract shows it: never the hash. */
function toStaff(row: StaffRow, now: number): Staff {
  return {
    id: row.id,
    staffNo: row.staff_no,
    name: row.name,
    phone: row.phone,
    roles: JSON.parse(row.roles) as Role[],
    active: row.active === 1,
    mustChangePassword: row.must_change === 1,
    lockedUntil: row.locked_until !== null && row.locked_until > now ? row.locked_until : null,
    demo: row.demo === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface StaffDraft {
  staffNo: string;
  name: string;
  phone: string;
  roles: Role[];
}

/** Staff accounts: argon2id hashes, lockout after repeated failures, resets that force a change. */
export class StaffStore {
  private readonly byId;
  private readonly byNo;
  private readonly all;
  private readonly countStmt;
  private readonly insertStmt;
  private readonly failStmt;
  private readonly okStmt;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.byId = db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?');
    this.byNo = db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE staff_no = ? COLLATE NOCASE');
    this.all = db.prepare<[], StaffRow>('SELECT * FROM staff ORDER BY active DESC, staff_no COLLATE NOCASE');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM staff');
    this.insertStmt = db.prepare(
      `INSERT INTO staff (id, staff_no, name, phone, roles, active, password_hash, must_change, demo, created_at, updated_at)
       VALUES (@id, @staffNo, @name, @phone, @roles, 1, @hash, @mustChange, @demo, @at, @at)`,
    );
    this.failStmt = db.prepare('UPDATE staff SET failed_count = ?, locked_until = ? WHERE id = ?');
    this.okStmt = db.prepare('UPDATE staff SET failed_count = 0, locked_until = NULL WHERE id = ?');
  }

  count(): number {
    return this.countStmt.get()!.n;
  }

  list(): Staff[] {
    const now = this.now();
    return this.all.all().map((row) => toStaff(row, now));
  }

  get(id: string): Staff {
    const row = this.byId.get(id);
    if (!row) throw ContractError.notFound(`no staff ${id}`, { reason: 'auth.unknown_staff' });
    return toStaff(row, this.now());
  }

  async create(draft: StaffDraft, password: string, options: { mustChange: boolean; demo?: boolean }): Promise<Staff> {
    checkPasswordRules(password, draft.staffNo, 'password');
    if (this.byNo.get(draft.staffNo)) throw this.taken(draft.staffNo);
    const hash = await hashPassword(password);
    const id = randomUUID();
    // Checked again after the await: another window may have taken the number meanwhile.
    if (this.byNo.get(draft.staffNo)) throw this.taken(draft.staffNo);
    this.insertStmt.run({
      id,
      staffNo: draft.staffNo,
      name: draft.name,
      phone: draft.phone,
      roles: JSON.stringify(draft.roles),
      hash,
      mustChange: options.mustChange ? 1 : 0,
      demo: options.demo ? 1 : 0,
      at: this.now(),
    });
    return this.get(id);
  }

  update(id: string, draft: Omit<StaffDraft, 'staffNo'>, active: boolean): Staff {
    const row = this.byId.get(id);
    if (!row) throw ContractError.notFound(`no staff ${id}`, { reason: 'auth.unknown_staff' });
    const wasAdmin = row.active === 1 && (JSON.parse(row.roles) as Role[]).includes('admin');
    const staysAdmin = active && draft.roles.includes('admin');
    if (wasAdmin && !staysAdmin && this.activeAdmins() <= 1) {
      throw ContractError.conflict('the last active administrator', undefined, { reason: 'auth.last_admin' });
    }
    this.db
      .prepare('UPDATE staff SET name = ?, phone = ?, roles = ?, active = ?, updated_at = ? WHERE id = ?')
      .run(draft.name, draft.phone, JSON.stringify(draft.roles), active ? 1 : 0, this.now(), id);
    return this.get(id);
  }

  async resetPassword(id: string, password: string): Promise<Staff> {
    const row = this.byId.get(id);
    if (!row) throw ContractError.notFound(`no staff ${id}`, { reason: 'auth.unknown_staff' });
    checkPasswordRules(password, row.staff_no, 'password');
    const hash = await hashPassword(password);
    this.db
      .prepare('UPDATE staff SET password_hash = ?, must_change = 1, demo = 0, failed_count = 0, locked_until = NULL, updated_at = ? WHERE id = ?')
      .run(hash, this.now(), id);
    return this.get(id);
  }

  async changePassword(id: string, current: string, next: string): Promise<Staff> {
    const row = this.byId.get(id);
    if (!row) throw ContractError.notFound(`no staff ${id}`, { reason: 'auth.unknown_staff' });
    if (!(await verifyPassword(row.password_hash, current))) {
      throw ContractError.validation('wrong password', [{ path: 'current', message: 'wrong password', reason: 'auth.bad_credentials' }], {
        reason: 'auth.bad_credentials',
      });
    }
    checkPasswordRules(next, row.staff_no, 'next');
    if (current === next) {
      throw ContractError.validation('same password', [{ path: 'next', message: 'same password', reason: 'auth.password_reused' }], {
        reason: 'auth.password_reused',
      });
    }
    const hash = await hashPassword(next);
    this.db.prepare('UPDATE staff SET password_hash = ?, must_change = 0, demo = 0, updated_at = ? WHERE id = ?').run(hash, this.now(), id);
    return this.get(id);
  }

  /**
   * Checks a staff number and password. Unknown numbers and wrong passwords get the same answer
   * (and cost the same time); a disabled account is named only to someone who knows its password.
   * After LOCKOUT.attempts failures in a row the account is locked for LOCKOUT.minutes.
   */
  async authenticate(staffNo: string, password: string): Promise<Staff> {
    const row = this.byNo.get(staffNo);
    if (!row) {
      await decoyVerify(password);
      throw this.badCredentials();
    }
    const now = this.now();
    if (row.locked_until !== null && row.locked_until > now) throw this.lockedOut(row.locked_until);
    const ok = await verifyPassword(row.password_hash, password);
    const fresh = this.byId.get(row.id)!;
    if (!ok) {
      const failed = (fresh.locked_until !== null && fresh.locked_until <= now ? 0 : fresh.failed_count) + 1;
      const lockedUntil = failed >= LOCKOUT.attempts ? now + LOCKOUT_MS : null;
      this.failStmt.run(lockedUntil ? 0 : failed, lockedUntil, row.id);
      if (lockedUntil) throw this.lockedOut(lockedUntil);
      throw this.badCredentials(LOCKOUT.attempts - failed);
    }
    if (fresh.active !== 1) throw ContractError.forbidden('account disabled', { reason: 'auth.disabled' });
    if (fresh.failed_count !== 0 || fresh.locked_until !== null) this.okStmt.run(row.id);
    return this.get(row.id);
  }

  /** The id of a staff number (any case), or null; says nothing about the account. */
  idOfStaffNo(staffNo: string): string | null {
    return this.byNo.get(staffNo)?.id ?? null;
  }

  /** Checks the password of a known person (unlock) with the same lockout. */
  async verifyOf(id: string, password: string): Promise<Staff> {
    const row = this.byId.get(id);
    if (!row) throw ContractError.notFound(`no staff ${id}`, { reason: 'auth.unknown_staff' });
    return this.authenticate(row.staff_no, password);
  }

  private activeAdmins(): number {
    return this.all.all().filter((row) => row.active === 1 && (JSON.parse(row.roles) as Role[]).includes('admin')).length;
  }

  private taken(staffNo: string): ContractError {
    return ContractError.conflict(`staff number ${staffNo} is taken`, undefined, { reason: 'auth.staff_no_taken', params: { staffNo } });
  }

  private badCredentials(remaining?: number): ContractError {
    return ContractError.forbidden('wrong staff number or password', {
      reason: 'auth.bad_credentials',
      params: remaining === undefined ? {} : { remaining },
    });
  }

  private lockedOut(until: number): ContractError {
    return ContractError.forbidden('account locked after repeated failures', {
      reason: 'auth.locked_out',
      // `until` as China time (HH:mm), a value the sentence shows; `untilMs` for anything that computes.
      params: { until: chinaClock(until), untilMs: until, attempts: LOCKOUT.attempts },
    });
  }
}

function chinaClock(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

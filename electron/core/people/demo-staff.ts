import { randomUUID } from 'node:crypto';
import { hashSync } from '@node-rs/argon2';
import type { DemoAccount } from '@shared';
import type { Db } from '../store';
import { ARGON2_PARAMS } from './passwords';

/**
 * The demo passwords are printed on the login screen, so hashing them at full cost protects nothing
 * and made seeding the demo take seconds on a loaded machine: argon2id at 1 MiB, t = 1. Verification
 * reads the parameters from the stored hash; a changed or reset password gets ARGON2_PARAMS.
 */
const DEMO_HASH_PARAMS = { ...ARGON2_PARAMS, memoryCost: 1024, timeCost: 1 };

/**
 * The demo's duty room (invented people, 演示数据): one account per role. Their passwords are shown
 * on the login screen of a demo store only, and stop being shown once someone changes or resets them.
 */
export const DEMO_STAFF: readonly DemoAccount[] = [
  { staffNo: 'op01', name: '陈海生', roles: ['operator'], password: 'guishan-op1' },
  { staffNo: 'op02', name: '林晓燕', roles: ['operator'], password: 'guishan-op2' },
  { staffNo: 'an01', name: '黄志强', roles: ['analyst'], password: 'guishan-an1' },
  { staffNo: 'ld01', name: '梁国栋', roles: ['shift_leader'], password: 'guishan-ld1' },
  { staffNo: 'tl01', name: '周建华', roles: ['town_leader'], password: 'guishan-tl1' },
  { staffNo: 'ad01', name: '何文', roles: ['admin'], password: 'guishan-ad1' },
  { staffNo: 'dr01', name: '吴敏', roles: ['drill_controller'], password: 'guishan-dr1' },
];

/** Seeds the demo staff whose numbers are free; returns how many. Synchronous: it runs inside the demo's seeding. */
export function seedDemoStaff(db: Db, at: number): number {
  const taken = db.prepare<[string], { id: string }>('SELECT id FROM staff WHERE staff_no = ? COLLATE NOCASE');
  const insert = db.prepare(
    `INSERT INTO staff (id, staff_no, name, phone, roles, active, password_hash, must_change, demo, created_at, updated_at)
     VALUES (?, ?, ?, '', ?, 1, ?, 0, 1, ?, ?)`,
  );
  let created = 0;
  for (const account of DEMO_STAFF) {
    if (taken.get(account.staffNo)) continue;
    insert.run(randomUUID(), account.staffNo, account.name, JSON.stringify(account.roles), hashSync(account.password, DEMO_HASH_PARAMS), at, at);
    created += 1;
  }
  return created;
}

/** The demo accounts still carrying their shown password (none of them changed or reset). */
export function liveDemoAccounts(db: Db): DemoAccount[] {
  const rows = db.prepare<[], { staff_no: string }>('SELECT staff_no FROM staff WHERE demo = 1 AND active = 1').all();
  const live = new Set(rows.map((r) => r.staff_no));
  return DEMO_STAFF.filter((a) => live.has(a.staffNo));
}

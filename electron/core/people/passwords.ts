import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ContractError, LOCKOUT, PASSWORD_POLICY, passwordProblem } from '@shared';

/**
 * argon2id at OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1): a login costs ~45 ms
 * median, ~85 ms at the worst of 10 on this 2-core machine under load (README → People on duty),
 * well inside the 300 ms p95 budget; m = 64 MiB, t = 3 cost ~250–290 ms there, too close to it.
 */
/** `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolatedModules cannot read). */
export const ARGON2_PARAMS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of nothing in particular: an unknown staff number costs the same time as a known one. */
let decoy: Promise<string> | undefined;
export function decoyVerify(password: string): Promise<boolean> {
  decoy ??= hashPassword('decoy password 0');
  return decoy.then((stored) => verifyPassword(stored, password));
}

/** Refuses a password that breaks the rules, with the field and a reason the UI translates. */
export function checkPasswordRules(password: string, staffNo: string, field: string): void {
  const problem = passwordProblem(password, staffNo);
  if (!problem) return;
  const params = { min: PASSWORD_POLICY.minLength, max: PASSWORD_POLICY.maxLength };
  const reason = `auth.password_${problem}` as const;
  throw ContractError.validation('the password breaks the rules', [{ path: field, message: problem, reason, params }], { reason, params });
}

export const LOCKOUT_MS = LOCKOUT.minutes * 60_000;

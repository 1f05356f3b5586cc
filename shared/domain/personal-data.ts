import { z } from 'zod';
import { because, type ErrorReason } from '../contract/errors';

/**
 * Chinese resident identity card number (GB 11643-1999): 6-digit area code, birth date YYYYMMDD,
 * 3-digit sequence, and a check character computed over the first 17 digits (ISO 7064 MOD 11-2).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type ResidentIdProblem = 'format' | 'birth_date' | 'checksum';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Null when valid; otherwise what is wrong with it. */
export function residentIdProblem(value: string): ResidentIdProblem | null {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return 'birth_date';
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return 'checksum';
  return null;
}

export const RESIDENT_ID_REASONS = { format: 'workflows.id_format', birth_date: 'workflows.id_birth', checksum: 'workflows.id_checksum' } as const satisfies Record<ResidentIdProblem, ErrorReason>;

export const RESIDENT_ID_MESSAGES: Record<ResidentIdProblem, string> = {
  format: 'a resident ID number has 17 digits and a check digit or X',
  birth_date: 'the birth date in the ID number is not a real date',
  checksum: 'the check digit of the ID number does not match (mistyped digit?)',
};

export const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'other'] as const;
export const IdType = z.enum(ID_TYPES);
export type IdType = z.infer<typeof IdType>;

/** Digits with an optional leading +, spaces and dashes; 3 (110) to 20 characters. */
export const Phone = z
  .string()
  .trim()
  .max(20, { message: 'at most 20 characters' })
  .refine((v) => /^(\+?[0-9][0-9 -]{1,18}[0-9])?$/.test(v), because('validation.phone', 'not a phone number'));

/** Lists show `4404**********1234`; the full number only on a recorded detail view. */
export function maskIdNumber(value: string): string {
  if (!value) return '';
  if (value.length <= 6) return '*'.repeat(value.length);
  const head = value.length >= 15 ? 4 : 1;
  return value.slice(0, head) + '*'.repeat(value.length - head - 4) + value.slice(-4);
}

/** `138****5678`; short numbers (110, duty lines) are not personal data and stay as they are. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 11) return value;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

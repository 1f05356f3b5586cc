import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, passwordProblem, permissionsOf } from './people';

describe('password rules', () => {
  it('wants 8+ characters with letters and digits, not containing the staff number', () => {
    expect(passwordProblem('abc123', 'GS01')).toBe('too_short');
    expect(passwordProblem('abcdefghij', 'GS01')).toBe('needs_letter_and_digit');
    expect(passwordProblem('1234567890', 'GS01')).toBe('needs_letter_and_digit');
    expect(passwordProblem('xgs0107abc9', 'GS0107')).toBe('contains_staff_no');
    expect(passwordProblem('值班密码2026年', 'GS01')).toBeNull(); // letters of any script count
    expect(passwordProblem('Guishan-2026', 'GS01')).toBeNull();
    expect(passwordProblem('a1'.repeat(65), 'GS01')).toBe('too_long');
  });
});

describe('roles', () => {
  it('give every role something to read, and keep operator work away from analysts and administrators', () => {
    for (const role of ROLES) expect(ROLE_PERMISSIONS[role]).toContain('console.view');
    expect(ROLE_PERMISSIONS.analyst).not.toContain('incidents.report');
    expect(ROLE_PERMISSIONS.admin).not.toContain('incidents.handle');
    expect(ROLE_PERMISSIONS.operator).not.toContain('incidents.assess');
    expect(ROLE_PERMISSIONS.operator).not.toContain('persons.reveal');
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
  });

  it('unite the permissions of several roles', () => {
    expect([...permissionsOf(['analyst', 'admin'])].sort()).toEqual([...new Set([...ROLE_PERMISSIONS.analyst, ...ROLE_PERMISSIONS.admin])].sort());
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKFLOW_SETTINGS, WorkflowSettings, checkExtension, deadlineState, termDeadline, tierDays } from './supervision';
import { addDays, daysBetween, shanghaiDate, shanghaiDateStart, shanghaiDayNumber, startOfShanghaiDay } from './shanghai-time';
import { maskIdNumber, maskPhone, residentIdCheckChar, residentIdProblem } from './personal-data';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('Shanghai calendar days (UTC+8, no daylight saving)', () => {
  it('puts 23:59 UTC on the next Shanghai day and 15:59 UTC on the same one', () => {
    expect(shanghaiDate(Date.UTC(2026, 5, 1, 15, 59))).toBe('2026-06-01');
    expect(shanghaiDate(Date.UTC(2026, 5, 1, 16, 0))).toBe('2026-06-02');
    expect(startOfShanghaiDay(Date.UTC(2026, 5, 1, 20))).toBe(Date.UTC(2026, 5, 1, 16));
    expect(shanghaiDayNumber(Date.UTC(1970, 0, 1, 16))).toBe(1);
  });

  it('has 24-hour days across the dates other zones shift their clocks', () => {
    // Europe and the US change clocks on these dates; Shanghai does not.
    for (const date of ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01']) {
      const start = shanghaiDateStart(date)!;
      expect(shanghaiDateStart(addDays(date, 1))! - start).toBe(DAY);
    }
    expect(daysBetween('2026-06-01', '2026-06-22')).toBe(21);
    expect(addDays('2026-12-20', 21)).toBe('2027-01-10');
    expect(addDays('2028-02-20', 10)).toBe('2028-03-01'); // leap year
    expect(shanghaiDateStart('2026-02-29')).toBeNull();
    expect(shanghaiDateStart('2026-6-1')).toBeNull();
  });
});

describe('supervision terms', () => {
  const settings = DEFAULT_WORKFLOW_SETTINGS;

  it('are seeded as practice says: same day, 3 days, 7 days, at most 15', () => {
    expect([tierDays('simple', settings), tierDays('ordinary', settings), tierDays('hard', settings), settings.maxDays]).toEqual([0, 3, 7, 15]);
  });

  it('end at Shanghai midnight after the last day', () => {
    // Monday 1 June 2026, 15:00 in Shanghai.
    const start = Date.UTC(2026, 5, 1, 7);
    expect(termDeadline(start, 0)).toBe(Date.UTC(2026, 5, 1, 16)); // 24:00 the same day
    expect(shanghaiDate(termDeadline(start, 3) - 1)).toBe('2026-06-04');
    // Recorded at 23:30 Shanghai (15:30 UTC): still the same day.
    expect(termDeadline(Date.UTC(2026, 5, 1, 15, 30), 0)).toBe(Date.UTC(2026, 5, 1, 16));
    // Recorded at 00:30 Shanghai (16:30 UTC the day before): that Shanghai day, not the UTC one.
    expect(termDeadline(Date.UTC(2026, 5, 1, 16, 30), 0)).toBe(Date.UTC(2026, 5, 2, 16));
  });

  it('are the same whatever time zone the PC is in (pure arithmetic, no Date locale calls)', () => {
    const start = Date.UTC(2026, 2, 29, 1, 30); // the night Europe springs forward
    expect(termDeadline(start, 7) - termDeadline(start, 0)).toBe(7 * DAY);
  });

  it('count overdue and due soon against the clock', () => {
    const deadline = Date.UTC(2026, 5, 1, 16);
    expect(deadlineState(deadline, false, deadline + 1)).toBe('overdue');
    expect(deadlineState(deadline, false, deadline - HOUR)).toBe('due_soon');
    expect(deadlineState(deadline, false, deadline - 2 * DAY)).toBe('on_track');
    expect(deadlineState(deadline, true, deadline + DAY)).toBe('done');
  });

  it('need an approver past 7 days and refuse past 15', () => {
    expect(checkExtension(7, settings)).toEqual({ ok: true, needsApproval: false });
    expect(checkExtension(10, settings)).toEqual({ ok: true, needsApproval: true });
    expect(checkExtension(16, settings)).toMatchObject({ ok: false, field: 'days' });
  });

  it('are editable but keep their order', () => {
    expect(WorkflowSettings.safeParse({ ...settings, ordinaryDays: 2 }).success).toBe(true);
    const bad = WorkflowSettings.safeParse({ ...settings, hardDays: 2 });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['hardDays']);
  });
});

describe('personal data', () => {
  it('validates resident ID numbers: format, birth date, check digit', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdProblem('11010519491231002X')).toBeNull();
    expect(residentIdProblem('440402199001011234')).not.toBe('format');
    expect(residentIdProblem('1101051949123100')).toBe('format');
    expect(residentIdProblem('11010519491331002X')).toBe('birth_date');
    expect(residentIdProblem('110105194912310021')).toBe('checksum');
  });

  it('masks ID and phone numbers for lists', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('E1234567')).toBe('E***4567');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0756-110')).toBe('0756-110');
  });
});

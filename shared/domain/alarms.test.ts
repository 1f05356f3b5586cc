import { describe, expect, it } from 'vitest';
import { ALARM_COOLDOWN_MS, alarmKindOf, isArmed, joinsBurst } from './alarms';

describe('alarm grouping', () => {
  const burst = { status: 'new' as const, lastAt: 1_000_000 };
  it('joins events within the cooldown of the burst’s last event, so a storm is one line', () => {
    expect(joinsBurst(burst, 1_000_000 + 1_000)).toBe(true);
    expect(joinsBurst(burst, 1_000_000 + ALARM_COOLDOWN_MS)).toBe(true);
    expect(joinsBurst(burst, 1_000_000 + ALARM_COOLDOWN_MS + 1)).toBe(false);
  });
  it('starts a new burst after the previous one was handled, or when there is none', () => {
    expect(joinsBurst({ ...burst, status: 'acknowledged' }, 1_000_500)).toBe(false);
    expect(joinsBurst({ ...burst, status: 'incident' }, 1_000_500)).toBe(false);
    expect(joinsBurst(null, 1_000_500)).toBe(false);
  });
  it('takes a late event (camera clock) within the cooldown too', () => {
    expect(joinsBurst(burst, 1_000_000 - 5_000)).toBe(true);
  });
});

describe('alarmKindOf', () => {
  it('maps ONVIF topics whose state became true', () => {
    expect(alarmKindOf('tns1:RuleEngine/CellMotionDetector/Motion', { IsMotion: 'true' })).toBe('motion');
    expect(alarmKindOf('tns1:VideoSource/MotionAlarm', { State: 'true' })).toBe('motion');
    expect(alarmKindOf('tns1:RuleEngine/LineDetector/Crossed', { State: 'true' })).toBe('line_crossing');
    expect(alarmKindOf('tns1:RuleEngine/FieldDetector/ObjectsInside', { IsInside: 'true' })).toBe('intrusion');
    expect(alarmKindOf('tns1:VideoSource/GlobalSceneChange/ImagingService', { State: 'true' })).toBeNull();
    expect(alarmKindOf('tns1:VideoSource/ImageTooBlurry/Tamper', { State: 'true' })).toBe('tamper');
  });
  it('ignores the end of an alarm and unrelated events', () => {
    expect(alarmKindOf('tns1:RuleEngine/CellMotionDetector/Motion', { IsMotion: 'false' })).toBeNull();
    expect(alarmKindOf('tns1:Device/Trigger/DigitalInput', { LogicalState: 'true' })).toBeNull();
  });
});

describe('isArmed (weekly schedule, China time)', () => {
  // 2026-06-01 is a Monday; 10:00 in Guishan is 02:00 UTC.
  const at = (day: number, hh: number, mm = 0) => Date.UTC(2026, 5, day, hh - 8, mm);
  it('is never armed when disarmed and always when armed without a schedule', () => {
    expect(isArmed(false, null, at(1, 10))).toBe(false);
    expect(isArmed(true, null, at(1, 10))).toBe(true);
  });
  it('follows weekdays and a daytime window', () => {
    const weekdays = { days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' };
    expect(isArmed(true, weekdays, at(1, 10))).toBe(true);
    expect(isArmed(true, weekdays, at(1, 7, 59))).toBe(false);
    expect(isArmed(true, weekdays, at(1, 18))).toBe(false);
    expect(isArmed(true, weekdays, at(6, 10))).toBe(false); // Saturday
  });
  it('runs a night window over midnight into the next morning', () => {
    const fridayNights = { days: [5], from: '22:00', to: '06:00' };
    expect(isArmed(true, fridayNights, at(5, 23))).toBe(true); // Friday 23:00
    expect(isArmed(true, fridayNights, at(6, 5, 59))).toBe(true); // Saturday 05:59
    expect(isArmed(true, fridayNights, at(6, 6))).toBe(false);
    expect(isArmed(true, fridayNights, at(5, 5))).toBe(false); // Friday morning belongs to Thursday night
  });
  it('takes equal times as the whole day', () => {
    expect(isArmed(true, { days: [0], from: '00:00', to: '00:00' }, at(7, 13))).toBe(true); // Sunday
    expect(isArmed(true, { days: [0], from: '00:00', to: '00:00' }, at(8, 13))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { ALARM_COOLDOWN_MS, alarmKindOf, joinsBurst } from './alarms';

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

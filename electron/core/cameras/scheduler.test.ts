import { afterEach, describe, expect, it, vi } from 'vitest';
import { CameraScheduler, jitter } from './scheduler';

afterEach(() => {
  vi.useRealTimers();
});

describe('the camera scheduler', () => {
  it('jitters delays by ±20 %', () => {
    expect(jitter(10_000, () => 0)).toBe(8_000);
    expect(jitter(10_000, () => 1)).toBe(12_000);
  });

  it('runs a job step after step, never twice at once, and stops it on cancel (with its clean-up once)', async () => {
    vi.useFakeTimers();
    const scheduler = new CameraScheduler(() => 0.5);
    let runs = 0;
    let cleanups = 0;
    scheduler.start('probe:a', 0, async () => {
      runs += 1;
      return 1_000;
    }, () => (cleanups += 1));
    scheduler.start('probe:a', 0, async () => 1); // already running: ignored
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(4);
    scheduler.runSoon('probe:a');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(5);
    scheduler.cancel('probe:a');
    scheduler.cancel('probe:a');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(5);
    expect(cleanups).toBe(1);
    expect(scheduler.keys()).toEqual([]);
  });
});

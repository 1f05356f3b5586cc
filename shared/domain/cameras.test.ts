import { describe, expect, it } from 'vitest';
import { chooseProfile, reconnectDelay } from './cameras';

const main = { token: 'main', width: 1920, height: 1080 };
const mid = { token: 'mid', width: 1280, height: 720 };
const sub = { token: 'sub', width: 640, height: 360 };

describe('chooseProfile', () => {
  it('takes the sub-stream for a 16-up tile and the main stream for single view', () => {
    // 16-up on a 1600×900 wall: ~400×225 tiles; single view: the whole wall.
    expect(chooseProfile([main, sub], 400, 225)?.token).toBe('sub');
    expect(chooseProfile([main, sub], 1600, 900)?.token).toBe('main');
  });
  it('takes the smallest profile at or above the tile, whatever the order given', () => {
    expect(chooseProfile([sub, main, mid], 800, 450)?.token).toBe('mid');
    expect(chooseProfile([sub, main, mid], 640, 360)?.token).toBe('sub');
    expect(chooseProfile([sub, main, mid], 641, 300)?.token).toBe('mid');
  });
  it('falls back to the largest when the tile is bigger than every profile, and to nothing without profiles', () => {
    expect(chooseProfile([sub, mid], 3840, 2160)?.token).toBe('mid');
    expect(chooseProfile([], 100, 100)).toBeUndefined();
    expect(chooseProfile([{ token: 'broken', width: 0, height: 0 }, sub], 100, 100)?.token).toBe('sub');
  });
});

describe('reconnectDelay', () => {
  it('backs off 1 s, 2 s, 5 s … and stays at 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(reconnectDelay)).toEqual([1000, 2000, 5000, 10000, 20000, 30000, 60000, 60000, 60000]);
    expect(reconnectDelay(0)).toBe(1000);
  });
});

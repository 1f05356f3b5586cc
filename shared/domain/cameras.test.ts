import { describe, expect, it } from 'vitest';
import { WallLayout, chooseProfile, codecLabel, isHevc, reconnectDelay, wallGeometry, wallLayoutOf } from './cameras';

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

describe('wall layouts', () => {
  const id = '0196a000-0000-7000-8000-000000000001';
  it('lays out the square sizes, rows × cols grids and the named 1+5 / 1+7 layouts', () => {
    expect(wallGeometry({ size: 16 })).toEqual({ rows: 4, cols: 4, tiles: 16, span: 1 });
    expect(wallGeometry({ size: 6, shape: { kind: 'grid', rows: 2, cols: 3 } })).toEqual({ rows: 2, cols: 3, tiles: 6, span: 1 });
    expect(wallGeometry({ size: 6, shape: { kind: 'focus', name: '1+5' } })).toEqual({ rows: 3, cols: 3, tiles: 6, span: 2 });
    expect(wallGeometry({ size: 8, shape: { kind: 'focus', name: '1+7' } })).toEqual({ rows: 4, cols: 4, tiles: 8, span: 3 });
    expect(wallLayoutOf({ kind: 'grid', rows: 5, cols: 5 }, [id])).toEqual({ size: 25, tiles: [id], shape: { kind: 'grid', rows: 5, cols: 5 } });
    expect(wallLayoutOf(9, [null, id])).toEqual({ size: 9, tiles: [null, id] });
  });
  it('accepts only layouts whose size is what their shape makes, up to 5×5', () => {
    expect(WallLayout.safeParse({ size: 4, tiles: [] }).success).toBe(true);
    expect(WallLayout.safeParse({ size: 8, tiles: [], shape: { kind: 'focus', name: '1+7' } }).success).toBe(true);
    const issues = (value: unknown) => (WallLayout.safeParse(value).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(issues({ size: 6, tiles: [] })).toEqual(['size']);
    expect(issues({ size: 7, tiles: [], shape: { kind: 'grid', rows: 2, cols: 3 } })).toEqual(['size']);
    expect(issues({ size: 30, tiles: [], shape: { kind: 'grid', rows: 6, cols: 5 } })).toEqual(expect.arrayContaining(['shape.rows']));
    expect(issues({ size: 6, tiles: [], shape: { kind: 'focus', name: '1+9' } })).toEqual(['shape.name']);
  });
});

describe('codecs', () => {
  it('tells H.265 from an ONVIF encoding or an MSE type, and names codecs for the tile', () => {
    for (const hevc of ['H265', 'h.265', 'HEVC', 'video/mp4; codecs="hev1.1.6.L93.B0"', 'hvc1.1.6.L63.90']) expect(isHevc(hevc), hevc).toBe(true);
    for (const other of ['H264', 'JPEG', 'video/mp4; codecs="avc1.42c01e"']) expect(isHevc(other), other).toBe(false);
    expect(codecLabel('video/mp4; codecs="hev1.1.6.L93.B0"')).toBe('H.265');
    expect(codecLabel('H264')).toBe('H.264');
    expect(codecLabel('video/mp4; codecs="av01.0.04M.08"')).toBe('AV01');
  });
});

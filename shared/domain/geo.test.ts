import { describe, expect, it } from 'vitest';
import { bd09ToGcj02, distanceMeters, fromWgs84, gcj02ToBd09, gcj02ToWgs84, toWgs84, wgs84ToGcj02, type Position } from './geo';

// Reference values published with the widely used coordtransform library (test/app.js), for
// the point 116.404 E, 39.915 N (Tiananmen) taken in each system in turn.
const REF: Position = [116.404, 39.915];

const close = (actual: Position, expected: Position, tolerance: number) => {
  expect(Math.abs(actual[0] - expected[0]), `lon ${actual[0]} vs ${expected[0]}`).toBeLessThan(tolerance);
  expect(Math.abs(actual[1] - expected[1]), `lat ${actual[1]} vs ${expected[1]}`).toBeLessThan(tolerance);
};

describe('GCJ-02 and BD-09 conversions', () => {
  it('WGS84 → GCJ-02 matches the published reference', () => {
    close(wgs84ToGcj02(REF), [116.41024449916938, 39.91640428150164], 1e-9);
  });

  it('GCJ-02 → BD-09 and BD-09 → GCJ-02 match the published references', () => {
    close(gcj02ToBd09(REF), [116.41036949371029, 39.92133699351021], 1e-9);
    close(bd09ToGcj02(REF), [116.39762729119315, 39.90865673957631], 1e-9);
  });

  it('GCJ-02 → WGS84 inverts the forward transform to a millimetre (the one-step guess is ~1 m off)', () => {
    const wgs = gcj02ToWgs84(REF);
    close(wgs84ToGcj02(wgs), REF, 1e-8);
    // The published one-step value: ours is within a few metres of it, and better.
    close(wgs, [116.39775550083061, 39.91359571849836], 2e-5);
  });

  it('round-trips through every system on Guishan Island', () => {
    const guishan: Position = [113.8236, 22.1352];
    // BD-09's published inverse is itself approximate (a few centimetres).
    for (const [crs, tolerance] of [['wgs84', 1e-12], ['gcj02', 1e-8], ['bd09', 1e-6]] as const) close(toWgs84(fromWgs84(guishan, crs), crs), guishan, tolerance);
    // GCJ-02 moves Guishan by a few hundred metres: a file in the wrong system would put incidents in the wrong grid.
    expect(distanceMeters(guishan, wgs84ToGcj02(guishan))).toBeGreaterThan(200);
  });

  it('leaves points outside China unchanged in GCJ-02', () => {
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84([2.35, 48.85])).toEqual([2.35, 48.85]);
  });
});

describe('distance', () => {
  it('measures one degree of latitude as ~111.2 km', () => {
    expect(distanceMeters([113.82, 22], [113.82, 23]) / 1000).toBeCloseTo(111.19, 1);
    expect(distanceMeters([113.82, 22.13], [113.82, 22.13])).toBe(0);
  });
});

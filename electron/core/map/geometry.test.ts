import { describe, expect, it } from 'vitest';
import type { MultiPolygonCoordinates, Position } from '@shared';
import { zigzagRing } from '../../../tests/support/shapes';
import { bboxOf, holeInsideShell, polygonsContain, ringSelfIntersection, ringsCrossing } from './geometry';

const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

describe('point in polygon', () => {
  const withHole: MultiPolygonCoordinates = [[square(0, 0, 10, 10), square(4, 4, 6, 6)]];

  it('finds points inside and outside', () => {
    expect(polygonsContain(withHole, 1, 1)).toBe(true);
    expect(polygonsContain(withHole, 11, 5)).toBe(false);
    expect(polygonsContain(withHole, -0.0001, 5)).toBe(false);
  });

  it('counts a point on the outer border or a vertex as inside', () => {
    expect(polygonsContain(withHole, 0, 5)).toBe(true);
    expect(polygonsContain(withHole, 10, 10)).toBe(true);
    expect(polygonsContain(withHole, 5, 0)).toBe(true);
  });

  it('excludes the inside of a hole, but not its border', () => {
    expect(polygonsContain(withHole, 5, 5)).toBe(false);
    expect(polygonsContain(withHole, 4, 5)).toBe(true);
    expect(polygonsContain(withHole, 3.9999, 5)).toBe(true);
  });

  it('looks in every polygon of a multipolygon', () => {
    const two: MultiPolygonCoordinates = [[square(0, 0, 1, 1)], [square(5, 5, 6, 6)]];
    expect(polygonsContain(two, 5.5, 5.5)).toBe(true);
    expect(polygonsContain(two, 3, 3)).toBe(false);
    expect(bboxOf(two)).toEqual([0, 0, 6, 6]);
  });

  it('handles a concave ring (the ray crosses it several times)', () => {
    const u: MultiPolygonCoordinates = [[[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]]];
    expect(polygonsContain(u, 1.5, 2)).toBe(false);
    expect(polygonsContain(u, 0.5, 2)).toBe(true);
    expect(polygonsContain(u, 2.5, 2)).toBe(true);
  });
});

describe('self-intersection', () => {
  it('accepts simple rings', () => {
    expect(ringSelfIntersection(square(0, 0, 1, 1))).toBeNull();
    expect(ringSelfIntersection([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]])).toBeNull();
  });

  it('finds a bow tie', () => {
    const bowTie: Position[] = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]];
    expect(ringSelfIntersection(bowTie)).toMatchObject({ segmentA: 0, segmentB: 2 });
  });

  it('finds a ring that touches itself at a vertex, and a spike folding back', () => {
    expect(ringSelfIntersection([[0, 0], [4, 0], [4, 4], [2, 0], [0, 4], [0, 0]])).not.toBeNull();
    expect(ringSelfIntersection([[0, 0], [4, 0], [6, 0], [5, 0], [4, 4], [0, 0]])).not.toBeNull();
  });
});

describe('self-intersection at 20,000 vertices', () => {
  it('refuses the zigzag ring that cuts through its own teeth in well under a second', () => {
    const ring = zigzagRing(20_000, true);
    const cpu = process.cpuUsage();
    expect(ringSelfIntersection(ring)).not.toBeNull();
    // CPU time, not wall time: this machine runs at load 15–30 on 2 cores, where 50–200 ms of CPU
    // took 0.3–1.8 s of wall time. The old scan needed 4.2 s of CPU for this ring.
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });

  it('accepts the same zigzag when it closes below its teeth', () => {
    expect(ringSelfIntersection(zigzagRing(20_000, false))).toBeNull();
  });

  it('finds holes crossing their shell or lying outside it', () => {
    const shell = square(0, 0, 10, 10);
    expect(ringsCrossing([shell, square(2, 2, 4, 4)])).toBeNull();
    expect(ringsCrossing([shell, square(8, 8, 12, 12)])).toMatchObject({ ringA: 0, ringB: 1 });
    expect(holeInsideShell(shell, square(2, 2, 4, 4))).toBe(true);
    expect(holeInsideShell(shell, square(20, 20, 24, 24))).toBe(false);
  });
});

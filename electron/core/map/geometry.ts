import Flatbush from 'flatbush';
import type { MultiPolygonCoordinates, Position } from '@shared';

export type Ring = Position[];
export type BBox = [number, number, number, number];

export function bboxOf(polygons: MultiPolygonCoordinates): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygons) {
    // Holes lie inside the outer ring: the outer ring alone bounds the polygon.
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** -1 outside, 0 on the boundary, 1 inside (ray casting; the boundary is found exactly, not by the ray). */
function ringContains(ring: Ring, lon: number, lat: number): -1 | 0 | 1 {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    // On the segment: collinear and within its box.
    const cross = (xj - xi) * (lat - yi) - (yj - yi) * (lon - xi);
    if (cross === 0 && lon >= Math.min(xi, xj) && lon <= Math.max(xi, xj) && lat >= Math.min(yi, yj) && lat <= Math.max(yi, yj)) return 0;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

/**
 * Whether a point is in a (multi)polygon. A point on an outer border counts as inside, so a point on
 * the border between two grids belongs to one of them (the first in the store's order) rather than
 * to none; a point on a hole's border is inside too (the hole is what is excluded).
 */
export function polygonsContain(polygons: MultiPolygonCoordinates, lon: number, lat: number): boolean {
  for (const polygon of polygons) {
    const outer = polygon[0];
    if (!outer || ringContains(outer, lon, lat) < 0) continue;
    let inHole = false;
    for (let h = 1; h < polygon.length; h++) {
      if (ringContains(polygon[h]!, lon, lat) > 0) {
        inHole = true;
        break;
      }
    }
    if (!inHole) return true;
  }
  return false;
}

function orientation(a: Position, b: Position, c: Position): number {
  const v = (b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1]);
  return v === 0 ? 0 : v > 0 ? 1 : 2;
}

function onSegment(a: Position, b: Position, c: Position): boolean {
  return b[0] <= Math.max(a[0], c[0]) && b[0] >= Math.min(a[0], c[0]) && b[1] <= Math.max(a[1], c[1]) && b[1] >= Math.min(a[1], c[1]);
}

function segmentsIntersect(p1: Position, q1: Position, p2: Position, q2: Position): boolean {
  const o1 = orientation(p1, q1, p2);
  const o2 = orientation(p1, q1, q2);
  const o3 = orientation(p2, q2, p1);
  const o4 = orientation(p2, q2, q1);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(p1, p2, q1)) return true;
  if (o2 === 0 && onSegment(p1, q2, q1)) return true;
  if (o3 === 0 && onSegment(p2, p1, q2)) return true;
  if (o4 === 0 && onSegment(p2, q1, q2)) return true;
  return false;
}

export interface RingCrossing {
  /** Ring indexes within the polygon (0 = outer ring, 1… = holes); equal when a ring crosses itself. */
  ringA: number;
  ringB: number;
  segmentA: number;
  segmentB: number;
  near: Position;
}

/** Whether two neighbouring segments of one ring (sharing `shared`) fold back onto each other. */
function foldsBack(otherA: Position, shared: Position, otherB: Position): boolean {
  const sameSide = (otherA[0] - shared[0]) * (otherB[0] - shared[0]) + (otherA[1] - shared[1]) * (otherB[1] - shared[1]) > 0;
  return orientation(otherA, shared, otherB) === 0 && sameSide;
}

/**
 * The first place where closed rings cross or touch themselves or each other (other than
 * neighbouring segments of one ring sharing their vertex), or null.
 *
 * Every segment's box goes into one Flatbush R-tree (packed Hilbert order: O(n log n) to build);
 * each segment then meets only the segments whose boxes overlap its own, so a ring of n vertices
 * costs O(n log n + k) — k the pairs of overlapping boxes, a handful per segment on a real boundary
 * and on the 20,000-vertex zigzag that took the old all-pairs-by-longitude scan 4.2 s. (A ring
 * drawn so that thousands of long segments share one box would still cost more; the vertex limits
 * bound it, and validation runs in a job worker, never on the serving loop.)
 */
export function ringsCrossing(rings: readonly Ring[], check?: () => void): RingCrossing | null {
  let total = 0;
  for (const ring of rings) total += Math.max(0, ring.length - 1);
  if (total < 2) return null;
  const ringOf = new Uint32Array(total);
  const segOf = new Uint32Array(total);
  const index = new Flatbush(total);
  let k = 0;
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i]!;
      const [bx, by] = ring[i + 1]!;
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
      ringOf[k] = r;
      segOf[k] = i;
      k++;
    }
  });
  index.finish();
  let found: RingCrossing | null = null;
  for (let a = 0; a < total && !found; a++) {
    if (check && a % 4096 === 0) check();
    const ra = ringOf[a]!;
    const i = segOf[a]!;
    const ringA = rings[ra]!;
    const a1 = ringA[i]!;
    const a2 = ringA[i + 1]!;
    const n = ringA.length - 1;
    index.search(Math.min(a1[0], a2[0]), Math.min(a1[1], a2[1]), Math.max(a1[0], a2[0]), Math.max(a1[1], a2[1]), (b) => {
      if (found || b <= a) return false;
      const rb = ringOf[b]!;
      const j = segOf[b]!;
      const ringB = rings[rb]!;
      const b1 = ringB[j]!;
      const b2 = ringB[j + 1]!;
      if (ra === rb && (j - i === 1 || (i === 0 && j === n - 1))) {
        // Neighbours share one vertex; they only overlap if they fold back onto each other.
        const folds = j - i === 1 ? foldsBack(a1, a2, b2) : foldsBack(a2, a1, b1);
        if (folds) found = { ringA: ra, ringB: rb, segmentA: i, segmentB: j, near: j - i === 1 ? a2 : a1 };
        return false;
      }
      if (segmentsIntersect(a1, a2, b1, b2)) found = { ringA: ra, ringB: rb, segmentA: i, segmentB: j, near: b1 };
      return false;
    });
  }
  return found;
}

/** The first place where one closed ring crosses or touches itself, or null (see ringsCrossing). */
export function ringSelfIntersection(ring: Ring): { segmentA: number; segmentB: number; near: Position } | null {
  if (ring.length - 1 < 3) return null;
  const crossing = ringsCrossing([ring]);
  return crossing ? { segmentA: crossing.segmentA, segmentB: crossing.segmentB, near: crossing.near } : null;
}

/** Whether a hole that crosses no other ring lies inside its shell (one vertex off the shell's border decides). */
export function holeInsideShell(shell: Ring, hole: Ring): boolean {
  for (const [lon, lat] of hole) {
    const where = ringContains(shell, lon, lat);
    if (where !== 0) return where > 0;
  }
  return true; // every vertex on the border: a crossing test would have refused it first
}

/** Distinct positions of a closed ring (a ring needs 3 to enclose any area). */
export function distinctPositions(ring: Ring): number {
  return new Set(ring.map(([lon, lat]) => `${lon},${lat}`)).size;
}

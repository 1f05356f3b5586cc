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

/**
 * The first place where a closed ring crosses or touches itself (other than neighbouring segments
 * sharing their vertex), or null. Segments are sorted by their lowest longitude so each is only
 * compared with those whose span overlaps it.
 */
export function ringSelfIntersection(ring: Ring): { segmentA: number; segmentB: number; near: Position } | null {
  const n = ring.length - 1; // segments; the ring is closed (last = first)
  if (n < 3) return null;
  const order = Array.from({ length: n }, (_v, i) => i).sort(
    (a, b) => Math.min(ring[a]![0], ring[a + 1]![0]) - Math.min(ring[b]![0], ring[b + 1]![0]),
  );
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi]!;
    const a1 = ring[i]!;
    const a2 = ring[i + 1]!;
    const maxX = Math.max(a1[0], a2[0]);
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj]!;
      const b1 = ring[j]!;
      const b2 = ring[j + 1]!;
      if (Math.min(b1[0], b2[0]) > maxX) break;
      const adjacent = Math.abs(i - j) === 1 || Math.abs(i - j) === n - 1;
      if (adjacent) {
        // Neighbours share one vertex; they only overlap if they fold back onto each other.
        const [shared, otherA, otherB] = i + 1 === j || (i === n - 1 && j === 0) ? [a2, a1, b2] : [a1, a2, b1];
        const sameSide = (otherA[0] - shared[0]) * (otherB[0] - shared[0]) + (otherA[1] - shared[1]) * (otherB[1] - shared[1]) > 0;
        if (orientation(otherA, shared, otherB) === 0 && sameSide) {
          return { segmentA: Math.min(i, j), segmentB: Math.max(i, j), near: shared };
        }
        continue;
      }
      if (segmentsIntersect(a1, a2, b1, b2)) {
        return { segmentA: Math.min(i, j), segmentB: Math.max(i, j), near: b1 };
      }
    }
  }
  return null;
}

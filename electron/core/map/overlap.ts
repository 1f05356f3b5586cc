import Flatbush from 'flatbush';
import * as polygonClippingModule from 'polygon-clipping';
import type { MultiPolygonCoordinates } from '@shared';
import { bboxOf } from './geometry';
import type { TaskControl } from '../store';

// The package's types name its functions as exports, but its ES build only has a default export.
const polygonClipping = ((polygonClippingModule as unknown as { default?: typeof polygonClippingModule }).default ?? polygonClippingModule) as typeof polygonClippingModule;

/** Metres per degree of latitude; a degree of longitude is this × cos(latitude). */
const M_PER_DEGREE = 111_320;

/** Area in m² of (multi)polygon coordinates in degrees, projected locally around `lat0` (grids span a few km). */
export function areaM2(polygons: MultiPolygonCoordinates, lat0: number): number {
  const kx = M_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180);
  let total = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, r) => {
      let sum = 0;
      for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
      const area = Math.abs(sum / 2) * kx * M_PER_DEGREE;
      total += r === 0 ? area : -area;
    });
  }
  return total;
}

export interface GridOverlap {
  a: string;
  b: string;
  indexA: number;
  indexB: number;
  areaM2: number;
}

/**
 * The first two grids that overlap, or null. Grids drawn separately rarely share a border to the
 * last digit, so slivers below 1 m² or 0.01 % of the smaller grid are borders, not overlaps.
 * Candidate pairs come from a bounding-box index (a grid meets its few neighbours, not all 3,000).
 */
export function findGridOverlap(grids: readonly { code: string; polygons: MultiPolygonCoordinates }[], control?: Pick<TaskControl, 'progress' | 'check'>): GridOverlap | null {
  if (grids.length < 2) return null;
  const boxes = grids.map((g) => bboxOf(g.polygons));
  const index = new Flatbush(grids.length);
  for (const box of boxes) index.add(...box);
  index.finish();
  const areas = new Map<number, number>();
  const areaOf = (i: number) => {
    let area = areas.get(i);
    if (area === undefined) areas.set(i, (area = areaM2(grids[i]!.polygons, (boxes[i]![1] + boxes[i]![3]) / 2)));
    return area;
  };
  for (let i = 0; i < grids.length; i++) {
    if (control) {
      control.check();
      control.progress('overlap', i, grids.length);
    }
    const candidates = index.search(...boxes[i]!).filter((j) => j > i).sort((x, y) => x - y);
    for (const j of candidates) {
      const shared = polygonClipping.intersection(grids[i]!.polygons as polygonClippingModule.MultiPolygon, grids[j]!.polygons as polygonClippingModule.MultiPolygon);
      if (!shared.length) continue;
      const area = areaM2(shared, (boxes[i]![1] + boxes[i]![3]) / 2);
      if (area > Math.max(1, 1e-4 * Math.min(areaOf(i), areaOf(j)))) {
        return { a: grids[i]!.code, b: grids[j]!.code, indexA: i, indexB: j, areaM2: area };
      }
    }
  }
  return null;
}

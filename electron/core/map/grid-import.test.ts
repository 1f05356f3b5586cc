import { describe, expect, it } from 'vitest';
import { ContractError, GRID_LIMITS, wgs84ToGcj02, gcj02ToBd09, type Position } from '@shared';
import { parseGridGeoJson } from './grid-import';
import { guishanDemoGrids } from './demo-grids';

const square = (x0: number, y0: number, size = 0.01): Position[] => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

const feature = (code: unknown, geometry: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { code, name: `网格 ${String(code)}`, ...extra },
  geometry,
});
const polygon = (...rings: Position[][]) => ({ type: 'Polygon', coordinates: rings });
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

function refusal(source: string): ContractError {
  try {
    parseGridGeoJson(source, 'wgs84');
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).code).toBe('validation');
    return error as ContractError;
  }
  throw new Error('expected the file to be refused');
}

describe('grid GeoJSON import', () => {
  it('reads polygons and multipolygons with their properties', () => {
    const grids = parseGridGeoJson(
      collection(
        feature('A-1', polygon(square(113.81, 22.12)), { community: '桂山村', workers: ['何少华', '周敏'] }),
        feature(2, { type: 'MultiPolygon', coordinates: [[square(113.82, 22.12)], [square(113.84, 22.12)]] }, { village: '中心洲', grid_worker: '郑家豪、罗美玲' }),
      ),
      'wgs84',
    );
    expect(grids).toHaveLength(2);
    expect(grids[0]).toMatchObject({ code: 'A-1', name: '网格 A-1', community: '桂山村', workers: ['何少华', '周敏'] });
    expect(grids[1]).toMatchObject({ code: '2', community: '中心洲', workers: ['郑家豪', '罗美玲'] });
    expect(grids[1]!.polygons).toHaveLength(2);
  });

  it('converts GCJ-02 and BD-09 files to WGS84', () => {
    const wgs = square(113.82, 22.13);
    const gcj = wgs.map(wgs84ToGcj02);
    const bd = gcj.map(gcj02ToBd09);
    const fromGcj = parseGridGeoJson(collection(feature('G', polygon(gcj))), 'gcj02')[0]!.polygons[0]![0]!;
    const fromBd = parseGridGeoJson(collection(feature('B', polygon(bd))), 'bd09')[0]!.polygons[0]![0]!;
    fromGcj.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(wgs[i]![0], 7);
      expect(p[1]).toBeCloseTo(wgs[i]![1], 7);
    });
    fromBd.forEach((p, i) => {
      // BD-09's published inverse is approximate to a few centimetres.
      expect(p[0]).toBeCloseTo(wgs[i]![0], 5);
      expect(p[1]).toBeCloseTo(wgs[i]![1], 5);
    });
  });

  it('refuses text that is not JSON, and JSON that is not a FeatureCollection', () => {
    expect(refusal('{"type": "Feature').message).toMatch(/not a GeoJSON file.*not valid JSON/);
    expect(refusal('{"type": "Feature", "geometry": null}').message).toMatch(/not a GeoJSON FeatureCollection/);
    expect(refusal(collection()).message).toMatch(/no features/);
  });

  it('refuses geometry that is not a polygon, naming the feature', () => {
    const error = refusal(collection(feature('OK', polygon(square(113.81, 22.12))), feature('L-2', { type: 'LineString', coordinates: [[113.8, 22.1], [113.9, 22.2]] })));
    expect(error.message).toContain('feature 1 (L-2): geometry is LineString; only Polygon and MultiPolygon');
    expect(error.issues[0]!.path).toBe('geojson.features.1.geometry.type');
    expect(refusal(collection(feature('N', null))).message).toContain('feature 0 (N): has no geometry');
  });

  it('refuses an open ring and a ring with too few positions', () => {
    const open = square(113.81, 22.12).slice(0, 4);
    expect(refusal(collection(feature('O', polygon(open)))).message).toContain('feature 0 (O): outer ring is not closed');
    const tiny: Position[] = [[113.81, 22.12], [113.82, 22.12], [113.81, 22.12]];
    expect(refusal(collection(feature('T', polygon(tiny)))).message).toContain('has 3 positions; a closed ring needs at least 4');
  });

  it('refuses a self-intersecting ring with the feature index and where', () => {
    const bowTie: Position[] = [[113.81, 22.12], [113.83, 22.14], [113.83, 22.12], [113.81, 22.14], [113.81, 22.12]];
    const error = refusal(collection(feature('OK', polygon(square(113.8, 22.1))), feature('X-9', polygon(bowTie))));
    expect(error.message).toMatch(/feature 1 \(X-9\): outer ring intersects itself \(segments 0 and 2, near/);
    expect(error.issues[0]!.path).toBe('geojson.features.1.geometry.coordinates.0');
  });

  it('refuses a self-intersecting hole', () => {
    const bowTie: Position[] = [[113.812, 22.122], [113.815, 22.125], [113.815, 22.122], [113.812, 22.125], [113.812, 22.122]];
    expect(refusal(collection(feature('H', polygon(square(113.81, 22.12), bowTie)))).message).toContain('hole 1 intersects itself');
  });

  it('refuses duplicate and missing codes', () => {
    const error = refusal(collection(feature('GS-01', polygon(square(113.81, 22.12))), feature('GS-01', polygon(square(113.83, 22.12)))));
    expect(error.message).toContain('feature 1 (GS-01): duplicate grid code "GS-01" (also feature 0)');
    expect(refusal(collection(feature('', polygon(square(113.81, 22.12))))).message).toContain('feature 0: has no grid code');
  });

  it('refuses coordinates out of range (swapped or projected) and non-numbers', () => {
    const swapped = square(22.12, 113.81);
    expect(refusal(collection(feature('S', polygon(swapped)))).message).toMatch(/feature 0 \(S\): outer ring, position 0 \[22.12, 113.81\] is out of range/);
    const projected = square(500000, 2450000, 100);
    expect(refusal(collection(feature('P', polygon(projected)))).message).toContain('out of range');
    const text = [['113.81', '22.12'], [113.82, 22.12], [113.82, 22.13], [113.81, 22.12]];
    expect(refusal(collection(feature('Q', { type: 'Polygon', coordinates: [text] }))).message).toContain('position 0 is not a [longitude, latitude] pair');
  });

  it('lists several problems at once, the first in the message', () => {
    const error = refusal(collection(feature('A', null), feature('A', null)));
    expect(error.issues.map((i) => i.path)).toEqual(['geojson.features.0.geometry', 'geojson.features.1.properties.code']);
    expect(error.message).toMatch(/^grid file refused, nothing was changed: feature 0 \(A\): has no geometry \(and 1 more problem\)$/);
  });

  it('accepts the demo grids: 11 grids, clearly named as demo data', () => {
    const grids = guishanDemoGrids();
    expect(grids).toHaveLength(11);
    for (const grid of grids) expect(grid.name).toContain('演示');
  });
});

describe('grid geometry refusals carry a reason and its params', () => {
  const sq = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
  const doc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  const grid = (code: string, coordinates: unknown) => ({ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates } });
  const refusal = (source: string) => {
    try {
      parseGridGeoJson(source, 'wgs84');
    } catch (error) {
      return error as ContractError;
    }
    throw new Error('expected a refusal');
  };

  it('names both overlapping grids and the overlap area', () => {
    const error = refusal(doc(grid('A', [sq(113.8, 22.12, 0.01)]), grid('B', [sq(113.805, 22.12, 0.01)])));
    expect(error.reason).toBe('map.file_refused');
    const issue = error.issues[0]!;
    expect(issue.reason).toBe('map.overlap');
    expect(issue.params).toMatchObject({ a: 'A', b: 'B' });
    // Half of a 0.01° square at 22.12° N: ~515 m × 1,113 m / 2 ≈ 573,000 m².
    expect(issue.params!.areaM2).toBeGreaterThan(500_000);
    expect(issue.params!.areaM2).toBeLessThan(650_000);
  });

  it('accepts grids that only share a border', () => {
    expect(parseGridGeoJson(doc(grid('A', [sq(113.8, 22.12, 0.01)]), grid('B', [sq(113.81, 22.12, 0.01)])), 'wgs84')).toHaveLength(2);
  });

  it('refuses a hole outside its shell, a hole crossing it, and a ring of too few distinct points', () => {
    expect(refusal(doc(grid('H', [sq(113.8, 22.12, 0.01), sq(113.9, 22.12, 0.001)]))).issues[0]).toMatchObject({ reason: 'map.hole_outside', params: { code: 'H', hole: 1 } });
    expect(refusal(doc(grid('X', [sq(113.8, 22.12, 0.01), sq(113.805, 22.125, 0.01)]))).issues[0]).toMatchObject({ reason: 'map.rings_cross', params: { code: 'X', hole: 1, other: 0 } });
    const flat = [[113.8, 22.12], [113.81, 22.12], [113.8, 22.12], [113.81, 22.12], [113.8, 22.12]];
    expect(refusal(doc(grid('F', [flat]))).issues[0]).toMatchObject({ reason: 'map.too_few_points', params: { code: 'F', count: 2 } });
  });

  it('refuses a self-intersecting ring with its place, and too many grids with the limit', () => {
    const bowTie = [[113.8, 22.12], [113.81, 22.13], [113.81, 22.12], [113.8, 22.13], [113.8, 22.12]];
    const error = refusal(doc(grid('T', [bowTie])));
    expect(error.issues[0]).toMatchObject({ reason: 'map.self_intersection', params: { code: 'T', hole: 0 } });
    const many = Array.from({ length: GRID_LIMITS.features + 1 }, (_v, i) => grid(`G${i}`, [sq(113.8, 22.12, 0.001)]));
    expect(refusal(doc(...many))).toMatchObject({ reason: 'map.too_many_features', params: { count: GRID_LIMITS.features + 1, max: GRID_LIMITS.features } });
  });
});

import { ContractError, GRID_LIMITS, toWgs84, type CoordinateSystem, type FieldIssue, type MultiPolygonCoordinates, type Position } from '@shared';
import { distinctPositions, holeInsideShell, ringsCrossing } from './geometry';
import { findGridOverlap } from './overlap';
import type { TaskControl } from '../store';

export interface ImportedGrid {
  code: string;
  name: string;
  community: string;
  workers: string[];
  /** WGS84 */
  polygons: MultiPolygonCoordinates;
}

/** At most this many problems are listed; the first ones are enough to fix a file. */
const MAX_ISSUES = 20;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(value: Json): string | null {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function workersOf(props: Record<string, Json>): string[] {
  const raw = props.workers ?? props.grid_workers ?? props.grid_worker ?? props.worker;
  const list = Array.isArray(raw) ? raw.map(text) : typeof raw === 'string' ? raw.split(/[,，、;；]/) : [];
  return list.map((w) => (w ?? '').trim()).filter((w) => w.length > 0).slice(0, GRID_LIMITS.workers);
}

/**
 * A GeoJSON FeatureCollection of grid polygons → grids in WGS84. Refuses the whole file on any
 * problem, each issue naming the feature (index, and code where it has one) and what is wrong.
 */
export function parseGridGeoJson(source: string, crs: CoordinateSystem, control?: Pick<TaskControl, 'progress' | 'check'>): ImportedGrid[] {
  let doc: Json;
  try {
    doc = JSON.parse(source);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw ContractError.validation(`not a GeoJSON file: the text is not valid JSON (${why})`, [{ path: 'geojson', message: 'not valid JSON' }]);
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw ContractError.validation('not a GeoJSON FeatureCollection: expected {"type": "FeatureCollection", "features": [...]}', [
      { path: 'geojson', message: 'not a FeatureCollection' },
    ]);
  }
  const features = doc.features;
  if (!features.length) throw ContractError.validation('the file has no features', [{ path: 'geojson.features', message: 'empty' }]);
  if (features.length > GRID_LIMITS.features) {
    const params = { count: features.length, max: GRID_LIMITS.features };
    throw ContractError.validation(
      `the file has ${features.length} features; at most ${GRID_LIMITS.features} grids can be imported at once`,
      [{ path: 'geojson.features', message: 'too many features', reason: 'grids.too_many_grids', params }],
      { reason: 'grids.too_many_grids', params },
    );
  }

  const issues: FieldIssue[] = [];
  const grids: ImportedGrid[] = [];
  const firstIndexOfCode = new Map<string, number>();

  features.forEach((feature, index) => {
    if (issues.length >= MAX_ISSUES) return;
    if (control) {
      control.check();
      control.progress('validate', index, features.length);
    }
    const path = `geojson.features.${index}`;
    const props = isObject(feature) && isObject(feature.properties) ? feature.properties : {};
    const code = text(props.code ?? props.grid_code);
    const label = `feature ${index}${code ? ` (${code})` : ''}`;
    const problem = (where: string, message: string, detail: Pick<FieldIssue, 'reason' | 'params'> = {}) =>
      issues.push({ path: where ? `${path}.${where}` : path, message: `${label}: ${message}`, ...detail });

    if (!isObject(feature) || feature.type !== 'Feature') return problem('', 'is not a GeoJSON Feature');
    if (!code) return problem('properties.code', 'has no grid code (property "code")');
    if (code.length > GRID_LIMITS.code) return problem('properties.code', `grid code longer than ${GRID_LIMITS.code} characters`);
    const seen = firstIndexOfCode.get(code);
    if (seen !== undefined) return problem('properties.code', `duplicate grid code "${code}" (also feature ${seen})`);
    firstIndexOfCode.set(code, index);

    const geometry = feature.geometry;
    if (!isObject(geometry)) return problem('geometry', 'has no geometry');
    let polygonsRaw: Json[];
    if (geometry.type === 'Polygon') polygonsRaw = [geometry.coordinates];
    else if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) polygonsRaw = geometry.coordinates;
    else return problem('geometry.type', `geometry is ${typeof geometry.type === 'string' ? geometry.type : 'missing'}; only Polygon and MultiPolygon grids can be imported`);
    if (!polygonsRaw.length) return problem('geometry.coordinates', 'has an empty geometry');

    const polygons: MultiPolygonCoordinates = [];
    let vertices = 0;
    for (let p = 0; p < polygonsRaw.length; p++) {
      const rings = polygonsRaw[p];
      const polygonPath = geometry.type === 'Polygon' ? 'geometry.coordinates' : `geometry.coordinates.${p}`;
      if (!Array.isArray(rings) || !rings.length) return problem(polygonPath, 'a polygon has no rings');
      const outRings: Position[][] = [];
      for (let r = 0; r < rings.length; r++) {
        const ring = rings[r];
        const ringPath = `${polygonPath}.${r}`;
        const ringName = `${r === 0 ? 'outer ring' : `hole ${r}`}${polygonsRaw.length > 1 ? ` of polygon ${p}` : ''}`;
        if (!Array.isArray(ring)) return problem(ringPath, `${ringName} is not a list of positions`);
        if (ring.length > GRID_LIMITS.verticesPerRing) {
          return problem(ringPath, `${ringName} has more than ${GRID_LIMITS.verticesPerRing} positions`, {
            reason: 'grids.too_many_vertices',
            params: { code, count: ring.length, max: GRID_LIMITS.verticesPerRing },
          });
        }
        vertices += ring.length;
        if (vertices > GRID_LIMITS.verticesPerGrid) {
          return problem(ringPath, `the grid has more than ${GRID_LIMITS.verticesPerGrid} positions in all`, {
            reason: 'grids.too_many_vertices',
            params: { code, count: vertices, max: GRID_LIMITS.verticesPerGrid },
          });
        }
        const positions: Position[] = [];
        for (let v = 0; v < ring.length; v++) {
          const position = ring[v];
          if (!Array.isArray(position) || position.length < 2 || typeof position[0] !== 'number' || typeof position[1] !== 'number' || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
            return problem(`${ringPath}.${v}`, `${ringName}, position ${v} is not a [longitude, latitude] pair of numbers`);
          }
          const [lon, lat] = position as [number, number];
          if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            return problem(`${ringPath}.${v}`, `${ringName}, position ${v} [${lon}, ${lat}] is out of range (longitude −180…180, latitude −90…90; are longitude and latitude swapped, or is this a projected system?)`);
          }
          positions.push([lon, lat]);
        }
        if (positions.length < 4) return problem(ringPath, `${ringName} has ${positions.length} positions; a closed ring needs at least 4`);
        const first = positions[0]!;
        const last = positions[positions.length - 1]!;
        if (first[0] !== last[0] || first[1] !== last[1]) return problem(ringPath, `${ringName} is not closed (its last position must repeat the first)`);
        const distinct = distinctPositions(positions);
        if (distinct < 3) {
          return problem(ringPath, `${ringName} has only ${distinct} distinct positions; a ring needs at least 3 to enclose an area`, {
            reason: 'grids.too_few_points',
            params: { code, ring: r, count: distinct },
          });
        }
        outRings.push(positions);
      }
      // One segment index over the polygon's rings: a ring crossing itself, or a hole crossing the
      // shell or another hole (O(n log n), see ringsCrossing).
      const crossing = ringsCrossing(outRings, control?.check);
      if (crossing) {
        const near = `[${crossing.near[0]}, ${crossing.near[1]}]`;
        const params = { code, lon: crossing.near[0], lat: crossing.near[1] };
        const ringName = (r: number) => `${r === 0 ? 'outer ring' : `hole ${r}`}${polygonsRaw.length > 1 ? ` of polygon ${p}` : ''}`;
        if (crossing.ringA === crossing.ringB) {
          return problem(
            `${polygonPath}.${crossing.ringA}`,
            `${ringName(crossing.ringA)} intersects itself (segments ${crossing.segmentA} and ${crossing.segmentB}, near ${near})`,
            { reason: 'grids.self_intersection', params },
          );
        }
        return problem(`${polygonPath}.${crossing.ringB}`, `${ringName(crossing.ringB)} crosses ${ringName(crossing.ringA)} near ${near}`, {
          reason: 'grids.rings_cross',
          params,
        });
      }
      for (let h = 1; h < outRings.length; h++) {
        if (!holeInsideShell(outRings[0]!, outRings[h]!)) {
          return problem(`${polygonPath}.${h}`, `hole ${h} lies outside its outer ring`, { reason: 'grids.hole_outside', params: { code, hole: h } });
        }
      }
      polygons.push(outRings.map((ring) => ring.map((position) => toWgs84(position, crs))));
    }
    grids.push({
      code,
      name: (text(props.name) || code).slice(0, GRID_LIMITS.name),
      community: (text(props.community ?? props.village) ?? '').slice(0, GRID_LIMITS.name),
      workers: workersOf(props),
      polygons,
    });
  });

  if (!issues.length) {
    const overlap = findGridOverlap(grids, control);
    if (overlap) {
      const params = { a: overlap.a, b: overlap.b, areaM2: Math.round(overlap.areaM2) };
      issues.push({
        path: `geojson.features.${overlap.indexB}`,
        message: `grids ${overlap.a} and ${overlap.b} overlap (${params.areaM2} m²); grids must not overlap`,
        reason: 'grids.overlap',
        params,
      });
    }
  }

  if (issues.length) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    const { reason, params } = issues[0]!;
    throw ContractError.validation(`grid file refused, nothing was changed: ${issues[0]!.message}${more}`, issues, reason ? { reason, params } : {});
  }
  return grids;
}

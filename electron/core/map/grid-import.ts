import { ContractError, GRID_LIMITS, toWgs84, type CoordinateSystem, type ErrorParams, type ErrorReason, type FieldIssue, type MultiPolygonCoordinates, type Position } from '@shared';
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
    throw ContractError.field('geojson', 'map.not_json', `not a GeoJSON file: the text is not valid JSON (${why})`, {}, 'not valid JSON');
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw ContractError.field('geojson', 'map.not_collection', 'not a GeoJSON FeatureCollection: expected {"type": "FeatureCollection", "features": [...]}', {}, 'not a FeatureCollection');
  }
  const features = doc.features;
  if (!features.length) throw ContractError.field('geojson.features', 'map.no_features', 'the file has no features', {}, 'empty');
  if (features.length > GRID_LIMITS.features) {
    throw ContractError.field(
      'geojson.features',
      'map.too_many_features',
      `the file has ${features.length} features; at most ${GRID_LIMITS.features} grids can be imported at once`,
      { count: features.length, max: GRID_LIMITS.features },
      'too many features',
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
    // Each issue names its feature (index, code) in params, so the renderer says which one in the operator's language.
    const problem = (where: string, reason: ErrorReason, message: string, params: ErrorParams = {}) =>
      issues.push({ path: where ? `${path}.${where}` : path, message: `${label}: ${message}`, reason, params: { feature: index, code: code ?? '', ...params } });

    if (!isObject(feature) || feature.type !== 'Feature') return problem('', 'map.not_feature', 'is not a GeoJSON Feature');
    if (!code) return problem('properties.code', 'map.no_code', 'has no grid code (property "code")');
    if (code.length > GRID_LIMITS.code) return problem('properties.code', 'map.long_code', `grid code longer than ${GRID_LIMITS.code} characters`, { max: GRID_LIMITS.code });
    const seen = firstIndexOfCode.get(code);
    if (seen !== undefined) return problem('properties.code', 'map.duplicate_code', `duplicate grid code "${code}" (also feature ${seen})`, { other: seen });
    firstIndexOfCode.set(code, index);

    const geometry = feature.geometry;
    if (!isObject(geometry)) return problem('geometry', 'map.no_geometry', 'has no geometry');
    let polygonsRaw: Json[];
    if (geometry.type === 'Polygon') polygonsRaw = [geometry.coordinates];
    else if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) polygonsRaw = geometry.coordinates;
    else {
      const type = typeof geometry.type === 'string' ? geometry.type : 'missing';
      return problem('geometry.type', 'map.not_polygon', `geometry is ${type}; only Polygon and MultiPolygon grids can be imported`, { type });
    }
    if (!polygonsRaw.length) return problem('geometry.coordinates', 'map.empty_geometry', 'has an empty geometry');

    const polygons: MultiPolygonCoordinates = [];
    let vertices = 0;
    for (let p = 0; p < polygonsRaw.length; p++) {
      const rings = polygonsRaw[p];
      const polygonPath = geometry.type === 'Polygon' ? 'geometry.coordinates' : `geometry.coordinates.${p}`;
      if (!Array.isArray(rings) || !rings.length) return problem(polygonPath, 'map.empty_geometry', 'a polygon has no rings');
      const outRings: Position[][] = [];
      for (let r = 0; r < rings.length; r++) {
        const ring = rings[r];
        const ringPath = `${polygonPath}.${r}`;
        const ringName = `${r === 0 ? 'outer ring' : `hole ${r}`}${polygonsRaw.length > 1 ? ` of polygon ${p}` : ''}`;
        // Which ring, for the renderer: hole 0 is the outer ring; polygon only in a MultiPolygon of several.
        const ringParams = { hole: r, polygon: polygonsRaw.length > 1 ? p : null };
        if (!Array.isArray(ring)) return problem(ringPath, 'map.not_positions', `${ringName} is not a list of positions`, ringParams);
        if (ring.length > GRID_LIMITS.verticesPerRing) {
          return problem(ringPath, 'map.too_many_positions', `${ringName} has more than ${GRID_LIMITS.verticesPerRing} positions`, { ...ringParams, count: ring.length, max: GRID_LIMITS.verticesPerRing });
        }
        vertices += ring.length;
        if (vertices > GRID_LIMITS.verticesPerGrid) {
          return problem(ringPath, 'map.grid_too_many_positions', `the grid has more than ${GRID_LIMITS.verticesPerGrid} positions in all`, { count: vertices, max: GRID_LIMITS.verticesPerGrid });
        }
        const positions: Position[] = [];
        for (let v = 0; v < ring.length; v++) {
          const position = ring[v];
          if (!Array.isArray(position) || position.length < 2 || typeof position[0] !== 'number' || typeof position[1] !== 'number' || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
            return problem(`${ringPath}.${v}`, 'map.not_position', `${ringName}, position ${v} is not a [longitude, latitude] pair of numbers`, { ...ringParams, index: v });
          }
          const [lon, lat] = position as [number, number];
          if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            return problem(`${ringPath}.${v}`, 'map.out_of_range', `${ringName}, position ${v} [${lon}, ${lat}] is out of range (longitude −180…180, latitude −90…90; are longitude and latitude swapped, or is this a projected system?)`, { ...ringParams, index: v, position: `[${lon}, ${lat}]` });
          }
          positions.push([lon, lat]);
        }
        if (positions.length < 4) return problem(ringPath, 'map.too_few_positions', `${ringName} has ${positions.length} positions; a closed ring needs at least 4`, { ...ringParams, count: positions.length });
        const first = positions[0]!;
        const last = positions[positions.length - 1]!;
        if (first[0] !== last[0] || first[1] !== last[1]) return problem(ringPath, 'map.not_closed', `${ringName} is not closed (its last position must repeat the first)`, ringParams);
        const distinct = distinctPositions(positions);
        if (distinct < 3) {
          return problem(ringPath, 'map.too_few_points', `${ringName} has only ${distinct} distinct positions; a ring needs at least 3 to enclose an area`, { ...ringParams, count: distinct });
        }
        outRings.push(positions);
      }
      // One segment index over the polygon's rings: a ring crossing itself, or a hole crossing the
      // shell or another hole (O(n log n), see ringsCrossing).
      const crossing = ringsCrossing(outRings, control?.check);
      if (crossing) {
        const near = `[${crossing.near[0]}, ${crossing.near[1]}]`;
        const polygon = polygonsRaw.length > 1 ? p : null;
        const ringName = (r: number) => `${r === 0 ? 'outer ring' : `hole ${r}`}${polygon !== null ? ` of polygon ${p}` : ''}`;
        if (crossing.ringA === crossing.ringB) {
          return problem(
            `${polygonPath}.${crossing.ringA}`,
            'map.self_intersection',
            `${ringName(crossing.ringA)} intersects itself (segments ${crossing.segmentA} and ${crossing.segmentB}, near ${near})`,
            { hole: crossing.ringA, polygon, a: crossing.segmentA, b: crossing.segmentB, near },
          );
        }
        return problem(`${polygonPath}.${crossing.ringB}`, 'map.rings_cross', `${ringName(crossing.ringB)} crosses ${ringName(crossing.ringA)} near ${near}`, {
          hole: crossing.ringB,
          polygon,
          other: crossing.ringA,
          near,
        });
      }
      for (let h = 1; h < outRings.length; h++) {
        if (!holeInsideShell(outRings[0]!, outRings[h]!)) {
          return problem(`${polygonPath}.${h}`, 'map.hole_outside', `hole ${h} lies outside its outer ring`, { hole: h, polygon: polygonsRaw.length > 1 ? p : null });
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
        reason: 'map.overlap',
        params,
      });
    }
  }

  if (issues.length) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw ContractError.validation(`grid file refused, nothing was changed: ${issues[0]!.message}${more}`, issues, { reason: 'map.file_refused', params: { count: issues.length } });
  }
  return grids;
}

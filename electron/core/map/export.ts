import { INCIDENT_STATUSES, fromWgs84, type CoordinateSystem, type Grid, type MultiPolygonCoordinates } from '@shared';

const convertPolygons = (polygons: MultiPolygonCoordinates, crs: CoordinateSystem): MultiPolygonCoordinates =>
  polygons.map((polygon) => polygon.map((ring) => ring.map((position) => fromWgs84(position, crs))));

/** RFC 7946 says WGS84; a GCJ-02 or BD-09 file says what it is in a `crs_name` member so nobody mistakes it. */
function collection(features: unknown[], crs: CoordinateSystem): string {
  return JSON.stringify({ type: 'FeatureCollection', crs_name: crs.toUpperCase(), features });
}

export function gridsToGeoJson(grids: readonly Grid[], crs: CoordinateSystem): string {
  return collection(
    grids.map((grid) => {
      const polygons = convertPolygons(grid.polygons, crs);
      return {
        type: 'Feature',
        properties: { code: grid.code, name: grid.name, community: grid.community, workers: grid.workers, demo: grid.demo },
        geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
      };
    }),
    crs,
  );
}

export interface ExportIncidentRow {
  id: string;
  code: string;
  category: string;
  title: string;
  status: string;
  priority: number;
  lon: number;
  lat: number;
  grid_id: string | null;
  occurred_at: number;
  deadline: number;
}

export function incidentsToGeoJson(rows: readonly ExportIncidentRow[], crs: CoordinateSystem): string {
  return collection(
    rows.map((row) => ({
      type: 'Feature',
      properties: {
        id: row.id,
        code: row.code,
        category: row.category,
        title: row.title,
        status: INCIDENT_STATUSES.includes(row.status as never) ? row.status : 'unknown',
        priority: row.priority,
        grid: row.grid_id,
        occurredAt: new Date(row.occurred_at).toISOString(),
        deadline: new Date(row.deadline).toISOString(),
      },
      geometry: { type: 'Point', coordinates: fromWgs84([row.lon, row.lat], crs) },
    })),
    crs,
  );
}

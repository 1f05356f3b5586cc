import { INCIDENT_STATUSES, type IncidentStatus, type mapCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import coastline from '../../../resources/basemap/guishan-coast-gshhg.json' with { type: 'json' };
import { gridsToGeoJson, incidentsToGeoJson, type ExportIncidentRow } from './export';
import { BasemapStore } from './basemaps';
import { IncidentClusterIndex, type MapPoint } from './clusters';

const STATUS_INDEX = new Map<IncidentStatus, number>(INCIDENT_STATUSES.map((s, i) => [s, i]));

export function mapModule(ctx: CoreContext): CoreModule<keyof typeof mapCommands> {
  const { db, grids, incidents, bus, now } = ctx;
  const basemaps = new BasemapStore(db, ctx.settings, ctx.options.dataDir, ctx.options.nativeBinding);

  const incidentRows = <T>(filter: Parameters<typeof incidents.filterWhere>[0], columns: string, at: number): T[] => {
    const where = incidents.filterWhere(filter, at);
    if (!where) return [];
    const clause = where.clause ? `${where.clause} AND lon IS NOT NULL` : 'WHERE lon IS NOT NULL';
    return db.prepare(`SELECT ${columns} FROM incidents ${clause}`).all(...where.params) as T[];
  };

  // Rows as arrays (no object per row): 100k of them are read each time the index is rebuilt.
  const clusters = new IncidentClusterIndex<Parameters<typeof incidents.filterWhere>[0]>((filter, at) => {
    const where = incidents.filterWhere(filter, at);
    if (!where) return [];
    const clause = where.clause ? `${where.clause} AND lon IS NOT NULL` : 'WHERE lon IS NOT NULL';
    const rows = db.prepare(`SELECT id, lon, lat, status, priority, list_key FROM incidents ${clause}`).raw().all(...where.params) as [string, number, number, IncidentStatus, number, number][];
    return rows.map(([id, lon, lat, status, priority, listKey]): MapPoint => ({
      id,
      lon,
      lat,
      s: STATUS_INDEX.get(status) ?? 0,
      p: priority,
      o: status !== 'closed' && listKey < at ? 1 : 0,
    }));
  });
  // Any change to an incident or to the grids (a re-grid) makes the next map query rebuild its index.
  const unsubscribe = bus.on((name) => {
    if (name === 'incident.changed' || name === 'incidents.reloaded' || name === 'grids.changed') clusters.invalidate();
  });

  return {
    close: () => {
      unsubscribe();
      basemaps.close();
    },
    handlers: {
      'basemap.coastline': () => ({ geojson: coastline as Record<string, unknown> }),
      'basemap.list': () => basemaps.list(),
      'basemap.add': async ({ path, name }) => basemaps.add(path, name, now()),
      'basemap.select': ({ id }) => {
        const active = basemaps.select(id);
        bus.emit('basemap.changed', { active });
        return { active };
      },
      'basemap.remove': ({ id }) => {
        const active = basemaps.remove(id);
        bus.emit('basemap.changed', { active });
        return { active };
      },
      'basemap.tile': async ({ id, z, x, y }) => {
        const data = await basemaps.tile(id, z, x, y);
        return { data: data ? data.toString('base64') : null };
      },
      'grids.list': () => ({ grids: grids.list() }),
      // Validation, the grid set and the re-grid of every incident: one job in a worker, one
      // transaction there (cancel or failure leave grids and incidents as they were).
      'grids.import': ({ geojson, crs }) =>
        ctx.jobs.run('grids.import', async (job) => {
          const result = await job.inWorker<{ imported: number; regridded: number }>('grids.import', { geojson, crs, at: now() }, { writes: true });
          grids.reload();
          bus.emit('grids.changed', { reason: 'import', count: result.imported });
          bus.emit('incidents.reloaded', { reason: 'regrid' });
          return result;
        }),
      'grids.locate': ({ location }) => ({ grid: grids.locateRef(location.lon, location.lat) }),
      'grids.load': () => {
        const at = now();
        return { loads: grids.loads(at), now: at };
      },
      'grids.card': ({ gridId, from, to }) => grids.card(gridId, from, to, now()),
      'map.incidents': ({ filter }) => {
        const at = now();
        const rows = incidentRows<{ id: string; lon: number; lat: number; status: IncidentStatus; priority: number; list_key: number }>(
          filter,
          'id, lon, lat, status, priority, list_key',
          at,
        );
        const out = { ids: [] as string[], lon: [] as number[], lat: [] as number[], status: [] as number[], priority: [] as number[], overdue: [] as number[], now: at };
        for (const row of rows) {
          out.ids.push(row.id);
          out.lon.push(row.lon);
          out.lat.push(row.lat);
          out.status.push(STATUS_INDEX.get(row.status) ?? 0);
          out.priority.push(row.priority);
          out.overdue.push(row.status !== 'closed' && row.list_key < at ? 1 : 0);
        }
        return out;
      },
      'map.clusters': ({ filter, bbox, zoom }) => clusters.query(filter, bbox, zoom, now()),
      'map.export': ({ what, crs, filter }) => {
        const stamp = new Date(now() + 8 * 3_600_000).toISOString().slice(0, 10);
        if (what === 'grids') {
          const list = grids.list();
          return { fileName: `grids-${crs}-${stamp}.geojson`, geojson: gridsToGeoJson(list, crs), count: list.length };
        }
        const rows = incidentRows<ExportIncidentRow>(filter, 'id, code, category, title, status, priority, lon, lat, grid_id, occurred_at, deadline', now());
        return { fileName: `incidents-${crs}-${stamp}.geojson`, geojson: incidentsToGeoJson(rows, crs), count: rows.length };
      },
    },
  };
}

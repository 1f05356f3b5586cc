import { z } from 'zod';
import { command } from './command';
import { IncidentFilter } from './incidents';
import { EpochMs, Location } from '../domain/incident';
import { CoordinateSystem } from '../domain/geo';
import { GRID_LIMITS, Grid, GridLoad, GridRef } from '../domain/grid';

const EMPTY_FILTER = { statuses: [], categories: [], priorities: [], sources: [], text: '', overdueOnly: false };

/** The island map: governance grids, incidents as points, exports. */
export const mapCommands = {
  /** The built-in basemap: GSHHG coastline polygons (land) around Guishan, WGS84 GeoJSON. */
  'basemap.coastline': command(z.object({}).strict(), z.object({ geojson: z.record(z.string(), z.unknown()) })),
  'grids.list': command(z.object({}).strict(), z.object({ grids: z.array(Grid) })),
  /**
   * Replaces every grid with the features of a GeoJSON FeatureCollection drawn in `crs`, then
   * re-grids every incident with a location. All or nothing: one bad feature refuses the file.
   */
  'grids.import': command(
    z
      .object({
        geojson: z.string().min(1, { message: 'required' }).max(GRID_LIMITS.importChars, { message: 'file too large' }),
        crs: CoordinateSystem,
      })
      .strict(),
    z.object({ imported: z.number().int(), regridded: z.number().int() }),
  ),
  /** The grid a point falls in (what core will store for an incident there), or null outside every grid. */
  'grids.locate': command(z.object({ location: Location }).strict(), z.object({ grid: GridRef.nullable() })),
  'grids.load': command(z.object({}).strict(), z.object({ loads: z.array(GridLoad), now: z.number().int() })),
  /** The grid card: worker, open and overdue incidents, completion rate over a period. */
  'grids.card': command(
    z
      .object({ gridId: z.string().max(64), from: EpochMs, to: EpochMs })
      .strict()
      .refine((v) => v.from < v.to, { message: 'the end of the period must be after its start', path: ['to'] }),
    z.object({
      grid: Grid,
      open: z.number().int(),
      overdue: z.number().int(),
      /** Incidents that happened in the period, and how many of them are closed. */
      reportedInPeriod: z.number().int(),
      closedInPeriod: z.number().int(),
      /** closedInPeriod / reportedInPeriod; null when nothing was reported. */
      completionRate: z.number().nullable(),
      now: z.number().int(),
    }),
  ),
  /** Incidents with a location, as parallel arrays (100k points stay a few MB). */
  'map.incidents': command(
    z.object({ filter: IncidentFilter.default(EMPTY_FILTER) }).strict(),
    z.object({
      ids: z.array(z.string()),
      lon: z.array(z.number()),
      lat: z.array(z.number()),
      /** Index into INCIDENT_STATUSES. */
      status: z.array(z.number().int()),
      priority: z.array(z.number().int()),
      overdue: z.array(z.number().int()),
      now: z.number().int(),
    }),
  ),
  'map.export': command(
    z
      .object({
        what: z.enum(['incidents', 'grids']),
        crs: CoordinateSystem,
        filter: IncidentFilter.default(EMPTY_FILTER),
      })
      .strict(),
    z.object({ fileName: z.string(), geojson: z.string(), count: z.number().int() }),
  ),
} as const;

export const mapEvents = {
  /** The grid set changed (import, demo): grid layers and incident grids reload. */
  'grids.changed': z.object({ reason: z.string(), count: z.number().int() }),
} as const;

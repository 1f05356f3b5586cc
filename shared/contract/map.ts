import { z } from 'zod';
import { because } from './errors';
import { command } from './command';
import { IncidentFilter } from './incidents';
import { EpochMs, Location } from '../domain/incident';
import { CoordinateSystem } from '../domain/geo';
import { GRID_LIMITS, Grid, GridLoad, GridRef } from '../domain/grid';

/** A basemap file the town loaded (MBTiles or PMTiles from its GIS office), kept in the data directory. */
export const BasemapInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['mbtiles', 'pmtiles']),
  /** pbf: vector tiles (drawn with a generic style); png / jpg / webp: raster. */
  format: z.enum(['pbf', 'png', 'jpg', 'webp']),
  minZoom: z.number().int(),
  maxZoom: z.number().int(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  vectorLayers: z.array(z.string()),
  attribution: z.string(),
});
export type BasemapInfo = z.infer<typeof BasemapInfo>;

/** The built-in GSHHG coastline; any other id is a loaded file. */
export const BUILTIN_BASEMAP = 'builtin';

/** Core-side clustering of the map's incidents (the same radius and levels the map used to cluster with). */
export const MAP_CLUSTER = {
  /** Pixels, at 512-px tiles (MapLibre's zoom levels). */
  radius: 44,
  /** From this zoom on every incident is drawn on its own. */
  maxZoom: 16,
  maxQueryZoom: 24,
} as const;

const Longitude = z.number().min(-180).max(180);
const Latitude = z.number().min(-90).max(90);

const EMPTY_FILTER = { statuses: [], categories: [], priorities: [], sources: [], grids: [], text: '', overdueOnly: false };

/** The island map: governance grids, incidents as points, exports. */
/** Located incidents as parallel arrays (100k points stay a few MB). */
const IncidentPoints = z.object({
  ids: z.array(z.string()),
  lon: z.array(z.number()),
  lat: z.array(z.number()),
  /** Index into INCIDENT_STATUSES. */
  status: z.array(z.number().int()),
  priority: z.array(z.number().int()),
  overdue: z.array(z.number().int()),
});

export const mapCommands = {
  /** The built-in basemap: GSHHG coastline polygons (land) around Guishan, WGS84 GeoJSON. */
  'basemap.coastline': command(z.object({}).strict(), z.object({ geojson: z.record(z.string(), z.unknown()) })),
  'basemap.list': command(z.object({}).strict(), z.object({ active: z.string(), basemaps: z.array(BasemapInfo) })),
  /** Loads a basemap file from a path on this computer (copied into the data directory). */
  'basemap.add': command(
    z
      .object({
        path: z.string().trim().min(1, { message: 'required' }).max(4096),
        name: z.string().trim().max(100).default(''),
      })
      .strict(),
    BasemapInfo,
  ),
  /** The basemap every window shows; remembered across restarts. */
  'basemap.select': command(z.object({ id: z.string().max(64) }).strict(), z.object({ active: z.string() })),
  'basemap.remove': command(z.object({ id: z.string().max(64) }).strict(), z.object({ active: z.string() })),
  /** One tile of a loaded basemap, uncompressed, base64; null where the file has none. */
  'basemap.tile': command(
    z.object({ id: z.string().max(64), z: z.number().int().min(0).max(24), x: z.number().int().min(0), y: z.number().int().min(0) }).strict(),
    z.object({ data: z.string().nullable() }),
  ),
  'grids.list': command(z.object({}).strict(), z.object({ grids: z.array(Grid) })),
  /**
   * Replaces every grid with the features of a GeoJSON FeatureCollection drawn in `crs`, then
   * re-grids every incident with a location. All or nothing: one bad feature refuses the file.
   */
  'grids.import': command(
    z
      .object({
        geojson: z.string().min(1, { message: 'required' }).refine((v) => v.length <= GRID_LIMITS.importChars, because('validation.file_too_large', 'file too large', { max: GRID_LIMITS.importChars })),
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
      .refine((v) => v.from < v.to, { ...because('validation.range_end', 'the end of the period must be after its start'), path: ['to'] }),
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
    IncidentPoints.extend({ now: z.number().int() }),
  ),
  /**
   * What the map draws for one view: the filtered incidents clustered in core (indexed once per
   * filter and change, queried per view), so only the visible clusters and points reach the page.
   * Clusters at `zoom` (whole zoom levels, as MapLibre's tiles) whose centre lies in `bbox`, and the
   * incidents that are no cluster there. `total` counts every filtered incident with a location.
   */
  'map.clusters': command(
    z
      .object({
        filter: IncidentFilter.default(EMPTY_FILTER),
        /** [west, south, east, north], WGS84 degrees. */
        bbox: z.tuple([Longitude, Latitude, Longitude, Latitude]),
        zoom: z.number().min(0).max(MAP_CLUSTER.maxQueryZoom),
      })
      .strict()
      .refine((v) => v.bbox[0] <= v.bbox[2], { ...because('map.bbox_order', 'west must not be east of east'), path: ['bbox', 0] })
      .refine((v) => v.bbox[1] <= v.bbox[3], { ...because('map.bbox_order', 'south must not be north of north'), path: ['bbox', 1] }),
    z.object({
      total: z.number().int(),
      /** The whole zoom level the clusters were made for. */
      zoom: z.number().int(),
      clusters: z.object({
        /** Cluster ids, valid for this index (a later change may renumber them). */
        ids: z.array(z.number().int()),
        lon: z.array(z.number()),
        lat: z.array(z.number()),
        count: z.array(z.number().int()),
        /** Overdue incidents in the cluster. */
        overdue: z.array(z.number().int()),
        /** The zoom at which the cluster splits (a click zooms there). */
        expansionZoom: z.array(z.number().int()),
      }),
      points: IncidentPoints,
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
  /** Another basemap was chosen, loaded or removed. */
  'basemap.changed': z.object({ active: z.string() }),
  /** The grid set changed (import, demo): grid layers and incident grids reload. */
  'grids.changed': z.object({ reason: z.string(), count: z.number().int() }),
} as const;

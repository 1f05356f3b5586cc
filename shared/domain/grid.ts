import { z } from 'zod';

/** Limits on grid imports: a city has ~3,000 grids; a ring with more vertices is a survey export gone wrong. */
export const GRID_LIMITS = {
  features: 5000,
  verticesPerRing: 20_000,
  /** Positions of all rings of one grid together. */
  verticesPerGrid: 100_000,
  code: 32,
  name: 100,
  workers: 20,
  /** Characters of GeoJSON text in one import. */
  importChars: 8_000_000,
} as const;

/** GeoJSON MultiPolygon coordinates, WGS84: polygons → rings (first outer, then holes) → [lon, lat]. */
export const MultiPolygonCoordinates = z.array(z.array(z.array(z.tuple([z.number(), z.number()]))));
export type MultiPolygonCoordinates = z.infer<typeof MultiPolygonCoordinates>;

export const Grid = z.object({
  id: z.string(),
  /** The town's own grid code, unique (e.g. GS-01). */
  code: z.string(),
  name: z.string(),
  /** Village or community (村/社区) the grid belongs to. */
  community: z.string(),
  /** Grid workers (网格员) responsible for it. */
  workers: z.array(z.string()),
  /** Made-up demo data, not a real boundary. */
  demo: z.boolean(),
  polygons: MultiPolygonCoordinates,
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type Grid = z.infer<typeof Grid>;

export const GridRef = Grid.pick({ id: true, code: true, name: true });
export type GridRef = z.infer<typeof GridRef>;

/** Open and overdue incidents of one grid, for the choropleth. */
export const GridLoad = z.object({ gridId: z.string(), open: z.number().int(), overdue: z.number().int() });
export type GridLoad = z.infer<typeof GridLoad>;

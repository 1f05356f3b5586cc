import type { Migration } from './migration';

/**
 * Governance grids (网格) for the map, the grid of each incident, and the basemap files a town
 * loads from its GIS office.
 */
export const migration005: Migration = {
  version: 5,
  name: 'grids, incidents by grid, basemaps',
  up(db) {
    db.exec(`
      CREATE TABLE grids (
        code TEXT PRIMARY KEY,                 -- the town's grid code; incidents.grid_id holds it
        name TEXT NOT NULL,
        community TEXT NOT NULL DEFAULT '',    -- village or community (村/社区)
        workers TEXT NOT NULL DEFAULT '[]',    -- JSON array of grid workers' names
        polygons TEXT NOT NULL,                -- JSON MultiPolygon coordinates, WGS84
        min_lon REAL NOT NULL,
        min_lat REAL NOT NULL,
        max_lon REAL NOT NULL,
        max_lat REAL NOT NULL,
        demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
        sort INTEGER NOT NULL,                 -- file order: a point on a shared border goes to the first
        imported_at INTEGER NOT NULL
      ) STRICT;

      -- Grid card and choropleth: a grid's open incidents are list_key < CLOSED_LIST_KEY_BASE and its
      -- overdue ones list_key < now (migration 002), so both are ranges on this index.
      CREATE INDEX idx_incidents_grid_list ON incidents (grid_id, list_key);

      CREATE TABLE basemaps (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('mbtiles', 'pmtiles')),
        file TEXT NOT NULL,                    -- copy inside the data directory
        format TEXT NOT NULL,                  -- pbf (vector) or png / jpg / webp (raster)
        min_zoom INTEGER NOT NULL,
        max_zoom INTEGER NOT NULL,
        bounds TEXT,                           -- JSON [w, s, e, n], when the file says
        vector_layers TEXT NOT NULL DEFAULT '[]',
        attribution TEXT NOT NULL DEFAULT '',
        added_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};

import Flatbush from 'flatbush';
import { ContractError, type Grid, type GridLoad, type GridRef, type Location, type MultiPolygonCoordinates } from '@shared';
import type { Db } from '../store';
import { CLOSED_LIST_KEY_BASE } from '../store';
import { bboxOf, polygonsContain } from './geometry';
import type { ImportedGrid } from './grid-import';
import type { TaskControl } from '../store';

/** Rows re-gridded between two looks at the cancel flag (a few ms of work). */
const REGRID_SLICE = 5_000;

interface GridRow {
  code: string;
  name: string;
  community: string;
  workers: string;
  polygons: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  demo: number;
}

function toGrid(row: GridRow): Grid {
  return {
    id: row.code,
    code: row.code,
    name: row.name,
    community: row.community,
    workers: JSON.parse(row.workers) as string[],
    demo: row.demo === 1,
    polygons: JSON.parse(row.polygons) as MultiPolygonCoordinates,
    bbox: [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
  };
}

/** Incidents read per step of a re-grid: bounded memory at millions of rows. */
const REGRID_PAGE = 50_000;

/**
 * The grid set, and the point → grid lookup. Grids stay in memory behind a bounding-box index
 * (a town has ~100, a city ~3,000), so locating a point is an index probe plus a few
 * point-in-polygon tests.
 */
export class GridStore {
  private grids: Grid[] = [];
  private index: Flatbush | null = null;
  private readonly byCode = new Map<string, Grid>();

  constructor(private readonly db: Db) {
    this.reload();
  }

  /** Reads the grid set back from the store (after a job worker replaced it). */
  reload(): void {
    this.grids = this.db.prepare<[], GridRow>('SELECT * FROM grids ORDER BY sort').all().map(toGrid);
    this.byCode.clear();
    for (const grid of this.grids) this.byCode.set(grid.code, grid);
    if (!this.grids.length) {
      this.index = null;
      return;
    }
    const index = new Flatbush(this.grids.length);
    for (const grid of this.grids) index.add(...grid.bbox);
    index.finish();
    this.index = index;
  }

  list(): Grid[] {
    return this.grids;
  }

  count(): number {
    return this.grids.length;
  }

  get(code: string): Grid {
    const grid = this.byCode.get(code);
    if (!grid) throw ContractError.notFound(`no grid with code ${code}`, { reason: 'map.grid_not_found', params: { code } });
    return grid;
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** The grid containing the point: the first in file order when it lies on a shared border. */
  locate(lon: number, lat: number): Grid | null {
    if (!this.index) return null;
    const candidates = this.index.search(lon, lat, lon, lat);
    if (!candidates.length) return null;
    candidates.sort((a, b) => a - b);
    for (const i of candidates) {
      const grid = this.grids[i]!;
      if (polygonsContain(grid.polygons, lon, lat)) return grid;
    }
    return null;
  }

  /**
   * The grid of something placed on the map (an incident, a camera): computed from its location
   * when it has one (whatever the client sent), else the grid an operator picked, which must exist.
   */
  resolve(location: Location | null, picked: string | null, path: string): string | null {
    if (location) return this.locate(location.lon, location.lat)?.code ?? null;
    if (picked !== null && !this.has(picked)) throw ContractError.field(path, 'map.unknown_grid', `unknown grid "${picked}"`, { code: picked }, 'unknown grid');
    return picked;
  }

  locateRef(lon: number, lat: number): GridRef | null {
    const grid = this.locate(lon, lat);
    return grid ? { id: grid.id, code: grid.code, name: grid.name } : null;
  }

  /**
   * Replaces the grid set and re-grids every incident with a location, in one transaction: a
   * failure leaves grids and incidents as they were. Incidents without a location keep the grid
   * an operator gave them.
   */
  replaceAll(grids: readonly ImportedGrid[], options: { demo: boolean; at: number }, control?: TaskControl): { imported: number; regridded: number } {
    try {
      return this.db.transaction(() => {
        control?.progress('write', 0, grids.length);
        this.db.prepare('DELETE FROM grids').run();
        const insert = this.db.prepare(
          `INSERT INTO grids (code, name, community, workers, polygons, min_lon, min_lat, max_lon, max_lat, demo, sort, imported_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        grids.forEach((grid, i) => {
          const [minLon, minLat, maxLon, maxLat] = bboxOf(grid.polygons);
          insert.run(grid.code, grid.name, grid.community, JSON.stringify(grid.workers), JSON.stringify(grid.polygons), minLon, minLat, maxLon, maxLat, options.demo ? 1 : 0, i, options.at);
        });
        this.reload();
        const result = { imported: grids.length, regridded: this.regrid(control) };
        // Last thing inside the transaction: a cancel that came first rolls all of it back.
        control?.commit();
        return result;
      }).immediate();
    } catch (error) {
      // The transaction rolled back: read the grid set it left back into memory.
      this.reload();
      throw error;
    }
  }

  /**
   * Sets the grid of every incident and camera with a location from the current grid set; returns
   * how many incidents changed. Pages by rowid; writes only the rows whose grid changes. Runs
   * inside the caller's transaction when there is one, else in its own.
   */
  regrid(control?: Pick<TaskControl, 'progress' | 'check'>): number {
    const read = this.db.prepare<[number, number], { rid: number; lon: number; lat: number; grid_id: string | null }>(
      'SELECT rid, lon, lat, grid_id FROM incidents WHERE rid > ? AND lon IS NOT NULL ORDER BY rid LIMIT ?',
    );
    const write = this.db.prepare('UPDATE incidents SET grid_id = ? WHERE rid = ?');
    const regridAll = () => {
      let changed = 0;
      let after = 0;
      let seen = 0;
      const total = control ? this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM incidents WHERE lon IS NOT NULL').get()!.n : 0;
      control?.progress('regrid', 0, total);
      for (;;) {
        const rows = read.all(after, REGRID_PAGE);
        if (!rows.length) break;
        for (const row of rows) {
          if (control && ++seen % REGRID_SLICE === 0) {
            control.check();
            control.progress('regrid', seen, total);
          }
          const grid = this.locate(row.lon, row.lat);
          const code = grid ? grid.code : null;
          if (code !== row.grid_id) {
            write.run(code, row.rid);
            changed++;
          }
        }
        after = rows[rows.length - 1]!.rid;
      }
      // Cameras with a location follow the same grid set (a town has hundreds, not millions).
      const cameras = this.db.prepare<[], { id: string; lon: number; lat: number; grid: string | null }>('SELECT id, lon, lat, grid FROM cameras WHERE lon IS NOT NULL').all();
      const writeCamera = this.db.prepare('UPDATE cameras SET grid = ? WHERE id = ?');
      for (const camera of cameras) {
        const code = this.locate(camera.lon, camera.lat)?.code ?? null;
        if (code !== camera.grid) writeCamera.run(code, camera.id);
      }
      return changed;
    };
    // Inside the caller's transaction (a grid import) no savepoint: SQLite makes every statement in a
    // savepoint pay for the trigger's writes (incident_daily_stats), ~100× slower per row at 50k rows.
    return this.db.inTransaction ? regridAll() : this.db.transaction(regridAll).immediate();
  }

  /** Open and overdue incidents per grid: two range counts on idx_incidents_grid_list each. */
  loads(now: number): GridLoad[] {
    const count = this.db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM incidents WHERE grid_id = ? AND list_key < ?');
    return this.grids.map((grid) => ({
      gridId: grid.id,
      open: count.get(grid.code, CLOSED_LIST_KEY_BASE)!.n,
      overdue: count.get(grid.code, now)!.n,
    }));
  }

  card(code: string, from: number, to: number, now: number) {
    const grid = this.get(code);
    const count = this.db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM incidents WHERE grid_id = ? AND list_key < ?');
    // The grid's rows through idx_incidents_grid_list, filtered by when they happened.
    const period = this.db
      .prepare<[string, number, number], { reported: number; closed: number | null }>(
        `SELECT count(*) AS reported, sum(status = 'closed') AS closed FROM incidents
         WHERE grid_id = ? AND occurred_at >= ? AND occurred_at < ?`,
      )
      .get(code, from, to)!;
    const closed = period.closed ?? 0;
    return {
      grid,
      open: count.get(code, CLOSED_LIST_KEY_BASE)!.n,
      overdue: count.get(code, now)!.n,
      reportedInPeriod: period.reported,
      closedInPeriod: closed,
      completionRate: period.reported ? closed / period.reported : null,
      now,
    };
  }
}

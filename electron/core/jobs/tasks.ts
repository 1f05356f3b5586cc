import type { CoordinateSystem } from '@shared';
import type { Db } from '../store';
import { EventLog } from '../events';
import { GridStore, parseGridGeoJson } from '../map';
import type { TaskControl } from './protocol';

/**
 * Work that runs in a job worker (JobHandle.inWorker): name → function of the worker's own store
 * connection, the arguments (structured-cloned) and the control (progress, cancel, commit).
 * A writing task does all its writes in one transaction and calls `control.commit()` last inside it.
 */
export const TASKS = {
  /** Parse and validate a grid file, replace the grid set and re-grid every located incident. */
  'grids.import': (db: Db, args: { geojson: string; crs: CoordinateSystem; at: number }, control: TaskControl) => {
    control.progress('validate', 0, null);
    const grids = parseGridGeoJson(args.geojson, args.crs, control);
    const store = new GridStore(db);
    return store.replaceAll(grids, { demo: false, at: args.at }, control);
  },
  /**
   * The full check (issue 16): SQLite's integrity check of every page and index, then the whole
   * hash chain. Read-only; cancellable between the two and every slice of the chain.
   */
  'store.check': (db: Db, _args: Record<string, never>, control: TaskControl) => {
    control.progress('integrity', 0, null);
    let integrity: string;
    try {
      const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[];
      integrity = rows.map((r) => r.integrity_check).join('; ');
    } catch (error) {
      integrity = `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`;
    }
    control.check();
    let chain: { ok: boolean; checked: number; firstBadSeq: number | null; problem: string | null };
    try {
      chain = new EventLog(db).verify(control);
    } catch (error) {
      if ((error as Error).name === 'JobCancelled') throw error;
      chain = { ok: false, checked: 0, firstBadSeq: null, problem: (error as Error).message };
    }
    return { ok: integrity === 'ok' && chain.ok, integrity: integrity.slice(0, 4000), chainOk: chain.ok, checked: chain.checked, firstBadSeq: chain.firstBadSeq, checkedAt: Date.now() };
  },
  /** Walk the hash chain of the event log. */
  'events.verify': (db: Db, _args: Record<string, never>, control: TaskControl) => new EventLog(db).verify(control),
} satisfies Record<string, (db: Db, args: never, control: TaskControl) => unknown>;

export type TaskName = keyof typeof TASKS;

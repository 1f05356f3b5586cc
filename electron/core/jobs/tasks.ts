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
  /** Walk the hash chain of the event log. */
  'events.verify': (db: Db, _args: Record<string, never>, control: TaskControl) => new EventLog(db).verify(control),
} satisfies Record<string, (db: Db, args: never, control: TaskControl) => unknown>;

export type TaskName = keyof typeof TASKS;

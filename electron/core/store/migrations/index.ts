import type { Migration } from './migration';
import { migration001 } from './001_initial';
import { migration002 } from './002_list_order';
import { migration003 } from './003_workflows';
import { migration004 } from './004_attachments';
import { migration005 } from './005_grids';
import { migration006 } from './006_cameras';
import { migration007 } from './007_camera_basic_auth';
import { migration008 } from './008_uplink';
import { migration009 } from './009_aggregates';
import { migration010 } from './010_people';
import { migration011 } from './011_analysis';
import { migration012 } from './012_uplink_people';

export type { Migration } from './migration';

/** Imported statically so a bundled app carries every migration; versions run 1..n without gaps. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

import type { Incident } from '@shared';
import type { Db } from './store/database';
import type { SettingsStore } from './store/settings';
import type { IncidentStore, Change } from './incidents/incident-store';
import type { AttachmentStore } from './attachments/attachment-store';
import type { GridStore } from './map/grid-store';
import type { EventBus, Handlers } from './contract/dispatcher';
import type { CoreOptions } from './index';
import type { JobRunner } from './jobs/jobs';

/** What every domain module of the core gets: the store, the bus and the clock. */
export interface CoreContext {
  readonly options: CoreOptions;
  readonly db: Db;
  readonly incidents: IncidentStore;
  /** Governance grids and the point → grid lookup. */
  readonly grids: GridStore;
  readonly settings: SettingsStore;
  /** Pictures kept with incidents (feedback photos, camera snapshots). */
  readonly attachments: AttachmentStore;
  readonly bus: EventBus;
  /** Long work off the serving loop: progress, cancel, worker threads (electron/core/jobs). */
  readonly jobs: JobRunner;
  now(): number;
  /** Tells every window about a change to one incident; returns the incident (a command's usual output). */
  publish(change: Change): Incident;
}

/** A domain of the core: its command handlers, and what it must release when the core closes. */
export interface CoreModule<Names extends keyof Handlers> {
  handlers: Pick<Handlers, Names>;
  /** Synchronous: the host may exit right after (kill child processes, stop timers, close sockets). */
  close?(): void;
}

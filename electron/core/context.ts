import type { Envelope, Incident } from '@shared';
import type { Db } from './store/database';
import type { SettingsStore } from './store/settings';
import type { IncidentStore, Change } from './incidents/incident-store';
import type { AttachmentStore } from './attachments/attachment-store';
import type { GridStore } from './map/grid-store';
import type { EventBus, Handlers } from './contract/dispatcher';
import type { SecretBox } from './cameras/secret-box';

/*
 * The floor between the domains' stores and their command modules: the types every module of the
 * core is given. It imports types only, and only from below (the store, the domains' stores, the
 * dispatcher) — never a handlers module or index.ts (tests/unit/architecture.test.ts).
 */

export interface CoreOptions {
  dataDir: string;
  host: 'electron' | 'node';
  /** Recorded as the actor of every change made through this core. */
  operator: string;
  version: string;
  /** Electron-ABI build of better-sqlite3 when running inside Electron from a dev checkout. */
  nativeBinding?: string;
  /** Seed the Guishan demo data set into an empty store at start (`--demo`). */
  demo?: boolean;
  codePrefix?: string;
  now?: () => number;
  /** Seals camera passwords: Electron passes safeStorage; default: a user-only key file in dataDir. */
  secretBox?: SecretBox;
  /** ffmpeg for the video relay; default: the one inside @ffmpeg-installer/ffmpeg. */
  ffmpegPath?: string;
}

export interface Core {
  /** Never throws: every failure is an error envelope. */
  dispatch(name: string, input: unknown): Promise<Envelope>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  close(): void;
  readonly dataDir: string;
  /** Settles once background start-up work (demo camera simulators) is done; for tests and the host. */
  readonly ready: Promise<void>;
}

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

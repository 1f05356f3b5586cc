import type { Envelope, Incident } from '@shared';
import type { Db } from './store/database';
import type { SettingsStore } from './store/settings';
import type { IncidentStore, Change } from './incidents/incident-store';
import type { AttachmentStore } from './attachments/attachment-store';
import type { GridStore } from './map/grid-store';
import type { EventBus, Handlers } from './contract/dispatcher';
import type { JobRunner } from './jobs/jobs';
import type { SecretBox } from './cameras/secret-box';
import type { LinkTimings } from './uplink/timings';
import type { Logger } from './log';

/*
 * The floor between the domains' stores and their command modules: the types every module of the
 * core is given. It imports types only, and only from below (the store, the domains' stores, the
 * dispatcher) — never a handlers module or index.ts (tests/unit/architecture.test.ts).
 */

export interface CoreOptions {
  dataDir: string;
  host: 'electron' | 'node';
  /**
   * The name recorded for in-process calls (`core.dispatch`: the demo seeded at start, tests' set-up,
   * the bench). Every window acts as the person logged in there; default 系统.
   */
  operator?: string;
  /** A window idle this long locks itself (the renderer asks; reads go on, actions wait). Default 10. */
  idleLockMinutes?: number;
  /** A session ends this long after login. Default 24 (a duty shift). */
  sessionHours?: number;
  version: string;
  /** Electron-ABI build of better-sqlite3 when running inside Electron from a dev checkout. */
  nativeBinding?: string;
  /** Seed the Guishan demo data set into an empty store at start (`--demo`). */
  demo?: boolean;
  codePrefix?: string;
  now?: () => number;
  /** Seals camera passwords: Electron passes safeStorage; default: a user-only key file in dataDir. */
  secretBox?: SecretBox;
  /** SQLite's synchronous setting; FULL (power-cut safe) unless the store benchmark compares it with NORMAL. */
  synchronous?: 'FULL' | 'NORMAL';
  /** ffmpeg for the video relay; default: the one inside @ffmpeg-installer/ffmpeg. */
  ffmpegPath?: string;
  /** The built job worker (out/main/job-worker.js) when the core is bundled; from the sources it is found by itself. */
  jobWorker?: string;
  /**
   * The demo's city: an in-process MQTT broker (aedes) and the reference city (tools/city), so the
   * link panel shows real traffic offline. Only until a real broker is configured. The hosts set it with --demo.
   */
  demoCity?: boolean;
  /** The quick check at start reads every page of a store up to this size (default 512 MiB); larger ones get the full check as a job right after start. */
  quickCheckMaxBytes?: number;
  /** Where backups go (recovery screen, scheduled backups); default `<dataDir>/backups`. */
  backupFolder?: string;
  /** City-link timings (tests shorten the acknowledgement timeout and the backoff). */
  uplinkTimings?: Partial<LinkTimings>;
  /** Where the core logs; default: JSON lines in <dataDir>/logs (electron/core/log), closed with the core. */
  logger?: Logger;
}

/** One window's line to the core: its own session, its calls, the events its session may see. */
export interface CoreConnection {
  readonly window: string;
  /** Never throws: every failure is an error envelope (`forbidden` with reason `auth.*` without a session or permission). */
  dispatch(name: string, input: unknown): Promise<Envelope>;
  /** Events this window's session may receive (EVENT_RULES); none without a session. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Binds a live session by its token (a socket that presented one); false when there is none. */
  adoptToken(token: string): boolean;
  close(): void;
}

export interface Core {
  /** A window connects: WebSocket, Electron webContents, a test's memory pair. It starts logged out. */
  connect(window: string): CoreConnection;
  /**
   * In-process calls with every permission, recorded as `options.operator`: the demo at start, tests'
   * set-up, the bench. No transport reaches it.
   */
  dispatch(name: string, input: unknown): Promise<Envelope>;
  /** Every event, unfiltered (in-process listeners only; windows use their connection's onEvent). */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Whether a token names a live session (the WebSocket upgrade of a client without Origin). */
  hasSession(token: string): boolean;
  close(): void;
  readonly dataDir: string;
  /** Settles once background start-up work (demo camera simulators) is done; for tests and the host. */
  readonly ready: Promise<void>;
}

/** What every domain module of the core gets: the store, the bus and the clock. */
export interface CoreContext {
  readonly options: CoreOptions;
  readonly db: Db;
  /** Opened read-only because the data directory's disk was full at start: every write is refused. */
  readonly readOnly: boolean;
  readonly incidents: IncidentStore;
  /** Governance grids and the point → grid lookup. */
  readonly grids: GridStore;
  readonly settings: SettingsStore;
  /** Pictures kept with incidents (feedback photos, camera snapshots). */
  readonly attachments: AttachmentStore;
  readonly bus: EventBus;
  /** Levels, JSON lines in <dataDir>/logs, secrets redacted: the core's only output (never console.*). */
  readonly log: Logger;
  /** Demo rows other domains add (the cameras), written inside the demo seed's one transaction. */
  readonly demoParts: Array<() => void>;
  /** Null while the store is sound; else why it is damaged (a page went bad while serving, or the full check failed): writes are refused with store.corrupt. */
  corrupt: string | null;
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

import path from 'node:path';
import type { Envelope } from '@shared';
import { DATABASE_FILE, openDatabase, type Db } from './store/database';
import { IncidentStore, type Change } from './incidents/incident-store';
import { Dispatcher, EventBus, type CallContext, type Handlers } from './contract/dispatcher';
import { SettingsStore } from './store/settings';
import type { CoreContext } from './context';
import { seedDemo, systemModule } from './system/handlers';
import { incidentsModule } from './incidents/handlers';
import { workflowsModule } from './workflows/handlers';
import { AttachmentStore } from './attachments/attachment-store';
import { attachmentsModule } from './attachments/handlers';
import { mapModule } from './map/handlers';
import { GridStore } from './map/grid-store';
import { camerasModule } from './cameras/handlers';
import { analysisModule } from './analysis/handlers';
import type { SecretBox } from './cameras/secret-box';

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

export function openCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const db: Db = openDatabase(path.join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding });
  const incidents = new IncidentStore(db, { codePrefix: options.codePrefix ?? 'GS', now });
  const bus = new EventBus();
  const ctx: CoreContext = {
    options,
    db,
    incidents,
    grids: new GridStore(db),
    settings: new SettingsStore(db),
    attachments: new AttachmentStore(db, incidents, options.dataDir),
    bus,
    now,
    publish: (change: Change) => {
      bus.emit('incident.changed', { incident: change.incident, eventType: change.event.type, seq: change.event.seq });
      return change.incident;
    },
  };

  // One module per domain; the spread below must cover every command of the contract (checked by tsc).
  const system = systemModule(ctx);
  const incidentCommands = incidentsModule(ctx);
  const workflows = workflowsModule(ctx);
  const attachments = attachmentsModule(ctx);
  const map = mapModule(ctx);
  const cameras = camerasModule(ctx, { secretBox: options.secretBox, ffmpegPath: options.ffmpegPath });
  const analysis = analysisModule(ctx);
  const modules = [system, incidentCommands, workflows, attachments, map, cameras, analysis];
  const handlers: Handlers = {
    ...system.handlers,
    ...incidentCommands.handlers,
    ...workflows.handlers,
    ...attachments.handlers,
    ...map.handlers,
    ...cameras.handlers,
    ...analysis.handlers,
  };

  const dispatcher = new Dispatcher(handlers);
  if (options.demo) seedDemo(ctx, options.operator);
  const call: CallContext = { actor: options.operator };

  return {
    dataDir: options.dataDir,
    ready: cameras.ready,
    dispatch: (name, input) => dispatcher.dispatch(name, input, call),
    onEvent: (listener) => bus.on(listener),
    close: () => {
      for (const module of modules) module.close?.();
      db.close();
    },
  };
}

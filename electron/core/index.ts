import path from 'node:path';
import { DATABASE_FILE, openDatabase, type Db } from './store/database';
import { IncidentStore, type Change } from './incidents/incident-store';
import { Dispatcher, EventBus, type CallContext, type Handlers } from './contract/dispatcher';
import { SettingsStore } from './store/settings';
import type { Core, CoreContext, CoreOptions } from './context';
import { seedDemo, systemModule } from './system/handlers';
import { incidentsModule } from './incidents/handlers';
import { workflowsModule } from './workflows/handlers';
import { AttachmentStore } from './attachments/attachment-store';
import { attachmentsModule } from './attachments/handlers';
import { mapModule } from './map/handlers';
import { GridStore } from './map/grid-store';
import { camerasModule } from './cameras/handlers';
import { JobRunner } from './jobs/jobs';
import { sharedPool } from './jobs/worker-pool';
import { jobsModule } from './jobs/handlers';
import { fileKeySecretBox } from './cameras/secret-box';
import { startDemoCity, uplinkModule } from './uplink';
export type { Core, CoreOptions } from './context';

export function openCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const db: Db = openDatabase(path.join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding });
  const incidents = new IncidentStore(db, { codePrefix: options.codePrefix ?? 'GS', now });
  const bus = new EventBus();
  const dbFile = path.join(options.dataDir, DATABASE_FILE);
  const jobs = new JobRunner(bus, now, sharedPool(options.jobWorker), db, { dbFile, nativeBinding: options.nativeBinding });
  const ctx: CoreContext = {
    options,
    db,
    incidents,
    grids: new GridStore(db),
    settings: new SettingsStore(db),
    attachments: new AttachmentStore(db, incidents, options.dataDir),
    bus,
    jobs,
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
  let demoCity: { close(): Promise<void> } | null = null;
  let closed = false;
  const uplink = uplinkModule(ctx, {
    secretBox: options.secretBox ?? fileKeySecretBox(options.dataDir),
    timings: options.uplinkTimings,
    demoConfig:
      options.demoCity
        ? async () => {
            const started = await startDemoCity(options.dataDir);
            if (closed) {
              await started.close();
              return null;
            }
            demoCity = started;
            return started.config;
          }
        : undefined,
  });
  const jobCommands = jobsModule(ctx);
  const modules = [system, incidentCommands, workflows, attachments, map, cameras, uplink, jobCommands];
  const handlers: Handlers = {
    ...system.handlers,
    ...incidentCommands.handlers,
    ...workflows.handlers,
    ...attachments.handlers,
    ...map.handlers,
    ...cameras.handlers,
    ...uplink.handlers,
    ...jobCommands.handlers,
  };

  const dispatcher = new Dispatcher(handlers, undefined, { waitForWriter: () => jobs.writerIdle() });
  if (options.demo) seedDemo(ctx, options.operator);
  const call: CallContext = { actor: options.operator };

  return {
    dataDir: options.dataDir,
    ready: Promise.all([cameras.ready, uplink.ready]).then(() => undefined),
    dispatch: (name, input) => dispatcher.dispatch(name, input, call),
    onEvent: (listener) => bus.on(listener),
    close: () => {
      closed = true;
      for (const module of modules) module.close?.();
      void demoCity?.close();
      db.close();
    },
  };
}

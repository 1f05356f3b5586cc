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
import { analysisModule } from './analysis/handlers';

export type { Core, CoreOptions } from './context';

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

import path from 'node:path';
import type { Envelope } from '@shared';
import { DATABASE_FILE, SCHEMA_VERSION, openDatabase, type Db } from './store/database';
import { IncidentStore, type Change } from './incidents/incident-store';
import { Dispatcher, EventBus, type CallContext, type Handlers } from './contract/dispatcher';
import { SettingsStore } from './store/settings';
import { seedGuishanDemo } from './demo/guishan';

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
}

export interface Core {
  /** Never throws: every failure is an error envelope. */
  dispatch(name: string, input: unknown): Promise<Envelope>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  close(): void;
  readonly dataDir: string;
}

export function openCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const db: Db = openDatabase(path.join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding });
  const store = new IncidentStore(db, { codePrefix: options.codePrefix ?? 'GS', now });
  const settings = new SettingsStore(db);
  const bus = new EventBus();
  const ctx: CallContext = { actor: options.operator };

  const publish = (change: Change) => {
    bus.emit('incident.changed', { incident: change.incident, eventType: change.event.type, seq: change.event.seq });
    return change.incident;
  };

  const seedDemo = (actor: string) => {
    if (store.count() > 0) return 0;
    const created = seedGuishanDemo(store, { actor, now: now() });
    settings.set('demo.offer', 'seeded');
    bus.emit('incidents.reloaded', { reason: 'demo' });
    return created;
  };

  const handlers: Handlers = {
    'system.info': () => {
      const incidentCount = store.count();
      return {
        version: options.version,
        host: options.host,
        dataDir: options.dataDir,
        schemaVersion: SCHEMA_VERSION,
        operator: options.operator,
        incidentCount,
        offerDemo: incidentCount === 0 && settings.get('demo.offer') === null,
      };
    },
    'demo.seed': (_input, { actor }) => ({ created: seedDemo(actor) }),
    'demo.decline': () => {
      settings.set('demo.offer', 'declined');
      return {};
    },
    'categories.list': () => store.categories(),
    'incidents.list': ({ filter, offset, limit }) => store.list(filter, offset, limit),
    'incidents.summary': () => {
      const at = now();
      return { ...store.summary(at), now: at };
    },
    'incidents.get': ({ id }) => store.get(id),
    'incidents.create': ({ draft }, { actor }) => publish(store.create(draft, actor)),
    'incidents.update': ({ id, expectedVersion, patch }, { actor }) => publish(store.update(id, expectedVersion, patch, actor)),
    'incidents.transition': ({ id, expectedVersion, transition }, { actor }) =>
      publish(store.transition(id, expectedVersion, transition, actor)),
    'incidents.comment': ({ id, text }, { actor }) => publish(store.comment(id, text, actor)),
    'events.verify': () => store.eventLog.verify(),
    'outbox.status': () => store.eventLog.outboxStatus(),
  };

  const dispatcher = new Dispatcher(handlers);
  if (options.demo) seedDemo(options.operator);

  return {
    dataDir: options.dataDir,
    dispatch: (name, input) => dispatcher.dispatch(name, input, ctx),
    onEvent: (listener) => bus.on(listener),
    close: () => db.close(),
  };
}

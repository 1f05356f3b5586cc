import path from 'node:path';
import type { Envelope } from '@shared';
import { DATABASE_FILE, openDatabase, type Db } from './store/database';
import { IncidentStore, type Change } from './incidents/incident-store';
import { Dispatcher, EventBus, mayReceive, type CallRecord, type Handlers } from './contract/dispatcher';
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
import type { SecretBox } from './cameras/secret-box';
import { peopleModule } from './people/handlers';
import { StaffStore } from './people/staff-store';
import { SessionManager, actorOf, type ConnectionSlot } from './people/sessions';
import { AuditStore } from './people/audit-store';

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
  /** ffmpeg for the video relay; default: the one inside @ffmpeg-installer/ffmpeg. */
  ffmpegPath?: string;
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
  const staff = new StaffStore(db, now);
  const sessions = new SessionManager(now, (options.sessionHours ?? 24) * 3_600_000);
  const audit = new AuditStore(db);
  const people = peopleModule(ctx, { staff, sessions, audit, idleLockMinutes: options.idleLockMinutes ?? 10 });
  const modules = [system, people, incidentCommands, workflows, attachments, map, cameras];
  const handlers: Handlers = {
    ...system.handlers,
    ...people.handlers,
    ...incidentCommands.handlers,
    ...workflows.handlers,
    ...attachments.handlers,
    ...map.handlers,
    ...cameras.handlers,
  };

  const systemActor = { id: null, name: options.operator ?? '系统', roles: [] };
  const liveSession = (conn: ConnectionSlot) => {
    if (conn.session && sessions.expired(conn.session)) conn.session = null;
    return conn.session;
  };
  const dispatcher = new Dispatcher(handlers, {
    liveSession,
    systemActor,
    record: (call) => recordCall(audit, now, call),
  });
  if (options.demo) seedDemo(ctx, systemActor.name);
  const systemSlot: ConnectionSlot = { window: 'core', session: null, system: true };
  let connections = 0;

  return {
    dataDir: options.dataDir,
    ready: cameras.ready,
    connect(window) {
      connections += 1;
      const slot: ConnectionSlot = { window: `${window}#${connections}`, session: null };
      const offs = new Set<() => void>();
      return {
        window: slot.window,
        dispatch: (name, input) => dispatcher.dispatch(name, input, slot),
        onEvent(listener) {
          const off = bus.on((name, payload) => {
            // Checked without clearing the slot: the window's next call must still learn its session ended (auth.expired).
            if (mayReceive(slot, name, (c) => c.session !== null && sessions.expired(c.session))) listener(name, payload);
          });
          offs.add(off);
          return () => {
            off();
            offs.delete(off);
          };
        },
        adoptToken(token) {
          const session = sessions.find(token);
          if (session) slot.session = session;
          return session !== null;
        },
        close() {
          for (const off of offs) off();
          offs.clear();
          // The session outlives the socket: a reconnecting window resumes it with its token.
          slot.session = null;
        },
      };
    },
    dispatch: (name, input) => dispatcher.dispatch(name, input, systemSlot),
    onEvent: (listener) => bus.on(listener),
    hasSession: (token) => sessions.find(token) !== null,
    close: () => {
      for (const module of modules) module.close?.();
      db.close();
    },
  };
}

/** Login, logout and every command that changes something go into the audit trail; reads do not. */
const AUDITED_SESSION_COMMANDS = new Set(['auth.setup', 'auth.login', 'auth.logout', 'auth.unlock', 'auth.changePassword']);

function recordCall(audit: AuditStore, now: () => number, call: CallRecord): void {
  const { rule, name, conn, envelope } = call;
  const changes = rule.access === 'permission' && rule.write;
  if (!AUDITED_SESSION_COMMANDS.has(name) && !(changes && envelope.ok)) return;
  // A failed login names the staff number tried (never the password).
  const tried = name === 'auth.login' && !envelope.ok ? String((call.input as { staffNo?: unknown }).staffNo ?? '') : '';
  const actor =
    name === 'auth.login' && !envelope.ok
      ? { id: null, name: tried, roles: [] }
      : (name === 'auth.login' || name === 'auth.setup') && envelope.ok && conn.session
        ? actorOf(conn.session)
        : (call.person ?? { id: null, name: tried, roles: [] });
  audit.record({
    at: now(),
    actor,
    window: conn.window,
    command: name,
    incidentId: incidentOf(call.input, envelope),
    outcome: envelope.ok ? 'ok' : envelope.error.code,
    reason: envelope.ok ? null : (envelope.error.reason ?? null),
    cosigner: null,
  });
}

/** The case a call was about: its input's incident, else the incident its answer names. */
function incidentOf(input: unknown, envelope: Envelope): string | null {
  const given = input as { incidentId?: unknown; id?: unknown };
  if (typeof given?.incidentId === 'string') return given.incidentId;
  if (!envelope.ok) return null;
  const value = envelope.value as { incident?: { id?: unknown }; id?: unknown; code?: unknown; status?: unknown } | null;
  if (value && typeof value.incident?.id === 'string') return value.incident.id;
  // An incident itself (create, update, transition, comment): it has a code and a status.
  if (value && typeof value.id === 'string' && typeof value.code === 'string' && typeof value.status === 'string') return value.id;
  return null;
}

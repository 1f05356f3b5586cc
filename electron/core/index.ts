import path from 'node:path';
import { DATABASE_FILE, openDatabase, openDatabaseReadOnly, type Db } from './store/database';
import { DiskFullError, storageError } from './store/storage';
import { IncidentStore, type Change } from './incidents/incident-store';
import type { Envelope } from '@shared';
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
import { StaffStore, SessionManager, AuditStore, peopleModule, verifyCosigner } from './people';
import { Dispatcher, EventBus, actorOf, mayReceive, type CallRecord, type ConnectionSlot, type Handlers, type CallContext } from './contract';
import { JobRunner } from './jobs/jobs';
import { sharedPool } from './jobs/worker-pool';
import { jobsModule } from './jobs/handlers';
import { fileKeySecretBox } from './cameras/secret-box';
import { startDemoCity, uplinkModule } from './uplink';
import { isCorruptionError, quickCheckStore } from './store';
import { corruptError, recoveringCore } from './recovery/recovery';
import { recoveryModule } from './recovery/handlers';
import { backupModule } from './backup';
import { COMMAND_RULES, type CommandName } from '@shared';
import { createLogger } from './log';

export type { Core, CoreConnection, CoreOptions } from './context';

/**
 * Opens the console's core on a data directory. The store is checked first (header + bounded quick
 * check, electron/core/store/check.ts): a damaged one is not served — the core starts in the
 * recovery state (recoveringCore) and serves only the recovery screen until a verified backup is
 * restored.
 */
export function openCore(options: CoreOptions): Core {
  const file = path.join(options.dataDir, DATABASE_FILE);
  const check = quickCheckStore(file, { nativeBinding: options.nativeBinding, maxBytes: options.quickCheckMaxBytes });
  // The restored store was just verified whole (integrity check + the whole chain): no second check at its start.
  const recover = (problem: string) => recoveringCore(options, problem, () => openServingCore(options, false));
  if (!check.ok) return recover(check.problem ?? 'damaged');
  try {
    return openServingCore(options, !check.pagesChecked);
  } catch (error) {
    // A page the quick check did not read (a large store) went bad under the start itself.
    if (isCorruptionError(error)) return recover(`${(error as { code?: string }).code}: ${(error as Error).message}`);
    throw error;
  }
}

function openServingCore(options: CoreOptions, fullCheckAtStart: boolean): Core {
  const now = options.now ?? Date.now;
  const log = options.logger ?? createLogger({ dataDir: options.dataDir, name: 'core' });
  const file = path.join(options.dataDir, DATABASE_FILE);
  // A full disk does not stop the console: it opens read-only (reading and exporting work, every
  // write is refused with store.read_only naming the data directory and its free space).
  let db: Db;
  let readOnly = false;
  try {
    db = openDatabase(file, { nativeBinding: options.nativeBinding, synchronous: options.synchronous });
  } catch (error) {
    if (!(error instanceof DiskFullError)) throw error;
    db = openDatabaseReadOnly(file, { nativeBinding: options.nativeBinding });
    readOnly = true;
    log.warn('store opened read-only: the disk is full', { dataDir: options.dataDir });
  }
  log.info('core opened', { version: options.version, host: options.host, node: process.versions.node, readOnly });
  const incidents = new IncidentStore(db, { codePrefix: options.codePrefix ?? 'GS', now });
  const bus = new EventBus(log.child({ domain: 'events' }));
  const dbFile = path.join(options.dataDir, DATABASE_FILE);
  const jobs = new JobRunner(bus, now, sharedPool(options.jobWorker), db, { dbFile, nativeBinding: options.nativeBinding, readOnly }, log.child({ domain: 'jobs' }));
  const ctx: CoreContext = {
    options,
    db,
    readOnly,
    incidents,
    grids: new GridStore(db),
    settings: new SettingsStore(db),
    attachments: new AttachmentStore(db, incidents, options.dataDir),
    bus,
    log,
    demoParts: [],
    corrupt: null,
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
  const analysis = analysisModule(ctx);
  const staff = new StaffStore(db, now);
  const sessions = new SessionManager(now, (options.sessionHours ?? 24) * 3_600_000);
  const audit = new AuditStore(db);
  const people = peopleModule(ctx, { staff, sessions, audit, idleLockMinutes: options.idleLockMinutes ?? 10 });
  const jobCommands = jobsModule(ctx);
  const recovery = recoveryModule(ctx, { fullCheckAtStart });
  const backups = backupModule(ctx);
  const modules = [system, people, incidentCommands, workflows, attachments, map, cameras, uplink, analysis, jobCommands, recovery, backups];
  const handlers: Handlers = {
    ...system.handlers,
    ...people.handlers,
    ...incidentCommands.handlers,
    ...workflows.handlers,
    ...attachments.handlers,
    ...map.handlers,
    ...cameras.handlers,
    ...analysis.handlers,
    ...uplink.handlers,
    ...jobCommands.handlers,
    ...recovery.handlers,
    ...backups.handlers,
  };

  const systemActor = { id: null, name: options.operator ?? '系统', roles: [] };
  const liveSession = (conn: ConnectionSlot) => {
    if (conn.session && sessions.expired(conn.session)) conn.session = null;
    return conn.session;
  };
  if (!readOnly) ctx.attachments.removeLeftovers();
  const dispatcher = new Dispatcher(guardStorage(handlers, ctx), {
    liveSession,
    systemActor,
    record: (call) => recordCall(audit, now, call),
    waitForWriter: () => jobs.writerIdle(),
    verifyCosign: (cosign, actor) => verifyCosigner(staff, cosign, actor),
    onInternalError: (name, error) => log.error(`command ${name} failed`, { command: name, err: error }),
  });
  if (options.demo && !readOnly) seedDemo(ctx, systemActor.name);
  const systemSlot: ConnectionSlot = { window: 'core', session: null, system: true };
  let connections = 0;

  return {
    dataDir: options.dataDir,
    ready: Promise.all([cameras.ready, uplink.ready]).then(() => undefined),
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
      closed = true;
      for (const module of modules) module.close?.();
      void demoCity?.close();
      db.close();
      log.info('core closed');
      if (!options.logger) log.close();
    },
  };
}

/**
 * Wraps every handler so a full disk or a read-only store answers with its reason (store.disk_full /
 * store.read_only), and a damaged page met while serving (SQLITE_CORRUPT, SQLITE_NOTADB) stops every
 * later write with store.corrupt instead of writing into the damaged file (reads go on answering
 * what they can; the full check and the recovery screen tell what to do).
 */
function guardStorage(handlers: Handlers, core: CoreContext): Handlers {
  const { dataDir } = core.options;
  const guarded: Record<string, (input: unknown, ctx: CallContext) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (input: unknown, ctx: CallContext) => unknown][]) {
    const rule = COMMAND_RULES[name as CommandName];
    // Logins write sessions' audit lines too: every command but plain reads stops on a damaged store.
    const writes = rule.access !== 'permission' || rule.write;
    const exempt = name === 'recovery.status' || name === 'recovery.restore' || name === 'store.check' || name === 'auth.status';
    guarded[name] = async (input, ctx) => {
      if (core.corrupt !== null && writes && !exempt) throw corruptError(dataDir, core.corrupt);
      try {
        return await handler(input, ctx);
      } catch (error) {
        if (isCorruptionError(error)) {
          const problem = `${(error as { code?: string }).code}: ${(error as Error).message}`;
          if (core.corrupt === null) {
            (core as { corrupt: string | null }).corrupt = problem;
            core.bus.emit('store.corrupted', { problem });
          }
          throw corruptError(dataDir, problem);
        }
        throw storageError(error, dataDir, core.readOnly);
      }
    };
  }
  return guarded as Handlers;
}

/** Login, logout and every command that changes something go into the audit trail; reads do not. */
const AUDITED_SESSION_COMMANDS = new Set(['auth.setup', 'auth.login', 'auth.logout', 'auth.unlock', 'auth.changePassword']);

function recordCall(audit: AuditStore, now: () => number, call: CallRecord): void {
  const { rule, name, conn, envelope } = call;
  const changes = rule.access === 'permission' && rule.write;
  // A co-signer's refused credentials are recorded like a failed login (the staff number tried, never the password).
  const cosignRefused = call.cosignRefused !== null;
  if (!AUDITED_SESSION_COMMANDS.has(name) && !(changes && envelope.ok) && !cosignRefused) return;
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
    incidentId: incidentOf(name, call.input, envelope),
    outcome: envelope.ok ? 'ok' : envelope.error.code,
    reason: envelope.ok ? null : (envelope.error.reason ?? null),
    cosigner: call.cosigner ?? (cosignRefused ? { id: null, name: call.cosignRefused!, roles: [] } : null),
  });
}

/** The case a call was about: its input's incident, else the incident its answer names. */
function incidentOf(name: string, input: unknown, envelope: Envelope): string | null {
  const given = input as { incidentId?: unknown; id?: unknown };
  if (typeof given?.incidentId === 'string') return given.incidentId;
  // An incident's own commands name it by `id` (a refused call has no answer to read it from).
  if (name.startsWith('incidents.') && typeof given?.id === 'string') return given.id;
  if (!envelope.ok) return null;
  const value = envelope.value as { incident?: { id?: unknown }; id?: unknown; code?: unknown; status?: unknown } | null;
  if (value && typeof value.incident?.id === 'string') return value.incident.id;
  // An incident itself (create, update, transition, comment): it has a code and a status.
  if (value && typeof value.id === 'string' && typeof value.code === 'string' && typeof value.status === 'string') return value.id;
  return null;
}

import { z } from 'zod';
import {
  COMMAND_RULES,
  ContractError,
  EVENT_RULES,
  commands,
  cosignFor,
  events,
  isCommandName,
  issuesFromZod,
  requiredPermission,
  type CommandName,
  type CommandOutput,
  type CommandRule,
  type Cosign,
  type Envelope,
  type EventName,
  type EventPayload,
  type ParsedInput,
} from '@shared';
import { callScope, cosignRequired, type ActorRef, type ConnectionSlot } from './call';
import { silentLogger, type Logger } from '../log';

export interface CallContext {
  /** Who is acting (their name): recorded on every event. Comes from the window's session, never from the input. */
  actor: string;
  /** The authenticated person (id, name, roles at the time). */
  person: ActorRef;
  /** The second person who confirmed the call with their own credentials (co-sign), verified; else null. */
  cosigner: ActorRef | null;
  /** The window the call came from; its session is what auth.* commands change. */
  conn: ConnectionSlot;
}

export type Handlers = {
  [N in CommandName]: (input: ParsedInput<N>, ctx: CallContext) => CommandOutput<N> | Promise<CommandOutput<N>>;
};

export type EventListener = (name: EventName, payload: unknown) => void;

/** Core → every window. Payloads are checked against their schema before they leave core. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  /** A listener's failure goes to this log (with the event's name); the other listeners still run. */
  constructor(private readonly log: Pick<Logger, 'error'> = silentLogger) {}

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    const parsed = events[name].parse(payload);
    for (const listener of this.listeners) {
      try {
        listener(name, parsed);
      } catch (error) {
        this.log.error(`event listener for ${name} failed`, { event: name, err: error });
      }
    }
  }
}

/** Whether a window may receive an event (EVENT_RULES): a session holding the event's permission. */
export function mayReceive(conn: ConnectionSlot, name: EventName, expired: (conn: ConnectionSlot) => boolean): boolean {
  if (conn.system) return true;
  const session = conn.session;
  if (!session || expired(conn)) return false;
  return session.permissions.has(EVENT_RULES[name]);
}

/** What the dispatcher records of a call (the audit trail), after it ran. */
export interface CallRecord {
  name: CommandName;
  rule: CommandRule;
  conn: ConnectionSlot;
  /** The person acting: the session's (captured before the call, so a logout still names who). */
  person: ActorRef | null;
  input: unknown;
  envelope: Envelope;
  /** The verified co-signer; or, when the co-signer's credentials were refused, the staff number tried. */
  cosigner: ActorRef | null;
  cosignRefused: string | null;
}

export interface DispatcherOptions {
  /** A handler's unexpected failure (answered as `internal`): the core logs it with the command's name. */
  onInternalError?: (name: string, error: unknown) => void;
  /** The session of a window, checked on every call: null when there is none or it expired (then cleared). */
  liveSession?: (conn: ConnectionSlot) => ConnectionSlot['session'];
  /** Called after every command that got past the access check. */
  record?: (call: CallRecord) => void;
  /** The actor of in-process (system) calls. */
  systemActor?: ActorRef;
  /**
   * While a job worker holds the store's write lock, a command's write fails fast with SQLITE_BUSY
   * (its transaction rolled back, nothing kept) instead of sleeping on the serving loop; this gives
   * the promise to wait on before running the command again (null: no writer job runs).
   */
  waitForWriter?: () => Promise<void> | null;
  /**
   * Checks a co-signer's credentials for a call by `actor` (right password, not locked out or
   * disabled, holds the co-sign permission, not the actor): the co-signer, or a ContractError.
   */
  verifyCosign?: (cosign: Cosign, actor: ActorRef) => Promise<ActorRef>;
}

/**
 * The one entry point for every transport: unknown names are refused, the window's session and
 * role are checked against the permission matrix (COMMAND_RULES) before anything runs, inputs are
 * validated, handler errors become typed envelopes, and nothing is thrown back to the transport.
 */
export class Dispatcher {
  private readonly onInternalError: (name: string, error: unknown) => void;
  private readonly systemActor: ActorRef;

  constructor(
    private readonly handlers: Handlers,
    private readonly options: DispatcherOptions = {},
  ) {
    this.onInternalError = options.onInternalError ?? ((name, error) => silentLogger.error(`command ${name} failed`, { command: name, err: error }));
    this.systemActor = options.systemActor ?? { id: null, name: '系统', roles: [] };
  }

  async dispatch(name: unknown, input: unknown, conn: ConnectionSlot): Promise<Envelope> {
    if (typeof name !== 'string' || !isCommandName(name)) {
      // Not echoed: the answer never carries the caller's input back.
      return fail(ContractError.notFound('unknown command', { reason: 'contract.unknown_command' }));
    }
    const rule: CommandRule = COMMAND_RULES[name];
    let person: ActorRef | null = null;
    if (conn.system) {
      person = this.systemActor;
    } else {
      const hadSession = conn.session !== null;
      const session = this.options.liveSession ? this.options.liveSession(conn) : conn.session;
      if (session) person = { id: session.staffId, name: session.name, roles: session.roles };
      if (rule.access !== 'public') {
        if (!session) {
          return fail(ContractError.forbidden('log in first', { reason: hadSession ? 'auth.expired' : 'auth.required' }));
        }
        if (session.mustChangePassword && name !== 'auth.changePassword' && rule.access !== 'session') {
          return fail(ContractError.forbidden('change the password first', { reason: 'auth.must_change_password' }));
        }
        if (rule.access === 'permission') {
          // A rule refined by its input is checked once the input is valid (below).
          if (!rule.byInput && !session.permissions.has(rule.permission)) return fail(forbidden(name, rule.permission));
          if (rule.write && session.locked) return fail(ContractError.forbidden('this window is locked', { reason: 'auth.locked' }));
        }
      }
    }
    const spec = commands[name];
    // A lone UTF-16 surrogate cannot be stored as UTF-8 (SQLite would keep U+FFFD or invalid bytes).
    const illFormed = illFormedTextPath(input);
    if (illFormed !== null) {
      return fail(ContractError.validation(`invalid input for ${name}: text with a lone surrogate`, [{ path: illFormed, message: 'lone surrogate', reason: 'transport.invalid_text' }], { reason: 'transport.invalid_text' }));
    }
    const given = input === undefined ? {} : input;
    const parsed = spec.input.safeParse(given);
    if (!parsed.success) {
      return fail(ContractError.validation(`invalid input for ${name}`, issuesFromZod(parsed.error, '', given), { reason: 'contract.invalid_input', params: { command: name } }));
    }
    if (!conn.system && rule.access === 'permission' && rule.byInput) {
      const needed = requiredPermission(name, parsed.data)!;
      if (!conn.session!.permissions.has(needed)) return fail(forbidden(name, needed));
    }
    const actor = person ?? { id: null, name: '', roles: [] };
    const system = conn.system === true;
    // Co-sign (四眼原则): an act the input names needs a second person's credentials, checked before anything runs.
    const cosign = (parsed.data as { cosign?: Cosign }).cosign;
    const act = system ? null : cosignFor(name, parsed.data);
    if (act && !cosign) return fail(cosignRequired(act));
    let cosigner: ActorRef | null = null;
    if (cosign) {
      if (!this.options.verifyCosign) return fail(cosignRequired(act ?? 'settings.change'));
      try {
        const verify = this.options.verifyCosign;
        cosigner = await this.pastTheWriter(() => verify(cosign, actor));
      } catch (error) {
        const envelope = error instanceof ContractError ? fail(error) : this.internal(name, error);
        if (!system) await this.audit({ name, rule, conn, person, input: parsed.data, envelope, cosigner: null, cosignRefused: cosign.staffNo });
        return envelope;
      }
      // The session may have ended or locked while the co-signer's password was checked.
      if (!system) {
        const still = this.options.liveSession ? this.options.liveSession(conn) : conn.session;
        if (!still) return fail(ContractError.forbidden('log in first', { reason: 'auth.expired' }));
        if (rule.access === 'permission' && rule.write && still.locked) return fail(ContractError.forbidden('this window is locked', { reason: 'auth.locked' }));
      }
    }
    let envelope: Envelope;
    try {
      const handler = this.handlers[name] as (input: unknown, ctx: CallContext) => unknown;
      const callContext: CallContext = { actor: actor.name, person: actor, cosigner, conn };
      const output = await this.pastTheWriter(() => callScope.run({ actor, cosigner, system, command: name }, () => handler(parsed.data, callContext)));
      envelope = { ok: true, value: (spec.output as z.ZodType).parse(output) };
    } catch (error) {
      envelope = error instanceof ContractError ? fail(error) : this.internal(name, error);
    }
    if (!conn.system) await this.audit({ name, rule, conn, person, input: parsed.data, envelope, cosigner, cosignRefused: null });
    return envelope;
  }

  /** The audit line of a call, written past a job's write lock; the answer stands even if it cannot be written (then reported). */
  private async audit(call: CallRecord): Promise<void> {
    const record = this.options.record;
    if (!record) return;
    try {
      await this.pastTheWriter(() => record(call));
    } catch (error) {
      this.onInternalError(`${call.name} (audit)`, error);
    }
  }

  /**
   * Runs `work`; while a job worker holds the store's write lock (SQLITE_BUSY, its transaction
   * rolled back, nothing kept), waits for that job instead of sleeping inside SQLite, then runs it again.
   */
  private async pastTheWriter<T>(work: () => T | Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const writer = attempt < 10 && isBusy(error) ? this.options.waitForWriter?.() : null;
        if (!writer) throw error;
        await writer;
      }
    }
  }

  private internal(name: string, error: unknown): Envelope {
    this.onInternalError(name, error);
    return fail(new ContractError({ code: 'internal', message: `${name} failed: ${errorMessage(error)}`, reason: 'contract.internal', params: { command: name } }));
  }
}

function forbidden(name: string, permission: string): ContractError {
  return ContractError.forbidden(`${name} needs the permission ${permission}`, { reason: 'auth.forbidden', params: { permission } });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (value or key) holding a lone surrogate, or null. */
export function illFormedTextPath(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedTextPath(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return path;
    const found = illFormedTextPath(inner, path ? `${path}.${key}` : key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** SQLITE_BUSY (and its extended codes): another connection holds the write lock. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function fail(error: ContractError): Envelope {
  return { ok: false, error: error.toBody() };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

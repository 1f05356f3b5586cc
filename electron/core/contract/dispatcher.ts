import { z } from 'zod';
import {
  COMMAND_RULES,
  ContractError,
  EVENT_RULES,
  commands,
  events,
  isCommandName,
  issuesFromZod,
  requiredPermission,
  type CommandName,
  type CommandOutput,
  type CommandRule,
  type Envelope,
  type EventName,
  type EventPayload,
  type ParsedInput,
} from '@shared';
import { callScope, type ActorRef, type ConnectionSlot } from './call';

export interface CallContext {
  /** Who is acting (their name): recorded on every event. Comes from the window's session, never from the input. */
  actor: string;
  /** The authenticated person (id, name, roles at the time). */
  person: ActorRef;
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
        console.error(`event listener for ${name} failed`, error);
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
}

export interface DispatcherOptions {
  onInternalError?: (name: string, error: unknown) => void;
  /** The session of a window, checked on every call: null when there is none or it expired (then cleared). */
  liveSession?: (conn: ConnectionSlot) => ConnectionSlot['session'];
  /** Called after every command that got past the access check. */
  record?: (call: CallRecord) => void;
  /** The actor of in-process (system) calls. */
  systemActor?: ActorRef;
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
    this.onInternalError = options.onInternalError ?? ((name, error) => console.error(`command ${name} failed`, error));
    this.systemActor = options.systemActor ?? { id: null, name: '系统', roles: [] };
  }

  async dispatch(name: unknown, input: unknown, conn: ConnectionSlot): Promise<Envelope> {
    if (typeof name !== 'string' || !isCommandName(name)) {
      const shown = String(name).slice(0, 100);
      return fail(ContractError.notFound(`unknown command "${shown}"`, { reason: 'contract.unknown_command', params: { name: shown } }));
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
    let envelope: Envelope;
    try {
      const handler = this.handlers[name] as (input: unknown, ctx: CallContext) => unknown;
      const output = await callScope.run({ actor, cosigner: null }, () => handler(parsed.data, { actor: actor.name, person: actor, conn }));
      envelope = { ok: true, value: (spec.output as z.ZodType).parse(output) };
    } catch (error) {
      if (error instanceof ContractError) envelope = fail(error);
      else {
        this.onInternalError(name, error);
        envelope = fail(new ContractError({ code: 'internal', message: `${name} failed: ${errorMessage(error)}`, reason: 'contract.internal', params: { command: name } }));
      }
    }
    if (!conn.system) this.options.record?.({ name, rule, conn, person, input: parsed.data, envelope });
    return envelope;
  }
}

function forbidden(name: string, permission: string): ContractError {
  return ContractError.forbidden(`${name} needs the permission ${permission}`, { reason: 'auth.forbidden', params: { permission } });
}

function fail(error: ContractError): Envelope {
  return { ok: false, error: error.toBody() };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

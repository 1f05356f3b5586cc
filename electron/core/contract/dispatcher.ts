import { z } from 'zod';
import {
  ContractError,
  commands,
  events,
  isCommandName,
  issuesFromZod,
  type CommandName,
  type CommandOutput,
  type Envelope,
  type EventName,
  type EventPayload,
  type ParsedInput,
} from '@shared';

export interface CallContext {
  /** Who is acting: recorded on every event. Comes from the host, never from the input. */
  actor: string;
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

/**
 * The one entry point for every transport: unknown names are refused, inputs are validated,
 * handler errors become typed envelopes, and nothing is thrown back to the transport.
 */
export interface DispatcherOptions {
  /**
   * While a job worker holds the store's write lock, a command's write fails fast with SQLITE_BUSY
   * (its transaction rolled back, nothing kept) instead of sleeping on the serving loop; this gives
   * the promise to wait on before running the command again (null: no writer job runs).
   */
  waitForWriter?: () => Promise<void> | null;
}

export class Dispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly onInternalError: (name: string, error: unknown) => void = (name, error) =>
      console.error(`command ${name} failed`, error),
    private readonly options: DispatcherOptions = {},
  ) {}

  async dispatch(name: unknown, input: unknown, ctx: CallContext): Promise<Envelope> {
    if (typeof name !== 'string' || !isCommandName(name)) {
      // Not echoed: the answer never carries the caller's input back.
      return fail(ContractError.notFound('unknown command'));
    }
    const spec = commands[name];
    // A lone UTF-16 surrogate cannot be stored as UTF-8 (SQLite would keep U+FFFD or invalid bytes).
    const illFormed = illFormedTextPath(input);
    if (illFormed !== null) {
      return fail(ContractError.validation(`invalid input for ${name}: text with a lone surrogate`, [{ path: illFormed, message: 'lone surrogate', reason: 'transport.invalid_text' }], { reason: 'transport.invalid_text' }));
    }
    const parsed = spec.input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) {
      return fail(ContractError.validation(`invalid input for ${name}`, issuesFromZod(parsed.error)));
    }
    try {
      const handler = this.handlers[name] as (input: unknown, ctx: CallContext) => unknown;
      let output: unknown;
      for (let attempt = 0; ; attempt++) {
        try {
          output = await handler(parsed.data, ctx);
          break;
        } catch (error) {
          const writer = attempt < 10 && isBusy(error) ? this.options.waitForWriter?.() : null;
          if (!writer) throw error;
          await writer;
        }
      }
      return { ok: true, value: (spec.output as z.ZodType).parse(output) };
    } catch (error) {
      if (error instanceof ContractError) return fail(error);
      this.onInternalError(name, error);
      return fail(new ContractError({ code: 'internal', message: `${name} failed: ${errorMessage(error)}` }));
    }
  }
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

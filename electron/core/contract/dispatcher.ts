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
      return fail(ContractError.notFound(`unknown command "${String(name).slice(0, 100)}"`));
    }
    const spec = commands[name];
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

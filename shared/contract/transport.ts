import { z } from 'zod';
import { ContractError, Envelope, type Envelope as EnvelopeT } from './errors';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from './contract';

/**
 * What every transport provides to the renderer: Electron IPC (through the preload),
 * WebSocket (Node host) and the in-memory pair for tests.
 */
export interface Transport {
  invoke(name: string, input: unknown): Promise<EnvelopeT>;
  subscribe(name: string, listener: (payload: unknown) => void): () => void;
}

/** The typed face of a transport. */
export interface ConsoleClient {
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  subscribe<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** Throws ContractError on an error envelope, so callers get typed errors on every transport. */
export function createClient(transport: Transport): ConsoleClient {
  return {
    async invoke(name, input) {
      const envelope = await transport.invoke(name, input);
      if (!envelope.ok) throw new ContractError(envelope.error);
      return envelope.value as never;
    },
    subscribe(name, listener) {
      return transport.subscribe(name, (payload) => listener(payload as never));
    },
  };
}

/** Largest WebSocket frame either side accepts: a town's grid GeoJSON import (a few MB) fits; a page of 500 list rows is far below it. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Frames over the WebSocket transport. */
export const ClientFrame = z
  .object({ t: z.literal('invoke'), id: z.number().int().nonnegative(), name: z.string().max(100), input: z.unknown() })
  .strict();
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ServerFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: z.number().int(), result: Envelope }),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type ServerFrame =
  | { t: 'result'; id: number; result: EnvelopeT }
  | { t: 'event'; name: string; payload: unknown };

/** Electron IPC channels: one for commands, one for events. */
export const IPC_INVOKE_CHANNEL = 'duty-console:invoke';
export const IPC_EVENT_CHANNEL = 'duty-console:event';

/** Keeps listeners per event name; shared by the renderer-side transports. */
export class ListenerRegistry {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  add(name: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit(name: string, payload: unknown): void {
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }
}

import { ListenerRegistry, type Envelope, type Transport } from '@shared';
import type { Core } from '../context';

/**
 * The in-memory pair for tests: the client half of a transport wired straight to a core, as one
 * window with its own session (it starts logged out). Values cross as JSON, as they would over a
 * wire, so tests see what a window would see.
 */
export function createMemoryTransport(core: Pick<Core, 'connect'>): Transport & { close(): void } {
  const registry = new ListenerRegistry();
  const roundTrip = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
  const connection = core.connect('memory');
  connection.onEvent((name, payload) => registry.emit(name, roundTrip(payload)));
  return {
    async invoke(name, input): Promise<Envelope> {
      return roundTrip(await connection.dispatch(name, roundTrip(input)));
    },
    subscribe: (name, listener) => registry.add(name, listener),
    close: () => connection.close(),
  };
}

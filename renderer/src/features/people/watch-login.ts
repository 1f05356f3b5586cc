import type { ObservableTransport } from '../../transport/ws-transport';

const GONE = new Set(['auth.required', 'auth.expired']);

/**
 * Wraps the transport: an answer "log in first" (session expired, host restarted) tells the session
 * gate, which asks for the login over the console instead of unmounting it (open forms keep what
 * was typed; the person sends again after logging in).
 */
export function watchLoginGone(transport: ObservableTransport): {
  transport: ObservableTransport;
  onLoginGone: (listener: () => void) => () => void;
} {
  const listeners = new Set<() => void>();
  const wrapped: ObservableTransport = {
    kind: transport.kind,
    state: () => transport.state(),
    onState: (listener) => transport.onState(listener),
    epoch: () => transport.epoch(),
    subscribe: (name, listener) => transport.subscribe(name, listener),
    async invoke(name, input) {
      const envelope = await transport.invoke(name, input);
      if (!envelope.ok && envelope.error.code === 'forbidden' && GONE.has(envelope.error.reason ?? '') && !name.startsWith('auth.')) {
        for (const listener of listeners) listener();
      }
      return envelope;
    },
  };
  return {
    transport: wrapped,
    onLoginGone: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

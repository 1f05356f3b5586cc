import { createContext, useContext, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { createClient, type ConsoleClient, type EventName, type EventPayload } from '@shared';
import type { ConnectionState, ObservableTransport } from './ws-transport';

interface ClientContextValue {
  client: ConsoleClient;
  transport: ObservableTransport;
}

const ClientContext = createContext<ClientContextValue | null>(null);

export function ClientProvider({ transport, children }: { transport: ObservableTransport; children: ReactNode }) {
  const value = useMemo(() => ({ client: createClient(transport), transport }), [transport]);
  return <ClientContext.Provider value={value}>{children}</ClientContext.Provider>;
}

function useClientContext(): ClientContextValue {
  const value = useContext(ClientContext);
  if (!value) throw new Error('useClient() outside <ClientProvider>');
  return value;
}

/** The typed client (`invoke` throws ContractError or TransportError). */
export function useClient(): ConsoleClient {
  return useClientContext().client;
}

export interface Connection {
  kind: ObservableTransport['kind'];
  state: ConnectionState;
  /** Increments on every (re)connection: use it as an effect dependency to reload after a gap. */
  epoch: number;
}

export function useConnection(): Connection {
  const { transport } = useClientContext();
  const state = useSyncExternalStore(
    (notify) => transport.onState(notify),
    () => transport.state(),
  );
  const epoch = useSyncExternalStore(
    (notify) => transport.onState(notify),
    () => transport.epoch(),
  );
  return { kind: transport.kind, state, epoch };
}

/** Subscribes to a core event for the component's lifetime; the latest listener is always called. */
export function useCoreEvent<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): void {
  const client = useClient();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => client.subscribe(name, (payload) => latest.current(payload)), [client, name]);
}

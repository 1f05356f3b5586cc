import { JOB_COMMANDS, ListenerRegistry, ServerFrame, type ClientFrame, type Envelope, type Transport } from '@shared';

/** A command that runs as a job answers when the job ends; its bar and cancel button show meanwhile. */
const JOB_CALL_TIMEOUT_MS = 6 * 3_600_000;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/** Thrown (as a rejected invoke) when a call cannot reach the core; not a contract error. */
export class TransportError extends Error {
  constructor(
    readonly reason: 'disconnected' | 'timeout' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface ObservableTransport extends Transport {
  readonly kind: 'ipc' | 'websocket';
  state(): ConnectionState;
  /** Called on every state change; returns an unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Increments on every (re)connection, so views can reload what they may have missed. */
  epoch(): number;
}

interface Pending {
  resolve: (envelope: Envelope) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Queued extends Pending {
  frame: ClientFrame;
}

export interface WsTransportOptions {
  /** Read at every (re)connection: it carries the window's session token, so a reconnect is logged in at once. */
  url: string | (() => string);
  /** How long a call made while disconnected waits for the connection to return. */
  queueTimeoutMs?: number;
  /** How long a sent call waits for its result. */
  callTimeoutMs?: number;
  /** Reconnect delays grow from min to max (doubling, with jitter). */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Calls kept while disconnected; more are rejected at once. */
  maxQueued?: number;
  /** For tests. */
  createSocket?: (url: string) => WebSocket;
}

/**
 * The WebSocket transport of the Node host: `ClientFrame`s out, `ServerFrame`s in.
 * Reconnects with backoff. A call made while disconnected is queued and sent on reconnect (or
 * rejected after `queueTimeoutMs`); a call already sent when the socket drops is rejected at once,
 * since the core may or may not have run it — the caller reloads and decides.
 */
export function createWsTransport(options: WsTransportOptions): ObservableTransport {
  const queueTimeoutMs = options.queueTimeoutMs ?? 10_000;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const timeoutFor = (name: string) => (JOB_COMMANDS.has(name) ? Math.max(callTimeoutMs, JOB_CALL_TIMEOUT_MS) : callTimeoutMs);
  const backoffMin = options.backoffMinMs ?? 500;
  const backoffMax = options.backoffMaxMs ?? 10_000;
  const maxQueued = options.maxQueued ?? 200;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));

  const registry = new ListenerRegistry();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const pending = new Map<number, Pending>();
  const queue: Queued[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let attempts = 0;
  let epoch = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const send = (frame: ClientFrame, entry: Pending) => {
    pending.set(frame.id, entry);
    try {
      socket!.send(JSON.stringify(frame));
    } catch (error) {
      pending.delete(frame.id);
      clearTimeout(entry.timer);
      entry.reject(new TransportError('disconnected', `could not send "${frame.name}": ${String(error)}`));
    }
  };

  const flushQueue = () => {
    while (queue.length && socket?.readyState === WebSocket.OPEN) {
      const item = queue.shift()!;
      clearTimeout(item.timer);
      const timer = setTimeout(() => {
        pending.delete(item.frame.id);
        item.reject(new TransportError('timeout', `no answer to "${item.frame.name}" within ${timeoutFor(item.frame.name) / 1000} s`));
      }, timeoutFor(item.frame.name));
      send(item.frame, { resolve: item.resolve, reject: item.reject, timer });
    }
  };

  const failInFlight = () => {
    for (const [id, entry] of pending) {
      clearTimeout(entry.timer);
      entry.reject(
        new TransportError('disconnected', 'the connection to the core was lost before it answered; reload and check the result'),
      );
      pending.delete(id);
    }
  };

  const scheduleReconnect = () => {
    if (reconnectTimer) return;
    const base = Math.min(backoffMax, backoffMin * 2 ** Math.min(attempts, 10));
    const delay = base / 2 + Math.random() * (base / 2);
    attempts += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  };

  const onMessage = (event: MessageEvent) => {
    if (typeof event.data !== 'string') return;
    let raw: unknown;
    try {
      raw = JSON.parse(event.data);
    } catch {
      return;
    }
    const parsed = ServerFrame.safeParse(raw);
    if (!parsed.success) {
      console.warn('dropped a malformed frame from the core', parsed.error.issues);
      return;
    }
    const frame = parsed.data;
    if (frame.t === 'event') {
      registry.emit(frame.name, frame.payload);
      return;
    }
    const entry = pending.get(frame.id);
    if (!entry) return;
    pending.delete(frame.id);
    clearTimeout(entry.timer);
    entry.resolve(frame.result as Envelope);
  };

  function connect() {
    let ws: WebSocket;
    try {
      ws = createSocket(typeof options.url === 'function' ? options.url() : options.url);
    } catch {
      setState('reconnecting');
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      attempts = 0;
      epoch += 1;
      setState('connected');
      flushQueue();
    });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      failInFlight();
      setState('reconnecting');
      scheduleReconnect();
    });
    // 'error' is always followed by 'close'.
  }

  connect();

  return {
    kind: 'websocket',
    state: () => state,
    epoch: () => epoch,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    invoke(name, input) {
      return new Promise<Envelope>((resolve, reject) => {
        const frame: ClientFrame = { t: 'invoke', id: nextId++, name, input };
        if (socket?.readyState === WebSocket.OPEN) {
          const timer = setTimeout(() => {
            pending.delete(frame.id);
            reject(new TransportError('timeout', `no answer to "${name}" within ${timeoutFor(name) / 1000} s`));
          }, timeoutFor(name));
          send(frame, { resolve, reject, timer });
          return;
        }
        if (queue.length >= maxQueued) {
          reject(new TransportError('unavailable', 'not connected to the core, and too many calls are waiting'));
          return;
        }
        const item: Queued = {
          frame,
          resolve,
          reject,
          timer: setTimeout(() => {
            const index = queue.indexOf(item);
            if (index >= 0) queue.splice(index, 1);
            reject(
              new TransportError('unavailable', `not connected to the core; "${name}" gave up after ${queueTimeoutMs / 1000} s`),
            );
          }, queueTimeoutMs),
        };
        queue.push(item);
      });
    },
    subscribe(name, listener) {
      return registry.add(name, listener);
    },
  };
}

/** The preload's `window.dutyConsole`: always connected (IPC to the main process of this app). */
export function wrapIpcTransport(transport: { invoke: ObservableTransport['invoke']; subscribe: ObservableTransport['subscribe'] }): ObservableTransport {
  return {
    kind: 'ipc',
    state: () => 'connected',
    epoch: () => 1,
    onState: () => () => undefined,
    invoke: (name, input) => transport.invoke(name, input),
    subscribe: (name, listener) => transport.subscribe(name, listener),
  };
}

/**
 * The shared Transport over a WebSocket, for Node: what renderer/src/transport/ws-transport.ts does in
 * the browser, written against the `ws` package so the contract suite can drive the Node host's server.
 */
import WebSocket from 'ws';
import { ListenerRegistry, ServerFrame, type ClientFrame, type Envelope, type Transport } from '@shared';

export interface WsTransport extends Transport {
  readonly socket: WebSocket;
  /** Every frame the server sends, parsed; for tests of malformed input, whose answers carry id -1. */
  onFrame(listener: (frame: ServerFrame) => void): () => void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Sent as the Origin header, as a browser page would. */
  origin?: string;
  /** Sent as the Host header (a page reached through another name, e.g. DNS rebinding). */
  host?: string;
  /** Sent as `Authorization: Bearer …`: a client without Origin must present the host's tool token or a session's. */
  token?: string;
}

/** Opens `ws://…/ws`; rejects if the server refuses the upgrade. */
export function connectWs(url: string, options: ConnectOptions = {}): Promise<WsTransport> {
  const socket = new WebSocket(url, {
    ...(options.origin ? { origin: options.origin } : {}),
    headers: {
      ...(options.host ? { host: options.host } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
  });
  const events = new ListenerRegistry();
  const frames = new Set<(frame: ServerFrame) => void>();
  const pending = new Map<number, { resolve(envelope: Envelope): void; reject(error: Error): void }>();
  let nextId = 1;

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let parsed;
    try {
      parsed = ServerFrame.safeParse(JSON.parse(data.toString()));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const frame = parsed.data as ServerFrame;
    for (const listener of frames) listener(frame);
    if (frame.t === 'result') {
      const call = pending.get(frame.id);
      if (!call) return;
      pending.delete(frame.id);
      call.resolve(frame.result);
    } else {
      events.emit(frame.name, frame.payload);
    }
  });

  socket.on('close', () => {
    for (const call of pending.values()) call.reject(new Error('connection closed'));
    pending.clear();
  });

  const transport: WsTransport = {
    socket,
    invoke(name, input) {
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error('connection closed'));
      const id = nextId++;
      const frame: ClientFrame = { t: 'invoke', id, name, input };
      return new Promise<Envelope>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify(frame));
      });
    },
    subscribe: (name, listener) => events.add(name, listener),
    onFrame(listener) {
      frames.add(listener);
      return () => {
        frames.delete(listener);
      };
    },
    close() {
      if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };

  return new Promise((resolve, reject) => {
    const refuse = (error: Error) => reject(error);
    socket.once('error', refuse);
    socket.once('open', () => {
      socket.off('error', refuse);
      // Errors after opening end in 'close', which fails the pending calls.
      socket.on('error', () => {});
      resolve(transport);
    });
  });
}

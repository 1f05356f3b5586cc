import type { Transport } from '@shared';
import { createWsTransport, wrapIpcTransport, type ObservableTransport } from './ws-transport';

declare global {
  interface Window {
    /** Exposed by the Electron preload (electron/preload). Absent in a plain browser. */
    dutyConsole?: Transport;
  }
}

/** Electron: the preload's IPC bridge. Browser (Node host): the same-origin WebSocket at /ws. */
export function selectTransport(): ObservableTransport {
  const bridge = window.dutyConsole;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.subscribe === 'function') {
    return wrapIpcTransport(bridge);
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWsTransport({ url: `${scheme}//${location.host}/ws` });
}

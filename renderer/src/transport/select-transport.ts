import { contractSocketUrl, type Transport } from '@shared';
import { createWsTransport, wrapIpcTransport, type ObservableTransport } from './ws-transport';
import { sessionToken } from './session-token';

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
  // The window's session token (sessionStorage: this window only, kept across a reload) rides on every
  // (re)connection, so a dropped socket comes back logged in as the same person.
  return createWsTransport({
    url: () => contractSocketUrl(location, sessionToken.get()),
  });
}

/**
 * The renderer's only door to the core: `window.dutyConsole.invoke(name, input)` and
 * `window.dutyConsole.subscribe(name, listener)` — the `Transport` interface from the contract.
 * Neither ipcRenderer nor the IPC event object ever reach the page. Built as CommonJS
 * (out/preload/index.cjs) because the window is sandboxed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, ListenerRegistry, type Envelope, type Transport } from '@shared';

const registry = new ListenerRegistry();
let listening = false;

/** One IPC listener for all events, registered on the first subscribe; dispatched by event name. */
function listen(): void {
  if (listening) return;
  listening = true;
  ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (typeof name === 'string') registry.emit(name, payload);
  });
}

const dutyConsole: Transport = {
  invoke(name: string, input: unknown): Promise<Envelope> {
    if (typeof name !== 'string') {
      return Promise.resolve({ ok: false, error: { code: 'validation', message: 'command name must be a string' } });
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, input) as Promise<Envelope>;
  },
  subscribe(name: string, listener: (payload: unknown) => void): () => void {
    if (typeof name !== 'string') throw new TypeError('subscribe(name, listener): name must be a string');
    if (typeof listener !== 'function') throw new TypeError('subscribe(name, listener): listener must be a function');
    listen();
    const remove = registry.add(name, listener);
    return () => remove();
  },
};

contextBridge.exposeInMainWorld('dutyConsole', dutyConsole);

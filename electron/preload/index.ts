/**
 * The renderer's only door to the core: `invoke(name, input)` and `subscribe(name, cb)`.
 * Neither ipcRenderer nor the IPC event object ever reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, ListenerRegistry, type Envelope, type Transport } from '@shared';

const registry = new ListenerRegistry();
let listening = false;

const bridge: Transport = {
  invoke(name: string, input: unknown): Promise<Envelope> {
    if (typeof name !== 'string') return Promise.reject(new TypeError('command name must be a string'));
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, input) as Promise<Envelope>;
  },
  subscribe(name: string, listener: (payload: unknown) => void): () => void {
    if (typeof name !== 'string' || typeof listener !== 'function') throw new TypeError('subscribe(name, listener)');
    if (!listening) {
      listening = true;
      ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, eventName: string, payload: unknown) => registry.emit(eventName, payload));
    }
    return registry.add(name, listener);
  },
};

contextBridge.exposeInMainWorld('dutyConsole', bridge);

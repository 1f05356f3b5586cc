/**
 * The Electron shell: app lifecycle, windows, and the IPC wiring to the core. Everything testable
 * lives in the core (electron/core), which the Node host runs too.
 */
import path from 'node:path';
import { BrowserWindow, app, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type Envelope, type ErrorBody } from '@shared';
import { openCore, type Core, type CoreConnection } from '../core';
import { createLogger, type Logger } from '../core/log';
import { electronNativeBinding } from './native';
import { chooseSecretBox } from './secret-box';
import { isTrustedSender, type AppOrigin } from './origin';
import { hardenSession } from './security';
import { PRODUCT_NAME, consoleWindows, createConsoleWindow, focusAnyWindow, installMenu, isConsoleWindow, type WindowOptions } from './windows';

// out/main/index.js → the checkout (dev) or app.asar (packaged).
const appRoot = path.resolve(__dirname, '../..');
const origin: AppOrigin = {
  rendererDir: path.join(__dirname, '../renderer'),
  // Only `electron-vite dev` sets this; a packaged app never loads a URL from the environment.
  devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined,
  devTools: !app.isPackaged,
  // Set in start(), once the core's video endpoint listens (the request filter reads it).
  videoEndpoint: undefined,
};
const windowOptions: WindowOptions = {
  ...origin,
  devTools: origin.devTools === true,
  preload: path.join(__dirname, '../preload/index.cjs'),
};

let core: Core | undefined;
/** One log for shell and core (<userData>/logs, JSON lines, rotated, secrets redacted); warnings also reach the terminal. */
let log: Logger | undefined;
/** start() has hardened the session and registered the IPC handler: windows may open. */
let serving = false;

const failure = (code: ErrorBody['code'], message: string): Envelope => ({ ok: false, error: { code, message } });

/** Only the main frame of one of our windows, showing our own renderer, may call the core. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  return isTrustedSender(
    event.senderFrame,
    {
      ownWindow: isConsoleWindow(BrowserWindow.fromWebContents(event.sender)),
      mainFrameTreeNodeId: event.sender.mainFrame.frameTreeNodeId,
    },
    origin,
  );
}

function fatal(title: string, message: string): void {
  dialog.showErrorBox(`${PRODUCT_NAME} — ${title}`, message);
  app.exit(1);
}

async function start(): Promise<void> {
  const native = electronNativeBinding({ packaged: app.isPackaged, appRoot, electronVersion: process.versions.electron });
  if (!native.ok) return fatal('无法启动 / Cannot start', native.message);
  // Asks once when there is no OS keychain (Linux without a keyring): see secret-store.ts.
  const secretBox = await chooseSecretBox(app.getPath('userData'));
  log = createLogger({ dataDir: app.getPath('userData'), name: 'console' });
  const shellLog = log.child({ domain: 'shell' });
  shellLog.info('shell started', { electron: process.versions.electron, packaged: app.isPackaged });
  try {
    core = openCore({
      logger: log,
      dataDir: app.getPath('userData'),
      host: 'electron',
      version: app.getVersion(),
      nativeBinding: native.path,
      demo: process.argv.includes('--demo'),
      demoCity: process.argv.includes('--demo'),
      secretBox,
      jobWorker: path.join(__dirname, 'job-worker.js'),
    });
  } catch (error) {
    // e.g. a database written by a newer version: the core refuses it and leaves it untouched.
    shellLog.error('the database could not be opened', { err: error });
    return fatal('无法打开数据库 / Cannot open the database', error instanceof Error ? error.message : String(error));
  }
  const opened = core;

  // The video endpoint listens on a loopback port chosen now; the request filter lets the
  // renderer's camera streams reach exactly that one (the renderer asks for the same endpoint).
  const video = await opened.dispatch('video.endpoint', {});
  if (video.ok) origin.videoEndpoint = (video.value as { url: string }).url;
  else shellLog.error('the video endpoint did not start; the video wall stays dark', { error: video.error });
  if (core !== opened) return; // the app quit meanwhile
  hardenSession(origin);
  // One core connection per window (webContents): each window logs in on its own, so the analysis
  // monitor can run under the analyst while the operator works the main window.
  const connections = new Map<number, CoreConnection>();
  const connectionOf = (contents: WebContents): CoreConnection => {
    let connection = connections.get(contents.id);
    if (!connection) {
      const made = opened.connect(`ipc ${contents.id}`);
      connection = made;
      connections.set(contents.id, made);
      made.onEvent((name, payload) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, name, payload);
      });
      contents.once('destroyed', () => {
        made.close();
        connections.delete(contents.id);
      });
    }
    return connection;
  };
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, input: unknown): Promise<Envelope> => {
    if (!trustedSender(event)) return failure('forbidden', 'caller is not a console window');
    if (typeof name !== 'string') return failure('validation', 'command name must be a string');
    try {
      return await connectionOf(event.sender).dispatch(name, input);
    } catch (error) {
      // dispatch never throws by contract; keep the renderer's promise settled if it ever does.
      shellLog.error('dispatch threw', { command: name, err: error });
      return failure('internal', 'internal error');
    }
  });

  installMenu(windowOptions);
  serving = true;
  createConsoleWindow(windowOptions);
}

// `--user-data-dir=DIR` (tests, a second profile on one machine) moves the store, and the
// single-instance lock, with it: set before the lock is taken.
const userDataDir = app.commandLine.getSwitchValue('user-data-dir');
if (userDataDir) app.setPath('userData', path.resolve(userDataDir));

if (!app.requestSingleInstanceLock()) {
  // Another console is running on this profile: it gets focus (below), this one leaves.
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', () => {
    if (!focusAnyWindow() && serving) createConsoleWindow(windowOptions);
  });
  // Belt and braces for any webContents we did not create ourselves.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (serving && consoleWindows().size === 0) createConsoleWindow(windowOptions);
  });
  app.on('will-quit', () => {
    serving = false;
    core?.close();
    core = undefined;
    log?.close();
    log = undefined;
  });
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => fatal('无法启动 / Cannot start', error instanceof Error ? error.message : String(error)));
}

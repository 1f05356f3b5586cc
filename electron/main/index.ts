/**
 * The Electron shell: windows, IPC wiring and app lifecycle. Everything else lives in the core
 * (electron/core), which the Node host runs too.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { BrowserWindow, Menu, app, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ContractError, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type Envelope } from '@shared';
import { openCore, type Core } from '../core';
import { hardenSession, isAppUrl, lockNavigation } from './security';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = path.join(__dirname, '../renderer');
const windows = new Set<BrowserWindow>();
let core: Core | undefined;

/** In a dev checkout the main process loads the Electron-ABI build made by scripts/electron-native.mjs. */
function nativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const file = path.join(app.getAppPath(), '.cache', 'electron-native', process.versions.electron, 'better_sqlite3.node');
  return fs.existsSync(file) ? file : undefined;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1600,
    height: 960,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    title: '综治中心值班台',
    backgroundColor: '#101113',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  lockNavigation(win.webContents, rendererDir, devServerUrl);
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(path.join(rendererDir, 'index.html'));
  return win;
}

/** Only the main frame of one of our windows, showing our own page, may call the core. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const win = BrowserWindow.fromWebContents(event.sender);
  return !!frame && !!win && windows.has(win) && frame === event.sender.mainFrame && isAppUrl(frame.url, rendererDir, devServerUrl);
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: '窗口 Window',
        submenu: [
          { label: '新窗口 New window', accelerator: 'CmdOrCtrl+Shift+N', click: () => createWindow() },
          { role: 'togglefullscreen' },
          { role: 'reload' },
          { role: 'toggleDevTools' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
    ]),
  );
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [first] = windows;
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });

  void app.whenReady().then(() => {
    try {
      core = openCore({
        dataDir: app.getPath('userData'),
        host: 'electron',
        operator: os.userInfo().username,
        version: app.getVersion(),
        nativeBinding: nativeBinding(),
        demo: process.argv.includes('--demo'),
      });
    } catch (error) {
      dialog.showErrorBox('综治中心值班台 — cannot open the store', error instanceof Error ? error.message : String(error));
      app.exit(1);
      return;
    }
    const opened = core;
    hardenSession(rendererDir, devServerUrl);
    ipcMain.handle(IPC_INVOKE_CHANNEL, (event, name: unknown, input: unknown): Promise<Envelope> | Envelope => {
      if (!trustedSender(event)) return { ok: false, error: ContractError.forbidden('caller is not a console window').toBody() };
      return opened.dispatch(typeof name === 'string' ? name : String(name), input);
    });
    opened.onEvent((name, payload) => {
      for (const win of windows) if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
    });
    buildMenu();
    createWindow();
    app.on('activate', () => {
      if (windows.size === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => core?.close());
}

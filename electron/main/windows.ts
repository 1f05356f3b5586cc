/**
 * Console windows: sandboxed, dark, locked to our renderer. The analysis staff keep a second
 * window on a second monitor, so "新窗口 / New window" (Ctrl+Shift+N) opens one there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, screen, type MenuItemConstructorOptions, type Rectangle } from 'electron';
import type { AppOrigin } from './origin';
import { lockNavigation } from './security';
import { chooseAnalysisPlacement, isAnalysisRequest, parseRemembered } from './analysis-window';

export const PRODUCT_NAME = '综治中心值班台';
const BACKGROUND = '#101113';

export interface WindowOptions extends AppOrigin {
  /** out/preload/index.cjs */
  preload: string;
  /** Offer reload / devtools in the menu (dev checkouts only). */
  devTools: boolean;
}

const windows = new Set<BrowserWindow>();

export function consoleWindows(): ReadonlySet<BrowserWindow> {
  return windows;
}

/** Is this webContents one of our console windows (not devtools, not anything else)? */
export function isConsoleWindow(win: BrowserWindow | null): win is BrowserWindow {
  return !!win && windows.has(win) && !win.isDestroyed();
}

/** A window-sized area on the display the new window should open on. */
function placement(): Rectangle {
  const displays = screen.getAllDisplays();
  const focused = BrowserWindow.getFocusedWindow();
  const current = focused ? screen.getDisplayMatching(focused.getBounds()) : screen.getPrimaryDisplay();
  // The second window goes to another monitor when there is one.
  const target = windows.size > 0 ? (displays.find((d) => d.id !== current.id) ?? current) : screen.getPrimaryDisplay();
  const area = target.workArea;
  const width = Math.min(1600, area.width);
  const height = Math.min(960, area.height);
  const offset = windows.size > 0 && target.id === current.id ? 32 * Math.min(windows.size, 8) : 0;
  return {
    x: area.x + Math.max(0, Math.round((area.width - width) / 2)) + offset,
    y: area.y + Math.max(0, Math.round((area.height - height) / 2)) + offset,
    width,
    height,
  };
}

export function createConsoleWindow(options: WindowOptions, page: { bounds?: Rectangle; search?: string } = {}): BrowserWindow {
  const win = new BrowserWindow({
    ...(page.bounds ?? placement()),
    minWidth: 1100,
    minHeight: 700,
    show: false,
    title: PRODUCT_NAME,
    backgroundColor: BACKGROUND,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  // Never leave an invisible window behind if the page fails to paint (missing build, crash).
  const fallback = setTimeout(() => {
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  }, 8_000);
  win.once('show', () => clearTimeout(fallback));
  win.once('closed', () => clearTimeout(fallback));
  // The window title always names the product, whatever the page calls itself.
  win.on('page-title-updated', (event, title) => {
    if (title.includes(PRODUCT_NAME)) return;
    event.preventDefault();
    win.setTitle(title ? `${title} — ${PRODUCT_NAME}` : PRODUCT_NAME);
  });
  lockNavigation(win.webContents, options);
  // The header's 研判工作台 button: window.open() of our own page with ?view=analysis opens the
  // workspace's window (denied as a popup either way; nothing else may open).
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAnalysisRequest(url, options)) openAnalysisWindow(options);
    return { action: 'deny' };
  });
  if (options.devServerUrl) {
    const url = new URL(options.devServerUrl);
    if (page.search) url.search = page.search;
    void win.loadURL(url.toString());
  } else void win.loadFile(path.join(options.rendererDir, 'index.html'), page.search ? { search: page.search } : {});
  return win;
}

let analysisWindow: BrowserWindow | null = null;
const analysisPlacementFile = () => path.join(app.getPath('userData'), 'analysis-window.json');

/**
 * The analysis workspace (研判分析): one window, on the second display when there is one, and where
 * it was last time (electron/main/analysis-window.ts decides; this only applies it).
 */
export function openAnalysisWindow(options: WindowOptions): BrowserWindow {
  if (analysisWindow && !analysisWindow.isDestroyed()) {
    analysisWindow.show();
    analysisWindow.focus();
    return analysisWindow;
  }
  let remembered = null;
  try {
    remembered = parseRemembered(fs.readFileSync(analysisPlacementFile(), 'utf8'));
  } catch {
    // First time: nothing remembered.
  }
  const focused = BrowserWindow.getFocusedWindow();
  const operator = focused ? screen.getDisplayMatching(focused.getBounds()) : screen.getPrimaryDisplay();
  const displays = screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea }));
  const placed = chooseAnalysisPlacement(displays, operator.id, remembered);
  const win = createConsoleWindow(options, { bounds: placed.bounds, search: 'view=analysis' });
  if (placed.maximize) win.maximize();
  const remember = () => {
    if (win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    const display = screen.getDisplayMatching(bounds);
    try {
      fs.writeFileSync(analysisPlacementFile(), JSON.stringify({ displayId: display.id, bounds }));
    } catch (error) {
      console.warn('[analysis] could not remember the window placement', error);
    }
  };
  win.on('close', remember);
  win.on('closed', () => {
    if (analysisWindow === win) analysisWindow = null;
  });
  analysisWindow = win;
  return win;
}

/** The focused console window, else the first one. */
export function focusAnyWindow(): boolean {
  const [first] = windows;
  if (!first) return false;
  if (first.isMinimized()) first.restore();
  first.show();
  first.focus();
  return true;
}

export function installMenu(options: WindowOptions): void {
  const windowMenu: MenuItemConstructorOptions[] = [
    { label: '全屏 / Full screen', role: 'togglefullscreen' },
    { label: '最小化 / Minimize', role: 'minimize' },
    { label: '关闭窗口 / Close window', role: 'close' },
  ];
  if (options.devTools) {
    windowMenu.push({ type: 'separator' }, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' });
  }
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '文件 / File',
      submenu: [
        { label: '新窗口 / New window', accelerator: 'CmdOrCtrl+Shift+N', click: () => createConsoleWindow(options) },
        { label: '研判分析 / Analysis workspace', accelerator: 'CmdOrCtrl+Shift+A', click: () => openAnalysisWindow(options) },
        { type: 'separator' },
        { label: '退出 / Quit', role: 'quit' },
      ],
    },
    { label: '编辑 / Edit', role: 'editMenu' },
    { label: '视图 / View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }] },
    { label: '窗口 / Window', submenu: windowMenu },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

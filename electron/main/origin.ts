/**
 * Which URLs and callers belong to the app. Pure functions (no electron import), so the rules the
 * shell's security rests on are unit-tested: electron/main/origin.test.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The renderer's policy; renderer/index.html carries the same one as a meta tag (file:// has no headers). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "media-src 'self' blob:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; font-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; frame-src 'none'";

/**
 * Dev server only: @vitejs/plugin-react injects an inline React Refresh preamble, which
 * `script-src 'self'` would block (every component then throws "can't detect preamble").
 * electron.vite.config.ts relaxes the meta tag the same way, for `electron-vite dev` only.
 */
export const DEV_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

export interface AppOrigin {
  /** Absolute path of the built renderer (out/renderer). */
  rendererDir: string;
  /** `process.env.ELECTRON_RENDERER_URL` under `electron-vite dev`, else undefined. */
  devServerUrl: string | undefined;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The dev server's page (http/https) or its HMR socket (ws/wss): same host and port. */
export function isDevServerUrl(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  const dev = origin.devServerUrl ? parse(origin.devServerUrl) : undefined;
  if (!parsed || !dev) return false;
  return parsed.protocol.replace(/^ws/, 'http') === dev.protocol && parsed.host === dev.host;
}

/** A file inside the built renderer directory (not the directory itself, nothing beside it). */
export function isRendererFile(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
  try {
    const relative = path.relative(path.resolve(origin.rendererDir), path.resolve(fileURLToPath(parsed)));
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  } catch {
    return false;
  }
}

/** Is this URL part of the app itself: a file of the built renderer, or the dev server? */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  return isRendererFile(url, origin) || isDevServerUrl(url, origin);
}

/** May the session load this at all? Our renderer, the dev server, devtools, and in-page data/blob URLs. */
export function isAllowedRequest(url: string, origin: AppOrigin): boolean {
  const protocol = parse(url)?.protocol;
  if (protocol === 'devtools:' || protocol === 'data:' || protocol === 'blob:') return true;
  return isAppUrl(url, origin);
}

/** Permission checks name an origin, not a URL: file:// pages report "file://"; the dev server its origin. */
export function isAppPermissionOrigin(requestingOrigin: string, origin: AppOrigin): boolean {
  if (requestingOrigin === 'file://' || requestingOrigin === 'file:///') return !origin.devServerUrl;
  return isDevServerUrl(requestingOrigin, origin);
}

const withoutHash = (url: string) => url.split('#', 1)[0] ?? url;

/** `will-navigate` is allowed only to reload the page the window already shows. */
export function isAllowedNavigation(url: string, currentUrl: string, origin: AppOrigin): boolean {
  return withoutHash(url) === withoutHash(currentUrl) && isAppUrl(url, origin);
}

/** The parts of an IPC sender frame the check needs (Electron's WebFrameMain has them all). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
  readonly detached: boolean;
  readonly frameTreeNodeId: number;
}

/**
 * Only the main frame of one of our console windows, showing our own renderer, may call the core:
 * not an iframe, not a frame that navigated away, not devtools or any other webContents.
 */
export function isTrustedSender(
  frame: SenderFrame | null,
  sender: { ownWindow: boolean; mainFrameTreeNodeId: number },
  origin: AppOrigin,
): boolean {
  if (!frame || frame.detached || frame.parent !== null) return false;
  if (!sender.ownWindow || frame.frameTreeNodeId !== sender.mainFrameTreeNodeId) return false;
  return isAppUrl(frame.url, origin);
}

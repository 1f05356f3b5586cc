/**
 * Which URLs and callers belong to the app. Pure functions (no electron import), so the rules the
 * shell's security rests on are unit-tested: electron/main/origin.test.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VIDEO_PATH, contentSecurityPolicy, parseBasemapTileUrl } from '@shared';

/** The built renderer's policy (shared/web/csp.ts); the build writes the same one into index.html's meta tag. */
export const CSP = contentSecurityPolicy('app');

/** The dev server's page: the same policy with inline scripts (React Refresh's preamble) allowed. */
export const DEV_CSP = contentSecurityPolicy('dev-server');

export interface AppOrigin {
  /** Absolute path of the built renderer (out/renderer). */
  rendererDir: string;
  /** `process.env.ELECTRON_RENDERER_URL` under `electron-vite dev`, else undefined. */
  devServerUrl: string | undefined;
  /**
   * The core's live-video endpoint (`video.endpoint`: ws://127.0.0.1:port/video?token=…), once it
   * listens; the renderer's camera streams go there and nowhere else.
   */
  videoEndpoint?: string | undefined;
  /** Devtools may load (a dev checkout; packaged apps have none). */
  devTools?: boolean;
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

/**
 * A camera stream of the core's video endpoint: ws, the endpoint's loopback host and its port, its
 * path. The query (token, camera, profile) is the video server's to check, not the filter's.
 */
export function isVideoStreamUrl(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  const endpoint = origin.videoEndpoint ? parse(origin.videoEndpoint) : undefined;
  if (!parsed || !endpoint || parsed.protocol !== 'ws:' || endpoint.protocol !== 'ws:') return false;
  if (parsed.username || parsed.password) return false;
  return parsed.host === endpoint.host && parsed.pathname === VIDEO_PATH && endpoint.pathname === VIDEO_PATH;
}

/**
 * May the session load this at all? Exactly what the renderer opens (renderer-urls.test.ts lists
 * each kind from the code that opens it): files of our renderer, the dev server, camera streams
 * from the core's video endpoint, basemap tiles (MapLibre hands `basemap://` to MapView's handler,
 * which asks the core over the contract), and in-page data: and blob: URLs; devtools in a dev
 * checkout.
 */
export function isAllowedRequest(url: string, origin: AppOrigin): boolean {
  const protocol = parse(url)?.protocol;
  if (protocol === 'data:' || protocol === 'blob:') return true;
  if (protocol === 'devtools:') return origin.devTools === true;
  if (protocol === 'basemap:') return parseBasemapTileUrl(url) !== null;
  return isAppUrl(url, origin) || isVideoStreamUrl(url, origin);
}

/** The policy the shell sends with a response: the dev server's page gets the dev variant. */
export function responsePolicy(url: string, origin: AppOrigin): string {
  return isDevServerUrl(url, origin) ? DEV_CSP : CSP;
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

import { session, type WebContents } from 'electron';

/** Same policy as the Node host's static server (electron/core/transport/ws-server.ts). */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; " +
  "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-src 'none'";

/** Is this URL part of the app itself (the built renderer on file://, or the dev server)? */
export function isAppUrl(url: string, rendererDir: string, devServerUrl: string | undefined): boolean {
  try {
    const parsed = new URL(url);
    if (devServerUrl && parsed.origin === new URL(devServerUrl).origin) return true;
    if (parsed.protocol !== 'file:') return false;
    return decodeURIComponent(parsed.pathname).startsWith(rendererDir.replace(/\\/g, '/').replace(/^([A-Za-z]:)/, '/$1'));
  } catch {
    return false;
  }
}

/** No remote content, no permissions, our CSP on every response. */
export function hardenSession(rendererDir: string, devServerUrl: string | undefined): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const url = details.url;
    const allowed =
      url.startsWith('devtools://') ||
      url.startsWith('data:') ||
      url.startsWith('blob:') ||
      isAppUrl(url, rendererDir, devServerUrl) ||
      (devServerUrl !== undefined && url.startsWith(devServerUrl.replace(/^http/, 'ws')));
    callback({ cancel: !allowed });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    const dev = devServerUrl ? ` ${new URL(devServerUrl).origin} ${devServerUrl.replace(/^http/, 'ws')}` : '';
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [dev ? CSP.replace("connect-src 'self'", `connect-src 'self'${dev}`) : CSP],
      },
    });
  });
}

/** Navigation away from the app and new windows are refused. */
export function lockNavigation(contents: WebContents, rendererDir: string, devServerUrl: string | undefined): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererDir, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * What a console window may load, navigate to and ask for: only our own renderer (file:// of
 * out/renderer, or the electron-vite dev server), the core's video endpoint, no remote content,
 * no permissions. The decisions themselves are pure functions in ./origin (unit-tested; the kinds
 * of URL the renderer opens are listed from its code by renderer-urls.test.ts).
 */
import { session, type WebContents } from 'electron';
import { isAllowedNavigation, isAllowedRequest, isAppPermissionOrigin, isAppUrl, responsePolicy, type AppOrigin } from './origin';

const short = (url: string) => (url.length > 200 ? `${url.slice(0, 200)}…` : url);

/** Deny every permission, cancel every request that is not ours, put our CSP on every response. */
export function hardenSession(origin: AppOrigin): void {
  const ses = session.defaultSession;
  // Everything is refused (camera, microphone, notifications, geolocation, fullscreen API, …)
  // except writing to the clipboard from our own page ("copy incident code" buttons).
  ses.setPermissionRequestHandler((contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write' && isAppUrl(contents.getURL(), origin)),
  );
  ses.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      permission === 'clipboard-sanitized-write' && isAppPermissionOrigin(requestingOrigin, origin),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, origin);
    if (!allowed) console.warn(`[security] blocked request: ${short(details.url)}`);
    callback({ cancel: !allowed });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    // Only http(s) responses come through here: none in a built app (file://), the dev server's
    // under `electron-vite dev`. A WebSocket handshake (the video endpoint, the dev server's HMR)
    // is left as it is: a policy means nothing there.
    if (details.resourceType === 'webSocket') return callback({});
    const policy = responsePolicy(details.url, origin);
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
}

/** A window stays on its page: no navigation elsewhere, no popups, no webviews. */
export function lockNavigation(contents: WebContents, origin: AppOrigin): void {
  contents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url, contents.getURL(), origin)) return;
    console.warn(`[security] blocked navigation: ${short(url)}`);
    event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

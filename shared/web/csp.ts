/**
 * The renderer's Content-Security-Policy, written once. The build puts it into renderer/index.html's
 * meta tag (electron.vite.config.ts, `cspMeta`), and the Electron shell sends the same policy as a
 * response header (electron/main/security.ts); electron/main/csp.test.ts checks both are this one.
 *
 * What the page may open (the kinds electron/main/renderer-urls.test.ts finds in the renderer):
 * - its own files ('self': file:// in Electron, the Node host's origin in a browser, whose contract
 *   socket ws(s)://same-host is 'self' too);
 * - the core's video endpoint, ws://127.0.0.1 on a port chosen at run time — so any loopback port
 *   here; the shell's request filter narrows it to the one port the core listens on;
 * - pictures and video the page makes itself (data:, blob:).
 * Nothing remote; no plugins, frames, or <base>.
 */

export type CspMode =
  /** The built renderer (file:// in Electron, the Node host). */
  | 'app'
  /**
   * `electron-vite dev` only: @vitejs/plugin-react injects an inline React Refresh preamble that
   * `script-src 'self'` would block ("can't detect preamble").
   */
  | 'dev-server';

/** Loopback only, and only 127.0.0.1: the video endpoint binds it (electron/core/net LOOPBACK_HOST). */
export const VIDEO_CONNECT_SOURCE = 'ws://127.0.0.1:*';

export function cspDirectives(mode: CspMode): Readonly<Record<string, readonly string[]>> {
  return {
    'default-src': ["'self'"],
    'script-src': mode === 'dev-server' ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    // Mantine and MapLibre set inline styles.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    // The video wall: MediaSource through a blob: URL.
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", VIDEO_CONNECT_SOURCE],
    // MapLibre's worker is a file of the build (setWorkerUrl), never a blob.
    'worker-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-src': ["'none'"],
    'form-action': ["'none'"],
  };
}

/** The policy as a header / meta value. */
export function contentSecurityPolicy(mode: CspMode): string {
  return Object.entries(cspDirectives(mode))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** The placeholder renderer/index.html carries where the build writes the policy. */
export const CSP_PLACEHOLDER = '%DUTY_CONSOLE_CSP%';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * index.html with the policy written into its meta tag. Throws when the page has no placeholder, or
 * more than one, or another CSP meta tag: the build must never ship a page with a stale policy.
 */
export function withCspMeta(html: string, mode: CspMode): string {
  const parts = html.split(CSP_PLACEHOLDER);
  if (parts.length !== 2) throw new Error(`index.html must carry ${CSP_PLACEHOLDER} exactly once (found ${parts.length - 1})`);
  const metas = html.match(/<meta\b[^>]*http-equiv\s*=\s*["']?Content-Security-Policy[^>]*>/gi) ?? [];
  if (metas.length !== 1 || !metas[0]!.includes(CSP_PLACEHOLDER)) {
    throw new Error('index.html must have exactly one Content-Security-Policy meta tag, the one with the placeholder');
  }
  return parts.join(escapeAttribute(contentSecurityPolicy(mode)));
}

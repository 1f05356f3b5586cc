/**
 * Who may talk to the console's local servers (the contract's WebSocket + static server and the
 * live-video endpoint): one set of rules, so the two servers cannot drift apart.
 */

/** The console is a local tool: its servers bind loopback unless the operator asks otherwise. */
export const LOOPBACK_HOST = '127.0.0.1';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * DNS rebinding: a site whose name resolves to 127.0.0.1 would pass the origin check (its Origin
 * and Host agree), so the Host header itself must name this machine: a loopback name, or the
 * address the host was bound to. Bound to every interface (`--host 0.0.0.0`), any name is accepted:
 * the operator chose to expose the console.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (WILDCARD_BINDS.has(boundHost)) return true;
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  return LOOPBACK_NAMES.has(hostname) || hostname === bound.toLowerCase();
}

/**
 * A browser page from another site must not drive the console: only our own origin may open a
 * socket. No Origin header: not a browser (tests, tools on this machine).
 */
export function originAllowed(originHeader: string | undefined, hostHeader: string | undefined): boolean {
  if (!originHeader) return true;
  return originHeader === `http://${hostHeader}` || originHeader === `https://${hostHeader}`;
}

/** A loopback bind: anything else needs TLS (logins would otherwise cross the network in clear). */
export function isLoopbackBind(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

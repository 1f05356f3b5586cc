import type { LinkProblem } from '@shared';

export interface BackoffPolicy {
  /** First delay, ms. */
  baseMs: number;
  /** Largest delay, ms. */
  capMs: number;
}

/**
 * Unreachable broker: 1 s, 2 s, 4 s … up to a minute. Refused (wrong password, bad certificate):
 * retrying will not fix it until someone changes a setting, so 30 s up to 15 min — a town full of
 * misconfigured consoles must not hammer the city's broker.
 */
export const DEFAULT_BACKOFF: Record<'down' | 'refused', BackoffPolicy> = {
  down: { baseMs: 1_000, capMs: 60_000 },
  refused: { baseMs: 30_000, capMs: 15 * 60_000 },
};

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so many towns that lost
 * the link together (a cut cable) do not all come back in the same second. `attempt` counts from 0.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** CONNACK codes that mean "your credentials": MQTT 5 (134 bad user/password, 135 not authorized, 133/140 client id / auth method) and 3.1.1 (4, 5). */
const AUTH_CONNACK = new Set([4, 5, 133, 134, 135, 140]);

/**
 * What a connection failure means for the operator and for the retry policy. `refused` problems
 * (auth, tls, protocol) wait long; `network` ones retry soon.
 */
export function classifyLinkError(error: unknown): { problem: LinkProblem; detail: string; refused: boolean } {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; reason?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.code === 'number') {
    if (AUTH_CONNACK.has(e.code)) return { problem: 'auth', detail: `CONNACK ${e.code}`, refused: true };
    return { problem: 'protocol', detail: `CONNACK ${e.code}`, refused: true };
  }
  const code = typeof e.code === 'string' ? e.code : '';
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|ssl|tls/i.test(message)) {
    return { problem: 'tls', detail: code || message.slice(0, 200), refused: true };
  }
  if (/not authori[sz]ed|bad user ?name or password/i.test(message)) return { problem: 'auth', detail: message.slice(0, 200), refused: true };
  return { problem: 'network', detail: code || message.slice(0, 200), refused: false };
}

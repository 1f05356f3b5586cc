/**
 * Secrets never reach a log line: user:password in any URL (camera RTSP/ONVIF addresses), tokens and
 * passwords in query strings, Authorization headers, and any field whose name says it holds one.
 */

// `sealed`: a secret the store keeps sealed (uplink passwordSealed/keySealed) — its ciphertext is not for a zip either.
const SECRET_KEY = /pass(?:word|wd)?|secret|token|authorization|cookie|credential|api[-_]?key|private[-_]?key|sealed|^key$/i;
const MASK = '***';

/** Scrubs secrets out of free text (a message, an error, a whole JSON line). */
export function redactText(text: string): string {
  return (
    text
      // scheme://user:password@host → scheme://user:***@host; scheme://token@host → scheme://***@host
      .replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s"'?#]*)@/gi, (_m, scheme: string, userinfo: string) => {
        const colon = userinfo.indexOf(':');
        return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK}@`;
      })
      // ?token=…&password=… in URLs and form bodies
      .replace(/([?&;](?:[\w-]*(?:token|password|passwd|secret|key|signature|sig))=)[^&\s"'#]*/gi, `$1${MASK}`)
      // Authorization: Bearer …, Basic …, Digest …
      .replace(/\b(Bearer|Basic|Digest)\s+[^\s"',]+/g, `$1 ${MASK}`)
      // "password":"…" in JSON someone logged as text
      .replace(/("(?:[\w-]*(?:password|passwd|secret|token|authorization|cookie|credential)[\w-]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${MASK}"`)
  );
}

/** A copy of a value to log with secret-named fields masked and every string scrubbed. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    // A ContractError keeps its code and reason (what a support person searches for).
    const { code, reason } = value as Error & { code?: unknown; reason?: unknown };
    return {
      type: value.name,
      message: redactText(value.message),
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof reason === 'string' ? { reason } : {}),
      stack: value.stack ? redactText(value.stack) : undefined,
    };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY.test(key) && v !== null && v !== undefined && v !== '' ? MASK : redactValue(v, depth + 1);
  return out;
}

/**
 * Looks at a WebSocket frame before JSON.parse: a 15 MB frame of 1.3M unknown keys took the host
 * 2.7 s to parse and validate (and was echoed back whole in the error). One pass over the bytes
 * counts the object keys and the nesting outside strings and stops at the first limit passed, so
 * such a frame is refused after reading its first few kB. A real command has tens of keys; a grid
 * import carries its GeoJSON as one string, whose inside the scan jumps over quote to quote.
 */
export const MAX_FRAME_KEYS = 10_000;
export const MAX_FRAME_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

export type FrameShape = { ok: true } | { ok: false; why: 'keys' | 'depth' | 'string' };

export function checkFrameShape(data: Buffer, maxKeys = MAX_FRAME_KEYS, maxDepth = MAX_FRAME_DEPTH): FrameShape {
  let keys = 0;
  let depth = 0;
  let i = 0;
  const n = data.length;
  while (i < n) {
    const byte = data[i]!;
    if (byte === QUOTE) {
      // Jump to the closing quote: the first one not escaped by an odd run of backslashes.
      let end = i;
      for (;;) {
        end = data.indexOf(QUOTE, end + 1);
        if (end < 0) return { ok: false, why: 'string' };
        let slashes = 0;
        for (let j = end - 1; data[j] === BACKSLASH; j--) slashes++;
        if (slashes % 2 === 0) break;
      }
      i = end + 1;
      continue;
    }
    if (byte === COLON && ++keys > maxKeys) return { ok: false, why: 'keys' };
    if ((byte === OPEN_OBJECT || byte === OPEN_ARRAY) && ++depth > maxDepth) return { ok: false, why: 'depth' };
    if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
    i++;
  }
  return { ok: true };
}

/**
 * One SOAP exchange with a camera over a raw socket, read the way real devices answer rather than
 * the way HTTP says they should: a Content-Length that counts characters instead of bytes (a
 * preset named in Chinese makes it short), chunked replies, replies with no length that end when
 * the connection closes. Node's HTTP parser rejects or truncates all of these; here the reply is
 * complete when the connection closes, the chunked body ends, or the SOAP envelope is closed —
 * whichever comes first — and a length header is only a hint.
 *
 * Every exchange holds one slot of a shared `RequestGate`, so the number of sockets to cameras in
 * flight never exceeds its limit, however many cameras there are.
 */
import net from 'node:net';
import tls from 'node:tls';
import { CameraCallError } from './driver';

export interface SoapRequest {
  host: string;
  port: number;
  secure: boolean;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface SoapReply {
  status: number;
  statusText: string;
  /** Name, value, name, value… as received (WWW-Authenticate may come twice). */
  rawHeaders: string[];
  body: Buffer;
}

/** At most `limit` exchanges at once; the rest wait in order. Counts what it let through. */
export class RequestGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most exchanges ever in flight at once (the bench checks it against the limit). */
  maxInFlight = 0;
  total = 0;

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    this.total += 1;
    if (this.active > this.maxInFlight) this.maxInFlight = this.active;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Unbounded: for a driver made without a gate (tests of one camera). */
export const UNGATED = new RequestGate(Number.POSITIVE_INFINITY);

/** Replies are small XML; a camera sending more than this is not answering SOAP. */
const MAX_REPLY_BYTES = 4 * 1024 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/** The SOAP envelope's end tag, any prefix, at the end of what came (trailing whitespace allowed). */
const ENVELOPE_END = /<\/(?:[\w.-]+:)?Envelope\s*>\s*$/;

interface Parsed {
  status: number;
  statusText: string;
  rawHeaders: string[];
  headerLength: number;
}

function parseHead(head: string): Parsed | null {
  const lines = head.split(/\r?\n/);
  const statusLine = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(lines[0] ?? '');
  if (!statusLine) return null;
  const rawHeaders: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) rawHeaders.push(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine[1]), statusText: statusLine[2] ?? '', rawHeaders, headerLength: 0 };
}

const header = (raw: string[], name: string): string | undefined => {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1];
  return undefined;
};

/**
 * Decodes a chunked body as far as it goes; `done` once the last (zero) chunk came. Tolerates chunk
 * extensions and a missing final CRLF.
 */
export function dechunk(data: Buffer): { body: Buffer; done: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return { body: Buffer.concat(parts), done: false };
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), done: true }; // garbage: take what came
    if (size === 0) return { body: Buffer.concat(parts), done: true };
    const start = lineEnd + 2;
    if (data.length < start + size) return { body: Buffer.concat([...parts, data.subarray(start)]), done: false };
    parts.push(data.subarray(start, start + size));
    at = start + size;
    if (data.subarray(at, at + 2).toString('latin1') === '\r\n') at += 2;
  }
}

/**
 * Whether what arrived so far is the whole reply. A length header counts only when what it
 * covers is not a SOAP envelope still open (a device that counted characters sent more bytes).
 */
export function replyComplete(head: Parsed, body: Buffer): { complete: boolean; body: Buffer } {
  const encoding = header(head.rawHeaders, 'transfer-encoding');
  if (encoding && /chunked/i.test(encoding)) {
    const { body: decoded, done } = dechunk(body);
    return { complete: done, body: decoded };
  }
  const text = body.toString('utf8');
  if (ENVELOPE_END.test(text)) return { complete: true, body };
  const length = Number(header(head.rawHeaders, 'content-length'));
  const looksLikeSoap = /<(?:[\w.-]+:)?Envelope[\s>]/.test(text);
  if (Number.isFinite(length) && body.length >= length && !looksLikeSoap) return { complete: true, body };
  if (head.status === 204 || head.status === 304) return { complete: true, body };
  return { complete: false, body };
}

/** Sends one request (HTTP/1.1, `Connection: close`) and reads the reply leniently. */
export function soapExchange(request: SoapRequest): Promise<SoapReply> {
  return new Promise((resolve, reject) => {
    const socket = request.secure
      ? tls.connect({ host: request.host, port: request.port, servername: net.isIP(request.host) ? undefined : request.host, rejectUnauthorized: false })
      : net.connect({ host: request.host, port: request.port });
    let settled = false;
    let data = Buffer.alloc(0);
    let head: Parsed | null = null;
    const finish = (error: Error | null, reply?: SoapReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new CameraCallError('no_answer', `no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
    const tryComplete = (closed: boolean) => {
      if (!head) {
        const end = data.indexOf(HEADER_END);
        if (end < 0) {
          if (closed) finish(new CameraCallError('no_answer', data.length ? 'not an HTTP reply' : 'connection closed without a reply'));
          return;
        }
        head = parseHead(data.subarray(0, end).toString('latin1'));
        if (!head) return finish(new CameraCallError('no_answer', 'not an HTTP reply'));
        // 100 Continue: drop it and read the real status line.
        data = data.subarray(end + 4);
        if (head.status === 100) {
          head = null;
          return tryComplete(closed);
        }
      }
      const { complete, body } = replyComplete(head, data);
      if (complete || closed) finish(null, { status: head.status, statusText: head.statusText, rawHeaders: head.rawHeaders, body });
    };
    socket.on(request.secure ? 'secureConnect' : 'connect', () => {
      const body = Buffer.from(request.body, 'utf8');
      const lines = [`POST ${request.path} HTTP/1.1`, `Host: ${request.host.includes(':') ? `[${request.host}]` : request.host}:${request.port}`];
      for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
      lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '');
      socket.write(Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), body]));
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length > MAX_REPLY_BYTES) return finish(new CameraCallError('no_answer', 'reply too large'));
      tryComplete(false);
    });
    socket.on('end', () => tryComplete(true));
    socket.on('close', () => tryComplete(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after a complete-looking reply is still that reply.
      if (head && data.length) return tryComplete(true);
      finish(new CameraCallError('no_answer', `${error.code ?? ''} ${error.message}`.trim()));
    });
  });
}

const firstText = (xml: string, local: string): string | null => {
  const match = new RegExp(`<(?:[\\w.-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${local}\\s*>`).exec(xml);
  return match ? match[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() : null;
};

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|amp|apos|quot|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1]!.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[e.toLowerCase()]!,
  );

/**
 * A SOAP fault's code and text, SOAP 1.2 (Code/Value, Subcode/Value, Reason/Text) or 1.1
 * (faultcode, faultstring); null when the reply is not a fault.
 */
export function parseFault(xml: string): { code: string; text: string } | null {
  if (!/<(?:[\w.-]+:)?Fault[\s>]/.test(xml)) return null;
  const fault = /<(?:[\w.-]+:)?Fault[\s>][\s\S]*<\/(?:[\w.-]+:)?Fault\s*>/.exec(xml)?.[0] ?? xml;
  const subcode = /<(?:[\w.-]+:)?Subcode[\s>][\s\S]*?<(?:[\w.-]+:)?Value[^>]*>([^<]*)</.exec(fault)?.[1];
  const code = subcode ?? /<(?:[\w.-]+:)?Code[\s>][\s\S]*?<(?:[\w.-]+:)?Value[^>]*>([^<]*)</.exec(fault)?.[1] ?? firstText(fault, 'faultcode') ?? '';
  const text = firstText(fault, 'Text') ?? firstText(fault, 'faultstring') ?? firstText(fault, 'Reason') ?? '';
  return { code: unescapeXml(code.trim()), text: unescapeXml(text) };
}

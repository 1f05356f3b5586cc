import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientFrame, ContractError, MAX_FRAME_BYTES, type ServerFrame } from '@shared';
import { checkFrameShape } from './frame-guard';
import type { Core } from '../context';
import { LOOPBACK_HOST, hostAllowed, isLoopbackBind, originAllowed } from '../net';

export interface WsServerOptions {
  /** Interface to bind; the console is a local tool, so loopback unless asked otherwise. */
  host?: string;
  port?: number;
  /** The built renderer (out/renderer); served at `/`. Without it only `/ws` answers. */
  staticDir?: string;
  /**
   * A socket without an Origin (not a browser page: a tool on this machine, a test) must present a
   * token: this one (the host writes it to `host-token` in the data directory, mode 0600) or a live
   * session's. Without it, such sockets are refused.
   */
  toolToken?: string;
  /** TLS certificate and key (PEM): required to bind beyond loopback. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Unsent bytes a socket may hold before it is dropped (default SOCKET_BUDGET_BYTES); tests lower it. */
  socketBudgetBytes?: number;
}

/**
 * Unsent bytes one socket may hold. A window that stops reading (a frozen renderer, a stopped
 * process) would otherwise grow the host without bound: 148 → 894 MB in 60 s. Past the budget the
 * socket is dropped; the renderer reconnects and reloads what it shows (each connection is a new
 * epoch), so falling behind costs a refetch, never memory. 8 MiB holds a grid import's answer and
 * seconds of bursts of incident events.
 */
export const SOCKET_BUDGET_BYTES = 8 * 1024 * 1024;

/** The one answer to a frame that cannot be read: a fixed text, nothing of the input echoed. */
function malformed(id: number) {
  const error = ContractError.validation('malformed frame', [], { reason: 'contract.malformed_frame' });
  return { t: 'result' as const, id, result: { ok: false as const, error: error.toBody() } };
}

export interface WsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Same policy as the Electron window: our own origin only. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; " +
  "connect-src 'self' ws: wss:; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-src 'none'; frame-ancestors 'none'";

function serveStatic(staticDir: string | undefined, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (!staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(staticDir ? 405 : 404).end();
    return;
  }
  const pathname = requestPath(req);
  if (pathname === null) {
    res.writeHead(400).end();
    return;
  }
  const root = path.resolve(staticDir);
  let file = path.resolve(root, '.' + pathname);
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    // The console is a single page: unknown paths get the app, which shows its own not-found state.
    file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('renderer not built: run "npm run build"');
      return;
    }
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
  });
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(file).pipe(res);
}

/** The decoded path of a request, or null when it cannot be parsed (`/%`, `http://[`): thrown, it would kill the host. */
function requestPath(req: http.IncomingMessage): string | null {
  try {
    return decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    return null;
  }
}

/**
 * A browser page from another site must not drive the console: only our own origin may open the
 * socket (net/host-rules). A client without Origin is not a browser page (a tool, a test): it must
 * present a token (`Authorization: Bearer …` or `?token=…`), the host's tool token or a live session's.
 */
function socketAllowed(req: http.IncomingMessage, tokenOk: (token: string) => boolean): boolean {
  if (!req.headers.origin) {
    const token = presentedToken(req);
    return token !== null && tokenOk(token);
  }
  return originAllowed(req.headers.origin, req.headers.host);
}

export function presentedToken(req: http.IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  try {
    return new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
  } catch {
    return null;
  }
}

export function startWsServer(core: Pick<Core, 'connect' | 'hasSession'>, options: WsServerOptions = {}): Promise<WsServer> {
  const host = options.host ?? LOOPBACK_HOST;
  if (!isLoopbackBind(host) && !options.tls) {
    return Promise.reject(new Error(`binding to ${host} needs TLS (a certificate and key): passwords would cross the network in clear`));
  }
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!hostAllowed(req.headers.host, host)) res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
    else serveStatic(options.staticDir, req, res);
  };
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const clients = new Set<WebSocket>();
  const tokenOk = (token: string) => (options.toolToken !== undefined && token === options.toolToken) || core.hasSession(token);

  server.on('upgrade', (req, socket, head) => {
    if (requestPath(req) !== '/ws' || !hostAllowed(req.headers.host, host) || !socketAllowed(req, tokenOk)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const budget = options.socketBudgetBytes ?? SOCKET_BUDGET_BYTES;
  /** Sends unless the socket is over its byte budget; then drops it (see SOCKET_BUDGET_BYTES). */
  const sendText = (ws: WebSocket, text: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount + text.length > budget) {
      ws.terminate();
      return;
    }
    ws.send(text);
  };
  const send = (ws: WebSocket, frame: ServerFrame) => sendText(ws, JSON.stringify(frame));

  wss.on('connection', (ws, req: http.IncomingMessage) => {
    clients.add(ws);
    // Each socket is a window with its own session; a token presented at the upgrade resumes one.
    const connection = core.connect(`ws ${req.socket.remoteAddress ?? ''}`.trim());
    const token = presentedToken(req);
    if (token) connection.adoptToken(token);
    connection.onEvent((name, payload) => send(ws, { t: 'event', name, payload }));
    ws.on('close', () => {
      clients.delete(ws);
      connection.close();
    });
    // Oversized or invalid frames: ws itself closes the socket (1009, 1007), then emits 'error'; unhandled, that would crash the host.
    ws.on('error', () => {});
    ws.on('message', async (data, isBinary) => {
      // Size: ws refuses frames over MAX_FRAME_BYTES before reading them (maxPayload, close 1009).
      // Shape: keys and nesting counted before JSON.parse (frame-guard.ts). Unknown keys: the frame
      // schema is strict, and so is every command's input. Answers never echo the input.
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary || !checkFrameShape(bytes).ok) {
        send(ws, malformed(-1));
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(bytes.toString());
      } catch {
        raw = undefined;
      }
      const frame = ClientFrame.safeParse(raw);
      if (!frame.success) {
        // Without a readable id there is no call to answer: report it against id -1.
        const id = raw && typeof raw === 'object' && Number.isSafeInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : -1;
        send(ws, malformed(id));
        return;
      }
      const result = await connection.dispatch(frame.data.name, frame.data.input);
      send(ws, { t: 'result', id: frame.data.id, result });
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const ws of clients) ws.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

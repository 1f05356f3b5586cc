import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientFrame, ContractError, MAX_FRAME_BYTES, issuesFromZod, type ServerFrame } from '@shared';
import type { Core } from '../context';
import { LOOPBACK_HOST, hostAllowed, originAllowed } from '../net';

export interface WsServerOptions {
  /** Interface to bind; the console is a local tool, so loopback unless asked otherwise. */
  host?: string;
  port?: number;
  /** The built renderer (out/renderer); served at `/`. Without it only `/ws` answers. */
  staticDir?: string;
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

export function startWsServer(core: Pick<Core, 'dispatch' | 'onEvent'>, options: WsServerOptions = {}): Promise<WsServer> {
  const host = options.host ?? LOOPBACK_HOST;
  const server = http.createServer((req, res) => {
    if (!hostAllowed(req.headers.host, host)) res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
    else serveStatic(options.staticDir, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    if (requestPath(req) !== '/ws' || !hostAllowed(req.headers.host, host) || !originAllowed(req.headers.origin, req.headers.host)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    // Oversized or invalid frames: ws itself closes the socket (1009, 1007), then emits 'error'; unhandled, that would crash the host.
    ws.on('error', () => {});
    ws.on('message', async (data, isBinary) => {
      let raw: unknown;
      try {
        raw = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        raw = undefined;
      }
      const frame = ClientFrame.safeParse(raw);
      if (!frame.success) {
        // Without a readable id there is no call to answer: report it against id -1.
        const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
        const error = ContractError.validation('malformed frame', issuesFromZod(frame.error));
        send(ws, { t: 'result', id, result: { ok: false, error: error.toBody() } });
        return;
      }
      const result = await core.dispatch(frame.data.name, frame.data.input);
      send(ws, { t: 'result', id: frame.data.id, result });
    });
  });

  const offEvents = core.onEvent((name, payload) => {
    const frame = JSON.stringify({ t: 'event', name, payload } satisfies ServerFrame);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            offEvents();
            for (const ws of clients) ws.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

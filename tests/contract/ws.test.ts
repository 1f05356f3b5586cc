import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { MAX_FRAME_BYTES, createClient, type ServerFrame } from '@shared';
import { openCore, type Core } from '../../electron/core';
import { CONTENT_SECURITY_POLICY, startWsServer, type WsServer } from '../../electron/core/transport/ws-server';
import { hostAllowed } from '../../electron/core/net';
import { DRAFT, NOW, contractSuite, expectContractError, type TransportFactory } from './suite';
import { checkFrameShape } from '../../electron/core/transport/frame-guard';
import { workflowsContractSuite } from './workflows-suite';
import { mapContractSuite } from './map-suite';
import { camerasSuite } from './cameras-suite';
import { analysisContractSuite } from './analysis-suite';
import { uplinkSuite } from './uplink-suite';
import { connectWs, type WsTransport } from './ws-client';
import { signIn } from './login';
import { peopleSuite } from './people-suite';
import { recoverySuite } from './recovery-suite';
import { diagnosticsSuite } from './diagnostics-suite';

// Every window logs in (argon2id, ~50 ms a hash here, seconds while seven builds share two cores): 5 s is too tight.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const TOOL_TOKEN = 'contract-tool-token';

const wsUrl = (server: WsServer) => `${server.url.replace(/^http/, 'ws')}/ws`;

const websocket: TransportFactory = async (core) => {
  const server = await startWsServer(core, { port: 0, toolToken: TOOL_TOKEN });
  const open = new Set<WsTransport>();
  return {
    async open(options) {
      const transport = await connectWs(wsUrl(server), { token: TOOL_TOKEN });
      open.add(transport);
      const client = createClient(transport);
      if (options?.signedIn !== false) await signIn(core, client);
      return {
        client,
        close: async () => {
          open.delete(transport);
          await transport.close();
        },
      };
    },
    async close() {
      await Promise.all([...open].map((t) => t.close()));
      await server.close();
    },
  };
};

contractSuite('the WebSocket transport', websocket);
workflowsContractSuite('the WebSocket transport', websocket);
mapContractSuite('the WebSocket transport', websocket);
uplinkSuite('the WebSocket transport', websocket);
camerasSuite('the WebSocket transport', websocket);
analysisContractSuite('the WebSocket transport', websocket);
peopleSuite('the WebSocket transport', websocket);
recoverySuite('the WebSocket transport', websocket);
diagnosticsSuite('the WebSocket transport', websocket);

describe('the WebSocket server', () => {
  let dir: string;
  let core: Core;
  let server: WsServer;
  let staticDir: string;
  const sockets: WsTransport[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-ws-'));
    core = openCore({ dataDir: path.join(dir, 'data'), host: 'node', operator: 'tester', version: '0.0.0-test', now: () => NOW });
    // The renderer lives in www/; beside it lies a file that must never be served.
    staticDir = path.join(dir, 'www');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1);');
    fs.writeFileSync(path.join(dir, 'package.json'), '{"secret":"do not serve"}');
    server = await startWsServer(core, { port: 0, staticDir, toolToken: TOOL_TOKEN });
  });

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await server.close();
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A logged-in window: a page of our origin, or a tool presenting the token. */
  const connect = async (origin?: string) => {
    const transport = await connectWs(wsUrl(server), origin ? { origin } : { token: TOOL_TOKEN });
    sockets.push(transport);
    await signIn(core, createClient(transport));
    return transport;
  };

  const nextResult = (transport: WsTransport, id: number) =>
    new Promise<Extract<ServerFrame, { t: 'result' }>>((resolve) => {
      const off = transport.onFrame((frame) => {
        if (frame.t === 'result' && frame.id === id) {
          off();
          resolve(frame);
        }
      });
    });

  /** A raw HTTP request, the path sent exactly as given (no client-side normalisation). */
  const request = (method: string, rawPath: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method, path: rawPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });

  const stillServes = async () => {
    const transport = await connect();
    const info = await createClient(transport).invoke('system.info', {});
    expect(info.host).toBe('node');
  };

  describe('malformed frames', () => {
    it('answers a non-JSON frame with a validation error and stays usable', async () => {
      const transport = await connect();
      const answer = nextResult(transport, -1);
      transport.socket.send('this is not json {');
      const frame = await answer;
      expect(frame.result).toMatchObject({ ok: false, error: { code: 'validation', message: 'malformed frame' } });
      expect(await createClient(transport).invoke('incidents.summary', {})).toMatchObject({ total: 0 });
    });

    it('answers a frame of the wrong shape against its id', async () => {
      const transport = await connect();
      const wrongName = nextResult(transport, 7);
      transport.socket.send(JSON.stringify({ t: 'invoke', id: 7, name: 42, input: {} }));
      expect((await wrongName).result).toMatchObject({ ok: false, error: { code: 'validation', reason: 'contract.malformed_frame' } });

      const extraField = nextResult(transport, 8);
      transport.socket.send(JSON.stringify({ t: 'invoke', id: 8, name: 'system.info', input: {}, sudo: true }));
      expect((await extraField).result).toMatchObject({ ok: false, error: { code: 'validation' } });

      const wrongType = nextResult(transport, -1);
      transport.socket.send(JSON.stringify({ t: 'subscribe', id: 'x' }));
      expect((await wrongType).result).toMatchObject({ ok: false, error: { code: 'validation' } });

      const binary = nextResult(transport, -1);
      transport.socket.send(Buffer.from(JSON.stringify({ t: 'invoke', id: 9, name: 'system.info', input: {} })));
      expect((await binary).result).toMatchObject({ ok: false, error: { code: 'validation' } });

      for (const raw of ['null', '[]', '42', '"invoke"']) {
        const answer = nextResult(transport, -1);
        transport.socket.send(raw);
        expect((await answer).result).toMatchObject({ ok: false, error: { code: 'validation' } });
      }
      expect(await createClient(transport).invoke('incidents.summary', {})).toMatchObject({ total: 0 });
    });

    it('answers a non-string command name as unknown, not as a crash', async () => {
      const transport = await connect();
      await expectContractError(createClient(transport).invoke('no.such' as 'system.info', {}), 'not_found');
    });
  });

  describe('origins', () => {
    it('refuses a connection from a foreign Origin', async () => {
      await expect(connectWs(wsUrl(server), { origin: 'http://evil.example' })).rejects.toThrow(/403/);
      await expect(connectWs(wsUrl(server), { origin: `http://evil.example:${server.port}` })).rejects.toThrow(/403/);
      await expect(connectWs(wsUrl(server), { origin: 'null' })).rejects.toThrow(/403/);
      await stillServes();
    });

    it('accepts its own origin, and tools without Origin only with a token (the host token or a live session)', async () => {
      await connect(`http://127.0.0.1:${server.port}`);
      await connect();
      await expect(connectWs(wsUrl(server))).rejects.toThrow(/403/);
      await expect(connectWs(wsUrl(server), { token: 'guessed' })).rejects.toThrow(/403/);
      // A session's token opens a socket too, already logged in as that person.
      const page = await connect(`http://127.0.0.1:${server.port}`);
      const session = await createClient(page).invoke('auth.status', {});
      const tool = await connectWs(`${wsUrl(server)}?token=${session.session!.token}`);
      sockets.push(tool);
      expect((await createClient(tool).invoke('auth.status', {})).session?.staff.name).toBe('值班员 陈海生');
      expect(await createClient(tool).invoke('incidents.summary', {})).toMatchObject({ total: 0 });
    });

    it('answers every command but the login screen\'s with auth.required before login, and sends no events', async () => {
      const transport = await connectWs(wsUrl(server), { origin: `http://127.0.0.1:${server.port}` });
      sockets.push(transport);
      const client = createClient(transport);
      await expectContractError(client.invoke('incidents.summary', {}), 'forbidden');
      const status = await client.invoke('auth.status', {});
      expect(status).toMatchObject({ session: null });
    });

    it('refuses a page reached through a foreign host name (DNS rebinding), on the socket and for files', async () => {
      const evil = `evil.example:${server.port}`;
      await expect(connectWs(wsUrl(server), { origin: `http://${evil}`, host: evil })).rejects.toThrow(/403/);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: evil } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        }).on('error', reject);
      });
      expect(status).toBe(421);
      await stillServes();
    });

    it('answers only on /ws', async () => {
      await expect(connectWs(`${server.url.replace(/^http/, 'ws')}/other`)).rejects.toThrow(/403/);
    });
  });

  describe('host names', () => {
    it.each([
      ['127.0.0.1:5174', '127.0.0.1', true],
      ['localhost:5174', '127.0.0.1', true],
      ['[::1]:5174', '127.0.0.1', true],
      ['evil.example:5174', '127.0.0.1', false],
      ['127.0.0.1.evil.example', '127.0.0.1', false],
      [undefined, '127.0.0.1', false],
      ['10.0.0.5:5174', '10.0.0.5', true],
      ['evil.example:5174', '10.0.0.5', false],
      ['[fe80::1]:5174', 'fe80::1', true],
      ['anything.lan:5174', '0.0.0.0', true],
    ])('Host %s on a server bound to %s: %s', (header, bound, allowed) => {
      expect(hostAllowed(header, bound)).toBe(allowed);
    });
  });

  describe('binding', () => {
    it('binds to 127.0.0.1 by default', async () => {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const external = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (!external) return; // no other interface on this machine: nothing more to try
      const reached = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: external.address, port: server.port });
        socket.setTimeout(1000, () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      expect(reached, `reachable on ${external.address}`).toBe(false);
    });
  });

  describe('frame size', () => {
    it('closes a socket that sends more than MAX_FRAME_BYTES, and keeps serving', async () => {
      const transport = await connect();
      const closed = new Promise<number>((resolve) => transport.socket.once('close', (code) => resolve(code)));
      transport.socket.send('x'.repeat(MAX_FRAME_BYTES + 1));
      expect(await closed).toBe(1009);
      await stillServes();
    });

    it('answers a large frame under the limit', async () => {
      const transport = await connect();
      const client = createClient(transport);
      const text = '查'.repeat(200_000); // 600 kB of UTF-8
      const error = await expectContractError(client.invoke('incidents.list', { filter: { text } }), 'validation');
      expect(error.issues.map((i) => i.path)).toContain('filter.text');
    });

    it('refuses the 15 MB frame of 1.3M unknown keys at once, without echoing it', { timeout: 60_000 }, async () => {
      const keys = Array.from({ length: 1_300_000 }, (_v, i) => `"k${i}":0`).join(',');
      const raw = `{"t":"invoke","id":5,"name":"system.info","input":{${keys}}}`;
      expect(raw.length).toBeGreaterThan(15_000_000);
      const bytes = Buffer.from(raw);
      const started = performance.now();
      expect(checkFrameShape(bytes).ok).toBe(false);
      // The scan stops at the 10,001st key: well under 50 ms even on this loaded machine.
      expect(performance.now() - started).toBeLessThan(50);
      const transport = await connect();
      const answer = nextResult(transport, -1);
      transport.socket.send(raw);
      const frame = await answer;
      expect(frame.result).toMatchObject({ ok: false, error: { code: 'validation', reason: 'contract.malformed_frame' } });
      expect(JSON.stringify(frame).length).toBeLessThan(300);
      expect(JSON.stringify(frame)).not.toContain('k1');
      await stillServes();
    });

    it('passes a large grid file (one string) through the shape check', () => {
      const geojson = JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: 20_000 }, (_v, i) => ({ type: 'Feature', properties: { code: `G${i}`, name: 'a\\"b' }, geometry: null })) });
      expect(checkFrameShape(Buffer.from(JSON.stringify({ t: 'invoke', id: 1, name: 'grids.import', input: { geojson, crs: 'wgs84' } }))).ok).toBe(true);
      expect(checkFrameShape(Buffer.from('['.repeat(100) + ']'.repeat(100))).ok).toBe(false);
    });

    it('refuses text with a lone surrogate and stores nothing', async () => {
      const client = createClient(await connect());
      const error = await expectContractError(client.invoke('incidents.create', { draft: { ...DRAFT, title: `码头\ud800可疑` } }), 'validation');
      expect(error.reason).toBe('transport.invalid_text');
      expect(error.issues[0]).toMatchObject({ path: 'draft.title', reason: 'transport.invalid_text' });
      expect(JSON.stringify(error.toBody())).not.toContain('码头');
      expect(await client.invoke('incidents.summary', {})).toMatchObject({ total: 0 });
    });

    it('survives invalid UTF-8 in a text frame', async () => {
      const transport = await connect();
      const closed = new Promise<number>((resolve) => transport.socket.once('close', (code) => resolve(code)));
      // A text frame (opcode 1) with bytes that are not UTF-8, written by hand under the client's framing.
      const payload = Buffer.from([0xff, 0xfe, 0xfd]);
      const mask = Buffer.from([1, 2, 3, 4]);
      const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
      const rawSocket = (transport.socket as unknown as { _socket: net.Socket })._socket;
      rawSocket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
      expect(await closed).toBe(1007);
      await stillServes();
    });
  });

  describe('a slow reader', () => {
    // SLOW_READER_SECONDS=60 for the issue's full run (by hand); the suite keeps a short honest one.
    const seconds = Number(process.env.SLOW_READER_SECONDS ?? 4);
    it(`is dropped past its byte budget while events keep coming for ${seconds} s; host memory stays bounded`, { timeout: (seconds + 60) * 1000 }, async () => {
      const slow = await connect();
      const rawSocket = (slow.socket as unknown as { _socket: net.Socket })._socket;
      rawSocket.pause(); // reads nothing from now on
      const closed = new Promise<number>((resolve) => slow.socket.once('close', (code) => resolve(code)));
      const writer = createClient(await connect());
      const description = '码头东侧发现可疑快艇靠岸，两人上岸后离开。'.repeat(100); // ~6 kB per event
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      let created = 0;
      const until = Date.now() + seconds * 1000;
      while (Date.now() < until) {
        await writer.invoke('incidents.create', { draft: { ...DRAFT, description } });
        created++;
        if (created % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      const grown = (peak - rssBefore) / 1024 / 1024;
      console.log(`slow reader: ${created} events of ~${Buffer.byteLength(description)} B in ${seconds} s; host RSS +${grown.toFixed(1)} MB at peak`);
      expect(grown).toBeLessThan(50);
      rawSocket.resume();
      // Past SOCKET_BUDGET_BYTES the server dropped it (no close frame: 1006).
      if (created * Buffer.byteLength(description) > 16 * 1024 * 1024) expect(await closed).toBe(1006);
      await stillServes();
    });
  });

  describe('the static server', () => {
    it('serves the app with the CSP header', async () => {
      const index = await request('GET', '/');
      expect(index.status).toBe(200);
      expect(index.body).toContain('<title>console</title>');
      expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(index.headers['x-content-type-options']).toBe('nosniff');
      const script = await request('GET', '/assets/app.js');
      expect(script.status).toBe(200);
      expect(script.body).toBe('console.log(1);');
      expect(script.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    });

    it('sends the app for unknown paths (single page)', async () => {
      const page = await request('GET', '/incidents/123');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>console</title>');
    });

    it.each([
      '/../package.json',
      '/../../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/..%2fpackage.json',
      '/..%5cpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '//../package.json',
      `/${'../'.repeat(10)}package.json`,
    ])('never serves a file outside its directory: %s', async (rawPath) => {
      const response = await request('GET', rawPath);
      expect(response.body).not.toContain('do not serve');
      expect([403, 200]).toContain(response.status);
      if (response.status === 200) expect(response.body).toContain('<title>console</title>');
    });

    it('refuses a path that cannot be decoded, and keeps serving', async () => {
      expect((await request('GET', '/%')).status).toBe(400);
      expect((await request('GET', '/%E0%A4%A')).status).toBe(400);
      await stillServes();
      expect((await request('GET', '/')).status).toBe(200);
    });

    it('answers HEAD and refuses other methods', async () => {
      const head = await request('HEAD', '/');
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect((await request('POST', '/')).status).toBe(405);
    });

    it('has no static files without a static directory', async () => {
      const bare = await startWsServer(core, { port: 0 });
      try {
        const status = await new Promise<number>((resolve, reject) =>
          http.get({ host: '127.0.0.1', port: bare.port, path: '/' }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          }).on('error', reject),
        );
        expect(status).toBe(404);
      } finally {
        await bare.close();
      }
    });
  });

  describe('closing', () => {
    it('drops open sockets and stops listening', async () => {
      const transport = await connect();
      const closed = new Promise<void>((resolve) => transport.socket.once('close', () => resolve()));
      await server.close();
      await closed;
      expect(transport.socket.readyState).toBe(WebSocket.CLOSED);
      await expect(connectWs(wsUrl(server))).rejects.toThrow();
      // afterEach closes it again: closing twice must be harmless.
    });
  });
});

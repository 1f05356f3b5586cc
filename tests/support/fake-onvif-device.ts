/**
 * A fake ONVIF device that answers like the real ones nobody on this project wrote: it sits on its
 * own TCP port in front of the ONVIF simulator (which does the ONVIF part: auth, profiles, PTZ,
 * events), and writes each reply back with a byte-level fault of its choosing:
 *
 * - `chars-length`: Content-Length counts characters, not bytes (short by 2 per CJK character), and
 *   the connection stays open (keep-alive), so only the envelope's end says the reply is complete;
 * - `chunked`: Transfer-Encoding chunked in 7-byte chunks that split UTF-8 sequences;
 * - `no-length`: neither length nor chunking; the reply ends when the device closes;
 * - `odd-namespaces`: SOAP prefixes renamed (`SOAP-ENV:`, `ns1:`…), declarations in single quotes;
 * - `soap11-fault`: a SOAP 1.1 fault (faultcode/faultstring), HTTP 500;
 * - `silent`: reads the request and never answers.
 *
 * `faultFor(action)` chooses per SOAP action (null: pass the simulator's reply through intact).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { OnvifSimulator } from '../../electron/core/cameras/simulator/onvif-simulator';

export type ByteFault = 'chars-length' | 'chunked' | 'no-length' | 'odd-namespaces' | 'soap11-fault' | 'silent';

export interface FakeDevice {
  readonly xaddr: string;
  readonly port: number;
  /** Every request the device received: its SOAP action (the body's first element) and path. */
  readonly requests: Array<{ action: string; path: string }>;
  close(): Promise<void>;
}

const actionOf = (body: string) => /<(?:[\w.-]+:)?Body[^>]*>\s*<(?:[\w.-]+:)?([\w]+)/.exec(body)?.[1] ?? '';

function oddNamespaces(xml: string): string {
  return xml
    .replace(/<(\/?)s:/g, '<$1SOAP-ENV:')
    .replace(/xmlns:s="/g, 'xmlns:SOAP-ENV="')
    .replace(/<(\/?)tds:/g, '<$1ns1:')
    .replace(/xmlns:tds="/g, 'xmlns:ns1="')
    .replace(/<(\/?)tptz:/g, '<$1ns9:')
    .replace(/xmlns:tptz="/g, 'xmlns:ns9="')
    .replace(/<(\/?)tt:/g, '<$1ns2:')
    .replace(/xmlns:tt="/g, 'xmlns:ns2="')
    .replace(/xmlns:([\w-]+)="([^"]*)"/g, "xmlns:$1='$2'");
}

export async function startFakeDevice(sim: OnvifSimulator, faultFor: (action: string) => ByteFault | null): Promise<FakeDevice> {
  const simBase = new URL(sim.xaddr).origin;
  const requests: FakeDevice['requests'] = [];
  const sockets = new Set<net.Socket>();
  let base = '';

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      for (;;) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = data.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (data.length < end + 4 + length) return;
        const body = data.subarray(end + 4, end + 4 + length).toString('utf8');
        data = data.subarray(end + 4 + length);
        void answer(socket, head, body);
      }
    });
  });

  async function answer(socket: net.Socket, head: string, body: string): Promise<void> {
    const [, method = 'POST', path = '/'] = /^(\S+)\s+(\S+)/.exec(head) ?? [];
    const action = actionOf(body);
    requests.push({ action, path });
    const fault = faultFor(action);
    if (fault === 'silent') return;
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      if (['authorization', 'content-type'].includes(name)) headers[name] = line.slice(colon + 1).trim();
    }
    const reply = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const request = http.request(`${simBase}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
      request.end(body);
    }).catch(() => null);
    if (!reply || socket.destroyed) return;
    let xml = reply.body.split(simBase).join(base);
    let status = reply.status;
    const lines = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`];
    if (reply.headers['www-authenticate']) lines.push(`WWW-Authenticate: ${[reply.headers['www-authenticate']].flat().join(', ')}`);
    if (status === 401 || !fault) {
      lines.push(`Content-Type: ${reply.headers['content-type'] ?? 'text/plain'}`, `Content-Length: ${Buffer.byteLength(xml)}`, '', '');
      socket.write(lines.join('\r\n') + xml);
      return;
    }
    if (fault === 'odd-namespaces') xml = oddNamespaces(xml);
    if (fault === 'soap11-fault') {
      status = 500;
      lines[0] = 'HTTP/1.1 500 Internal Server Error';
      xml =
        `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>` +
        `<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>预置位不存在 (preset not found)</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    }
    lines.push('Content-Type: application/soap+xml; charset=utf-8');
    if (fault === 'chars-length') {
      lines.push(`Content-Length: ${xml.length}`, 'Connection: keep-alive', '', '');
      socket.write(lines.join('\r\n') + xml);
    } else if (fault === 'chunked') {
      lines.push('Transfer-Encoding: chunked', '', '');
      socket.write(lines.join('\r\n'));
      const bytes = Buffer.from(xml, 'utf8');
      for (let at = 0; at < bytes.length; at += 7) {
        const part = bytes.subarray(at, at + 7);
        socket.write(`${part.length.toString(16)}\r\n`);
        socket.write(part);
        socket.write('\r\n');
      }
      socket.end('0\r\n\r\n');
    } else if (fault === 'no-length') {
      lines.push('Connection: close', '', '');
      socket.end(lines.join('\r\n') + xml);
    } else {
      lines.push(`Content-Length: ${Buffer.byteLength(xml)}`, '', '');
      socket.write(lines.join('\r\n') + xml);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    xaddr: `${base}/onvif/device_service`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

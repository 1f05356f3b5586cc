import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchSnapshot, SnapshotRefused } from './snapshot-fetch';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A snapshot server that wants Basic auth and records every Authorization header it was sent. */
async function basicServer(): Promise<{ port: number; seen: Array<string | undefined> }> {
  const seen: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== `Basic ${Buffer.from('admin:秘密').toString('base64')}`)
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="cam"' }).end();
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

const options = { username: 'admin', password: '秘密', maxBytes: 1_000_000, cameraHost: '127.0.0.1', allowBasicOverHttp: false };

describe('the camera snapshot fetch', () => {
  it('sends nothing to a snapshot URI on another host than the camera’s', async () => {
    const { port, seen } = await basicServer();
    const refused = await fetchSnapshot(`http://127.0.0.1:${port}/snap.jpg`, { ...options, cameraHost: '192.0.2.7' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SnapshotRefused);
    expect(refused).toMatchObject({ reason: 'cameras.snapshot_foreign_host', params: { host: '127.0.0.1', cameraHost: '192.0.2.7' } });
    expect(seen).toEqual([]);
  });

  it('sends Basic over plain HTTP only when the camera’s setting allows it', async () => {
    const { port, seen } = await basicServer();
    const refused = await fetchSnapshot(`http://127.0.0.1:${port}/snap.jpg`, options).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'cameras.snapshot_basic_over_http' });
    expect(seen).toEqual([undefined]); // the unauthenticated GET only: no password went out
    expect(await fetchSnapshot(`http://127.0.0.1:${port}/snap.jpg`, { ...options, allowBasicOverHttp: true })).toEqual(JPEG);
    expect(seen.at(-1)).toMatch(/^Basic /);
  });
});

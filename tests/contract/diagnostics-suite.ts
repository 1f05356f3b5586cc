/**
 * "Save diagnostics" over every transport: one zip with the log files, versions and the settings,
 * and not one secret in it — the session token, a co-signer's password, the city link's password
 * (stored sealed in the settings), a camera's password inside its RTSP URL.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands, type ConsoleClient } from '@shared';
import { openCore, type Core } from '../../electron/core';
import { createLogger, type Logger } from '../../electron/core/log';
import { TEST_PASSWORD, cosignBy, sessionTokenFor, signIn } from './login';
import { expectContractError, type TransportFactory, type TransportHarness } from './suite';

const CAMERA_PASSWORD = 'Cam-Secret-7q';
const LINK_PASSWORD = 'Link-Secret-密码9';

/** A port on loopback that nothing listens on (the city link then just retries). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function diagnosticsSuite(label: string, factory: TransportFactory): void {
  describe(`save diagnostics over ${label}`, () => {
    let dir: string;
    let log: Logger;
    let core: Core;
    let harness: TransportHarness;
    let client: ConsoleClient;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-diagnostics-'));
      // The core's own logger, held here too so the test can write what a failing camera would.
      log = createLogger({ dataDir: dir, echo: null });
      core = openCore({ dataDir: dir, host: 'node', version: '0.0.0-test', logger: log });
      harness = await factory(core);
      client = (await harness.open()).client;
    });

    afterEach(async () => {
      await harness.close();
      core.close();
      log.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('zips logs, versions and settings without a password or a token', async () => {
      const token = await sessionTokenFor(core);
      const cosign = await cosignBy(core);
      // A real secret in the settings: the city link's password (co-signed by a second person).
      await client.invoke('uplink.configure', {
        config: { url: `mqtt://127.0.0.1:${await closedPort()}`, town: 'GS', mqttVersion: 4, username: 'gs-link', password: LINK_PASSWORD },
        cosign,
      });
      // What a camera's relay and a failing call would log (through the core's logger).
      const cameraUrl = `rtsp://admin:${CAMERA_PASSWORD}@10.0.0.5:554/Streaming/Channels/101`;
      log.child({ domain: 'video' }).warn(`wharf: ffmpeg exited (1): ${cameraUrl}: 401 Unauthorized`);
      log.error('command cameras.add failed', { command: 'cameras.add', err: new Error(`connect ${cameraUrl}?token=${token}`), cosign });

      const value = await client.invoke('system.diagnostics', {});
      expect(value).toEqual(commands['system.diagnostics'].output.parse(value));
      expect(value.filename).toMatch(/^duty-console-diagnostics-\d{8}-\d{6}\.zip$/);
      const zip = Buffer.from(value.zipBase64, 'base64');
      expect(zip.length).toBe(value.bytes);
      const entries = unzipSync(new Uint8Array(zip));
      expect(Object.keys(entries).sort()).toEqual([...value.files].sort());
      expect(value.files).toEqual(expect.arrayContaining(['versions.json', 'settings.json', 'logs/console.log']));

      const text = Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, strFromU8(bytes)]));
      const everything = Object.values(text).join('\n') + zip.toString('latin1');
      for (const secret of [CAMERA_PASSWORD, LINK_PASSWORD, token, TEST_PASSWORD]) expect(everything).not.toContain(secret);

      // What is left still helps: versions, the link's settings without its password, the log's story.
      expect(JSON.parse(text['versions.json']!)).toMatchObject({ app: '0.0.0-test', host: 'node', schemaVersion: expect.any(Number) });
      const settings = JSON.parse(text['settings.json']!) as Record<string, Record<string, unknown>>;
      expect(settings['uplink.config']).toMatchObject({ username: 'gs-link', town: 'GS', passwordSealed: '***' });
      const lines = text['logs/console.log']!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['core opened', 'command cameras.add failed', 'diagnostics saved']));
      expect(text['logs/console.log']).toContain('rtsp://admin:***@10.0.0.5:554/Streaming/Channels/101');
    });

    it('is for whoever manages the settings: an operator is refused', async () => {
      const { client: operator } = await harness.open();
      await operator.invoke('auth.logout', {});
      await signIn(core, operator, 'operator');
      const refused = await expectContractError(operator.invoke('system.diagnostics', {}), 'forbidden');
      expect(refused.reason).toBe('auth.forbidden');
      await operator.invoke('auth.logout', {});
      await signIn(core, operator, 'admin');
      expect((await operator.invoke('system.diagnostics', {})).files).toContain('versions.json');
    });
  });
}

import net from 'node:net';
import path from 'node:path';
import { Aedes } from 'aedes';
import { ReferenceCity } from '../../../tools/city/city';
import type { LinkConfig } from './config';

export const DEMO_TOWN = 'GS';
const DEMO_DIRECTIVE_DELAY_MS = 20_000;

/**
 * The demo's city, in this process: an aedes broker on a free loopback port and the reference city
 * (its own SQLite in <dataDir>/demo-city/) — so `npm start` / `npm run host` show real traffic on the
 * link panel with no network. aedes speaks MQTT 3.1.1 only (its MQTT 5 support is "not yet"), so the
 * demo link runs 3.1.1; a real broker (Mosquitto, EMQX) gets MQTT 5 with session expiry. Some time
 * after the first start the city issues one directive (交办), so the demo shows one arriving.
 */
export async function startDemoCity(dataDir: string): Promise<{ config: LinkConfig; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `mqtt://127.0.0.1:${port}`;
  const city = new ReferenceCity({
    dbFile: path.join(dataDir, 'demo-city', 'city.sqlite3'),
    brokerUrl: url,
    clientId: 'demo-city',
    mqtt: { protocolVersion: 4, properties: undefined },
  });
  await city.start();
  const firstRun = city.db.prepare('SELECT count(*) AS n FROM directives').get() as { n: number };
  const timer =
    firstRun.n === 0
      ? setTimeout(() => {
          const now = Date.now();
          city
            .issueDirective(DEMO_TOWN, {
              issuer: '珠海市香洲区综治中心',
              mode: 'supervise',
              text: '群众反映桂山岛东湾码头附近夜间有不明快艇频繁靠岸，请镇综治中心组织核查并于期限内反馈。',
              deadline: now + 48 * 3_600_000,
              priority: 2,
              newCase: {
                category: 'smuggling',
                title: '东湾码头夜间不明快艇靠岸核查（区交办）',
                description: '区综治中心督办件：核查近一周夜间快艇靠岸情况，必要时联系边防派出所。',
                location: { lon: 113.8376, lat: 22.1368 },
                occurredAt: now - 3_600_000,
              },
            })
            .catch(() => {});
        }, DEMO_DIRECTIVE_DELAY_MS)
      : null;
  timer?.unref();
  return {
    config: {
      url,
      town: DEMO_TOWN,
      topicRoot: 'city/v1',
      mqttVersion: 4,
      username: '',
      password: '',
      ca: '',
      cert: '',
      key: '',
      drills: 'marked',
      sessionExpiryHours: 24 * 7,
      demo: true,
    },
    close: async () => {
      if (timer) clearTimeout(timer);
      await city.stop().catch(() => {});
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.close();
    },
  };
}

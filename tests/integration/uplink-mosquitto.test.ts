/**
 * The city link against a real Mosquitto (Debian's, started here on a free loopback port with a
 * password file and TLS from a CA generated with openssl) and the reference city (tools/city).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, encodeMessage, townTopic, type CommandInput } from '@shared';
import { ReferenceCity } from '../../tools/city/city';
import { generatePki, issueClientCert, startMosquitto, waitFor, type Pki, type RunningMosquitto } from '../support/mosquitto';
import { CITY_PASSWORD, TEST_TIMINGS, TOWN, TOWN_PASSWORD, openTown, writeEvents, type Town } from './town';

type LinkConfigInput = CommandInput<'uplink.configure'>['config'];

let root: string;
let pki: Pki;
let broker: RunningMosquitto;
const towns: Town[] = [];
const cities: ReferenceCity[] = [];
let seq = 0;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-uplink-'));
  pki = generatePki(path.join(root, 'pki'));
  broker = await startMosquitto({ users: { [TOWN]: TOWN_PASSWORD, city: CITY_PASSWORD, intruder: 'intruder-pass' }, pki });
}, 30_000);

afterAll(async () => {
  await broker?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

afterEach(async () => {
  for (const town of towns.splice(0)) town.close();
  for (const city of cities.splice(0)) await city.stop();
});

/** Each test its own town code and city, so persistent sessions of one test do not meet the next. */
function names() {
  seq += 1;
  return { town: `${TOWN}${seq}`, dir: path.join(root, `t${seq}`), cityDb: path.join(root, `city${seq}.sqlite3`), cityId: `city-${seq}` };
}

async function startCity(dbFile: string, clientId: string, extra: Partial<ConstructorParameters<typeof ReferenceCity>[0]> = {}) {
  const city = new ReferenceCity({ dbFile, brokerUrl: broker.url, clientId, mqtt: { username: 'city', password: CITY_PASSWORD, ca: pki.caCert }, ...extra });
  await city.start();
  cities.push(city);
  return city;
}

const linkConfig = (town: string, extra: Partial<LinkConfigInput> = {}): LinkConfigInput => ({
  url: broker.url,
  town,
  username: TOWN,
  password: TOWN_PASSWORD,
  ca: pki.caCert,
  ...extra,
});

function town(dir: string, timings = TEST_TIMINGS): Town {
  const t = openTown(dir, timings);
  towns.push(t);
  return t;
}

describe('the city link over a real Mosquitto (TLS, passwords) with the reference city', () => {
  it('broker down with 10,000 events queued: when it comes back, each arrives exactly once, in order, chain verified', async () => {
    const { town: code, dir, cityDb, cityId } = names();
    await broker.stop();
    const t = town(dir);
    await t.call('uplink.configure', { config: linkConfig(code) });
    await waitFor('the link to be down', async () => (await t.call('uplink.status', {})).state === 'down');
    const writtenAt = Date.now() - 86_400_000; // a day's outage: each event keeps its real time
    writeEvents(dir, 10_000, { at: writtenAt });
    expect((await t.call('uplink.status', {})).backlog).toBe(10_000);

    await broker.start();
    const city = await startCity(cityDb, cityId);
    await waitFor('the backlog to drain', async () => (await t.call('uplink.status', {})).backlog === 0, 60_000);
    const figures = city.town(code)!;
    expect(figures).toMatchObject({ headSeq: 10_000, events: 10_000 });
    expect(city.verify(code)).toEqual({ ok: true, checked: 10_000, problem: null });
    const status = await t.call('uplink.status', {});
    expect(status).toMatchObject({ state: 'connected', backlog: 0, oldestAt: null, anchor: { seq: 10_000, hash: figures.head } });
    expect((await t.call('outbox.status', {})).pending).toBe(0);
    // Real event times went up, not the time of sending.
    const times = city.db.prepare('SELECT min(at) AS lo, max(at) AS hi FROM events WHERE town = ?').get(code) as { lo: number; hi: number };
    expect(times).toEqual({ lo: writtenAt, hi: writtenAt });
    // The outage is one "down" line and one "up" line (the duty log's entries), not one per failed attempt.
    const log = await t.call('uplink.log', { limit: 50 });
    expect(log.filter((e) => e.kind === 'down')).toMatchObject([{ reason: 'network', actor: null }]);
    expect(log.filter((e) => e.kind === 'up')).toHaveLength(1);
    expect(log.at(0)!.kind).toBe('up');
  }, 120_000);

  it('the city drops acknowledgements: the town sends again, the city keeps one copy', async () => {
    const { town: code, dir, cityDb, cityId } = names();
    let dropped = 0;
    const city = await startCity(cityDb, cityId, { shouldAck: () => (dropped += 1) > 3 });
    const t = town(dir);
    writeEvents(dir, 1_200);
    await t.call('uplink.configure', { config: linkConfig(code) });
    await waitFor('the backlog to drain', async () => (await t.call('uplink.status', {})).backlog === 0, 30_000);
    expect(city.stats.acksDropped).toBe(3);
    expect(city.stats.duplicates).toBeGreaterThan(0);
    expect(city.town(code)).toMatchObject({ headSeq: 1_200, events: 1_200 });
    expect(city.verify(code).ok).toBe(true);
  }, 60_000);

  it('kill -9 of the console mid-drain: nothing lost, no second effect at the city', async () => {
    const { town: code, dir, cityDb, cityId } = names();
    const city = await startCity(cityDb, cityId);
    // Open once so the store exists, then fill the outbox.
    town(dir).close();
    towns.pop();
    writeEvents(dir, 12_000);
    const slow = { ...TEST_TIMINGS, batchSize: 200, windowEvents: 1_000 };
    const run = () => spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'town-process.ts'), dir, JSON.stringify(linkConfig(code)), JSON.stringify(slow)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const first = run();
    await waitFor('some events at the city', () => (city.town(code)?.events ?? 0) > 1_000, 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = city.town(code)!.events;
    expect(atKill).toBeLessThan(12_000);
    const second = run();
    try {
      await waitFor('every event at the city', () => city.town(code)!.events === 12_000, 90_000, 200);
    } finally {
      second.kill('SIGKILL');
      await new Promise((resolve) => second.once('exit', resolve));
    }
    expect(city.town(code)!.headSeq).toBe(12_000);
    expect(city.verify(code)).toEqual({ ok: true, checked: 12_000, problem: null });
    // The rows the first process had in flight came again: recognised as duplicates, no second row.
    const rows = city.db.prepare('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM events WHERE town = ?').get(code);
    expect(rows).toEqual({ n: 12_000, ids: 12_000 });
  }, 180_000);

  it('a directive sent while the town is offline arrives after reconnect: one incident, signed for, followed to feedback', async () => {
    const { town: code, dir, cityDb, cityId } = names();
    const city = await startCity(cityDb, cityId);
    const t = town(dir);
    await t.call('uplink.configure', { config: linkConfig(code) });
    await waitFor('connected', async () => (await t.call('uplink.status', {})).state === 'connected');
    await t.call('uplink.switch', { on: false });
    expect((await t.call('uplink.status', {})).state).toBe('off');
    const now = Date.now();
    const directive = await city.issueDirective(code, {
      issuer: '香洲区综治中心',
      mode: 'supervise',
      text: '请核查东湾码头夜间快艇靠岸情况并反馈。',
      deadline: now + 48 * 3_600_000,
      priority: 2,
      newCase: { category: 'smuggling', title: '东湾码头快艇核查', description: '', location: null, occurredAt: now - 3_600_000 },
    });
    // The same directive again (a resend by the city): still one incident.
    await city.publishRaw(code, 'directives', encodeMessage({ v: PROTOCOL_VERSION, kind: 'directive', town: code, directive }));
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.call('directives.list', {})).toEqual([]);

    await t.call('uplink.switch', { on: true });
    const [received] = await waitFor('the directive', async () => {
      const list = await t.call('directives.list', {});
      return list.length ? list : null;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await t.call('directives.list', {})).toHaveLength(1);
    const incidents = await t.call('incidents.list', { filter: { sources: ['city_directive'] } });
    expect(incidents.total).toBe(1);
    expect(received).toMatchObject({ id: directive.id, incidentId: incidents.rows[0]!.id, signedBy: null, mode: 'supervise', priority: 2 });
    await waitFor('the city to hear it was received', () => city.directive(directive.id)?.status === 'received');

    const signed = await t.call('directives.sign', { id: directive.id });
    expect(signed.signedBy).toBe('值班员 张三');
    await waitFor('the city to hear it was signed', () => city.directive(directive.id)?.status === 'signed');
    expect(city.directive(directive.id)!.signedBy).toBe('值班员 张三');

    const id = received!.incidentId;
    let version = (await t.call('incidents.get', { id })).incident.version;
    for (const transition of [
      { action: 'dispatch', assignee: { kind: 'unit', name: '桂山边防派出所' } },
      { action: 'start' },
      { action: 'submit_feedback', result: '已核查，未发现异常靠岸。' },
    ] as const) {
      version = (await t.call('incidents.transition', { id, expectedVersion: version, transition })).version;
    }
    await waitFor('feedback to close it at the city', () => city.directive(directive.id)?.status === 'feedback');
  }, 60_000);

  it('a wrong password: "refused" (auth) with a long backoff, no retry storm', async () => {
    const { town: code, dir } = names();
    // The real refusal backoff (30 s base) decides here.
    const t = town(dir, { ...TEST_TIMINGS, backoff: { down: { baseMs: 200, capMs: 1_000 }, refused: { baseMs: 30_000, capMs: 900_000 } } });
    const refusals = () => broker.log().split('\n').filter((l) => /disconnected, not authori[sz]ed/i.test(l)).length;
    const refusedBefore = refusals();
    await t.call('uplink.configure', { config: linkConfig(code, { password: 'wrong' }) });
    const refused = await waitFor('refused', async () => {
      const s = await t.call('uplink.status', {});
      return s.state === 'refused' ? s : null;
    });
    expect(refused.problem).toBe('auth');
    // Mosquitto answers 135 (not authorized) to a wrong password; 134 is the other broker's choice.
    expect(refused.detail).toMatch(/^CONNACK 13[45]$/);
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await t.call('uplink.status', {});
    expect(later.attempts).toBe(1);
    expect(later.nextAttemptAt! - Date.now()).toBeGreaterThan(10_000);
    // The broker refused exactly one attempt (it logs a refused client as <unknown>).
    expect(refusals() - refusedBefore).toBe(1);
    expect((await t.call('uplink.log', {})).filter((e) => e.kind === 'refused')).toHaveLength(1);
  }, 30_000);

  it('a CA that did not sign the broker: "refused" (tls) with the reason', async () => {
    const { town: code, dir } = names();
    const t = town(dir);
    await t.call('uplink.configure', { config: linkConfig(code, { ca: pki.otherCaCert }) });
    const refused = await waitFor('refused', async () => {
      const s = await t.call('uplink.status', {});
      return s.state === 'refused' ? s : null;
    });
    expect(refused.problem).toBe('tls');
    expect(refused.detail).toMatch(/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/);
  }, 30_000);

  it('malformed and future-version messages are refused and reported both ways; nothing is created; the link goes on', async () => {
    const { town: code, dir, cityDb, cityId } = names();
    const city = await startCity(cityDb, cityId);
    const t = town(dir);
    await t.call('uplink.configure', { config: linkConfig(code) });
    await waitFor('connected', async () => (await t.call('uplink.status', {})).state === 'connected');
    const before = (await t.call('incidents.summary', {})).total;

    // City → town: garbage, a future version, a directive missing its text.
    await city.publishRaw(code, 'directives', Buffer.from([0xff, 0x00, 0x7b]));
    await city.publishRaw(code, 'directives', JSON.stringify({ v: PROTOCOL_VERSION + 1, kind: 'directive', town: code, directive: {} }));
    await city.publishRaw(code, 'directives', JSON.stringify({ v: PROTOCOL_VERSION, kind: 'directive', town: code, directive: { id: crypto.randomUUID(), issuer: 'x' } }));
    await waitFor('three refusals at the city', () => city.refusals(code).filter((r) => r.direction === 'town').length === 3);
    expect(city.refusals(code).map((r) => r.reason)).toEqual(['malformed', 'unsupported_version', 'malformed']);
    expect((await t.call('uplink.status', {})).lastRefusal).toMatchObject({ direction: 'town', reason: 'malformed' });

    // Town → city: someone publishes garbage on the town's events topic; the city refuses it, the town hears why.
    const intruder = connect(broker.url, { username: 'intruder', password: 'intruder-pass', ca: pki.caCert, clientId: `intruder-${code}`, protocolVersion: 5 });
    await new Promise((resolve) => intruder.once('connect', resolve));
    await intruder.publishAsync(townTopic('city/v1', code, 'events'), JSON.stringify({ v: 99, kind: 'events' }), { qos: 1 });
    await intruder.endAsync();
    await waitFor('the town to hear the city refused', async () => (await t.call('uplink.status', {})).lastRefusal?.direction === 'city');
    expect((await t.call('uplink.status', {})).lastRefusal).toMatchObject({ direction: 'city', reason: 'unsupported_version' });

    expect((await t.call('incidents.summary', {})).total).toBe(before);
    expect(await t.call('directives.list', {})).toEqual([]);
    // Still working: a new case goes up.
    writeEvents(dir, 5);
    await waitFor('the new events to be acknowledged', async () => (await t.call('uplink.status', {})).backlog === 0);
    expect(city.town(code)!.events).toBe(5);
    expect((await t.call('uplink.status', {})).state).toBe('connected');
  }, 30_000);
});

describe('the city link with a client certificate per town (Mosquitto require_certificate true, no passwords)', () => {
  let certBroker: RunningMosquitto;
  let cityCert: { cert: string; key: string };

  beforeAll(async () => {
    certBroker = await startMosquitto({ pki, requireCertificate: true });
    cityCert = issueClientCert(pki, 'city');
  }, 30_000);

  afterAll(async () => {
    await certBroker?.stop();
  });

  const certConfig = (code: string, extra: Partial<LinkConfigInput> = {}): LinkConfigInput => {
    const own = issueClientCert(pki, code);
    return { url: certBroker.url, town: code, ca: pki.caCert, cert: own.cert, key: own.key, ...extra };
  };
  const refusedStatus = async (t: Town) =>
    waitFor('refused', async () => {
      const s = await t.call('uplink.status', {});
      return s.state === 'refused' ? s : null;
    });

  it("the town's own certificate (signed by the city's CA) connects without a password; its events arrive and verify", async () => {
    const { town: code, dir, cityDb, cityId } = names();
    const city = new ReferenceCity({ dbFile: cityDb, brokerUrl: certBroker.url, clientId: cityId, mqtt: { ca: pki.caCert, cert: cityCert.cert, key: cityCert.key } });
    await city.start();
    cities.push(city);
    const t = town(dir);
    writeEvents(dir, 50);
    const config = certConfig(code);
    // A certificate without its key is refused beside the key field; nothing is stored.
    const keyless = await t.call('uplink.configure', { config: { ...config, key: undefined } }).catch((e: { body: { issues: unknown[] } }) => e.body);
    expect(keyless).toMatchObject({ code: 'validation', issues: [expect.objectContaining({ path: 'config.key', reason: 'uplink.key_required' })] });
    expect(await t.call('uplink.config', {})).toBeNull();

    await t.call('uplink.configure', { config });
    const view = (await t.call('uplink.config', {}))!;
    expect(view).toMatchObject({ hasKey: true, hasPassword: false, username: '' });
    expect(JSON.stringify(view)).not.toContain('PRIVATE KEY');
    await waitFor('the backlog to drain', async () => (await t.call('uplink.status', {})).backlog === 0, 30_000);
    expect(await t.call('uplink.status', {})).toMatchObject({ state: 'connected', problem: null, mqttVersion: 5 });
    expect(city.town(code)).toMatchObject({ headSeq: 50, events: 50 });
    expect(city.verify(code).ok).toBe(true);
    // The broker knows the town by its certificate's name.
    expect(certBroker.log()).toMatch(new RegExp(`New client connected from 127\\.0\\.0\\.1:\\d+ as town-${code} .*u'${code}'`));
  }, 60_000);

  it('a town that trusts another CA refuses the broker: "refused" (tls) with the reason, and retries slowly', async () => {
    const { town: code, dir } = names();
    const t = town(dir);
    await t.call('uplink.configure', { config: certConfig(code, { ca: pki.otherCaCert }) });
    const refused = await refusedStatus(t);
    expect(refused.problem).toBe('tls');
    expect(refused.detail).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
    expect(refused.nextAttemptAt! - Date.now()).toBeGreaterThan(10_000);
    expect((await t.call('uplink.log', {})).filter((e) => e.kind === 'refused')).toMatchObject([{ reason: 'tls', detail: refused.detail }]);
  }, 30_000);

  it("the broker refuses a town whose certificate another CA signed, and one with none: \"refused\" (tls), nothing delivered", async () => {
    const { town: code, dir, cityDb, cityId } = names();
    const city = new ReferenceCity({ dbFile: cityDb, brokerUrl: certBroker.url, clientId: cityId, mqtt: { ca: pki.caCert, cert: cityCert.cert, key: cityCert.key } });
    await city.start();
    cities.push(city);
    const t = town(dir);
    writeEvents(dir, 5);
    const forged = issueClientCert(pki, code, 'other-ca');
    await t.call('uplink.configure', { config: certConfig(code, { cert: forged.cert, key: forged.key }) });
    const refused = await refusedStatus(t);
    expect(refused.problem).toBe('tls');
    // The broker's TLS alert, as Node reports it: it does not know the CA of the town's certificate.
    expect(refused.detail).toBe('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');

    const { town: bare, dir: bareDir } = names();
    const u = town(bareDir);
    await u.call('uplink.configure', { config: { url: certBroker.url, town: bare, ca: pki.caCert } });
    const noCert = await refusedStatus(u);
    expect(noCert).toMatchObject({ problem: 'tls', detail: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    expect(city.town(code)).toBeNull();
    expect((await t.call('uplink.status', {})).backlog).toBe(5);
  }, 30_000);
});

/**
 * The city-link contract over every transport: status, settings (secrets write-only, certificates
 * checked), the drill switch, the link's log, directives and signing for them — against an
 * in-process aedes broker and the reference city (the demo's set-up; the real Mosquitto runs in
 * tests/integration/uplink-mosquitto.test.ts).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Aedes } from 'aedes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands, type CommandInput, type CommandName, type CommandOutput, type ConsoleClient, type Cosign, type EventPayload } from '@shared';
import { cosignBy } from './login';
import { openCore, type Core } from '../../electron/core';
import { ReferenceCity } from '../../tools/city/city';
import { waitFor } from '../support/mosquitto';
import { DRAFT, expectContractError, type TransportFactory, type TransportHarness } from './suite';
import { SUITE_PERSON, personFor, signIn } from './login';

const OPERATOR = SUITE_PERSON.name;

export function uplinkSuite(label: string, factory: TransportFactory): void {
  describe(`the city-link contract over ${label}`, () => {
    let dir: string;
    let core: Core;
    let harness: TransportHarness;
    let client: ConsoleClient;
    let broker: Aedes;
    let server: net.Server;
    let url: string;
    let city: ReferenceCity;
    /** A settings change is co-signed (四眼原则): the shift leader's credentials. */
    let cosign: Cosign;
    const statuses: EventPayload<'uplink.status'>[] = [];
    const directiveEvents: EventPayload<'directives.changed'>[] = [];
    const logged: EventPayload<'uplink.logged'>[] = [];

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-uplink-contract-'));
      broker = await Aedes.createBroker();
      server = net.createServer(broker.handle);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      city = new ReferenceCity({ dbFile: path.join(dir, 'city.sqlite3'), brokerUrl: url, mqtt: { protocolVersion: 4, properties: undefined } });
      await city.start();
      core = openCore({ dataDir: path.join(dir, 'town'), host: 'node', operator: OPERATOR, version: '0.0.0-test', uplinkTimings: { tickMs: 50, ackTimeoutMs: 1000 } });
      harness = await factory(core);
      client = (await harness.open()).client;
      cosign = await cosignBy(core);
      statuses.length = 0;
      directiveEvents.length = 0;
      logged.length = 0;
      client.subscribe('uplink.status', (s) => statuses.push(s));
      client.subscribe('directives.changed', (d) => directiveEvents.push(d));
      client.subscribe('uplink.logged', (e) => logged.push(e));
    });

    afterEach(async () => {
      await harness.close();
      core.close();
      await city.stop();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Every answer must be exactly its output schema. */
    const call = async <N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
      const value = await client.invoke(name, input);
      expect(value, name).toEqual(commands[name].output.parse(value));
      return value;
    };
    const config = (extra: Partial<CommandInput<'uplink.configure'>['config']> = {}): CommandInput<'uplink.configure'>['config'] => ({
      url,
      town: 'GS',
      mqttVersion: 4,
      username: 'gs',
      password: 'secret-密码',
      ...extra,
    });

    it('starts not configured, with the outbox as its backlog', async () => {
      await call('incidents.create', { draft: DRAFT });
      expect(await call('uplink.status', {})).toMatchObject({ state: 'not_configured', backlog: 1, anchor: null, town: null, unsignedDirectives: 0 });
      expect(await call('uplink.config', {})).toBeNull();
      expect(await call('uplink.log', {})).toEqual([]);
      expect(await call('directives.list', {})).toEqual([]);
    });

    it('refuses bad settings field by field and stores nothing', async () => {
      const bad = await expectContractError(client.invoke('uplink.configure', { config: config({ url: 'http://city' }), cosign }), 'validation');
      expect(bad.issues).toEqual([expect.objectContaining({ path: 'config.url', reason: 'uplink.bad_url' })]);
      const pem = await expectContractError(
        client.invoke('uplink.configure', { config: config({ ca: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----' }), cosign }),
        'validation',
      );
      expect(pem.issues).toEqual([expect.objectContaining({ path: 'config.ca', reason: 'uplink.bad_certificate' })]);
      const town = await expectContractError(client.invoke('uplink.configure', { config: config({ town: 'G S/1' }), cosign }), 'validation');
      expect(town.issues).toEqual([expect.objectContaining({ path: 'config.town', reason: 'uplink.bad_town' })]);
      expect(await call('uplink.config', {})).toBeNull();
      expect((await call('uplink.status', {})).state).toBe('not_configured');
    });

    it('connects, delivers until the city acknowledges, never shows the password, and switches off for drills', async () => {
      await call('incidents.create', { draft: DRAFT });
      const status = await call('uplink.configure', { config: config(), cosign });
      expect(['connecting', 'connected']).toContain(status.state);
      const view = await call('uplink.config', {});
      expect(view).toMatchObject({ url, town: 'GS', username: 'gs', hasPassword: true, hasKey: false, drills: 'marked' });
      expect(JSON.stringify(view)).not.toContain('secret-密码');
      await waitFor('delivery', () => statuses.find((s) => s.state === 'connected' && s.backlog === 0 && s.anchor?.seq === 1), 10_000);
      expect(city.town('GS')).toMatchObject({ headSeq: 1, events: 1 });

      const off = await call('uplink.switch', { on: false });
      expect(off.state).toBe('off');
      await call('incidents.create', { draft: DRAFT });
      await new Promise((r) => setTimeout(r, 200));
      expect((await call('uplink.status', {})).backlog).toBe(1);
      await call('uplink.switch', { on: true });
      await waitFor('the backlog to reach zero', async () => (await call('uplink.status', {})).backlog === 0, 10_000);
      expect(city.town('GS')!.events).toBe(2);
      const log = await call('uplink.log', {});
      expect(log.map((e) => e.kind)).toEqual(expect.arrayContaining(['configured', 'up', 'switched_off', 'switched_on']));
      // Who switched it: the person logged in at this window (name and staff number from the session); the link's own lines name nobody.
      const person = { actor: SUITE_PERSON.name, actorStaffNo: SUITE_PERSON.staffNo };
      expect(log.find((e) => e.kind === 'switched_off')).toMatchObject(person);
      expect(log.find((e) => e.kind === 'configured')).toMatchObject(person);
      expect(log.find((e) => e.kind === 'up')).toMatchObject({ actor: null, actorStaffNo: null });
      // Every line was pushed as it was written (the duty log hears link down / up live) …
      await waitFor('the pushed lines', () => logged.length === log.length, 5_000);
      expect([...logged].reverse()).toEqual(log);
      // … and a shift reads its own lines by time: [since, until), newest first.
      const switchedOff = log.find((e) => e.kind === 'switched_off')!;
      const shift = await call('uplink.log', { since: switchedOff.at, until: switchedOff.at + 1 });
      expect(shift.map((e) => e.id)).toEqual(log.filter((e) => e.at === switchedOff.at).map((e) => e.id));
      expect(await call('uplink.log', { since: 0, until: 1 })).toEqual([]);
      // Keeping the password: a new setting without one keeps the stored secret.
      await call('uplink.configure', { config: { ...config(), password: undefined }, cosign });
      expect((await call('uplink.config', {}))!.hasPassword).toBe(true);
    });

    it('a directive arrives as one incident; signing is by the caller, once', async () => {
      await call('uplink.configure', { config: config(), cosign });
      await waitFor('connected', async () => (await call('uplink.status', {})).state === 'connected', 10_000);
      const now = Date.now();
      const directive = await city.issueDirective('GS', {
        issuer: '香洲区综治中心',
        mode: 'assign',
        text: '请核查。',
        deadline: now + 86_400_000,
        priority: 2,
        newCase: { category: 'dispute', title: '工地欠薪纠纷', description: '', location: null, occurredAt: now - 60_000 },
      });
      await waitFor('directives.changed', () => directiveEvents.find((d) => d.id === directive.id && d.outcome === 'created'), 10_000);
      const [listed] = await call('directives.list', {});
      expect(listed).toMatchObject({ id: directive.id, mode: 'assign', signedBy: null, incidentStatus: 'reported', incidentTitle: '工地欠薪纠纷' });
      expect((await call('uplink.status', {})).unsignedDirectives).toBe(1);
      const { timeline } = await call('incidents.get', { id: listed!.incidentId });
      expect(timeline.map((e) => e.type)).toEqual(['created', 'directive_received']);

      // An analyst's window may read directives but not sign for them; nothing changes.
      const analyst = (await harness.open()).client;
      await signIn(core, analyst, 'analyst');
      const refused = await expectContractError(analyst.invoke('directives.sign', { id: directive.id }), 'forbidden');
      expect(refused.reason).toBe('auth.forbidden');
      expect((await call('directives.list', {}))[0]).toMatchObject({ signedBy: null, signedByStaffNo: null });

      // An operator signs at their own window: the receipt names them (from the session), not the suite's person.
      const operator = (await harness.open()).client;
      await signIn(core, operator, 'operator');
      const who = personFor('operator');
      const signed = await operator.invoke('directives.sign', { id: directive.id });
      expect(signed).toMatchObject({ signedBy: who.name, signedByStaffNo: who.staffNo });
      const again = await expectContractError(client.invoke('directives.sign', { id: directive.id }), 'conflict');
      expect(again).toMatchObject({ reason: 'uplink.directive_already_signed', params: { signer: who.name } });
      const after = await call('incidents.get', { id: listed!.incidentId });
      expect(after.timeline.at(-1)).toMatchObject({ type: 'directive_signed', actor: who.name, payload: { signer: who.name, signerStaffNo: who.staffNo } });
      const missing = await expectContractError(client.invoke('directives.sign', { id: 'nope' }), 'not_found');
      expect(missing.reason).toBe('uplink.unknown_directive');
      await waitFor('the city to hear the signature', () => city.directive(directive.id)?.status === 'signed', 10_000);
      expect(city.directive(directive.id)).toMatchObject({ signedBy: who.name, signedByStaffNo: who.staffNo });
      expect((await call('uplink.status', {})).unsignedDirectives).toBe(0);
    });
  });
}

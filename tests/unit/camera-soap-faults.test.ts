/**
 * The ONVIF driver against devices that answer badly at the byte level (tests/support/fake-onvif-device):
 * each fault alone, on every reply, with a preset named in Chinese to make characters ≠ bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CameraCallError, EventsUnsupported } from '../../electron/core/cameras/driver';
import { OnvifDriver } from '../../electron/core/cameras/onvif-driver';
import { RequestGate, dechunk, parseFault } from '../../electron/core/cameras/soap-transport';
import { startOnvifSimulator, type OnvifSimulator, type SimulatedCameraOptions } from '../../electron/core/cameras/simulator/onvif-simulator';
import { startFakeDevice, type ByteFault, type FakeDevice } from '../support/fake-onvif-device';

const PASSWORD = 'Pier#2026-秘密';
const open: Array<OnvifSimulator | FakeDevice> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

const simulate = async (overrides: Partial<SimulatedCameraOptions> = {}) => {
  const sim = await startOnvifSimulator({
    name: '桂山码头',
    username: 'admin',
    password: PASSWORD,
    auth: 'digest',
    ptz: true,
    profiles: [{ token: 'main', name: 'Main', width: 1280, height: 720, fps: 25, streamUri: 'rtsp://127.0.0.1:8554/main' }],
    ...overrides,
  });
  open.push(sim);
  return sim;
};

const device = async (faultFor: (action: string) => ByteFault | null, overrides: Partial<SimulatedCameraOptions> = {}) => {
  const sim = await simulate(overrides);
  const fake = await startFakeDevice(sim, faultFor);
  open.push(fake);
  return { sim, fake };
};

describe('SOAP replies as real devices send them', () => {
  it.each(['chars-length', 'chunked', 'no-length', 'odd-namespaces'] as const)('%s on every reply: connects, reads profiles, and a Chinese preset name round-trips', async (fault) => {
    const { fake } = await device(() => fault);
    const driver = new OnvifDriver({ timeoutMs: 3_000 });
    const connection = await driver.connect({ url: fake.xaddr, username: 'admin', password: PASSWORD });
    expect((await connection.deviceInformation()).model).toBe('SimCam-1');
    expect((await connection.profiles()).map((p) => [p.token, p.width])).toEqual([['main', 1280]]);
    const token = await connection.setPreset('main', '东堤渡口·夜间');
    expect(await connection.presets('main')).toContainEqual({ token, name: '东堤渡口·夜间' });
    expect(await driver.probe({ url: fake.xaddr, username: '', password: '' })).toBeGreaterThan(Date.UTC(2020, 0, 1));
  }, 30_000);

  it('says what the camera answered: a SOAP 1.2 fault (code and text), a SOAP 1.1 fault, or no answer at all', async () => {
    const { fake, sim } = await device((action) => (action === 'GotoHomePosition' ? 'soap11-fault' : action === 'Stop' ? 'silent' : null));
    const connection = await new OnvifDriver({ timeoutMs: 1_500 }).connect({ url: fake.xaddr, username: 'admin', password: PASSWORD });

    // The simulator's own SOAP 1.2 fault for a preset it does not have.
    const soap12 = await connection.gotoPreset('main', 'nope').catch((e: unknown) => e);
    expect(soap12).toBeInstanceOf(CameraCallError);
    expect(soap12).toMatchObject({ kind: 'fault', fault: { code: 'ter:InvalidArgVal', text: 'no such preset' } });

    const soap11 = await connection.gotoHome('main').catch((e: unknown) => e);
    expect(soap11).toMatchObject({ kind: 'fault', fault: { code: 'SOAP-ENV:Client', text: '预置位不存在 (preset not found)' } });

    // Stop is never answered (no answer within the timeout); the driver falls back to a zero ContinuousMove, which is.
    await connection.stop('main');
    expect(sim.calls.map((c) => c.action).slice(-1)).toEqual(['ContinuousMove']);
    const closed = await new OnvifDriver({ timeoutMs: 800 }).probe({ url: 'http://127.0.0.1:1/onvif/device_service', username: '', password: '' }).catch((e: unknown) => e);
    expect(closed).toMatchObject({ kind: 'no_answer' });
  }, 30_000);

  it('a camera that never answers is "no answer" within the timeout, not a hang', async () => {
    const { fake } = await device((action) => (action === 'GetSystemDateAndTime' ? 'silent' : null));
    const started = Date.now();
    const error = await new OnvifDriver({ probeTimeoutMs: 700 }).probe({ url: fake.xaddr, username: '', password: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CameraCallError);
    expect(error).toMatchObject({ kind: 'no_answer' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a camera without events: no subscription is attempted at a made-up address; the answer says why', async () => {
    const sim = await simulate({ events: false });
    const connection = await new OnvifDriver().connect({ url: sim.xaddr, username: 'admin', password: PASSWORD });
    const error = await connection.createPullPoint().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventsUnsupported);
    expect((error as EventsUnsupported).answer).toMatch(/no Events service/);
    expect(sim.calls.filter((c) => c.service === 'events')).toEqual([]);
  });

  it('never has more exchanges in flight than the gate allows', async () => {
    const sims = await Promise.all(Array.from({ length: 6 }, (_, i) => simulate({ serialNumber: `G${i}` })));
    const gate = new RequestGate(2);
    const driver = new OnvifDriver({ gate });
    const times = await Promise.all(sims.flatMap((sim) => [1, 2, 3].map(() => driver.probe({ url: sim.xaddr, username: '', password: '' }))));
    expect(times).toHaveLength(18);
    expect(gate.total).toBe(18);
    expect(gate.maxInFlight).toBe(2);
  });
});

describe('the lenient reply reader', () => {
  it('decodes chunks that split a UTF-8 character, with extensions, and knows when the last one came', () => {
    const text = Buffer.from('渡口', 'utf8');
    const raw = Buffer.concat([Buffer.from('2;ext=1\r\n'), text.subarray(0, 2), Buffer.from('\r\n4\r\n'), text.subarray(2), Buffer.from('\r\n')]);
    expect(dechunk(raw)).toEqual({ body: text, done: false });
    expect(dechunk(Buffer.concat([raw, Buffer.from('0\r\n\r\n')]))).toEqual({ body: text, done: true });
  });

  it('reads SOAP 1.2 and 1.1 faults, entities included', () => {
    expect(
      parseFault(
        '<env:Envelope xmlns:env="x"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Sender &amp; not authorized</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>',
      ),
    ).toEqual({ code: 'ter:NotAuthorized', text: 'Sender & not authorized' });
    expect(parseFault('<Envelope><Body><Fault><faultcode>Server</faultcode><faultstring>busy</faultstring></Fault></Body></Envelope>')).toEqual({ code: 'Server', text: 'busy' });
    expect(parseFault('<Envelope><Body><GetPresetsResponse/></Body></Envelope>')).toBeNull();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import nodeOnvif from 'node-onvif';
import { startOnvifSimulator, type OnvifSimulator, type SimulatedCameraOptions } from './simulator/onvif-simulator';
import { OnvifDriver } from './onvif-driver';
import { CameraConnectError } from './driver';

const sims: OnvifSimulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

const camera = (overrides: Partial<SimulatedCameraOptions> = {}): SimulatedCameraOptions => ({
  name: '桂山码头',
  username: 'admin',
  password: 'Pier#2026',
  ptz: true,
  profiles: [
    { token: 'main', name: 'Main', width: 1280, height: 720, fps: 25, streamUri: 'rtsp://127.0.0.1:8554/main' },
    { token: 'sub', name: 'Sub', width: 640, height: 360, fps: 25, streamUri: 'rtsp://127.0.0.1:8554/sub' },
  ],
  ...overrides,
});

async function start(options: SimulatedCameraOptions) {
  const sim = await startOnvifSimulator(options);
  sims.push(sim);
  return sim;
}

const driver = new OnvifDriver();

describe('the ONVIF driver against the simulator', () => {
  it.each(['ws-security', 'digest', 'either'] as const)('connects with %s authentication and reads device, profiles and URIs', async (auth) => {
    const sim = await start(camera({ auth }));
    const conn = await driver.connect({ url: sim.xaddr, username: 'admin', password: 'Pier#2026' });
    expect(await conn.deviceInformation()).toMatchObject({ manufacturer: 'Duty Console', model: 'SimCam-1' });
    const profiles = await conn.profiles();
    expect(profiles.map((p) => [p.token, p.width, p.height, p.fps, p.encoding, p.streamUri])).toEqual([
      ['main', 1280, 720, 25, 'H264', 'rtsp://127.0.0.1:8554/main'],
      ['sub', 640, 360, 25, 'H264', 'rtsp://127.0.0.1:8554/sub'],
    ]);
    expect(profiles[0]!.snapshotUri).toMatch(/\/snapshot\/main\.jpg$/);
    expect(conn.hasPtz).toBe(true);
    if (auth === 'digest') expect(sim.calls.some((c) => c.action === 'GetProfiles')).toBe(true);
  });

  it('learns a drifted camera clock first, so WS-UsernameToken signatures are accepted', async () => {
    const offset = 47 * 60_000;
    const sim = await start(camera({ auth: 'ws-security', clockOffsetMs: offset }));
    const conn = await driver.connect({ url: sim.xaddr, username: 'admin', password: 'Pier#2026' });
    expect(Math.abs(conn.clockOffsetMs - offset)).toBeLessThan(2_000);
    await expect(conn.deviceInformation()).resolves.toMatchObject({ serialNumber: 'SIM0001' });
  });

  it('says "unauthorized" for a wrong password and "unreachable" for a closed port', async () => {
    const sim = await start(camera({ auth: 'digest' }));
    const wrong = driver.connect({ url: sim.xaddr, username: 'admin', password: 'nope' });
    await expect(wrong).rejects.toBeInstanceOf(CameraConnectError);
    await expect(wrong).rejects.toMatchObject({ reason: 'unauthorized' });
    const wsse = await start(camera({ auth: 'ws-security' }));
    await expect(driver.connect({ url: wsse.xaddr, username: 'admin', password: 'nope' })).rejects.toMatchObject({ reason: 'unauthorized' });
    await sim.close();
    await expect(driver.connect({ url: sim.xaddr, username: 'admin', password: 'x' })).rejects.toMatchObject({ reason: 'unreachable' });
  });

  it('moves PTZ with ContinuousMove then an explicit Stop; presets and home', async () => {
    const sim = await start(camera());
    const conn = await driver.connect({ url: sim.xaddr, username: 'admin', password: 'Pier#2026' });
    await conn.continuousMove('main', { pan: 0.5, tilt: 0, zoom: 0 });
    await conn.stop('main');
    const ptz = sim.calls.filter((c) => c.service === 'ptz_service').map((c) => c.action);
    expect(ptz.slice(-2)).toEqual(['ContinuousMove', 'Stop']);
    expect((await conn.presets('main')).map((p) => p.name)).toEqual(['Pier', 'Beach']);
    await conn.gotoPreset('main', '2');
    const token = await conn.setPreset('main', 'Ferry');
    expect(token).toBe('3');
    expect((await conn.presets('main')).map((p) => p.name)).toContain('Ferry');
    await conn.gotoHome('main');
    expect(sim.calls.map((c) => c.action)).toEqual(expect.arrayContaining(['GotoPreset', 'SetPreset', 'GotoHomePosition']));
  });

  it('pulls a motion event through a PullPoint subscription, renews and unsubscribes', async () => {
    const sim = await start(camera());
    const conn = await driver.connect({ url: sim.xaddr, username: 'admin', password: 'Pier#2026' });
    const pullPoint = await conn.createPullPoint();
    setTimeout(() => sim.raiseMotion(true), 100);
    const events = await pullPoint.pull();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ topic: 'tns1:RuleEngine/CellMotionDetector/Motion', data: { IsMotion: 'true' } });
    await pullPoint.renew();
    await pullPoint.unsubscribe();
    expect(sim.calls.map((c) => c.action)).toEqual(
      expect.arrayContaining(['CreatePullPointSubscription', 'PullMessages', 'Renew', 'Unsubscribe']),
    );
  });
});

describe('the simulator speaks ONVIF to an independent client (node-onvif)', () => {
  it('node-onvif reads device information and profiles, and moves PTZ', async () => {
    const sim = await start(camera({ auth: 'ws-security' }));
    const device = new nodeOnvif.OnvifDevice({ xaddr: sim.xaddr, user: 'admin', pass: 'Pier#2026' });
    const info = await device.init();
    expect(info).toMatchObject({ Manufacturer: 'Duty Console', Model: 'SimCam-1', SerialNumber: 'SIM0001' });
    const profiles = device.getProfileList();
    expect(profiles.map((p) => [p.token, p.video.encoder.resolution.width, p.stream.rtsp])).toEqual([
      ['main', 1280, 'rtsp://127.0.0.1:8554/main'],
      ['sub', 640, 'rtsp://127.0.0.1:8554/sub'],
    ]);
    await device.ptzMove({ speed: { x: 0.3, y: 0, z: 0 }, timeout: 1 });
    await device.ptzStop();
    expect(sim.calls.filter((c) => c.service === 'ptz_service').map((c) => c.action)).toEqual(['ContinuousMove', 'Stop']);
  });
});

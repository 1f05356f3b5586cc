/**
 * The cameras contract over every transport: registry, discovery, walls and the video endpoint,
 * against simulated ONVIF cameras (and GStreamer's RTSP server for live video).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { cameraCommands, commands, type CommandInput, type CommandName, type CommandOutput, type ConsoleClient } from '@shared';
import { TEST_SESSION_HOURS } from './login';
import { openCore, type Core } from '../../electron/core';
import { startOnvifSimulator, type OnvifSimulator, type SimulatedCameraOptions } from '../../electron/core/cameras/simulator/onvif-simulator';
import { startRtspServer, testRtspPort, type RtspServer } from '../support/rtsp-server';
import { DRAFT, NOW, expectContractError, type TransportFactory, type TransportHarness } from './suite';
import { SUITE_PERSON } from './login';

const PASSWORD = 'Pier#2026-秘密';
const square = (code: string, lon: number, lat: number) => ({
  type: 'Feature',
  properties: { code },
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] },
});
/** GS-01 around the pier (113.826, 22.134), GS-07 further north. */
const GRIDS = JSON.stringify({ type: 'FeatureCollection', features: [square('GS-01', 113.82, 22.13), square('GS-07', 113.82, 22.15)] });

export function camerasSuite(label: string, factory: TransportFactory): void {
  // One RTSP server per transport's file (they may run at once): slots 2 and 3.
  const RTSP_PORT = testRtspPort(label.includes('memory') ? 2 : 3, 19_554);
  describe(`the cameras contract over ${label}`, () => {
    let dir: string;
    let core: Core;
    let harness: TransportHarness;
    let client: ConsoleClient;
    let rtsp: RtspServer;
    const sims: OnvifSimulator[] = [];
    const seen: unknown[] = [];

    const simulate = async (overrides: Partial<SimulatedCameraOptions> = {}) => {
      const sim = await startOnvifSimulator({
        name: '桂山码头',
        username: 'admin',
        password: PASSWORD,
        auth: 'digest',
        ptz: true,
        discoveryPort: 0,
        profiles: [
          { token: 'main', name: 'Main', width: 1280, height: 720, fps: 25, streamUri: rtsp.url('main') },
          { token: 'sub', name: 'Sub', width: 640, height: 360, fps: 25, streamUri: rtsp.url('sub') },
        ],
        ...overrides,
      });
      sims.push(sim);
      return sim;
    };

    /** Every answer is kept, to prove no password ever comes back. */
    const call = async <N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
      const value = await client.invoke(name, input);
      seen.push(value);
      expect(value, name).toEqual(commands[name].output.parse(value));
      return value;
    };

    beforeAll(async () => {
      rtsp = await startRtspServer(RTSP_PORT, ['main=1280x720@25', 'sub=640x360@25', 'hevc=320x180@10/h265']);
    }, 20_000);
    afterAll(async () => {
      await rtsp?.stop();
    });

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-cameras-'));
      core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test', sessionHours: TEST_SESSION_HOURS, now: () => NOW });
      const imported = await core.dispatch('grids.import', { crs: 'wgs84', geojson: GRIDS });
      if (!imported.ok) throw new Error(imported.error.message);
      harness = await factory(core);
      client = (await harness.open()).client;
      seen.length = 0;
    });

    afterEach(async () => {
      await harness.close();
      core.close();
      for (const sim of sims.splice(0)) await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('adds a camera by ONVIF address and reads device, profiles and PTZ; every camera command answers its schema', async () => {
      const sim = await simulate();
      const events: unknown[] = [];
      core.onEvent((name, payload) => events.push({ name, payload }));
      const camera = await call('cameras.add', {
        url: `127.0.0.1:${sim.port}`,
        username: 'admin',
        password: PASSWORD,
        fields: { location: { lon: 113.826, lat: 22.134 }, heading: 90, tags: ['码头'] },
      });
      expect(camera).toMatchObject({
        name: 'Duty Console SimCam-1',
        url: sim.xaddr,
        username: 'admin',
        location: { lon: 113.826, lat: 22.134 },
        heading: 90,
        tags: ['码头'],
        enabled: true,
        hasPtz: true,
        device: { manufacturer: 'Duty Console', model: 'SimCam-1', serialNumber: 'SIM0001' },
      });
      expect(camera.profiles.map((p) => [p.token, p.width, p.height])).toEqual([
        ['main', 1280, 720],
        ['sub', 640, 360],
      ]);
      expect(events).toContainEqual({ name: 'cameras.changed', payload: { reason: 'added' } });

      const updated = await call('cameras.update', { id: camera.id, fields: { name: '桂山码头东', fieldOfView: 60, grid: 'GS-01' } });
      expect(updated).toMatchObject({ name: '桂山码头东', fieldOfView: 60, grid: 'GS-01', heading: 90 });
      expect((await call('cameras.list', {})).cameras).toEqual([updated]);

      const found = await call('cameras.discover', { multicast: false, directed: { host: '127.0.0.1', port: sim.discoveryPort! }, timeoutMs: 500 });
      expect(found.devices).toEqual([{ url: sim.xaddr, name: '桂山码头', hardware: 'SimCam-1', cameraId: camera.id }]);

      const wall = await call('wall.save', { window: 'main', layout: { size: 9, tiles: [null, camera.id] } });
      expect(await call('wall.get', { window: 'main' })).toEqual(wall);
      expect(await call('wall.get', { window: 'second' })).toEqual({ size: 4, tiles: [] });

      const endpoint = await call('video.endpoint', {});
      expect(endpoint.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/video\?token=[0-9a-f]{48}$/);

      expect(await call('cameras.remove', { id: camera.id })).toEqual({});
      expect((await call('cameras.list', {})).cameras).toEqual([]);
      // The removed camera's tile is empty now.
      expect(await call('wall.get', { window: 'main' })).toEqual({ size: 9, tiles: [null, null] });

      const names = new Set(Object.keys(cameraCommands));
      expect(names).toEqual(
        new Set(['cameras.list', 'cameras.add', 'cameras.update', 'cameras.remove', 'cameras.discover', 'video.endpoint', 'wall.get', 'wall.save',
          'ptz.move', 'ptz.stop', 'ptz.presets', 'ptz.gotoPreset', 'ptz.setPreset', 'ptz.home',
          'alarms.list', 'alarms.acknowledge', 'alarms.dismiss', 'alarms.toIncident', 'cameras.snapshot', 'cameras.snapshotToIncident', 'cameras.health']),
      );
    });

    it('says which field is wrong: the password, an unreachable address, a second registration', async () => {
      const sim = await simulate({ auth: 'ws-security', clockOffsetMs: -3 * 3_600_000 });
      const wrong = await expectContractError(client.invoke('cameras.add', { url: sim.xaddr, username: 'admin', password: 'nope' }), 'validation');
      expect(wrong.issues).toEqual([{ path: 'password', message: 'wrong user name or password', reason: 'cameras.unauthorized' }]);
      const closed = await expectContractError(client.invoke('cameras.add', { url: 'http://127.0.0.1:1/onvif/device_service', username: 'a', password: 'b' }), 'validation');
      expect(closed.issues).toEqual([{ path: 'url', message: 'camera unreachable', reason: 'cameras.unreachable' }]);
      const bad = await expectContractError(client.invoke('cameras.add', { url: 'ftp://x', username: 'a', password: 'b' }), 'validation');
      expect(bad.issues).toEqual([{ path: 'url', message: 'not a valid ONVIF address', reason: 'cameras.bad_url' }]);
      const empty = await expectContractError(client.invoke('cameras.add', { url: ' ', username: 'a', password: 'b' }), 'validation');
      expect(empty.issues.map((i) => i.path)).toEqual(['url']);

      // A camera 3 hours off our clock is still added: the driver signs with the camera's time.
      const camera = await client.invoke('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD });
      expect(Math.abs(camera.clockOffsetMs + 3 * 3_600_000)).toBeLessThan(2_000);
      await expectContractError(client.invoke('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD }), 'conflict');
      await expectContractError(client.invoke('cameras.update', { id: '0196a000-0000-7000-8000-000000000000', fields: { name: 'x' } }), 'not_found');
      const badFields = await expectContractError(client.invoke('cameras.update', { id: camera.id, fields: { name: '', heading: 400 } }), 'validation');
      expect(badFields.issues.map((i) => i.path).sort()).toEqual(['fields.heading', 'fields.name']);
      const badWall = await expectContractError(
        client.invoke('wall.save', { window: 'main', layout: { size: 4, tiles: ['0196a000-0000-7000-8000-000000000000'] } }),
        'validation',
      );
      expect(badWall.issues).toEqual([{ path: 'layout.tiles.0', message: 'unknown camera', reason: 'cameras.unknown_camera' }]);
      // Custom walls: rows × columns up to 5×5, or a named layout; the size must be what the shape makes.
      const grid = await call('wall.save', { window: 'main', layout: { size: 6, tiles: [camera.id], shape: { kind: 'grid', rows: 2, cols: 3 } } });
      expect(await call('wall.get', { window: 'main' })).toEqual(grid);
      const focus = await call('wall.save', { window: 'side', layout: { size: 8, tiles: [null, camera.id], shape: { kind: 'focus', name: '1+7' } } });
      expect(await call('wall.get', { window: 'side' })).toEqual(focus);
      const mismatch = await expectContractError(
        client.invoke('wall.save', { window: 'main', layout: { size: 9, tiles: [], shape: { kind: 'grid', rows: 2, cols: 3 } } }),
        'validation',
      );
      expect(mismatch.issues.map((i) => i.path)).toEqual(['layout.size']);
      const tooBig = await expectContractError(
        client.invoke('wall.save', { window: 'main', layout: { size: 36, tiles: [], shape: { kind: 'grid', rows: 6, cols: 6 } } }),
        'validation',
      );
      expect(tooBig.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['layout.shape.rows', 'layout.shape.cols']));
      await expectContractError(client.invoke('wall.save', { window: 'main', layout: { size: 6, tiles: [], shape: { kind: 'focus', name: '2+2' } } } as never), 'validation');
      await expectContractError(client.invoke('wall.save', { window: 'main', layout: { size: 5, tiles: [] } }), 'validation');
      // Refused input changed nothing.
      expect(await call('wall.get', { window: 'main' })).toEqual(grid);
      expect((await client.invoke('cameras.list', {})).cameras).toHaveLength(1);
    });

    it('never lets a camera password reach the database file, the logs or any contract output', async () => {
      const logged: string[] = [];
      const spies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
      );
      try {
        const sim = await simulate();
        const camera = await call('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD });
        await call('cameras.list', {});
        await call('cameras.update', { id: camera.id, fields: { tags: ['x'] } });
        // Wrong password on another camera: the error must not echo it either.
        const other = await simulate({ serialNumber: 'SIM0002' });
        const failed = await expectContractError(client.invoke('cameras.add', { url: other.xaddr, username: 'admin', password: PASSWORD + 'x' }), 'validation');
        seen.push(failed.toBody());
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
      const outputs = JSON.stringify(seen);
      expect(outputs).not.toContain(PASSWORD);
      expect(logged.join('\n')).not.toContain(PASSWORD);
      core.close(); // checkpoints the WAL into the file
      const bytes = Buffer.concat(fs.readdirSync(dir).filter((f) => f.startsWith('console.sqlite3')).map((f) => fs.readFileSync(path.join(dir, f))));
      expect(bytes.includes(Buffer.from(PASSWORD, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from('password_sealed'))).toBe(true);
      const keyFile = fs.statSync(path.join(dir, 'secret.key'));
      expect(keyFile.mode & 0o077).toBe(0);
      core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test', sessionHours: TEST_SESSION_HOURS, now: () => NOW }); // for afterEach
    });

    it('drives PTZ: ContinuousMove then an explicit Stop, presets and home; refuses a camera without PTZ', async () => {
      const sim = await simulate();
      const camera = await call('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD });
      expect(await call('ptz.move', { cameraId: camera.id, pan: 0.5, tilt: 0, zoom: 0 })).toEqual({});
      expect(await call('ptz.stop', { cameraId: camera.id })).toEqual({});
      const ptzCalls = () => sim.calls.filter((c) => c.service === 'ptz_service').map((c) => c.action);
      expect(ptzCalls()).toEqual(['ContinuousMove', 'Stop']);
      expect(sim.calls.find((c) => c.action === 'ContinuousMove')?.body).toMatchObject({ ProfileToken: 'main' });
      expect((await call('ptz.presets', { cameraId: camera.id })).presets).toEqual([
        { token: '1', name: 'Pier' },
        { token: '2', name: 'Beach' },
      ]);
      expect(await call('ptz.gotoPreset', { cameraId: camera.id, preset: '2' })).toEqual({});
      expect(await call('ptz.setPreset', { cameraId: camera.id, name: '渡口' })).toEqual({ token: '3', name: '渡口' });
      expect(await call('ptz.home', { cameraId: camera.id })).toEqual({});
      // GotoPreset checks the token against the camera's list first (cameras answer an unknown token with success).
      expect(ptzCalls().slice(2)).toEqual(['GetPresets', 'GetPresets', 'GotoPreset', 'SetPreset', 'GotoHomePosition']);
      const unknownPreset = await expectContractError(client.invoke('ptz.gotoPreset', { cameraId: camera.id, preset: '99' }), 'validation');
      expect(unknownPreset).toMatchObject({ reason: 'cameras.unknown_preset', params: { preset: '99' } });
      expect(unknownPreset.issues).toEqual([{ path: 'preset', message: 'unknown preset', reason: 'cameras.unknown_preset', params: { preset: '99' } }]);
      expect(ptzCalls().filter((a) => a === 'GotoPreset')).toHaveLength(1); // refused: nothing sent
      const moveOutOfRange = await expectContractError(client.invoke('ptz.move', { cameraId: camera.id, pan: 2, tilt: 0, zoom: 0 }), 'validation');
      expect(moveOutOfRange.issues.map((i) => i.path)).toEqual(['pan']);

      const fixed = await simulate({ ptz: false, serialNumber: 'SIM0009' });
      const fixedCamera = await call('cameras.add', { url: fixed.xaddr, username: 'admin', password: PASSWORD });
      expect(fixedCamera.hasPtz).toBe(false);
      expect(await expectContractError(client.invoke('ptz.move', { cameraId: fixedCamera.id, pan: 0.5, tilt: 0, zoom: 0 }), 'conflict')).toMatchObject({ reason: 'cameras.no_ptz' });
      // A camera that went away: a conflict the operator sees ("did not answer"), not a crash.
      await sim.close();
      expect(await expectContractError(client.invoke('ptz.home', { cameraId: camera.id }), 'conflict')).toMatchObject({ reason: 'cameras.no_answer' });
    });

    it('turns a storm of ONVIF motion events into one alarm line, and one click into an incident', async () => {
      const sim = await simulate();
      const camera = await call('cameras.add', {
        url: sim.xaddr,
        username: 'admin',
        password: PASSWORD,
        fields: { name: '桂山码头东', location: { lon: 113.826, lat: 22.134 }, grid: 'GS-01', tags: ['双防'] },
      });
      const changes: unknown[] = [];
      core.onEvent((name, payload) => name === 'alarms.changed' && changes.push(payload));
      const until = async (check: () => Promise<boolean>) => {
        for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
      };
      // The watcher subscribes on its own once the camera is registered.
      await until(async () => sim.calls.some((c) => c.action === 'PullMessages'));
      for (let i = 0; i < 3; i++) {
        sim.raiseMotion(true);
        sim.raiseMotion(false); // the end of a motion is not an alarm
        await until(async () => (await client.invoke('alarms.list', {})).alarms[0]?.count === i + 1);
      }
      const { alarms } = await call('alarms.list', {});
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({ cameraId: camera.id, cameraName: '桂山码头东', kind: 'motion', count: 3, status: 'new' });
      expect(changes.filter((c) => (c as { sound: boolean }).sound)).toHaveLength(1);

      const dismissEmpty = await expectContractError(client.invoke('alarms.dismiss', { id: alarms[0]!.id, reason: ' ' }), 'validation');
      expect(dismissEmpty.issues.map((i) => i.path)).toEqual(['reason']);

      const { alarm, incident } = await call('alarms.toIncident', { id: alarms[0]!.id });
      expect(alarm).toMatchObject({ status: 'incident', incidentId: incident.id, handledBy: SUITE_PERSON.name });
      expect(incident).toMatchObject({
        category: 'illegal_landing',
        source: 'camera_alarm',
        title: '桂山码头东 移动侦测告警',
        location: { lon: 113.826, lat: 22.134 },
        gridId: 'GS-01',
        occurredAt: alarms[0]!.firstAt,
        status: 'reported',
      });
      expect(incident.description).toContain('3 次');
      // The camera's current frame follows on the incident's timeline a moment later.
      await until(async () => (await client.invoke('incidents.get', { id: incident.id })).timeline.some((e) => e.type === 'attachment_added'));
      const picture = (await client.invoke('incidents.get', { id: incident.id })).timeline.find((e) => e.type === 'attachment_added');
      expect(picture?.payload).toMatchObject({ mime: 'image/jpeg', name: expect.stringContaining('桂山码头东') });
      const stored = await client.invoke('attachments.get', { id: String(picture!.payload.attachmentId) });
      expect(Buffer.from(stored.dataBase64, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      await expectContractError(client.invoke('alarms.toIncident', { id: alarm.id }), 'conflict');
      await expectContractError(client.invoke('alarms.acknowledge', { id: alarm.id }), 'conflict');
      expect((await call('alarms.list', {})).alarms).toEqual([]);
      expect((await call('alarms.list', { includeHandled: true })).alarms).toEqual([alarm]);

      // After it was handled, the next event starts a new line; acknowledge and dismiss close it.
      sim.raiseMotion(true);
      await until(async () => (await client.invoke('alarms.list', {})).alarms.length === 1);
      const next = (await call('alarms.list', {})).alarms[0]!;
      expect(next.id).not.toBe(alarm.id);
      expect(await call('alarms.acknowledge', { id: next.id })).toMatchObject({ status: 'acknowledged' });
      await expectContractError(client.invoke('alarms.dismiss', { id: next.id, reason: '海鸟' }), 'conflict');
      await expectContractError(client.invoke('alarms.acknowledge', { id: '0196a000-0000-7000-8000-000000000000' }), 'not_found');

      // Disarmed, the camera's subscription ends with one Unsubscribe and its event traffic stops.
      const eventCalls = () => sim.calls.filter((c) => ['CreatePullPointSubscription', 'PullMessages', 'Renew', 'Unsubscribe'].includes(c.action)).map((c) => c.action);
      const disarmed = await call('cameras.update', { id: camera.id, fields: { armed: false } });
      expect(disarmed).toMatchObject({ armed: false, armSchedule: null });
      await until(async () => eventCalls().at(-1) === 'Unsubscribe');
      const afterDisarm = eventCalls().length;
      sim.raiseMotion(true);
      await new Promise((r) => setTimeout(r, 2_500)); // more than two pull timeouts
      expect(eventCalls().length).toBe(afterDisarm);
      expect(eventCalls().filter((a) => a === 'Unsubscribe')).toHaveLength(1);
      expect((await call('alarms.list', {})).alarms).toEqual([]);
      expect((await call('cameras.health', {})).health[0]).toMatchObject({ online: true, events: { state: 'off' } });
      const badSchedule = await expectContractError(
        client.invoke('cameras.update', { id: camera.id, fields: { armed: true, armSchedule: { days: [], from: '25:00', to: '06:00' } } }),
        'validation',
      );
      expect(badSchedule.issues.map((i) => i.path).sort()).toEqual(['fields.armSchedule.days', 'fields.armSchedule.from']);
      const nights = await call('cameras.update', { id: camera.id, fields: { armed: true, armSchedule: { days: [1, 2, 3, 4, 5], from: '22:00', to: '06:00' } } });
      expect(nights.armSchedule).toEqual({ days: [1, 2, 3, 4, 5], from: '22:00', to: '06:00' });
      // NOW is Monday 10:00 in Guishan: outside the night watch.
      sim.raiseMotion(true);
      await new Promise((r) => setTimeout(r, 500));
      expect((await call('alarms.list', {})).alarms).toEqual([]);
      await call('cameras.update', { id: camera.id, fields: { armSchedule: null } });

      // The health list: online while the device answers, events subscribed, the latest alarm; offline once the camera is gone.
      await until(async () => (await client.invoke('cameras.health', {})).health[0]?.events.state === 'subscribed');
      const health = (await call('cameras.health', {})).health;
      expect(health).toEqual([
        {
          cameraId: camera.id,
          online: true,
          since: NOW,
          lastAlarmAt: next.lastAt,
          lastFrameAt: null,
          device: 'reachable',
          stream: 'not_watched',
          events: { state: 'subscribed', answer: null, attempt: 0 },
        },
      ]);
      await sim.close();
      await until(async () => (await client.invoke('cameras.health', {})).health[0]?.online === false);
      expect((await call('cameras.health', {})).health[0]).toMatchObject({ online: false, lastAlarmAt: next.lastAt });
    });

    it('a camera without events is online, marked as raising no alarms, and nothing is posted to a made-up events address', async () => {
      const sim = await simulate({ events: false });
      const camera = await call('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD });
      const healthOf = async () => (await client.invoke('cameras.health', {})).health.find((h) => h.cameraId === camera.id);
      for (let i = 0; i < 200 && (await healthOf())?.events.state !== 'unsupported'; i++) await new Promise((r) => setTimeout(r, 50));
      const health = await healthOf();
      expect(health).toMatchObject({ online: true, device: 'reachable', events: { state: 'unsupported', answer: expect.stringMatching(/no Events service/) } });
      expect(sim.calls.filter((c) => c.service === 'events')).toEqual([]);
      expect(sim.calls.some((c) => c.action === 'GetSystemDateAndTime')).toBe(true);
    });

    it('keeps a tile snapshot as an attachment by SHA-256 and shows it on a new or an existing incident’s timeline', async () => {
      const sim = await simulate();
      const camera = await call('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD, fields: { name: '北堤', grid: 'GS-07' } });
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('frame of the pier'), Buffer.from([0xff, 0xd9])]);
      // Placed on the map, the camera's grid is computed from its location, whatever was picked.
      expect(await call('cameras.update', { id: camera.id, fields: { location: { lon: 113.825, lat: 22.135 } } })).toMatchObject({ grid: 'GS-01' });
      expect(await call('cameras.update', { id: camera.id, fields: { grid: 'GS-07' } })).toMatchObject({ grid: 'GS-01' });
      expect(await call('cameras.update', { id: camera.id, fields: { location: null, grid: 'GS-07' } })).toMatchObject({ grid: 'GS-07', location: null });
      const unknown = await expectContractError(client.invoke('cameras.update', { id: camera.id, fields: { grid: 'GS-99' } }), 'validation');
      expect(unknown.issues).toEqual([{ path: 'fields.grid', message: 'unknown grid', reason: 'map.unknown_grid', params: { code: 'GS-99' } }]);
      expect((await call('cameras.list', {})).cameras[0]).toMatchObject({ grid: 'GS-07' });
      const sha256 = createHash('sha256').update(jpeg).digest('hex');
      const created = await call('cameras.snapshotToIncident', { cameraId: camera.id, image: jpeg.toString('base64') });
      expect(created).toMatchObject({ title: '北堤 视频截图', source: 'camera_alarm', gridId: 'GS-07', category: 'public_security', version: 2 });
      const detail = await client.invoke('incidents.get', { id: created.id });
      expect(detail.timeline.map((e) => e.type)).toEqual(['created', 'attachment_added']);
      expect(detail.timeline[1]!.payload).toMatchObject({ sha256, mime: 'image/jpeg', bytes: jpeg.length });
      expect(fs.readFileSync(path.join(dir, 'attachments', sha256))).toEqual(jpeg);
      const attachmentId = String(detail.timeline[1]!.payload.attachmentId);
      expect(await client.invoke('attachments.get', { id: attachmentId })).toMatchObject({ attachment: { mime: 'image/jpeg', sha256 }, dataBase64: jpeg.toString('base64') });

      const again = await call('cameras.snapshotToIncident', { cameraId: camera.id, image: jpeg.toString('base64'), incidentId: created.id });
      expect(again.version).toBe(3);
      expect(fs.readdirSync(path.join(dir, 'attachments'))).toHaveLength(1); // the same frame is one file

      const notImage = await expectContractError(client.invoke('cameras.snapshotToIncident', { cameraId: camera.id, image: Buffer.from('<svg/>').toString('base64') }), 'validation');
      expect(notImage.issues).toEqual([{ path: 'image', message: 'not a JPEG or PNG picture', reason: 'cameras.bad_image' }]);
      await expectContractError(client.invoke('cameras.snapshotToIncident', { cameraId: camera.id, image: jpeg.toString('base64'), incidentId: '0196a000-0000-7000-8000-000000000000' }), 'not_found');
      expect((await client.invoke('attachments.list', { incidentId: created.id })).length).toBe(2); // the refused ones added nothing
      expect((await client.invoke('events.verify', {})).ok).toBe(true);
    });

    it('takes the camera’s own picture from its ONVIF snapshot URI (digest), else a frame of its stream, and attaches it to an existing incident', async () => {
      const pictureOfPier = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('full-resolution picture from the camera'), Buffer.from([0xff, 0xd9])]);
      const sim = await simulate({ snapshotJpeg: pictureOfPier });
      const camera = await call('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD, fields: { name: '北堤' } });
      const taken = await call('cameras.snapshot', { cameraId: camera.id });
      expect(taken).toEqual({ mime: 'image/jpeg', dataBase64: pictureOfPier.toString('base64'), source: 'camera' });
      expect(sim.calls.filter((c) => c.service === 'snapshot')).toHaveLength(1); // answered the digest challenge
      // Taking a picture keeps nothing: only attaching it does.
      expect(fs.existsSync(path.join(dir, 'attachments'))).toBe(false);

      // An existing incident (made by hand) gets the picture on its timeline; the incident is not changed otherwise.
      const incident = await client.invoke('incidents.create', {
        draft: { ...DRAFT, title: '码头附近有人聚集' },
      });
      const attached = await call('cameras.snapshotToIncident', { cameraId: camera.id, image: taken.dataBase64, incidentId: incident.id });
      expect(attached).toMatchObject({ id: incident.id, title: '码头附近有人聚集', version: incident.version + 1 });
      const timeline = (await client.invoke('incidents.get', { id: incident.id })).timeline;
      const sha256 = createHash('sha256').update(pictureOfPier).digest('hex');
      expect(timeline.at(-1)).toMatchObject({ type: 'attachment_added', payload: { sha256, mime: 'image/jpeg', name: expect.stringContaining('北堤') } });

      // A camera without a snapshot URI: one frame of its main stream (1280×720 H.264 from the RTSP server).
      const plain = await simulate({ serialNumber: 'SIM0003', snapshotJpeg: null });
      const plainCamera = await call('cameras.add', { url: plain.xaddr, username: 'admin', password: PASSWORD });
      const grabbed = await call('cameras.snapshot', { cameraId: plainCamera.id });
      expect(grabbed).toMatchObject({ mime: 'image/jpeg', source: 'stream' });
      expect(Buffer.from(grabbed.dataBase64, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      expect(plain.calls.filter((c) => c.service === 'snapshot')).toEqual([]);

      // Bad input: a typed error, and nothing attached or kept.
      const kept = () => fs.readdirSync(path.join(dir, 'attachments')).sort();
      const before = kept();
      const version = (await client.invoke('incidents.get', { id: incident.id })).incident.version;
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('another frame'), Buffer.from([0xff, 0xd9])]).toString('base64');
      const missing = await expectContractError(client.invoke('cameras.snapshotToIncident', { cameraId: camera.id, incidentId: incident.id } as never), 'validation');
      expect(missing.issues.map((i) => i.path)).toEqual(['image']);
      await expectContractError(client.invoke('cameras.snapshotToIncident', { cameraId: camera.id, image: jpeg, incidentId: '0196a000-0000-7000-8000-000000000000' }), 'not_found');
      await expectContractError(client.invoke('cameras.snapshot', { cameraId: '0196a000-0000-7000-8000-000000000000' }), 'not_found');
      expect(kept()).toEqual(before);
      expect((await client.invoke('incidents.get', { id: incident.id })).incident.version).toBe(version);
      // A camera that went away answers with a conflict the operator can read.
      await plain.close();
      await rtsp.stop();
      try {
        await expectContractError(client.invoke('cameras.snapshot', { cameraId: plainCamera.id }), 'conflict');
      } finally {
        rtsp = await startRtspServer(RTSP_PORT, ['main=1280x720@25', 'sub=640x360@25', 'hevc=320x180@10/h265']);
      }
    }, 40_000);

    it('streams live fMP4 from the camera over the video endpoint, only with the token', async () => {
      const sim = await simulate();
      const camera = await client.invoke('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD });
      const { url } = await client.invoke('video.endpoint', {});
      const refused = (target: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(target);
          ws.on('error', (e) => resolve(e.message));
          ws.on('open', () => resolve('opened'));
        });
      expect(await refused(url.replace(/token=\w+/, 'token=' + '0'.repeat(48)) + `&camera=${camera.id}&profile=sub`)).toMatch(/403/);
      expect(await refused(`${url}&camera=${camera.id}&profile=nope`)).toMatch(/403/);

      const ws = new WebSocket(`${url}&camera=${camera.id}&profile=sub`);
      const got = { states: [] as string[], mime: '', binary: 0 };
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no video: ${JSON.stringify(got)}`)), 15_000);
        ws.on('message', (data, isBinary) => {
          if (!isBinary) {
            const message = JSON.parse(String(data)) as { type: string; state?: string; mime?: string };
            if (message.type === 'state') got.states.push(message.state!);
            if (message.type === 'init') got.mime = message.mime!;
          } else if (++got.binary > 5) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      ws.close();
      expect(got.mime).toMatch(/^video\/mp4; codecs="avc1\./);
      expect(got.states).toContain('live');
      // The health list's "last frame": set by the frames the relay passed on.
      expect((await call('cameras.health', {})).health.find((h) => h.cameraId === camera.id)).toMatchObject({ lastFrameAt: NOW });
    }, 30_000);

    it('relays an H.265 camera as it is (hev1), and as H.264 only to a viewer that asks for a transcode', async () => {
      const sim = await simulate({
        serialNumber: 'SIM0265',
        ptz: false,
        profiles: [{ token: 'main', name: 'Main', width: 320, height: 180, fps: 10, streamUri: rtsp.url('hevc'), encoding: 'H265' }],
      });
      const camera = await call('cameras.add', { url: sim.xaddr, username: 'admin', password: PASSWORD });
      // The ONVIF profile says H.265: the renderer can know before it connects.
      expect(camera.profiles).toEqual([{ token: 'main', name: 'Main', encoding: 'H265', width: 320, height: 180, fps: 10 }]);
      const { url } = await client.invoke('video.endpoint', {});
      const firstInit = (target: string) =>
        new Promise<string>((resolve, reject) => {
          const ws = new WebSocket(target);
          const timer = setTimeout(() => (ws.close(), reject(new Error('no init segment'))), 20_000);
          ws.on('message', (data, isBinary) => {
            const message = isBinary ? null : (JSON.parse(String(data)) as { type: string; mime?: string });
            if (message?.type === 'init') {
              clearTimeout(timer);
              ws.close();
              resolve(message.mime!);
            }
          });
        });
      const base = `${url}&camera=${camera.id}&profile=main`;
      const [copied, transcoded] = await Promise.all([firstInit(base), firstInit(`${base}&transcode=1`)]);
      expect(copied).toMatch(/^video\/mp4; codecs="(hev1|hvc1)\.1\./);
      expect(transcoded).toMatch(/^video\/mp4; codecs="avc1\./);
      // Anything else in the query is refused as before.
      const refused = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${url}&camera=${camera.id}&profile=sub&transcode=1`);
        ws.on('error', (e) => resolve(e.message));
        ws.on('open', () => resolve('opened'));
      });
      expect(refused).toMatch(/403/);
    }, 40_000);
  });
}

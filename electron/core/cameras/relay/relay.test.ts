import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { RecordingViewer, until as waitUntil } from '../../../../tests/support/relay-viewer';
import { startRtspServer, processAlive, testRtspPort, type RtspServer } from '../../../../tests/support/rtsp-server';
import { Fmp4Splitter, type Fmp4Fragment } from './fmp4';
import { VideoRelay, ffmpegArgs, redact, type StreamSource } from './relay';

const RTSP_PORT = testRtspPort(0, 18_554);
let rtsp: RtspServer;
const relays: VideoRelay[] = [];

beforeAll(async () => {
  rtsp = await startRtspServer(RTSP_PORT);
}, 20_000);
afterAll(async () => {
  await rtsp?.stop();
});
afterEach(() => {
  for (const relay of relays.splice(0)) relay.close();
});

const until = (check: () => boolean, timeoutMs = 10_000) => waitUntil(check, timeoutMs);

const relay = (options: Partial<ConstructorParameters<typeof VideoRelay>[0]> = {}) => {
  const r = new VideoRelay({ ffmpegPath: ffmpegInstaller.path, lingerMs: 300, log: () => {}, ...options });
  relays.push(r);
  return r;
};

const rtspSource = (mount: string): StreamSource => ({ kind: 'rtsp', url: rtsp.url(mount), username: 'admin', password: 'Pier#2026' });

describe('the fMP4 splitter', () => {
  it('cuts real ffmpeg output into one init (with the avc1 codec) and keyframe-marked fragments', async () => {
    const splitter = new Fmp4Splitter();
    const { spawnSync } = await import('node:child_process');
    const args = ffmpegArgs({ kind: 'test-pattern', width: 320, height: 180, fps: 25 }).filter((a) => a !== '-re');
    args.splice(args.indexOf('pipe:1'), 0, '-t', '2');
    const out = spawnSync(ffmpegInstaller.path, args, { maxBuffer: 64 * 1024 * 1024 });
    // Feed in awkward pieces: box boundaries never line up with pipe reads.
    const parts = [];
    for (let i = 0; i < out.stdout.length; i += 777) parts.push(...splitter.push(out.stdout.subarray(i, i + 777)));
    const inits = parts.filter((p) => p.kind === 'init');
    const fragments = parts.filter((p): p is Fmp4Fragment => p.kind === 'fragment');
    expect(inits).toHaveLength(1);
    expect(inits[0]!.mime).toMatch(/^video\/mp4; codecs="avc1\.42[0-9a-f]{4}"$/);
    expect(fragments.length).toBeGreaterThan(10);
    expect(fragments[0]!.keyframe).toBe(true);
    // A 1 s GOP at 25 fps with ~100 ms fragments: two seconds hold 2 keyframe fragments, the rest are not.
    const keyframes = fragments.filter((f) => f.keyframe).length;
    expect(keyframes).toBeGreaterThanOrEqual(2);
    expect(keyframes).toBeLessThan(fragments.length / 3);
  });
});

describe('the relay', () => {
  it('redacts credentials from anything ffmpeg might print', () => {
    expect(redact('rtsp://admin:Pier%232026@127.0.0.1:8554/main: 404')).toBe('rtsp://***@127.0.0.1:8554/main: 404');
  });

  it('runs one ffmpeg per stream for all its viewers, and ends it after the last one leaves', async () => {
    const r = relay();
    const a = new RecordingViewer();
    const b = new RecordingViewer();
    const stopA = r.watch('cam:sub', () => rtspSource('sub'), a);
    await until(() => a.fragments.length > 3);
    const stopB = r.watch('cam:sub', () => rtspSource('sub'), b);
    expect(r.pids()).toHaveLength(1);
    const [pid] = r.pids();
    // The late viewer starts at a keyframe, with the init segment first.
    expect(b.inits).toHaveLength(1);
    expect(b.fragments[0]?.keyframe).toBe(true);
    expect(a.states.at(-1)).toEqual({ state: 'live' });
    stopA();
    stopB();
    await until(() => r.pids().length === 0 && !processAlive(pid!), 5_000);
    expect(r.activeStreams()).toEqual([]);
  }, 20_000);

  it('shows reconnecting (attempt n) when the camera goes away and recovers with no extra ffmpeg', async () => {
    const r = relay({ delay: () => 500 });
    const viewer = new RecordingViewer();
    r.watch('cam:main', () => rtspSource('main'), viewer);
    await until(() => viewer.fragments.length > 3);
    const [firstPid] = r.pids();
    await rtsp.stop();
    await until(() => viewer.states.some((s) => s.state === 'reconnecting'), 15_000);
    const reconnecting = viewer.states.find((s) => s.state === 'reconnecting');
    expect(reconnecting).toMatchObject({ state: 'reconnecting', attempt: 1 });
    await until(() => viewer.states.filter((s) => s.state === 'reconnecting').length >= 2, 10_000);
    expect(viewer.states.filter((s) => s.state === 'reconnecting').map((s) => (s.state === 'reconnecting' ? s.attempt : 0)).slice(0, 2)).toEqual([1, 2]);
    expect(processAlive(firstPid!)).toBe(false);

    rtsp = await startRtspServer(RTSP_PORT);
    const before = viewer.fragments.length;
    await until(() => viewer.fragments.length > before + 3 && viewer.states.at(-1)?.state === 'live', 15_000);
    expect(r.pids()).toHaveLength(1);
    const pid = r.pids()[0]!;
    r.close();
    await until(() => !processAlive(pid), 3_000);
  }, 45_000);
});

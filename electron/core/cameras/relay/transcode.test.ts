/**
 * The H.265 fallback: a stream the renderer cannot decode is re-encoded to H.264 for that stream
 * only; every other stream stays `-c copy`. Against GStreamer's RTSP server serving real H.265.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { RecordingViewer, until as waitUntil } from '../../../../tests/support/relay-viewer';
import { startRtspServer, testRtspPort, type RtspServer } from '../../../../tests/support/rtsp-server';
import { codecString } from './fmp4';
import { TRANSCODE_ARGS, VideoRelay, ffmpegArgs, type StreamSource } from './relay';

const RTSP_PORT = testRtspPort(1, 17_554);
let rtsp: RtspServer;
const relays: VideoRelay[] = [];

beforeAll(async () => {
  rtsp = await startRtspServer(RTSP_PORT, ['h264=320x180@15', 'hevc=320x180@15/h265']);
}, 20_000);
afterAll(async () => {
  await rtsp?.stop();
});
afterEach(() => {
  for (const relay of relays.splice(0)) relay.close();
});

const until = (check: () => boolean, timeoutMs = 15_000) => waitUntil(check, timeoutMs);

const source = (mount: string, transcode = false): StreamSource => ({ kind: 'rtsp', url: rtsp.url(mount), username: '', password: '', transcode });

/** The command line of a running process, as `ps` shows it to every user of the machine. */
const commandLine = (pid: number) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });

describe('the H.265 fallback', () => {
  it('copies unless asked to transcode, and then encodes H.264 with a 1 s keyframe interval', () => {
    const copy = ffmpegArgs(source('h264'));
    expect(copy.join(' ')).toContain('-c:v copy');
    expect(copy).not.toContain('libx264');
    const transcode = ffmpegArgs(source('hevc', true));
    expect(transcode.join(' ')).toContain(TRANSCODE_ARGS.join(' '));
    expect(transcode.join(' ')).toContain('-preset veryfast -tune zerolatency');
    expect(transcode).not.toContain('copy');
  });

  it('names H.265 in the init segment (hev1/hvc1), so the renderer can tell it cannot play it', () => {
    // hvcC of a Main profile, level 3.1 stream as x265 writes it (ISO/IEC 14496-15 E.3: hev1.1.6.L93.B0).
    const hvcC = Buffer.from([0x01, 0x01, 0x60, 0x00, 0x00, 0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5d]);
    const moov = Buffer.concat([Buffer.from('....hev1'), Buffer.alloc(20), Buffer.from('hvcC', 'latin1'), hvcC]);
    expect(codecString(moov)).toBe('hev1.1.6.L93.B0');
  });

  it('relays real H.265 as hev1 with -c copy, and the same stream transcoded as avc1 beside an H.264 stream left as copy', async () => {
    const r = new VideoRelay({ ffmpegPath: ffmpegInstaller.path, lingerMs: 300, log: () => {} });
    relays.push(r);
    const copied = new RecordingViewer();
    const transcoded = new RecordingViewer();
    const plain = new RecordingViewer();
    r.watch('cam:hevc', () => source('hevc'), copied);
    r.watch('cam:hevc:h264', () => source('hevc', true), transcoded);
    r.watch('cam2:h264', () => source('h264'), plain);
    await until(() => [copied, transcoded, plain].every((v) => v.fragments.length > 20) && transcoded.fragments.filter((f) => f.keyframe).length >= 3, 30_000);
    expect(copied.inits[0]!.mime).toMatch(/^video\/mp4; codecs="(hev1|hvc1)\.1\.6\.L\d+\./);
    expect(transcoded.inits[0]!.mime).toMatch(/^video\/mp4; codecs="avc1\./);
    expect(plain.inits[0]!.mime).toMatch(/^video\/mp4; codecs="avc1\.42/);
    expect(transcoded.states.at(-1)).toEqual({ state: 'live' });

    // Three streams, three ffmpegs: only the one asked for transcodes.
    const lines = r.pids().map(commandLine);
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.includes('libx264'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('-c:v copy'))).toHaveLength(2);
    expect(lines.find((l) => l.includes('libx264'))).toContain('/hevc');

    // About a keyframe a second in the transcoded stream (GOP ~1 s), whatever the source did.
    const keys = transcoded.fragments.filter((f) => f.keyframe);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const gaps = keys.slice(1).map((k, i) => k.at - keys[i]!.at);
    for (const gap of gaps) expect(gap).toBeLessThan(1_800);
  }, 45_000);
});

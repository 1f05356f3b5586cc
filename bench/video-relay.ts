/**
 * The live-video relay against GStreamer's RTSP server (640×360 at 25 fps, 1 s GOP): time from a
 * viewer's arrival to the first keyframe fragment, and the relay's CPU (ffmpeg -c copy) against an
 * ffmpeg transcoding the same stream, measured in the same run from /proc.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { VideoRelay, ffmpegArgs, type RelayViewer } from '../electron/core/cameras/relay/relay';
import { startRtspServer } from '../tests/support/rtsp-server';
import { summarize, type Measurement, type SuiteResult } from './stats';

/** `BENCH_RTSP_PORT` on a shared machine (each person their own); the suites run one after another. */
const RTSP_PORT = Number(process.env.BENCH_RTSP_PORT ?? 18_990);
const FIRST_FRAME_RUNS = 10;
const CPU_WINDOW_MS = 8_000;
const CLOCK_TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
}

async function cpuOf(args: string[]): Promise<number> {
  const child = spawn(ffmpegInstaller.path, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout!.resume();
  await new Promise((r) => setTimeout(r, 1_500)); // connect and settle
  const start = cpuSeconds(child.pid!);
  await new Promise((r) => setTimeout(r, CPU_WINDOW_MS));
  const used = cpuSeconds(child.pid!) - start;
  child.kill('SIGKILL');
  return used / (CPU_WINDOW_MS / 1000);
}

export async function runVideoRelayBench(): Promise<SuiteResult> {
  const started = performance.now();
  const rtsp = await startRtspServer(RTSP_PORT, ['cam=640x360@25']);
  const measurements: Measurement[] = [];
  const info: Record<string, unknown> = { source: 'GStreamer RTSP, H.264 640x360@25, GOP 25', ffmpeg: ffmpegInstaller.path };
  try {
    const samples: number[] = [];
    for (let i = 0; i < FIRST_FRAME_RUNS; i++) {
      const relay = new VideoRelay({ ffmpegPath: ffmpegInstaller.path, log: () => {} });
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        const viewer: RelayViewer = { init: () => {}, state: () => {}, fragment: (f) => f.keyframe && resolve() };
        relay.watch('bench:cam', () => ({ kind: 'rtsp', url: rtsp.url('cam'), username: '', password: '' }), viewer);
      });
      samples.push(performance.now() - t0);
      relay.close();
    }
    const firstFrame = summarize(samples);
    measurements.push({
      name: 'time to first keyframe fragment (relay start → fMP4)',
      stats: firstFrame,
      targetP95Ms: 1_000,
      pass: firstFrame.p95 < 1_000,
      note: 'a new upstream each time (no cached GOP); a second viewer of a running stream gets the cached GOP at once',
    });
    console.log(`  first keyframe fragment: p50 ${firstFrame.p50.toFixed(0)} ms, p95 ${firstFrame.p95.toFixed(0)} ms`);

    const copyArgs = ffmpegArgs({ kind: 'rtsp', url: rtsp.url('cam'), username: '', password: '' });
    const transcodeArgs = copyArgs.map((a) => a);
    transcodeArgs.splice(transcodeArgs.indexOf('copy') - 1, 2, '-c:v', 'libx264', '-preset', 'veryfast', '-g', '25');
    const copyCpu = await cpuOf(copyArgs);
    const transcodeCpu = await cpuOf(transcodeArgs);
    info.relayCpuCores = Number(copyCpu.toFixed(4));
    info.transcodeCpuCores = Number(transcodeCpu.toFixed(4));
    info.relayToTranscodeRatio = Number((copyCpu / transcodeCpu).toFixed(4));
    info.relayCpuTarget = 'relay CPU ≤ 1/5 of transcoding';
    info.relayCpuPass = copyCpu <= transcodeCpu / 5;
    console.log(`  CPU per stream: relay ${(copyCpu * 100).toFixed(1)} % of a core, transcoding ${(transcodeCpu * 100).toFixed(1)} % (ratio ${(copyCpu / transcodeCpu).toFixed(3)})`);
    info.seeAlso = 'video-wall: first presented frame, latency from the painted clock and 16 tiles in Chromium';
  } finally {
    await rtsp.stop();
  }
  const ok = measurements.every((m) => m.pass !== false) && info.relayCpuPass === true;
  return { suite: 'video-relay', ok, durationMs: performance.now() - started, measurements, info };
}

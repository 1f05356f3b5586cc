/**
 * The peers of the video wall: the same 16 cameras played the way Chinese surveillance web clients
 * commonly do it, in the same Chromium, measured the same way (the painted clock read back from
 * each presented frame, getVideoPlaybackQuality, CPU of this process's descendants):
 * - HTTP-FLV: one ffmpeg per camera (RTSP → `-c copy -f flv`, the same input options as our
 *   relay), streamed over HTTP from this process, played by mpegts.js (the maintained successor of
 *   flv.js) with the low-latency options such clients use (no stash buffer, latency chasing);
 * - HLS: one ffmpeg per camera writing 1 s segments (the GOP) into a temporary folder served over
 *   HTTP, played by hls.js with its defaults (the usual set-up; its live edge is 3 segments back).
 * Both libraries come from node_modules (npm dev dependencies): nothing is downloaded at run time,
 * and everything is on loopback. The page is a bare 4 × 4 grid of <video> at the console's viewport.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { chromium } from '@playwright/test';
import { ffmpegArgs } from '../electron/core/cameras/relay/relay';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/chromium';
import { INSTALL_CLOCK_READER } from './clock-code';
import { measurement, type Measurement } from './stats';

const NODE_MODULES = fileURLToPath(new URL('../node_modules/', import.meta.url));
const LIBRARIES: Record<string, string> = {
  '/mpegts.js': path.join(NODE_MODULES, 'mpegts.js/dist/mpegts.js'),
  '/hls.js': path.join(NODE_MODULES, 'hls.js/dist/hls.min.js'),
};

export type PeerKind = 'http-flv' | 'hls';

export interface PeerWindow {
  seconds: number;
  tiles: { latency: Array<[number, number]>; unreadable: number; quality0: { total: number; dropped: number }; quality1: { total: number; dropped: number } }[];
}

export interface PeerResult {
  kind: PeerKind;
  latency: number[];
  decoded: number;
  dropped: number;
  /** Tiles that never showed a frame. */
  blankTiles: number;
  /** Cores used by Chromium and the ffmpegs together over the window, and by command. */
  cpuCores: number;
  cpuByCommand: Record<string, number>;
  machineBusyCores: number;
}

const PAGE = (tiles: number) => `<!doctype html><meta charset="utf-8"><title>peer</title>
<style>html,body{margin:0;background:#000;height:100%}#grid{display:grid;grid-template-columns:repeat(4,1fr);grid-template-rows:repeat(4,1fr);height:100%;gap:2px}
video{width:100%;height:100%;object-fit:contain;background:#111}</style>
<div id="grid">${Array.from({ length: tiles }, (_, i) => `<div data-testid="tile-${i}"><video muted autoplay playsinline></video></div>`).join('')}</div>
<script src="/mpegts.js"></script><script src="/hls.js"></script>`;

/** Starts every tile on the chosen peer; resolves when each has presented a frame (or after 20 s). */
const START = (kind: PeerKind) => `new Promise((resolve) => {
  const videos = [...document.querySelectorAll('video')];
  let shown = 0;
  const deadline = setTimeout(() => resolve(shown), 20000);
  videos.forEach((video, i) => {
    video.requestVideoFrameCallback(() => { if (++shown === videos.length) { clearTimeout(deadline); resolve(shown); } });
    if (${JSON.stringify(kind)} === 'http-flv') {
      const player = mpegts.createPlayer({ type: 'flv', isLive: true, url: location.origin + '/flv/' + i },
        { enableWorker: true, enableStashBuffer: false, liveBufferLatencyChasing: true, lazyLoad: false });
      player.attachMediaElement(video);
      player.load();
      player.play();
    } else {
      const hls = new Hls();
      hls.loadSource(location.origin + '/hls/' + i + '/index.m3u8');
      hls.attachMedia(video);
      video.play().catch(() => {});
    }
  });
})`;

/**
 * Serves the peer page, the two libraries, HTTP-FLV streams (an ffmpeg per request) and HLS files,
 * on 127.0.0.1 at `port` (0: any).
 */
async function startPeerServer(rtspUrl: string, tiles: number, hlsDir: string, port: number) {
  const children = new Set<ChildProcess>();
  const inputArgs = ffmpegArgs({ kind: 'rtsp', url: rtspUrl, username: '', password: '' });
  // Our relay's input options, then FLV to stdout instead of fragmented MP4.
  const input = inputArgs.slice(0, inputArgs.indexOf('-map'));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE(tiles));
    } else if (LIBRARIES[url.pathname]) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      fs.createReadStream(LIBRARIES[url.pathname]!).pipe(res);
    } else if (/^\/flv\/\d+$/.test(url.pathname)) {
      const child = spawn(ffmpegInstaller.path, [...input, '-map', '0:v:0', '-an', '-c:v', 'copy', '-f', 'flv', '-flvflags', 'no_duration_filesize', 'pipe:1'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      children.add(child);
      child.on('exit', () => children.delete(child));
      res.writeHead(200, { 'content-type': 'video/x-flv', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      child.stdout!.pipe(res);
      res.on('close', () => child.kill('SIGKILL'));
    } else if (url.pathname.startsWith('/hls/')) {
      const file = path.join(hlsDir, path.normalize(url.pathname.slice('/hls/'.length)).replace(/^(\.\.[/\\])+/, ''));
      fs.readFile(file, (error, data) => {
        if (error) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t', 'cache-control': 'no-store' }).end(data);
      });
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/`,
    /** HLS writers: one ffmpeg per tile, RTSP → 1 s MPEG-TS segments (-c copy: cut at each keyframe). */
    startHls(): void {
      for (let i = 0; i < tiles; i++) {
        const dir = path.join(hlsDir, String(i));
        fs.mkdirSync(dir, { recursive: true });
        const child = spawn(
          ffmpegInstaller.path,
          [...input, '-map', '0:v:0', '-an', '-c:v', 'copy', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_flags', 'delete_segments+independent_segments', path.join(dir, 'index.m3u8')],
          { stdio: ['ignore', 'ignore', 'ignore'] },
        );
        children.add(child);
        child.on('exit', () => children.delete(child));
      }
    },
    async close(): Promise<void> {
      for (const child of children) child.kill('SIGKILL');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface PeerHooks {
  /** The same CPU window the wall uses (this process's descendants). */
  cpuWindow(during: () => Promise<void>): Promise<{ byCommand: Record<string, number>; machineBusyCores: number }>;
  /** The same watcher the wall uses: every `clockEvery`-th frame's painted clock per tile. */
  watch(page: import('@playwright/test').Page, seconds: number, clockEvery: number): Promise<PeerWindow>;
}

/** One peer: 16 tiles for `seconds` (after `settleSeconds` for start-up), as the wall's window measures them. */
export async function measurePeer(kind: PeerKind, rtspUrl: string, tiles: number, fps: number, seconds: number, hooks: PeerHooks, port = 0): Promise<PeerResult> {
  const hlsDir = fs.mkdtempSync(path.join(process.env.BENCH_TMP || os.tmpdir(), 'duty-console-hls-'));
  const server = await startPeerServer(rtspUrl, tiles, hlsDir, port);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    if (kind === 'hls') {
      server.startHls();
      // The playlist needs a few segments before hls.js starts.
      const playlist = path.join(hlsDir, String(tiles - 1), 'index.m3u8');
      for (let waited = 0; waited < 20_000 && !(fs.existsSync(playlist) && (fs.readFileSync(playlist, 'utf8').match(/#EXTINF/g) ?? []).length >= 3); waited += 200) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(server.url);
    await page.evaluate(INSTALL_CLOCK_READER);
    await page.evaluate(START(kind));
    await new Promise((r) => setTimeout(r, 3_000)); // past start-up, as the wall's window
    let window!: PeerWindow;
    const cpu = await hooks.cpuWindow(async () => {
      window = await hooks.watch(page, seconds, fps);
    });
    const decoded = window.tiles.reduce((s, t) => s + (t.quality1.total - t.quality0.total), 0);
    const dropped = window.tiles.reduce((s, t) => s + (t.quality1.dropped - t.quality0.dropped), 0);
    return {
      kind,
      latency: window.tiles.flatMap((t) => t.latency.map(([, ms]) => ms)),
      decoded,
      dropped,
      blankTiles: window.tiles.filter((t) => t.quality1.total === 0).length,
      cpuCores: Object.values(cpu.byCommand).reduce((s, v) => s + v, 0),
      cpuByCommand: cpu.byCommand,
      machineBusyCores: cpu.machineBusyCores,
    };
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(hlsDir, { recursive: true, force: true });
  }
}

export function peerMeasurements(peer: PeerResult, tiles: number): Measurement[] {
  const label = peer.kind === 'http-flv' ? 'peer: ffmpeg → HTTP-FLV → mpegts.js' : 'peer: ffmpeg → HLS → hls.js';
  return [measurement(`  ${label}, live latency, ${tiles} tiles (painted clock → presented frame)`, peer.latency)];
}

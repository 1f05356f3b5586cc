/**
 * Live video relay: one ffmpeg per stream (`-c copy`, no transcoding — except, for that stream
 * only, a codec the renderer cannot decode, see `TRANSCODE_ARGS`) turning RTSP into fragmented
 * MP4, fanned out to every viewer of that stream. Started by the first viewer, stopped a few
 * seconds after the last one leaves; restarted with backoff (1 s, 2 s, 5 s … 60 s) when the camera
 * drops; a stalled ffmpeg is killed by a watchdog. Every child it starts it also ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { reconnectDelay, type StreamState } from '@shared';
import { Fmp4Splitter, type Fmp4Fragment, type Fmp4Init } from './fmp4';

export type StreamSource =
  | {
      kind: 'rtsp';
      url: string;
      username: string;
      password: string;
      /** Re-encode to H.264 (for a stream the renderer cannot decode, e.g. H.265 in Chromium); otherwise `-c copy`. */
      transcode?: boolean;
    }
  /** Demo cameras without an RTSP server: ffmpeg draws and encodes a moving test pattern. */
  | { kind: 'test-pattern'; width: number; height: number; fps: number };

export interface RelayViewer {
  init(init: Fmp4Init): void;
  fragment(fragment: Fmp4Fragment): void;
  state(state: StreamState): void;
}

export interface RelayOptions {
  ffmpegPath: string;
  /** How long an upstream outlives its last viewer (a tile being re-laid out comes straight back). */
  lingerMs?: number;
  /** No bytes from ffmpeg for this long: it is stuck on a dead connection; kill it and reconnect. */
  stallMs?: number;
  delay?: (attempt: number) => number;
  now?: () => number;
  log?: (message: string) => void;
  /** Every fragment (one per frame) of stream `key`: the camera health list's "last frame". */
  onFrame?: (key: string) => void;
}

/** `testsrc:640x360@25` → a test-pattern source. */
export function parseTestPattern(uri: string): StreamSource | null {
  const match = /^testsrc:(\d{2,4})x(\d{2,4})@(\d{1,2})$/.exec(uri);
  return match ? { kind: 'test-pattern', width: Number(match[1]), height: Number(match[2]), fps: Number(match[3]) } : null;
}

/** The RTSP URL with credentials in it (only ever handed to ffmpeg, never logged). */
export function withCredentials(url: string, username: string, password: string): string {
  if (!username) return url;
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(username);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * The fallback for a stream the renderer cannot decode: H.264 at the encoder's lowest latency with
 * a keyframe every second whatever the camera's frame rate (a viewer joining waits ≤ 1 s).
 */
export const TRANSCODE_ARGS = ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-force_key_frames', 'expr:gte(t,n_forced*1)', '-pix_fmt', 'yuv420p'];

/**
 * One fMP4 fragment per frame, flushed at once: a fragment spanning several frames would hold the
 * first of them back by the fragment's length (100 ms fragments cost ~80 ms of latency).
 */
const OUTPUT_ARGS = ['-flush_packets', '1', '-f', 'mp4', '-movflags', 'frag_every_frame+empty_moov+default_base_moof', 'pipe:1'];

/**
 * How long ffmpeg looks at the stream before writing the init segment. `fast`: the SDP's
 * sprop-parameter-sets give the size, so one packet will do (~0.1 s). `full`: for cameras whose
 * SDP lacks them, half a second of stream.
 */
export type ProbeMode = 'fast' | 'full';

export function ffmpegArgs(source: StreamSource, probe: ProbeMode = 'fast'): string[] {
  const common = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  if (source.kind === 'test-pattern') {
    const { width, height, fps } = source;
    return [
      ...common,
      '-re',
      '-f', 'lavfi',
      '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
      '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(fps), '-pix_fmt', 'yuv420p', '-profile:v', 'baseline',
      ...OUTPUT_ARGS,
    ];
  }
  return [
    ...common,
    // No `-fflags nobuffer`: it throws away the packets read while probing, and with them the
    // keyframe a server sends as a client starts playing (GStreamer's does), so the first picture
    // waited a whole GOP for the next one.
    ...(probe === 'fast' ? ['-probesize', '32', '-analyzeduration', '0'] : ['-probesize', '1000000', '-analyzeduration', '500000']),
    '-rtsp_transport', 'tcp',
    '-i', withCredentials(source.url, source.username, source.password),
    '-map', '0:v:0', '-an', ...(source.transcode ? TRANSCODE_ARGS : ['-c:v', 'copy']),
    ...OUTPUT_ARGS,
  ];
}

/** ffmpeg's own messages can quote the input URL: strip any userinfo before they go anywhere. */
export function redact(text: string): string {
  return text.replace(/([a-z]+:\/\/)[^/@\s]*@/gi, '$1***@');
}

/** What ffmpeg says when the fast probe did not learn the stream's size or codec parameters. */
const PROBE_TOO_SHORT = /dimensions not set|unspecified size|could not find codec parameters|could not write header/i;

/** A viewer joining mid-GOP starts at the last keyframe (one fragment per frame); cap what that costs. */
const MAX_GOP_FRAGMENTS = 300;
/**
 * …and in bytes: a 4K camera at 16 Mbit/s with a 4 s GOP caches ~8 MB; at 1,000 upstreams the
 * frame cap alone would allow gigabytes. Past either cap the rest of the GOP is not cached.
 */
export const MAX_GOP_BYTES = 8 * 1024 * 1024;

class Upstream {
  readonly viewers = new Set<RelayViewer>();
  private child: ChildProcess | null = null;
  private initSegment: Fmp4Init | null = null;
  private gop: Fmp4Fragment[] = [];
  private gopBytes = 0;
  private current: StreamState = { state: 'connecting' };
  private attempt = 0;
  private offlineSince: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** `full` for good once a fast probe left ffmpeg without the picture size (an SDP without parameter sets). */
  private probe: ProbeMode = 'fast';

  constructor(
    private readonly key: string,
    private readonly source: () => StreamSource,
    private readonly options: Required<RelayOptions>,
    private readonly children: Set<ChildProcess>,
    private readonly onStopped: () => void,
  ) {}

  add(viewer: RelayViewer): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.viewers.add(viewer);
    viewer.state(this.current);
    if (this.initSegment) {
      viewer.init(this.initSegment);
      for (const fragment of this.gop) viewer.fragment(fragment);
    }
    if (!this.child && !this.retryTimer) this.start();
  }

  remove(viewer: RelayViewer): void {
    this.viewers.delete(viewer);
    if (this.viewers.size === 0 && !this.lingerTimer) {
      this.lingerTimer = setTimeout(() => this.stop(), this.options.lingerMs);
    }
  }

  get process(): ChildProcess | null {
    return this.child;
  }

  private setState(state: StreamState): void {
    this.current = state;
    for (const viewer of this.viewers) viewer.state(state);
  }

  private start(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    let source: StreamSource;
    try {
      source = this.source();
    } catch (error) {
      this.options.log(`${this.key}: ${redact(error instanceof Error ? error.message : String(error))}`);
      return this.failed();
    }
    const probe = this.probe;
    const child = spawn(this.options.ffmpegPath, ffmpegArgs(source, probe), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.children.add(child);
    const splitter = new Fmp4Splitter();
    let sentInit = false;
    let stderr = '';
    this.armWatchdog(child);
    child.stdout!.on('data', (chunk: Buffer) => {
      this.armWatchdog(child);
      let parts;
      try {
        parts = splitter.push(chunk);
      } catch (error) {
        this.options.log(`${this.key}: ${String(error)}`);
        child.kill('SIGKILL');
        return;
      }
      for (const part of parts) {
        if (part.kind === 'init') {
          sentInit = true;
          this.initSegment = part;
          this.gop = [];
          this.gopBytes = 0;
          for (const viewer of this.viewers) viewer.init(part);
        } else {
          if (part.keyframe) {
            this.gop = [part];
            this.gopBytes = part.data.length;
          } else if (this.gop.length && this.gop.length < MAX_GOP_FRAGMENTS && this.gopBytes + part.data.length <= MAX_GOP_BYTES) {
            this.gop.push(part);
            this.gopBytes += part.data.length;
          }
          if (this.current.state !== 'live') {
            this.attempt = 0;
            this.offlineSince = null;
            this.setState({ state: 'live' });
          }
          for (const viewer of this.viewers) viewer.fragment(part);
          this.options.onFrame(this.key);
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.on('error', (error) => {
      // spawn failure (ffmpeg missing): 'exit' may not follow, so clean up here too.
      this.options.log(`${this.key}: ffmpeg: ${error.message}`);
      this.exited(child);
    });
    child.on('exit', (code, signal) => {
      if (!this.stopped && stderr.trim()) this.options.log(`${this.key}: ffmpeg exited (${code ?? signal}): ${redact(stderr.trim()).slice(-300)}`);
      // An SDP without the parameter sets leaves a one-packet probe without the picture size.
      if (!sentInit && probe === 'fast' && PROBE_TOO_SHORT.test(stderr)) this.probe = 'full';
      this.exited(child);
    });
  }

  private armWatchdog(child: ChildProcess): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => child.kill('SIGKILL'), this.options.stallMs);
  }

  private exited(child: ChildProcess): void {
    this.children.delete(child);
    if (this.child !== child) return;
    this.child = null;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    if (!this.stopped) this.failed();
  }

  private failed(): void {
    this.attempt += 1;
    this.offlineSince ??= this.options.now();
    const retryInMs = this.options.delay(this.attempt);
    this.initSegment = null;
    this.gop = [];
    this.setState({ state: 'reconnecting', attempt: this.attempt, offlineSince: this.offlineSince, retryInMs });
    this.retryTimer = setTimeout(() => this.start(), retryInMs);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of [this.retryTimer, this.lingerTimer, this.stallTimer]) if (timer) clearTimeout(timer);
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // ffmpeg normally ends on SIGTERM at once; a wedged one must not survive.
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, 2_000).unref();
    }
    this.onStopped();
  }
}

export class VideoRelay {
  private readonly upstreams = new Map<string, Upstream>();
  /** Every ffmpeg this relay started that has not exited yet. */
  private readonly children = new Set<ChildProcess>();
  private readonly options: Required<RelayOptions>;

  constructor(options: RelayOptions) {
    this.options = {
      lingerMs: 4_000,
      stallMs: 10_000,
      delay: reconnectDelay,
      now: Date.now,
      // Whoever runs the relay passes the core's logger (VideoService); alone (tests, tools) it is quiet.
      log: () => {},
      onFrame: () => {},
      ...options,
    };
  }

  /** Starts watching `key` (one upstream per key); returns the function that stops watching. */
  watch(key: string, source: () => StreamSource, viewer: RelayViewer): () => void {
    let upstream = this.upstreams.get(key);
    if (!upstream) {
      const created = new Upstream(key, source, this.options, this.children, () => {
        if (this.upstreams.get(key) === created) this.upstreams.delete(key);
      });
      upstream = created;
      this.upstreams.set(key, created);
    }
    const target = upstream;
    target.add(viewer);
    return () => target.remove(viewer);
  }

  /** Stops every upstream of one camera now (removed or disabled). */
  stopMatching(prefix: string): void {
    for (const [key, upstream] of this.upstreams) if (key.startsWith(prefix)) upstream.stop();
  }

  /** Process ids of the ffmpeg children still running. */
  pids(): number[] {
    return [...this.children].map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
  }

  activeStreams(): string[] {
    return [...this.upstreams.keys()];
  }

  /** Synchronous: kills every child so nothing outlives the host. */
  close(): void {
    for (const upstream of [...this.upstreams.values()]) upstream.stop();
    for (const child of this.children) child.kill('SIGKILL');
  }
}

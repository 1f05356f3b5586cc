/**
 * Plays one camera stream from the core's video endpoint: fMP4 over a WebSocket into Media Source
 * Extensions. Stays at the live edge (live-edge.ts: slower or faster, or a jump, after every
 * append; trims what was played) so a tile never drifts behind over hours.
 */
import { StreamState } from '@shared';
import { liveEdgeAction } from './live-edge';

/** `unsupported` names the stream's MIME type, so the tile can ask for an H.264 transcode of it. */
export type PlayerState = StreamState | { state: 'unsupported'; mime?: string } | { state: 'closed' };

/** Keep this much played video; remove the rest so memory stays flat. */
const KEEP_BEHIND_S = 6;
const SOCKET_RETRY_MS = 2_000;

export class MsePlayer {
  private socket: WebSocket | null = null;
  private source: MediaSource | null = null;
  private buffer: SourceBuffer | null = null;
  private objectUrl: string | null = null;
  private queue: ArrayBuffer[] = [];
  private nextMime: string | null = null;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly url: string,
    private readonly onState: (state: PlayerState) => void,
  ) {}

  start(): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.control(event.data);
      else this.media(event.data as ArrayBuffer);
    };
    socket.onclose = () => {
      if (this.stopped || this.socket !== socket) return;
      // The host went away (restart, network): try again; the relay resumes at a keyframe.
      this.onState({ state: 'connecting' });
      this.retry = setTimeout(() => this.start(), SOCKET_RETRY_MS);
    };
  }

  /**
   * How far the picture on screen is behind the newest frame this player has received, in ms:
   * what the tile itself adds (camera encoding, network and relay come before and are not in it).
   */
  behindNewestMs(): number | null {
    const buffered = this.buffer?.buffered;
    if (!buffered || buffered.length === 0 || this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
    return Math.max(0, (buffered.end(buffered.length - 1) - this.video.currentTime) * 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.resetMedia();
  }

  private control(text: string): void {
    let message: { type?: string; mime?: string };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'init' && typeof message.mime === 'string') {
      this.nextMime = message.mime;
      return;
    }
    if (message.type === 'state') {
      const parsed = StreamState.safeParse(message);
      if (parsed.success) this.onState(parsed.data);
    }
  }

  private media(data: ArrayBuffer): void {
    if (this.nextMime) {
      // An init segment: a (re)started upstream, timestamps begin again — start a fresh MediaSource.
      const mime = this.nextMime;
      this.nextMime = null;
      if (!MediaSource.isTypeSupported(mime)) {
        this.onState({ state: 'unsupported', mime });
        return;
      }
      this.open(mime, data);
      return;
    }
    if (!this.source) return;
    this.queue.push(data);
    // Hidden tab or stalled decoder: never let the queue grow without bound.
    if (this.queue.length > 200) this.queue.splice(0, this.queue.length - 50);
    this.pump();
  }

  private open(mime: string, init: ArrayBuffer): void {
    this.resetMedia();
    const source = new MediaSource();
    this.source = source;
    this.queue = [init];
    this.objectUrl = URL.createObjectURL(source);
    this.video.src = this.objectUrl;
    source.addEventListener(
      'sourceopen',
      () => {
        if (this.source !== source) return;
        try {
          const buffer = source.addSourceBuffer(mime);
          buffer.mode = 'segments';
          buffer.addEventListener('updateend', () => this.afterAppend());
          this.buffer = buffer;
          this.pump();
        } catch {
          this.onState({ state: 'unsupported', mime });
        }
      },
      { once: true },
    );
  }

  private pump(): void {
    const buffer = this.buffer;
    if (!buffer || buffer.updating || this.source?.readyState !== 'open') return;
    const next = this.queue.shift();
    if (!next) return;
    try {
      buffer.appendBuffer(next);
    } catch {
      // QuotaExceeded or a decode error: drop what is buffered and continue from the next data.
      this.queue = [];
    }
  }

  private afterAppend(): void {
    const buffer = this.buffer;
    const video = this.video;
    if (!buffer || buffer.buffered.length === 0) return this.pump();
    const end = buffer.buffered.end(buffer.buffered.length - 1);
    const start = buffer.buffered.start(0);
    const action = liveEdgeAction(start, end, video.currentTime, video.playbackRate, video.seeking);
    if (action.kind === 'jump') video.currentTime = action.to;
    else if (action.kind === 'rate' && video.playbackRate !== action.rate) video.playbackRate = action.rate;
    if (video.paused) void video.play().catch(() => {});
    if (video.currentTime - start > KEEP_BEHIND_S * 2 && !buffer.updating) {
      buffer.remove(start, video.currentTime - KEEP_BEHIND_S);
      return; // updateend fires again after the removal
    }
    this.pump();
  }

  private resetMedia(): void {
    this.buffer = null;
    this.queue = [];
    if (this.source?.readyState === 'open') {
      try {
        this.source.endOfStream();
      } catch {
        // already ended
      }
    }
    this.source = null;
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
    this.video.removeAttribute('src');
    this.video.load();
  }
}

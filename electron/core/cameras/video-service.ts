/** Live video: the relay (one ffmpeg per stream) and the loopback endpoint tiles read it from. */
import type { CoreContext } from '../context';
import type { CameraRegistry } from './registry';
import { VideoRelay } from './relay/relay';
import { startVideoServer, type VideoServer } from './relay/video-server';

export class VideoService {
  /** When a camera's video last reached the relay (any stream of it; only while someone watches). */
  readonly lastFrameAt = new Map<string, number>();
  readonly relay: VideoRelay;
  private server: Promise<VideoServer> | null = null;

  constructor(
    ctx: CoreContext,
    private readonly registry: CameraRegistry,
    ffmpegPath: string,
  ) {
    const log = ctx.log.child({ domain: 'video' });
    this.relay = new VideoRelay({ ffmpegPath, log: (message) => log.warn(message), onFrame: (key) => this.lastFrameAt.set(key.slice(0, key.indexOf(':')), ctx.now()) });
  }

  async endpoint(): Promise<{ url: string }> {
    this.server ??= startVideoServer(
      this.relay,
      (cameraId, profile, transcode) => this.registry.source(cameraId, profile, transcode),
      (cameraId, profile) => {
        const record = this.registry.store.get(cameraId);
        return Boolean(record?.camera.enabled && record.profiles.some((p) => p.token === profile));
      },
    );
    return { url: (await this.server).url };
  }

  /** Ends every stream of a camera (disabled or removed). */
  stopCamera(id: string): void {
    this.relay.stopMatching(`${id}:`);
  }

  close(): void {
    this.relay.close();
    void this.server?.then((server) => server.close());
  }
}

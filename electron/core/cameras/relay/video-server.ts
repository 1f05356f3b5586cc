/**
 * The live-video endpoint: a WebSocket on loopback that the renderer's MSE player reads. Its URL
 * carries a random per-run token, handed out only through the contract (`video.endpoint`), so no
 * other page or program on this machine can pull the cameras. Text frames carry the stream state
 * and the init segment's MIME type; binary frames carry fMP4 (the init segment, then fragments).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamState } from '@shared';
import { LOOPBACK_HOST, hostAllowed } from '../../net';
import type { RelayViewer, StreamSource, VideoRelay } from './relay';

/** Past this many unsent bytes a viewer is behind: drop media until the next keyframe. */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;

export interface VideoServer {
  /** ws://127.0.0.1:port/video?token=… */
  readonly url: string;
  close(): void;
}

/** `transcode`: the viewer cannot decode the camera's codec and asked for H.264 (`&transcode=1`). */
export type SourceResolver = (cameraId: string, profileToken: string, transcode: boolean) => StreamSource;

export async function startVideoServer(relay: VideoRelay, resolve: SourceResolver, canWatch: (cameraId: string, profileToken: string) => boolean): Promise<VideoServer> {
  const token = crypto.randomBytes(24).toString('hex');
  const host = LOOPBACK_HOST;
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cameraId = url.searchParams.get('camera') ?? '';
    const profile = url.searchParams.get('profile') ?? '';
    const transcode = url.searchParams.get('transcode') === '1';
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const ok =
      url.pathname === '/video' &&
      hostAllowed(req.headers.host, host) &&
      given.length === token.length &&
      crypto.timingSafeEqual(given, Buffer.from(token)) &&
      canWatch(cameraId, profile);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('error', () => {});
      let waitingForKeyframe = false;
      const sendState = (state: StreamState) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ type: 'state', ...state }));
      const viewer: RelayViewer = {
        state: sendState,
        init(init) {
          if (ws.readyState !== ws.OPEN) return;
          waitingForKeyframe = true;
          ws.send(JSON.stringify({ type: 'init', mime: init.mime }));
          ws.send(init.data);
        },
        fragment(fragment) {
          if (ws.readyState !== ws.OPEN) return;
          if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
            waitingForKeyframe = true;
            return;
          }
          if (waitingForKeyframe && !fragment.keyframe) return;
          waitingForKeyframe = false;
          ws.send(fragment.data);
        },
      };
      // The transcoded stream is a stream of its own: viewers that can decode the original keep `-c copy`.
      const key = `${cameraId}:${profile}${transcode ? ':h264' : ''}`;
      const stop = relay.watch(key, () => resolve(cameraId, profile, transcode), viewer);
      ws.on('close', () => {
        sockets.delete(ws);
        stop();
      });
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://${host}:${port}/video?token=${token}`,
    close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.close();
      server.closeAllConnections();
    },
  };
}

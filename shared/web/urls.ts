/**
 * Every URL the renderer builds to open something: the contract's WebSocket (Node host), a camera
 * stream on the core's video endpoint, a loaded basemap's tiles, and in-page pictures. The renderer
 * builds them only through these functions, so the Electron shell's request filter
 * (electron/main/origin.ts) and its test (electron/main/renderer-urls.test.ts, which scans the
 * renderer for every place that opens a URL) know each kind. Pure strings: no DOM, no Node.
 */

/** The core's live-video endpoint path (electron/core/cameras/relay/video-server.ts). */
export const VIDEO_PATH = '/video';

/** The contract's WebSocket path on the Node host (electron/core/transport/ws-server.ts). */
export const CONTRACT_SOCKET_PATH = '/ws';

/** The scheme MapLibre hands to MapView's protocol handler; the tiles come over the contract (basemap.tile). */
export const BASEMAP_SCHEME = 'basemap';

export const BASEMAP_TILE_FORMATS = ['pbf', 'png', 'jpg', 'webp'] as const;
export type BasemapTileFormat = (typeof BASEMAP_TILE_FORMATS)[number];

export interface VideoStream {
  cameraId: string;
  profileToken: string;
  /** The viewer cannot decode the camera's codec and asks for H.264. */
  transcode: boolean;
}

/**
 * One camera stream: the endpoint `video.endpoint` answers (ws://127.0.0.1:port/video?token=…)
 * with the camera, its profile and the transcode wish.
 */
export function videoStreamUrl(endpoint: string, stream: VideoStream): string {
  const separator = endpoint.includes('?') ? '&' : '?';
  return (
    `${endpoint}${separator}camera=${encodeURIComponent(stream.cameraId)}&profile=${encodeURIComponent(stream.profileToken)}` +
    (stream.transcode ? '&transcode=1' : '')
  );
}

/**
 * The Node host's contract socket, on the page's own origin (a plain browser only: in Electron the
 * renderer talks to the core through the preload's IPC bridge and opens no socket for it).
 */
export function contractSocketUrl(page: { protocol: string; host: string }, token: string | null): string {
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${CONTRACT_SOCKET_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** MapLibre's tile template for a loaded basemap: `basemap://<id>/<format>/{z}/{x}/{y}`. */
export function basemapTileTemplate(id: string, format: BasemapTileFormat): string {
  return `${BASEMAP_SCHEME}://${encodeURIComponent(id)}/${format}/{z}/{x}/{y}`;
}

export interface BasemapTile {
  id: string;
  format: BasemapTileFormat;
  z: number;
  x: number;
  y: number;
}

const BASEMAP_TILE = new RegExp(`^${BASEMAP_SCHEME}://([^/?#]+)/(${BASEMAP_TILE_FORMATS.join('|')})/(\\d{1,2})/(\\d{1,9})/(\\d{1,9})$`);

/** A tile URL MapLibre asks for (the template filled in), or null when it is not one. */
export function parseBasemapTileUrl(url: string): BasemapTile | null {
  const match = BASEMAP_TILE.exec(url);
  if (!match) return null;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  return { id, format: match[2] as BasemapTileFormat, z: Number(match[3]), x: Number(match[4]), y: Number(match[5]) };
}

/** A picture the core sent as base64 (attachments, camera snapshots, a tile's frame), shown in the page. */
export function base64DataUrl(mime: string, base64: string): string {
  return `data:${mime};base64,${base64}`;
}

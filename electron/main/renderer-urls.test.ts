/**
 * Every kind of URL the renderer opens, found in its code, and what the shell's request filter
 * (origin.ts isAllowedRequest) does with each. The scan below finds every place in renderer/src (and
 * index.html, and the CSS) that opens or builds a URL — a WebSocket, fetch, a worker, an object URL,
 * a src/href, a MapLibre protocol or tile template, a URL builder of shared/web/urls.ts, a literal
 * scheme. Each place must be listed in SITES with its kind, and each kind has its decision in
 * KINDS: a new place fails here until it is listed, and a new kind until the filter decides it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { base64DataUrl, basemapTileTemplate, contractSocketUrl, videoStreamUrl } from '@shared';
import { isAllowedRequest, type AppOrigin } from './origin';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Kind = 'renderer-file' | 'dev-server' | 'video-stream' | 'basemap-tile' | 'data' | 'blob' | 'contract-socket' | 'core-address';

/** What opens or builds a URL. Our own methods named fetch (`this.fetch(`, `private fetch(`) are not `fetch(`. */
const OPENERS: { name: string; pattern: RegExp }[] = [
  { name: 'WebSocket', pattern: /\bnew\s+WebSocket\s*\(/ },
  { name: 'fetch', pattern: /(?<![.\w$]|(?:private|public|protected|static|async)\s+)fetch\s*\(/ },
  { name: 'XMLHttpRequest / EventSource / sendBeacon', pattern: /\bXMLHttpRequest\b|\bnew\s+EventSource\s*\(|\bsendBeacon\s*\(/ },
  { name: 'worker', pattern: /\bnew\s+(?:Shared)?Worker\s*\(|\bimportScripts\s*\(|\bsetWorkerUrl\s*\(|\bregister\s*\(\s*['"`]\/?sw/ },
  { name: 'asset URL import', pattern: /\?(?:url|worker|sharedworker)['"]/ },
  { name: 'object URL', pattern: /\bcreateObjectURL\s*\(/ },
  { name: 'navigation', pattern: /\bwindow\.open\s*\(|\blocation\.(?:assign|replace)\s*\(|\blocation\.href\s*=(?!=)/ },
  { name: 'src/href property', pattern: /\.(?:src|href|srcset|poster|data)\s*=(?!=)\s*(?!['"`]?\s*$)/ },
  { name: 'src/href attribute', pattern: /\b(?:src|href|srcSet|poster)\s*=\s*[{'"]/ },
  { name: 'MapLibre protocol or tiles', pattern: /\baddProtocol\s*\(|\btiles\s*:\s*\[|\b(?:sprite|glyphs)\s*:\s*['"`]/ },
  { name: 'URL builder', pattern: /\b(?:videoStreamUrl|contractSocketUrl|basemapTileTemplate|base64DataUrl)\s*\(/ },
  { name: 'literal scheme', pattern: /['"`](?:[a-z][a-z0-9+.-]*:\/\/|data:|blob:|\/\/[a-z0-9])/i },
  { name: 'CSS url()', pattern: /\burl\s*\(/ },
];

/** Every place that opens or builds a URL, with its kind. `contains` picks the line in `file`. */
const SITES: { file: string; contains: string; kind: Kind }[] = [
  // The contract: the preload's IPC in Electron; only a plain browser (Node host) opens the socket.
  { file: 'renderer/src/transport/select-transport.ts', contains: 'contractSocketUrl(location', kind: 'contract-socket' },
  { file: 'renderer/src/transport/ws-transport.ts', contains: 'new WebSocket(url)', kind: 'contract-socket' },
  // The video wall: one socket per tile to the core's video endpoint, played through MediaSource.
  { file: 'renderer/src/features/cameras/wall/VideoTile.tsx', contains: 'videoStreamUrl(endpoint', kind: 'video-stream' },
  { file: 'renderer/src/features/cameras/wall/mse-player.ts', contains: 'new WebSocket(this.url)', kind: 'video-stream' },
  { file: 'renderer/src/features/cameras/wall/mse-player.ts', contains: 'URL.createObjectURL(source)', kind: 'blob' },
  { file: 'renderer/src/features/cameras/wall/mse-player.ts', contains: 'this.video.src = this.objectUrl', kind: 'blob' },
  // The map: loaded basemaps' tiles through MapView's protocol handler; the worker is a built file.
  { file: 'renderer/src/features/map/map-style.ts', contains: 'basemapTileTemplate(info.id', kind: 'basemap-tile' },
  { file: 'renderer/src/features/map/map-style.ts', contains: 'tiles: [basemapTileUrl(info)]', kind: 'basemap-tile' },
  { file: 'renderer/src/features/map/MapView.tsx', contains: 'addProtocol(BASEMAP_SCHEME', kind: 'basemap-tile' },
  { file: 'renderer/src/features/map/MapView.tsx', contains: "maplibre-gl-worker.mjs?url'", kind: 'renderer-file' },
  { file: 'renderer/src/features/map/MapView.tsx', contains: 'setWorkerUrl(workerUrl)', kind: 'renderer-file' },
  // Downloads (CSV, GeoJSON exports): a blob: link clicked in the page.
  { file: 'renderer/src/features/workflows/common.ts', contains: 'URL.createObjectURL(new Blob', kind: 'blob' },
  { file: 'renderer/src/features/workflows/common.ts', contains: 'link.href = url', kind: 'blob' },
  // Pictures the core sends as base64.
  { file: 'renderer/src/features/cameras/snapshot/SnapshotModal.tsx', contains: 'base64DataUrl(mime, dataBase64)', kind: 'data' },
  { file: 'renderer/src/features/cameras/snapshot/SnapshotModal.tsx', contains: "base64DataUrl('image/jpeg', tileFrame)", kind: 'data' },
  { file: 'renderer/src/features/cameras/snapshot/SnapshotModal.tsx', contains: 'src={cameraPicture.src}', kind: 'data' },
  { file: 'renderer/src/features/incidents/detail/AttachmentImage.tsx', contains: 'base64DataUrl(attachment.mime', kind: 'data' },
  { file: 'renderer/src/features/incidents/detail/AttachmentImage.tsx', contains: 'src={src}', kind: 'data' },
  { file: 'renderer/src/features/workflows/Attachments.tsx', contains: 'base64DataUrl(a.mime', kind: 'data' },
  { file: 'renderer/src/features/workflows/Attachments.tsx', contains: 'src={images[', kind: 'data' },
  // The page itself.
  { file: 'renderer/index.html', contains: 'src="./src/main.tsx"', kind: 'renderer-file' },
  { file: 'renderer/index.html', contains: 'href="data:,"', kind: 'data' },
  // The analysis workspace: our own page with ?view=analysis (Electron opens its window instead), and its
  // exports saved through a blob link.
  { file: 'renderer/src/features/analysis/OperatorLink.tsx', contains: "window.open(analysisUrl(), 'analysis')", kind: 'renderer-file' },
  { file: 'renderer/src/features/analysis/export.ts', contains: 'URL.createObjectURL(blob)', kind: 'blob' },
  { file: 'renderer/src/features/analysis/export.ts', contains: 'a.href = url', kind: 'blob' },
  // Save diagnostics: the core's zip saved through a blob link.
  { file: 'renderer/src/features/system/download.ts', contains: 'URL.createObjectURL(blob)', kind: 'blob' },
  { file: 'renderer/src/features/system/download.ts', contains: 'link.href = url', kind: 'blob' },
  // The city broker's address: typed in the link settings and sent to the core, which connects; the page never opens it.
  { file: 'renderer/src/features/uplink/LinkSettingsModal.tsx', contains: "url: 'mqtts://'", kind: 'core-address' },
  { file: 'renderer/src/features/uplink/strings.ts', contains: "urlHint: 'mqtts://主机", kind: 'core-address' },
  { file: 'renderer/src/features/uplink/strings.ts', contains: "urlHint: 'mqtts://host", kind: 'core-address' },
];

const rendererDir = path.resolve('/opt/duty-console/out/renderer');
const endpoint = 'ws://127.0.0.1:41234/video?token=0123abcd';
const built: AppOrigin = { rendererDir, devServerUrl: undefined, videoEndpoint: endpoint };
const dev: AppOrigin = { rendererDir, devServerUrl: 'http://localhost:5173', videoEndpoint: endpoint, devTools: true };
const file = (relative: string) => pathToFileURL(path.join(rendererDir, relative)).href;
const tile = (template: string) => template.replace('{z}', '12').replace('{x}', '3401').replace('{y}', '1790');

/**
 * Each kind: URLs of it as the renderer builds them (through the same builders), and whether the
 * shell lets them through. Only the contract socket is refused: in Electron the renderer reaches the
 * core through the preload's IPC bridge and never opens it.
 */
const KINDS: Record<Kind, { origin: AppOrigin; urls: string[]; allowed: boolean }> = {
  'renderer-file': {
    origin: built,
    urls: [file('index.html'), `${file('index.html')}?view=analysis`, file('assets/index-Cx1.js'), file('assets/maplibre-gl-worker-Bq2.mjs')],
    allowed: true,
  },
  'dev-server': { origin: dev, urls: ['http://localhost:5173/src/main.tsx', 'ws://localhost:5173/'], allowed: true },
  'video-stream': {
    origin: built,
    urls: [
      videoStreamUrl(endpoint, { cameraId: 'c1', profileToken: 'main', transcode: false }),
      videoStreamUrl(endpoint, { cameraId: '东门 1', profileToken: 'sub&x', transcode: true }),
    ],
    allowed: true,
  },
  'basemap-tile': { origin: built, urls: [tile(basemapTileTemplate('0192f3a1-b2', 'png')), tile(basemapTileTemplate('城区', 'pbf'))], allowed: true },
  data: { origin: built, urls: [base64DataUrl('image/jpeg', '/9j/4AAQ'), 'data:,'], allowed: true },
  blob: { origin: built, urls: ['blob:file:///4f1b2c3d-0000-4000-8000-000000000000', 'blob:http://localhost:5173/4f1b2c3d'], allowed: true },
  'contract-socket': { origin: built, urls: [contractSocketUrl({ protocol: 'file:', host: '' }, 'tok')], allowed: false },
  // The core connects to the city broker; were the page ever to open it, the shell refuses.
  'core-address': { origin: built, urls: ['mqtts://city.example:8883', 'mqtt://10.0.0.1:1883'], allowed: false },
};

/** The source with comments blanked (line numbers kept): a URL in a comment opens nothing. */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\/|<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '))
    .replace(/^\s*\/\/.*$/gm, (comment) => ' '.repeat(comment.length));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(?:tsx?|css)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

interface Hit {
  file: string;
  line: number;
  text: string;
  opener: string;
}

function scan(): Hit[] {
  const hits: Hit[] = [];
  for (const file of [...sourceFiles('renderer/src'), 'renderer/index.html']) {
    const lines = withoutComments(fs.readFileSync(path.join(root, file), 'utf8')).split('\n');
    lines.forEach((text, index) => {
      for (const opener of OPENERS) {
        if (opener.name === 'CSS url()' && !file.endsWith('.css')) continue;
        if (opener.pattern.test(text)) hits.push({ file, line: index + 1, text: text.trim(), opener: opener.name });
      }
    });
  }
  return hits;
}

describe('the URLs the renderer opens', () => {
  const hits = scan();
  const siteOf = (hit: Hit) => SITES.find((site) => site.file === hit.file && hit.text.includes(site.contains));

  it('finds the places it knows of (the scan works)', () => {
    expect(hits.some((h) => h.file.endsWith('mse-player.ts') && h.opener === 'WebSocket')).toBe(true);
    expect(hits.some((h) => h.file.endsWith('MapView.tsx') && h.opener === 'MapLibre protocol or tiles')).toBe(true);
    expect(hits.some((h) => h.file === 'renderer/index.html')).toBe(true);
  });

  it('every place that opens or builds a URL is listed with its kind', () => {
    const unknown = hits.filter((hit) => !siteOf(hit)).map((h) => `${h.file}:${h.line} (${h.opener}): ${h.text}`);
    expect(unknown, 'add each to SITES with its kind, and the kind to KINDS with the filter’s decision').toEqual([]);
  });

  it('every listed place is still in the code', () => {
    const stale = SITES.filter((site) => !hits.some((hit) => siteOf(hit) === site)).map((s) => `${s.file}: ${s.contains}`);
    expect(stale).toEqual([]);
  });

  it('every kind found has a decision, and every decision a place (or the dev server)', () => {
    const found = new Set(SITES.map((s) => s.kind));
    expect([...found].filter((kind) => !(kind in KINDS))).toEqual([]);
    // The dev server is not opened by renderer code: electron-vite serves the page and Vite's client its HMR socket.
    expect(Object.keys(KINDS).filter((kind) => !found.has(kind as Kind) && kind !== 'dev-server')).toEqual([]);
  });

  it.each(Object.entries(KINDS))('the shell’s request filter decides %s', (_kind, { origin, urls, allowed }) => {
    for (const url of urls) expect(isAllowedRequest(url, origin), url).toBe(allowed);
  });
});

describe('the request filter around each kind', () => {
  it('lets camera streams reach the core’s video endpoint and nothing beside it', () => {
    const stream = videoStreamUrl(endpoint, { cameraId: 'c1', profileToken: 'main', transcode: false });
    expect(isAllowedRequest(stream, built)).toBe(true);
    for (const url of [
      stream.replace(':41234', ':41235'), // another port on loopback
      stream.replace('127.0.0.1', 'localhost'),
      stream.replace('127.0.0.1', '192.168.1.20'),
      stream.replace('ws:', 'wss:'),
      stream.replace('ws:', 'http:'),
      stream.replace('/video', '/ws'),
      stream.replace('ws://', 'ws://user:pw@'),
      'ws://127.0.0.1:41234/',
    ]) {
      expect(isAllowedRequest(url, built), url).toBe(false);
    }
    // Before the endpoint listens, no socket goes anywhere.
    expect(isAllowedRequest(stream, { ...built, videoEndpoint: undefined })).toBe(false);
  });

  it('takes basemap tiles only in the shape MapView asks for', () => {
    expect(isAllowedRequest('basemap://b1/png/1/2/3', built)).toBe(true);
    for (const url of ['basemap://b1/png/1/2', 'basemap://b1/gif/1/2/3', 'basemap://b1/png/1/2/3?x=1', 'basemap:///png/1/2/3', 'basemap://b1/png/../2/3']) {
      expect(isAllowedRequest(url, built), url).toBe(false);
    }
  });

  it('loads nothing remote, and devtools only in a dev checkout', () => {
    for (const url of ['https://tile.openstreetmap.org/1/1/1.png', 'http://192.168.1.20/camera.mjpg', 'ws://10.0.0.5:554/', 'wss://example.com/ws', 'ftp://example.com/']) {
      expect(isAllowedRequest(url, built), url).toBe(false);
      expect(isAllowedRequest(url, dev), url).toBe(false);
    }
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', built)).toBe(false);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', dev)).toBe(true);
  });
});

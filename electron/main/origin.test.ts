import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CSP,
  DEV_CSP,
  isAllowedNavigation,
  isAllowedRequest,
  isAppPermissionOrigin,
  isAppUrl,
  isTrustedSender,
  type AppOrigin,
} from './origin';

const rendererDir = path.resolve('/opt/duty-console/out/renderer');
const built: AppOrigin = { rendererDir, devServerUrl: undefined };
const dev: AppOrigin = { rendererDir, devServerUrl: 'http://localhost:5173' };
const page = pathToFileURL(path.join(rendererDir, 'index.html')).href;

describe('app URLs', () => {
  it('accepts files of the built renderer only', () => {
    expect(isAppUrl(page, built)).toBe(true);
    expect(isAppUrl(`${page}#/incidents/1`, built)).toBe(true);
    expect(isAppUrl(pathToFileURL(path.join(rendererDir, 'assets/index-abc.js')).href, built)).toBe(true);
    expect(isAppUrl(pathToFileURL(rendererDir).href, built)).toBe(false);
    expect(isAppUrl(pathToFileURL(path.join(rendererDir, '../preload/index.cjs')).href, built)).toBe(false);
    expect(isAppUrl(pathToFileURL(`${rendererDir}-evil/index.html`).href, built)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', built)).toBe(false);
    expect(isAppUrl('file://fileserver/share/index.html', built)).toBe(false);
  });

  it('accepts the dev server (page and HMR socket) only when there is one', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('ws://localhost:5173/', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', built)).toBe(false);
  });

  it('rejects remote and malformed URLs', () => {
    for (const url of ['https://example.com/', 'http://localhost:5173.evil.com/', 'javascript:alert(1)', 'not a url', '']) {
      expect(isAppUrl(url, dev), url).toBe(false);
    }
  });
});

describe('requests, navigation, permissions', () => {
  it('loads nothing remote', () => {
    expect(isAllowedRequest(page, built)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', { ...built, devTools: true })).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', built)).toBe(false);
    expect(isAllowedRequest('data:image/png;base64,AAAA', built)).toBe(true);
    expect(isAllowedRequest('https://tile.openstreetmap.org/1/1/1.png', built)).toBe(false);
    expect(isAllowedRequest('http://192.168.1.20/camera.mjpg', built)).toBe(false);
  });

  it('navigates only to the page it already shows', () => {
    expect(isAllowedNavigation(page, page, built)).toBe(true);
    expect(isAllowedNavigation(`${page}#/other`, `${page}#/incidents`, built)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', page, built)).toBe(false);
    expect(isAllowedNavigation(pathToFileURL(path.join(rendererDir, 'other.html')).href, page, built)).toBe(false);
  });

  it('knows our permission origin', () => {
    expect(isAppPermissionOrigin('file://', built)).toBe(true);
    expect(isAppPermissionOrigin('file://', dev)).toBe(false);
    expect(isAppPermissionOrigin('http://localhost:5173', dev)).toBe(true);
    expect(isAppPermissionOrigin('https://example.com', dev)).toBe(false);
  });

  it('relaxes script-src for the dev server only', () => {
    const directives = (policy: string) =>
      Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    const strict = directives(CSP);
    const relaxed = directives(DEV_CSP);
    expect(strict).toMatchObject({ 'script-src': "'self'", 'object-src': "'none'", 'base-uri': "'none'", 'frame-src': "'none'" });
    expect(relaxed['script-src']).toBe("'self' 'unsafe-inline'");
    expect({ ...relaxed, 'script-src': strict['script-src'] }).toEqual(strict);
  });
});

describe('IPC sender check', () => {
  const main = { url: page, parent: null, detached: false, frameTreeNodeId: 7 };
  const sender = { ownWindow: true, mainFrameTreeNodeId: 7 };

  it('trusts the main frame of our window on our page', () => {
    expect(isTrustedSender(main, sender, built)).toBe(true);
  });

  it('refuses everything else', () => {
    expect(isTrustedSender(null, sender, built)).toBe(false);
    expect(isTrustedSender({ ...main, parent: {} }, sender, built)).toBe(false);
    expect(isTrustedSender({ ...main, detached: true }, sender, built)).toBe(false);
    expect(isTrustedSender({ ...main, frameTreeNodeId: 8 }, sender, built)).toBe(false);
    expect(isTrustedSender(main, { ...sender, ownWindow: false }, built)).toBe(false);
    expect(isTrustedSender({ ...main, url: 'https://example.com/' }, sender, built)).toBe(false);
    expect(isTrustedSender({ ...main, url: 'devtools://devtools/bundled/inspector.html' }, sender, built)).toBe(false);
  });
});

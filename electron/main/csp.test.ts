/**
 * One policy: the meta tag the build writes into index.html (electron.vite.config.ts cspMeta, from
 * shared/web/csp.ts) is the header the shell sends (origin.ts responsePolicy), for the built page
 * and for the dev server's page alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CSP_PLACEHOLDER, cspDirectives, withCspMeta } from '@shared';
import { cspMeta } from '../../electron.vite.config';
import { CSP, DEV_CSP, responsePolicy, type AppOrigin } from './origin';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = fs.readFileSync(path.join(root, 'renderer/index.html'), 'utf8');
const rendererDir = path.resolve('/opt/duty-console/out/renderer');
const built: AppOrigin = { rendererDir, devServerUrl: undefined };
const dev: AppOrigin = { rendererDir, devServerUrl: 'http://localhost:5173' };

/** What the build's plugin makes of index.html: with a dev server (serve) or without (build). */
async function transformed(server: boolean): Promise<string> {
  const hook = cspMeta.transformIndexHtml;
  const handler = typeof hook === 'function' ? hook : hook?.handler;
  if (!handler) throw new Error('cspMeta has no transformIndexHtml handler');
  const context = { path: '/index.html', filename: path.join(root, 'renderer/index.html'), ...(server ? { server: {} } : {}) };
  const result = await handler.call({} as never, source, context as never);
  if (typeof result !== 'string') throw new Error('cspMeta should return the page');
  return result;
}

function metaPolicies(html: string): string[] {
  return [...html.matchAll(/<meta\b[^>]*http-equiv="Content-Security-Policy"[^>]*content="([^"]*)"/gi)].map((m) =>
    m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&'),
  );
}

describe('one Content-Security-Policy', () => {
  it('the built page carries the header the shell sends for it', async () => {
    const page = pathToFileURL(path.join(rendererDir, 'index.html')).href;
    expect(metaPolicies(await transformed(false))).toEqual([responsePolicy(page, built)]);
    expect(responsePolicy(page, built)).toBe(CSP);
  });

  it('the dev server’s page carries the header the shell sends for the dev server', async () => {
    expect(metaPolicies(await transformed(true))).toEqual([responsePolicy('http://localhost:5173/', dev)]);
    expect(responsePolicy('http://localhost:5173/', dev)).toBe(DEV_CSP);
  });

  it('index.html has no policy of its own, only the place the build writes it', () => {
    expect(source.split(CSP_PLACEHOLDER)).toHaveLength(2);
    expect(metaPolicies(source)).toEqual([CSP_PLACEHOLDER]);
    expect(() => withCspMeta(source.replace(CSP_PLACEHOLDER, "default-src 'self'"), 'app')).toThrow(/exactly once/);
    const twice = source.replace('<meta name="viewport"', `<meta http-equiv="Content-Security-Policy" content="default-src *" /><meta name="viewport"`);
    expect(() => withCspMeta(twice, 'app')).toThrow(/exactly one/);
  });

  it('connects only to the page’s origin and the loopback video endpoint; loads nothing remote', () => {
    for (const mode of ['app', 'dev-server'] as const) {
      const directives = cspDirectives(mode);
      expect(directives['connect-src']).toEqual(["'self'", 'ws://127.0.0.1:*']);
      expect(directives['object-src']).toEqual(["'none'"]);
      expect(directives['base-uri']).toEqual(["'none'"]);
      expect(directives['frame-src']).toEqual(["'none'"]);
      const sources = Object.values(directives).flat();
      // No scheme-wide or remote sources (ws:, https:, *, a host) besides the loopback video endpoint.
      expect(sources.filter((s) => !/^'[a-z-]+'$/.test(s) && !['data:', 'blob:', 'ws://127.0.0.1:*'].includes(s))).toEqual([]);
    }
    expect(cspDirectives('app')['script-src']).toEqual(["'self'"]);
    expect(cspDirectives('dev-server')['script-src']).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin, Rollup } from 'vite';
import { withCspMeta } from './shared/web/csp';

type RollupOptions = Rollup.RollupOptions;

const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

const alias = { '@shared': at('./shared/index.ts') };

/**
 * The renderer's Content-Security-Policy, from its one source (shared/web/csp.ts), into index.html's
 * meta tag: the built page gets the strict policy, the dev server's page the one that lets
 * @vitejs/plugin-react's inline React Refresh preamble run. electron/main/security.ts sends the
 * same policies as a header (electron/main/csp.test.ts compares them).
 */
export const cspMeta: Plugin = {
  name: 'duty-console:csp-meta',
  transformIndexHtml: {
    order: 'pre',
    handler: (html, context) => withCspMeta(html, context.server ? 'dev-server' : 'app'),
  },
};

/** zod's sources carry `@__PURE__` comments rollup cannot place; harmless noise in every bundle. */
const quietAnnotations: RollupOptions['onwarn'] = (warning, warn) => {
  if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
  warn(warning);
};

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: at('./out/main'),
      // package.json `dependencies` (better-sqlite3 — native — ws, zod, uuid) stay in node_modules;
      // electron-builder ships and rebuilds them. Everything else is bundled.
      externalizeDeps: true,
      // The job worker (electron/core/jobs) is its own entry: out/main/job-worker.js, beside index.js.
      rollupOptions: { input: { index: at('./electron/main/index.ts'), 'job-worker': at('./electron/core/jobs/job-worker.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: at('./out/preload'),
      // A sandboxed preload can only require('electron') and a few polyfilled builtins:
      // bundle everything it uses (@shared, zod) into one CommonJS file, out/preload/index.cjs.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: at('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
        onwarn: quietAnnotations,
      },
    },
  },
  renderer: {
    root: at('./renderer'),
    // Relative asset URLs: the same build loads from file:// (Electron) and from the Node host at `/`.
    base: './',
    resolve: { alias },
    plugins: [react(), cspMeta],
    build: {
      outDir: at('./out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: at('./renderer/index.html'), onwarn: quietAnnotations },
    },
  },
});

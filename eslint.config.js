// ESLint 9 flat config. Not type-aware on purpose (fast). The layer rules below are enforced with
// `no-restricted-imports` per folder and proven by tests/unit/layers.test.ts.
//
//   shared/            the contract: runs in the renderer, the Node host and Electron main alike
//   electron/core|host plain Node: no electron, no UI
//   electron/main      Electron glue: no UI
//   electron/preload   `electron` and `@shared` only (bundled into one sandboxed CommonJS file)
//   renderer/          browser only: reaches the core through the contract, never by import
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { importGraphPlugin } from './scripts/import-graph.mjs';

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `fs`, `fs/promises`, `node:fs`, … and node-only `node:` modules such as `node:test`. */
const NODE_BUILTINS = `^(?:node:.*|${builtinModules.map(escape).join('|')})$`;
const ELECTRON = '^(?:electron|@electron/[^/]+)(?:/.*)?$';
const UI = '^(?:react|react-dom|@mantine/[^/]+|@tabler/[^/]+)(?:/.*)?$';
/** A relative import that walks into a folder with one of these names. */
const into = (...folders) => `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})(?:/|$)`;

/** One `no-restricted-imports` setting made of [regex, message] pairs. */
const restrict = (...rules) => ({
  'no-restricted-imports': [
    'error',
    { patterns: rules.map(([regex, message]) => ({ regex, message, caseSensitive: true })) },
  ],
});

const sharedRules = [
  [ELECTRON, 'shared/ is the contract, loaded by the renderer and the Node host too: it never imports electron.'],
  [UI, 'shared/ has no UI: react, react-dom, @mantine/* and @tabler/* belong in renderer/.'],
  [into('electron', 'renderer'), 'shared/ is the bottom layer: it imports nothing from electron/ or renderer/ (they import it, as @shared).'],
];
const sharedNoNode = [
  NODE_BUILTINS,
  'shared/ runs in the browser too: no Node builtins (fs, node:fs, path, …). Node code belongs in electron/core.',
];

export default defineConfig(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'bench/results/**',
      'tests/e2e/artifacts/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // No import cycles in shared/, electron/ and renderer/src/; the core's rooms meet only at their
    // doors (index.ts), the store imports no room, context.ts holds types only (scripts/import-graph.mjs).
    files: ['shared/**/*.{ts,tsx}', 'electron/**/*.{ts,tsx}', 'renderer/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    plugins: { house: importGraphPlugin },
    rules: { 'house/import-graph': 'error' },
  },
  {
    // CommonJS on purpose (electron-builder hooks).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: restrict(sharedNoNode, ...sharedRules),
  },
  {
    // Tests of shared/ run in Node under Vitest; they may read fixtures with node:fs.
    files: ['shared/**/*.test.ts'],
    rules: restrict(...sharedRules),
  },
  {
    files: ['electron/core/**', 'electron/host/**'],
    rules: restrict(
      [ELECTRON, 'electron/core and electron/host also run in plain Node (npm run host, tests, bench): no electron imports. Electron glue belongs in electron/main.'],
      [UI, 'The core has no UI: react, react-dom, @mantine/* and @tabler/* belong in renderer/.'],
      [into('renderer'), 'The core never imports renderer code: the renderer talks to it through the contract (@shared).'],
      ['^(?:\\.\\./)+(?:electron/)?(?:main|preload)(?:/|$)', 'The core never imports the Electron shell (electron/main, electron/preload): the shell imports the core.'],
    ),
  },
  {
    // The core writes to its logger (electron/core/log: levels, JSON lines in <dataDir>/logs, secrets
    // redacted), never to the terminal; electron/host, electron/main and scripts may print.
    // Tests may print their figures (analysis/rules.test.ts: precision and recall), like scripts.
    files: ['electron/core/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['electron/main/**'],
    rules: restrict(
      [UI, 'electron/main is the Electron shell: no UI code (react, @mantine/*); the UI is renderer/.'],
      [into('renderer'), 'electron/main loads the built renderer; it never imports renderer source.'],
    ),
  },
  {
    files: ['electron/preload/**'],
    rules: restrict([
      '^(?!(?:electron|@shared)$)',
      'The preload exposes only invoke() and subscribe(): it imports `electron` and `@shared` and nothing else (no core, no node builtins — it is bundled into one sandboxed CommonJS file).',
    ]),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [NODE_BUILTINS, 'The renderer runs in a sandboxed browser page: no Node builtins (fs, node:fs, path, …). Ask the core through the contract.'],
      [ELECTRON, 'The renderer never imports electron: window.dutyConsole (preload) or the WebSocket transport is its only door to the core.'],
      [into('electron'), 'The renderer never imports from electron/ (core, host, main, preload): use the contract (@shared) and a Transport.'],
    ),
  },
);

// Layer rules live here (no-restricted-imports per folder) and are proven by tests/unit/layers.test.ts.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Exact module names (node builtins) go in `paths`; globs go in `patterns` (a bare "domain" pattern would match ./domain/). */
const restrict = (message, { names = [], globs = [] }) => ({
  'no-restricted-imports': [
    'error',
    { paths: names.map((name) => ({ name, message })), patterns: globs.length ? [{ group: globs, message }] : [] },
  ],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'tests/e2e/artifacts/**', 'test-results/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**'],
    rules: restrict(
      'shared/ is the contract: it imports no node, DOM, electron or UI code, so every host can load it.',
      { names: nodeBuiltins, globs: ['electron', '@electron/*', 'react', 'react-dom', '@mantine/*', '**/electron/**', '**/renderer/**'] },
    ),
  },
  {
    files: ['electron/core/**', 'electron/host/**'],
    rules: restrict(
      'The core runs in plain Node too: it never imports electron or renderer code.',
      { globs: ['electron', '@electron/*', 'react', 'react-dom', '@mantine/*', '**/renderer/**', '**/main/**', '**/preload/**'] },
    ),
  },
  {
    files: ['electron/preload/**'],
    rules: restrict(
      'The preload exposes only invoke and subscribe: it imports electron and @shared, nothing else.',
      { globs: ['**/core/**', '**/host/**', '**/renderer/**', 'react', 'react-dom', '@mantine/*'] },
    ),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      'The renderer reaches core only through the contract: no node, no electron, no core imports.',
      { names: nodeBuiltins, globs: ['electron', '@electron/*', '**/electron/**'] },
    ),
  },
);

/**
 * The layer rules in eslint.config.js, proven: each forbidden import is an error in its layer, and a
 * clean file of each layer lints clean. Files are virtual (lintText + filePath); nothing is written.
 */
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: fileURLToPath(new URL('../../eslint.config.js', import.meta.url)) });
  // The first lint loads the parsers and plugins (8–17 s on the loaded 2-core machine): warm up here, not in a 5 s test.
  await eslint.lintText('export {};\n', { filePath: `${root}/shared/warm-up.ts`, warnIgnored: true });
}, 120_000);

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}`, warnIgnored: true });
  if (!result) throw new Error(`no lint result for ${file}`);
  return result.messages;
}

const errors = (messages: Linter.LintMessage[]) => messages.filter((m) => m.severity === 2);
const layerErrors = (messages: Linter.LintMessage[]) => errors(messages).filter((m) => m.ruleId === 'no-restricted-imports');

async function expectForbidden(file: string, code: string, explains: RegExp): Promise<void> {
  const found = layerErrors(await lint(file, code));
  expect(found, `${file}: ${code}`).toHaveLength(1);
  expect(found[0]?.message).toMatch(explains);
}

async function expectClean(file: string, code: string): Promise<void> {
  const messages = await lint(file, code);
  expect(messages, `${file}\n${messages.map((m) => `${m.ruleId}: ${m.message}`).join('\n')}`).toEqual([]);
}

describe('shared/ imports no node, electron, UI or upper layers', () => {
  it.each([
    "import fs from 'node:fs';",
    "import fs from 'fs';",
    "import { readFile } from 'fs/promises';",
    "import path from 'path';",
    "import { test } from 'node:test';",
  ])('%s is an error', (code) => expectForbidden('shared/x.ts', code, /no Node builtins/));

  it.each([
    ["import { app } from 'electron';", /never imports electron/],
    ["import type { IpcRenderer } from 'electron';", /never imports electron/],
    ["import React from 'react';", /has no UI/],
    ["import { createRoot } from 'react-dom/client';", /has no UI/],
    ["import { Button } from '@mantine/core';", /has no UI/],
    ["import { openCore } from '../electron/core';", /bottom layer/],
    ["import { App } from '../../renderer/src/App';", /bottom layer/],
  ])('%s is an error', (code, explains) => expectForbidden('shared/domain/x.ts', code, explains));

  it('a clean contract file has no errors', () =>
    expectClean(
      'shared/domain/x.ts',
      "import { z } from 'zod';\nimport { Envelope } from '../contract/errors';\nexport const Thing = z.object({ id: z.string() });\nexport type E = typeof Envelope;\n",
    ));

  it('a test of shared/ may use node builtins but not electron', async () => {
    await expectClean('shared/domain/x.test.ts', "import fs from 'node:fs';\nexport const read = fs.readFileSync;\n");
    await expectForbidden('shared/domain/x.test.ts', "import { app } from 'electron';\nexport { app };\n", /never imports electron/);
  });
});

describe('electron/core and electron/host never import electron, UI or the shell', () => {
  it.each([
    ["import { app } from 'electron';", /plain Node/],
    ["import { app } from 'electron/main';", /plain Node/],
    ["import remote from '@electron/remote';", /plain Node/],
    ["import React from 'react';", /no UI/],
    ["import { App } from '../../renderer/src/App';", /never imports renderer/],
    ["import { createConsoleWindow } from '../main/windows';", /Electron shell/],
    ["import '../../preload/index';", /Electron shell/],
  ])('%s is an error', (code, explains) => expectForbidden('electron/core/store/x.ts', code, explains));

  it('electron/host is under the same rule', () =>
    expectForbidden('electron/host/x.ts', "import { BrowserWindow } from 'electron';\nexport { BrowserWindow };\n", /plain Node/));

  it('a clean core file has no errors', () =>
    expectClean(
      'electron/core/store/x.ts',
      "import path from 'node:path';\nimport Database from 'better-sqlite3';\nimport type { Envelope } from '@shared';\nimport { openDatabase } from './database';\nexport const use = (e: Envelope) => [path.sep, Database, openDatabase, e];\n",
    ));
});

describe('renderer/ imports no node, no electron, nothing from electron/', () => {
  it.each([
    ["import path from 'path';", /no Node builtins/],
    ["import fs from 'node:fs';", /no Node builtins/],
    ["import { ipcRenderer } from 'electron';", /never imports electron/],
    ["import { openCore } from '../../electron/core';", /never imports from electron\//],
    ["import { dispatcher } from '../../../electron/core/contract/dispatcher';", /never imports from electron\//],
  ])('%s is an error', (code, explains) => expectForbidden('renderer/src/features/x.ts', code, explains));

  it('a clean renderer file has no errors', () =>
    expectClean(
      'renderer/src/features/x.tsx',
      "import { Button } from '@mantine/core';\nimport { createClient, type Transport } from '@shared';\nimport { useState } from 'react';\n" +
        'export function X({ transport }: { transport: Transport }) {\n  const [client] = useState(() => createClient(transport));\n  return <Button onClick={() => void client.invoke(\'system.info\', {})}>{document.title}</Button>;\n}\n',
    ));
});

describe('electron/preload imports only electron and @shared', () => {
  it.each([
    "import { openCore } from '../core';",
    "import { Dispatcher } from '../core/contract/dispatcher';",
    "import fs from 'node:fs';",
    "import { z } from 'zod';",
    "import { IPC_INVOKE_CHANNEL } from '../../shared/contract/transport';",
  ])('%s is an error', (code) => expectForbidden('electron/preload/x.ts', code, /imports `electron` and `@shared` and nothing else/));

  it('a clean preload has no errors', () =>
    expectClean(
      'electron/preload/x.ts',
      "import { contextBridge, ipcRenderer } from 'electron';\nimport { IPC_INVOKE_CHANNEL } from '@shared';\n" +
        "contextBridge.exposeInMainWorld('x', { invoke: (name: string) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name) });\n",
    ));
});

describe('electron/main is glue: no UI, no renderer source', () => {
  it.each([
    ["import React from 'react';", /no UI code/],
    ["import { App } from '../../renderer/src/App';", /never imports renderer source/],
  ])('%s is an error', (code, explains) => expectForbidden('electron/main/x.ts', code, explains));

  it('a clean main file has no errors', () =>
    expectClean(
      'electron/main/x.ts',
      "import path from 'node:path';\nimport { app } from 'electron';\nimport { IPC_EVENT_CHANNEL } from '@shared';\nimport { openCore } from '../core';\nexport const use = [path.sep, app, IPC_EVENT_CHANNEL, openCore];\n",
    ));
});

describe('no explicit any, in every layer', () => {
  it.each(['shared/x.ts', 'electron/core/x.ts', 'electron/host/x.ts', 'electron/main/x.ts', 'electron/preload/x.ts', 'renderer/src/x.ts', 'tests/unit/x.test.ts'])(
    '%s',
    async (file) => {
      const found = errors(await lint(file, 'export const value: any = 1;\n'));
      expect(found.map((m) => m.ruleId)).toEqual(['@typescript-eslint/no-explicit-any']);
    },
  );
});

/**
 * The import graph's rules (scripts/import-graph.mjs, enforced by the lint as `house/import-graph`):
 * the tree as it is obeys them, and each rule catches what it is for, shown on a small tree in a
 * temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types (ESLint loads it as is)
import { buildGraph, cyclePath, findCycles, ruleViolations } from '../../scripts/import-graph.mjs';

interface Violation {
  file: string;
  line: number;
  message: string;
}
type Graph = Map<string, { target: string; typeOnly: boolean; line: number }[]>;

const root = fileURLToPath(new URL('../..', import.meta.url));
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
  temporary.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the source tree', () => {
  const graph = buildGraph(root) as Graph;

  it('reads the core, shared and the renderer', () => {
    const files = [...graph.keys()];
    expect(files).toContain('electron/core/index.ts');
    expect(files).toContain('shared/index.ts');
    expect(files.some((f) => f.startsWith('renderer/src/'))).toBe(true);
  });

  it('has no import cycles', () => {
    const cycles = (findCycles(graph) as string[][]).map((c) => (cyclePath(graph, c) as string[]).join(' → '));
    expect(cycles).toEqual([]);
  });

  it('keeps the floors: doors between rooms, the store at the bottom, context.ts types only', () => {
    expect((ruleViolations(graph) as Violation[]).map((v) => v.message)).toEqual([]);
  });

  it('the composition root stands on every room and nothing in the core stands on it', () => {
    const importers = [...graph].filter(([, edges]) => edges.some((e) => e.target === 'electron/core/index.ts')).map(([f]) => f);
    expect(importers.every((f) => !f.startsWith('electron/core/'))).toBe(true);
  });
});

describe('each rule catches what it is for', () => {
  it('a cycle, also of types only', () => {
    const dir = tree({
      'shared/a.ts': "import type { B } from './b';\nexport type A = B;\n",
      'shared/b.ts': "import type { A } from './a';\nexport type B = A | 1;\n",
      'shared/c.ts': "import type { A } from './a';\nexport type C = A;\n",
    });
    const graph = buildGraph(dir) as Graph;
    const cycles = findCycles(graph) as string[][];
    expect(cycles).toEqual([['shared/a.ts', 'shared/b.ts']]);
    expect(cyclePath(graph, cycles[0]!)).toEqual(['shared/a.ts', 'shared/b.ts', 'shared/a.ts']);
  });

  it('a cycle through @shared and through a folder index', () => {
    const dir = tree({
      'shared/index.ts': "export * from './x';\n",
      'shared/x.ts': "import { y } from '@shared';\nexport const x = 1;\nexport const z = y;\n",
      'renderer/src/p/index.ts': "export { q } from './q';\nexport const p = 1;\n",
      'renderer/src/p/q.ts': "import { p } from '.';\nexport const q = p;\n",
    });
    const cycles = findCycles(buildGraph(dir)) as string[][];
    expect(cycles).toContainEqual(['shared/index.ts', 'shared/x.ts']);
    expect(cycles).toContainEqual(['renderer/src/p/index.ts', 'renderer/src/p/q.ts']);
  });

  it('a room reaching past another room’s door, the store reaching up, context.ts importing a value or a handler, the core importing its root', () => {
    const dir = tree({
      'electron/core/index.ts': "import { a } from './alpha';\nexport const core = a;\n",
      'electron/core/context.ts': "import { A } from './alpha/store';\nimport type { H } from './alpha/handlers';\nexport type C = H | typeof A;\n",
      'electron/core/alpha/index.ts': "export { A as a } from './store';\n",
      'electron/core/alpha/store.ts': "import { S } from '../store';\nexport const A = S;\n",
      'electron/core/store/index.ts': "export { S } from './db';\n",
      'electron/core/alpha/handlers.ts': 'export type H = 1;\n',
      'electron/core/beta/thing.ts': "import { A } from '../alpha/store';\nimport { a } from '../alpha';\nexport const t = [A, a];\n",
      'electron/core/store/db.ts': "import type { a } from '../alpha';\nexport const S = 1;\nexport type T = typeof a;\n",
      'electron/core/gamma/x.ts': "import { core } from '../index';\nexport const x = core;\n",
    });
    const messages = (ruleViolations(buildGraph(dir)) as Violation[]).map((v) => `${v.file}:${v.line} ${v.message}`);
    expect(messages.filter((m) => m.includes('only through its door'))).toEqual([expect.stringMatching(/^electron\/core\/beta\/thing\.ts:1 .*alpha\/store\.ts/)]);
    expect(messages.some((m) => /^electron\/core\/store\/db\.ts:1 .*bottom floor/.test(m))).toBe(true);
    expect(messages.some((m) => /^electron\/core\/context\.ts:1 .*types only/.test(m))).toBe(true);
    expect(messages.some((m) => /^electron\/core\/context\.ts:2 .*below the command modules/.test(m))).toBe(true);
    expect(messages.some((m) => /^electron\/core\/gamma\/x\.ts:1 .*composition root/.test(m))).toBe(true);
    // A door is the way in: beta's second import is fine.
    expect(messages.some((m) => m.startsWith('electron/core/beta/thing.ts:2'))).toBe(false);
  });
});

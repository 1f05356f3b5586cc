// The import graph of the app's own source (shared/, electron/, renderer/src/) and the rules the
// lint keeps on it (eslint.config.js, rule `house/import-graph`; proven by
// tests/unit/architecture.test.ts):
//   1. no import cycles — type-only imports count: a cycle of types is still a circle a newcomer
//      cannot read as floors;
//   2. a room of the core (electron/core/<room>/) imports another room only through that room's
//      door, its index.ts;
//   3. electron/core/store (the bottom floor) imports no other room of the core;
//   4. electron/core/context.ts (types every module is given) imports types only, never a
//      handlers module or the composition root (electron/core/index.ts);
//   5. nothing inside electron/core imports the composition root.
// Plain JavaScript on purpose: ESLint loads it without a TypeScript loader.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOTS = ['shared', 'electron', 'renderer/src'];
const SOURCE = /\.(?:ts|tsx|mts)$/;
const SKIP = /(?:\.test\.tsx?|\.d\.ts)$/;
const CORE = 'electron/core/';

function walk(root, dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, rel, out);
    else if (SOURCE.test(entry.name) && !SKIP.test(entry.name)) out.push(rel);
  }
  return out;
}

function resolveImport(root, from, spec) {
  let base;
  if (spec === '@shared') base = 'shared/index';
  else if (spec.startsWith('@shared/')) base = `shared/${spec.slice('@shared/'.length)}`;
  else if (spec.startsWith('.')) base = path.posix.join(path.posix.dirname(from), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    const full = path.join(root, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return path.posix.normalize(candidate);
  }
  return null;
}

/** file (relative, posix) → its imports: { target, typeOnly, line }. */
export function buildGraph(root) {
  const files = ROOTS.flatMap((r) => walk(root, r, []));
  const graph = new Map();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const edges = [];
    const add = (spec, typeOnly, node) => {
      const target = resolveImport(root, file, spec);
      if (target) edges.push({ target, typeOnly, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
    };
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const clause = statement.importClause;
        const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
        add(statement.moduleSpecifier.text, typeOnly, statement);
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        add(statement.moduleSpecifier.text, statement.isTypeOnly, statement);
      }
    }
    graph.set(file, edges);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan), each as a list of files. */
export function findCycles(graph) {
  let index = 0;
  const stack = [];
  const onStack = new Set();
  const indices = new Map();
  const lows = new Map();
  const cycles = [];
  const visit = (v) => {
    indices.set(v, index);
    lows.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        lows.set(v, Math.min(lows.get(v), lows.get(w)));
      } else if (onStack.has(w)) lows.set(v, Math.min(lows.get(v), indices.get(w)));
    }
    if (lows.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).some((e) => e.target === v);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return cycles;
}

/** One concrete circle through a component, for the message: a → b → … → a. */
export function cyclePath(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const { target } of graph.get(v) ?? []) {
      if (target === start) {
        const chain = [];
        for (let at = v; at !== null; at = previous.get(at)) chain.unshift(at);
        return [...chain, start];
      }
      if (members.has(target) && !previous.has(target)) {
        previous.set(target, v);
        queue.push(target);
      }
    }
  }
  return component;
}

const roomOf = (file) => (file.startsWith(CORE) && file.slice(CORE.length).includes('/') ? file.slice(CORE.length).split('/')[0] : null);

/** Violations of rules 2–5 above: { file, line, message }. */
export function ruleViolations(graph) {
  const out = [];
  for (const [file, edges] of graph) {
    if (!file.startsWith(CORE)) continue;
    const room = roomOf(file);
    for (const { target, typeOnly, line } of edges) {
      const targetRoom = roomOf(target);
      if (target === `${CORE}index.ts`) {
        out.push({ file, line, message: `${file} imports the composition root (electron/core/index.ts): only hosts (electron/host, electron/main) and tests stand above it. Types every module needs live in electron/core/context.ts.` });
      }
      if (room && targetRoom && targetRoom !== room && target !== `${CORE}${targetRoom}/index.ts`) {
        out.push({ file, line, message: `${file} reaches into ${target}: a room of the core imports another only through its door, electron/core/${targetRoom}/index.ts (export what you need there).` });
      }
      if (room === 'store' && target.startsWith(CORE) && targetRoom !== 'store') {
        out.push({ file, line, message: `${file} imports ${target}: the store is the bottom floor and imports no other room of the core.` });
      }
      if (file === `${CORE}context.ts`) {
        if (!typeOnly) out.push({ file, line, message: `electron/core/context.ts imports ${target} for a value: it holds types only (import type).` });
        if (/\/handlers\.ts$/.test(target) || target === `${CORE}index.ts`) {
          out.push({ file, line, message: `electron/core/context.ts imports ${target}: it stands below the command modules and the composition root.` });
        }
      }
    }
  }
  return out;
}

let cached = null;

/** For the ESLint rule: one graph per lint run (the files on disk), problems by file. */
export function problemsByFile(root) {
  if (cached && cached.root === root) return cached.problems;
  const graph = buildGraph(root);
  const problems = new Map();
  const add = (file, problem) => problems.set(file, [...(problems.get(file) ?? []), problem]);
  for (const component of findCycles(graph)) {
    const circle = cyclePath(graph, component).join(' → ');
    for (const file of component) {
      const line = (graph.get(file) ?? []).find((e) => component.includes(e.target))?.line ?? 1;
      add(file, { line, message: `import cycle: ${circle}. Move what both sides need into a module below them (types into their own file, a shared helper into a lower floor).` });
    }
  }
  for (const v of ruleViolations(graph)) add(v.file, { line: v.line, message: v.message });
  cached = { root, problems };
  return problems;
}

/** ESLint plugin: `house/import-graph` reports the problems above on the file they start in. */
export const importGraphPlugin = {
  rules: {
    'import-graph': {
      meta: { type: 'problem', schema: [], docs: { description: 'No import cycles; core rooms import each other only through their doors.' } },
      create(context) {
        // A file that is not on disk (ESLint's lintText in tests/unit/layers.test.ts) has no place in the graph.
        if (!fs.existsSync(context.filename)) return {};
        const root = context.cwd;
        const file = path.relative(root, context.filename).split(path.sep).join('/');
        return {
          Program(node) {
            for (const problem of problemsByFile(root).get(file) ?? []) {
              context.report({ node, loc: { line: problem.line, column: 0 }, message: problem.message });
            }
          },
        };
      },
    },
  },
};

/**
 * The renderer never reads an error's English: it translates code + reason + params
 * (renderer/src/app/errors.ts). This test fails when a renderer file matches message text — a
 * regex, includes/startsWith/endsWith, or ===/!== against an error's `.message`, or a function that
 * takes a message string and runs a regex over it (the old translateMessage shape).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../renderer/src', import.meta.url));

/** Files allowed to match message text while their domain moves to reasons (none left). */
const PENDING = new Set<string>();

const RULES: [RegExp, string][] = [
  [/\.message\b\s*(?:\?\.|\.)\s*(?:match|test|includes|startsWith|endsWith|search|replace|trim)\s*\(/, 'reads .message with a string method'],
  [/\/(?:[^/\n\\]|\\.)+\/[dgimsuy]*\.(?:test|exec)\(\s*[\w.?]*\.message\b/, 'runs a regex over .message'],
  [/\.message\b\s*[!=]==?\s*['"`]/, 'compares .message with text'],
  [/['"`]\s*[!=]==?\s*[\w.?]*\.message\b/, 'compares .message with text'],
];

/** A function taking a message string and running a regex or string test over it. */
const MESSAGE_PARSER = /\(\s*(?:message|text|m)\s*:\s*string[^)]*\)[\s\S]{0,400}?(?:\.match\(\s*\/|\/(?:[^/\n\\]|\\.)+\/[dgimsuy]*\.test\(\s*(?:message|text|m)\b|(?:message|text|m)\.(?:startsWith|endsWith|includes)\()/;

function problems(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const [rule, what] of RULES) if (rule.test(line)) found.push(`${index + 1}: ${what}: ${line.trim()}`);
  });
  if (MESSAGE_PARSER.test(text)) found.push('a function parses a message string with regexes or string tests');
  return found;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('no renderer file matches error message text', () => {
  it('the renderer as it is', () => {
    const found = files(root)
      .map((file) => path.relative(root, file).split(path.sep).join('/'))
      .filter((rel) => !PENDING.has(rel))
      .flatMap((rel) => problems(fs.readFileSync(path.join(root, rel), 'utf8')).map((p) => `${rel}:${p}`));
    expect(found).toEqual([]);
  });

  it.each([
    "if (/changed by someone else/i.test(error.message)) return stale;",
    "if (error.message.includes('no file at')) return missing;",
    "if (issue.message === 'required') return required;",
    "const m = error.message.match(/^at most (\\d+)/);",
    "function problem(text: string, t: TFunction) {\n  if (text.startsWith('has no grid code')) return t('x');\n}",
    "export function translate(message: string, t: TFunction): string {\n  const m = message.trim();\n  if ((match = m.match(/^capacity exceeded/))) return t('y');\n}",
  ])('catches %s', (code) => expect(problems(code)).not.toEqual([]));

  it.each([
    "setProblem(describeFailure(error, t).message);",
    "message: original && original !== message ? `${message}` : message,",
    "notifications.show({ color: 'red', title: failure.title, message: failure.message });",
  ])('lets %s be', (code) => expect(problems(code)).toEqual([]));
});

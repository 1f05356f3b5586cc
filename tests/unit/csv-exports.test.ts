/**
 * Every CSV export goes through the one writer that escapes formula cells (shared/domain/csv.ts
 * toCsv / csvCell): no other CSV writer in the app, and each export command's handler uses it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '@shared';

const root = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return files(relative);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

describe('CSV exports', () => {
  const sources = [...files('electron'), ...files('renderer/src'), ...files('shared')].map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));

  it('have no CSV writer but the shared one', () => {
    expect(sources.filter((s) => /from ['"]csv-stringify/.test(s.text)).map((s) => s.file)).toEqual([]);
  });

  it('every export command writes through toCsv', () => {
    const exports = COMMAND_NAMES.filter((name) => /csv/i.test(name) && /export/i.test(name));
    expect(exports.length).toBeGreaterThan(0);
    for (const name of exports) {
      const handler = sources.find((s) => s.file.startsWith('electron/core/') && s.text.includes(`'${name}':`));
      expect(handler, name).toBeDefined();
      const method = name.split('.')[1]!;
      // The handler itself, or the store method it calls, writes with toCsv.
      const writer = sources.find((s) => s.file.startsWith('electron/core/') && new RegExp(`\\b${method}\\(\\)[^{]*\\{[\\s\\S]*?toCsv\\(`).test(s.text));
      const inline = new RegExp(`'${name.replace('.', '\\.')}':[\\s\\S]{0,800}?toCsv\\(`).test(handler!.text);
      expect(inline || writer !== undefined, `${name} writes through toCsv`).toBe(true);
    }
  });
});

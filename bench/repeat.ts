/**
 * `npm run bench -- <suite> --repeat N`: the arguments, and the table that puts N runs side by side
 * with their spread. A target counts as met only when every run meets it.
 */
import { figureTarget, formatFigure, ms, table, type SuiteResult } from './stats';

/** `--repeat 3` or `--repeat=3`; 1 without it. */
export function parseArgs(argv: readonly string[]): { names: string[]; repeat: number; help: boolean } | { error: string } {
  const names: string[] = [];
  let repeat = 1;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--repeat' || arg.startsWith('--repeat=')) {
      const raw = arg === '--repeat' ? argv[++i] : arg.slice('--repeat='.length);
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 1 || value > 20) return { error: `--repeat takes a whole number of runs from 1 to 20, got "${raw ?? ''}"` };
      repeat = value;
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else names.push(arg);
  }
  return { names, repeat, help };
}

interface Row {
  name: string;
  values: number[];
  format: (v: number) => string;
  /** Met in every run (undefined: no target). */
  pass?: boolean;
  target: string;
}

/** Per suite: each run's p95 (or figure) side by side, min–max and the spread (max − min) / min. */
export function spreadRows(runs: readonly SuiteResult[]): Row[] {
  const rows: Row[] = [];
  const first = runs[0];
  if (!first) return rows;
  for (const m of first.measurements) {
    const all = runs.map((r) => r.measurements.find((x) => x.name === m.name));
    if (all.some((x) => !x)) continue;
    rows.push({
      name: `${m.name} (p95)`,
      values: all.map((x) => x!.stats.p95),
      format: (v) => `${ms(v)}`,
      pass: m.targetP95Ms === undefined ? undefined : all.every((x) => x!.pass !== false),
      target: m.targetP95Ms === undefined ? '' : `< ${m.targetP95Ms}`,
    });
  }
  for (const f of first.figures ?? []) {
    const all = runs.map((r) => r.figures?.find((x) => x.name === f.name));
    if (all.some((x) => !x)) continue;
    rows.push({
      name: f.name,
      values: all.map((x) => x!.value),
      format: (v) => formatFigure(v, f.unit),
      pass: f.max === undefined && f.min === undefined ? undefined : all.every((x) => x!.pass !== false),
      target: figureTarget(f),
    });
  }
  return rows;
}

export function spreadTable(runs: readonly SuiteResult[], loads: readonly number[][]): string {
  const rows = spreadRows(runs);
  return table(
    ['figure (ms unless said)', ...runs.map((_r, i) => `run ${i + 1}`), 'min–max', 'spread', 'target', 'every run'],
    [
      ['load average (1 min) at start', ...loads.map((l) => l[0]!.toFixed(2)), '', '', '', ''],
      ...rows.map((r) => {
        const min = Math.min(...r.values);
        const max = Math.max(...r.values);
        const spread = min > 0 ? `${(((max - min) / min) * 100).toFixed(0)} %` : '-';
        return [r.name, ...r.values.map(r.format), `${r.format(min)}–${r.format(max)}`, spread, r.target, r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL'];
      }),
    ],
  );
}


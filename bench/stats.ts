/**
 * Shared by every benchmark suite: latency samples → percentiles, the result shapes that run.ts
 * prints and writes to bench/results/, and the small formatting helpers.
 */
import { performance } from 'node:perf_hooks';

export interface Stats {
  n: number;
  mean: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One timed operation. Times are milliseconds. */
export interface Measurement {
  name: string;
  stats: Stats;
  /** The p95 must stay below this; absent for figures reported for information only. */
  targetP95Ms?: number;
  pass?: boolean;
  note?: string;
}

/**
 * A single-valued result that is not a latency: a ratio (ours / floor, ours / peer, 1M / 100k), a
 * share of dropped frames, CPU. `--repeat` shows the spread of these beside the measurements'.
 */
export interface Figure {
  name: string;
  value: number;
  /** How to print it: 'ms', '%' (value is a fraction), '×' (a ratio), 'cores', '/s' (a rate). */
  unit: 'ms' | '%' | '×' | 'cores' | '/s' | '';
  /** The value must not exceed this; absent for figures reported for information only. */
  max?: number;
  /** The value must reach at least this (a rate: events per second). */
  min?: number;
  pass?: boolean;
  note?: string;
}

export function figure(name: string, value: number, unit: Figure['unit'], options: { max?: number; min?: number; note?: string } = {}): Figure {
  const f: Figure = { name, value, unit };
  if (options.max !== undefined) {
    f.max = options.max;
    f.pass = value <= options.max;
  }
  if (options.min !== undefined) {
    f.min = options.min;
    f.pass = (f.pass ?? true) && value >= options.min;
  }
  if (options.note) f.note = options.note;
  return f;
}

export function formatFigure(value: number, unit: Figure['unit']): string {
  if (!Number.isFinite(value)) return '-';
  if (unit === '%') return `${(value * 100).toFixed(2)} %`;
  if (unit === '×') return `${value.toFixed(2)}×`;
  if (unit === 'ms') return `${ms(value)} ms`;
  if (unit === 'cores') return value.toFixed(2);
  if (unit === '/s') return `${count(value)} /s`;
  return String(Math.round(value * 1000) / 1000);
}

export function figureTable(figures: readonly Figure[]): string {
  return table(
    ['figure', 'value', 'target', ''],
    figures.map((f) => [
      f.name,
      formatFigure(f.value, f.unit),
      figureTarget(f),
      f.pass === undefined ? '' : f.pass ? 'PASS' : 'FAIL',
    ]),
  );
}

/** `≤ 0`, `≥ 5,000 /s`, both, or nothing. */
export function figureTarget(f: Pick<Figure, 'max' | 'min' | 'unit'>): string {
  return [f.min === undefined ? '' : `≥ ${formatFigure(f.min, f.unit)}`, f.max === undefined ? '' : `≤ ${formatFigure(f.max, f.unit)}`].filter(Boolean).join(', ');
}

/** What every suite returns; `info` holds suite-specific figures (sizes, rates, plans…). */
export interface SuiteResult {
  suite: string;
  /** False when any measurement or figure with a target failed it. */
  ok: boolean;
  durationMs: number;
  measurements: Measurement[];
  /** Ratios and other single values, with or without targets. */
  figures?: Figure[];
  info: Record<string, unknown>;
}

/** Which run of a `--repeat` this is: a suite may keep costly set-up (a seeded store) across runs. */
export interface RunContext {
  /** 0-based. */
  index: number;
  of: number;
}

export interface Suite {
  name: string;
  description: string;
  run(context: RunContext): Promise<SuiteResult>;
}

/** Nearest-rank percentile over ascending samples (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    n: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface TimeOptions {
  iterations: number;
  /** Untimed calls first (statement preparation, JIT, page cache). */
  warmup: number;
  targetP95Ms?: number;
  note?: string;
}

/**
 * Times `fn(i)` with performance.now(), one sample per call; i runs on through warm-up and the
 * timed calls so a caller can vary its input. An async fn is awaited inside the sample.
 */
export async function time(
  name: string,
  options: TimeOptions,
  fn: (i: number) => unknown,
): Promise<Measurement> {
  for (let i = 0; i < options.warmup; i += 1) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i += 1) {
    const start = performance.now();
    await fn(options.warmup + i);
    samples.push(performance.now() - start);
  }
  return measurement(name, samples, options);
}

export function measurement(
  name: string,
  samples: readonly number[],
  options: { targetP95Ms?: number; note?: string } = {},
): Measurement {
  const stats = summarize(samples);
  const m: Measurement = { name, stats };
  if (options.targetP95Ms !== undefined) {
    m.targetP95Ms = options.targetP95Ms;
    m.pass = stats.p95 < options.targetP95Ms;
  }
  if (options.note) m.note = options.note;
  return m;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toFixed(u ? 2 : 0)} ${units[u]}`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function duration(msValue: number): string {
  const s = msValue / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${(s - m * 60).toFixed(0).padStart(2, '0')} s`;
}

/** Fixed-width table (display width counts CJK as two columns). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (s: string) => [...s].reduce((w, c) => w + (/[\u1100-\uffff]/u.test(c) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c + ' '.repeat(widths[i]! - width(c)) : ' '.repeat(widths[i]! - width(c)) + c))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function measurementTable(measurements: readonly Measurement[]): string {
  return table(
    ['operation (ms)', 'n', 'mean', 'p50', 'p95', 'p99', 'max', 'target p95', ''],
    measurements.map((m) => [
      m.name,
      String(m.stats.n),
      ms(m.stats.mean),
      ms(m.stats.p50),
      ms(m.stats.p95),
      ms(m.stats.p99),
      ms(m.stats.max),
      m.targetP95Ms === undefined ? '' : `< ${m.targetP95Ms}`,
      m.pass === undefined ? '' : m.pass ? 'PASS' : 'FAIL',
    ]),
  );
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

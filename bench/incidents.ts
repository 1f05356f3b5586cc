/**
 * The incident store at scale: seeds N incidents with ~10·N events through the store's own
 * commands (create, every step of the closed loop, comments, corrections), so the rows, hash chain,
 * outbox and search index are what production writes; then times the list pane, search, the
 * detail view and commands, through the Dispatcher (zod in and out, as a user's call costs) and on
 * the raw store.
 *
 * Each size is measured on its own store, and the figures that must not grow with the store (list
 * pages, the status bar, a year's statistics) are printed as a ratio of the largest size to the
 * smallest. Beside each list and search: its floor (the page alone as hand-written SQL on the same
 * file) and its peer (what hand-written SQL would do: count(*) with the same WHERE, then the page).
 *
 * Environment:
 *   BENCH_INCIDENTS   incidents to seed, one size or several separated by commas (default
 *                     100,000,1,000,000 is read as two sizes: 100000,1000000; events are 10× that)
 *   BENCH_ITERATIONS  timed calls per operation (default 200)
 *   BENCH_BATCH       incidents per seeding transaction (default 5,000)
 *   BENCH_TMP         parent of the temporary data dir (default os.tmpdir())
 *   BENCH_KEEP=1      keep the data dir at the end (its path is printed)
 *   BENCH_DATA_DIR    measure existing data dirs (kept by BENCH_KEEP; comma-separated, one per size)
 *                     instead of seeding
 *   BENCH_VERIFY=1    also walk the whole hash chain (events.verify) once and time it
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import {
  INCIDENT_STATUSES,
  SEED_CATEGORIES,
  commands,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type IncidentStatus,
} from '@shared';
import { openCore } from '../electron/core';
import { measureWorkflows } from './workflows';
import { DATABASE_FILE, openDatabase, type Db } from '../electron/core/store/database';
import type { Statement } from 'better-sqlite3';
import { IncidentStore } from '../electron/core/incidents/incident-store';
import {
  PLACEHOLDER_ID,
  SEARCH_PHRASES_4,
  SEARCH_WORDS_2,
  incidentPlans,
  random,
  type IncidentPlan,
  type PlannedOp,
} from './incident-data';
import {
  bytes,
  count,
  duration,
  measurementTable,
  peakRss,
  table,
  time,
  figure,
  type Figure,
  type Measurement,
  type RunContext,
  type SuiteResult,
} from './stats';

/** At the largest size (1M by default); the list and summary targets hold at any size. */
const TARGET = { list: 5, summary: 2, detail: 20, search: 50, command: 5 } as const;
/** p50 at the largest size over p50 at the smallest, for what must not grow with the store. */
const MAX_GROWTH = 1.5;

interface Config {
  sizes: number[];
  dataDirs: string[];
  incidents: number;
  eventsPerIncident: number;
  iterations: number;
  warmup: number;
  batch: number;
  tmp: string;
  keep: boolean;
  verify: boolean;
}

function config(): Config {
  const num = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw.replace(/[_,]/g, ''));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
    return value;
  };
  const iterations = num('BENCH_ITERATIONS', 200);
  const rawSizes = process.env.BENCH_INCIDENTS || '100000,1000000';
  // "100,000" alone is one size; "100000,1000000" two; underscores group digits.
  const sizes = /^\d{1,3}(,\d{3})+$/.test(rawSizes) && !rawSizes.split(',').slice(1).some((g) => g.length !== 3)
    ? [Number(rawSizes.replace(/,/g, ''))]
    : rawSizes.split(',').map((part) => {
        const value = Number(part.trim().replace(/_/g, ''));
        if (!Number.isInteger(value) || value <= 0) throw new Error(`BENCH_INCIDENTS must be positive integers separated by commas, got "${rawSizes}"`);
        return value;
      });
  const dataDirs = (process.env.BENCH_DATA_DIR || '').split(',').map((d) => d.trim()).filter(Boolean);
  if (dataDirs.length && dataDirs.length !== sizes.length) {
    throw new Error(`BENCH_DATA_DIR names ${dataDirs.length} dir(s) for ${sizes.length} size(s) in BENCH_INCIDENTS; give one per size`);
  }
  return {
    sizes,
    dataDirs,
    incidents: sizes[sizes.length - 1]!,
    eventsPerIncident: 10,
    iterations,
    warmup: Math.max(10, Math.round(iterations / 10)),
    batch: num('BENCH_BATCH', 5_000),
    tmp: process.env.BENCH_TMP || os.tmpdir(),
    keep: process.env.BENCH_KEEP === '1',
    verify: process.env.BENCH_VERIFY === '1',
  };
}

/** Stores seeded by an earlier run of a `--repeat`, by size: seeded once, measured every run. */
const seeded = new Map<number, string>();

const sizeLabel = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : count(n));

export async function runIncidentBench(context: RunContext = { index: 0, of: 1 }): Promise<SuiteResult> {
  const cfg = config();
  const started = performance.now();
  const last = context.index === context.of - 1;
  const info: Record<string, unknown> = {
    config: { ...cfg, targetsP95Ms: TARGET, maxGrowth: MAX_GROWTH },
  };
  const created: string[] = [];
  const cleanup = (all: boolean) => {
    if (cfg.keep || (!all && !last)) return;
    for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    for (const [size, dir] of seeded) {
      fs.rmSync(dir, { recursive: true, force: true });
      seeded.delete(size);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup(true);
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const measurements: Measurement[] = [];
  const bySize: Record<string, unknown> = {};
  const largest = cfg.sizes[cfg.sizes.length - 1]!;
  try {
    for (const [i, size] of cfg.sizes.entries()) {
      const label = sizeLabel(size);
      const given = cfg.dataDirs[i];
      const reused = given ?? seeded.get(size);
      const dir = reused ?? fs.mkdtempSync(path.join(cfg.tmp, 'duty-console-bench-'));
      if (!reused) {
        created.push(dir);
        if (context.of > 1) seeded.set(size, dir);
      }
      const file = path.join(dir, DATABASE_FILE);
      const sizeInfo: Record<string, unknown> = {};
      console.log(`\n-- ${label} incidents; data dir: ${dir}${reused ? ' (existing, not seeded)' : ''}`);
      if (!reused) sizeInfo.seed = seed(file, { ...cfg, incidents: size });
      sizeInfo.store = describeStore(file);
      const own = await measure(file, dir, { ...cfg, incidents: size }, sizeInfo, size === largest);
      for (const m of own) m.name = `[${label}] ${m.name}`;
      measurements.push(...own);
      bySize[label] = sizeInfo;
      console.log(`\n${measurementTable(own)}\n`);
      console.log(`DB size: ${bytes((sizeInfo.store as StoreInfo).fileBytes)}, peak RSS so far: ${bytes(peakRss())}`);
      if (!cfg.keep && !reused && context.of === 1) {
        fs.rmSync(dir, { recursive: true, force: true });
        created.splice(created.indexOf(dir), 1);
      } else if (cfg.keep && !reused) console.log(`kept: ${dir} (BENCH_DATA_DIR=${dir} with BENCH_INCIDENTS=${size} measures it again without seeding)`);
    }
    info.sizes = bySize;
    const figures = [...floorFigures(measurements, sizeLabel(largest)), ...growthFigures(measurements, cfg.sizes.map(sizeLabel))];
    info.peakRssBytes = peakRss();
    const durationMs = performance.now() - started;
    console.log(`peak RSS: ${bytes(peakRss())}, suite time: ${duration(durationMs)}`);
    return {
      suite: 'incidents',
      ok: measurements.every((m) => m.pass !== false) && figures.every((f) => f.pass !== false),
      durationMs,
      measurements,
      figures,
      info,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup(false);
  }
}

/** Operations whose cost must not grow with the store: the list pane, the status bar, statistics. */
const FLAT = [/^list: /, /^summary counts/, /^statistics: /];

/** ours / floor and ours / peer (p50) at the largest size, for each list and search. */
function floorFigures(measurements: readonly Measurement[], label: string): Figure[] {
  const at = (name: string) => measurements.find((m) => m.name === `[${label}] ${name}`);
  const out: Figure[] = [];
  for (const m of measurements) {
    const match = /^\[[^\]]+\] (.*) \(store\)$/.exec(m.name);
    if (!match || !m.name.startsWith(`[${label}] `)) continue;
    const base = match[1]!;
    const floor = at(`  ${base}: floor, the page alone in hand-written SQL`);
    const peer = at(`  ${base}: peer, count(*) + page in hand-written SQL`);
    if (floor) out.push(figure(`[${label}] ${base}: ours (store) / floor, p50`, m.stats.p50 / floor.stats.p50, '×'));
    if (peer) out.push(figure(`[${label}] ${base}: ours (store) / peer, p50`, m.stats.p50 / peer.stats.p50, '×'));
  }
  const stats = measurements.find((m) => m.name.startsWith(`[${label}] statistics: a year`));
  const statsPeer = at('  statistics: peer, grid × category daily table in hand-written SQL');
  if (stats && statsPeer) out.push(figure(`[${label}] statistics, a year: ours (dispatch, with units) / peer, p50`, stats.stats.p50 / statsPeer.stats.p50, '×'));
  return out;
}

/** p50 at the largest size / p50 at the smallest, per operation; targets for the FLAT ones. */
function growthFigures(measurements: readonly Measurement[], labels: readonly string[]): Figure[] {
  if (labels.length < 2) return [];
  const [small, large] = [labels[0]!, labels[labels.length - 1]!];
  const out: Figure[] = [];
  for (const m of measurements) {
    if (!m.name.startsWith(`[${large}] `) || m.name.startsWith(`[${large}]   `)) continue;
    const name = m.name.slice(large.length + 3);
    const before = measurements.find((x) => x.name === `[${small}] ${name}`);
    if (!before) continue;
    const flat = FLAT.some((re) => re.test(name));
    out.push(figure(`${name}: p50 at ${large} / at ${small}`, m.stats.p50 / before.stats.p50, '×', flat ? { max: MAX_GROWTH } : {}));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seeding

/** An incident with steps still to come, keyed in the heap by the time of its next op. */
interface Active {
  id: string;
  version: number;
  ops: PlannedOp[];
  next: number;
  order: number;
}

/** Min-heap on (time of next op, creation order). */
class Agenda {
  private readonly items: Active[] = [];
  get size(): number {
    return this.items.length;
  }
  private key(a: Active): number {
    return a.ops[a.next]!.at;
  }
  private less(a: Active, b: Active): boolean {
    const ka = this.key(a);
    const kb = this.key(b);
    return ka < kb || (ka === kb && a.order < b.order);
  }
  peekAt(): number {
    return this.items.length ? this.key(this.items[0]!) : Infinity;
  }
  push(item: Active): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): Active {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

export interface SeedInfo {
  incidents: number;
  events: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  eventsPerSecond: number;
  incidentsPerSecond: number;
  batch: number;
  progress: { percent: number; incidents: number; events: number; seconds: number; rowsPerSecond: number; eventsPerSecond: number }[];
}

/**
 * Replays the plans in time order across incidents (as a duty room would have written them), so
 * sequence numbers, the hash chain and the outbox follow time like production. Creates happen in
 * recording order; before each one, every planned step due by then runs.
 */
export function seed(file: string, cfg: Pick<Config, 'incidents' | 'eventsPerIncident' | 'batch'>): SeedInfo {
  const end = Date.now();
  const db = openDatabase(file);
  const store = new IncidentStore(db, { codePrefix: 'GS', now: () => end });
  const plans = incidentPlans({ incidents: cfg.incidents, eventsPerIncident: cfg.eventsPerIncident, end, years: 3 });
  const agenda = new Agenda();
  let incidents = 0;
  let events = 0;
  const t0 = performance.now();
  let last = { t: t0, rows: 0, events: 0 };
  const progress: SeedInfo['progress'] = [];
  const step = Math.max(1, Math.round(cfg.incidents / 10));

  const runNext = () => {
    const active = agenda.pop();
    const op = active.ops[active.next]!;
    active.next += 1;
    let version: number;
    if (op.kind === 'transition') version = store.transition(active.id, active.version, op.step!, op.actor, op.at).incident.version;
    else if (op.kind === 'comment') version = store.comment(active.id, op.text!, op.actor, op.at).incident.version;
    else version = store.update(active.id, active.version, op.patch!, op.actor, op.at).incident.version;
    active.version = version;
    events += 1;
    if (active.next < active.ops.length) agenda.push(active);
  };
  const create = (plan: IncidentPlan) => {
    while (agenda.peekAt() <= plan.recordedAt) runNext();
    const { incident } = store.create(plan.draft, plan.actor, plan.recordedAt);
    incidents += 1;
    events += 1;
    if (plan.ops.length) agenda.push({ id: incident.id, version: incident.version, ops: plan.ops, next: 0, order: incidents });
  };
  const report = (final = false) => {
    const now = performance.now();
    const rows = incidents + events;
    const seconds = (now - t0) / 1000;
    const entry = {
      percent: Math.round((incidents / cfg.incidents) * 100),
      incidents,
      events,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / seconds),
      eventsPerSecond: Math.round(events / seconds),
    };
    progress.push(entry);
    const interval = (now - last.t) / 1000;
    console.log(
      `  seed ${final ? 'done' : `${String(entry.percent).padStart(3)}%`}  ${count(incidents).padStart(9)} incidents  ${count(events).padStart(10)} events  ` +
        `${duration(now - t0).padStart(11)}  ${count(entry.rowsPerSecond)} rows/s, ${count(entry.eventsPerSecond)} events/s` +
        (final ? '' : ` (last ${interval.toFixed(0)} s: ${count((rows - last.rows) / interval)} rows/s)  pending ${agenda.size}  rss ${bytes(process.memoryUsage().rss)}`),
    );
    last = { t: now, rows, events };
  };

  console.log(`seeding ${count(cfg.incidents)} incidents (~${count(cfg.incidents * cfg.eventsPerIncident)} events) in transactions of ${count(cfg.batch)} incidents…`);
  let checked = 0;
  let batch: IncidentPlan[] = [];
  const flush = () => {
    const plansInBatch = batch;
    batch = [];
    store.write(() => {
      for (const plan of plansInBatch) {
        create(plan);
        if (incidents % step === 0) report();
      }
    });
  };
  for (const plan of plans) {
    if (checked < 200) {
      checkShapes(plan);
      checked += 1;
    }
    batch.push(plan);
    if (batch.length >= cfg.batch) flush();
  }
  flush();
  // Steps still due (up to `end`) after the last create.
  while (agenda.size) store.write(() => {
    for (let n = 0; n < 50_000 && agenda.size; n += 1) runNext();
  });
  report(true);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return {
    incidents,
    events,
    rows: incidents + events,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round((incidents + events) / seconds),
    eventsPerSecond: Math.round(events / seconds),
    incidentsPerSecond: Math.round(incidents / seconds),
    batch: cfg.batch,
    progress,
  };
}

/** The generated inputs must be exactly what the contract's parser hands the store. */
function checkShapes(plan: IncidentPlan): void {
  const same = (name: CommandName, input: unknown, key: string) => {
    const parsed = commands[name].input.parse(input) as Record<string, unknown>;
    if (!isDeepStrictEqual(parsed[key], (input as Record<string, unknown>)[key])) {
      throw new Error(`generated ${name} input differs from its parsed form: ${JSON.stringify(input)}`);
    }
  };
  const id = PLACEHOLDER_ID;
  same('incidents.create', { draft: plan.draft }, 'draft');
  for (const op of plan.ops) {
    if (op.kind === 'transition') same('incidents.transition', { id, expectedVersion: 1, transition: op.step }, 'transition');
    if (op.kind === 'update') same('incidents.update', { id, expectedVersion: 1, patch: op.patch }, 'patch');
    if (op.kind === 'comment') same('incidents.comment', { id, text: op.text }, 'text');
  }
}

// ---------------------------------------------------------------------------------------------
// What was written

interface StoreInfo {
  fileBytes: number;
  files: Record<string, number>;
  incidents: number;
  events: number;
  outboxPending: number;
  byStatus: Record<string, number>;
  overdue: number;
  years: { year: number; incidents: number }[];
  tableBytes?: Record<string, number>;
}

function fileSizes(file: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      sizes[path.basename(file + suffix)] = fs.statSync(file + suffix).size;
    } catch {
      // absent
    }
  }
  return sizes;
}

function describeStore(file: string): StoreInfo {
  const db = openDatabase(file);
  try {
    const walBefore = fileSizes(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const files = fileSizes(file);
    const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
    const byStatus = Object.fromEntries(
      (db.prepare('SELECT status, count(*) AS n FROM incidents GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
    );
    const info: StoreInfo = {
      fileBytes: Object.values(files).reduce((s, v) => s + v, 0),
      files,
      incidents: one<{ n: number }>('SELECT count(*) AS n FROM incidents').n,
      events: one<{ n: number | null }>('SELECT max(seq) AS n FROM events').n ?? 0,
      outboxPending: one<{ n: number }>('SELECT count(*) AS n FROM outbox').n,
      byStatus,
      overdue: one<{ n: number }>("SELECT count(*) AS n FROM incidents WHERE status <> 'closed' AND deadline < ?", Date.now()).n,
      years: db
        .prepare("SELECT CAST(strftime('%Y', recorded_at / 1000 + 8 * 3600, 'unixepoch') AS INTEGER) AS year, count(*) AS incidents FROM incidents GROUP BY 1 ORDER BY 1")
        .all() as { year: number; incidents: number }[],
    };
    try {
      info.tableBytes = Object.fromEntries(
        (db.prepare('SELECT name, sum(pgsize) AS size FROM dbstat GROUP BY name ORDER BY 2 DESC').all() as { name: string; size: number }[]).map((r) => [r.name, r.size]),
      );
    } catch {
      // dbstat not compiled in
    }
    console.log(
      `\nstore: ${count(info.incidents)} incidents, ${count(info.events)} events, outbox ${count(info.outboxPending)}, ` +
        `overdue ${count(info.overdue)}; by status ${Object.entries(byStatus).map(([s, n]) => `${s} ${count(n)}`).join(', ')}`,
    );
    console.log(`by year recorded (UTC+8): ${info.years.map((y) => `${y.year} ${count(y.incidents)}`).join(', ')}`);
    console.log(`files after seeding: ${Object.entries(walBefore).map(([f, s]) => `${f} ${bytes(s)}`).join(', ')}; after a WAL checkpoint: ${bytes(info.fileBytes)}`);
    if (info.tableBytes) {
      const top = Object.entries(info.tableBytes).slice(0, 12);
      console.log(table(['table / index', 'size'], top.map(([name, size]) => [name, bytes(size)])));
    }
    return info;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Timings

/** The columns the list pane shows (incident-store.ts LIST_COLUMNS). */
const LIST_SQL_COLUMNS = 'id, code, category, title, source, priority, occurred_at, deadline, status, assignee_kind, assignee_name';

async function measure(file: string, dataDir: string, cfg: Config, info: Record<string, unknown>, withTargets: boolean): Promise<Measurement[]> {
  const core = openCore({ dataDir, host: 'node', operator: '值班员 基准测试', version: 'bench' });
  const db: Db = openDatabase(file);
  const store = new IncidentStore(db, { codePrefix: 'GS', now: Date.now });
  const rnd = random(42);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const out: Measurement[] = [];
  // Targets apply at the largest size; smaller ones are measured for the growth ratio.
  const opts = (targetP95Ms?: number, note?: string) => ({ iterations: cfg.iterations, warmup: cfg.warmup, targetP95Ms: withTargets ? targetP95Ms : undefined, note });
  const call = async <N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
    const envelope = await core.dispatch(name, input);
    if (!envelope.ok) throw new Error(`${name} failed: ${JSON.stringify(envelope.error)}`);
    return envelope.value as CommandOutput<N>;
  };
  const both = async (name: string, target: number, note: string | undefined, inputs: (i: number) => CommandInput<'incidents.list'>) => {
    out.push(await time(`${name} (dispatch)`, opts(target, note), (i) => call('incidents.list', inputs(i))));
    // The raw store takes parsed input: parse up front, outside the timed call.
    const parsed = Array.from({ length: cfg.warmup + cfg.iterations }, (_, i) => commands['incidents.list'].input.parse(inputs(i)));
    const ours = await time(`${name} (store)`, opts(target), (i) => store.list(parsed[i]!.filter, parsed[i]!.offset, parsed[i]!.limit));
    out.push(ours);
    // Floor and peer on the same file: the store's own WHERE clause (same rows, same order), as
    // hand-written SQL would run it — the page alone (floor), and count(*) + the page (peer).
    const now = Date.now();
    const sql = parsed.map(({ filter, offset, limit }) => {
      const where = store.filterWhere(filter, now)!;
      return {
        page: raw(`SELECT ${LIST_SQL_COLUMNS} FROM incidents ${where.clause} ORDER BY list_key, rid LIMIT ? OFFSET ?`),
        count: raw(`SELECT count(*) AS n FROM incidents ${where.clause}`),
        params: where.params,
        limit,
        offset,
      };
    });
    const first = sql[0]!;
    const floorRows = first.page.all(...first.params, first.limit, first.offset) as { id: string }[];
    const ourRows = store.list(parsed[0]!.filter, parsed[0]!.offset, parsed[0]!.limit).rows;
    if (floorRows.map((r) => r.id).join() !== ourRows.map((r) => r.id).join()) throw new Error(`${name}: the hand-written SQL lists other rows than the store`);
    out.push(await time(`  ${name}: floor, the page alone in hand-written SQL`, opts(), (i) => sql[i]!.page.all(...sql[i]!.params, sql[i]!.limit, sql[i]!.offset)));
    out.push(
      await time(`  ${name}: peer, count(*) + page in hand-written SQL`, opts(), (i) => {
        const q = sql[i]!;
        return [q.count.get(...q.params), q.page.all(...q.params, q.limit, q.offset)];
      }),
    );
  };
  const prepared = new Map<string, Statement<unknown[]>>();
  const raw = (text: string) => {
    let statement = prepared.get(text);
    if (!statement) prepared.set(text, (statement = db.prepare<unknown[]>(text)));
    return statement;
  };
  const statuses = INCIDENT_STATUSES as readonly IncidentStatus[];
  const categories = SEED_CATEGORIES.map((c) => c.code);
  const incidentsTotal = store.count();
  console.log(`\nmeasuring (${cfg.iterations} timed calls per operation after ${cfg.warmup} warm-up calls)…`);

  try {
    // Inputs are drawn up front so every run (and both paths) sees the same sequence.
    const n = cfg.warmup + cfg.iterations;
    const listInputs = Array.from({ length: n }, () => ({
      filter: { statuses: [pick(statuses)], categories: [pick(categories)] },
      offset: int(0, 1000),
      limit: 50,
    }));
    await both('list: 1 status + 1 category, offset 0–1000', TARGET.list, 'open by deadline, then closed, 50 rows', (i) => listInputs[i]!);
    await both('list: unfiltered, first page', TARGET.list, undefined, () => ({ offset: 0, limit: 50 }));
    await both('list: unfiltered, offset 50,000', TARGET.list, undefined, () => ({ offset: 50_000, limit: 50 }));
    await both('list: overdue only, first page', TARGET.list, 'supervision view', () => ({ filter: { overdueOnly: true }, offset: 0, limit: 50 }));

    const maxSerial = Math.max(1, Math.round(incidentsTotal / 3));
    const codes = Array.from({ length: n }, () => String(int(1, maxSerial)).padStart(6, '0'));
    await both('search: 2-char word', TARGET.search, SEARCH_WORDS_2.join(' '), (i) => ({ filter: { text: SEARCH_WORDS_2[i % SEARCH_WORDS_2.length]! }, limit: 50 }));
    await both('search: 4-char phrase', TARGET.search, SEARCH_PHRASES_4.join(' '), (i) => ({ filter: { text: SEARCH_PHRASES_4[i % SEARCH_PHRASES_4.length]! }, limit: 50 }));
    await both('search: code fragment', TARGET.search, 'e.g. 000123', (i) => ({ filter: { text: codes[i]! }, limit: 50 }));

    const idStmt = db.prepare<[number], { id: string }>('SELECT id FROM incidents WHERE rid = ?');
    const ids = Array.from({ length: n }, () => idStmt.get(int(1, incidentsTotal))!.id);
    out.push(await time('detail with timeline (dispatch)', opts(TARGET.detail), (i) => call('incidents.get', { id: ids[i]! })));
    out.push(await time('detail with timeline (store)', opts(TARGET.detail), (i) => store.get(ids[i]!)));
    out.push(await time('summary counts (dispatch)', opts(TARGET.summary, 'status bar'), () => call('incidents.summary', {})));

    // Commands on fresh incidents: create, then the first steps of the loop, then a feedback loop.
    const draft = (i: number) => ({
      category: pick(categories),
      title: `${pick(['桂山码头', '企湾', '大坑湾', '老街'])}基准测试事件${i}：${pick(SEARCH_PHRASES_4)}`,
      source: 'phone' as const,
      priority: 3 as const,
      occurredAt: Date.now() - 60_000,
    });
    const viaDispatch: { id: string; version: number }[] = [];
    const viaStore: { id: string; version: number }[] = [];
    const track = (list: { id: string; version: number }[], i: number, version: number) => {
      list[i]!.version = version;
    };
    out.push(
      await time('command: create (dispatch)', opts(TARGET.command), async (i) => {
        const incident = await call('incidents.create', { draft: draft(i) });
        viaDispatch.push({ id: incident.id, version: incident.version });
      }),
    );
    const drafts = Array.from({ length: n }, (_, i) => commands['incidents.create'].input.parse({ draft: draft(i) }).draft);
    out.push(
      await time('command: create (store)', opts(TARGET.command), (i) => {
        const { incident } = store.create(drafts[i]!, 'bench');
        viaStore.push({ id: incident.id, version: incident.version });
      }),
    );
    type T = CommandInput<'incidents.transition'>['transition'];
    const steps: [string, (i: number) => T][] = [
      ['dispatch', () => ({ action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } })],
      ['start', () => ({ action: 'start' })],
      ['submit_feedback', () => ({ action: 'submit_feedback', result: '已到场处置完毕。' })],
      ['reject_feedback', () => ({ action: 'reject_feedback', reason: '请补充现场照片。' })],
    ];
    for (const [label, transition] of steps) {
      const parsed = Array.from(
        { length: n },
        (_, i) => commands['incidents.transition'].input.parse({ id: PLACEHOLDER_ID, expectedVersion: 1, transition: transition(i) }).transition,
      );
      out.push(
        await time(`command: transition ${label} (dispatch)`, opts(TARGET.command), async (i) => {
          const target = viaDispatch[i]!;
          const incident = await call('incidents.transition', { id: target.id, expectedVersion: target.version, transition: transition(i) });
          track(viaDispatch, i, incident.version);
        }),
      );
      out.push(
        await time(`command: transition ${label} (store)`, opts(TARGET.command), (i) => {
          const target = viaStore[i]!;
          track(viaStore, i, store.transition(target.id, target.version, parsed[i]!, 'bench').incident.version);
        }),
      );
    }
    out.push(await time('command: comment (dispatch)', opts(TARGET.command), (i) => call('incidents.comment', { id: viaDispatch[i]!.id, text: '已电话联系当事人。' })));
    out.push(await time('command: comment (store)', opts(TARGET.command), (i) => store.comment(viaStore[i]!.id, '已电话联系当事人。', 'bench')));

    // Escalation, its first step, statistics for a year and the supervision list (bench/workflows.ts).
    out.push(...(await measureWorkflows(call, opts, viaDispatch, info)));
    // The statistics' floor: the same year straight from migration 003's daily table (grid ×
    // category), grouped twice in hand-written SQL, as the view read it before migration 009.
    {
      const to = Date.now();
      const [fromDay, toDay] = [Math.floor((to + 8 * 3_600_000) / 86_400_000) - 364, Math.floor((to + 8 * 3_600_000) / 86_400_000)];
      const byGrid = raw('SELECT grid, sum(reported), sum(completed), sum(close_ms_sum) FROM incident_daily_stats WHERE day BETWEEN ? AND ? GROUP BY grid');
      const byCategory = raw('SELECT category, sum(reported), sum(completed), sum(close_ms_sum) FROM incident_daily_stats WHERE day BETWEEN ? AND ? GROUP BY category');
      out.push(await time('  statistics: peer, grid × category daily table in hand-written SQL', opts(), () => [byGrid.all(fromDay, toDay), byCategory.all(fromDay, toDay)]));
    }

    // One-off figures.
    const once = async (name: string, fn: () => unknown) => {
      const t = performance.now();
      const value = await fn();
      const ms = performance.now() - t;
      console.log(`  ${name}: ${ms.toFixed(1)} ms`);
      return { ms, value };
    };
    info.outboxStatus = await once('outbox.status (once)', () => call('outbox.status', {}));
    if (cfg.verify) {
      const verified = await once('events.verify over the whole chain (once)', () => store.eventLog.verify());
      info.verify = verified;
      if (!(verified.value as { ok: boolean }).ok) throw new Error(`hash chain does not verify: ${JSON.stringify(verified.value)}`);
    }
    return out;
  } finally {
    db.close();
    core.close();
  }
}

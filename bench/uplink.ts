/**
 * The city link (`npm run bench -- uplink`), against Debian's Mosquitto (TLS from a CA generated
 * here, a password per town) and the reference city in its own process:
 *
 * 1. A 100,000-event backlog (20,000 incidents with four comments each, written while the link was
 *    down) drained to the city: events per second from "connect" to "the city acknowledged the
 *    last one" (target ≥ 5,000), zero lost and zero stored twice at the city (chain verified) — while
 *    a logged-in window runs list queries on the same serving loop every 25 ms; each query's time
 *    counts from when it was due, so a loop held up by the drain shows (target p95 < 20 ms).
 * 2. 20 towns × 10,000 events each into one broker and one city, all at once: every event of every
 *    town exactly once, chains verified; the aggregate rate.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { CommandInput, CommandName, CommandOutput, Envelope, LinkStatus } from '@shared';
import { openCore, type Core } from '../electron/core';
import { ensurePerson, personFor, TEST_PASSWORD } from '../tests/contract/login';
import { writeEvents } from '../tests/integration/town';
import { generatePki, startMosquitto, type Pki, type RunningMosquitto } from '../tests/support/mosquitto';
import type { CityOptions } from '../tools/city/city';
import type { CityQuestion, CityTownAnswer } from './uplink-city';
import { count, duration, figure, measurement, measurementTable, type Figure, type Measurement, type RunContext, type SuiteResult } from './stats';

const BACKLOG = Number(process.env.BENCH_UPLINK_BACKLOG ?? 100_000);
const TOWNS = Number(process.env.BENCH_UPLINK_TOWNS ?? 20);
const PER_TOWN = Number(process.env.BENCH_UPLINK_PER_TOWN ?? 10_000);
const QUERY_EVERY_MS = 25;
const DRAIN_TIMEOUT_MS = 15 * 60_000;
const CITY_PASSWORD = 'bench-city-2026';
const townPassword = (town: string) => `bench-${town}-2026`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call<N extends CommandName>(core: Core, name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const envelope: Envelope = await core.dispatch(name, input);
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
  return envelope.value as CommandOutput<N>;
}

/** The reference city in a child process, asked over IPC. */
class CityProcess {
  private next = 1;
  private readonly waiting = new Map<number, (answer: unknown) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message) => {
      const { id } = message as { id?: number };
      if (id !== undefined) this.waiting.get(id)?.(message);
      this.waiting.delete(id ?? -1);
    });
  }

  static async start(options: CityOptions): Promise<CityProcess> {
    const file = fileURLToPath(new URL('./uplink-city.ts', import.meta.url));
    const child = fork(file, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the city exited (${code}) before it was ready`)));
    });
    return new CityProcess(child);
  }

  private ask<T>(question: { ask: 'towns'; towns: string[] } | { ask: 'stop' }): Promise<T> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, (answer) => resolve(answer as T));
      this.child.send({ ...question, id } satisfies CityQuestion);
    });
  }

  async towns(towns: string[]): Promise<CityTownAnswer[]> {
    return (await this.ask<{ answers: CityTownAnswer[] }>({ ask: 'towns', towns })).answers;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await Promise.race([this.ask({ ask: 'stop' }), sleep(5_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await exited;
  }
}

function openTown(root: string, town: string): { core: Core; dataDir: string } {
  const dataDir = path.join(root, `town-${town}`);
  return { core: openCore({ dataDir, host: 'node', version: 'bench' }), dataDir };
}

const linkConfig = (broker: RunningMosquitto, pki: Pki, town: string): CommandInput<'uplink.configure'>['config'] => ({
  url: broker.url,
  town,
  username: town,
  password: townPassword(town),
  ca: pki.caCert,
});

/**
 * Until every town's backlog is zero; returns when each got there (ms after `since`). The towns' own
 * status events (at most one a second while draining) say how far each is; a town is asked directly
 * (every 50 ms) only near its end, so watching costs the serving loop almost nothing.
 */
async function drained(cores: Core[], since: number): Promise<number[]> {
  const at: (number | null)[] = cores.map(() => null);
  const reported: { backlog: number; state: string; detail: string | null }[] = cores.map(() => ({ backlog: Number.POSITIVE_INFINITY, state: '', detail: null }));
  const off = cores.map((core, i) =>
    core.onEvent((name, payload) => {
      if (name === 'uplink.status') reported[i] = payload as LinkStatus;
    }),
  );
  try {
    while (at.some((t) => t === null)) {
      if (performance.now() - since > DRAIN_TIMEOUT_MS) throw new Error(`the backlog did not drain in ${duration(DRAIN_TIMEOUT_MS)}`);
      for (const [i, core] of cores.entries()) {
        if (at[i] !== null) continue;
        if (reported[i]!.state === 'refused') throw new Error(`town ${i} refused: ${reported[i]!.detail}`);
        if (reported[i]!.backlog > 5_000) continue;
        if ((await call(core, 'uplink.status', {})).backlog === 0) at[i] = performance.now() - since;
      }
      await sleep(50);
    }
  } finally {
    for (const stop of off) stop();
  }
  return at as number[];
}

function cityFigures(prefix: string, answers: CityTownAnswer[], perTown: number, missed: string[]): { lost: number; twice: number } {
  let lost = 0;
  let twice = 0;
  for (const a of answers) {
    lost += Math.max(0, perTown - a.distinctIds);
    twice += a.events - a.distinctIds + Math.max(0, a.distinctIds - perTown);
    if (a.headSeq !== perTown) missed.push(`${prefix}: town ${a.town} head at ${a.headSeq}, not ${perTown}`);
    if (!a.verified) missed.push(`${prefix}: town ${a.town} chain does not verify at the city (${a.problem})`);
  }
  return { lost, twice };
}

export async function runUplinkBench(context: RunContext): Promise<SuiteResult> {
  const started = performance.now();
  const root = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), 'duty-bench-uplink-'));
  const multi = Array.from({ length: TOWNS }, (_, i) => `T${String(i + 1).padStart(2, '0')}`);
  const users = Object.fromEntries([['city', CITY_PASSWORD], ['GS', townPassword('GS')], ...multi.map((t) => [t, townPassword(t)])]);
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];
  const missed: string[] = [];
  const info: Record<string, unknown> = { backlog: BACKLOG, towns: TOWNS, perTown: PER_TOWN, run: context.index + 1 };
  let broker: RunningMosquitto | null = null;
  let city: CityProcess | null = null;
  const cores: Core[] = [];
  try {
    const pki = generatePki(path.join(root, 'pki'));
    broker = await startMosquitto({ users, pki });
    city = await CityProcess.start({
      dbFile: path.join(root, 'city.sqlite3'),
      brokerUrl: broker.url,
      clientId: 'bench-city',
      mqtt: { username: 'city', password: CITY_PASSWORD, ca: pki.caCert },
    });

    // 1. One town, a 100k backlog, list queries on its serving loop during the drain.
    const town = openTown(root, 'GS');
    cores.push(town.core);
    let seedStart = performance.now();
    writeEvents(town.dataDir, BACKLOG);
    info.seedBacklogMs = Math.round(performance.now() - seedStart);
    console.log(`  ${count(BACKLOG)} events queued in ${duration(info.seedBacklogMs as number)} (${count((await call(town.core, 'uplink.status', {})).backlog)} in the backlog)`);

    const person = personFor('operator');
    await ensurePerson(town.core, person);
    const window = town.core.connect('bench');
    const login = await window.dispatch('auth.login', { staffNo: person.staffNo, password: TEST_PASSWORD });
    if (!login.ok) throw new Error(login.error.message);
    const listInputs: CommandInput<'incidents.list'>[] = [
      {},
      { filter: { statuses: ['reported'], categories: [], priorities: [], sources: [], text: '', overdueOnly: false } },
      { offset: 1_000 },
    ];
    const list = async (i: number) => {
      const answer = await window.dispatch('incidents.list', listInputs[i % listInputs.length]!);
      if (!answer.ok) throw new Error(answer.error.message);
    };
    for (let i = 0; i < 30; i += 1) await list(i);

    const loop = monitorEventLoopDelay({ resolution: 5 });
    const samples: number[] = [];
    let done = false;
    /** List queries every 25 ms until `done`, each timed from when it was due (or from when the previous one ended, if later). */
    const queryLoop = async (into: number[]) => {
      let due = performance.now();
      let previousEnd = due;
      let i = 0;
      while (!done) {
        due += QUERY_EVERY_MS;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        // A timer that fires late because the drain held the loop counts against the query.
        const start = Math.max(due, previousEnd);
        await list(i++);
        previousEnd = performance.now();
        into.push(previousEnd - start);
        if (previousEnd > due + QUERY_EVERY_MS) due = previousEnd;
      }
    };
    // The same queries for 5 s with the link idle: what the machine gives a query before the drain.
    const idle: number[] = [];
    const idleRun = queryLoop(idle);
    await sleep(5_000);
    done = true;
    await idleRun;
    measurements.push(measurement(`list query, link idle (from when due, every ${QUERY_EVERY_MS} ms)`, idle));
    done = false;
    const queries = queryLoop(samples);
    loop.enable();
    const drainStart = performance.now();
    await call(town.core, 'uplink.configure', { config: linkConfig(broker, pki, 'GS') });
    const [drainMs] = await drained([town.core], drainStart);
    loop.disable();
    done = true;
    await queries;
    window.close();
    const rate = BACKLOG / (drainMs! / 1000);
    const [answer] = await city.towns(['GS']);
    const one = cityFigures('drain', [answer!], BACKLOG, missed);
    console.log(`  drained ${count(BACKLOG)} events in ${duration(drainMs!)}: ${count(rate)} events/s; city: ${count(answer!.events)} stored, ${count(answer!.duplicatesRecognised)} resent events recognised`);
    measurements.push(measurement(`list query during the ${count(BACKLOG)} drain (from when due, every ${QUERY_EVERY_MS} ms)`, samples, { targetP95Ms: 20 }));
    figures.push(
      figure(`drain ${count(BACKLOG)}: events per second`, rate, '/s', { min: 5_000 }),
      figure(`drain ${count(BACKLOG)}: events lost`, one.lost, '', { max: 0 }),
      figure(`drain ${count(BACKLOG)}: events stored twice at the city`, one.twice, '', { max: 0 }),
      figure(`drain ${count(BACKLOG)}: event-loop delay p99`, loop.percentile(99) / 1e6, 'ms'),
      figure(`drain ${count(BACKLOG)}: event-loop delay max`, loop.max / 1e6, 'ms'),
    );
    info.drain = { ms: Math.round(drainMs!), eventsPerSecond: Math.round(rate), city: answer, listQueries: samples.length };
    town.core.close();
    cores.length = 0;

    // 2. 20 towns at once into one broker and one city.
    seedStart = performance.now();
    const many = multi.map((code) => ({ code, ...openTown(root, code) }));
    for (const t of many) {
      cores.push(t.core);
      writeEvents(t.dataDir, PER_TOWN);
    }
    info.seedTownsMs = Math.round(performance.now() - seedStart);
    console.log(`  ${TOWNS} towns × ${count(PER_TOWN)} events queued in ${duration(info.seedTownsMs as number)}`);
    const manyStart = performance.now();
    await Promise.all(many.map((t) => call(t.core, 'uplink.configure', { config: linkConfig(broker!, pki, t.code) })));
    const times = await drained(many.map((t) => t.core), manyStart);
    const allMs = Math.max(...times);
    const answers = await city.towns(multi);
    const all = cityFigures(`${TOWNS} towns`, answers, PER_TOWN, missed);
    const exact = answers.filter((a) => a.events === PER_TOWN && a.distinctIds === PER_TOWN && a.headSeq === PER_TOWN && a.verified).length;
    const total = TOWNS * PER_TOWN;
    console.log(
      `  ${TOWNS} towns drained in ${duration(allMs)} (first ${duration(Math.min(...times))}): ${count(total / (allMs / 1000))} events/s together; ` +
        `${exact} of ${TOWNS} towns with every event exactly once; ${count(answers.reduce((n, a) => n + a.duplicatesRecognised, 0))} resent events recognised`,
    );
    figures.push(
      figure(`${TOWNS} towns × ${count(PER_TOWN)}: towns without every event exactly once`, TOWNS - exact, '', { max: 0 }),
      figure(`${TOWNS} towns × ${count(PER_TOWN)}: events lost`, all.lost, '', { max: 0 }),
      figure(`${TOWNS} towns × ${count(PER_TOWN)}: events stored twice at the city`, all.twice, '', { max: 0 }),
      figure(`${TOWNS} towns × ${count(PER_TOWN)}: events per second, all towns together`, total / (allMs / 1000), '/s'),
      figure(`${TOWNS} towns × ${count(PER_TOWN)}: time until the last town drained`, allMs, 'ms'),
    );
    info.towns = { ms: Math.round(allMs), perTownMs: times.map(Math.round), eventsPerSecond: Math.round(total / (allMs / 1000)), city: answers };
  } finally {
    for (const core of cores) core.close();
    await city?.stop();
    await broker?.stop();
    if (!process.env.BENCH_KEEP) fs.rmSync(root, { recursive: true, force: true });
  }
  if (missed.length) info.missed = missed;
  console.log(`\n${measurementTable(measurements)}`);
  return {
    suite: 'uplink',
    ok: !missed.length && measurements.every((m) => m.pass !== false) && figures.every((f) => f.pass !== false),
    durationMs: performance.now() - started,
    measurements,
    figures,
    info,
  };
}

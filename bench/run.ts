/**
 * `npm run bench` runs every suite; `npm run bench -- incidents` only the named ones;
 * `--repeat 3` runs them three times and prints the spread. Figures are printed and written to
 * bench/results/bench-<ISO time>.json and latest.json (every run, with the load average).
 * A new benchmark (map rendering, video relay, escalation…) is a module under bench/ that
 * returns a SuiteResult, registered in SUITES below.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIncidentBench } from './incidents';
import { runListScrollBench } from './list-scroll';
import { runStoreBench } from './store';
import { runRegridBench, runRenderBench } from './map';
import { runVideoRelayBench } from './video-relay';
import { runVideoJoinBench, runVideoPeersBench, runVideoWallBench } from './video-wall';
import { parseArgs, spreadTable } from './repeat';
import { runPeopleBench } from './people';
import { runUplinkBench } from './uplink';
import { bytes, duration, figureTable, peakRss, type Suite, type SuiteResult } from './stats';

const SUITES: readonly Suite[] = [
  {
    name: 'incidents',
    description: 'incident store at 1M incidents / 10M events: seed rate, list, search, detail, commands, escalation, a year of statistics',
    run: runIncidentBench,
  },
  {
    name: 'store',
    description: 'durability costs: synchronous FULL vs NORMAL on escalation and a 10k-write burst',
    run: runStoreBench,
  },
  {
    name: 'list-scroll',
    description: 'the incident list in Chromium over 100k incidents: first rows, frame times while scrolling, jumps',
    run: runListScrollBench,
  },
  {
    name: 'map-regrid',
    description: 'grid import re-gridding 1M located incidents (point in polygon, indexed)',
    run: runRegridBench,
  },
  {
    name: 'map-render',
    description: '100k incidents on the map in Chromium: first render, frame times while panning/zooming (needs npm run build)',
    run: runRenderBench,
  },
  {
    name: 'video-relay',
    description: 'live video relay vs GStreamer RTSP: time to first keyframe fragment, relay CPU against transcoding',
    run: runVideoRelayBench,
  },
  {
    name: 'video-wall',
    description: 'the video wall in Chromium: first frame, latency from the painted clock, 16 tiles (dropped frames, drift, relay vs transcoding CPU), beside its peers (HTTP-FLV + mpegts.js, HLS + hls.js)',
    run: runVideoWallBench,
  },
  {
    name: 'video-peers',
    description: 'the video wall\'s peers alone: 16 cameras through ffmpeg → HTTP-FLV → mpegts.js and ffmpeg → HLS → hls.js in Chromium (latency, drops, CPU); video-wall runs them too',
    run: runVideoPeersBench,
  },
  {
    name: 'video-join',
    description: 'the video wall in Chromium: a tile joining a stream that is already running (first frame, dropped frames, latency after)',
    run: runVideoJoinBench,
  },
  {
    name: 'people',
    description: 'people on duty: the permission check per command, a read through a logged-in window, login with argon2id',
    run: runPeopleBench,
  },
  {
    name: 'uplink',
    description: 'the city link: a 100k backlog drained to Mosquitto (TLS) + the reference city (events/s, none lost or twice, list queries on the serving loop meanwhile); 20 towns × 10k into one city',
    run: runUplinkBench,
  },
];

const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
const loadText = (l: readonly number[]) => l.map((v) => v.toFixed(2)).join(' ');

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

interface RunRecord {
  index: number;
  startedAt: string;
  durationMs: number;
  /** os.loadavg() (1, 5, 15 min) when the run started and ended: the machine is often shared. */
  loadAverage: { before: number[]; after: number[] };
  suites: Record<string, SuiteResult & { loadAverage: { before: number[]; after: number[] } }>;
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  const usage = `usage: npm run bench [-- <suite>...] [--repeat N]\n\n--repeat N runs the selected suites N times (N from 1 to 20), prints each run and the spread, and keeps every run in the JSON.\n\nsuites:\n${SUITES.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join('\n')}`;
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${usage}`);
    return 2;
  }
  if (parsed.help) {
    console.log(usage);
    return 0;
  }
  const unknown = parsed.names.filter((a) => !SUITES.some((s) => s.name === a));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = parsed.names.length ? SUITES.filter((s) => parsed.names.includes(s.name)) : SUITES;
  const { repeat } = parsed;

  const startedAt = new Date();
  const runs: RunRecord[] = [];
  for (let index = 0; index < repeat; index += 1) {
    const runStarted = new Date();
    const record: RunRecord = { index, startedAt: runStarted.toISOString(), durationMs: 0, loadAverage: { before: load(), after: [] }, suites: {} };
    for (const suite of selected) {
      const before = load();
      console.log(`\n== ${suite.name}${repeat > 1 ? ` (run ${index + 1} of ${repeat})` : ''}: ${suite.description}`);
      console.log(`load average ${loadText(before)} on ${os.cpus().length} cores`);
      const result = await suite.run({ index, of: repeat });
      if (result.figures?.length) console.log(`\n${figureTable(result.figures)}`);
      const after = load();
      console.log(`load average after ${suite.name}: ${loadText(after)}`);
      record.suites[suite.name] = { ...result, loadAverage: { before, after } };
    }
    record.loadAverage.after = load();
    record.durationMs = Date.now() - runStarted.getTime();
    runs.push(record);
  }
  const finishedAt = new Date();

  if (repeat > 1) {
    for (const suite of selected) {
      const results = runs.map((r) => r.suites[suite.name]!);
      console.log(`\n== ${suite.name}: ${repeat} runs side by side (a target counts as met only when every run meets it)\n`);
      console.log(spreadTable(results, results.map((r) => r.loadAverage.before)));
    }
  }

  const all = runs.flatMap((r) => Object.values(r.suites));
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    repeat,
    ok: all.every((r) => r.ok),
    peakRssBytes: peakRss(),
    machine: {
      node: process.version,
      platform: `${process.platform} ${os.release()} ${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memoryBytes: os.totalmem(),
    },
    /** The last run's results, as before --repeat existed; every run is in `runs`. */
    suites: runs[runs.length - 1]!.suites,
    runs,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `bench-${stamp}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);

  const failed = new Set(
    runs.flatMap((run) =>
      Object.values(run.suites).flatMap((r) => [
        ...r.measurements.filter((m) => m.pass === false).map((m) => `${r.suite}: ${m.name}`),
        ...(r.figures ?? []).filter((f) => f.pass === false).map((f) => `${r.suite}: ${f.name}`),
        ...(Array.isArray(r.info.missed) ? r.info.missed.map((what) => `${r.suite}: ${String(what)}`) : []),
      ].map((what) => (repeat > 1 ? `${what} (run ${run.index + 1})` : what))),
    ),
  );
  console.log(`\n${report.ok ? 'all targets met' : `targets missed:\n  ${[...failed].join('\n  ')}`}`);
  console.log(`run time ${duration(report.durationMs)}, peak RSS ${bytes(report.peakRssBytes)}; results: ${path.relative(process.cwd(), file)}`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

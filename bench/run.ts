/**
 * `npm run bench` runs every suite; `npm run bench -- incidents` only the named ones.
 * Figures are printed and written to bench/results/bench-<ISO time>.json and latest.json.
 * A new benchmark (map rendering, video relay, escalation…) is a module under bench/ that
 * returns a SuiteResult, registered in SUITES below.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIncidentBench } from './incidents';
import { runListScrollBench } from './list-scroll';
import { runRegridBench, runRenderBench } from './map';
import { runVideoRelayBench } from './video-relay';
import { runVideoJoinBench, runVideoWallBench } from './video-wall';
import { runPeopleBench } from './people';
import { bytes, duration, peakRss, type Suite, type SuiteResult } from './stats';

const SUITES: readonly Suite[] = [
  {
    name: 'incidents',
    description: 'incident store at 1M incidents / 10M events: seed rate, list, search, detail, commands, escalation, a year of statistics',
    run: runIncidentBench,
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
    description: 'the video wall in Chromium: first frame, latency from the painted clock, 16 tiles (dropped frames, drift, relay vs transcoding CPU)',
    run: runVideoWallBench,
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
];

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: npm run bench [-- <suite>...]\n\nsuites:\n${SUITES.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join('\n')}`);
    return 0;
  }
  const unknown = args.filter((a) => !SUITES.some((s) => s.name === a));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = args.length ? SUITES.filter((s) => args.includes(s.name)) : SUITES;

  const startedAt = new Date();
  const results: SuiteResult[] = [];
  for (const suite of selected) {
    console.log(`\n== ${suite.name}: ${suite.description}`);
    results.push(await suite.run());
  }
  const finishedAt = new Date();

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    ok: results.every((r) => r.ok),
    peakRssBytes: peakRss(),
    machine: {
      node: process.version,
      platform: `${process.platform} ${os.release()} ${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memoryBytes: os.totalmem(),
    },
    suites: Object.fromEntries(results.map((r) => [r.suite, r])),
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `bench-${stamp}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);

  const failed = results.flatMap((r) => [
    ...r.measurements.filter((m) => m.pass === false).map((m) => `${r.suite}: ${m.name}`),
    ...(Array.isArray(r.info.missed) ? r.info.missed.map((what) => `${r.suite}: ${String(what)}`) : []),
  ]);
  console.log(`\n${report.ok ? 'all targets met' : `targets missed:\n  ${failed.join('\n  ')}`}`);
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

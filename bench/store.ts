/**
 * `npm run bench -- store`: what durability costs.
 *
 * 1. synchronous = FULL (the console's setting: a commit is fsynced before it is acknowledged)
 *    side by side with NORMAL (WAL's usual setting: survives an app crash, not a power cut), each
 *    on its own fresh store on this machine's disk, through the Dispatcher as a window calls:
 *    one-click escalation to the police, and a burst of 10,000 writes (incident creates, one
 *    transaction each, back to back).
 *
 * Environment:
 *   BENCH_STORE_BURST   writes in the burst (default 10,000)
 *   BENCH_STORE_DIR     parent folder for the stores (default the OS temp folder; must be a real
 *                       disk for the comparison to mean anything — tmpfs ignores fsync)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, type Core } from '../electron/core';
import { count, duration, measurement, ms, table, time, type Measurement, type SuiteResult } from './stats';

const BURST = Number(process.env.BENCH_STORE_BURST ?? 10_000);
const ESCALATIONS = 300;

const DRAFT = {
  category: 'dispute',
  title: '桂山村邻里宅基地边界纠纷',
  description: '网格员上报，当事双方情绪较激动，需村调委会介入调解。',
  location: { lon: 113.8208, lat: 22.1339 },
  source: 'grid_report',
  priority: 3,
  reporter: '网格员 周敏',
  occurredAt: Date.now() - 3_600_000,
} as const;

async function call<T>(core: Core, name: string, input: unknown): Promise<T> {
  const envelope = await core.dispatch(name, input);
  if (!envelope.ok) throw new Error(`${name}: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}

async function measureSetting(parent: string, synchronous: 'FULL' | 'NORMAL') {
  const dir = fs.mkdtempSync(path.join(parent, `duty-bench-store-${synchronous.toLowerCase()}-`));
  const core = openCore({ dataDir: dir, host: 'node', operator: 'bench', version: 'bench', synchronous });
  try {
    const incidents: { id: string }[] = [];
    for (let i = 0; i < ESCALATIONS + 20; i++) incidents.push(await call<{ id: string }>(core, 'incidents.create', { draft: DRAFT }));
    const police = await call<{ id: string }>(core, 'units.create', { draft: { kind: 'police_station', name: '基准测试派出所', phone: '0756-8830110', radioChannel: '治安 3 频道' } });
    const escalate = await time(`escalate to police, synchronous=${synchronous}`, { iterations: ESCALATIONS, warmup: 20 }, (i) =>
      call(core, 'workflows.escalate', { incidentId: incidents[i]!.id, escalation: { kind: 'police', unitId: police.id, ask: '请出警核查' } }),
    );
    const samples: number[] = [];
    const started = performance.now();
    for (let i = 0; i < BURST; i++) {
      const t0 = performance.now();
      await call(core, 'incidents.create', { draft: DRAFT });
      samples.push(performance.now() - t0);
    }
    const burstMs = performance.now() - started;
    const burst = measurement(`burst of ${count(BURST)} creates, synchronous=${synchronous} (per write)`, samples, {
      note: `${duration(burstMs)} in all, ${count(BURST / (burstMs / 1000))} writes/s`,
    });
    return { escalate, burst, burstMs };
  } finally {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStoreBench(): Promise<SuiteResult> {
  const started = Date.now();
  const parent = process.env.BENCH_STORE_DIR ?? os.tmpdir();
  const fsType = (() => {
    try {
      return fs.statfsSync(parent).type === 0x01021994 ? 'tmpfs (fsync is free: not a fair comparison)' : 'disk';
    } catch {
      return 'unknown';
    }
  })();
  console.log(`stores under ${parent} (${fsType}); ${ESCALATIONS} escalations and a burst of ${count(BURST)} writes per setting`);
  const measurements: Measurement[] = [];
  const info: Record<string, unknown> = { parent, fsType, burst: BURST, escalations: ESCALATIONS };
  const rows: string[][] = [];
  for (const setting of ['NORMAL', 'FULL'] as const) {
    console.log(`synchronous=${setting}…`);
    const r = await measureSetting(parent, setting);
    measurements.push(r.escalate, r.burst);
    info[`burst${setting}`] = { totalMs: Math.round(r.burstMs), writesPerSecond: Math.round(BURST / (r.burstMs / 1000)) };
    rows.push([setting, ms(r.escalate.stats.p50), ms(r.escalate.stats.p95), ms(r.burst.stats.p50), ms(r.burst.stats.p95), duration(r.burstMs), count(BURST / (r.burstMs / 1000))]);
  }
  console.log(table(['synchronous', 'escalate p50', 'escalate p95', 'write p50', 'write p95', `${count(BURST)} writes`, 'writes/s'], rows));
  return { suite: 'store', ok: true, durationMs: Date.now() - started, measurements, info };
}

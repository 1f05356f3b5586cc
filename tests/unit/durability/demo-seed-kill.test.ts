import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../electron/core/store/database';
import { DEMO_CAMERAS } from '../../../electron/core/cameras/demo-cameras';

const OPEN_CORE = path.resolve(__dirname, '../../support/open-core.ts');
// node itself with tsx's loader, not the tsx wrapper: SIGKILL must reach the process doing the work.
const TSX_ARGS = ['--import', 'tsx'];

/** Starts a core with --demo in its own process; kills it with SIGKILL `killAfterMs` after it starts opening (null: let it finish). */
function run(dataDir: string, killAfterMs: number | null): Promise<{ finished: boolean; seedMs: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX_ARGS, OPEN_CORE, dataDir, '--demo', '--exit'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAfterMs !== null && out.includes('opening') && !child.killed) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      if (killAfterMs !== null && out.includes('opening')) killAfterMs = null;
    });
    child.on('error', reject);
    child.on('exit', () => {
      const match = /open (\d+)/.exec(out);
      resolve({ finished: !!match, seedMs: match ? Number(match[1]) : null });
    });
  });
}

/** What a killed start left: nothing of the demo, or all of it. */
function demoState(dataDir: string) {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) return { incidents: 0, cameras: 0, units: 0, grids: 0, mark: null };
  // Read-write, query only: a kill can leave a WAL that needs recovery (a read-only connection
  // then fails with "attempt to write a readonly database"); recovering it is what the next start does too.
  const db = new Database(file);
  db.pragma('query_only = ON');
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const count = (table: string) => (tables.has(table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0);
    const mark = tables.has('settings')
      ? ((db.prepare("SELECT value FROM settings WHERE key = 'demo.offer'").get() as { value: string } | undefined)?.value ?? null)
      : null;
    return { incidents: count('incidents'), cameras: count('cameras'), units: count('units'), grids: count('grids'), mark };
  } finally {
    db.close();
  }
}

describe('demo seeding is one unit', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-seed-kill-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('a first start killed (SIGKILL) again and again while seeding leaves no demo or the whole demo, never half', { timeout: 300_000 }, async () => {
    const seen: string[] = [];
    // openCore with the demo takes 0.6–2 s here (loaded machine); kills spread over it, from the
    // migrations to the commit. Once a start has finished, later ones find the demo and keep it.
    for (const delay of [100, 250, 400, 550, 700, 900]) {
      const { finished, seedMs } = await run(dataDir, delay);
      const state = demoState(dataDir);
      const whole = state.incidents === 320 && state.cameras === DEMO_CAMERAS.length && state.units > 0 && state.grids > 0 && state.mark === 'seeded';
      const none = state.incidents === 0 && state.cameras === 0 && state.units === 0 && state.mark === null;
      expect(whole || none, `after a kill at ${delay} ms: ${JSON.stringify(state)}`).toBe(true);
      seen.push(`${delay} ms: ${finished ? `finished first (open took ${seedMs} ms)` : whole ? 'killed, whole demo' : 'killed, no demo'}`);
    }
    console.info(`demo seed kills: ${seen.join('; ')}`);
    const last = await run(dataDir, null);
    expect(last.finished).toBe(true);
    expect(demoState(dataDir)).toMatchObject({ incidents: 320, cameras: DEMO_CAMERAS.length, mark: 'seeded' });
    expect(seen.filter((s) => s.includes('no demo')).length).toBeGreaterThanOrEqual(2); // kills landed inside the seed
  });
});

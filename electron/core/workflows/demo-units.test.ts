import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { UNIT_KINDS } from '@shared';
import { openCore, type Core } from '../index';
import { guishanDemoGrids } from '../map/demo-grids';
import { GUISHAN_UNITS } from './demo-units';

let dir: string | null = null;
let core: Core | null = null;
afterEach(() => {
  core?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('the Guishan demo brings a directory with every kind of unit, police phone and radio channel, site capacities', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-demo-units-'));
  core = openCore({ dataDir: dir, host: 'node', operator: 't', version: '0', demo: true, now: () => Date.UTC(2026, 5, 1, 2) });
  const answer = await core.dispatch('units.list', {});
  if (!answer.ok) throw new Error(answer.error.message);
  const units = answer.value as { kind: string; phone: string; radioChannel: string; capacity: number | null }[];
  expect(new Set(units.map((u) => u.kind))).toEqual(new Set(UNIT_KINDS));
  for (const station of units.filter((u) => u.kind === 'police_station')) {
    expect(station.phone).not.toBe('');
  }
  expect(units.find((u) => u.kind === 'police_station')!.radioChannel).not.toBe('');
  expect(units.filter((u) => u.kind === 'quarantine_site').every((u) => (u.capacity ?? 0) > 0)).toBe(true);
  // Seeding the whole demo (320 incidents, grids, units, the demo staff) took 6 s with the machine shared by many builds.
}, 30_000);

it("the demo directory's units cover the demo grids, and each grid's worker is in the directory", () => {
  const grids = guishanDemoGrids();
  const codes = new Set(grids.map((g) => g.code));
  for (const unit of GUISHAN_UNITS) for (const grid of unit.grids ?? []) expect(codes, `${unit.name} → ${grid}`).toContain(grid);
  const workers = GUISHAN_UNITS.filter((u) => u.kind === 'grid_worker');
  for (const worker of workers) {
    const grid = grids.find((g) => g.code === worker.grids![0]);
    expect(grid?.workers.map((name) => `网格员 ${name}`), worker.name).toContain(worker.name);
  }
});

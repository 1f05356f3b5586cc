import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Position } from '@shared';
import { DATABASE_FILE, openDatabase, type Db } from '../store/database';
import { IncidentStore } from '../incidents/incident-store';
import { GridStore } from './grid-store';
import { guishanDemoGrids } from './demo-grids';
import type { ImportedGrid } from './grid-import';

const NOW = Date.UTC(2026, 5, 1, 2);
const HOUR = 3_600_000;
let dir: string;
let db: Db;
let incidents: IncidentStore;
let grids: GridStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-grids-'));
  db = openDatabase(path.join(dir, DATABASE_FILE));
  incidents = new IncidentStore(db, { codePrefix: 'GS', now: () => NOW });
  grids = new GridStore(db);
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const square = (x0: number, y0: number, size: number): Position[] => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];
const grid = (code: string, ring: Position[]): ImportedGrid => ({ code, name: code, community: '', workers: ['w'], polygons: [[ring]] });

const createAt = (lon: number, lat: number) =>
  incidents.create(
    { category: 'other', title: 't', description: '', location: { lon, lat }, gridId: null, source: 'phone', priority: 3, reporter: '', occurredAt: NOW - HOUR },
    'tester',
  ).incident;

describe('the grid store', () => {
  it('locates points, a shared border going to the first grid in file order', () => {
    grids.replaceAll([grid('W', square(0, 0, 1)), grid('E', square(1, 0, 1))], { demo: false, at: NOW });
    expect(grids.locate(0.5, 0.5)?.code).toBe('W');
    expect(grids.locate(1.5, 0.5)?.code).toBe('E');
    expect(grids.locate(1, 0.5)?.code).toBe('W');
    expect(grids.locate(3, 3)).toBeNull();
  });

  it('re-grids every located incident on import, leaving unlocated ones alone', () => {
    const a = createAt(0.5, 0.5);
    const b = createAt(1.5, 0.5);
    const unlocated = incidents.create(
      { category: 'other', title: 'u', description: '', location: null, gridId: 'MANUAL', source: 'phone', priority: 3, reporter: '', occurredAt: NOW - HOUR },
      'tester',
    ).incident;
    const first = grids.replaceAll([grid('W', square(0, 0, 1)), grid('E', square(1, 0, 1))], { demo: false, at: NOW });
    expect(first).toEqual({ imported: 2, regridded: 2 });
    expect(incidents.get(a.id).incident.gridId).toBe('W');
    expect(incidents.get(b.id).incident.gridId).toBe('E');
    // A new grid set: only what changed is written.
    const second = grids.replaceAll([grid('ALL', square(0, 0, 2))], { demo: false, at: NOW });
    expect(second).toEqual({ imported: 1, regridded: 2 });
    expect(incidents.get(a.id).incident.gridId).toBe('ALL');
    expect(incidents.get(unlocated.id).incident.gridId).toBe('MANUAL');
    expect(grids.replaceAll([grid('ALL', square(0, 0, 2))], { demo: false, at: NOW }).regridded).toBe(0);
  });

  it('re-grids located cameras with the incidents; an unlocated camera keeps its picked grid', () => {
    const camera = db.prepare(
      `INSERT INTO cameras (id, name, onvif_url, username, password_sealed, lon, lat, grid, device, profiles, created_at, updated_at)
       VALUES (?, 'c', ?, 'u', 'sealed', ?, ?, ?, '{}', '[]', 1, 1)`,
    );
    camera.run('located', 'http://a/onvif', 1.5, 0.5, 'OLD');
    camera.run('unlocated', 'http://b/onvif', null, null, 'MANUAL');
    grids.replaceAll([grid('W', square(0, 0, 1)), grid('E', square(1, 0, 1))], { demo: false, at: NOW });
    expect(db.prepare('SELECT id, grid FROM cameras ORDER BY id').all()).toEqual([
      { id: 'located', grid: 'E' },
      { id: 'unlocated', grid: 'MANUAL' },
    ]);
  });

  it('leaves grids and incidents as they were when an import fails half-way', () => {
    const a = createAt(0.5, 0.5);
    grids.replaceAll([grid('W', square(0, 0, 1))], { demo: false, at: NOW });
    // The same code twice violates the primary key on the second insert.
    expect(() => grids.replaceAll([grid('X', square(0, 0, 1)), grid('X', square(1, 0, 1))], { demo: false, at: NOW })).toThrow(/UNIQUE/);
    expect(grids.list().map((g) => g.code)).toEqual(['W']);
    expect(grids.locate(0.5, 0.5)?.code).toBe('W');
    expect(incidents.get(a.id).incident.gridId).toBe('W');
  });

  it('counts open and overdue incidents per grid, and the completion rate over a period', () => {
    grids.replaceAll([grid('W', square(0, 0, 1))], { demo: false, at: NOW });
    const a = createAt(0.5, 0.5);
    createAt(0.6, 0.6);
    createAt(5, 5);
    grids.regrid();
    const dispatched = incidents.transition(a.id, 1, { action: 'dispatch', assignee: { kind: 'unit', name: 'u' }, note: '' }, 'tester').incident;
    const started = incidents.transition(a.id, dispatched.version, { action: 'start', note: '' }, 'tester').incident;
    const fed = incidents.transition(a.id, started.version, { action: 'submit_feedback', result: 'ok' }, 'tester').incident;
    incidents.transition(a.id, fed.version, { action: 'close', note: '' }, 'tester');
    expect(grids.loads(NOW)).toEqual([{ gridId: 'W', open: 1, overdue: 0 }]);
    expect(grids.loads(NOW + 100 * HOUR)).toEqual([{ gridId: 'W', open: 1, overdue: 1 }]);
    const card = grids.card('W', NOW - 2 * HOUR, NOW, NOW);
    expect(card).toMatchObject({ open: 1, overdue: 0, reportedInPeriod: 2, closedInPeriod: 1, completionRate: 0.5 });
    expect(grids.card('W', NOW, NOW + HOUR, NOW).completionRate).toBeNull();
    expect(() => grids.card('NOPE', NOW - HOUR, NOW, NOW)).toThrow(/no grid/);
  });

  it('puts the demo places on Guishan Island into the demo grids', () => {
    grids.replaceAll(guishanDemoGrids(), { demo: true, at: NOW });
    expect(grids.list().every((g) => g.demo)).toBe(true);
    expect(grids.locate(113.8236, 22.1352)?.code).toBe('GS-01'); // 桂山码头
    expect(grids.locate(113.8143, 22.1298)?.code).toBe('GS-03'); // 企湾
    expect(grids.locate(113.80, 22.168)?.code).toBe('GS-11'); // 中心洲
    expect(grids.locate(113.86, 22.10)).toBeNull(); // open sea
  });

  it('survives a reopen: the index is rebuilt from the table', () => {
    grids.replaceAll([grid('W', square(0, 0, 1))], { demo: false, at: NOW });
    expect(new GridStore(db).locate(0.5, 0.5)?.code).toBe('W');
  });
});

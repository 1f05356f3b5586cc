/**
 * The analysis workspace's part of the contract (dashboard figures from the aggregate tables, the
 * live change event, the click-through focus event), run over every transport like suite.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shanghaiDate, type ConsoleClient, type IncidentDraft } from '@shared';
import { openCore, type Core } from '../../electron/core';
import { DRAFT, NOW, expectContractError, nextEvent, type TransportFactory, type TransportHarness } from './suite';
import { SUITE_PERSON, TEST_SESSION_HOURS, cosignBy } from './login';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function analysisContractSuite(label: string, factory: TransportFactory): void {
  describe(`the analysis contract over ${label}`, () => {
    let dir: string;
    let clock: number;
    let core: Core;
    let harness: TransportHarness;
    let client: ConsoleClient;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-analysis-contract-'));
      clock = NOW;
      core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test', sessionHours: TEST_SESSION_HOURS, now: () => clock });
      harness = await factory(core);
      client = (await harness.open()).client;
    });

    afterEach(async () => {
      await harness.close();
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const create = (draft: Partial<IncidentDraft> = {}) => client.invoke('incidents.create', { draft: { ...DRAFT, ...draft } });
    const today = shanghaiDate(NOW);
    const week = { from: shanghaiDate(NOW - 6 * DAY), to: today };

    it('counts what was reported and closed, by grid, category, source and hour, and never drills', async () => {
      const a = await create({ occurredAt: NOW - HOUR });
      await create({ occurredAt: NOW - 2 * DAY, category: 'dispute', source: 'phone' });
      await create({ occurredAt: NOW - HOUR, source: 'drill' });
      // One in the previous week: the "previous period".
      await create({ occurredAt: NOW - 8 * DAY });
      let v = a.version;
      for (const transition of [
        { action: 'dispatch', assignee: { kind: 'unit', name: '桂山边防派出所' } },
        { action: 'start' },
        { action: 'submit_feedback', result: '已处置' },
      ] as const) {
        v = (await client.invoke('incidents.transition', { id: a.id, expectedVersion: v, transition })).version;
      }
      v = (await client.invoke('incidents.transition', { id: a.id, expectedVersion: v, transition: { action: 'close' }, cosign: await cosignBy(core) })).version;
      // The suite's person worked the case, so may not assess it: the assessment comes in through
      // the core's own door (the co-sign and own-work rules are people-suite.ts's subject).
      const assessed = await core.dispatch('incidents.transition', { id: a.id, expectedVersion: v, transition: { action: 'assess', assessment: { score: 4, comment: '' } } });
      expect(assessed.ok).toBe(true);
      const d = await client.invoke('analysis.dashboard', week);
      expect(d.kpis).toMatchObject({ newToday: 1, closedToday: 1, open: 2, reported: 2, closed: 1, previousReported: 1, onTimeRate: 1, satisfaction: 4 });
      expect(d.trend.labels).toHaveLength(7);
      expect(d.trend.current.reduce((s, n) => s + n, 0)).toBe(2);
      expect(d.trend.previous.reduce((s, n) => s + n, 0)).toBe(1);
      expect(d.byCategory.map((r) => [r.key, r.reported, r.closed])).toEqual([
        ['dispute', 1, 0],
        ['illegal_landing', 1, 1],
      ]);
      expect(d.bySource.map((r) => r.key).sort()).toEqual(['camera_alarm', 'phone']);
      expect(d.byUnit.find((r) => r.key === '桂山边防派出所')).toMatchObject({ reported: 1, closed: 1 });
      expect(d.heat.flat().reduce((s, n) => s + n, 0)).toBe(2);
      // NOW is 10:00 Shanghai on a Monday: the incident an hour earlier sits at Monday 09:00.
      expect(d.heat[0]![9]).toBe(1);
      const filtered = await client.invoke('analysis.dashboard', { ...week, filter: { categories: ['dispute'] } });
      expect(filtered.kpis.reported).toBe(1);
    });

    it('counts what is overdue now by assignee, and moves it as time passes', async () => {
      await create({ occurredAt: NOW - HOUR, deadline: NOW + HOUR });
      expect((await client.invoke('analysis.dashboard', week)).kpis.overdue).toBe(0);
      clock = NOW + 2 * HOUR;
      const d = await client.invoke('analysis.dashboard', { from: week.from, to: shanghaiDate(clock) });
      expect(d.kpis.overdue).toBe(1);
      expect(d.overdueByUnit).toEqual([{ key: '', overdue: 1 }]);
    });

    it('tells every window within a second after a write, once for a burst, and not for a drill', async () => {
      const changed = nextEvent(client, 'analysis.changed', 1000);
      const started = Date.now();
      await create();
      await create();
      await changed;
      expect(Date.now() - started).toBeLessThan(1000);
      const quiet = nextEvent(client, 'analysis.changed', 400);
      await create({ source: 'drill' });
      await expect(quiet).rejects.toThrow(/no analysis.changed/);
    });

    it('sends a click-through filter to every window', async () => {
      const focus = nextEvent(client, 'analysis.focus');
      await client.invoke('analysis.focus', { filter: { grids: ['GS-01'], categories: ['dispute'] }, label: '网格 GS-01' });
      expect(await focus).toEqual({
        filter: { grids: ['GS-01'], categories: ['dispute'], sources: [], statuses: [], overdueOnly: false },
        label: '网格 GS-01',
      });
    });

    it('refuses a reversed or overlong period with a reason', async () => {
      const reversed = await expectContractError(client.invoke('analysis.dashboard', { from: today, to: shanghaiDate(NOW - 2 * DAY) }), 'validation');
      expect(reversed.reason).toBe('analysis.period_reversed');
      const long = await expectContractError(client.invoke('analysis.dashboard', { from: '2010-01-01', to: today }), 'validation');
      expect(long.reason).toBe('analysis.period_too_long');
      const bad = await expectContractError(client.invoke('analysis.dashboard', { from: '2026-02-30', to: today }), 'validation');
      expect(bad.reason).toBe('analysis.bad_date');
    });

    it('filters the incident list by grid (the analysis click-through)', async () => {
      await client.invoke('grids.import', {
        geojson: JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { code: 'W', name: '西' },
              geometry: { type: 'Polygon', coordinates: [[[113.8, 22.12], [113.82, 22.12], [113.82, 22.14], [113.8, 22.14], [113.8, 22.12]]] },
            },
          ],
        }),
        crs: 'wgs84',
      });
      await create({ location: { lon: 113.81, lat: 22.13 } });
      await create({ location: { lon: 113.9, lat: 22.13 } });
      const { total } = await client.invoke('incidents.list', { filter: { grids: ['W'] } });
      expect(total).toBe(1);
      const d = await client.invoke('analysis.dashboard', week);
      expect(d.byGrid.map((r) => [r.key, r.reported, r.open])).toEqual([
        ['', 1, 1],
        ['W', 1, 1],
      ]);
    });

    it('warns of a repeat place, keeps a dismissal with its reason, refuses acting twice, and opens a case', async () => {
      for (let k = 0; k < 4; k++) await create({ occurredAt: NOW - (k + 1) * HOUR, location: { lon: 113.8236 + k * 0.0001, lat: 22.1352 } });
      await create({ occurredAt: NOW - HOUR, location: { lon: 113.8236, lat: 22.1352 }, source: 'drill' });
      const { warnings } = await client.invoke('warnings.list', {});
      expect(warnings.map((w) => [w.rule, w.status, w.params.count, w.cases.length])).toEqual([['repeat_place', 'open', 4, 4]]);
      const [w] = warnings;
      const empty = await expectContractError(client.invoke('warnings.dismiss', { id: w!.id, reason: '  ' }), 'validation');
      expect(empty.issues?.[0]?.path).toBe('reason');
      const changed = nextEvent(client, 'warnings.changed');
      const dismissed = await client.invoke('warnings.dismiss', { id: w!.id, reason: '同一码头的正常巡查记录' });
      expect(dismissed).toMatchObject({ status: 'dismissed', dismissReason: '同一码头的正常巡查记录', actor: SUITE_PERSON.name });
      expect(await changed).toEqual({ open: 0, fresh: 0 });
      // The pattern still holds, and stays dismissed: it does not come back as a new warning.
      expect((await client.invoke('warnings.list', {})).warnings).toEqual([]);
      expect((await client.invoke('warnings.list', { includeClosed: true })).warnings.map((x) => x.status)).toEqual(['dismissed']);
      const twice = await expectContractError(client.invoke('warnings.openCase', { id: w!.id }), 'conflict');
      expect(twice.reason).toBe('analysis.warning_closed');
      await expectContractError(client.invoke('warnings.dismiss', { id: '0196a000-0000-7000-8000-000000000000', reason: 'x' }), 'not_found');

      // A lower overdue threshold: two overdue cases at one unit become a warning; assign it, open a case.
      const settings = await client.invoke('warnings.settings', {});
      await client.invoke('warnings.updateSettings', { settings: { ...settings, overdueCount: 2 }, cosign: await cosignBy(core) });
      for (const incident of (await client.invoke('incidents.list', {})).rows.slice(0, 2)) {
        await client.invoke('incidents.transition', {
          id: incident.id,
          expectedVersion: (await client.invoke('incidents.get', { id: incident.id })).incident.version,
          transition: { action: 'dispatch', assignee: { kind: 'unit', name: '桂山边防派出所' } },
        });
      }
      clock = NOW + 3 * DAY;
      const pile = (await client.invoke('warnings.list', {})).warnings.find((x) => x.rule === 'overdue_pile')!;
      expect(pile.params).toEqual({ unit: '桂山边防派出所', count: 2 });
      const assigned = await client.invoke('warnings.assign', { id: pile.id, assignee: '研判员 李敏' });
      expect(assigned.assignee).toBe('研判员 李敏');
      const { warning, incidentId } = await client.invoke('warnings.openCase', { id: pile.id });
      expect(warning).toMatchObject({ status: 'opened_case', caseId: incidentId });
      const opened = await client.invoke('incidents.get', { id: incidentId });
      expect(opened.incident.title).toBe('研判预警：桂山边防派出所 积压超期 2 件');
      expect(opened.incident.reporter).toBe('研判预警');
    });

    it('keeps thresholds within their limits', async () => {
      const settings = await client.invoke('warnings.settings', {});
      expect(settings.spikeZ).toBe(4);
      const error = await expectContractError(client.invoke('warnings.updateSettings', { settings: { ...settings, placeCount: 1 }, cosign: await cosignBy(core) }), 'validation');
      expect(error.issues?.[0]?.path).toBe('settings.placeCount');
      expect(await client.invoke('warnings.settings', {})).toEqual(settings);
    });
  });
}

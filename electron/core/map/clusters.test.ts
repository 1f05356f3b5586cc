import { describe, expect, it, vi } from 'vitest';
import { MAP_CLUSTER } from '@shared';
import { CLUSTER_INDEX_MAX_AGE_MS, IncidentClusterIndex, type MapPoint } from './clusters';

const NOW = Date.UTC(2026, 5, 1, 2);
const WORLD = [-180, -90, 180, 90] as const;

/** A 20 × 20 lattice of incidents 10 m apart at the wharf, every third one overdue, plus one far away. */
function lattice(): MapPoint[] {
  const points: MapPoint[] = [];
  for (let i = 0; i < 400; i++) {
    points.push({ id: `P${i}`, lon: 113.82 + (i % 20) * 0.0001, lat: 22.13 + Math.floor(i / 20) * 0.0001, s: i % 5, p: 1 + (i % 4), o: i % 3 === 0 ? 1 : 0 });
  }
  points.push({ id: 'FAR', lon: 113.5, lat: 22.5, s: 1, p: 2, o: 0 });
  return points;
}

describe('incidents clustered in core', () => {
  it('clusters at low zooms, keeping every incident and every overdue one counted', () => {
    const index = new IncidentClusterIndex<object>(() => lattice());
    const out = index.query({}, WORLD, 10.7, NOW);
    expect(out.total).toBe(401);
    expect(out.zoom).toBe(10);
    expect(out.clusters.ids).toHaveLength(1);
    expect(out.clusters.count[0]).toBe(400);
    expect(out.clusters.overdue[0]).toBe(134);
    expect(out.clusters.expansionZoom[0]).toBeGreaterThan(10);
    // The lone incident far away is no cluster.
    expect(out.points).toMatchObject({ ids: ['FAR'], lon: [113.5], lat: [22.5], status: [1], priority: [2], overdue: [0] });
  });

  it('gives single incidents above the last cluster zoom, and only those in the box', () => {
    const index = new IncidentClusterIndex<object>(() => lattice());
    const out = index.query({}, [113.8199, 22.1299, 113.82005, 22.13005], 18.2, NOW);
    expect(out.zoom).toBe(MAP_CLUSTER.maxZoom + 1);
    expect(out.clusters.ids).toEqual([]);
    expect(out.points.ids).toEqual(['P0']);
    expect(out.points).toMatchObject({ status: [0], priority: [1], overdue: [1] });
  });

  it('splits a cluster at its expansion zoom', () => {
    const index = new IncidentClusterIndex<object>(() => lattice());
    const low = index.query({}, WORLD, 10, NOW);
    const next = index.query({}, WORLD, low.clusters.expansionZoom[0]!, NOW);
    expect(next.clusters.ids.length + next.points.ids.length).toBeGreaterThan(2);
    expect(next.clusters.count.reduce((a, b) => a + b, 0) + next.points.ids.length).toBe(401);
  });

  it('indexes once per filter, again after a change, and again once a minute has passed (overdue moves with time)', () => {
    const load = vi.fn((filter: { only?: string }) => lattice().filter((p) => !filter.only || p.id === filter.only));
    const index = new IncidentClusterIndex<{ only?: string }>(load);
    index.query({}, WORLD, 12, NOW);
    index.query({}, [113, 22, 114, 23], 15, NOW + 1000);
    expect(load).toHaveBeenCalledTimes(1);
    expect(index.query({ only: 'FAR' }, WORLD, 12, NOW).total).toBe(1);
    expect(load).toHaveBeenCalledTimes(2);
    index.query({ only: 'FAR' }, WORLD, 12, NOW);
    expect(load).toHaveBeenCalledTimes(2);
    index.invalidate();
    index.query({ only: 'FAR' }, WORLD, 12, NOW);
    expect(load).toHaveBeenCalledTimes(3);
    index.query({ only: 'FAR' }, WORLD, 12, NOW + CLUSTER_INDEX_MAX_AGE_MS);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('answers an empty filter result with nothing', () => {
    const out = new IncidentClusterIndex<object>(() => []).query({}, WORLD, 3, NOW);
    expect(out).toMatchObject({ total: 0, clusters: { ids: [] }, points: { ids: [] } });
  });
});

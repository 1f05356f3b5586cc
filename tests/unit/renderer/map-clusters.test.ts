import { describe, expect, it } from 'vitest';
import { abbreviateCount, clusterFeatures } from '../../../renderer/src/features/map/cluster-features';

describe("core's clusters on the map", () => {
  it('abbreviates counts as MapLibre did', () => {
    expect([abbreviateCount(7), abbreviateCount(999), abbreviateCount(1250), abbreviateCount(12_345)]).toEqual(['7', '999', '1.3k', '12k']);
  });

  it("turns core's answer into the features the incident layers read", () => {
    const features = clusterFeatures({
      total: 1201,
      zoom: 12,
      clusters: { ids: [5], lon: [113.82], lat: [22.13], count: [1200], overdue: [3], expansionZoom: [14] },
      points: { ids: ['a'], lon: [113.8], lat: [22.16], status: [2], priority: [1], overdue: [1] },
      now: 0,
    });
    expect(features.features).toEqual([
      {
        type: 'Feature',
        properties: { cluster: true, cluster_id: 5, point_count: 1200, point_count_abbreviated: '1.2k', overdue: 3, expansion_zoom: 14 },
        geometry: { type: 'Point', coordinates: [113.82, 22.13] },
      },
      { type: 'Feature', properties: { id: 'a', s: 2, p: 1, o: 1 }, geometry: { type: 'Point', coordinates: [113.8, 22.16] } },
    ]);
  });

  it('refuses a status index it does not know', () => {
    const bad = { total: 1, zoom: 17, clusters: { ids: [], lon: [], lat: [], count: [], overdue: [], expansionZoom: [] }, points: { ids: ['a'], lon: [0], lat: [0], status: [9], priority: [1], overdue: [0] }, now: 0 };
    expect(() => clusterFeatures(bad)).toThrow(/status/);
  });
});

import { describe, expect, it } from 'vitest';
import type { Grid } from '@shared';
import { gridFeatures, gridLabels, userBasemapLayers, userBasemapSource } from '../../../renderer/src/features/map/map-style';

const grid = (code: string, polygons: Grid['polygons']): Grid => ({ id: code, code, name: code, community: '', workers: [], demo: false, polygons, bbox: [0, 0, 1, 1] });
const square = (x: number, y: number, size: number): [number, number][] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];

describe('map style helpers', () => {
  it('puts one label per grid at the centre of its largest part', () => {
    const labels = gridLabels([grid('A', [[square(0, 0, 1)], [square(10, 10, 4)]])], (g) => g.name);
    expect(labels.features).toHaveLength(1);
    expect(labels.features[0]!.geometry.coordinates).toEqual([12, 12]);
    expect(labels.features[0]!.properties.label).toBe('A');
  });

  it('carries the open and overdue counts into the choropleth, zero for a grid without incidents', () => {
    const features = gridFeatures([grid('A', [[square(0, 0, 1)]]), grid('B', [[square(1, 0, 1)], [square(3, 0, 1)]])], [{ gridId: 'A', open: 4, overdue: 1 }]);
    expect(features.features.map((f) => [f.properties.id, f.properties.open, f.properties.overdue, f.geometry.type])).toEqual([
      ['A', 4, 1, 'Polygon'],
      ['B', 0, 0, 'MultiPolygon'],
    ]);
    expect(new Set(features.features.map((f) => f.id)).size).toBe(2);
  });

  it('draws a loaded basemap from core through the basemap:// protocol, whatever its vector schema', () => {
    const base = { id: 'b1', name: 'n', kind: 'mbtiles' as const, minZoom: 10, maxZoom: 14, bounds: null, attribution: '', vectorLayers: ['water', 'roads'] };
    const vector = userBasemapSource({ ...base, format: 'pbf' });
    expect(vector).toMatchObject({ type: 'vector', tiles: ['basemap://b1/pbf/{z}/{x}/{y}'], minzoom: 10, maxzoom: 14, attribution: 'n' });
    expect(userBasemapLayers({ ...base, format: 'pbf' }).map((l) => l.type)).toEqual(['fill', 'line', 'circle', 'fill', 'line', 'circle']);
    expect(userBasemapSource({ ...base, format: 'png' })).toMatchObject({ type: 'raster', tileSize: 256 });
    expect(userBasemapLayers({ ...base, format: 'png' })).toHaveLength(1);
  });
});

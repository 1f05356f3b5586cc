import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYERS, storedLayers, storeLayers } from '../../../renderer/src/features/map/map-layers';

describe('map layer switches', () => {
  it('are kept per PC, a missing or damaged entry falling back to the defaults', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(storedLayers(storage)).toEqual(DEFAULT_LAYERS);
    storeLayers({ ...DEFAULT_LAYERS, cameras: false, heatmap: true }, storage);
    expect(storedLayers(storage)).toEqual({ ...DEFAULT_LAYERS, cameras: false, heatmap: true });
    // Saved before the camera layer existed: it takes its default.
    store.set([...store.keys()][0]!, JSON.stringify({ grids: false }));
    expect(storedLayers(storage)).toEqual({ ...DEFAULT_LAYERS, grids: false });
    store.set([...store.keys()][0]!, '{not json');
    expect(storedLayers(storage)).toEqual(DEFAULT_LAYERS);
    expect(storedLayers(undefined)).toEqual(DEFAULT_LAYERS);
  });
});

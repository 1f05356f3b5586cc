/** The layer panel's switches, in its order. */
export const LAYER_KEYS = ['grids', 'labels', 'incidents', 'cameras', 'heatmap'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];
export type LayerVisibility = Record<LayerKey, boolean>;

export const DEFAULT_LAYERS: LayerVisibility = { grids: true, labels: true, incidents: true, cameras: true, heatmap: false };

/** The map's style layers each switch shows or hides. */
export const LAYER_IDS: Record<LayerKey, string[]> = {
  grids: ['grid-fill', 'grid-line'],
  labels: ['grid-label'],
  incidents: ['incident-clusters', 'incident-cluster-count', 'incident-points', 'incident-selected'],
  cameras: ['camera-cone-fill', 'camera-cone-line', 'camera-points', 'camera-lens', 'camera-label'],
  heatmap: ['incident-heat'],
};

// Per PC, like the language: each duty-room screen keeps the layers its operator set.
const STORAGE_KEY = 'dutyConsole.map.layers';

/** The part of localStorage used here (the unit tests pass their own). */
interface LayerStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
const pcStorage = (): LayerStorage | undefined => (globalThis as { localStorage?: LayerStorage }).localStorage;

/** The layers as last set on this PC; a switch added since (or a damaged entry) takes its default. */
export function storedLayers(storage: Pick<LayerStorage, 'getItem'> | undefined = pcStorage()): LayerVisibility {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null');
    if (!saved || typeof saved !== 'object') return { ...DEFAULT_LAYERS };
    const layers = { ...DEFAULT_LAYERS };
    for (const key of LAYER_KEYS) {
      const value = (saved as Record<string, unknown>)[key];
      if (typeof value === 'boolean') layers[key] = value;
    }
    return layers;
  } catch {
    return { ...DEFAULT_LAYERS };
  }
}

export function storeLayers(layers: LayerVisibility, storage: Pick<LayerStorage, 'setItem'> | undefined = pcStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(layers));
  } catch {
    // Storage full or refused: the switches still work for this session.
  }
}

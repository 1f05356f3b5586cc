import { useEffect, useRef, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { MAP_CLUSTER, type IncidentFilter } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import type { IncidentFeatures } from './map-style';
import { clusterFeatures } from './cluster-features';

/** The view is asked for with this much room on every side (a fraction of its size): small pans ask nothing. */
const VIEW_PADDING = 0.5;
/** While the map moves, core is asked at most this often (and only when the view left what it has). */
const MOVING_QUERY_INTERVAL_MS = 150;

type BBox = [number, number, number, number];

const contains = (outer: BBox, inner: BBox) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

function viewBox(map: MapLibreMap): BBox {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
}

function padded([w, s, e, n]: BBox): BBox {
  const dx = (e - w) * VIEW_PADDING;
  const dy = (n - s) * VIEW_PADDING;
  return [Math.max(-180, w - dx), Math.max(-90, s - dy), Math.min(180, e + dx), Math.min(90, n + dy)];
}

/** The whole zoom level clusters are made for (core clusters by whole levels, as MapLibre's tiles). */
const clusterZoom = (map: MapLibreMap) => Math.max(0, Math.min(Math.floor(map.getZoom()), MAP_CLUSTER.maxZoom + 1));

export interface MapClusters {
  features: IncidentFeatures | null;
  /** Every filtered incident with a location (not only the visible ones). */
  total: number;
  error: unknown;
}

/**
 * The incidents the map draws: clusters and single incidents for the current view and zoom level,
 * asked of core (which indexed the filtered incidents once) when the view leaves what was fetched,
 * the zoom level changes, the filter changes or the incidents do (`version`).
 */
export function useMapClusters(map: MapLibreMap | null, filter: IncidentFilter, filterKey: string, version: number, active: boolean): MapClusters {
  const client = useClient();
  const [state, setState] = useState<MapClusters>({ features: null, total: 0, error: null });
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const seq = useRef(0);

  useEffect(() => {
    if (!map || !active) return;
    let fetched: { zoom: number; bbox: BBox } | null = null;
    let lastMoveQuery = 0;
    const query = () => {
      const zoom = clusterZoom(map);
      const view = viewBox(map);
      if (fetched && fetched.zoom === zoom && contains(fetched.bbox, view)) return;
      const bbox = padded(view);
      fetched = { zoom, bbox };
      const id = ++seq.current;
      client
        .invoke('map.clusters', { filter: filterRef.current, bbox, zoom })
        .then((data) => {
          if (id === seq.current) setState({ features: clusterFeatures(data), total: data.total, error: null });
        })
        .catch((error: unknown) => {
          if (id !== seq.current) return;
          fetched = null;
          setState((current) => ({ ...current, error }));
        });
    };
    const onMove = () => {
      const now = performance.now();
      if (now - lastMoveQuery < MOVING_QUERY_INTERVAL_MS) return;
      lastMoveQuery = now;
      query();
    };
    query();
    map.on('move', onMove);
    map.on('moveend', query);
    map.on('resize', query);
    return () => {
      map.off('move', onMove);
      map.off('moveend', query);
      map.off('resize', query);
    };
  }, [map, active, filterKey, version, client]);

  return state;
}

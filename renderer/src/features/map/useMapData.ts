import { useCallback, useEffect, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { BUILTIN_BASEMAP, INCIDENT_STATUSES, type BasemapInfo, type Grid, type GridLoad, type IncidentFilter } from '@shared';
import { useClient, useCoreEvent } from '../../transport/ClientProvider';
import type { IncidentPoints } from './map-style';

/** Live changes arrive one incident at a time; the map re-reads its points at most this often. */
const RELOAD_DEBOUNCE_MS = 400;

export interface MapData {
  coastline: FeatureCollection | null;
  grids: Grid[];
  loads: GridLoad[];
  points: IncidentPoints;
  pointCount: number;
  basemaps: { active: string; basemaps: BasemapInfo[] };
  error: unknown;
}

function toPoints(data: { ids: string[]; lon: number[]; lat: number[]; status: number[]; priority: number[]; overdue: number[] }): IncidentPoints {
  const features: IncidentPoints['features'] = new Array(data.ids.length);
  for (let i = 0; i < data.ids.length; i++) {
    features[i] = {
      type: 'Feature',
      properties: { id: data.ids[i]!, s: data.status[i]!, p: data.priority[i]!, o: data.overdue[i]! },
      geometry: { type: 'Point', coordinates: [data.lon[i]!, data.lat[i]!] },
    };
  }
  return { type: 'FeatureCollection', features };
}

/** Everything the map shows, from core; follows the shared filter and live changes. */
export function useMapData(filter: IncidentFilter, filterKey: string, active: boolean): MapData {
  const client = useClient();
  const [coastline, setCoastline] = useState<FeatureCollection | null>(null);
  const [grids, setGrids] = useState<Grid[]>([]);
  const [loads, setLoads] = useState<GridLoad[]>([]);
  const [points, setPoints] = useState<IncidentPoints>({ type: 'FeatureCollection', features: [] });
  const [error, setError] = useState<unknown>(null);
  const [basemaps, setBasemaps] = useState<MapData['basemaps']>({ active: BUILTIN_BASEMAP, basemaps: [] });
  const loadBasemaps = useCallback(() => client.invoke('basemap.list', {}).then(setBasemaps, setError), [client]);
  useEffect(() => {
    void loadBasemaps();
  }, [loadBasemaps]);
  useCoreEvent('basemap.changed', () => void loadBasemaps());
  const stale = useRef({ grids: true, points: true });
  const filterRef = useRef(filter);
  filterRef.current = filter;

  useEffect(() => {
    let cancelled = false;
    client.invoke('basemap.coastline', {}).then(
      ({ geojson }) => !cancelled && setCoastline(geojson as unknown as FeatureCollection),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [client]);

  const loadGrids = useCallback(async () => {
    stale.current.grids = false;
    const [{ grids: list }, { loads: counts }] = await Promise.all([client.invoke('grids.list', {}), client.invoke('grids.load', {})]);
    setGrids(list);
    setLoads(counts);
  }, [client]);

  const loadPoints = useCallback(async () => {
    stale.current.points = false;
    const [data, { loads: counts }] = await Promise.all([client.invoke('map.incidents', { filter: filterRef.current }), client.invoke('grids.load', {})]);
    if (data.status.some((s) => s < 0 || s >= INCIDENT_STATUSES.length)) throw new Error('unknown status index from core');
    setPoints(toPoints(data));
    setLoads(counts);
  }, [client]);

  // Hidden views do not reload on every change; they catch up when shown.
  useEffect(() => {
    if (!active) return;
    if (stale.current.grids) loadGrids().catch(setError);
  }, [active, loadGrids]);
  useEffect(() => {
    stale.current.points = true;
    if (active) loadPoints().catch(setError);
  }, [active, filterKey, loadPoints]);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const scheduleReload = useCallback(
    (what: 'grids' | 'points') => {
      stale.current[what] = true;
      if (!active) return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        timer.current = null;
        if (stale.current.grids) loadGrids().catch(setError);
        if (stale.current.points) loadPoints().catch(setError);
      }, RELOAD_DEBOUNCE_MS);
    },
    [active, loadGrids, loadPoints],
  );
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  useCoreEvent('incident.changed', () => scheduleReload('points'));
  useCoreEvent('incidents.reloaded', () => scheduleReload('points'));
  useCoreEvent('grids.changed', () => {
    scheduleReload('grids');
    scheduleReload('points');
  });

  return { coastline, grids, loads, points, pointCount: points.features.length, basemaps, error };
}

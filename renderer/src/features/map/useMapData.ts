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
  /** The grids and their loads have been read once (the map waits for them: see MapView). */
  gridsReady: boolean;
  /** Every filtered point, unclustered: loaded only while the heatmap is on (it needs them all). */
  heatPoints: IncidentPoints;
  /** Bumped whenever the filtered incidents may have changed: the map asks core for its clusters again. */
  incidentsVersion: number;
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

const EMPTY_POINTS: IncidentPoints = { type: 'FeatureCollection', features: [] };

/**
 * Everything the map shows, from core, except the clustered incidents (useMapClusters asks core
 * for those per view); follows the shared filter and live changes.
 */
export function useMapData(filter: IncidentFilter, filterKey: string, active: boolean, heatmap: boolean): MapData {
  const client = useClient();
  const [coastline, setCoastline] = useState<FeatureCollection | null>(null);
  const [grids, setGrids] = useState<Grid[]>([]);
  const [loads, setLoadsRaw] = useState<GridLoad[]>([]);
  const [gridsReady, setGridsReady] = useState(false);
  // The same counts again (grids and points reload them both) are no change: the map redraws for nothing otherwise.
  const setLoads = useCallback((next: GridLoad[]) => setLoadsRaw((current) => (JSON.stringify(current) === JSON.stringify(next) ? current : next)), []);
  const [heatPoints, setHeatPoints] = useState<IncidentPoints>(EMPTY_POINTS);
  const [incidentsVersion, setIncidentsVersion] = useState(0);
  const heatmapRef = useRef(heatmap);
  heatmapRef.current = heatmap;
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
    setGridsReady(true);
  }, [client, setLoads]);

  // The grid loads change with the incidents; the heatmap's points only matter while it is on.
  const loadPoints = useCallback(async () => {
    stale.current.points = false;
    setIncidentsVersion((v) => v + 1);
    const [data, { loads: counts }] = await Promise.all([
      heatmapRef.current ? client.invoke('map.incidents', { filter: filterRef.current }) : null,
      client.invoke('grids.load', {}),
    ]);
    if (data?.status.some((s) => s < 0 || s >= INCIDENT_STATUSES.length)) throw new Error('unknown status index from core');
    setHeatPoints(data ? toPoints(data) : EMPTY_POINTS);
    setLoads(counts);
  }, [client, setLoads]);

  // Hidden views do not reload on every change; they catch up when shown.
  useEffect(() => {
    if (!active) return;
    if (stale.current.grids) loadGrids().catch(setError);
  }, [active, loadGrids]);
  useEffect(() => {
    stale.current.points = true;
    if (active) loadPoints().catch(setError);
  }, [active, filterKey, heatmap, loadPoints]);

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

  return { coastline, grids, loads, gridsReady, heatPoints, incidentsVersion, basemaps, error };
}

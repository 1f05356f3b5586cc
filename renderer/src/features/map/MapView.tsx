import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent, MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { ActionIcon, Badge, Button, Group, Kbd, Menu, Paper, SegmentedControl, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFocusCentered, IconPlus, IconRuler2, IconUpload, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { BASEMAP_SCHEME, COORDINATE_SYSTEMS, distanceMeters, parseBasemapTileUrl, type CoordinateSystem, type GridRef, type Position } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { useNavigation } from '../../app/navigation';
import { describeFailure } from '../../app/errors';
import { insideDialog, typingTarget } from '../../app/keyboard';
import { FilterBar } from '../incidents/list/FilterBar';
import { useIncidentFilter } from '../incidents/list/filter-context';
import { CLICKABLE_CAMERA_LAYERS, CLICKABLE_INCIDENT_LAYERS, ISLAND_BOUNDS, LOCAL_IDEOGRAPH_FONTS, STATUS_HEX, OVERDUE_HEX, gridFeatures, gridLabels, mapStyle, BUILTIN_LAYERS, USER_BASEMAP_BEFORE, USER_BASEMAP_SOURCE, userBasemapLayers, userBasemapSource } from './map-style';
import { useMapData } from './useMapData';
import { useMapClusters } from './useMapClusters';
import { useMapCameras } from './useMapCameras';
import { CAMERA_HEALTH_HEX, cameraFeatures, type CameraMapHealth } from './camera-features';
import { LAYER_IDS, LAYER_KEYS, storedLayers, storeLayers, type LayerKey, type LayerVisibility } from './map-layers';
import { CameraTooltip } from './CameraTooltip';
import { lowerResolutionWhileMoving } from './moving-resolution';
import { GridCard } from './GridCard';
import { GridImportModal } from './GridImportModal';
import { serverNow } from '../system/clock';
import { BasemapPanel } from './BasemapPanel';
import { downloadText } from '../workflows/common';
import './map.css';

// The worker ships with the app: a same-origin module file, allowed by the page's CSP.
maplibregl.setWorkerUrl(workerUrl);
// The worker starts with the app, not when the map is first opened.
maplibregl.prewarm();

/** A 1×1 transparent PNG: where a raster basemap has no tile, nothing is drawn (and nothing fails). */
const EMPTY_PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='), (c) => c.charCodeAt(0));

const DAY = 86_400_000;
/** Without a time range in the filter, the grid card's completion rate covers the last 30 days. */
const DEFAULT_PERIOD_DAYS = 30;

interface ContextMenuState {
  x: number;
  y: number;
  lon: number;
  lat: number;
  grid: GridRef | null | undefined;
}

/** The camera under the pointer, and where (canvas pixels) its tooltip goes. */
interface CameraHover {
  cameraId: string;
  x: number;
  y: number;
}

const formatDistance = (m: number) => (m < 1000 ? `${m.toFixed(0)} m` : `${(m / 1000).toFixed(2)} km`);

declare global {
  interface Window {
    /** The live map, for the e2e tests and the benchmark (they click on coordinates). */
    __dutyConsoleMap?: MapLibreMap;
  }
}

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return !!(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/** The island map: coastline, grids with their load, incidents clustered, and the tools of the duty room. */
export function MapView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const { openIncident, newIncident, openCamera, selectedIncidentId } = useNavigation();
  const { state: filterState, setState: setFilterState, filter, filterKey } = useIncidentFilter();
  const [layers, setLayers] = useState<LayerVisibility>(() => storedLayers());
  useEffect(() => storeLayers(layers), [layers]);
  const data = useMapData(filter, filterKey, active, layers.heatmap);
  const { cameras, health } = useMapCameras(active);
  const [cameraHover, setCameraHover] = useState<CameraHover | null>(null);

  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const [noWebgl] = useState(() => !webglAvailable());
  // Asked for as soon as the map exists (its camera is set), while its style still loads.
  const clusters = useMapClusters(map, filter, filterKey, data.incidentsVersion, active);
  const [selectedGrid, setSelectedGrid] = useState<string | null>(null);
  const [contextMenu, setContextMenu] = useState<ContextMenuState | null>(null);
  const [measuring, setMeasuring] = useState(false);
  const [measurePath, setMeasurePath] = useState<Position[]>([]);
  const [importOpen, setImportOpen] = useState(false);
  const [exportCrs, setExportCrs] = useState<CoordinateSystem>('wgs84');

  const measuringRef = useRef(measuring);
  measuringRef.current = measuring;

  const gridData = useMemo(() => gridFeatures(data.grids, data.loads), [data.grids, data.loads]);
  const cameraData = useMemo(() => cameraFeatures(cameras, health), [cameras, health]);
  const camerasById = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);
  const gridNames = useMemo(() => new Map(data.grids.map((g) => [g.code, g.name])), [data.grids]);
  const labelData = useMemo(() => {
    const byGrid = new Map(data.loads.map((l) => [l.gridId, l]));
    return gridLabels(data.grids, (grid) => {
      const load = byGrid.get(grid.id);
      return `${grid.name}\n${t('map.labelCounts', { open: load?.open ?? 0, overdue: load?.overdue ?? 0 })}`;
    });
  }, [data.grids, data.loads, t]);
  // The grid data the style was made with: set again, it would only reload the same.
  const styleData = useRef<{ grids: unknown; labels: unknown }>({ grids: null, labels: null });

  // Create the map once the coastline and the grids are here: they load with the style, in one go.
  useEffect(() => {
    if (!data.coastline || !data.gridsReady || !containerRef.current || mapRef.current || noWebgl) return;
    styleData.current = { grids: gridData, labels: labelData };
    const map = new maplibregl.Map({
      container: containerRef.current,
      style: mapStyle(data.coastline, gridData, labelData),
      bounds: ISLAND_BOUNDS,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONTS,
      // Added below, in the operator's language, and replaced when it changes.
      attributionControl: false,
      maxZoom: 19,
      minZoom: 8,
      dragRotate: true,
      // Labels appear at once: a fade redraws the whole map for 300 ms after every move, which a
      // software renderer pays for in full.
      fadeDuration: 0,
    });
    const stopLowResolution = lowerResolutionWhileMoving(map);
    map.addControl(new maplibregl.NavigationControl({ showCompass: true, showZoom: true, visualizePitch: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-left');
    map.doubleClickZoom.disable();
    map.on('load', () => setReady(true));
    mapRef.current = map;
    setMap(map);
    window.__dutyConsoleMap = map;
    return () => {
      stopLowResolution();
      map.remove();
      mapRef.current = null;
      setMap(null);
      delete window.__dutyConsoleMap;
      setReady(false);
    };
    // The style is built once; later changes go through setData.
  }, [data.coastline, data.gridsReady, noWebgl]);

  // Loaded basemaps' tiles come from core over the contract: no URL outside the page's own origin.
  useEffect(() => {
    maplibregl.addProtocol(BASEMAP_SCHEME, async (params) => {
      const tile = parseBasemapTileUrl(params.url);
      if (!tile) throw new Error(`bad basemap tile URL ${params.url}`);
      const { id, format, z, x, y } = tile;
      const { data } = await client.invoke('basemap.tile', { id, z, x, y });
      if (data) return { data: Uint8Array.from(atob(data), (c) => c.charCodeAt(0)).buffer };
      return { data: format === 'pbf' ? new ArrayBuffer(0) : EMPTY_PNG.slice().buffer };
    });
    return () => maplibregl.removeProtocol(BASEMAP_SCHEME);
  }, [client]);

  const activeBasemap = data.basemaps.basemaps.find((b) => b.id === data.basemaps.active) ?? null;
  useEffect(() => {
    if (!ready) return;
    const map = mapRef.current!;
    for (const layer of map.getStyle().layers) if (layer.id.startsWith('user-basemap-')) map.removeLayer(layer.id);
    if (map.getSource(USER_BASEMAP_SOURCE)) map.removeSource(USER_BASEMAP_SOURCE);
    for (const id of BUILTIN_LAYERS) map.setLayoutProperty(id, 'visibility', activeBasemap ? 'none' : 'visible');
    if (!activeBasemap) return;
    map.addSource(USER_BASEMAP_SOURCE, userBasemapSource(activeBasemap));
    for (const layer of userBasemapLayers(activeBasemap)) map.addLayer(layer, USER_BASEMAP_BEFORE);
  }, [ready, activeBasemap]);

  // The coastline's licence asks for its attribution on the map (a loaded basemap brings its own).
  const attribution = activeBasemap ? '' : t('map.attribution');
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const control = new maplibregl.AttributionControl({ compact: false, ...(attribution ? { customAttribution: attribution } : {}) });
    map.addControl(control, 'bottom-right');
    return () => {
      map.removeControl(control);
    };
  }, [ready, attribution]);

  // A hidden view has no size: resize when shown.
  useEffect(() => {
    if (active) mapRef.current?.resize();
  }, [active]);

  useEffect(() => {
    if (!ready) return;
    if (gridData !== styleData.current.grids) mapRef.current?.getSource<GeoJSONSource>('grids')?.setData(gridData);
    if (labelData !== styleData.current.labels) mapRef.current?.getSource<GeoJSONSource>('grid-labels')?.setData(labelData);
    styleData.current = { grids: null, labels: null };
  }, [ready, gridData, labelData]);

  useEffect(() => {
    if (!ready || !clusters.features) return;
    mapRef.current!.getSource<GeoJSONSource>('incidents')?.setData(clusters.features);
  }, [ready, clusters.features]);

  useEffect(() => {
    if (!ready) return;
    mapRef.current!.getSource<GeoJSONSource>('cameras')?.setData(cameraData);
  }, [ready, cameraData]);

  // The heatmap's own (unclustered) copy of the points is only loaded while it is on.
  useEffect(() => {
    if (!ready) return;
    mapRef.current!.getSource<GeoJSONSource>('heat')?.setData(layers.heatmap ? data.heatPoints : { type: 'FeatureCollection', features: [] });
  }, [ready, data.heatPoints, layers.heatmap]);

  useEffect(() => {
    if (!ready) return;
    const map = mapRef.current!;
    if (!layers.cameras) setCameraHover(null);
    for (const [key, ids] of Object.entries(LAYER_IDS) as [LayerKey, string[]][]) {
      const visible = layers[key] && (key !== 'labels' || layers.grids);
      for (const id of ids) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }, [ready, layers]);

  useEffect(() => {
    if (!ready) return;
    mapRef.current!.setFilter('incident-selected', ['==', ['get', 'id'], selectedIncidentId ?? '']);
  }, [ready, selectedIncidentId]);

  // The selected grid's outline is drawn thicker.
  useEffect(() => {
    if (!ready) return;
    const map = mapRef.current!;
    map.removeFeatureState({ source: 'grids' });
    const feature = gridData.features.find((f) => f.properties.id === selectedGrid);
    if (feature?.id !== undefined) map.setFeatureState({ source: 'grids', id: feature.id }, { selected: true });
  }, [ready, selectedGrid, gridData]);

  useEffect(() => {
    if (!ready) return;
    const features: GeoJSON.Feature[] = measurePath.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } }));
    if (measurePath.length > 1) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: measurePath } });
    mapRef.current!.getSource<GeoJSONSource>('measure')?.setData({ type: 'FeatureCollection', features });
  }, [ready, measurePath]);

  const fitIsland = useCallback(() => {
    mapRef.current?.fitBounds(ISLAND_BOUNDS, { padding: 20, duration: 600, bearing: 0 });
  }, []);

  const finishMeasure = useCallback(() => setMeasuring(false), []);
  const toggleMeasure = useCallback(() => {
    setMeasuring((on) => {
      if (!on) setMeasurePath([]);
      return !on;
    });
  }, []);

  // Map interactions.
  useEffect(() => {
    if (!ready) return;
    const map = mapRef.current!;
    const onClick = (event: MapMouseEvent) => {
      setContextMenu(null);
      if (measuringRef.current) {
        setMeasurePath((path) => [...path, [event.lngLat.lng, event.lngLat.lat]]);
        return;
      }
      const visible = (ids: string[]) => ids.filter((id) => map.getLayoutProperty(id, 'visibility') !== 'none');
      // A camera's point is drawn above the incidents: it is what the operator clicked.
      const camera = map.queryRenderedFeatures(event.point, { layers: visible(CLICKABLE_CAMERA_LAYERS) })[0];
      if (camera?.properties.id) {
        setCameraHover(null);
        openCamera(String(camera.properties.id));
        return;
      }
      const hits = map.queryRenderedFeatures(event.point, { layers: visible(CLICKABLE_INCIDENT_LAYERS) });
      const hit = hits[0];
      if (hit?.properties.cluster_id !== undefined) {
        // Core gave each cluster the zoom at which it splits.
        const zoom = Number(hit.properties.expansion_zoom);
        const [lon, lat] = (hit.geometry as GeoJSON.Point).coordinates as Position;
        map.easeTo({ center: [lon, lat], zoom: Math.min(zoom + 0.2, 19) });
        return;
      }
      if (hit?.properties.id) {
        openIncident(String(hit.properties.id));
        return;
      }
      const grid = map.getLayoutProperty('grid-fill', 'visibility') === 'none' ? undefined : map.queryRenderedFeatures(event.point, { layers: ['grid-fill'] })[0];
      setSelectedGrid(grid ? String(grid.properties.id) : null);
    };
    const onDoubleClick = (event: MapMouseEvent) => {
      if (measuringRef.current) {
        event.preventDefault();
        finishMeasure();
      } else {
        map.easeTo({ center: event.lngLat, zoom: map.getZoom() + 1 });
      }
    };
    const onContextMenu = (event: MapMouseEvent) => {
      event.preventDefault();
      const menu: ContextMenuState = { x: event.point.x, y: event.point.y, lon: event.lngLat.lng, lat: event.lngLat.lat, grid: undefined };
      setContextMenu(menu);
      client.invoke('grids.locate', { location: { lon: menu.lon, lat: menu.lat } }).then(
        ({ grid }) => setContextMenu((current) => (current && current.lon === menu.lon && current.lat === menu.lat ? { ...current, grid } : current)),
        () => setContextMenu((current) => (current ? { ...current, grid: null } : current)),
      );
    };
    const pointer = () => {
      map.getCanvas().style.cursor = measuringRef.current ? 'crosshair' : 'pointer';
    };
    const unpointer = () => {
      map.getCanvas().style.cursor = measuringRef.current ? 'crosshair' : '';
    };
    // A camera's tooltip follows the pointer while it is over the camera's point.
    const hoverCamera = (event: MapLayerMouseEvent) => {
      const id = event.features?.[0]?.properties.id;
      if (measuringRef.current || typeof id !== 'string') return;
      setCameraHover({ cameraId: id, x: event.point.x, y: event.point.y });
    };
    const leaveCamera = () => setCameraHover(null);
    // The menu and the tooltip are pinned to a screen point: moving the map takes them away.
    const closeMenu = () => {
      setContextMenu(null);
      setCameraHover(null);
    };
    map.on('click', onClick);
    map.on('dblclick', onDoubleClick);
    map.on('contextmenu', onContextMenu);
    map.on('movestart', closeMenu);
    for (const layer of [...CLICKABLE_CAMERA_LAYERS, ...CLICKABLE_INCIDENT_LAYERS, 'grid-fill']) {
      map.on('mouseenter', layer, pointer);
      map.on('mouseleave', layer, unpointer);
    }
    for (const layer of CLICKABLE_CAMERA_LAYERS) {
      map.on('mousemove', layer, hoverCamera);
      map.on('mouseleave', layer, leaveCamera);
    }
    return () => {
      map.off('click', onClick);
      map.off('dblclick', onDoubleClick);
      map.off('contextmenu', onContextMenu);
      map.off('movestart', closeMenu);
      for (const layer of [...CLICKABLE_CAMERA_LAYERS, ...CLICKABLE_INCIDENT_LAYERS, 'grid-fill']) {
        map.off('mouseenter', layer, pointer);
        map.off('mouseleave', layer, unpointer);
      }
      for (const layer of CLICKABLE_CAMERA_LAYERS) {
        map.off('mousemove', layer, hoverCamera);
        map.off('mouseleave', layer, leaveCamera);
      }
    };
  }, [ready, client, openIncident, openCamera, finishMeasure]);

  useEffect(() => {
    if (ready) mapRef.current!.getCanvas().style.cursor = measuring ? 'crosshair' : '';
  }, [ready, measuring]);

  // Keyboard: F fits the island, M measures, Esc ends a measurement or closes the card and menu.
  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (insideDialog(event.target) || typingTarget(event.target)) return;
      if (event.key === 'f' || event.key === 'F') {
        event.preventDefault();
        fitIsland();
      } else if (event.key === 'm' || event.key === 'M') {
        event.preventDefault();
        toggleMeasure();
      } else if (event.key === 'Escape') {
        if (contextMenu) setContextMenu(null);
        else if (measuring) finishMeasure();
        else if (selectedGrid) setSelectedGrid(null);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [active, fitIsland, toggleMeasure, finishMeasure, contextMenu, measuring, selectedGrid]);

  const period = useMemo(() => {
    // The core's clock, not this PC's (duty-room PCs drift).
    const to = filter.to ?? Math.ceil(serverNow() / DAY) * DAY;
    const from = filter.from ?? to - DEFAULT_PERIOD_DAYS * DAY;
    return { from, to };
  }, [filter.from, filter.to]);

  const exportGeoJson = async (what: 'incidents' | 'grids') => {
    try {
      const result = await client.invoke('map.export', { what, crs: exportCrs, filter });
      downloadText(result.fileName, result.geojson, 'application/geo+json');
      notifications.show({ color: 'teal', message: t('map.tools.exported', { count: result.count, file: result.fileName }) });
    } catch (error) {
      const failure = describeFailure(error, t);
      notifications.show({ color: 'red', title: failure.title, message: failure.message });
    }
  };

  const measured = measurePath.reduce((sum, p, i) => (i ? sum + distanceMeters(measurePath[i - 1]!, p) : 0), 0);
  const anyDemo = data.grids.some((g) => g.demo);
  const failure = data.error ?? clusters.error;
  const loadError = failure ? describeFailure(failure, t).message : null;
  const hoveredCamera = cameraHover ? camerasById.get(cameraHover.cameraId) : undefined;
  const gridCameras = useMemo(() => (selectedGrid ? cameras.filter((c) => c.grid === selectedGrid) : []), [cameras, selectedGrid]);

  return (
    <div className="map-view" data-testid="map-view">
      <FilterBar value={filterState} onChange={setFilterState} total={clusters.total} loading={!ready} />
      <div className="map-body">
        <div className="map-canvas-wrap">
          <div ref={containerRef} className="map-canvas" data-testid="map-canvas" data-ready={ready || undefined} />
          {noWebgl && <div className="map-overlay-message">{t('map.noWebgl')}</div>}
          {!noWebgl && !ready && !loadError && <div className="map-overlay-message">{t('map.loading')}</div>}
          {loadError && <div className="map-overlay-message map-error">{loadError}</div>}
          {anyDemo && (
            <Badge className="map-demo-badge" color="orange" variant="filled" size="sm">
              {t('map.demoBadge')}
            </Badge>
          )}
          {cameraHover && hoveredCamera && (
            <CameraTooltip
              camera={hoveredCamera}
              health={health.get(hoveredCamera.id)}
              gridName={hoveredCamera.grid ? (gridNames.get(hoveredCamera.grid) ?? hoveredCamera.grid) : null}
              x={cameraHover.x}
              y={cameraHover.y}
            />
          )}
          {contextMenu && (
            <Paper className="map-context-menu" shadow="md" withBorder p={4} style={{ left: contextMenu.x, top: contextMenu.y }} data-testid="map-context-menu">
              <Text size="xs" c="dimmed" px={8} pt={4}>
                {t('map.context.coords', { lon: contextMenu.lon.toFixed(5), lat: contextMenu.lat.toFixed(5) })}
              </Text>
              <Text size="xs" px={8} pb={4} data-testid="map-context-grid">
                {contextMenu.grid === undefined ? '…' : contextMenu.grid ? t('map.context.grid', { name: contextMenu.grid.name }) : t('map.context.noGrid')}
              </Text>
              <Button
                variant="subtle"
                size="xs"
                fullWidth
                justify="flex-start"
                leftSection={<IconPlus size={14} />}
                data-testid="map-new-incident"
                onClick={() => {
                  const { lon, lat, grid } = contextMenu;
                  setContextMenu(null);
                  newIncident({ location: { lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)) }, gridId: grid?.id ?? null });
                }}
              >
                {t('map.context.newIncident')}
              </Button>
            </Paper>
          )}
        </div>
        <aside className="map-side">
          <Stack gap="sm">
            <Group gap={6}>
              <Tooltip label={t('map.tools.fitHint')}>
                <Button size="xs" variant="default" leftSection={<IconFocusCentered size={14} />} onClick={fitIsland} data-testid="map-fit">
                  {t('map.tools.fit')}
                </Button>
              </Tooltip>
              <Tooltip label={t('map.tools.measureHint')}>
                <Button
                  size="xs"
                  variant={measuring ? 'filled' : 'default'}
                  leftSection={<IconRuler2 size={14} />}
                  onClick={toggleMeasure}
                  data-testid="map-measure"
                >
                  {t('map.tools.measure')}
                </Button>
              </Tooltip>
            </Group>
            {(measuring || measurePath.length > 0) && (
              <Group gap={6} justify="space-between" data-testid="map-measure-result">
                <Text size="sm">{t('map.tools.measureTotal', { distance: formatDistance(measured) })}</Text>
                <ActionIcon size="sm" variant="subtle" onClick={() => setMeasurePath([])} aria-label={t('map.tools.measureClear')}>
                  <IconX size={14} />
                </ActionIcon>
              </Group>
            )}
            {measuring && (
              <Text size="xs" c="dimmed">
                {t('map.tools.measureHint')}
              </Text>
            )}

            <BasemapPanel active={data.basemaps.active} basemaps={data.basemaps.basemaps} />

            <Paper withBorder p="xs" className="map-layers">
              <Text size="xs" c="dimmed" mb={4}>
                {t('map.layers.title')}
              </Text>
              <Stack gap={6}>
                {LAYER_KEYS.map((key) => (
                  <Switch
                    key={key}
                    size="xs"
                    label={t(`map.layers.${key}`)}
                    checked={layers[key]}
                    onChange={(e) => {
                      const checked = e.currentTarget.checked;
                      setLayers((current) => ({ ...current, [key]: checked }));
                    }}
                    data-testid={`layer-${key}`}
                  />
                ))}
              </Stack>
              <Group gap={8} mt={8} className="map-legend">
                {(Object.entries(STATUS_HEX) as [string, string][]).map(([status, color]) => (
                  <Group gap={4} key={status} wrap="nowrap">
                    <span className="legend-dot" style={{ background: color }} />
                    <Text size="xs">{t(`status.${status}`)}</Text>
                  </Group>
                ))}
                <Group gap={4} wrap="nowrap">
                  <span className="legend-dot" style={{ background: 'transparent', border: `2px solid ${OVERDUE_HEX}` }} />
                  <Text size="xs">{t('map.legend.overdue')}</Text>
                </Group>
              </Group>
              {layers.cameras && (
                <Group gap={8} mt={6} className="map-legend" data-testid="map-camera-legend">
                  <Text size="xs" c="dimmed">
                    {t('map.legend.cameras')}
                  </Text>
                  {(Object.entries(CAMERA_HEALTH_HEX) as [CameraMapHealth, string][]).map(([state, color]) => (
                    <Group gap={4} key={state} wrap="nowrap">
                      <span className="map-camera-dot" style={{ background: color }} />
                      <Text size="xs">{t(`map.legend.camera.${state}`)}</Text>
                    </Group>
                  ))}
                </Group>
              )}
              <Text size="xs" c="dimmed" mt={6} data-testid="map-point-count">
                {t('map.points', { count: clusters.total })}
                {t('map.noLocation')}
              </Text>
            </Paper>

            {selectedGrid && (
              <GridCard
                gridId={selectedGrid}
                from={period.from}
                to={period.to}
                cameras={gridCameras}
                health={health}
                onOpenCamera={openCamera}
                onClose={() => setSelectedGrid(null)}
              />
            )}

            <Group gap={6}>
              <Button size="xs" variant="default" leftSection={<IconUpload size={14} />} onClick={() => setImportOpen(true)} data-testid="grid-import-open">
                {t('map.tools.importGrids')}
              </Button>
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} data-testid="map-export">
                    {t('map.tools.export')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{t('map.crs.label')}</Menu.Label>
                  <SegmentedControl
                    size="xs"
                    m={4}
                    value={exportCrs}
                    onChange={(v) => setExportCrs(v as CoordinateSystem)}
                    data={COORDINATE_SYSTEMS.map((c) => ({ value: c, label: c.toUpperCase() }))}
                  />
                  <Menu.Item onClick={() => exportGeoJson('incidents')} data-testid="export-incidents">
                    {t('map.tools.exportIncidents')}
                  </Menu.Item>
                  <Menu.Item onClick={() => exportGeoJson('grids')} data-testid="export-grids">
                    {t('map.tools.exportGrids')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
            <Text size="xs" c="dimmed">
              <Kbd size="xs">F</Kbd> {t('map.tools.fit')} · <Kbd size="xs">M</Kbd> {t('map.tools.measure')}
            </Text>
          </Stack>
        </aside>
      </div>
      <GridImportModal opened={importOpen} onClose={() => setImportOpen(false)} />
    </div>
  );
}

import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';
import { INCIDENT_STATUSES, basemapTileTemplate, type BasemapInfo, type Grid, type GridLoad, type Position } from '@shared';
import { CAMERA_HEALTH_HEX, type CameraMapHealth } from './camera-features';

/** Guishan Island, its northern part and Zhongxin Zhou (中心洲), with room around them ([w, s, e, n], WGS84). */
export const ISLAND_BOUNDS: [number, number, number, number] = [113.788, 22.116, 113.838, 22.18];

/** Chinese labels are drawn from the system's own CJK fonts: no glyph files are shipped or fetched. */
export const LOCAL_IDEOGRAPH_FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/** Map colours for the dark monitoring room; statuses follow the list's badges. */
export const STATUS_HEX: Record<(typeof INCIDENT_STATUSES)[number], string> = {
  reported: '#4dabf7',
  dispatched: '#3bc9db',
  in_progress: '#fcc419',
  feedback_submitted: '#9775fa',
  closed: '#38d9a9',
};
export const OVERDUE_HEX = '#ff4d4f';

export interface IncidentPointProps {
  id: string;
  /** Index into INCIDENT_STATUSES. */
  s: number;
  /** Priority 1 (urgent) … 4. */
  p: number;
  /** 1 when overdue. */
  o: number;
}

export type IncidentPoints = FeatureCollection<Point, IncidentPointProps>;

/** A cluster made in core (MapLibre's own property names, so the layers read the same). */
export interface IncidentClusterProps {
  cluster: true;
  cluster_id: number;
  point_count: number;
  point_count_abbreviated: string;
  overdue: number;
  /** The zoom at which the cluster splits: a click zooms there. */
  expansion_zoom: number;
}
/** What the `incidents` source holds: the clusters and single incidents of the current view. */
export type IncidentFeatures = FeatureCollection<Point, IncidentPointProps | IncidentClusterProps>;
export interface GridProps {
  id: string;
  code: string;
  name: string;
  open: number;
  overdue: number;
  demo: boolean;
}
export type GridFeatures = FeatureCollection<Polygon | MultiPolygon, GridProps>;
export type GridLabels = FeatureCollection<Point, { label: string }>;

/** Area-weighted centroid of a ring, and its area (shoelace), in degrees. */
function ringCentroid(ring: readonly Position[]): { x: number; y: number; area: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]!;
    const [x1, y1] = ring[i]!;
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (area === 0) return { x: ring[0]![0], y: ring[0]![1], area: 0 };
  return { x: cx / (3 * area), y: cy / (3 * area), area: Math.abs(area / 2) };
}

/** One label per grid, at the centre of its largest part (a polygon label would repeat on every part). */
export function gridLabels(grids: readonly Grid[], label: (grid: Grid) => string): GridLabels {
  return {
    type: 'FeatureCollection',
    features: grids.map((grid) => {
      const best = grid.polygons.map((polygon) => ringCentroid(polygon[0] ?? [])).reduce((a, b) => (b.area > a.area ? b : a));
      return { type: 'Feature', properties: { label: label(grid) }, geometry: { type: 'Point', coordinates: [best.x, best.y] } };
    }),
  };
}

export function gridFeatures(grids: readonly Grid[], loads: readonly GridLoad[]): GridFeatures {
  const byGrid = new Map(loads.map((l) => [l.gridId, l]));
  return {
    type: 'FeatureCollection',
    features: grids.map((grid, i) => {
      const load = byGrid.get(grid.id);
      const open = load?.open ?? 0;
      const overdue = load?.overdue ?? 0;
      return {
        type: 'Feature',
        // Numeric ids let feature-state (hover) address a grid.
        id: i + 1,
        properties: {
          id: grid.id,
          code: grid.code,
          name: grid.name,
          open,
          overdue,
          demo: grid.demo,
        },
        geometry:
          grid.polygons.length === 1
            ? { type: 'Polygon', coordinates: grid.polygons[0]! }
            : { type: 'MultiPolygon', coordinates: grid.polygons },
      };
    }),
  };
}

const statusColor: ExpressionSpecification = [
  'match',
  ['get', 's'],
  ...INCIDENT_STATUSES.flatMap((status, i) => [i, STATUS_HEX[status]] as [number, string]),
  '#adb5bd',
] as unknown as ExpressionSpecification;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * The style: sea, land from the coastline, the grids and their labels when they are known, and
 * empty sources the view fills. Data given here loads with the style, in one go: every source set
 * later costs the map more redraws before it is complete.
 */
export function mapStyle(coastline: FeatureCollection, grids: FeatureCollection = EMPTY, labels: FeatureCollection = EMPTY): StyleSpecification {
  return {
    version: 8,
    // No `glyphs`: MapLibre draws every label locally (CJK through localIdeographFontFamily).
    sources: {
      coast: { type: 'geojson', data: coastline },
      grids: { type: 'geojson', data: grids },
      'grid-labels': { type: 'geojson', data: labels },
      // Clustered in core (map.clusters): only the view's clusters and single incidents are here.
      incidents: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      // The same points unclustered, for the heatmap.
      heat: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      // The registry's located cameras: points and view cones (camera-features.ts); tens to hundreds.
      cameras: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      measure: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#0b1620' } },
      { id: 'land', type: 'fill', source: 'coast', paint: { 'fill-color': '#1c2833' } },
      { id: 'coastline', type: 'line', source: 'coast', paint: { 'line-color': '#3d5a70', 'line-width': 1.2 } },
      {
        id: 'island-names',
        type: 'symbol',
        source: 'coast',
        filter: ['has', 'name'],
        // Island names for the overview; from the zoom where grid labels appear, those name the land.
        maxzoom: 12.5,
        layout: { 'text-field': ['get', 'name'], 'text-size': 12 },
        paint: { 'text-color': '#6f8799', 'text-halo-color': '#0b1620', 'text-halo-width': 1 },
      },
      ...gridLayers(),
      // Cones lie under the incidents (a cone covers a whole quay); camera points and names above them.
      ...cameraConeLayers(),
      ...incidentLayers(),
      ...cameraPointLayers(),
      {
        id: 'measure-line',
        type: 'line',
        source: 'measure',
        filter: ['==', ['geometry-type'], 'LineString'],
        paint: { 'line-color': '#ffd43b', 'line-width': 2, 'line-dasharray': [2, 1] },
      },
      {
        id: 'measure-points',
        type: 'circle',
        source: 'measure',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 4, 'circle-color': '#ffd43b', 'circle-stroke-color': '#0b1620', 'circle-stroke-width': 1 },
      },
    ],
  };
}

function gridLayers(): LayerSpecification[] {
  return [
    {
      id: 'grid-fill',
      type: 'fill',
      source: 'grids',
      paint: {
        // Choropleth: open incidents; any overdue pushes the grid towards red.
        'fill-color': [
          'case',
          ['>', ['get', 'overdue'], 0],
          ['interpolate', ['linear'], ['get', 'overdue'], 1, '#7a2a1f', 10, '#c92a2a'],
          ['interpolate', ['linear'], ['get', 'open'], 0, '#1f3b4d', 5, '#2b6a8a', 20, '#e67700'],
        ],
        'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.75, 0.5],
      },
    },
    {
      id: 'grid-line',
      type: 'line',
      source: 'grids',
      paint: { 'line-color': '#8fb3c9', 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 1], 'line-opacity': 0.9 },
    },
    {
      id: 'grid-label',
      type: 'symbol',
      source: 'grid-labels',
      minzoom: 12.5,
      layout: { 'text-field': ['get', 'label'], 'text-size': 11, 'text-max-width': 9 },
      paint: { 'text-color': '#dbe7ef', 'text-halo-color': '#0b1620', 'text-halo-width': 1.2 },
    },
  ];
}

function incidentLayers(): LayerSpecification[] {
  return [
    {
      id: 'incident-heat',
      type: 'heatmap',
      source: 'heat',
      layout: { visibility: 'none' },
      paint: {
        // Demo-sized data saturates quickly: a light weight per incident, urgent ones count more.
        'heatmap-weight': ['interpolate', ['linear'], ['get', 'p'], 1, 0.35, 4, 0.1],
        'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 16, 0.8],
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 10, 16, 30],
        'heatmap-opacity': 0.75,
      },
    },
    {
      id: 'incident-clusters',
      type: 'circle',
      source: 'incidents',
      filter: ['has', 'point_count'],
      paint: {
        // A cluster holding any overdue incident is red.
        'circle-color': ['case', ['>', ['get', 'overdue'], 0], '#a61e4d', '#1971c2'],
        'circle-radius': ['step', ['get', 'point_count'], 13, 10, 17, 100, 22, 1000, 28],
        'circle-stroke-color': '#e9ecef',
        'circle-stroke-width': 1.5,
        'circle-opacity': 0.9,
      },
    },
    {
      id: 'incident-cluster-count',
      type: 'symbol',
      source: 'incidents',
      filter: ['has', 'point_count'],
      // Always drawn, and never pushes a grid's label off the map.
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-size': 12, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: 'incident-points',
      type: 'circle',
      source: 'incidents',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': statusColor,
        // Priority 1 is the largest dot.
        'circle-radius': ['match', ['get', 'p'], 1, 8, 2, 6.5, 3, 5.5, 4.5],
        'circle-stroke-color': ['case', ['==', ['get', 'o'], 1], OVERDUE_HEX, '#0b1620'],
        'circle-stroke-width': ['case', ['==', ['get', 'o'], 1], 2.5, 1],
      },
    },
    {
      id: 'incident-selected',
      type: 'circle',
      source: 'incidents',
      filter: ['==', ['get', 'id'], ''],
      paint: { 'circle-radius': 14, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 },
    },
  ];
}

export const CLICKABLE_INCIDENT_LAYERS = ['incident-clusters', 'incident-points'];

const cameraColor: ExpressionSpecification = [
  'match',
  ['get', 'h'],
  ...(Object.entries(CAMERA_HEALTH_HEX) as [CameraMapHealth, string][]).flat(),
  CAMERA_HEALTH_HEX.unknown,
] as unknown as ExpressionSpecification;

function cameraConeLayers(): LayerSpecification[] {
  const cones: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];
  return [
    {
      id: 'camera-cone-fill',
      type: 'fill',
      source: 'cameras',
      filter: cones,
      // Faint, so the grid colours under a cone still read.
      paint: { 'fill-color': cameraColor, 'fill-opacity': ['case', ['==', ['get', 'h'], 'disabled'], 0.12, 0.22] },
    },
    {
      id: 'camera-cone-line',
      type: 'line',
      source: 'cameras',
      filter: cones,
      paint: { 'line-color': cameraColor, 'line-width': 1, 'line-opacity': 0.7 },
    },
  ];
}

function cameraPointLayers(): LayerSpecification[] {
  const points: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
  return [
    {
      id: 'camera-points',
      type: 'circle',
      source: 'cameras',
      filter: points,
      // A white ring tells a camera from an incident dot (those have a dark or red ring).
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 5, 16, 7.5],
        'circle-color': cameraColor,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      // A dark lens in the middle: a camera reads as a camera next to the (plain) incident dots.
      id: 'camera-lens',
      type: 'circle',
      source: 'cameras',
      filter: points,
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 1.5, 16, 2.5], 'circle-color': '#0b1620' },
    },
    {
      id: 'camera-label',
      type: 'symbol',
      source: 'cameras',
      filter: points,
      // Names only close up: at island zoom six names on one quay would hide each other and the grids.
      minzoom: 15,
      layout: { 'text-field': ['get', 'name'], 'text-size': 11, 'text-anchor': 'top', 'text-offset': [0, 0.9], 'text-optional': true },
      paint: { 'text-color': '#e9ecef', 'text-halo-color': '#0b1620', 'text-halo-width': 1.2 },
    },
  ];
}

/** What a click or hover on the map finds as a camera (its cone is not a target: it covers too much). */
export const CLICKABLE_CAMERA_LAYERS = ['camera-points'];

/** The built-in basemap's layers; hidden while a loaded basemap shows. */
export const BUILTIN_LAYERS = ['land', 'coastline', 'island-names'];
export const USER_BASEMAP_SOURCE = 'user-basemap';
/** Loaded basemaps draw below everything of ours. */
export const USER_BASEMAP_BEFORE = 'land';

/** Tiles come from core through the `basemap://` protocol (MapView registers it). */
export const basemapTileUrl = (info: BasemapInfo) => basemapTileTemplate(info.id, info.format);

export function userBasemapSource(info: BasemapInfo): SourceSpecification {
  const common = {
    tiles: [basemapTileUrl(info)],
    minzoom: info.minZoom,
    maxzoom: info.maxZoom,
    attribution: info.attribution || info.name,
    ...(info.bounds ? { bounds: info.bounds } : {}),
  };
  return info.format === 'pbf' ? { type: 'vector', ...common } : { type: 'raster', tileSize: 256, ...common };
}

/**
 * A town's own vector basemap has its own schema: every layer it lists is drawn plainly by
 * geometry (areas, lines, points), so any file shows without a style written for it.
 */
export function userBasemapLayers(info: BasemapInfo): LayerSpecification[] {
  if (info.format !== 'pbf') return [{ id: 'user-basemap-raster', type: 'raster', source: USER_BASEMAP_SOURCE, paint: { 'raster-opacity': 0.9 } }];
  return info.vectorLayers.flatMap((layer, i): LayerSpecification[] => [
    {
      id: `user-basemap-${i}-fill`,
      type: 'fill',
      source: USER_BASEMAP_SOURCE,
      'source-layer': layer,
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#1c2833', 'fill-outline-color': '#2f4a5d' },
    },
    {
      id: `user-basemap-${i}-line`,
      type: 'line',
      source: USER_BASEMAP_SOURCE,
      'source-layer': layer,
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#4a6a80', 'line-width': 1 },
    },
    {
      id: `user-basemap-${i}-point`,
      type: 'circle',
      source: USER_BASEMAP_SOURCE,
      'source-layer': layer,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 2, 'circle-color': '#5c7c91' },
    },
  ]);
}

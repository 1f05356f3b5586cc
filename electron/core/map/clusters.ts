import Supercluster from 'supercluster';
import { MAP_CLUSTER, type CommandOutput } from '@shared';

/** One located incident as the map draws it. */
export interface MapPoint {
  id: string;
  lon: number;
  lat: number;
  /** Index into INCIDENT_STATUSES. */
  s: number;
  p: number;
  /** 1 when overdue at the time the index was built. */
  o: number;
}

interface ClusterProps {
  overdue: number;
}

type Index = Supercluster<MapPoint, ClusterProps>;
type Clusters = CommandOutput<'map.clusters'>;

/**
 * Overdue is a matter of time: an index older than this is rebuilt even when nothing changed, so a
 * deadline that passed shows within a minute (the list computes it per query).
 */
export const CLUSTER_INDEX_MAX_AGE_MS = 60_000;

/**
 * The map's incidents clustered in core: one supercluster index per filter, built on the first
 * query after a change (or once it is a minute old) and then queried per view — a pan or zoom
 * costs a bounding-box lookup and sends only what is visible, never every point.
 */
export class IncidentClusterIndex<Filter> {
  private cached: { key: string; version: number; builtAt: number; index: Index; total: number } | null = null;
  private version = 0;

  constructor(private readonly load: (filter: Filter, at: number) => MapPoint[]) {}

  /** Any incident or grid changed: the next query rebuilds. */
  invalidate(): void {
    this.version++;
    this.cached = null;
  }

  query(filter: Filter, bbox: readonly [number, number, number, number], zoom: number, at: number): Clusters {
    const { index, total } = this.index(filter, at);
    const level = Math.max(0, Math.min(Math.floor(zoom), MAP_CLUSTER.maxZoom + 1));
    const out: Clusters = {
      total,
      zoom: level,
      clusters: { ids: [], lon: [], lat: [], count: [], overdue: [], expansionZoom: [] },
      points: { ids: [], lon: [], lat: [], status: [], priority: [], overdue: [] },
      now: at,
    };
    for (const feature of index.getClusters([bbox[0], bbox[1], bbox[2], bbox[3]], level)) {
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      const props = feature.properties;
      if ('cluster' in props && props.cluster) {
        out.clusters.ids.push(props.cluster_id);
        out.clusters.lon.push(lon);
        out.clusters.lat.push(lat);
        out.clusters.count.push(props.point_count);
        out.clusters.overdue.push(props.overdue);
        out.clusters.expansionZoom.push(Math.min(index.getClusterExpansionZoom(props.cluster_id), MAP_CLUSTER.maxZoom + 1));
      } else {
        // The stored location, not the index's (projected there and back, it is off in the last digits).
        const point = props as MapPoint;
        out.points.ids.push(point.id);
        out.points.lon.push(point.lon);
        out.points.lat.push(point.lat);
        out.points.status.push(point.s);
        out.points.priority.push(point.p);
        out.points.overdue.push(point.o);
      }
    }
    return out;
  }

  private index(filter: Filter, at: number): { index: Index; total: number } {
    // The parsed filter (zod output: a fixed key order) is its own key.
    const filterKey = JSON.stringify(filter);
    const cached = this.cached;
    if (cached && cached.key === filterKey && cached.version === this.version && at >= cached.builtAt && at - cached.builtAt < CLUSTER_INDEX_MAX_AGE_MS) return cached;
    const points = this.load(filter, at);
    const index: Index = new Supercluster<MapPoint, ClusterProps>({
      radius: MAP_CLUSTER.radius,
      maxZoom: MAP_CLUSTER.maxZoom,
      map: (p) => ({ overdue: p.o }),
      reduce: (acc, p) => {
        acc.overdue += p.overdue;
      },
    });
    index.load(points.map((p) => ({ type: 'Feature', properties: p, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })));
    this.cached = { key: filterKey, version: this.version, builtAt: at, index, total: points.length };
    return this.cached;
  }
}

import { INCIDENT_STATUSES, type CommandOutput } from '@shared';
import type { IncidentFeatures } from './map-style';

type Clusters = CommandOutput<'map.clusters'>;

/** As MapLibre abbreviates its own cluster counts: 1.2k, 12k. */
export function abbreviateCount(count: number): string {
  if (count >= 10_000) return `${Math.round(count / 1000)}k`;
  if (count >= 1000) return `${Math.round(count / 100) / 10}k`;
  return String(count);
}

/** Core's answer as the features of the map's `incidents` source (the properties the layers read). */
export function clusterFeatures(data: Clusters): IncidentFeatures {
  const features: IncidentFeatures['features'] = [];
  const c = data.clusters;
  for (let i = 0; i < c.ids.length; i++) {
    features.push({
      type: 'Feature',
      properties: {
        cluster: true,
        cluster_id: c.ids[i]!,
        point_count: c.count[i]!,
        point_count_abbreviated: abbreviateCount(c.count[i]!),
        overdue: c.overdue[i]!,
        expansion_zoom: c.expansionZoom[i]!,
      },
      geometry: { type: 'Point', coordinates: [c.lon[i]!, c.lat[i]!] },
    });
  }
  const p = data.points;
  for (let i = 0; i < p.ids.length; i++) {
    if (p.status[i]! < 0 || p.status[i]! >= INCIDENT_STATUSES.length) throw new Error('unknown status index from core');
    features.push({
      type: 'Feature',
      properties: { id: p.ids[i]!, s: p.status[i]!, p: p.priority[i]!, o: p.overdue[i]! },
      geometry: { type: 'Point', coordinates: [p.lon[i]!, p.lat[i]!] },
    });
  }
  return { type: 'FeatureCollection', features };
}

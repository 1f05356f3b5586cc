import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { destinationPoint, type Camera, type CameraHealth, type Position } from '@shared';

/**
 * How far a view cone reaches: what a town's fixed camera shows in useful detail (a face, a boat's
 * number) is a street or a stretch of quay, not the horizon.
 */
export const VIEW_CONE_RADIUS_M = 150;
/** A camera registered with a heading but no field of view: a typical fixed lens (4 mm on 1/3″). */
export const DEFAULT_FIELD_OF_VIEW = 60;
/** Arc points every this many degrees: smooth at street zoom, a handful of vertices per camera. */
const ARC_STEP_DEG = 5;

/** What the map says about a camera: its subscription answers, does not, not known yet, or switched off. */
export type CameraMapHealth = 'online' | 'offline' | 'unknown' | 'disabled';

/** Online green and offline red as in the wall's health list; unknown and disabled grey, disabled darker. */
export const CAMERA_HEALTH_HEX: Record<CameraMapHealth, string> = {
  online: '#37b24d',
  offline: '#f03e3e',
  unknown: '#adb5bd',
  disabled: '#5c5f66',
};

export function cameraMapHealth(camera: Pick<Camera, 'enabled'>, health: CameraHealth | undefined): CameraMapHealth {
  if (!camera.enabled) return 'disabled';
  if (health?.online === true) return 'online';
  if (health?.online === false) return 'offline';
  return 'unknown';
}

/**
 * A camera's view as a closed polygon ring: apex at the camera, an arc of `fieldOfView` degrees
 * centred on `heading` (0 = north, clockwise) at `radius` metres. 360° or more is a full circle
 * (a dome camera that sees all round) with no apex.
 */
export function viewConeRing(origin: Position, heading: number, fieldOfView: number, radius = VIEW_CONE_RADIUS_M): Position[] {
  if (fieldOfView >= 360) {
    const ring: Position[] = [];
    for (let bearing = 0; bearing < 360; bearing += ARC_STEP_DEG) ring.push(destinationPoint(origin, bearing, radius));
    ring.push(ring[0]!);
    return ring;
  }
  const start = heading - fieldOfView / 2;
  // At least two arc segments, so even a narrow (telephoto) cone has a rounded end.
  const steps = Math.max(2, Math.ceil(fieldOfView / ARC_STEP_DEG));
  const ring: Position[] = [origin];
  for (let i = 0; i <= steps; i++) ring.push(destinationPoint(origin, start + (fieldOfView * i) / steps, radius));
  ring.push(origin);
  return ring;
}

export interface CameraFeatureProps {
  id: string;
  name: string;
  /** Health for the colour (CameraMapHealth). */
  h: CameraMapHealth;
}
export type CameraFeatures = FeatureCollection<Point | Polygon, CameraFeatureProps>;

/**
 * The camera layer's one source: a point per located camera, and its view cone when it has a
 * heading (without one, where it looks is unknown, so nothing is drawn).
 */
export function cameraFeatures(cameras: readonly Camera[], health: ReadonlyMap<string, CameraHealth>): CameraFeatures {
  const cones: Feature<Polygon, CameraFeatureProps>[] = [];
  const points: Feature<Point, CameraFeatureProps>[] = [];
  for (const camera of cameras) {
    if (!camera.location) continue;
    const origin: Position = [camera.location.lon, camera.location.lat];
    const properties: CameraFeatureProps = { id: camera.id, name: camera.name, h: cameraMapHealth(camera, health.get(camera.id)) };
    if (camera.heading !== null) {
      const ring = viewConeRing(origin, camera.heading, camera.fieldOfView ?? DEFAULT_FIELD_OF_VIEW);
      cones.push({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [ring] } });
    }
    points.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: origin } });
  }
  // Cones first: where they overlap a neighbour's point, the point stays on top.
  return { type: 'FeatureCollection', features: [...cones, ...points] };
}

import { describe, expect, it } from 'vitest';
import { distanceMeters, type Camera, type CameraHealth, type Position } from '@shared';
import { DEFAULT_FIELD_OF_VIEW, VIEW_CONE_RADIUS_M, cameraFeatures, cameraMapHealth, viewConeRing } from '../../../renderer/src/features/map/camera-features';

/** The Guishan wharf, where the demo's first camera stands. */
const WHARF: Position = [113.8248, 22.1352];

/** Bearing from a to b in degrees, 0 = north, clockwise (local flat approximation: fine over 150 m). */
function bearing(a: Position, b: Position): number {
  const dx = (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180);
  const dy = b[1] - a[1];
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

const camera = (over: Partial<Camera>): Camera => ({
  id: 'c1',
  name: '桂山码头东',
  url: 'http://127.0.0.1/onvif/device_service',
  username: 'demo',
  location: { lon: WHARF[0], lat: WHARF[1] },
  heading: 90,
  fieldOfView: 60,
  grid: 'GS-01',
  tags: [],
  enabled: true,
  armed: true,
  armSchedule: null,
  allowBasicOverHttp: false,
  device: { manufacturer: '', model: '', firmwareVersion: '', serialNumber: '' },
  profiles: [],
  hasPtz: false,
  clockOffsetMs: 0,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

describe('view cone', () => {
  it('is a closed ring from the camera out to the radius and back', () => {
    const ring = viewConeRing(WHARF, 90, 60);
    expect(ring[0]).toEqual(WHARF);
    expect(ring[ring.length - 1]).toEqual(WHARF);
    for (const point of ring.slice(1, -1)) expect(distanceMeters(WHARF, point)).toBeCloseTo(VIEW_CONE_RADIUS_M, 3);
  });

  it('measures its radius in metres at this latitude, not in degrees', () => {
    // 150 m east at 22.1° N is further in longitude than 150 m north is in latitude.
    const east = viewConeRing(WHARF, 90, 2, 150);
    const north = viewConeRing(WHARF, 0, 2, 150);
    const dLon = Math.abs(east[2]![0] - WHARF[0]);
    const dLat = Math.abs(north[2]![1] - WHARF[1]);
    expect(dLon / dLat).toBeCloseTo(1 / Math.cos((WHARF[1] * Math.PI) / 180), 2);
    expect(distanceMeters(WHARF, east[2]!)).toBeCloseTo(150, 3);
    expect(distanceMeters(WHARF, north[2]!)).toBeCloseTo(150, 3);
  });

  it('points north at heading 0 and turns clockwise: 90 is east', () => {
    const north = viewConeRing(WHARF, 0, 60);
    const middle = north[Math.floor(north.length / 2)]!;
    expect(middle[1]).toBeGreaterThan(WHARF[1]);
    expect(bearing(WHARF, middle)).toBeCloseTo(0, 0);
    const east = viewConeRing(WHARF, 90, 60);
    expect(bearing(WHARF, east[Math.floor(east.length / 2)]!)).toBeCloseTo(90, 0);
  });

  it('has its edges at heading ± half the field of view, drawn clockwise', () => {
    const ring = viewConeRing(WHARF, 250, 60);
    const first = ring[1]!;
    const last = ring[ring.length - 2]!;
    expect(bearing(WHARF, first)).toBeCloseTo(220, 0);
    expect(bearing(WHARF, last)).toBeCloseTo(280, 0);
    // Each arc point is a little further clockwise than the one before.
    const arc = ring.slice(1, -1).map((p) => bearing(WHARF, p));
    for (let i = 1; i < arc.length; i++) expect(arc[i]! - arc[i - 1]!).toBeGreaterThan(0);
  });

  it('wraps through north (heading 350, 40° wide: 330° to 10°)', () => {
    const ring = viewConeRing(WHARF, 350, 40);
    expect(bearing(WHARF, ring[1]!)).toBeCloseTo(330, 0);
    expect(bearing(WHARF, ring[ring.length - 2]!)).toBeCloseTo(10, 0);
  });

  it('draws a full circle without an apex at 360°, and a rounded end on a narrow lens', () => {
    const circle = viewConeRing(WHARF, 0, 360);
    expect(circle[0]).toEqual(circle[circle.length - 1]);
    expect(circle).not.toContainEqual(WHARF);
    for (const point of circle) expect(distanceMeters(WHARF, point)).toBeCloseTo(VIEW_CONE_RADIUS_M, 3);
    expect(viewConeRing(WHARF, 0, 3).length).toBeGreaterThanOrEqual(5);
  });
});

describe('camera layer features', () => {
  it('gives each located camera a point, and a cone only when it has a heading', () => {
    const features = cameraFeatures(
      [camera({ id: 'a' }), camera({ id: 'b', heading: null }), camera({ id: 'c', location: null }), camera({ id: 'd', fieldOfView: null })],
      new Map(),
    );
    const kinds = features.features.map((f) => `${f.properties.id}:${f.geometry.type}`);
    expect(kinds.sort()).toEqual(['a:Point', 'a:Polygon', 'b:Point', 'd:Point', 'd:Polygon']);
    // Cones come first, so points are drawn over neighbouring cones.
    expect(features.features.findIndex((f) => f.geometry.type === 'Point')).toBe(2);
    // No field of view registered: the default lens.
    const cone = features.features.find((f) => f.properties.id === 'd' && f.geometry.type === 'Polygon')!;
    const ring = (cone.geometry as GeoJSON.Polygon).coordinates[0] as Position[];
    expect(bearing(WHARF, ring[1]!)).toBeCloseTo(90 - DEFAULT_FIELD_OF_VIEW / 2, 0);
  });

  it('colours by health: online, offline, not known yet, disabled whatever its health', () => {
    const health = (online: boolean | null): CameraHealth => ({
      cameraId: 'c1',
      online,
      since: 1,
      lastAlarmAt: null,
      lastFrameAt: null,
      device: 'unknown',
      stream: 'not_watched',
      events: { state: 'unknown', answer: null, attempt: 0 },
    });
    expect(cameraMapHealth(camera({}), health(true))).toBe('online');
    expect(cameraMapHealth(camera({}), health(false))).toBe('offline');
    expect(cameraMapHealth(camera({}), health(null))).toBe('unknown');
    expect(cameraMapHealth(camera({}), undefined)).toBe('unknown');
    expect(cameraMapHealth(camera({ enabled: false }), health(true))).toBe('disabled');
    const features = cameraFeatures([camera({})], new Map([['c1', health(false)]]));
    expect(features.features.every((f) => f.properties.h === 'offline')).toBe(true);
  });
});

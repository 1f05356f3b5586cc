import { z } from 'zod';

/**
 * Coordinate systems a town meets: WGS84 from GPS and cameras, GCJ-02 from most Chinese web maps
 * (AMap, Tencent), BD-09 from Baidu. The store keeps WGS84 only; imports and exports convert.
 */
export const COORDINATE_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
export const CoordinateSystem = z.enum(COORDINATE_SYSTEMS);
export type CoordinateSystem = z.infer<typeof CoordinateSystem>;

/** [lon, lat] */
export type Position = [number, number];

// GCJ-02 is WGS84 offset by a published obfuscation on the Krasovsky ellipsoid.
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.006693421622965943;
const BD_X_PI = (Math.PI * 3000.0) / 180.0;

/** GCJ-02 only applies inside mainland China's rough bounding box; elsewhere it equals WGS84. */
export function outsideChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function offsetLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

export function wgs84ToGcj02([lon, lat]: Position): Position {
  if (outsideChina(lon, lat)) return [lon, lat];
  let dLat = offsetLat(lon - 105.0, lat - 35.0);
  let dLon = offsetLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/**
 * The inverse has no closed form: iterate (the usual one-step guess is off by up to ~1 m; a grid
 * border drawn on a GCJ-02 map must land on the same side of a house after the round trip).
 */
export function gcj02ToWgs84([lon, lat]: Position): Position {
  if (outsideChina(lon, lat)) return [lon, lat];
  let guess: Position = [lon, lat];
  for (let i = 0; i < 10; i++) {
    const [gLon, gLat] = wgs84ToGcj02(guess);
    const dLon = gLon - lon;
    const dLat = gLat - lat;
    guess = [guess[0] - dLon, guess[1] - dLat];
    if (Math.abs(dLon) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return guess;
}

export function gcj02ToBd09([lon, lat]: Position): Position {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * BD_X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * BD_X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

export function bd09ToGcj02([lon, lat]: Position): Position {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * BD_X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * BD_X_PI);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

/** Into WGS84, from the system the file was drawn in. */
export function toWgs84(position: Position, from: CoordinateSystem): Position {
  switch (from) {
    case 'wgs84':
      return [position[0], position[1]];
    case 'gcj02':
      return gcj02ToWgs84(position);
    case 'bd09':
      return gcj02ToWgs84(bd09ToGcj02(position));
  }
}

/** Out of WGS84, into the system an export asks for. */
export function fromWgs84(position: Position, to: CoordinateSystem): Position {
  switch (to) {
    case 'wgs84':
      return [position[0], position[1]];
    case 'gcj02':
      return wgs84ToGcj02(position);
    case 'bd09':
      return gcj02ToBd09(wgs84ToGcj02(position));
  }
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine); the measuring tool sums it along a path. */
export function distanceMeters(a: Position, b: Position): number {
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The point `distance` metres from `origin` along the initial bearing `bearingDeg` (0 = north,
 * clockwise), on the same sphere as distanceMeters: a camera's view cone is drawn with it.
 */
export function destinationPoint(origin: Position, bearingDeg: number, distance: number): Position {
  const toRad = Math.PI / 180;
  const angular = distance / EARTH_RADIUS_M;
  const bearing = bearingDeg * toRad;
  const lat1 = origin[1] * toRad;
  const lon1 = origin[0] * toRad;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(angular) + Math.cos(lat1) * Math.sin(angular) * Math.cos(bearing));
  const lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(angular) * Math.cos(lat1), Math.cos(angular) - Math.sin(lat1) * Math.sin(lat2));
  return [lon2 / toRad, lat2 / toRad];
}

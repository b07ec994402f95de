/**
 * Distances on the sphere, computed in the application rather than in SQL: SQLite has no
 * trigonometric functions by default and the three databases disagree on spatial types, so the
 * database does the cheap indexed part (a latitude/longitude box) and this module the exact part.
 */
export const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

export interface Point {
  latitude: number;
  longitude: number;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: Point, b: Point): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Box {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/**
 * The smallest latitude/longitude box containing every point within `radiusKm` of `center`, widened
 * by a hair so that points exactly on the circle survive the prefilter's rounding.
 */
export function boundingBox(center: Point, radiusKm: number): Box {
  const angular = radiusKm / EARTH_RADIUS_KM;
  const dLat = deg(angular) * 1.000001 + 1e-7;
  const cosLat = Math.cos(rad(center.latitude));
  // sin r ≥ cos φ means the circle reaches a pole, and then it holds points of every longitude.
  const sinRatio = Math.sin(angular) / cosLat;
  const allLongitudes = angular >= Math.PI / 2 || cosLat < 1e-6 || sinRatio >= 1;
  const dLng = allLongitudes ? 0 : deg(Math.asin(sinRatio)) * 1.000001 + 1e-7;
  return {
    minLat: Math.max(-90, center.latitude - dLat),
    maxLat: Math.min(90, center.latitude + dLat),
    minLng: allLongitudes ? -180 : Math.max(-180, center.longitude - dLng),
    maxLng: allLongitudes ? 180 : Math.min(180, center.longitude + dLng),
  };
}

/**
 * Whether a computed distance lies within a radius. A point exactly on the circle can come out a
 * few ulps beyond it (around 1e-12 km); a micrometre of slack keeps it in, far below the centimetre
 * that seven-decimal coordinates resolve.
 */
export const withinKm = (km: number, radiusKm: number) => km <= radiusKm + 1e-9;

/** Rounds a distance for display (metres precision). */
export const roundKm = (km: number) => Math.round(km * 1000) / 1000;

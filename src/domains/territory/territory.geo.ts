/**
 * Distances and travel-time estimates. Deliberately simple and stated on every page that shows them:
 * a straight line between two points on the sphere, then an ESTIMATED drive time. No route is computed
 * (that would need road data and a routing engine, and the app never calls a network service).
 */

/** Mean Earth radius in km (the IUGG mean radius), the usual choice for the haversine formula. */
export const EARTH_RADIUS_KM = 6371.0088;

/**
 * Roads are longer than the straight line. 1.3 is a round, assumed factor for country roads between villages and
 * cities; it is our assumption, not a measured value, and the page says so.
 */
export const ROAD_DETOUR_FACTOR = 1.3;

/** Assumed average speed over the whole trip (small roads, villages, a stretch of N124 or motorway), in km/h. */
export const AVERAGE_SPEED_KMH = 70;

export interface LatLon {
  lat: number;
  lon: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km (haversine formula). */
export function haversineKm(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated minutes by car for a straight-line distance: detour factor, then average speed, rounded. */
export function estimateDriveMinutes(straightKm: number): number {
  return Math.round(((straightKm * ROAD_DETOUR_FACTOR) / AVERAGE_SPEED_KMH) * 60);
}

/** One decimal, as stored (numeric(6,1)). */
export const roundKm = (km: number) => Math.round(km * 10) / 10;

/** The closest of `candidates` to `from`, or null when there is none. */
export function nearest<T extends LatLon>(from: LatLon, candidates: readonly T[]): { item: T; km: number } | null {
  let best: { item: T; km: number } | null = null;
  for (const item of candidates) {
    const km = haversineKm(from, item);
    if (!best || km < best.km) best = { item, km };
  }
  return best;
}

type Ring = [number, number][];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Point in polygon (even-odd rule, holes respected). Enough for assigning a commune to its canton. */
export function containsPoint(geometry: PolygonGeometry, point: LatLon): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some((rings) => inRing(point.lon, point.lat, rings[0]) && !rings.slice(1).some((hole) => inRing(point.lon, point.lat, hole)));
}

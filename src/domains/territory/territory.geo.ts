/**
 * Distances and travel-time estimates. Deliberately simple and stated on every page that shows them:
 * a straight line between two points on the sphere, then an ESTIMATED drive time by distance bands. No route is
 * computed here; the only network call is the optional routing server asked at import (territory.routing.ts).
 */

/** Mean Earth radius in km (the IUGG mean radius), the usual choice for the haversine formula. */
export const EARTH_RADIUS_KM = 6371.0088;

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

/**
 * The estimated drive time, by distance bands. A straight line is shorter than the road, and the road is slower
 * near its ends (village streets, the way out of a town, the ring road into Toulouse) than on the long stretches
 * (N124, motorway). So the straight-line distance is counted at a different speed in each band, and a trip never
 * takes less than a few minutes (getting to the car and parking). The speeds are "as the crow flies": they include
 * the detours of the road. They are our assumptions, set against trips known by road (Auch – Toulouse about
 * 65–70 min, L'Isle-Jourdain – Toulouse 35–40 min), not measurements, and the page says so with its error margin.
 * Where an OSRM routing server is configured, the import asks it for road times instead (territory.routing.ts).
 */
export interface DriveBand {
  /** Straight-line km from which this band applies (the first band starts at 0). */
  fromKm: number;
  /** Average speed over the straight-line km of this band, detours included, in km/h. */
  kmh: number;
}

export const DRIVE_BANDS: readonly DriveBand[] = [
  { fromKm: 0, kmh: 35 },
  { fromKm: 10, kmh: 55 },
  { fromKm: 30, kmh: 80 },
];

/** No trip between two distinct places is estimated under this many minutes. */
export const MIN_DRIVE_MINUTES = 5;

/** Below this straight-line distance the two places are the same place: no trip (the page says "here"). */
export const SAME_PLACE_KM = 0.5;

/** The error the page states for an estimate (± 20 %). */
export const DRIVE_ESTIMATE_ERROR = 0.2;

/** The method's figures, as the pages and the API state them. */
export const DRIVE_METHOD = {
  nearKm: DRIVE_BANDS[1].fromKm,
  nearKmh: DRIVE_BANDS[0].kmh,
  midKm: DRIVE_BANDS[2].fromKm,
  midKmh: DRIVE_BANDS[1].kmh,
  farKmh: DRIVE_BANDS[2].kmh,
  minMinutes: MIN_DRIVE_MINUTES,
  errorPercent: Math.round(DRIVE_ESTIMATE_ERROR * 100),
} as const;

/** Estimated minutes by car for a straight-line distance: each band at its speed, a minimum, rounded. */
export function estimateDriveMinutes(straightKm: number): number {
  if (straightKm < SAME_PLACE_KM) return 0;
  let hours = 0;
  DRIVE_BANDS.forEach((band, i) => {
    const end = DRIVE_BANDS[i + 1]?.fromKm ?? Infinity;
    const km = Math.max(0, Math.min(straightKm, end) - band.fromKm);
    hours += km / band.kmh;
  });
  return Math.max(MIN_DRIVE_MINUTES, Math.round(hours * 60));
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

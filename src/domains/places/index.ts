/**
 * The third places domain (tiers-lieux): curated by staff, shown on their own pages, on the map and on each
 * commune's profile. Other domains use only this file.
 *
 * For the commune profile ("third places nearby"), call
 *   listThirdPlacesNear(ctx, { lat: commune.lat, lon: commune.lon }, { limit: 5, maxKm: 50 })
 * It returns published places, closest first, each with `distanceKm` (straight line, one decimal) and
 * `locationApproximate` (true when the place is drawn at its commune's centre: say so next to the distance).
 */
export { placesRoutes } from './places.routes.js';
export { listThirdPlacesNear, listThirdPlacesForMap, searchPlaces, type NearbyThirdPlace } from './places.service.js';
export { seedThirdPlaces, loadDemoPrices, readSeedPlaces } from './places.seed.js';
export { SERVICES as THIRD_PLACE_SERVICES, type PlaceService } from './places.schemas.js';

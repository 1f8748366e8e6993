/**
 * The third places domain (tiers-lieux): curated by staff, shown on their own pages, on the map and on each
 * commune's profile. Other domains use only this file.
 *
 * For the commune profile ("third places nearby"), this module contributes to the territory's `nearbyPlacesPoint`:
 * published places, closest first, each with `distanceKm` (straight line, one decimal) and `locationApproximate`
 * (true when the place is drawn at its commune's centre: the page says so next to the distance).
 */
import type { DomainModule } from '../../module.js';
import { contribute } from '../../shared/extensions.js';
import { nearbyPlacesPoint } from '../territory/index.js';
import * as placesI18n from './places.i18n.js';
import { placesRoutes } from './places.routes.js';
import { placeSectionsPoint } from './places.sections.js';
import { loadDemoPrices, seedThirdPlaces } from './places.seed.js';
import { listThirdPlacesNear } from './places.service.js';

export { listThirdPlacesNear, listThirdPlacesForMap, listThirdPlaceChoices, searchPlaces, type NearbyThirdPlace, type ThirdPlaceChoice } from './places.service.js';
// Opening hours as the places store and type them: the bookings domain's resources use the same shape and editor.
export { WEEKDAYS, type Weekday, type TimeRange, parseWeekHours, dayHoursToInput, formatTime, weekdayName, isOpeningHours } from './places.hours.js';
export { placeSectionsPoint, type PlaceSectionKey } from './places.sections.js';
export { seedThirdPlaces, loadDemoPrices, readSeedPlaces } from './places.seed.js';
export { SERVICES as THIRD_PLACE_SERVICES, type PlaceService } from './places.schemas.js';

export const placesModule: DomainModule = {
  name: 'places',
  catalogues: [placesI18n],
  routes: (app, ctx) => placesRoutes(app, ctx, { sections: ctx.extensions.all(placeSectionsPoint) }),
  nav: {
    main: [{ href: '/tiers-lieux', key: 'site.nav.places', order: 30 }],
    admin: [{ href: '/admin/tiers-lieux', key: 'places.admin.nav', order: 60, roles: ['staff', 'admin', 'space_manager'] }],
  },
  // The third places shipped with the territory (real content), only while it has none.
  seed: async ({ db, territory, dataDir, now }) => ({ places: await seedThirdPlaces(db, territory.id, dataDir, now) }),
  // Example coworking prices on La Dynamo's page, labelled as an example there (real prices are unknown).
  demo: async (ctx) => {
    await loadDemoPrices(ctx.db, ctx.territory.id);
  },
  contributes: [contribute(nearbyPlacesPoint, (ctx) => (point) => listThirdPlacesNear(ctx, point, { limit: 5, maxKm: 40 }))],
};

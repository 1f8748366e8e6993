/**
 * The resources room: what can be booked at a third place and on which terms (hours, closures, steps, horizons,
 * prices, who may book). The back office edits them at /admin/reservations; the reservations room reads them
 * through this file only.
 */
export { resourcesRoutes } from './resources.routes.js';
export { holidayOn, holidaysOf, easterSunday, type HolidayKey } from './resources.holidays.js';
export {
  findActiveResource,
  listActiveResources,
  listChildIds,
  listClosures,
  createResource,
  addClosure,
  type Resource,
} from './resources.service.js';
export { RESOURCE_KINDS, AUDIENCE_RULES, type ResourceInput } from './resources.schemas.js';
export { ResourcePhoto, ResourcePrices } from './resources.views.js';

/**
 * The presence room: the space manager's daily list (arrivals, no-shows) and the month's occupancy per resource,
 * type and audience (chart, tables, CSV), from the one availability function's opening hours.
 */
export { presenceRoutes } from './presence.routes.js';
export { occupancyOf, openMinutes } from './presence.service.js';
export * as presenceI18n from './presence.i18n.js';

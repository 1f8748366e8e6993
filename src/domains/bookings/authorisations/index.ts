/**
 * The authorisations room: training kinds, the training sessions (events of the events domain) linked to them,
 * who passed, the authorisations with their expiry and lapse, and the gate the reservations room calls when a
 * machine behind a training is booked.
 */
export { authorisationsRoutes } from './authorisations.routes.js';
export { assertAuthorised, withNextSession, gateOf, listMyAuthorisations, exportAuthorisations, eraseAuthorisations, loadDemoTrainings, stateOf, addMonths, type Gate, type MyAuthorisation } from './authorisations.service.js';
export { GateNotice, MyAuthorisations } from './authorisations.views.js';
export * as authorisationsI18n from './authorisations.i18n.js';

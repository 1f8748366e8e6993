/** The staff room: the team's agenda under /admin/agenda. */
export { staffRoutes } from './staff.routes.js';
export {
  seedEventTypes,
  createEvent,
  updateEvent,
  duplicateEvent,
  publishEvent,
  cancelEvent,
  mailRegistrants,
  registrantsCsv,
  moveInLine,
  confirmByHand,
  decideRegistration,
  saveType,
  setTypeHidden,
  getEventForStaff,
  listEventsForStaff,
  publishSeries,
  updateSeriesFrom,
  extendSeriesNow,
  seriesJob,
} from './staff.service.js';
export { SERIES_EXTEND_JOB, scheduleSeriesExtend, getSeriesForStaff } from './series.service.js';
export * as staffI18n from './staff.i18n.js';
// For the proposals and imports rooms: an event's columns from the form's input, and a free slug.
export { valuesOf as eventValuesOf } from './staff.service.js';
export { freeSlug } from '../events.hosting.js';
// For the proposals room: the cover's form and its two actions, on the page of a member's proposal.
export { CoverSection, type CoverFormState } from './staff.views.js';
export { coverRoutes } from './cover.routes.js';

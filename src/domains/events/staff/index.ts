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
  saveType,
  setTypeHidden,
  getEventForStaff,
  listEventsForStaff,
} from './staff.service.js';
// For the proposals and imports rooms: an event's columns from the form's input, and a free slug.
export { valuesOf as eventValuesOf, freeSlug } from './staff.service.js';

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
} from './staff.service.js';

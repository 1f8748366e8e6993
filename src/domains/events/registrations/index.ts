/** The registrations room: registering, the mail link's page, the account's page, the waiting list's jobs. */
export { contactOf, registrationsRoutes } from './registrations.routes.js';
export {
  registerForEvent,
  requestVisitorRegistration,
  confirmVisitorRegistration,
  cancelByLink,
  cancelOwnRegistration,
  cancelRegistrationForEvent,
  claimOffer,
  lowerWaitingSeats,
  listMyRegistrations,
  renewMyFeed,
  revokeMyFeed,
  feedOwner,
  offerExpiryJob,
  offerSweepJob,
  scheduleOfferSweep,
  reminderJob,
  exportRegistrations,
  eraseRegistrations,
  type Contact,
  type Outcome,
} from './registrations.service.js';

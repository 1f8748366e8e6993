/**
 * The reservations room: availability, booking, confirmation, cancellation, the back office's bookings for someone
 * and blocks, the API, the jobs (release of visitors' holds, reminders) and the person's data.
 */
export { reservationsRoutes } from './reservations.routes.js';
export { reservationsApi } from './reservations.api.js';
export * as reservationsI18n from './reservations.i18n.js';
export { previewSeries, createSeries, cancelSeries, getSeries } from './reservations.series.js';
export { resourceFeed, personalFeed, renewMyBookingsFeed, revokeMyBookingsFeed } from './reservations.feeds.js';
export {
  RELEASE_HOLD_JOB,
  REMINDER_JOB,
  HOLD_MINUTES,
  releaseHoldJob,
  reminderJob,
  exportBookings,
  eraseBookings,
  bookForSomeone,
  bookResource,
  cancelBooking,
  holdForVisitor,
  confirmVisitorBooking,
  getAvailability,
  alternativesOf,
  scheduleHoldReleases,
  insertDemoBooking,
  rulesOf,
} from './reservations.service.js';
export { availability, checkRequest, wallInstant, type ResourceRules } from './reservations.availability.js';

/**
 * The appointments room: advisers' creator-support slots, booking them (visitors confirm by e-mail), outcomes and
 * notes (attached to the person's record through `appointmentRecordsPoint`), figures, mails and the person's data.
 */
export { appointmentsRoutes } from './appointments.routes.js';
export { appointmentRecordsPoint, type AppointmentRecords, type AppointmentNote } from './appointments.records.js';
export { exportAppointments, eraseAppointments, loadDemoAppointments, bookAppointment, recordOutcome, appointmentFeedEvents } from './appointments.service.js';
export * as appointmentsI18n from './appointments.i18n.js';

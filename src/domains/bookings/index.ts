/**
 * Bookings at the third places: desks of an open space, meeting rooms, the studio and machines, booked by the slot
 * (`/reservations`, `/compte/reservations`, `/admin/reservations`, `/api/v1/reservations/…`). Two rooms: `resources/`
 * (what can be booked and on which terms) and `reservations/` (availability, booking, cancellation, jobs, API).
 * Other domains use only this file.
 */
import type { DomainModule } from '../../module.js';
import { loadDemoBookings } from './bookings.demo.js';
import * as bookingsI18n from './bookings.i18n.js';
import {
  eraseBookings,
  exportBookings,
  RELEASE_HOLD_JOB,
  releaseHoldJob,
  REMINDER_JOB,
  reminderJob,
  reservationsApi,
  reservationsI18n,
  reservationsRoutes,
  scheduleHoldReleases,
} from './reservations/index.js';
import { resourcesRoutes } from './resources/index.js';
import { authorisationsI18n, authorisationsRoutes, eraseAuthorisations, exportAuthorisations } from './authorisations/index.js';
import { presenceI18n, presenceRoutes } from './presence/index.js';
import { appointmentFeedEvents, appointmentsI18n, appointmentsRoutes, eraseAppointments, exportAppointments } from './appointments/index.js';

export { canManageBookings } from './bookings.policy.js';
/** Where an adviser's note goes: the newcomers and members domains contribute their records here. */
export { appointmentRecordsPoint, type AppointmentRecords, type AppointmentNote } from './appointments/index.js';

const backOffice = ['staff', 'admin', 'space_manager'] as const;

export const bookingsModule: DomainModule = {
  name: 'bookings',
  catalogues: [bookingsI18n, reservationsI18n, authorisationsI18n, presenceI18n, appointmentsI18n],
  routes: async (app, ctx) => {
    await resourcesRoutes(app, ctx);
    // A person's calendar feed carries their appointments with an adviser too.
    await reservationsRoutes(app, ctx, { feedExtras: [appointmentFeedEvents] });
    await authorisationsRoutes(app, ctx);
    await presenceRoutes(app, ctx);
    await appointmentsRoutes(app, ctx);
  },
  api: reservationsApi,
  jobs: { [RELEASE_HOLD_JOB]: releaseHoldJob, [REMINDER_JOB]: reminderJob },
  schedules: [scheduleHoldReleases],
  nav: {
    main: [{ href: '/reservations', key: 'bookings.nav', order: 35 }],
    // In the header for the people who book for themselves; the team books from the back office. Appointments
    // (/rendez-vous, /compte/rendez-vous) are reached from the bookings list and the mails: the header stays short.
    account: [{ href: '/compte/reservations', key: 'bookings.nav.account', order: 20, roles: ['member', 'candidate', 'partner'] }],
    admin: [
      { href: '/admin/reservations', key: 'bookings.nav.admin', order: 65, roles: backOffice },
      { href: '/admin/reservations/presence', key: 'bookings.presence.nav', order: 66, roles: backOffice },
      { href: '/admin/reservations/occupation', key: 'bookings.presence.occupancyNav', order: 67, roles: backOffice },
      { href: '/admin/reservations/formations', key: 'bookings.gate.nav', order: 68, roles: backOffice },
      { href: '/admin/rendez-vous', key: 'bookings.appointments.nav.admin', order: 66, roles: ['staff', 'admin'] },
    ],
  },
  // After places (La Dynamo) and accounts (the demo space manager and member).
  demo: loadDemoBookings,
  personalData: {
    export: async (ctx, userId) => {
      const [bookings, authorisations, appointments] = await Promise.all([exportBookings(ctx, userId), exportAuthorisations(ctx, userId), exportAppointments(ctx, userId)]);
      return bookings || authorisations || appointments
        ? { ...(bookings ?? {}), ...(authorisations ? { authorisations } : {}), ...(appointments ? { appointments } : {}) }
        : null;
    },
    erase: async (ctx, userId) => (await eraseBookings(ctx, userId)) + (await eraseAuthorisations(ctx, userId)) + (await eraseAppointments(ctx, userId)),
  },
};

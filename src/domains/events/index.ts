/**
 * Events and the agenda: the public agenda (/agenda, feeds, /api/v1/agenda), registrations with a waiting list that
 * offers freed seats by itself (/agenda/inscription/…, /compte/inscriptions) and the team's back office
 * (/admin/agenda). Other domains use only this file. "Members only" relies on the account's `member` role.
 */
import type { DomainModule } from '../../module.js';
import { agendaRoutes } from './agenda/index.js';
import { eventsApi } from './events.api.js';
import { loadDemoEvents } from './events.demo.js';
import * as eventsI18n from './events.i18n.js';
import { OFFER_EXPIRY_JOB, OFFER_SWEEP_JOB, REMINDER_JOB } from './events.seats.js';
import { eraseRegistrations, exportRegistrations, offerExpiryJob, offerSweepJob, registrationsRoutes, reminderJob, scheduleOfferSweep } from './registrations/index.js';
import { SERIES_EXTEND_JOB, scheduleSeriesExtend, seedEventTypes, seriesJob, staffI18n, staffRoutes } from './staff/index.js';
import { attendanceI18n, attendanceRoutes } from './attendance/index.js';

export { AUDIENCES, DEFAULT_TYPES } from './events.schemas.js';
/** The iCalendar writer, for other domains' feeds and mail attachments. */
export { buildCalendar, type IcsEvent } from './events.ics.js';

const team = ['staff', 'admin'] as const;

export const eventsModule: DomainModule = {
  name: 'events',
  catalogues: [eventsI18n, staffI18n, attendanceI18n],
  routes: async (app, ctx) => {
    await agendaRoutes(app, ctx);
    await registrationsRoutes(app, ctx);
    await staffRoutes(app, ctx);
    await attendanceRoutes(app, ctx);
  },
  api: eventsApi,
  jobs: { [OFFER_EXPIRY_JOB]: offerExpiryJob, [REMINDER_JOB]: reminderJob, [OFFER_SWEEP_JOB]: offerSweepJob, [SERIES_EXTEND_JOB]: seriesJob },
  schedules: [scheduleOfferSweep, scheduleSeriesExtend],
  nav: {
    main: [{ href: '/agenda', key: 'events.nav', order: 35 }],
    // In the header for members and households; the team manages registrations from the back office.
    account: [{ href: '/compte/inscriptions', key: 'events.nav.account', order: 40, roles: ['member', 'candidate', 'partner'] }],
    admin: [{ href: '/admin/agenda', key: 'events.nav.admin', order: 75, roles: team }],
  },
  // The default list of types, on first start (staff edit it afterwards).
  seed: async ({ db, territory }) => ({ eventTypes: await seedEventTypes(db, territory.id) }),
  // After places and accounts: the demo events are at La Dynamo and the demo people fill one of them.
  demo: loadDemoEvents,
  personalData: { export: exportRegistrations, erase: eraseRegistrations },
};

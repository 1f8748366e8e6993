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
import { proposalsI18n, proposalsRoutes } from './proposals/index.js';
import { FEED_REFRESH_JOB, IMPORT_FEED_JOB, feedRefreshJob, importFeedJob, importsI18n, importsRoutes, scheduleFeedRefresh } from './imports/index.js';
import { communeEventsSection, homeEventsSection, placeEventsSection, sectionsI18n } from './sections/index.js';
import { contribute } from '../../shared/extensions.js';
import { placeSectionsPoint } from '../places/index.js';
import { homeSectionsPoint } from '../site/index.js';
import { communeSectionsPoint } from '../territory/index.js';

export { AUDIENCES, DEFAULT_TYPES } from './events.schemas.js';
// Selection mode, for domains that host the applications of a type of event (discovery stays: newcomers).
export { applyLocked, decideLocked, decideHostedLocked, decisionHostsPoint, withdrawLocked, withEventLocked, hostApplications, STATUS_OF, type Applicant, type DecisionHost } from './events.selection.js';
export { createHostedEvent, updateHostedEventLocked, hostedEvents, hostedRegistrations, deleteHostedEvents, forgetRegistrations, type HostedEventInput } from './events.hosting.js';
export type { Decision } from './events.schemas.js';
export type { EventRow, LockedEvent, RegistrationRow } from './events.repo.js';
// Training sessions, for the machines' authorisations in bookings.
export { addDemoTrainingEvent, findTrainingEventWithRegistrants, listTrainingEvents } from './events.trainings.js';

/** The iCalendar writer, for other domains' feeds and mail attachments. */
export { buildCalendar, type IcsEvent } from './events.ics.js';

const team = ['staff', 'admin'] as const;

export const eventsModule: DomainModule = {
  name: 'events',
  catalogues: [eventsI18n, staffI18n, attendanceI18n, sectionsI18n, proposalsI18n, importsI18n],
  routes: async (app, ctx) => {
    await agendaRoutes(app, ctx);
    await registrationsRoutes(app, ctx);
    await staffRoutes(app, ctx);
    await attendanceRoutes(app, ctx);
    await proposalsRoutes(app, ctx);
    await importsRoutes(app, ctx);
  },
  api: eventsApi,
  jobs: { [OFFER_EXPIRY_JOB]: offerExpiryJob, [REMINDER_JOB]: reminderJob, [OFFER_SWEEP_JOB]: offerSweepJob, [SERIES_EXTEND_JOB]: seriesJob, [IMPORT_FEED_JOB]: importFeedJob, [FEED_REFRESH_JOB]: feedRefreshJob },
  schedules: [scheduleOfferSweep, scheduleSeriesExtend, scheduleFeedRefresh],
  nav: {
    main: [{ href: '/agenda', key: 'events.nav', order: 35 }],
    // In the header for members and households; the team manages registrations from the back office.
    account: [
      { href: '/compte/inscriptions', key: 'events.nav.account', order: 40, roles: ['member', 'candidate', 'partner'] },
      { href: '/agenda/proposer', key: 'events.proposals.nav', order: 41, roles: ['member'] },
    ],
    admin: [
      { href: '/admin/agenda', key: 'events.nav.admin', order: 75, roles: team },
      { href: '/admin/agenda/propositions', key: 'events.proposals.nav.admin', order: 76, roles: team },
      { href: '/admin/agenda/flux', key: 'events.imports.nav', order: 77, roles: team },
    ],
  },
  // The default list of types, on first start (staff edit it afterwards).
  seed: async ({ db, territory }) => ({ eventTypes: await seedEventTypes(db, territory.id) }),
  // After places and accounts: the demo events are at La Dynamo and the demo people fill one of them.
  demo: loadDemoEvents,
  personalData: { export: exportRegistrations, erase: eraseRegistrations },
  // The next events on the home page, a village's page and a third place's page.
  contributes: [contribute(homeSectionsPoint, homeEventsSection), contribute(communeSectionsPoint, communeEventsSection), contribute(placeSectionsPoint, placeEventsSection)],
};

/**
 * Members: the solos' association. Plans, applications and decisions, dues with gapless receipts, membership
 * periods and statuses, renewal reminders sent once, the member card and its public verification, in rooms
 * (README). This manifest composes them; other domains use only this file.
 */
import type { DomainModule } from '../../module.js';
import { contribute } from '../../shared/extensions.js';
import { buddyOptInPoint, caseAnonymisedPoint } from '../newcomers/index.js';
import { unlinkNewcomerCase } from './members.repo.js';
import { membersApi } from './members.api.js';
import { loadDemoMembers } from './members.demo.js';
import * as membersI18n from './members.i18n.js';
import { membersRoutes } from './members.routes.js';
import { eraseMemberData, exportMemberData, membersHomeHighlights } from './members.service.js';
import { homeHighlightsPoint } from '../site/index.js';
import { cardI18n } from './card/index.js';
import { figuresI18n } from './figures/index.js';
import { groupMailI18n } from './group-mail/index.js';
import { duesI18n } from './dues/index.js';
import { importsI18n } from './imports/index.js';
import { notesI18n } from './notes/index.js';
import { joiningI18n } from './joining/index.js';
import { plansI18n } from './plans/index.js';
import { countPublicSolos, isOpenBuddy, profilesI18n } from './profiles/index.js';
import { communeSolosPoint } from '../territory/index.js';
import { REMINDER_ROUND_JOB, reminderRoundJob, renewalsI18n, scheduleReminderRound } from './renewals/index.js';

/**
 * Notes on a member's record from other domains: an adviser's note after a member's creator-support appointment.
 * Members and bookings cannot import each other (members → newcomers → bookings), so the composition root hands
 * this function to bookings' `appointmentRecordsPoint` (decision 0029).
 */
export { attachAppointmentNoteToMember, type IncomingNote } from './notes/index.js';

const team = ['staff', 'admin'] as const;

export const membersModule: DomainModule = {
  name: 'members',
  catalogues: [membersI18n, plansI18n, joiningI18n, duesI18n, renewalsI18n, cardI18n, profilesI18n, importsI18n, groupMailI18n, figuresI18n, notesI18n],
  routes: membersRoutes,
  api: membersApi,
  jobs: { [REMINDER_ROUND_JOB]: reminderRoundJob },
  schedules: [scheduleReminderRound],
  nav: {
    main: [
      { href: '/annuaire', key: 'members.nav.directory', order: 55 },
      { href: '/adherer', key: 'members.nav.join', order: 60, exact: true },
    ],
    account: [
      { href: '/compte/adhesion', key: 'members.nav.mine', order: 40, roles: ['member'] },
      { href: '/compte/carte', key: 'members.nav.card', order: 41, roles: ['member'], exact: true },
      { href: '/compte/profil', key: 'members.nav.profile', order: 42, roles: ['member'], exact: true },
    ],
    admin: [
      { href: '/admin/adherents', key: 'members.nav.admin', order: 85, roles: team },
      { href: '/admin/adherents/contacts', key: 'members.nav.contacts', order: 86, roles: team, exact: true },
      { href: '/admin/adherents/chiffres', key: 'members.nav.figures', order: 87, roles: team, exact: true },
    ],
  },
  // After accounts (the demo staff and the demo member) and the territory (communes).
  demo: loadDemoMembers,
  personalData: { export: exportMemberData, erase: eraseMemberData },
  // An anonymised case can no longer be tied to the member who was its household.
  contributes: [
    contribute(caseAnonymisedPoint, (trx, _ctx, e) => unlinkNewcomerCase(trx, e.territoryId, e.caseId)),
    // The home page counts the members who are up to date, on the day it is shown.
    contribute(homeHighlightsPoint, membersHomeHighlights),
    // The village page counts the members of the public showcase living there.
    contribute(communeSolosPoint, countPublicSolos),
    // The buddies room reads the opt-in from the members' profiles.
    contribute(buddyOptInPoint, isOpenBuddy),
  ],
};

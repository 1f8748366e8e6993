/**
 * The newcomer journey: household applications and case files, in rooms (README). This manifest composes them:
 * routes, strings, jobs, menus, demo, personal data, and what each room adds at the cases room's extension points.
 * Other domains use only this file.
 */
import type { DomainModule } from '../../module.js';
import { contribute } from '../../shared/extensions.js';
import { appointmentRecordsPoint } from '../bookings/index.js';
import { decisionHostsPoint } from '../events/index.js';
import { householdsPoint } from '../offers/index.js';
import { communeLinksPoint } from '../territory/index.js';
import { buddiesCaseSection, buddiesExport, buddiesHouseholdSection, buddiesI18n, buddiesRoutes } from './buddies/index.js';
import { attachAppointmentNote, caseExportPoint, caseSectionsPoint, casesI18n, casesRoutes, caseTransitionPoint, exportMyData, householdSectionsPoint, purgeHeldApplications, TASK_REMINDER_JOB, taskReminderJob } from './cases/index.js';
import { documentsI18n, documentsRoutes, removeLeftoverUploads } from './documents/index.js';
import { figuresI18n, figuresRoutes } from './figures/index.js';
import {
  FOLLOWUP_ROUND_JOB,
  followUpRoundJob,
  followUpsCaseSection,
  followUpsExport,
  followUpsHouseholdSection,
  followupsI18n,
  followupsRoutes,
  scheduleFollowUpRound,
  scheduleOnSettled,
} from './followups/index.js';
import { loadDemo, removeNewcomersDemo } from './newcomers.demo.js';
import { householdsForOffers, offersCaseSection, offersExport, offersHouseholdSection } from './newcomers.offers.js';
import { partnersCaseSection, partnersI18n, partnersRoutes } from './partners/index.js';
import { anonymiseCasesPastRetention, eraseCasesOfContact, privacyI18n, privacyRoutes, recordsCaseSection, recordsExport, recordsHouseholdSection } from './privacy/index.js';
import { staysCaseSection, staysDecisionHost, staysExport, staysHouseholdSection, staysI18n, staysRoutes } from './stays/index.js';

export { canManageCases } from './newcomers.policy.js';
/** Where the members domain answers whether a member is open to be a buddy (their profile). */
export { buddyOptInPoint, type BuddyOptIns } from './buddies/index.js';
/** A person's own case, if they applied as a household (the members domain links a candidate household's membership to it). */
export { findCaseIdOfContact as findNewcomerCaseOfContact, caseAnonymisedPoint } from './cases/index.js';
export { loadNewcomersDemo } from './newcomers.demo.js';
export { loadDemoPartnerProfile } from './partners/index.js';

const team = ['staff', 'admin'] as const;

export const newcomersModule: DomainModule = {
  name: 'newcomers',
  catalogues: [casesI18n, partnersI18n, staysI18n, buddiesI18n, followupsI18n, documentsI18n, privacyI18n, figuresI18n],
  routes: async (app, ctx) => {
    await casesRoutes(app, ctx);
    await partnersRoutes(app, ctx);
    await staysRoutes(app, ctx);
    await buddiesRoutes(app, ctx);
    await followupsRoutes(app, ctx);
    await documentsRoutes(app, ctx);
    await privacyRoutes(app, ctx);
    await figuresRoutes(app, ctx);
  },
  jobs: { [TASK_REMINDER_JOB]: taskReminderJob, [FOLLOWUP_ROUND_JOB]: followUpRoundJob },
  // At start: the next follow-up round is queued, and upload files a crash left half-received are removed.
  schedules: [scheduleFollowUpRound, (ctx) => removeLeftoverUploads(ctx.config.dataDir, ctx.territory.id)],
  // Cases past their retention date: each is anonymised in its own transaction (a rerun finds none left).
  dailyPurge: { anonymisedCases: anonymiseCasesPastRetention, heldApplications: purgeHeldApplications },
  nav: {
    main: [{ href: '/candidature', key: 'newcomers.nav.settle', order: 40 }],
    account: [
      { href: '/partenaire', key: 'newcomers.partners.nav', order: 10, roles: ['partner'] },
      { href: '/mon-projet', key: 'newcomers.nav.myProject', order: 20, roles: ['candidate'], exact: true },
      { href: '/parrainage', key: 'newcomers.buddies.nav.member', order: 30, roles: ['member'], exact: true },
    ],
    admin: [
      { href: '/admin/accueil', key: 'newcomers.nav.admin', order: 70, roles: team },
      { href: '/admin/accueil/partenaires', key: 'newcomers.partners.nav.admin', order: 71, roles: team },
      { href: '/admin/accueil/parrains', key: 'newcomers.buddies.nav', order: 72, roles: team },
      { href: '/admin/accueil/conservation', key: 'newcomers.privacy.nav', order: 73, roles: team },
    ],
  },
  // After the offers module's (src/modules.ts): a demo household says one of the example offers interests it.
  demo: loadDemo,
  demoRemove: removeNewcomersDemo,
  contributes: [
    // Every village page and finder result offers to start (or extend) the household's application with it.
    contribute(communeLinksPoint, { key: 'newcomers.apply.addVillage', href: (insee: string) => `/candidature?communes=${insee}` }),
    contribute(householdsPoint, householdsForOffers),
    // A creator-support appointment's note joins the household's case (before a membership: modules' order).
    contribute(appointmentRecordsPoint, { kind: 'newcomer_case', attachNote: attachAppointmentNote }),
    // The case page's sections, the household's page's sections and export parts, in the cases room's order.
    contribute(caseSectionsPoint, staysCaseSection),
    contribute(caseSectionsPoint, partnersCaseSection),
    contribute(caseSectionsPoint, buddiesCaseSection),
    contribute(caseSectionsPoint, followUpsCaseSection),
    contribute(caseSectionsPoint, recordsCaseSection),
    contribute(caseSectionsPoint, offersCaseSection),
    contribute(householdSectionsPoint, buddiesHouseholdSection),
    contribute(householdSectionsPoint, followUpsHouseholdSection),
    contribute(householdSectionsPoint, staysHouseholdSection),
    contribute(householdSectionsPoint, recordsHouseholdSection),
    contribute(householdSectionsPoint, offersHouseholdSection),
    contribute(caseExportPoint, staysExport),
    contribute(caseExportPoint, buddiesExport),
    contribute(caseExportPoint, followUpsExport),
    contribute(caseExportPoint, recordsExport),
    contribute(caseExportPoint, offersExport),
    // Settling a case schedules its follow-up check-ins, in the same transaction.
    contribute(caseTransitionPoint, scheduleOnSettled),
    // A decision on a discovery stay's application taken from the agenda's pages moves the case as the stays page does.
    contribute(decisionHostsPoint, staysDecisionHost),
  ],
  personalData: {
    export: async (ctx, userId) => {
      const data = await exportMyData(ctx, { userId, territoryId: ctx.territory.id, roles: new Set() });
      return data.case ? { case: data.case } : null;
    },
    // Every case whose contact is this person is anonymised, as the team's anonymisation does (audited).
    erase: eraseCasesOfContact,
  },
};

/** The newcomer journey: household applications and case files. Other domains use only this file. */
import type { DomainModule } from '../../module.js';
import { loadDemo } from './newcomers.demo.js';
import * as buddiesI18n from './buddies/buddies.i18n.js';
import * as documentsI18n from './documents/documents.i18n.js';
import * as followupsI18n from './followups/followups.i18n.js';
import { FOLLOWUP_ROUND_JOB, followUpRoundJob, scheduleFollowUpRound } from './followups/followups.service.js';
import * as funnelI18n from './figures/figures.i18n.js';
import * as newcomersI18n from './cases/cases.i18n.js';
import { taskReminderJob } from './cases/cases.jobs.js';
import * as partnersI18n from './partners/partners.i18n.js';
import * as privacyI18n from './privacy/privacy.i18n.js';
import { anonymiseCasesPastRetention } from './privacy/privacy.service.js';
import { newcomersRoutes } from './cases/cases.routes.js';
import { exportMyData, householdsForOffers, TASK_REMINDER_JOB } from './cases/cases.service.js';
import { contribute } from '../../shared/extensions.js';
import { householdsPoint } from '../offers/index.js';
import * as staysI18n from './stays/stays.i18n.js';

export { canManageCases } from './newcomers.policy.js';
export { loadNewcomersDemo } from './newcomers.demo.js';
export { loadDemoPartnerProfile } from './partners/partners.service.js';

const team = ['staff', 'admin'] as const;

export const newcomersModule: DomainModule = {
  name: 'newcomers',
  catalogues: [newcomersI18n, partnersI18n, staysI18n, buddiesI18n, followupsI18n, documentsI18n, privacyI18n, funnelI18n],
  routes: newcomersRoutes,
  jobs: { [TASK_REMINDER_JOB]: taskReminderJob, [FOLLOWUP_ROUND_JOB]: followUpRoundJob },
  schedules: [scheduleFollowUpRound],
  // Cases past their retention date: each is anonymised in its own transaction (a rerun finds none left).
  dailyPurge: { anonymisedCases: anonymiseCasesPastRetention },
  nav: {
    main: [
      { href: '/candidature', key: 'newcomers.nav.settle', order: 40 },
    ],
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
  contributes: [contribute(householdsPoint, householdsForOffers)],
  personalData: {
    export: async (ctx, userId) => {
      const data = await exportMyData(ctx, { userId, territoryId: ctx.territory.id, roles: new Set() });
      return data.case ? { case: data.case } : null;
    },
  },
};

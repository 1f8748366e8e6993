/**
 * Offers: the territory's public marketplace of business takeovers, jobs and housing (`/offres`, `/admin/offres`,
 * `/partenaire/offres`, `GET /api/v1/offres`). Other domains use only this file; the newcomers domain shows a
 * household's interests and suggestions on its pages, and tells offers who the households are (`householdsPoint`).
 */
import type { DomainModule } from '../../module.js';
import { offersApi } from './offers.api.js';
import { loadDemoOffers, removeDemoOffers } from './offers.demo.js';
import * as offersI18n from './offers.i18n.js';
import { offersRoutes } from './offers.routes.js';

export { householdsPoint, type HouseholdCase, type Households } from './offers.households.js';
export { interestsForMyCase, listLiveOffers, searchOffers, markInterest, offersForCaseFile, type CaseOffers, type MyOfferInterest } from './offers.service.js';
export { CaseOffersSection, MyOfferInterests } from './offers.views.js';

const team = ['staff', 'admin'] as const;

export const offersModule: DomainModule = {
  name: 'offers',
  catalogues: [offersI18n],
  routes: offersRoutes,
  api: offersApi,
  nav: {
    main: [{ href: '/offres', key: 'newcomers.offers.nav', order: 50 }],
    admin: [{ href: '/admin/offres', key: 'newcomers.offers.nav', order: 80, roles: team }],
  },
  // The example offers exist before the demo households, which say some of them interest them.
  demo: loadDemoOffers,
  demoRemove: removeDemoOffers,
};

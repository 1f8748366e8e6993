/**
 * The newcomers' side of the offers domain (which knows nothing of cases): who the households are, for offers'
 * `householdsPoint`; and the household's interests and suggestions on the case pages and in its export, through the
 * cases room's extension points. Everything about offers comes from offers' index.ts.
 */
import { type CaseOffers, CaseOffersSection, type Households, interestsForMyCase, type MyOfferInterest, MyOfferInterests, offersForCaseFile } from '../offers/index.js';
import { type CaseExportPart, describeCases, findCaseForOffers, type PageSection } from './cases/index.js';

export const householdsForOffers: Households = { caseOfContact: findCaseForOffers, describe: describeCases };

export const offersCaseSection: PageSection<CaseOffers> = {
  order: 130,
  load: (ctx, _actor, { case: c, adults, targetCodes }) => offersForCaseFile(ctx, { id: c.id, needs: c.needs, projects: adults.map((a) => a.project), targets: targetCodes }),
  render: (offers) => <CaseOffersSection offers={offers} />,
};

export const offersHouseholdSection: PageSection<MyOfferInterest[]> = {
  order: 80,
  load: (ctx, _actor, { case: c }) => interestsForMyCase(ctx, c.id),
  render: (interests) => <MyOfferInterests interests={interests} />,
};

export const offersExport: CaseExportPart = {
  order: 50,
  load: async (ctx, _actor, { case: c }) => ({ offerInterests: (await interestsForMyCase(ctx, c.id)).map((i) => ({ offer: i.id, title: i.title, at: i.at })) }),
};

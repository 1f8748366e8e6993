/** What buddies add to the case pages and to the household's export (extension points of the cases room). */
import type { CaseExportPart, PageSection } from '../cases/index.js';
import { caseBuddies, householdBuddy, type CaseBuddies, type HouseholdBuddy } from './buddies.service.js';
import { CaseBuddySection, MyBuddySection } from './buddies.views.js';

export const buddiesCaseSection: PageSection<{ caseId: string; buddies: CaseBuddies }> = {
  order: 100,
  load: async (ctx, _actor, { case: c, targetCodes, adults }) => ({ caseId: c.id, buddies: await caseBuddies(ctx, c, targetCodes, adults) }),
  render: (data, forms) => <CaseBuddySection file={{ case: { id: data.caseId }, buddies: data.buddies }} forms={forms} />,
};

export const buddiesHouseholdSection: PageSection<HouseholdBuddy> = {
  order: 20,
  load: (ctx, _actor, { case: c }) => householdBuddy(ctx, c.id),
  render: (buddy) => <MyBuddySection buddy={buddy} />,
};

export const buddiesExport: CaseExportPart = {
  order: 20,
  load: async (ctx, _actor, { case: c }) => ({ buddy: await householdBuddy(ctx, c.id) }),
};

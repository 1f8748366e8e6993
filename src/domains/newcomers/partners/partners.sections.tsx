/** What partners add to the team's case page: the shares, the partners it may go to, their views and notes. */
import type { PageSection } from '../cases/index.js';
import { partnersOfCase, type CasePartners } from './partners.service.js';
import { CasePartnersSection } from './partners.views.js';

export const partnersCaseSection: PageSection<CasePartners> = {
  order: 90,
  load: (ctx, actor, { case: c, adults, children, targetCodes }) => partnersOfCase(ctx, actor, c, { adults, children, targetCodes }),
  render: (data, forms) => <CasePartnersSection data={{ ...data, form: forms.partners }} />,
};

/** What stays add to the case pages and to the household's export (extension points of the cases room). */
import type { CaseExportPart, PageSection } from '../cases/index.js';
import { stayApplicationsOfCase, staysOfCase, type StaysOfCase } from './stays.service.js';
import { CaseStaysSection, HouseholdStays } from './stays.views.js';

export const staysCaseSection: PageSection<{ caseId: string; stays: StaysOfCase }> = {
  order: 70,
  load: async (ctx, _actor, { case: c, today }) => ({ caseId: c.id, stays: await staysOfCase(ctx, c.territory_id, c.id, today) }),
  render: (data, forms) => <CaseStaysSection caseId={data.caseId} stays={data.stays} form={forms.stays} />,
  // A stay offered for enrolment is shown open until its applications close.
  changesAt: (data, now) => earliest(data.stays.enrollable.filter((s) => s.status === 'open').map((s) => s.closes_at), now),
};

const earliest = (instants: (Date | null)[], now: Date) =>
  instants.reduce<Date | null>((first, x) => (x && x > now && (!first || x < first) ? x : first), null);

export const staysHouseholdSection: PageSection<StaysOfCase> = {
  order: 60,
  load: (ctx, _actor, { case: c, today }) => staysOfCase(ctx, c.territory_id, c.id, today),
  render: (stays) => <HouseholdStays stays={stays} />,
};

export const staysExport: CaseExportPart = {
  order: 10,
  load: async (ctx, _actor, { case: c }) => ({
    discoveryStays: (await stayApplicationsOfCase(ctx, c.id)).map((a) => ({ stay: a.title, from: a.starts_on, to: a.ends_on, appliedAt: a.applied_at, people: a.people, message: a.message, status: a.status, attended: a.attended })),
  }),
};

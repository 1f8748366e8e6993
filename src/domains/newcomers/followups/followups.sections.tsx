/**
 * What follow-ups add to the cases room: their sections of the case pages, their part of the household's export,
 * and the check-ins scheduled when a case is settled (in the transaction of the stage change).
 */
import type { CaseExportPart, CaseTransitionListener, PageSection } from '../cases/index.js';
import { caseFollowUps, scheduleCaseFollowUps, type FollowUpRow } from './followups.service.js';
import { CaseFollowUpSection, MyFollowUpSection } from './followups.views.js';

export const followUpsCaseSection: PageSection<{ caseId: string; followUps: FollowUpRow[] }> = {
  order: 110,
  load: async (ctx, _actor, { case: c }) => ({ caseId: c.id, followUps: await caseFollowUps(ctx.db, c.id) }),
  render: (data, forms) => <CaseFollowUpSection file={{ case: { id: data.caseId }, followUps: data.followUps }} forms={forms} />,
};

export const followUpsHouseholdSection: PageSection<{ followUps: FollowUpRow[]; today: string }> = {
  order: 30,
  load: async (ctx, _actor, { case: c, today }) => ({ followUps: await caseFollowUps(ctx.db, c.id), today }),
  render: (data, forms) => <MyFollowUpSection followUps={data.followUps} today={data.today} form={forms.followUp} />,
};

export const followUpsExport: CaseExportPart = {
  order: 30,
  load: async (ctx, _actor, { case: c }) => ({
    followUps: (await caseFollowUps(ctx.db, c.id)).map((f) => ({ months: f.month_offset, dueOn: f.due_on, sentAt: f.sent_at, answeredAt: f.answered_at, stillLiving: f.still_living, satisfaction: f.satisfaction, housingSettled: f.housing_settled, work: f.work_situation, comment: f.comment })),
  }),
};

/** Settling a case (again) schedules its check-ins at 1, 6 and 12 months, or moves the unsent ones to the new date. */
export const scheduleOnSettled: CaseTransitionListener = async (trx, _ctx, event) => {
  if (event.name === 'settle' && event.settledOn) await scheduleCaseFollowUps(trx, event.territoryId, event.caseId, event.settledOn, event.at);
};

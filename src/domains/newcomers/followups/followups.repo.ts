/** SQL for the follow-up check-ins at 1, 6 and 12 months after a household settled. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { FollowUpAnswer } from './followups.schemas.js';

const dateText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

/**
 * Creates the case's check-ins, or moves those not sent nor answered yet to their new date (the settled date was
 * corrected). Already sent or answered check-ins keep their date: they happened.
 */
export async function scheduleFollowUps(db: Executor, v: { territoryId: number; caseId: string; dates: { months: number; dueOn: string }[]; now: Date }) {
  await db
    .insertInto('case_followup')
    .values(v.dates.map((d) => ({ territory_id: v.territoryId, case_id: v.caseId, month_offset: d.months, due_on: d.dueOn, created_at: v.now, updated_at: v.now })))
    .onConflict((oc) =>
      oc
        .columns(['case_id', 'month_offset'])
        .doUpdateSet({ due_on: (eb) => eb.ref('excluded.due_on'), updated_at: v.now })
        .where('case_followup.sent_at', 'is', null)
        .where('case_followup.answered_at', 'is', null)
        .where(sql<boolean>`case_followup.due_on <> excluded.due_on`),
    )
    .execute();
}

const followUpColumns = [
  'f.id',
  'f.month_offset',
  dateText('f.due_on').as('due_on'),
  'f.sent_at',
  'f.answered_at',
  'f.channel',
  'f.still_living',
  'f.satisfaction',
  'f.housing_settled',
  'f.work_situation',
  'f.comment',
] as const;

export const listFollowUps = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_followup as f')
    .leftJoin('user_account as u', 'u.id', 'f.answered_by')
    .select([...followUpColumns, 'u.display_name as answered_by_name'])
    .where('f.case_id', '=', caseId)
    .orderBy('f.month_offset')
    .execute();
export type FollowUpRow = Awaited<ReturnType<typeof listFollowUps>>[number];

export const findFollowUpForUpdate = (db: Executor, caseId: string, id: number) =>
  db
    .selectFrom('case_followup as f')
    .select(['f.id', 'f.month_offset', dateText('f.due_on').as('due_on'), 'f.sent_at', 'f.answered_at'])
    .where('f.case_id', '=', caseId)
    .where('f.id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export const saveAnswer = (db: Executor, id: number, a: FollowUpAnswer & { channel: 'household' | 'phone'; by: string; now: Date }) =>
  db
    .updateTable('case_followup')
    .set({
      answered_at: a.now,
      answered_by: a.by,
      channel: a.channel,
      still_living: a.stillLiving,
      satisfaction: a.satisfaction,
      housing_settled: a.housingSettled,
      work_situation: a.workSituation,
      comment: a.comment ?? null,
      updated_at: a.now,
    })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .execute();

/**
 * Check-ins to send today: due, neither sent nor answered, of a case still settled or followed. When a settled date
 * entered late makes several due at once, only the latest is sent (a household gets one mail, not three). Rows are
 * locked so a second run waits and then finds them sent.
 */
export const listDueFollowUps = (db: Executor, territoryId: number, today: string) =>
  db
    .selectFrom('case_followup as f')
    .innerJoin('newcomer_case as c', 'c.id', 'f.case_id')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select(['f.id', 'f.month_offset', 'c.id as case_id', 'c.number', 'c.contact_name', 'c.adviser_id', 'u.email', 'u.locale'])
    .where('f.territory_id', '=', territoryId)
    .where('f.due_on', '<=', today)
    .where('f.sent_at', 'is', null)
    .where('f.answered_at', 'is', null)
    .where('c.stage', 'in', ['installe', 'suivi'])
    .where('u.disabled_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('case_followup as later')
            .select('later.id')
            .whereRef('later.case_id', '=', 'f.case_id')
            .whereRef('later.month_offset', '>', 'f.month_offset')
            .where('later.due_on', '<=', today),
        ),
      ),
    )
    .orderBy('f.due_on')
    .orderBy('f.id')
    .forUpdate('f')
    .execute();

export const markSent = (db: Executor, ids: number[], now: Date) =>
  ids.length ? db.updateTable('case_followup').set({ sent_at: now, updated_at: now }).where('id', 'in', ids).where('sent_at', 'is', null).execute() : Promise.resolve();

/** A case's anonymisation: check-ins not answered are deleted, the free comment of answered ones is blanked. */
export async function forgetFollowUpsOfCase(db: Executor, caseId: string) {
  await db.deleteFrom('case_followup').where('case_id', '=', caseId).where('answered_at', 'is', null).execute();
  await db.updateTable('case_followup').set({ comment: null, answered_by: null }).where('case_id', '=', caseId).execute();
}

/** SQL of renewals: the reminder settings, the round's candidates, reminders sent, renewal requests. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';

export const saveOffsets = (db: Executor, territoryId: number, offsets: number[], by: string, now: Date) =>
  db
    .insertInto('member_settings')
    .values({ territory_id: territoryId, reminder_offsets: offsets, updated_at: now, updated_by: by })
    .onConflict((oc) => oc.column('territory_id').doUpdateSet({ reminder_offsets: offsets, updated_at: now, updated_by: by }))
    .execute();

export interface RoundCandidate {
  member_id: string;
  number: number;
  first_name: string;
  last_name: string;
  email: string;
  locale: 'fr' | 'en';
  period_id: number;
  ends_on: string;
}

/**
 * Approved members with an account whose latest period ends between the two days: the only ones a reminder may
 * be due for today.
 */
export async function listRoundCandidates(db: Executor, territoryId: number, endsFrom: string, endsTo: string): Promise<RoundCandidate[]> {
  const { rows } = await sql<RoundCandidate>`
    select m.id as member_id, m.number, m.first_name, m.last_name, u.email, u.locale, p.id as period_id, p.ends_on::text as ends_on
    from member m
    join user_account u on u.id = m.user_id and u.disabled_at is null
    join lateral (
      select id, ends_on from membership_period where member_id = m.id order by ends_on desc, id desc limit 1
    ) p on true
    where m.territory_id = ${territoryId} and m.state = 'approved' and p.ends_on between ${endsFrom}::date and ${endsTo}::date
    order by m.number`.execute(db);
  return rows;
}

/** The reminder's row, unless this period already had this offset's reminder: then nothing (null). */
export const insertReminder = async (db: Executor, r: { territoryId: number; memberId: string; periodId: number; offsetDays: number; now: Date }) =>
  (
    await db
      .insertInto('member_reminder')
      .values({ territory_id: r.territoryId, member_id: r.memberId, period_id: r.periodId, offset_days: r.offsetDays, sent_at: r.now })
      .onConflict((oc) => oc.columns(['period_id', 'offset_days']).doNothing())
      .returning('id')
      .executeTakeFirst()
  )?.id ?? null;

export const setRenewalRequested = (db: Executor, memberId: string, planId: number, now: Date) =>
  db.updateTable('member').set({ renewal_requested_at: now, plan_id: planId, updated_at: now }).where('id', '=', memberId).execute();

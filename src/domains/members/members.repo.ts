/**
 * The members' shared reads (a member, their periods, dues and reminders, the list with its computed status) and
 * the counters. Each room writes its own tables in its own repo; this file is what several rooms read.
 */
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import type { MemberState } from '../../db/schema.js';
import { DEFAULT_REMINDER_OFFSETS, type MemberStatus } from './members.common.js';

/** The last day of the member's latest period (YYYY-MM-DD), or null before the first dues. */
const validUntil = sql<string | null>`(select max(p.ends_on)::text from membership_period p where p.member_id = m.id)`;

/**
 * The next value of a counter, in the caller's transaction: the upsert locks the counter's row until the
 * transaction ends, so concurrent callers queue and get consecutive values; a rollback gives the value back.
 */
export async function nextCounter(trx: Executor, territoryId: number, name: string): Promise<number> {
  const row = await trx
    .insertInto('member_counter')
    .values({ territory_id: territoryId, name, last_value: 1 })
    .onConflict((oc) => oc.columns(['territory_id', 'name']).doUpdateSet({ last_value: sql`member_counter.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

/** The account behind a membership, for its mails (by id, whatever its roles); none when disabled. */
export const findAccountForMail = (db: Executor, userId: string) =>
  db.selectFrom('user_account').select(['id', 'email', 'locale']).where('id', '=', userId).where('disabled_at', 'is', null).executeTakeFirst();

export async function getReminderOffsets(db: Executor, territoryId: number): Promise<number[]> {
  const row = await db.selectFrom('member_settings').select('reminder_offsets').where('territory_id', '=', territoryId).executeTakeFirst();
  return row ? row.reminder_offsets : [...DEFAULT_REMINDER_OFFSETS];
}

const memberColumns = [
  'm.id',
  'm.number',
  'm.user_id',
  'm.plan_id',
  'm.first_name',
  'm.last_name',
  'm.phone',
  'm.activity',
  'm.insee',
  'm.outside_territory',
  'm.newcomer_case_id',
  'm.state',
  'm.decision_message',
  'm.decided_at',
  'm.struck_off_reason',
  'm.card_token',
  'm.renewal_requested_at',
  'm.anonymised_at',
  'm.created_at',
] as const;

function memberQuery(db: Executor, territoryId: number) {
  return db
    .selectFrom('member as m')
    .innerJoin('member_plan as pl', 'pl.id', 'm.plan_id')
    .leftJoin('user_account as u', 'u.id', 'm.user_id')
    .leftJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'm.territory_id').onRef('c.insee', '=', 'm.insee'))
    .select(memberColumns)
    .select(['pl.name as plan_name', 'pl.period as plan_period', 'pl.price_cents as plan_price_cents', 'u.email', 'u.locale', 'c.name as commune_name'])
    .select(validUntil.as('valid_until'))
    .where('m.territory_id', '=', territoryId);
}

export type MemberRow = NonNullable<Awaited<ReturnType<typeof findMember>>>;

export const findMember = (db: Executor, territoryId: number, memberId: string) => memberQuery(db, territoryId).where('m.id', '=', memberId).executeTakeFirst();

export const findMemberOfUser = (db: Executor, territoryId: number, userId: string) => memberQuery(db, territoryId).where('m.user_id', '=', userId).executeTakeFirst();

export const findMemberByCardToken = (db: Executor, territoryId: number, token: string) =>
  db.selectFrom('member as m').select(['m.id', 'm.state']).select(validUntil.as('valid_until')).where('m.territory_id', '=', territoryId).where('m.card_token', '=', token).executeTakeFirst();

/** Locks the member's row: decisions and dues on one member happen one after the other. */
export const lockMember = (trx: Executor, territoryId: number, memberId: string) =>
  trx.selectFrom('member').selectAll().where('territory_id', '=', territoryId).where('id', '=', memberId).forUpdate().executeTakeFirst();

export type LockedMember = NonNullable<Awaited<ReturnType<typeof lockMember>>>;

export const latestPeriod = (db: Executor, memberId: string) =>
  db
    .selectFrom('membership_period')
    .select(['id', sql<string>`starts_on::text`.as('starts_on'), sql<string>`ends_on::text`.as('ends_on')])
    .where('member_id', '=', memberId)
    .orderBy('ends_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();

export const listPayments = (db: Executor, memberId: string) =>
  db
    .selectFrom('member_payment as p')
    .leftJoin('membership_period as pe', 'pe.payment_id', 'p.id')
    .leftJoin('user_account as u', 'u.id', 'p.recorded_by')
    .select([
      'p.id',
      'p.plan_name',
      'p.payer_name',
      'p.amount_cents',
      sql<string>`p.paid_on::text`.as('paid_on'),
      'p.method',
      'p.reference',
      'p.provider',
      'p.provider_reference',
      'p.receipt_year',
      'p.receipt_seq',
      'p.recorded_at',
      'u.display_name as recorded_by_name',
      sql<string | null>`pe.starts_on::text`.as('starts_on'),
      sql<string | null>`pe.ends_on::text`.as('ends_on'),
    ])
    .where('p.member_id', '=', memberId)
    .orderBy('p.paid_on', 'desc')
    .orderBy('p.id', 'desc')
    .execute();

export type PaymentRow = Awaited<ReturnType<typeof listPayments>>[number];

export const listReminders = (db: Executor, memberId: string) =>
  db
    .selectFrom('member_reminder as r')
    .innerJoin('membership_period as pe', 'pe.id', 'r.period_id')
    .select(['r.id', 'r.offset_days', 'r.sent_at', sql<string>`pe.ends_on::text`.as('ends_on')])
    .where('r.member_id', '=', memberId)
    .orderBy('r.sent_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();

export interface MemberFilter {
  status?: MemberStatus;
  planId?: number;
}

/**
 * The team's list: every member with their status computed in SQL from the same rule as `statusOf` (today and the
 * end of the reminder window given as days), filtered by status and plan, by name.
 */
export async function listMembers(db: Executor, territoryId: number, filter: MemberFilter, day: string, windowEnd: string, limit: number, offset: number) {
  const status = sql<MemberStatus>`case
      when m.state = 'struck_off' then 'radie'
      when m.state = 'declined' then 'refuse'
      when m.state = 'pending' or ${validUntil} is null then 'en_attente'
      when ${validUntil} < ${day} then 'expire'
      when ${validUntil} <= ${windowEnd} then 'expire_bientot'
      else 'actif' end`;
  const inner = db
    .selectFrom('member as m')
    .innerJoin('member_plan as pl', 'pl.id', 'm.plan_id')
    .leftJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'm.territory_id').onRef('c.insee', '=', 'm.insee'))
    .select(['m.id', 'm.number', 'm.first_name', 'm.last_name', 'm.plan_id', 'm.state', 'm.outside_territory', 'm.created_at', 'pl.name as plan_name', 'c.name as commune_name'])
    .select(validUntil.as('valid_until'))
    .select(status.as('status'))
    .where('m.territory_id', '=', territoryId)
    .as('x');
  let q = db.selectFrom(inner);
  if (filter.status) q = q.where('x.status', '=', filter.status);
  if (filter.planId) q = q.where('x.plan_id', '=', filter.planId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('x.last_name').orderBy('x.first_name').orderBy('x.number').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export type MemberListRow = Awaited<ReturnType<typeof listMembers>>['rows'][number];

export const memberStateOf = (db: Executor, memberId: string) =>
  db.selectFrom('member').select('state').where('id', '=', memberId).executeTakeFirst() as Promise<{ state: MemberState } | undefined>;

// ---------------------------------------------------------------------------------------------- personal data

export const findMemberIdsOfUser = (db: Executor, userId: string) => db.selectFrom('member').select(['id', 'territory_id', 'number']).where('user_id', '=', userId).execute();

/**
 * Erasure: the member keeps their number and state for the figures but loses name, phone, activity and account;
 * their dues stay (accounting) with the payer's name replaced.
 */
export async function anonymiseMember(trx: Executor, memberId: string, replacement: string, now: Date) {
  await trx
    .updateTable('member')
    .set({ first_name: replacement, last_name: replacement, phone: null, activity: null, user_id: null, newcomer_case_id: null, anonymised_at: now, updated_at: now })
    .where('id', '=', memberId)
    .execute();
  const r = await trx.updateTable('member_payment').set({ payer_name: replacement }).where('member_id', '=', memberId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The household's case was anonymised: the membership no longer names it. */
export async function unlinkNewcomerCase(trx: Executor, territoryId: number, caseId: string) {
  await trx.updateTable('member').set({ newcomer_case_id: null }).where('territory_id', '=', territoryId).where('newcomer_case_id', '=', caseId).execute();
}

/** Members whose membership is approved and runs on `day` (YYYY-MM-DD): pending, declined, struck off and lapsed excluded. */
export async function countActiveMembers(db: Executor, territoryId: number, day: string): Promise<number> {
  const row = await db
    .selectFrom('member as m')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.territory_id', '=', territoryId)
    .where('m.state', '=', 'approved')
    .where(sql<boolean>`${validUntil} >= ${day}`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

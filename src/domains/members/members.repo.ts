/**
 * The members' shared reads (a member, their periods, dues and reminders, the list with its computed status) and
 * the counters. Each room writes its own tables in its own repo; this file is what several rooms read.
 */
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import type { MemberState } from '../../db/schema.js';
import { DEFAULT_REMINDER_OFFSETS, type MemberStatus } from './members.common.js';

/** The last day of the member's latest period (YYYY-MM-DD), or null before the first dues. */
/** The last day the member's periods pay for: kept on the row by a trigger on `membership_period` (decision 0027). */
const validUntil = sql<string | null>`m.valid_until::text`;

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

/** `n` consecutive values of a counter at once (a batch in one transaction): returns the first. Gapless like `nextCounter`. */
export async function reserveCounter(trx: Executor, territoryId: number, name: string, n: number): Promise<number> {
  const row = await trx
    .insertInto('member_counter')
    .values({ territory_id: territoryId, name, last_value: n })
    .onConflict((oc) => oc.columns(['territory_id', 'name']).doUpdateSet({ last_value: sql`member_counter.last_value + ${n}` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value - n + 1;
}

/** Several members locked at once, in the order of their ids (two batches never wait on each other in a circle). */
export const lockMembers = (trx: Executor, territoryId: number, memberIds: string[]) =>
  trx
    .selectFrom('member')
    .selectAll()
    .select(sql<string | null>`valid_until::text`.as('last_ends_on'))
    .where('territory_id', '=', territoryId)
    .where('id', 'in', memberIds)
    .orderBy('id')
    .forUpdate()
    .execute();

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

/** The territory's members held by any of these accounts (an import checks none of its new accounts already is one). */
export const findMembersOfUsers = (db: Executor, territoryId: number, userIds: string[]) =>
  db.selectFrom('member').select(['id', 'user_id']).where('territory_id', '=', territoryId).where('user_id', 'in', userIds).execute();

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

/** A payment as the member's page and its receipt show it (`p`: member_payment, `pe`: the period it paid for). */
export const paymentColumns = [
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
  sql<string | null>`pe.starts_on::text`.as('starts_on'),
  sql<string | null>`pe.ends_on::text`.as('ends_on'),
] as const;

export const listPayments = (db: Executor, memberId: string) =>
  db
    .selectFrom('member_payment as p')
    .leftJoin('membership_period as pe', 'pe.payment_id', 'p.id')
    .leftJoin('user_account as u', 'u.id', 'p.recorded_by')
    .select(paymentColumns)
    .select('u.display_name as recorded_by_name')
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
  insee?: string;
  epciSiren?: string;
  /** The membership ends in this month (`YYYY-MM`). */
  expiryMonth?: string;
  /** A skill's normalised key (`developpement web`): the team sees every member's skills. */
  skillKey?: string;
}

/** The status computed in SQL from the same rule as `statusOf`, for today and the end of the reminder window. */
const statusSql = (day: string, windowEnd: string) => sql<MemberStatus>`case
      when m.state = 'struck_off' then 'radie'
      when m.state = 'declined' then 'refuse'
      when m.state = 'pending' or ${validUntil} is null then 'en_attente'
      when ${validUntil} < ${day} then 'expire'
      when ${validUntil} <= ${windowEnd} then 'expire_bientot'
      else 'actif' end`;

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** The team's list as a query: every member with their status, filtered; the list, the export and the group mail read it. */
function filteredMembers(db: Executor, territoryId: number, filter: MemberFilter, day: string, windowEnd: string) {
  const inner = db
    .selectFrom('member as m')
    .innerJoin('member_plan as pl', 'pl.id', 'm.plan_id')
    .leftJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'm.territory_id').onRef('c.insee', '=', 'm.insee'))
    .leftJoin('epci as e', (j) => j.onRef('e.territory_id', '=', 'c.territory_id').onRef('e.siren', '=', 'c.epci_siren'))
    .select(['m.id', 'm.number', 'm.user_id', 'm.first_name', 'm.last_name', 'm.phone', 'm.activity', 'm.insee', 'm.plan_id', 'm.state', 'm.outside_territory', 'm.created_at', 'pl.name as plan_name', 'c.name as commune_name', 'c.epci_siren', 'e.name as epci_name'])
    .select(validUntil.as('valid_until'))
    .select(statusSql(day, windowEnd).as('status'))
    .where('m.territory_id', '=', territoryId)
    .as('x');
  let q = db.selectFrom(inner);
  if (filter.status) q = q.where('x.status', '=', filter.status);
  if (filter.planId) q = q.where('x.plan_id', '=', filter.planId);
  if (filter.insee) q = q.where('x.insee', '=', filter.insee);
  if (filter.epciSiren) q = q.where('x.epci_siren', '=', filter.epciSiren);
  if (filter.expiryMonth) q = q.where('x.valid_until', '>=', `${filter.expiryMonth}-01`).where('x.valid_until', '<', nextMonth(filter.expiryMonth));
  if (filter.skillKey) {
    const key = filter.skillKey;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('member_profile_tag as pt').innerJoin('member_tag as t', 't.id', 'pt.tag_id').select('pt.tag_id').whereRef('pt.member_id', '=', 'x.id').where('t.key', '=', key)),
    );
  }
  return q;
}

/** The team's list, a page of it, by name. */
export async function listMembers(db: Executor, territoryId: number, filter: MemberFilter, day: string, windowEnd: string, limit: number, offset: number) {
  const q = filteredMembers(db, territoryId, filter, day, windowEnd);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('x.last_name').orderBy('x.first_name').orderBy('x.number').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The whole filtered list for the export, with what the team sees of each member: address and skills too. */
export const listMembersForExport = (db: Executor, territoryId: number, filter: MemberFilter, day: string, windowEnd: string) =>
  filteredMembers(db, territoryId, filter, day, windowEnd)
    .leftJoin('user_account as u', 'u.id', 'x.user_id')
    .selectAll('x')
    .select('u.email')
    .select(
      sql<string>`coalesce((select string_agg(t.label, ', ' order by pt.position) from member_profile_tag pt join member_tag t on t.id = pt.tag_id where pt.member_id = x.id), '')`.as('skills'),
    )
    .orderBy('x.last_name')
    .orderBy('x.first_name')
    .orderBy('x.number')
    .execute();

/**
 * Who a group mail reaches among the filtered members: those with an account that can receive mail (anonymised
 * and disabled ones cannot), each with whether they turned the team's non-essential mails off.
 */
export const listGroupRecipients = (db: Executor, territoryId: number, filter: MemberFilter, day: string, windowEnd: string) =>
  filteredMembers(db, territoryId, filter, day, windowEnd)
    .innerJoin('user_account as u', 'u.id', 'x.user_id')
    .leftJoin('member_mail_optout as o', 'o.member_id', 'x.id')
    .select(['x.id', 'x.first_name', 'x.last_name', 'u.email', 'u.locale'])
    .select(sql<boolean>`o.member_id is not null`.as('opted_out'))
    .where('u.disabled_at', 'is', null)
    .orderBy('x.number')
    .execute();

export type GroupRecipient = Awaited<ReturnType<typeof listGroupRecipients>>[number];

export type MemberListRow = Awaited<ReturnType<typeof listMembers>>['rows'][number];

export const findMailOptout = (db: Executor, memberId: string) => db.selectFrom('member_mail_optout').select('opted_out_at').where('member_id', '=', memberId).executeTakeFirst();

/** The member turns the team's non-essential group mails off (once: a second click keeps the first date). */
export async function insertMailOptout(db: Executor, territoryId: number, memberId: string, now: Date) {
  const row = await db.insertInto('member_mail_optout').values({ member_id: memberId, territory_id: territoryId, opted_out_at: now }).onConflict((oc) => oc.column('member_id').doNothing()).returning('member_id').executeTakeFirst();
  return !!row;
}

export async function deleteMailOptout(db: Executor, memberId: string) {
  const r = await db.deleteFrom('member_mail_optout').where('member_id', '=', memberId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

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
  // No group mail reaches an anonymised member: their choice about them goes with the rest.
  await trx.deleteFrom('member_mail_optout').where('member_id', '=', memberId).execute();
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

/**
 * The register on `day`, counted: members by computed status (the same rule as the list), plan and place. The
 * figures add these up by status, plan, commune and EPCI.
 */
export const countMembersByStatusPlanPlace = (db: Executor, territoryId: number, day: string, windowEnd: string) =>
  db
    .selectFrom('member as m')
    .innerJoin('member_plan as pl', 'pl.id', 'm.plan_id')
    .leftJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'm.territory_id').onRef('c.insee', '=', 'm.insee'))
    .select([statusSql(day, windowEnd).as('status'), 'pl.name as plan_name', 'm.insee', 'c.name as commune_name', 'c.epci_siren', 'm.outside_territory'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.territory_id', '=', territoryId)
    .groupBy(['status', 'pl.name', 'm.insee', 'c.name', 'c.epci_siren', 'm.outside_territory'])
    .execute();

/** Every membership period (member, first and last day): the yearly figures are computed from them. */
export const listAllPeriods = (db: Executor, territoryId: number) =>
  db
    .selectFrom('membership_period')
    .select(['member_id', sql<string>`starts_on::text`.as('starts_on'), sql<string>`ends_on::text`.as('ends_on')])
    .where('territory_id', '=', territoryId)
    .execute();

/** Dues recorded per calendar year of payment: how many, how much (cents). */
export const sumDuesPerYear = (db: Executor, territoryId: number) =>
  db
    .selectFrom('member_payment')
    .select([sql<number>`extract(year from paid_on)::int`.as('year'), (eb) => eb.fn.countAll<number>().as('payments'), (eb) => eb.fn.sum<number>('amount_cents').as('cents')])
    .where('territory_id', '=', territoryId)
    .groupBy(sql`extract(year from paid_on)`)
    .orderBy(sql`extract(year from paid_on)`)
    .execute();

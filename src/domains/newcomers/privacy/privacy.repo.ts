/**
 * SQL for the household's privacy rights and retention: deletion requests, retention dates and the anonymisation
 * that keeps a case's anonymous figures and removes everything personal.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import { ANONYMISED_NAME, RETENTION_MONTHS } from './privacy.rules.js';
import { forgetFollowUpsOfCase } from '../followups/index.js';
import { forgetStaysOfCase } from '../stays/index.js';

/**
 * Tables whose rows about a case are personal and are deleted when the case is anonymised (each has `case_id`).
 * A new table about a case that holds anything personal is added here (see the domain README); tables kept for
 * the figures (`case_stage_event`, `case_adult`, `case_child`) are blanked column by column in `anonymiseCaseRows`.
 */
export const PERSONAL_CASE_TABLES = [
  'case_message',
  'case_note',
  'case_task',
  'case_checklist_item',
  'case_application',
  'case_commune',
  'case_document',
  // partners' work on the case, its discovery-stay applications, its buddy pairing
  'case_share',
  'case_partner_view',
  'case_partner_note',
  'stay_application',
  'case_buddy',
  // the offers it said it was interested in
  'offer_interest',
] as const;

const months = (n: number) => sql`make_interval(months => ${n}::int)`;

/**
 * The last thing that happened on a case `c`: a change to it (stage, adviser, household), a message, a document
 * an application or an answered follow-up check-in.
 */
const lastActivity = sql<Date>`greatest(
  c.updated_at, c.stage_changed_at,
  (select max(m.created_at) from case_message m where m.case_id = c.id),
  (select max(d.uploaded_at) from case_document d where d.case_id = c.id),
  (select max(a.submitted_at) from case_application a where a.case_id = c.id),
  (select max(f.answered_at) from case_followup f where f.case_id = c.id))`;

/** The date a case `c`'s personal data is due for anonymisation (RETENTION_MONTHS). */
const retentionUntil = sql<Date>`(case
  when c.stage = 'abandon' then c.stage_changed_at + ${months(RETENTION_MONTHS.dropped)}
  when c.stage in ('installe', 'suivi') then ${lastActivity} + ${months(RETENTION_MONTHS.settled)}
  else ${lastActivity} + ${months(RETENTION_MONTHS.other)} end)`;

/**
 * A cheap bound checked before the exact date: the rule's period counted from the case's own dates (activity is
 * never older than them), so a case changed more recently cannot be due and its messages are not even looked at.
 */
const mayBeDue = (now: Date) => sql<boolean>`(case
  when c.stage = 'abandon' then c.stage_changed_at <= ${now}::timestamptz - ${months(RETENTION_MONTHS.dropped)}
  when c.stage in ('installe', 'suivi') then greatest(c.updated_at, c.stage_changed_at) <= ${now}::timestamptz - ${months(RETENTION_MONTHS.settled)}
  else greatest(c.updated_at, c.stage_changed_at) <= ${now}::timestamptz - ${months(RETENTION_MONTHS.other)} end)`;
const dueBy = (now: Date) => sql<boolean>`(${mayBeDue(now)} and ${retentionUntil} <= ${now})`;

const deadlineOf = (months_: number) => sql<Date>`c.deletion_requested_at + ${months(months_)}`;

/** A case's deletion request, anonymisation and retention date. */
export const findCaseRetention = (db: Executor, territoryId: number, caseId: string, deadlineMonths: number) =>
  db
    .selectFrom('newcomer_case as c')
    .select(['c.id', 'c.stage', 'c.deletion_requested_at', 'c.anonymised_at', lastActivity.as('last_activity_at'), retentionUntil.as('retention_until'), deadlineOf(deadlineMonths).as('deletion_deadline')])
    .where('c.territory_id', '=', territoryId)
    .where('c.id', '=', caseId)
    .executeTakeFirst();

/** Cases still holding personal data whose retention date has passed, or whose household asked for deletion. */
export const listRetentionWork = (db: Executor, territoryId: number, now: Date, deadlineMonths: number, limit: number) =>
  db
    .selectFrom('newcomer_case as c')
    .select([
      'c.id',
      'c.number',
      'c.contact_name',
      'c.stage',
      'c.deletion_requested_at',
      lastActivity.as('last_activity_at'),
      retentionUntil.as('retention_until'),
      deadlineOf(deadlineMonths).as('deletion_deadline'),
    ])
    .where('c.territory_id', '=', territoryId)
    .where('c.anonymised_at', 'is', null)
    .where((eb) => eb.or([eb('c.deletion_requested_at', 'is not', null), dueBy(now)]))
    .orderBy(sql`coalesce(c.deletion_requested_at, ${retentionUntil})`)
    .orderBy('c.id')
    .limit(limit)
    .execute();

/** Ids of the cases whose retention date has passed (the daily job anonymises them one by one). */
/** The cases of a contact account not yet anonymised (one per territory, by the unique constraint). */
export const listLiveCasesOfContact = async (db: Executor, territoryId: number, userId: string) =>
  (await db.selectFrom('newcomer_case').select('id').where('territory_id', '=', territoryId).where('contact_user_id', '=', userId).where('anonymised_at', 'is', null).execute()).map((r) => r.id);

export const listCasesPastRetention = async (db: Executor, territoryId: number, now: Date, limit: number) =>
  (
    await db
      .selectFrom('newcomer_case as c')
      .select('c.id')
      .where('c.territory_id', '=', territoryId)
      .where('c.anonymised_at', 'is', null)
      .where(dueBy(now))
      .orderBy('c.stage_changed_at')
      .limit(limit)
      .execute()
  ).map((r) => r.id);

/** The household's own live case, locked (asking twice at once records one request). */
export const lockOwnLiveCase = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number', 'adviser_id', 'deletion_requested_at'])
    .where('territory_id', '=', territoryId)
    .where('contact_user_id', '=', userId)
    .where('anonymised_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();

export const setDeletionRequested = (db: Executor, caseId: string, at: Date | null) =>
  db.updateTable('newcomer_case').set({ deletion_requested_at: at }).where('id', '=', caseId).execute();

/** The household's address, to forget its mails. */
export const findContactEmail = async (db: Executor, userId: string) =>
  (await db.selectFrom('user_account').select(sql<string>`email::text`.as('email')).where('id', '=', userId).executeTakeFirst())?.email ?? null;

export const lockCaseForAnonymising = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number', 'stage', 'contact_user_id', 'deletion_requested_at', 'anonymised_at'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();

/**
 * Removes everything personal about a case and keeps its anonymous figures: stage and stage history (without who
 * moved it or why in words), settled commune and date, drop reason, timing, how the household heard of the
 * programme, adults' project types, children's ages and schooling. Returns the ids of the documents whose files
 * must go once the transaction commits.
 */
export async function anonymiseCaseRows(db: Executor, caseId: string, now: Date) {
  const documents = (await db.selectFrom('case_document').select('id').where('case_id', '=', caseId).execute()).map((d) => d.id);
  // Before its applications go: the stays' registrations (events domain) forget the household's name and address.
  await forgetStaysOfCase(db, caseId, now);
  for (const table of PERSONAL_CASE_TABLES) {
    await sql`delete from ${sql.table(table)} where case_id = ${caseId}`.execute(db);
  }
  await db.updateTable('case_adult').set({ first_name: null, profession: null, sector: null }).where('case_id', '=', caseId).execute();
  await db.updateTable('case_child').set({ needs: null }).where('case_id', '=', caseId).execute();
  await db.updateTable('case_stage_event').set({ by_user_id: null, comment: null }).where('case_id', '=', caseId).execute();
  await forgetFollowUpsOfCase(db, caseId);
  await db
    .updateTable('newcomer_case')
    .set({
      contact_user_id: null,
      contact_name: ANONYMISED_NAME,
      phone: null,
      current_place: null,
      needs: [],
      target_text: null,
      project_text: null,
      consent_share: false,
      consent_share_at: null,
      adviser_id: null,
      drop_comment: null,
      anonymised_at: now,
      updated_at: now,
    })
    .where('id', '=', caseId)
    .execute();
  return documents;
}

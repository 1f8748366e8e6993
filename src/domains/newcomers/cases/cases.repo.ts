/** SQL for the newcomer journey: cases, their household, applications, stage events, notes, tasks, checklist, messages. */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../../context.js';
import type { CaseStage, DB } from '../../../db/schema.js';
import type { AdultInput, ChildInput, Need } from './cases.schemas.js';

const dateText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

// ---------------------------------------------------------------------------------------------- drop reasons

export async function ensureDropReasons(db: Executor, territoryId: number, keys: readonly string[], now: Date) {
  await db
    .insertInto('case_drop_reason')
    .values(keys.map((key, i) => ({ territory_id: territoryId, key, label: null, position: (i + 1) * 10, created_at: now })))
    .onConflict((oc) => oc.columns(['territory_id', 'key']).doNothing())
    .execute();
}

export const listDropReasons = (db: Executor, territoryId: number, includeArchived: boolean) => {
  let q = db.selectFrom('case_drop_reason').select(['id', 'key', 'label', 'position', 'archived_at']).where('territory_id', '=', territoryId);
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('position').orderBy('id').execute();
};

export const findDropReason = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('case_drop_reason').select(['id', 'key', 'label', 'archived_at']).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export async function insertDropReason(db: Executor, territoryId: number, label: string, now: Date) {
  const { max } = await db
    .selectFrom('case_drop_reason')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .where('territory_id', '=', territoryId)
    .executeTakeFirstOrThrow();
  return db
    .insertInto('case_drop_reason')
    .values({ territory_id: territoryId, key: null, label, position: (max ?? 0) + 10, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export const updateDropReason = (db: Executor, territoryId: number, id: number, patch: { label?: string; archived_at?: Date | null }) =>
  db.updateTable('case_drop_reason').set(patch).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

// ---------------------------------------------------------------------------------------------- cases

export interface HouseholdValues {
  contact_name: string;
  phone: string | null;
  current_place: string;
  timing: string;
  needs: Need[];
  heard_from: string | null;
  target_text: string | null;
  project_text: string | null;
  consent_contact_at: Date;
  consent_share: boolean;
  consent_share_at: Date | null;
}

/** The household as declared: the same columns when a case is created and when the household updates it. */
const householdColumns = (v: HouseholdValues): HouseholdValues => ({
  contact_name: v.contact_name,
  phone: v.phone,
  current_place: v.current_place,
  timing: v.timing,
  needs: v.needs,
  heard_from: v.heard_from,
  target_text: v.target_text,
  project_text: v.project_text,
  consent_contact_at: v.consent_contact_at,
  consent_share: v.consent_share,
  consent_share_at: v.consent_share_at,
});

/** Locks the contact's case, so two applications from the same address are applied one after the other. */
export const findCaseOfContactForUpdate = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number', 'stage', 'adviser_id', 'consent_share', 'consent_share_at'])
    .where('territory_id', '=', territoryId)
    .where('contact_user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();

export const findCaseIdOfContact = (db: Executor, territoryId: number, userId: string) =>
  db.selectFrom('newcomer_case').select('id').where('territory_id', '=', territoryId).where('contact_user_id', '=', userId).executeTakeFirst();

/** What offers learn about a contact's case when the household says an offer interests it. */
export const findCaseForOffers = (db: Executor, territoryId: number, userId: string) =>
  db.selectFrom('newcomer_case').select(['id', 'number', 'adviser_id']).where('territory_id', '=', territoryId).where('contact_user_id', '=', userId).executeTakeFirst();

/** Cases as the team sees them on an offer's page. */
export const describeCases = async (db: Executor, territoryId: number, caseIds: readonly string[]) =>
  caseIds.length ? db.selectFrom('newcomer_case').select(['id', 'number', 'contact_name', 'stage']).where('territory_id', '=', territoryId).where('id', 'in', caseIds).execute() : [];

export const hasAnyCase = async (db: Executor, territoryId: number) =>
  !!(await db.selectFrom('newcomer_case').select('id').where('territory_id', '=', territoryId).limit(1).executeTakeFirst());

/** Demo load just ran on a territory without cases: every case it holds is demo content; returns their contacts. */
export const markAllCasesDemo = async (db: Executor, territoryId: number) =>
  (await db.updateTable('newcomer_case').set({ demo: true }).where('territory_id', '=', territoryId).returning('contact_user_id').execute()).map((r) => r.contact_user_id);

/** `npm run demo:remove`: the demo households' cases go, with everything that hangs on them (cascade). */
export const deleteDemoCases = async (db: Executor, territoryId: number) =>
  Number((await db.deleteFrom('newcomer_case').where('territory_id', '=', territoryId).where('demo', '=', true).executeTakeFirst()).numDeletedRows);

/** Returns nothing when the contact already has a case (created meanwhile by a simultaneous application). */
export const insertCase = (db: Executor, v: HouseholdValues & { territoryId: number; contactUserId: string; now: Date }) =>
  db
    .insertInto('newcomer_case')
    .values({
      territory_id: v.territoryId,
      contact_user_id: v.contactUserId,
      ...householdColumns(v),
      stage: 'nouveau',
      stage_changed_at: v.now,
      created_at: v.now,
      updated_at: v.now,
    })
    .onConflict((oc) => oc.columns(['territory_id', 'contact_user_id']).doNothing())
    .returning(['id', 'number'])
    .executeTakeFirst();

export const updateHousehold = (db: Executor, caseId: string, v: HouseholdValues & { now: Date }) =>
  db
    .updateTable('newcomer_case')
    .set({
      ...householdColumns(v),
      updated_at: v.now,
    })
    .where('id', '=', caseId)
    .execute();

export async function replaceAdults(db: Executor, territoryId: number, caseId: string, adults: AdultInput[]) {
  await db.deleteFrom('case_adult').where('case_id', '=', caseId).execute();
  if (!adults.length) return;
  await db
    .insertInto('case_adult')
    .values(
      adults.map((a) => ({
        territory_id: territoryId,
        case_id: caseId,
        position: a.position,
        first_name: a.firstName ?? null,
        project: a.project,
        profession: a.profession ?? null,
        sector: a.sector ?? null,
      })),
    )
    .execute();
}

export async function replaceChildren(db: Executor, territoryId: number, caseId: string, children: ChildInput[]) {
  await db.deleteFrom('case_child').where('case_id', '=', caseId).execute();
  if (!children.length) return;
  await db
    .insertInto('case_child')
    .values(children.map((c) => ({ territory_id: territoryId, case_id: caseId, position: c.position, age: c.age, schooling: c.schooling, needs: c.needs ?? null })))
    .execute();
}

export async function addTargetCommunes(db: Executor, territoryId: number, caseId: string, codes: string[], now: Date) {
  if (!codes.length) return;
  await db
    .insertInto('case_commune')
    .values(codes.map((insee) => ({ territory_id: territoryId, case_id: caseId, insee, added_at: now })))
    .onConflict((oc) => oc.columns(['case_id', 'insee']).doNothing())
    .execute();
}

export const insertPendingApplication = (db: Executor, v: { tokenHash: string; territoryId: number; userId: string; locale: 'fr' | 'en'; payload: object; now: Date; expiresAt: Date }) =>
  db
    .insertInto('pending_application')
    .values({ token_hash: v.tokenHash, territory_id: v.territoryId, user_id: v.userId, locale: v.locale, payload: JSON.stringify(v.payload), created_at: v.now, expires_at: v.expiresAt })
    .execute();

export const findPendingApplicationForUpdate = (db: Executor, tokenHash: string, territoryId: number) =>
  db.selectFrom('pending_application').selectAll().where('token_hash', '=', tokenHash).where('territory_id', '=', territoryId).forUpdate().executeTakeFirst();

export const markPendingApplicationConfirmed = (db: Executor, tokenHash: string, now: Date) =>
  db.updateTable('pending_application').set({ confirmed_at: now }).where('token_hash', '=', tokenHash).execute();

/** Daily purge: held applications nobody confirmed, past their link's expiry, and confirmed ones (copied to the case). */
export const deleteStalePendingApplications = async (db: Executor, now: Date) =>
  Number((await db.deleteFrom('pending_application').where((eb) => eb.or([eb('expires_at', '<', now), eb('confirmed_at', 'is not', null)])).executeTakeFirst()).numDeletedRows);

export const insertApplication = (db: Executor, v: { territoryId: number; caseId: string; now: Date; signedIn: boolean; locale: 'fr' | 'en'; payload: object }) =>
  db
    .insertInto('case_application')
    .values({ territory_id: v.territoryId, case_id: v.caseId, submitted_at: v.now, signed_in: v.signedIn, locale: v.locale, payload: JSON.stringify(v.payload) })
    .returning('id')
    .executeTakeFirstOrThrow();

export const insertStageEvent = (
  db: Executor,
  e: { territoryId: number; caseId: string; from: CaseStage | null; to: CaseStage; at: Date; by: string | null; reasonId?: number | null; comment?: string | null },
) =>
  db
    .insertInto('case_stage_event')
    .values({
      territory_id: e.territoryId,
      case_id: e.caseId,
      from_stage: e.from,
      to_stage: e.to,
      at: e.at,
      by_user_id: e.by,
      reason_id: e.reasonId ?? null,
      comment: e.comment ?? null,
    })
    .execute();

export async function addChecklistDefaults(db: Executor, territoryId: number, caseId: string, keys: string[], now: Date) {
  if (!keys.length) return;
  const { max } = await db
    .selectFrom('case_checklist_item')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('case_checklist_item')
    .values(keys.map((key, i) => ({ territory_id: territoryId, case_id: caseId, key, label: null, position: (max ?? 0) + (i + 1) * 10, created_at: now })))
    .onConflict((oc) => oc.columns(['case_id', 'key']).doNothing())
    .execute();
}

const caseColumns = [
  'c.id',
  'c.number',
  'c.territory_id',
  'c.contact_user_id',
  'c.contact_name',
  'c.phone',
  'c.current_place',
  'c.timing',
  'c.needs',
  'c.heard_from',
  'c.target_text',
  'c.project_text',
  'c.consent_contact_at',
  'c.consent_share',
  'c.consent_share_at',
  'c.stage',
  'c.paused_from',
  'c.stage_changed_at',
  'c.adviser_id',
  'c.settled_insee',
  'c.drop_reason_id',
  'c.drop_comment',
  'c.created_at',
  'c.updated_at',
] as const;

/** The case with its contact's address and language, its adviser's name and its drop reason. */
const caseQuery = (db: Executor) =>
  db
    .selectFrom('newcomer_case as c')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .leftJoin('user_account as a', 'a.id', 'c.adviser_id')
    .leftJoin('case_drop_reason as r', 'r.id', 'c.drop_reason_id')
    .select([...caseColumns, dateText('c.settled_on').as('settled_on')])
    .select(['u.email as contact_email', 'u.locale as contact_locale', 'a.display_name as adviser_name', 'a.email as adviser_email', 'a.locale as adviser_locale', 'r.key as drop_reason_key', 'r.label as drop_reason_label']);

export const findCase = (db: Executor, territoryId: number, caseId: string) => caseQuery(db).where('c.territory_id', '=', territoryId).where('c.id', '=', caseId).executeTakeFirst();
export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

export const findCaseOfContact = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('newcomer_case')
    .select('id')
    .where('territory_id', '=', territoryId)
    .where('contact_user_id', '=', userId)
    .executeTakeFirst()
    .then((r) => (r ? findCase(db, territoryId, r.id) : undefined));

export const lockCase = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number', 'stage', 'paused_from', 'contact_user_id', 'adviser_id'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', caseId)
    .where('anonymised_at', 'is', null) // an anonymised case is kept for the figures only: nobody changes it
    .forUpdate()
    .executeTakeFirst();

export const updateCase = (
  db: Executor,
  caseId: string,
  patch: Partial<{
    stage: CaseStage;
    paused_from: CaseStage | null;
    stage_changed_at: Date;
    adviser_id: string | null;
    settled_insee: string | null;
    settled_on: string | null;
    drop_reason_id: number | null;
    drop_comment: string | null;
    updated_at: Date;
  }>,
) => db.updateTable('newcomer_case').set(patch).where('id', '=', caseId).execute();

export const listAdults = (db: Executor, caseId: string) =>
  db.selectFrom('case_adult').select(['position', 'first_name', 'project', 'profession', 'sector']).where('case_id', '=', caseId).orderBy('position').execute();

export const listChildren = (db: Executor, caseId: string) =>
  db.selectFrom('case_child').select(['position', 'age', 'schooling', 'needs']).where('case_id', '=', caseId).orderBy('position').execute();

export const listTargetCodes = async (db: Executor, caseId: string) =>
  (await db.selectFrom('case_commune').select('insee').where('case_id', '=', caseId).orderBy('added_at').orderBy('insee').execute()).map((r) => r.insee);

export const listApplications = (db: Executor, caseId: string) =>
  db.selectFrom('case_application').select(['id', 'submitted_at', 'signed_in', 'locale', 'payload']).where('case_id', '=', caseId).orderBy('submitted_at').orderBy('id').execute();

export const listStageEvents = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_stage_event as e')
    .leftJoin('user_account as u', 'u.id', 'e.by_user_id')
    .leftJoin('case_drop_reason as r', 'r.id', 'e.reason_id')
    .select(['e.id', 'e.from_stage', 'e.to_stage', 'e.at', 'e.comment', 'u.display_name as by_name', 'r.key as reason_key', 'r.label as reason_label'])
    .where('e.case_id', '=', caseId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();

export const listNotes = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_note as n')
    .leftJoin('user_account as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.body', 'n.created_at', 'u.display_name as author_name'])
    .where('n.case_id', '=', caseId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();

export const insertNote = (db: Executor, v: { territoryId: number; caseId: string; authorId: string; body: string; now: Date }) =>
  db
    .insertInto('case_note')
    .values({ territory_id: v.territoryId, case_id: v.caseId, author_id: v.authorId, body: v.body, created_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();

// ---------------------------------------------------------------------------------------------- tasks

export const listTasks = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_task as t')
    .leftJoin('user_account as u', 'u.id', 't.assignee_id')
    .select(['t.id', 't.title', dateText('t.due_on').as('due_on'), 't.done_at', 't.assignee_id', 'u.display_name as assignee_name'])
    .where('t.case_id', '=', caseId)
    .orderBy(sql`t.done_at is not null`)
    .orderBy('t.due_on')
    .orderBy('t.id')
    .execute();

export const insertTask = (db: Executor, v: { territoryId: number; caseId: string; title: string; dueOn: string; assigneeId: string; by: string; now: Date }) =>
  db
    .insertInto('case_task')
    .values({ territory_id: v.territoryId, case_id: v.caseId, title: v.title, due_on: v.dueOn, assignee_id: v.assigneeId, created_by: v.by, created_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();

export const findTaskForUpdate = (db: Executor, caseId: string, taskId: number) =>
  db.selectFrom('case_task').select(['id', 'done_at']).where('case_id', '=', caseId).where('id', '=', taskId).forUpdate().executeTakeFirst();

export const setTaskDone = (db: Executor, taskId: number, by: string, now: Date) =>
  db.updateTable('case_task').set({ done_at: now, done_by: by }).where('id', '=', taskId).execute();

/** What the reminder needs: the open task, its case and the assignee's address. */
export const findTaskForReminder = (db: Executor, taskId: number) =>
  db
    .selectFrom('case_task as t')
    .innerJoin('newcomer_case as c', 'c.id', 't.case_id')
    .innerJoin('user_account as u', 'u.id', 't.assignee_id')
    .select(['t.id', 't.title', dateText('t.due_on').as('due_on'), 't.done_at', 't.territory_id', 'c.id as case_id', 'c.number', 'c.contact_name', 'u.email', 'u.locale', 'u.disabled_at'])
    .where('t.id', '=', taskId)
    .forUpdate('t')
    .executeTakeFirst();

// ---------------------------------------------------------------------------------------------- checklist

export const listChecklist = (db: Executor, caseId: string) =>
  db.selectFrom('case_checklist_item').select(['id', 'key', 'label', 'done_at']).where('case_id', '=', caseId).orderBy('position').orderBy('id').execute();

export async function insertChecklistItem(db: Executor, v: { territoryId: number; caseId: string; label: string; now: Date }) {
  const { max } = await db
    .selectFrom('case_checklist_item')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .where('case_id', '=', v.caseId)
    .executeTakeFirstOrThrow();
  return db
    .insertInto('case_checklist_item')
    .values({ territory_id: v.territoryId, case_id: v.caseId, key: null, label: v.label, position: (max ?? 0) + 10, created_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export const findChecklistItem = (db: Executor, caseId: string, itemId: number) =>
  db.selectFrom('case_checklist_item').select(['id', 'key', 'label', 'done_at']).where('case_id', '=', caseId).where('id', '=', itemId).forUpdate().executeTakeFirst();

export const setChecklistItemDone = (db: Executor, itemId: number, done: { at: Date; by: string } | null) =>
  db
    .updateTable('case_checklist_item')
    .set({ done_at: done?.at ?? null, done_by: done?.by ?? null })
    .where('id', '=', itemId)
    .execute();

// ---------------------------------------------------------------------------------------------- messages

export const listMessages = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_message as m')
    .leftJoin('user_account as u', 'u.id', 'm.author_id')
    .select(['m.id', 'm.body', 'm.from_staff', 'm.created_at', 'u.display_name as author_name'])
    .where('m.case_id', '=', caseId)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();

export const insertMessage = (db: Executor, v: { territoryId: number; caseId: string; authorId: string; fromStaff: boolean; body: string; now: Date }) =>
  db
    .insertInto('case_message')
    .values({ territory_id: v.territoryId, case_id: v.caseId, author_id: v.authorId, from_staff: v.fromStaff, body: v.body, created_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();

// ---------------------------------------------------------------------------------------------- staff list and board

export interface CaseFilter {
  stage?: CaseStage;
  /** A user id, or null for cases nobody follows yet. */
  adviserId?: string | null;
  insee?: string;
  project?: string;
  /** Only cases with an open task due before this date (YYYY-MM-DD). */
  overdueBefore?: string;
  /** An EPCI's SIREN: cases targeting one of its communes or settled in one. */
  epci?: string;
  /** A funder tag's id. */
  tagId?: number;
  /** Part of a name or e-mail address (accents and case ignored), of a phone number, or a case number. */
  search?: string;
}

/** `like` pattern for a piece of text typed by someone: its wildcards are taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type CaseScope = ExpressionBuilder<DB & { c: DB['newcomer_case'] }, 'c'>;

/** The list's filters as one condition on `newcomer_case as c`; each filter is an indexed lookup. */
export const matching = (territoryId: number, f: CaseFilter) => (eb: CaseScope) => {
  // Anonymised cases count in the funnel figures but no longer appear in the team's list, board and exports.
  const all: Expression<SqlBool>[] = [eb('c.territory_id', '=', territoryId), eb('c.anonymised_at', 'is', null)];
  if (f.stage) all.push(eb('c.stage', '=', f.stage));
  if (f.adviserId === null) all.push(eb('c.adviser_id', 'is', null));
  else if (f.adviserId) all.push(eb('c.adviser_id', '=', f.adviserId));
  if (f.insee) {
    all.push(eb.or([eb('c.settled_insee', '=', f.insee), eb.exists(eb.selectFrom('case_commune as cc').select('cc.case_id').whereRef('cc.case_id', '=', 'c.id').where('cc.insee', '=', f.insee))]));
  }
  if (f.epci) {
    // Semi-joins from the EPCI's communes (a few dozen) rather than a probe per case.
    const inEpci = eb.selectFrom('commune as m').select('m.insee').where('m.territory_id', '=', territoryId).where('m.epci_siren', '=', f.epci);
    const targeting = eb.selectFrom('case_commune as cc').select('cc.case_id').where('cc.territory_id', '=', territoryId).where('cc.insee', 'in', inEpci);
    all.push(eb.or([eb('c.settled_insee', 'in', inEpci), eb('c.id', 'in', targeting)]));
  }
  if (f.search) {
    const text = containing(f.search);
    const any: Expression<SqlBool>[] = [
      sql<boolean>`immutable_unaccent(lower(c.contact_name)) like immutable_unaccent(lower(${text}))`,
      eb('c.contact_user_id', 'in', eb.selectFrom('user_account as su').select('su.id').where(sql<boolean>`lower(su.email::text) like lower(${text})`)),
      // The household's other adults are found by first name too.
      eb.exists(eb.selectFrom('case_adult as sa').select('sa.case_id').whereRef('sa.case_id', '=', 'c.id').where(sql<boolean>`immutable_unaccent(lower(sa.first_name)) like immutable_unaccent(lower(${text}))`)),
    ];
    const digits = f.search.replace(/\D/g, '');
    if (/^(n[°o]?\s*|#)?\d{1,9}$/i.test(f.search.trim())) any.push(eb('c.number', '=', Number(digits)));
    if (digits.length >= 4) any.push(sql<boolean>`regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') like ${containing(digits)}`);
    all.push(eb.or(any));
  }
  if (f.tagId) all.push(eb('c.id', 'in', eb.selectFrom('case_funder_tag as ft').select('ft.case_id').where('ft.territory_id', '=', territoryId).where('ft.tag_id', '=', f.tagId)));
  if (f.project) all.push(eb.exists(eb.selectFrom('case_adult as ad').select('ad.case_id').whereRef('ad.case_id', '=', 'c.id').where('ad.project', '=', f.project)));
  if (f.overdueBefore) {
    all.push(
      eb.exists(eb.selectFrom('case_task as t').select('t.case_id').whereRef('t.case_id', '=', 'c.id').where('t.done_at', 'is', null).where('t.due_on', '<', f.overdueBefore)),
    );
  }
  return eb.and(all);
};

const summaryColumns = (today: string) =>
  [
    'c.id',
    'c.number',
    'c.contact_name',
    'c.stage',
    'c.stage_changed_at',
    'c.created_at',
    'c.adviser_id',
    'a.display_name as adviser_name',
    sql<number>`(select count(*) from case_adult ad where ad.case_id = c.id)`.as('adults'),
    sql<number>`(select count(*) from case_child ch where ch.case_id = c.id)`.as('children'),
    sql<string[]>`coalesce((select array_agg(distinct ad.project) from case_adult ad where ad.case_id = c.id), '{}')`.as('projects'),
    sql<string[]>`coalesce((select array_agg(cc.insee order by cc.insee) from case_commune cc where cc.case_id = c.id), '{}')`.as('communes'),
    sql<number>`(select count(*) from case_task t where t.case_id = c.id and t.done_at is null and t.due_on < ${today})`.as('overdue'),
  ] as const;

export async function listCases(db: Executor, territoryId: number, f: CaseFilter, today: string, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('newcomer_case as c')
      .leftJoin('user_account as a', 'a.id', 'c.adviser_id')
      .where(matching(territoryId, f))
      .select(summaryColumns(today))
      .orderBy('c.stage_changed_at', 'desc')
      .orderBy('c.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('newcomer_case as c')
      .where(matching(territoryId, f))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
export type CaseSummary = Awaited<ReturnType<typeof listCases>>['rows'][number];

/** The board: the newest `perStage` cases of every stage and how many each stage holds, in one query. */
export async function boardCases(db: Executor, territoryId: number, f: CaseFilter, today: string, perStage: number) {
  const inner = db
    .selectFrom('newcomer_case as c')
    .leftJoin('user_account as a', 'a.id', 'c.adviser_id')
    .where(matching(territoryId, f))
    .select([
    ...summaryColumns(today),
    'c.paused_from',
    sql<number>`row_number() over (partition by c.stage order by c.stage_changed_at desc, c.id)`.as('rank'),
    sql<number>`count(*) over (partition by c.stage)`.as('in_stage'),
  ]);
  return db.selectFrom(inner.as('x')).selectAll().where('x.rank', '<=', perStage).orderBy('x.stage').orderBy('x.rank').execute();
}

// ---------------------------------------------------------------------------------------------- communes

/**
 * Names and centres of the territory's communes among these codes, to validate villages, show them and measure
 * distances. The territory domain exports a single-commune lookup and the whole list, not a batch by codes; this
 * small read stays here until it does.
 */
export const communesByCode = (db: Executor, territoryId: number, codes: string[]) =>
  codes.length
    ? db.selectFrom('commune').select(['insee', 'name', 'lat', 'lon']).where('territory_id', '=', territoryId).where('insee', 'in', codes).execute()
    : Promise.resolve([] as { insee: string; name: string; lat: number; lon: number }[]);

/** The villages cases target or settled in (anonymised ones aside), by name: the staff filter's choices. */
export const listCaseCommunes = (db: Executor, territoryId: number) =>
  db
    .selectFrom('commune as m')
    .select(['m.insee', 'm.name'])
    .where('m.territory_id', '=', territoryId)
    .where((eb) =>
      eb.or([
        eb('m.insee', 'in', eb.selectFrom('case_commune as cc').innerJoin('newcomer_case as c', 'c.id', 'cc.case_id').select('cc.insee').where('cc.territory_id', '=', territoryId).where('c.anonymised_at', 'is', null)),
        eb('m.insee', 'in', eb.selectFrom('newcomer_case as c').select('c.settled_insee').where('c.territory_id', '=', territoryId).where('c.anonymised_at', 'is', null).where('c.settled_insee', 'is not', null).$narrowType<{ settled_insee: string }>()),
      ]),
    )
    .orderBy(sql`immutable_unaccent(lower(m.name))`)
    .execute();

/** Names of the territory's communes among these codes; unknown codes are simply absent. */
export async function communeNames(db: Executor, territoryId: number, codes: string[]) {
  const rows = await communesByCode(db, territoryId, [...new Set(codes)]);
  return new Map(rows.map((r) => [r.insee, r.name]));
}

/**
 * The version of what the list and the board show (decision 0031): moved by the database's triggers in the same
 * transaction as any change to the rows they read. Read before the data, so a body is never kept under a version
 * newer than the rows it was rendered from. 0 until the territory's first change.
 */
export const readListVersion = async (db: Executor, territoryId: number) =>
  Number((await db.selectFrom('newcomer_list_version').select('version').where('territory_id', '=', territoryId).executeTakeFirst())?.version ?? 0);

// ---------------------------------------------------------------------------------------------- the case page

/**
 * The version of what the team's case page shows (decision 0032): the case's own (`case_page_version`) and the
 * territory's (`case_page_territory_version`), both moved at commit by triggers; 0 while no change was committed
 * since they exist. Nothing when the case is not in the territory.
 */
export const readCasePageVersion = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('newcomer_case as c')
    .select([
      sql<string>`coalesce((select v.version from case_page_version v where v.case_id = c.id), 0)::text`.as('case_version'),
      sql<string>`coalesce((select t.version from case_page_territory_version t where t.territory_id = c.territory_id), 0)::text`.as('territory_version'),
    ])
    .where('c.territory_id', '=', territoryId)
    .where('c.id', '=', caseId)
    .executeTakeFirst();

/** JSON carries instants as text: back to the `Date` the other reads give. */
const instant = (v: string) => new Date(v);
const instantOrNull = (v: string | null) => (v === null ? null : new Date(v));

/**
 * Everything of the case's own rows the team's page shows, in one query (one round trip instead of eleven): the case
 * as `findCase` reads it, then its people, villages (with their names), applications, stage events, notes, tasks
 * (with their funder tag), checklist, messages and funder tags, each aggregated as JSON in the order the lists above
 * read them.
 */
export async function findCaseFile(db: Executor, territoryId: number, caseId: string) {
  const row = await caseQuery(db)
    .select([
      sql<{ position: number; first_name: string | null; project: string; profession: string | null; sector: string | null }[]>`coalesce((
        select json_agg(json_build_object('position', x.position, 'first_name', x.first_name, 'project', x.project, 'profession', x.profession, 'sector', x.sector) order by x.position)
        from case_adult x where x.case_id = c.id), '[]')`.as('adults_json'),
      sql<{ position: number; age: number; schooling: string; needs: string | null }[]>`coalesce((
        select json_agg(json_build_object('position', x.position, 'age', x.age, 'schooling', x.schooling, 'needs', x.needs) order by x.position)
        from case_child x where x.case_id = c.id), '[]')`.as('children_json'),
      sql<{ insee: string; name: string | null }[]>`coalesce((
        select json_agg(json_build_object('insee', x.insee, 'name', m.name) order by x.added_at, x.insee)
        from case_commune x left join commune m on m.territory_id = c.territory_id and m.insee = x.insee where x.case_id = c.id), '[]')`.as('targets_json'),
      sql<string | null>`(select m.name from commune m where m.territory_id = c.territory_id and m.insee = c.settled_insee)`.as('settled_name'),
      sql<{ id: number; submitted_at: string; signed_in: boolean; locale: string; payload: unknown }[]>`coalesce((
        select json_agg(json_build_object('id', x.id, 'submitted_at', x.submitted_at, 'signed_in', x.signed_in, 'locale', x.locale, 'payload', x.payload) order by x.submitted_at, x.id)
        from case_application x where x.case_id = c.id), '[]')`.as('applications_json'),
      sql<{ id: number; from_stage: CaseStage | null; to_stage: CaseStage; at: string; comment: string | null; by_name: string | null; reason_key: string | null; reason_label: string | null }[]>`coalesce((
        select json_agg(json_build_object('id', x.id, 'from_stage', x.from_stage, 'to_stage', x.to_stage, 'at', x.at, 'comment', x.comment, 'by_name', xu.display_name, 'reason_key', xr.key, 'reason_label', xr.label) order by x.at, x.id)
        from case_stage_event x left join user_account xu on xu.id = x.by_user_id left join case_drop_reason xr on xr.id = x.reason_id where x.case_id = c.id), '[]')`.as('stages_json'),
      sql<{ id: number; body: string; created_at: string; author_name: string | null }[]>`coalesce((
        select json_agg(json_build_object('id', x.id, 'body', x.body, 'created_at', x.created_at, 'author_name', xu.display_name) order by x.created_at, x.id)
        from case_note x left join user_account xu on xu.id = x.author_id where x.case_id = c.id), '[]')`.as('notes_json'),
      sql<{ id: number; title: string; due_on: string; done_at: string | null; assignee_id: string; assignee_name: string | null; funder_tag_id: number | null }[]>`coalesce((
        select json_agg(json_build_object('id', x.id, 'title', x.title, 'due_on', to_char(x.due_on, 'YYYY-MM-DD'), 'done_at', x.done_at, 'assignee_id', x.assignee_id, 'assignee_name', xu.display_name, 'funder_tag_id', x.funder_tag_id)
          order by x.done_at is not null, x.due_on, x.id)
        from case_task x left join user_account xu on xu.id = x.assignee_id where x.case_id = c.id), '[]')`.as('tasks_json'),
      sql<{ id: number; key: string | null; label: string | null; done_at: string | null }[]>`coalesce((
        select json_agg(json_build_object('id', x.id, 'key', x.key, 'label', x.label, 'done_at', x.done_at) order by x.position, x.id)
        from case_checklist_item x where x.case_id = c.id), '[]')`.as('checklist_json'),
      sql<{ id: number; body: string; from_staff: boolean; created_at: string; author_name: string | null }[]>`coalesce((
        select json_agg(json_build_object('id', x.id, 'body', x.body, 'from_staff', x.from_staff, 'created_at', x.created_at, 'author_name', xu.display_name) order by x.created_at, x.id)
        from case_message x left join user_account xu on xu.id = x.author_id where x.case_id = c.id), '[]')`.as('messages_json'),
      sql<number[]>`coalesce((select array_agg(x.tag_id order by x.tag_id) from case_funder_tag x where x.case_id = c.id), '{}')`.as('tag_ids'),
    ])
    .where('c.territory_id', '=', territoryId)
    .where('c.id', '=', caseId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { adults_json, children_json, targets_json, settled_name, applications_json, stages_json, notes_json, tasks_json, checklist_json, messages_json, tag_ids, ...c } = row;
  return {
    case: c as CaseRow,
    adults: adults_json as Awaited<ReturnType<typeof listAdults>>,
    children: children_json as Awaited<ReturnType<typeof listChildren>>,
    targets: targets_json,
    settledName: settled_name,
    applications: applications_json.map((x) => ({ ...x, submitted_at: instant(x.submitted_at) })),
    stages: stages_json.map((x) => ({ ...x, at: instant(x.at) })),
    notes: notes_json.map((x) => ({ ...x, created_at: instant(x.created_at) })),
    tasks: tasks_json.map(({ funder_tag_id: _, ...x }) => ({ ...x, done_at: instantOrNull(x.done_at) })),
    taskTags: new Map(tasks_json.filter((x) => x.funder_tag_id !== null).map((x) => [x.id, x.funder_tag_id!])),
    checklist: checklist_json.map((x) => ({ ...x, done_at: instantOrNull(x.done_at) })),
    messages: messages_json.map((x) => ({ ...x, created_at: instant(x.created_at) })),
    tagIds: tag_ids,
  };
}

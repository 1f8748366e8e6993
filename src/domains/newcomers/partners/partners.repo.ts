/** SQL for partners: their profiles, the cases shared with them, their views of a case and their notes. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { PartnerProfileTable } from '../../../db/schema.js';

export type PartnerKind = PartnerProfileTable['kind'];
export type PartnerTheme = NonNullable<PartnerProfileTable['theme']>;

// ---------------------------------------------------------------------------------------------- profiles

/** Profiles of these accounts, each with its communes (INSEE codes, in code order). */
export const listProfiles = (db: Executor, territoryId: number, userIds: string[]) =>
  userIds.length
    ? db
        .selectFrom('partner_profile as p')
        .select([
          'p.user_id',
          'p.organisation',
          'p.kind',
          'p.theme',
          'p.updated_at',
          sql<string[]>`coalesce((select array_agg(pc.insee order by pc.insee) from partner_commune pc where pc.territory_id = p.territory_id and pc.user_id = p.user_id), '{}')`.as('communes'),
        ])
        .where('p.territory_id', '=', territoryId)
        .where('p.user_id', 'in', userIds)
        .execute()
    : Promise.resolve([]);
export type ProfileRow = Awaited<ReturnType<typeof listProfiles>>[number];

/** Live shares per partner, for the partners' list. */
export const countLiveSharesByPartner = (db: Executor, territoryId: number) =>
  db
    .selectFrom('case_share')
    .select(['partner_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('territory_id', '=', territoryId)
    .where('revoked_at', 'is', null)
    .groupBy('partner_id')
    .execute();

export async function saveProfile(
  db: Executor,
  v: { territoryId: number; userId: string; organisation: string; kind: PartnerKind; theme: PartnerTheme | null; communes: string[]; by: string; now: Date },
) {
  await db
    .insertInto('partner_profile')
    .values({ territory_id: v.territoryId, user_id: v.userId, organisation: v.organisation, kind: v.kind, theme: v.theme, updated_at: v.now, updated_by: v.by })
    .onConflict((oc) => oc.columns(['territory_id', 'user_id']).doUpdateSet({ organisation: v.organisation, kind: v.kind, theme: v.theme, updated_at: v.now, updated_by: v.by }))
    .execute();
  await db.deleteFrom('partner_commune').where('territory_id', '=', v.territoryId).where('user_id', '=', v.userId).execute();
  if (v.communes.length) {
    await db
      .insertInto('partner_commune')
      .values(v.communes.map((insee) => ({ territory_id: v.territoryId, user_id: v.userId, insee })))
      .execute();
  }
}

/** A first profile, left alone if one exists (staff may have edited it). Returns whether it was written. */
export async function insertProfileIfAbsent(db: Executor, v: { territoryId: number; userId: string; organisation: string; kind: PartnerKind; theme: PartnerTheme | null; communes: string[]; now: Date }) {
  const row = await db
    .insertInto('partner_profile')
    .values({ territory_id: v.territoryId, user_id: v.userId, organisation: v.organisation, kind: v.kind, theme: v.theme, updated_at: v.now, updated_by: null })
    .onConflict((oc) => oc.columns(['territory_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (row && v.communes.length) {
    await db
      .insertInto('partner_commune')
      .values(v.communes.map((insee) => ({ territory_id: v.territoryId, user_id: v.userId, insee })))
      .execute();
  }
  return !!row;
}

// ---------------------------------------------------------------------------------------------- shares

/** Locks the case while it is shared, revoked or annotated: the household's re-application locks the same row. */
export const lockCase = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('newcomer_case')
    .select(['id', 'number', 'consent_share', 'adviser_id'])
    .where('territory_id', '=', territoryId)
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();

/** Every share of a case, live or revoked, with the partner's name and organisation. */
export const listSharesOfCase = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('case_share as s')
    .innerJoin('user_account as u', 'u.id', 's.partner_id')
    .leftJoin('partner_profile as p', (j) => j.onRef('p.user_id', '=', 's.partner_id').on('p.territory_id', '=', territoryId))
    .leftJoin('user_account as sb', 'sb.id', 's.shared_by')
    .select(['s.id', 's.partner_id', 's.shared_at', 's.revoked_at', 'u.display_name as partner_name', 'p.organisation', 'sb.display_name as shared_by_name'])
    .where('s.case_id', '=', caseId)
    .orderBy('s.shared_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute();

export const findLiveShare = (db: Executor, caseId: string, partnerId: string) =>
  db.selectFrom('case_share').select(['id', 'shared_at']).where('case_id', '=', caseId).where('partner_id', '=', partnerId).where('revoked_at', 'is', null).executeTakeFirst();

/** Returns nothing when a live share already exists (the partial unique index says no). */
export const insertShare = (db: Executor, v: { territoryId: number; caseId: string; partnerId: string; by: string; now: Date }) =>
  db
    .insertInto('case_share')
    .values({ territory_id: v.territoryId, case_id: v.caseId, partner_id: v.partnerId, shared_at: v.now, shared_by: v.by })
    .onConflict((oc) => oc.columns(['case_id', 'partner_id']).where('revoked_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();

export const revokeShare = (db: Executor, shareId: number, by: string, now: Date) =>
  db.updateTable('case_share').set({ revoked_at: now, revoked_by: by }).where('id', '=', shareId).where('revoked_at', 'is', null).execute();

// ---------------------------------------------------------------------------------------------- what a partner sees

/**
 * The case as a partner may see it, or nothing: the household consents to sharing AND a live share to this
 * partner exists. Both are read here, at every read, so a consent withdrawn or a share revoked takes effect at once.
 */
export const findCaseVisibleTo = (db: Executor, territoryId: number, caseId: string, partnerId: string) =>
  db
    .selectFrom('newcomer_case as c')
    .innerJoin('case_share as s', (j) => j.onRef('s.case_id', '=', 'c.id').on('s.partner_id', '=', partnerId).on('s.revoked_at', 'is', null))
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select([
      'c.id',
      'c.number',
      'c.contact_name',
      'c.phone',
      'c.timing',
      'c.needs',
      'c.target_text',
      'c.stage',
      'c.adviser_id',
      'u.email as contact_email',
      's.shared_at',
    ])
    .where('c.territory_id', '=', territoryId)
    .where('c.id', '=', caseId)
    .where('c.consent_share', '=', true)
    .executeTakeFirst();

export const caseExists = async (db: Executor, territoryId: number, caseId: string) =>
  !!(await db.selectFrom('newcomer_case').select('id').where('territory_id', '=', territoryId).where('id', '=', caseId).executeTakeFirst());

/** The cases a partner sees today, newest share first, with what the list shows of each household. */
export const listCasesVisibleTo = (db: Executor, territoryId: number, partnerId: string) =>
  db
    .selectFrom('case_share as s')
    .innerJoin('newcomer_case as c', 'c.id', 's.case_id')
    .select([
      'c.id',
      'c.number',
      'c.stage',
      's.shared_at',
      sql<(string | null)[]>`coalesce((select array_agg(ad.first_name order by ad.position) from case_adult ad where ad.case_id = c.id), '{}')`.as('first_names'),
      sql<string[]>`coalesce((select array_agg(distinct ad.project) from case_adult ad where ad.case_id = c.id), '{}')`.as('projects'),
      sql<string[]>`coalesce((select array_agg(cc.insee order by cc.insee) from case_commune cc where cc.case_id = c.id), '{}')`.as('communes'),
    ])
    .where('s.territory_id', '=', territoryId)
    .where('s.partner_id', '=', partnerId)
    .where('s.revoked_at', 'is', null)
    .where('c.consent_share', '=', true)
    .orderBy('s.shared_at', 'desc')
    .orderBy('c.number', 'desc')
    .execute();

// ---------------------------------------------------------------------------------------------- views and notes

export const insertView = (db: Executor, v: { territoryId: number; caseId: string; partnerId: string; at: Date; refused: boolean }) =>
  db.insertInto('case_partner_view').values({ territory_id: v.territoryId, case_id: v.caseId, partner_id: v.partnerId, at: v.at, refused: v.refused }).execute();

/** The latest views of a case (and refused attempts), with how many there are in all. */
export async function listViews(db: Executor, territoryId: number, caseId: string, limit: number) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('case_partner_view as v')
      .innerJoin('user_account as u', 'u.id', 'v.partner_id')
      .leftJoin('partner_profile as p', (j) => j.onRef('p.user_id', '=', 'v.partner_id').on('p.territory_id', '=', territoryId))
      .select(['v.id', 'v.at', 'v.refused', 'u.display_name as partner_name', 'p.organisation'])
      .where('v.case_id', '=', caseId)
      .orderBy('v.at', 'desc')
      .orderBy('v.id', 'desc')
      .limit(limit)
      .execute(),
    db.selectFrom('case_partner_view').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export const insertPartnerNote = (db: Executor, v: { territoryId: number; caseId: string; authorId: string; body: string; now: Date }) =>
  db
    .insertInto('case_partner_note')
    .values({ territory_id: v.territoryId, case_id: v.caseId, author_id: v.authorId, body: v.body, created_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Partners' notes on a case: all of them for staff, or one author's own. */
export const listPartnerNotes = (db: Executor, territoryId: number, caseId: string, authorId?: string) => {
  let q = db
    .selectFrom('case_partner_note as n')
    .leftJoin('user_account as u', 'u.id', 'n.author_id')
    .leftJoin('partner_profile as p', (j) => j.onRef('p.user_id', '=', 'n.author_id').on('p.territory_id', '=', territoryId))
    .select(['n.id', 'n.body', 'n.created_at', 'u.display_name as author_name', 'p.organisation'])
    .where('n.case_id', '=', caseId);
  if (authorId) q = q.where('n.author_id', '=', authorId);
  return q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').execute();
};

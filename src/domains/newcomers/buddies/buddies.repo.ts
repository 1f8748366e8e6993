/** SQL for buddies (parrainage): the members who offer to accompany newcomers and their pairings with cases. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';

export interface BuddyValues {
  homeInsee: string;
  projects: string[];
  presentation: string | null;
  maxHouseholds: number;
}

const buddyColumns = ['b.user_id', 'b.home_insee', 'b.projects', 'b.presentation', 'b.max_households', 'b.opted_in_at', 'b.withdrawn_at'] as const;

/** Current pairings of the buddy, counted where the buddy row is read. */
const activeCount = sql<number>`(select count(*)::int from case_buddy cb where cb.territory_id = b.territory_id and cb.buddy_user_id = b.user_id and cb.ended_at is null)`;

export const findBuddy = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('buddy as b')
    .innerJoin('user_account as u', 'u.id', 'b.user_id')
    .select([...buddyColumns, 'u.display_name', 'u.email', 'u.locale', activeCount.as('active')])
    .where('b.territory_id', '=', territoryId)
    .where('b.user_id', '=', userId)
    .executeTakeFirst();

/** Locks the buddy row: pairings with this buddy are confirmed one after the other, so capacity holds. */
export const lockBuddy = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('buddy')
    .select(['user_id', 'home_insee', 'max_households', 'withdrawn_at', sql<Date | null>`(select u.disabled_at from user_account u where u.id = buddy.user_id)`.as('disabled_at')])
    .where('territory_id', '=', territoryId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();

/** Opting in (again) sets the profile and clears a previous withdrawal. */
export const upsertBuddy = (db: Executor, v: BuddyValues & { territoryId: number; userId: string; markedBy: string | null; now: Date }) =>
  db
    .insertInto('buddy')
    .values({
      territory_id: v.territoryId,
      user_id: v.userId,
      home_insee: v.homeInsee,
      projects: v.projects,
      presentation: v.presentation,
      max_households: v.maxHouseholds,
      opted_in_at: v.now,
      marked_by: v.markedBy,
      updated_at: v.now,
    })
    .onConflict((oc) =>
      oc.columns(['territory_id', 'user_id']).doUpdateSet({
        home_insee: v.homeInsee,
        projects: v.projects,
        presentation: v.presentation,
        max_households: v.maxHouseholds,
        marked_by: v.markedBy,
        updated_at: v.now,
        withdrawn_at: null,
        opted_in_at: sql`case when buddy.withdrawn_at is null then buddy.opted_in_at else ${v.now} end`,
      }),
    )
    .execute();

export const withdrawBuddy = (db: Executor, territoryId: number, userId: string, now: Date) =>
  db
    .updateTable('buddy')
    .set({ withdrawn_at: now, updated_at: now })
    .where('territory_id', '=', territoryId)
    .where('user_id', '=', userId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();

/** Every buddy of the territory with its name and current load, available ones first. */
export const listBuddies = (db: Executor, territoryId: number, opts: { availableOnly: boolean }) => {
  let q = db
    .selectFrom('buddy as b')
    .innerJoin('user_account as u', 'u.id', 'b.user_id')
    .select([...buddyColumns, 'u.display_name', 'u.email', activeCount.as('active')])
    .where('b.territory_id', '=', territoryId);
  if (opts.availableOnly) q = q.where('b.withdrawn_at', 'is', null).where('u.disabled_at', 'is', null);
  return q.orderBy(sql`b.withdrawn_at is not null`).orderBy('u.display_name').execute();
};
export type BuddyRow = Awaited<ReturnType<typeof listBuddies>>[number];

/** Whether the account holds the member role in the territory (only members can be buddies). */
export const findMemberByEmail = (db: Executor, territoryId: number, email: string) =>
  db
    .selectFrom('user_account as u')
    .select(['u.id', 'u.display_name', 'u.disabled_at'])
    .select((eb) =>
      eb
        .exists(eb.selectFrom('role_grant as g').select('g.role').whereRef('g.user_id', '=', 'u.id').where('g.territory_id', '=', territoryId).where('g.role', '=', 'member'))
        .as('is_member'),
    )
    .where('u.email', '=', email)
    .executeTakeFirst();

// ---------------------------------------------------------------------------------------------- pairings

export const findActivePairing = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_buddy as p')
    .innerJoin('user_account as u', 'u.id', 'p.buddy_user_id')
    .leftJoin('buddy as b', (j) => j.onRef('b.territory_id', '=', 'p.territory_id').onRef('b.user_id', '=', 'p.buddy_user_id'))
    .leftJoin('user_account as s', 's.id', 'p.confirmed_by')
    .select(['p.id', 'p.buddy_user_id', 'p.confirmed_at', 'u.display_name', 'u.email', 'u.locale', 'b.home_insee', 'b.projects', 's.display_name as confirmed_by_name'])
    .where('p.case_id', '=', caseId)
    .where('p.ended_at', 'is', null)
    .executeTakeFirst();

export const lockActivePairing = (db: Executor, caseId: string) =>
  db.selectFrom('case_buddy').select(['id', 'buddy_user_id']).where('case_id', '=', caseId).where('ended_at', 'is', null).forUpdate().executeTakeFirst();

export const countActivePairings = async (db: Executor, territoryId: number, userId: string) =>
  Number(
    (
      await db
        .selectFrom('case_buddy')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('territory_id', '=', territoryId)
        .where('buddy_user_id', '=', userId)
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Returns nothing when the case got another active pairing meanwhile (unique partial index). */
export const insertPairing = (db: Executor, v: { territoryId: number; caseId: string; buddyUserId: string; by: string; now: Date }) =>
  db
    .insertInto('case_buddy')
    .values({ territory_id: v.territoryId, case_id: v.caseId, buddy_user_id: v.buddyUserId, confirmed_at: v.now, confirmed_by: v.by })
    .onConflict((oc) => oc.column('case_id').where('ended_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();

export const endPairing = (db: Executor, pairingId: number, by: string, now: Date) =>
  db.updateTable('case_buddy').set({ ended_at: now, ended_by: by }).where('id', '=', pairingId).where('ended_at', 'is', null).execute();

/** Ended pairings of a case, newest first, for the case page. */
export const listEndedPairings = (db: Executor, caseId: string) =>
  db
    .selectFrom('case_buddy as p')
    .innerJoin('user_account as u', 'u.id', 'p.buddy_user_id')
    .select(['p.id', 'p.confirmed_at', 'p.ended_at', 'u.display_name'])
    .where('p.case_id', '=', caseId)
    .where('p.ended_at', 'is not', null)
    .orderBy('p.ended_at', 'desc')
    .execute();

/**
 * The households a buddy accompanies now, as the buddy may see them: the contact's name and address, the household's
 * composition, projects and villages. Never the stage, notes or anything else of the case.
 */
export const listHouseholdsOfBuddy = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('case_buddy as p')
    .innerJoin('newcomer_case as c', 'c.id', 'p.case_id')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select([
      'p.id',
      'p.confirmed_at',
      'c.contact_name',
      'u.email as contact_email',
      'c.settled_insee',
      sql<number>`(select count(*)::int from case_adult ad where ad.case_id = c.id)`.as('adults'),
      sql<number>`(select count(*)::int from case_child ch where ch.case_id = c.id)`.as('children'),
      sql<string[]>`coalesce((select array_agg(distinct ad.project) from case_adult ad where ad.case_id = c.id), '{}')`.as('projects'),
      sql<string[]>`coalesce((select array_agg(cc.insee order by cc.added_at, cc.insee) from case_commune cc where cc.case_id = c.id), '{}')`.as('communes'),
    ])
    .where('p.territory_id', '=', territoryId)
    .where('p.buddy_user_id', '=', userId)
    .where('p.ended_at', 'is', null)
    .orderBy('p.confirmed_at')
    .execute();

/** Current pairings of the territory, for the staff list of buddies. */
export const listActivePairings = (db: Executor, territoryId: number) =>
  db
    .selectFrom('case_buddy as p')
    .innerJoin('newcomer_case as c', 'c.id', 'p.case_id')
    .select(['p.buddy_user_id', 'c.id as case_id', 'c.number', 'c.contact_name'])
    .where('p.territory_id', '=', territoryId)
    .where('p.ended_at', 'is', null)
    .orderBy('p.confirmed_at')
    .execute();

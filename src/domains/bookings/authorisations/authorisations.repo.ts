/** The only SQL of the authorisations room: training kinds, the sessions linked to them, authorisations, last uses. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';

export const listKinds = (db: Executor, territoryId: number) =>
  db.selectFrom('booking_training_kind').selectAll().where('territory_id', '=', territoryId).orderBy('name').execute();

export const findKind = (db: Executor, territoryId: number, id: number) =>
  db.selectFrom('booking_training_kind').selectAll().where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();
export type KindRow = NonNullable<Awaited<ReturnType<typeof findKind>>>;

export const findKindBySlug = (db: Executor, territoryId: number, slug: string) =>
  db.selectFrom('booking_training_kind').selectAll().where('territory_id', '=', territoryId).where('slug', '=', slug).executeTakeFirst();

export interface KindColumns {
  slug: string;
  name: string;
  validity_months: number;
  lapse_months: number | null;
}

export const insertKind = (db: Executor, territoryId: number, c: KindColumns, at: Date) =>
  db.insertInto('booking_training_kind').values({ ...c, territory_id: territoryId, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();

export const updateKind = (db: Executor, territoryId: number, id: number, c: KindColumns, at: Date) =>
  db.updateTable('booking_training_kind').set({ ...c, updated_at: at }).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

/** The machines of the territory and the kind each requires. */
export const listMachines = (db: Executor, territoryId: number) =>
  db
    .selectFrom('booking_resource')
    .select(['id', 'name', 'slug', 'training_kind_id', 'requires_authorisation'])
    .where('territory_id', '=', territoryId)
    .where('kind', '=', 'machine')
    .orderBy('name')
    .execute();

/** The kind's machines are exactly `ids`: they require it (and an authorisation); the others no longer name it. */
export async function setMachinesOfKind(db: Executor, territoryId: number, kindId: number, ids: readonly number[]) {
  await db
    .updateTable('booking_resource')
    .set({ training_kind_id: null })
    .where('territory_id', '=', territoryId)
    .where('training_kind_id', '=', kindId)
    .$if(ids.length > 0, (q) => q.where('id', 'not in', ids))
    .execute();
  if (ids.length) {
    await db
      .updateTable('booking_resource')
      .set({ training_kind_id: kindId, requires_authorisation: true })
      .where('territory_id', '=', territoryId)
      .where('kind', '=', 'machine')
      .where('id', 'in', ids)
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------- sessions

export const listSessions = (db: Executor, territoryId: number, kindId?: number) =>
  db
    .selectFrom('booking_training_session')
    .select(['event_id', 'training_kind_id'])
    .where('territory_id', '=', territoryId)
    .$if(kindId !== undefined, (q) => q.where('training_kind_id', '=', kindId!))
    .execute();

export const findSession = (db: Executor, territoryId: number, eventId: number) =>
  db
    .selectFrom('booking_training_session as s')
    .innerJoin('booking_training_kind as k', 'k.id', 's.training_kind_id')
    .select(['s.event_id', 's.training_kind_id', 'k.name as kind_name', 'k.validity_months'])
    .where('s.territory_id', '=', territoryId)
    .where('s.event_id', '=', eventId)
    .executeTakeFirst();

export const insertSession = (db: Executor, territoryId: number, eventId: number, kindId: number, at: Date) =>
  db
    .insertInto('booking_training_session')
    .values({ territory_id: territoryId, event_id: eventId, training_kind_id: kindId, created_at: at })
    .onConflict((oc) => oc.column('event_id').doUpdateSet({ training_kind_id: kindId }))
    .execute();

// ---------------------------------------------------------------------------------------------- authorisations

const authorisations = (db: Executor, territoryId: number, now: Date) =>
  db
    .selectFrom('booking_authorisation as a')
    .innerJoin('booking_training_kind as k', 'k.id', 'a.training_kind_id')
    .innerJoin('user_account as u', 'u.id', 'a.user_id')
    .leftJoin('user_account as g', 'g.id', 'a.granted_by')
    .select([
      'a.id',
      'a.user_id',
      'a.training_kind_id',
      'a.event_id',
      'a.granted_at',
      'a.expires_at',
      'k.name as kind_name',
      'k.lapse_months',
      'u.display_name as person_name',
      'u.email as person_email',
      'g.display_name as granted_by_name',
    ])
    // The person's last use of a machine of this kind: the end of their last booking of one, unless a no-show.
    .select((eb) =>
      eb
        .selectFrom('booking as b')
        .innerJoin('booking_resource as r', 'r.id', 'b.resource_id')
        .select(sql<Date | null>`max(upper(b.period))`.as('last'))
        .whereRef('b.user_id', '=', 'a.user_id')
        .whereRef('r.training_kind_id', '=', 'a.training_kind_id')
        .where('b.status', '=', 'confirmed')
        .where(sql<boolean>`b.presence is distinct from 'no_show'`)
        .where(sql<boolean>`upper(b.period) <= ${now}`)
        .as('last_used_at'),
    )
    .where('a.territory_id', '=', territoryId);
export type AuthorisationRow = Awaited<ReturnType<typeof listAuthorisations>>[number];

export const listAuthorisations = (db: Executor, territoryId: number, now: Date, f: { userId?: string; kindId?: number } = {}) =>
  authorisations(db, territoryId, now)
    .$if(!!f.userId, (q) => q.where('a.user_id', '=', f.userId!))
    .$if(f.kindId !== undefined, (q) => q.where('a.training_kind_id', '=', f.kindId!))
    .orderBy('k.name')
    .orderBy('u.display_name')
    .execute();

export const findAuthorisation = (db: Executor, territoryId: number, now: Date, userId: string, kindId: number) =>
  authorisations(db, territoryId, now).where('a.user_id', '=', userId).where('a.training_kind_id', '=', kindId).executeTakeFirst();

/** Grants (or renews) the person's authorisation for the kind. */
export const upsertAuthorisation = (
  db: Executor,
  v: { territoryId: number; userId: string; kindId: number; eventId: number | null; grantedAt: Date; grantedBy: string | null; expiresAt: Date },
) =>
  db
    .insertInto('booking_authorisation')
    .values({ territory_id: v.territoryId, user_id: v.userId, training_kind_id: v.kindId, event_id: v.eventId, granted_at: v.grantedAt, granted_by: v.grantedBy, expires_at: v.expiresAt })
    .onConflict((oc) => oc.columns(['user_id', 'training_kind_id']).doUpdateSet({ event_id: v.eventId, granted_at: v.grantedAt, granted_by: v.grantedBy, expires_at: v.expiresAt }))
    .execute();

export const exportAuthorisationsOfUser = (db: Executor, territoryId: number, userId: string) =>
  db
    .selectFrom('booking_authorisation as a')
    .innerJoin('booking_training_kind as k', 'k.id', 'a.training_kind_id')
    .select(['k.name as training', 'a.granted_at', 'a.expires_at'])
    .where('a.territory_id', '=', territoryId)
    .where('a.user_id', '=', userId)
    .execute();

export const deleteAuthorisationsOfUser = async (db: Executor, territoryId: number, userId: string) =>
  Number((await db.deleteFrom('booking_authorisation').where('territory_id', '=', territoryId).where('user_id', '=', userId).executeTakeFirst()).numDeletedRows);

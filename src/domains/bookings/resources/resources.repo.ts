/** The only SQL of the resources room: resources and their closures. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { BookingResourceTable } from '../../../db/schema.js';

export type ResourceRow = Selectable<BookingResourceTable> & { place_name: string; place_slug: string; parent_name: string | null };
export type ResourceColumns = Omit<Insertable<BookingResourceTable>, 'id' | 'territory_id' | 'created_at' | 'updated_at' | 'updated_by'>;

const withPlace = (db: Executor, territoryId: number) =>
  db
    .selectFrom('booking_resource as r')
    .innerJoin('third_place as p', 'p.id', 'r.place_id')
    .leftJoin('booking_resource as parent', 'parent.id', 'r.parent_id')
    .selectAll('r')
    .select(['p.name as place_name', 'p.slug as place_slug', 'parent.name as parent_name'])
    .where('r.territory_id', '=', territoryId);

export const listResources = (db: Executor, territoryId: number, opts: { activeOnly?: boolean } = {}): Promise<ResourceRow[]> =>
  withPlace(db, territoryId)
    .$if(!!opts.activeOnly, (q) => q.where('r.active', '=', true))
    .orderBy('p.name')
    .orderBy('r.kind')
    .orderBy('r.name')
    .execute();

export const findResourceById = (db: Executor, territoryId: number, id: number): Promise<ResourceRow | undefined> =>
  withPlace(db, territoryId).where('r.id', '=', id).executeTakeFirst();

export const findResourceBySlug = (db: Executor, territoryId: number, slug: string): Promise<ResourceRow | undefined> =>
  withPlace(db, territoryId).where('r.slug', '=', slug).executeTakeFirst();

/** Resources sitting in this one (machines in a room). */
export const listChildIds = async (db: Executor, id: number) =>
  (await db.selectFrom('booking_resource').select('id').where('parent_id', '=', id).execute()).map((r) => r.id);

export const insertResource = (db: Executor, territoryId: number, c: ResourceColumns, by: string | null, at: Date) =>
  db
    .insertInto('booking_resource')
    .values({ ...c, territory_id: territoryId, created_at: at, updated_at: at, updated_by: by })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateResource = (db: Executor, territoryId: number, id: number, c: ResourceColumns, by: string | null, at: Date) =>
  db.updateTable('booking_resource').set({ ...c, updated_at: at, updated_by: by }).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

/**
 * A resource whose capacity changes between one and many keeps its future live bookings under the right rule:
 * `exclusive` follows the capacity (the database refuses the change if single use would now overlap).
 */
export const setExclusiveFromCapacity = (db: Executor, id: number, exclusive: boolean, from: Date) =>
  sql`update booking set exclusive = ${exclusive}
      where resource_id = ${id} and kind = 'booking' and status in ('held', 'confirmed') and upper(period) > ${from} and exclusive <> ${exclusive}`.execute(db);

export interface ClosureRow {
  id: number;
  resource_id: number;
  starts_at: Date;
  ends_at: Date;
  reason: string;
}

/** Closures of these resources overlapping [from, to). */
export const listClosures = async (db: Executor, resourceIds: readonly number[], from: Date, to: Date): Promise<ClosureRow[]> =>
  resourceIds.length
    ? (
        await sql<ClosureRow>`select id, resource_id, lower(period) as starts_at, upper(period) as ends_at, reason from booking_closure
          where resource_id in (${sql.join([...resourceIds])}) and period && tstzrange(${from}, ${to}, '[)') order by lower(period)`.execute(db)
      ).rows
    : [];

export const listUpcomingClosures = async (db: Executor, resourceId: number, from: Date): Promise<ClosureRow[]> =>
  (
    await sql<ClosureRow>`select id, resource_id, lower(period) as starts_at, upper(period) as ends_at, reason from booking_closure
      where resource_id = ${resourceId} and upper(period) > ${from} order by lower(period)`.execute(db)
  ).rows;

export const insertClosure = (db: Executor, c: { resourceId: number; start: Date; end: Date; reason: string; by: string | null; at: Date }) =>
  db
    .insertInto('booking_closure')
    .values({ resource_id: c.resourceId, period: sql<string>`tstzrange(${c.start}, ${c.end}, '[)')`, reason: c.reason, created_by: c.by, created_at: c.at })
    .returning('id')
    .executeTakeFirstOrThrow();

export const deleteClosure = (db: Executor, resourceId: number, id: number) =>
  db.deleteFrom('booking_closure').where('resource_id', '=', resourceId).where('id', '=', id).executeTakeFirst();

/** Replaces the resource's photo: the old bytes go, the new ones come under a new id. */
export async function setPhoto(db: Executor, v: { territoryId: number; resourceId: number; id: string; image: Buffer; alt: string | null; now: Date }) {
  await db.deleteFrom('booking_resource_photo').where('resource_id', '=', v.resourceId).execute();
  await db.insertInto('booking_resource_photo').values({ id: v.id, resource_id: v.resourceId, territory_id: v.territoryId, image: v.image, created_at: v.now }).execute();
  await db.updateTable('booking_resource').set({ photo_id: v.id, photo_alt: v.alt, updated_at: v.now }).where('id', '=', v.resourceId).execute();
}

export async function removePhoto(db: Executor, resourceId: number, now: Date) {
  const gone = await db.deleteFrom('booking_resource_photo').where('resource_id', '=', resourceId).executeTakeFirst();
  await db.updateTable('booking_resource').set({ photo_id: null, photo_alt: null, updated_at: now }).where('id', '=', resourceId).execute();
  return Number(gone.numDeletedRows) > 0;
}

/** A photo's bytes with whether its resource is active (who may see it). */
export const findPhoto = (db: Executor, territoryId: number, id: string) =>
  db
    .selectFrom('booking_resource_photo as f')
    .innerJoin('booking_resource as r', 'r.id', 'f.resource_id')
    .select(['f.image', 'r.active'])
    .where('f.territory_id', '=', territoryId)
    .where('f.id', '=', id)
    .where('r.photo_id', '=', id)
    .executeTakeFirst();

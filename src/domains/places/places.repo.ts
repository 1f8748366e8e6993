/** SQL for third places: listing, editing and the French full-text search over published ones. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { PublicationStatus, ThirdPlaceTable } from '../../db/schema.js';
import { NAME_SIMILARITY, type SearchQuery } from '../../shared/french-search.js';

export type PlaceRow = Omit<Selectable<ThirdPlaceTable>, 'search' | 'search_name'>;
export type PlaceFields = Omit<Insertable<ThirdPlaceTable>, 'id' | 'territory_id' | 'created_at' | 'updated_at' | 'updated_by' | 'search' | 'search_name'>;

const COLUMNS = [
  'id', 'territory_id', 'slug', 'name', 'summary', 'description_md', 'label', 'commune_insee', 'commune_name', 'address', 'postcode',
  'lat', 'lon', 'location_approximate', 'services', 'services_note', 'opening_hours', 'hours_note', 'prices', 'prices_are_example',
  'website', 'email', 'phone', 'source_url', 'status', 'created_at', 'updated_at', 'updated_by',
] as const satisfies readonly (keyof PlaceRow)[];

export async function listPlaces(db: Executor, territoryId: number, opts: { status?: PublicationStatus } = {}): Promise<PlaceRow[]> {
  let q = db.selectFrom('third_place').select(COLUMNS).where('territory_id', '=', territoryId);
  if (opts.status) q = q.where('status', '=', opts.status);
  // La Dynamo, the programme's own place, is curated first; the others follow by name.
  return q.orderBy(sql`slug = 'la-dynamo'`, 'desc').orderBy(sql`lower(immutable_unaccent(name))`).execute();
}

export const findPlaceBySlug = (db: Executor, territoryId: number, slug: string): Promise<PlaceRow | undefined> =>
  db.selectFrom('third_place').select(COLUMNS).where('territory_id', '=', territoryId).where('slug', '=', slug).executeTakeFirst();

export const findPlaceById = (db: Executor, territoryId: number, id: number): Promise<PlaceRow | undefined> =>
  db.selectFrom('third_place').select(COLUMNS).where('territory_id', '=', territoryId).where('id', '=', id).executeTakeFirst();

export const insertPlace = (db: Executor, territoryId: number, f: PlaceFields, by: string | null, at: Date) =>
  db
    .insertInto('third_place')
    .values({ ...f, territory_id: territoryId, created_at: at, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.columns(['territory_id', 'slug']).doNothing())
    .returning(['id'])
    .executeTakeFirst();

export const updatePlace = (db: Executor, territoryId: number, id: number, f: PlaceFields, by: string | null, at: Date) =>
  db
    .updateTable('third_place')
    .set({ ...f, updated_at: at, updated_by: by })
    .where('territory_id', '=', territoryId)
    .where('id', '=', id)
    .returning(['id'])
    .executeTakeFirst();

export async function countPlaces(db: Executor, territoryId: number) {
  const row = await db.selectFrom('third_place').select((eb) => eb.fn.countAll<number>().as('n')).where('territory_id', '=', territoryId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Published places whose name, commune, services or description match (French stemming, no accents), or whose name is close. */
export async function searchPublishedPlaces(db: Executor, territoryId: number, q: SearchQuery, limit: number) {
  const tsq = sql`to_tsquery('french', ${q.tsquery})`;
  const similarity = sql<number>`word_similarity(${q.text}, search_name)`;
  return db
    .selectFrom('third_place')
    .select(['slug', 'name', 'summary', 'commune_insee', 'commune_name', 'services', sql<number>`ts_rank(search, ${tsq}) + ${similarity}`.as('score')])
    .where('territory_id', '=', territoryId)
    .where('status', '=', 'published')
    .where(sql<boolean>`(search @@ ${tsq} or ${similarity} >= ${NAME_SIMILARITY})`)
    .orderBy('score', 'desc')
    .orderBy('name')
    .limit(limit)
    .execute();
}

/** Demo content: example prices on one place, only where staff have not entered real ones. */
export const setExamplePricesIfEmpty = (db: Executor, territoryId: number, slug: string, prices: string) =>
  db
    .updateTable('third_place')
    .set({ prices, prices_are_example: true })
    .where('territory_id', '=', territoryId)
    .where('slug', '=', slug)
    .where('prices', '=', '')
    .execute();

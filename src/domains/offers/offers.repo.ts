/**
 * SQL for offers and the households' interest in them. Public reads list their columns in `PUBLIC_COLUMNS`, which
 * leaves out the seller's contact and who wrote the offer: a public page or the API cannot show what it never read.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../context.js';
import type { DB, OfferKind, OfferStatus } from '../../db/schema.js';
import type { OfferColumns } from './offers.schemas.js';

const dateText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

type OfferScope = ExpressionBuilder<DB & { o: DB['offer']; c: DB['commune'] }, 'o' | 'c'>;

/** What anybody may read about a published offer. */
const PUBLIC_COLUMNS = [
  'o.id',
  'o.kind',
  'o.status',
  'o.title',
  'o.description',
  'o.insee',
  'o.sector',
  'o.price_min',
  'o.price_max',
  'o.turnover',
  'o.employer',
  'o.contract',
  'o.remote',
  'o.housing_type',
  'o.price',
  'o.surface_m2',
  'o.rooms',
  'o.published_at',
  'c.name as commune_name',
  'c.epci_siren',
] as const;
const publicDates = () => [dateText('o.expires_on').as('expires_on'), dateText('o.available_on').as('available_on')] as const;

const withCommune = (db: Executor) => db.selectFrom('offer as o').innerJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'o.territory_id').onRef('c.insee', '=', 'o.insee'));

/** Published and not past its date (today in Paris, YYYY-MM-DD). */
const live = (eb: OfferScope, territoryId: number, today: string) =>
  eb.and([eb('o.territory_id', '=', territoryId), eb('o.status', '=', 'published'), eb('o.expires_on', '>=', today)]);

// ---------------------------------------------------------------------------------------------- writing


export const insertOffer = (
  db: Executor,
  v: OfferColumns & { territory_id: number; status: OfferStatus; proposed_by: string | null; created_by: string | null; now: Date; published_by: string | null },
) =>
  db
    .insertInto('offer')
    .values({
      ...columnsOf(v),
      territory_id: v.territory_id,
      status: v.status,
      proposed_by: v.proposed_by,
      created_by: v.created_by,
      created_at: v.now,
      updated_at: v.now,
      published_at: v.status === 'published' ? v.now : null,
      published_by: v.published_by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** The columns a form sets, listed once for a new offer and a change. */
const columnsOf = (v: OfferColumns): OfferColumns => ({
  kind: v.kind,
  title: v.title,
  description: v.description,
  insee: v.insee,
  expires_on: v.expires_on,
  sector: v.sector,
  price_min: v.price_min,
  price_max: v.price_max,
  turnover: v.turnover,
  seller_name: v.seller_name,
  seller_email: v.seller_email,
  seller_phone: v.seller_phone,
  employer: v.employer,
  contract: v.contract,
  remote: v.remote,
  housing_type: v.housing_type,
  price: v.price,
  surface_m2: v.surface_m2,
  rooms: v.rooms,
  available_on: v.available_on,
});

export const updateOfferColumns = (db: Executor, id: number, v: OfferColumns, now: Date) =>
  db.updateTable('offer').set({ ...columnsOf(v), updated_at: now }).where('id', '=', id).execute();

export const setOfferStatus = (db: Executor, id: number, patch: { status: OfferStatus; now: Date; by: string }) =>
  db
    .updateTable('offer')
    .set({
      status: patch.status,
      updated_at: patch.now,
      withdrawn_at: patch.status === 'withdrawn' ? patch.now : null,
      ...(patch.status === 'published' ? { published_at: patch.now, published_by: patch.by } : {}),
    })
    .where('id', '=', id)
    .execute();

export const lockOffer = (db: Executor, territoryId: number, id: number) =>
  db
    .selectFrom('offer')
    .select(['id', 'kind', 'status', 'title', 'proposed_by', dateText('expires_on').as('expires_on')])
    .where('territory_id', '=', territoryId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

// ---------------------------------------------------------------------------------------------- the team's reads

/** Everything about one offer, the seller's contact included: for the team (and the partner who proposed it). */
export const findOfferForStaff = (db: Executor, territoryId: number, id: number) =>
  withCommune(db)
    .leftJoin('user_account as p', 'p.id', 'o.proposed_by')
    .select([
      ...PUBLIC_COLUMNS,
      ...publicDates(),
      'o.seller_name',
      'o.seller_email',
      'o.seller_phone',
      'o.proposed_by',
      'o.created_at',
      'o.updated_at',
      'o.withdrawn_at',
      'p.display_name as proposed_by_name',
    ])
    .where('o.territory_id', '=', territoryId)
    .where('o.id', '=', id)
    .executeTakeFirst();
export type StaffOfferRow = NonNullable<Awaited<ReturnType<typeof findOfferForStaff>>>;

export interface StaffOfferFilter {
  kind?: OfferKind;
  status?: OfferStatus | 'expired';
  proposedBy?: string;
}

export async function listOffersForStaff(db: Executor, territoryId: number, f: StaffOfferFilter, today: string, limit: number, offset: number) {
  const where = (eb: OfferScope) => {
    const all: Expression<SqlBool>[] = [eb('o.territory_id', '=', territoryId)];
    if (f.kind) all.push(eb('o.kind', '=', f.kind));
    if (f.proposedBy) all.push(eb('o.proposed_by', '=', f.proposedBy));
    if (f.status === 'expired') all.push(eb('o.status', '=', 'published'), eb('o.expires_on', '<', today));
    else if (f.status === 'published') all.push(eb('o.status', '=', 'published'), eb('o.expires_on', '>=', today));
    else if (f.status) all.push(eb('o.status', '=', f.status));
    return eb.and(all);
  };
  const [rows, count] = await Promise.all([
    withCommune(db)
      .where(where)
      .select(['o.id', 'o.kind', 'o.status', 'o.title', 'o.housing_type', 'o.updated_at', 'c.name as commune_name', dateText('o.expires_on').as('expires_on')])
      .select(sql<number>`(select count(*) from offer_interest i where i.offer_id = o.id)`.as('interests'))
      .orderBy(sql`o.status = 'proposed'`, 'desc')
      .orderBy('o.updated_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    withCommune(db)
      .where(where)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
export type StaffOfferSummary = Awaited<ReturnType<typeof listOffersForStaff>>['rows'][number];

// ---------------------------------------------------------------------------------------------- public reads

export const findPublicOffer = (db: Executor, territoryId: number, id: number) =>
  withCommune(db)
    .leftJoin('epci as e', (j) => j.onRef('e.territory_id', '=', 'c.territory_id').onRef('e.siren', '=', 'c.epci_siren'))
    .select([...PUBLIC_COLUMNS, ...publicDates(), 'e.name as epci_name'])
    .where('o.territory_id', '=', territoryId)
    .where('o.id', '=', id)
    .executeTakeFirst();
export type PublicOfferRow = NonNullable<Awaited<ReturnType<typeof findPublicOffer>>>;

export interface PublicOfferFilter {
  kind?: OfferKind;
  housingType?: string;
  insee?: string;
  epciSiren?: string;
  sector?: string;
  maxPrice?: number;
}

export async function listPublicOffers(db: Executor, territoryId: number, f: PublicOfferFilter, today: string, limit: number, offset: number) {
  // Conditions on the offer alone (the intercommunality through a subquery), so the count needs no join.
  const where = (eb: ExpressionBuilder<DB & { o: DB['offer'] }, 'o'>) => {
    const all: Expression<SqlBool>[] = [eb('o.territory_id', '=', territoryId), eb('o.status', '=', 'published'), eb('o.expires_on', '>=', today)];
    if (f.kind) all.push(eb('o.kind', '=', f.kind));
    if (f.housingType) all.push(eb('o.housing_type', '=', f.housingType));
    if (f.insee) all.push(eb('o.insee', '=', f.insee));
    if (f.epciSiren) {
      all.push(eb('o.insee', 'in', eb.selectFrom('commune as ce').select('ce.insee').where('ce.territory_id', '=', territoryId).where('ce.epci_siren', '=', f.epciSiren)));
    }
    if (f.sector) all.push(eb('o.sector', '=', f.sector));
    // A takeover fits when its lowest asking price does; a job has no price and leaves the list.
    if (f.maxPrice !== undefined) all.push(eb(eb.fn.coalesce('o.price', 'o.price_min'), '<=', f.maxPrice));
    return eb.and(all);
  };
  const [rows, count] = await Promise.all([
    withCommune(db)
      .where(where)
      .select([...PUBLIC_COLUMNS, ...publicDates()])
      .orderBy('o.published_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('offer as o')
      .where(where)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
export type PublicOfferSummary = Awaited<ReturnType<typeof listPublicOffers>>['rows'][number];

/**
 * Live offers matching a site search (French stemming, accents ignored) in their title, description, employer or
 * commune's name. The offers are a few hundred at most, so the text is matched without a stored index.
 */
export function searchLiveOffers(db: Executor, territoryId: number, q: { tsquery: string; text: string }, today: string, limit: number) {
  const doc = sql`to_tsvector('french', immutable_unaccent(o.title || ' ' || o.description || ' ' || coalesce(o.employer, '') || ' ' || c.name))`;
  const tsq = sql`to_tsquery('french', ${q.tsquery})`;
  return withCommune(db)
    .where((eb) => live(eb, territoryId, today))
    .where(sql<boolean>`${doc} @@ ${tsq}`)
    .select(['o.id', 'o.kind', 'o.title', 'o.expires_on', 'c.name as commune_name', sql<number>`ts_rank(${doc}, ${tsq})`.as('score')])
    .orderBy('score', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .execute();
}

/** The communes that have a live offer, for the list's filter. */
export const listCommunesWithOffers = (db: Executor, territoryId: number, today: string) =>
  withCommune(db)
    .where((eb) => live(eb, territoryId, today))
    .select(['c.insee', 'c.name'])
    .distinct()
    .orderBy('c.name')
    .execute();

/** The example offers just loaded into a territory that had none: all of its offers are demo content. */
export const markAllOffersDemo = (db: Executor, territoryId: number) => db.updateTable('offer').set({ demo: true }).where('territory_id', '=', territoryId).execute();

/** `npm run demo:remove`: the example offers go, with the interest shown in them (cascade). */
export const deleteDemoOffers = async (db: Executor, territoryId: number) =>
  Number((await db.deleteFrom('offer').where('territory_id', '=', territoryId).where('demo', '=', true).executeTakeFirst()).numDeletedRows);

export const hasAnyOffer = async (db: Executor, territoryId: number) =>
  !!(await db.selectFrom('offer').select('id').where('territory_id', '=', territoryId).limit(1).executeTakeFirst());

export const communeExists = async (db: Executor, territoryId: number, insee: string) =>
  !!(await db.selectFrom('commune').select('insee').where('territory_id', '=', territoryId).where('insee', '=', insee).executeTakeFirst());

// ---------------------------------------------------------------------------------------------- suggestions for a case

export interface Wanted {
  takeover: boolean;
  job: boolean;
  housingTypes: string[];
}

/**
 * Live offers in the case's target communes or in their intercommunalities, of the kinds its projects and needs
 * call for; offers in a target commune first, then the most recently published.
 */
export function suggestOffers(db: Executor, territoryId: number, targets: readonly string[], wanted: Wanted, today: string, limit: number) {
  const targetEpcis = db
    .selectFrom('commune as tc')
    .select('tc.epci_siren')
    .where('tc.territory_id', '=', territoryId)
    .where('tc.insee', 'in', targets)
    .where('tc.epci_siren', 'is not', null);
  return withCommune(db)
    .where((eb) => {
      const kinds: Expression<SqlBool>[] = [];
      if (wanted.takeover) kinds.push(eb('o.kind', '=', 'takeover'));
      if (wanted.job) kinds.push(eb('o.kind', '=', 'job'));
      if (wanted.housingTypes.length) kinds.push(eb.and([eb('o.kind', '=', 'housing'), eb('o.housing_type', 'in', wanted.housingTypes)]));
      return eb.and([live(eb, territoryId, today), eb.or(kinds), eb.or([eb('o.insee', 'in', targets), eb('c.epci_siren', 'in', targetEpcis)])]);
    })
    .select([...PUBLIC_COLUMNS, ...publicDates()])
    .select((eb) => eb('o.insee', 'in', targets).as('in_target'))
    .orderBy((eb) => eb('o.insee', 'in', targets), 'desc')
    .orderBy('o.published_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------------------------------------- interest

/** Returns nothing when the household had already said so (one row per offer and case). */
export const insertInterest = (db: Executor, v: { territoryId: number; offerId: number; caseId: string; at: Date }) =>
  db
    .insertInto('offer_interest')
    .values({ territory_id: v.territoryId, offer_id: v.offerId, case_id: v.caseId, at: v.at })
    .onConflict((oc) => oc.columns(['offer_id', 'case_id']).doNothing())
    .returning('id')
    .executeTakeFirst();

export const hasInterest = async (db: Executor, offerId: number, caseId: string) =>
  !!(await db.selectFrom('offer_interest').select('id').where('offer_id', '=', offerId).where('case_id', '=', caseId).executeTakeFirst());

/** The cases interested in an offer, newest first (anonymised cases keep no interest rows). */
export const listInterestsOfOffer = (db: Executor, offerId: number) =>
  db.selectFrom('offer_interest').select(['at', 'case_id']).where('offer_id', '=', offerId).orderBy('at', 'desc').orderBy('id', 'desc').execute();

/** The offers a household said it is interested in, newest first. */
export const listInterestsOfCase = (db: Executor, caseId: string) =>
  withCommune(db)
    .innerJoin('offer_interest as i', 'i.offer_id', 'o.id')
    .select(['i.at', 'o.id', 'o.kind', 'o.title', 'o.status', 'o.housing_type', 'c.name as commune_name', dateText('o.expires_on').as('expires_on')])
    .where('i.case_id', '=', caseId)
    .orderBy('i.at', 'desc')
    .execute();
export type CaseInterestRow = Awaited<ReturnType<typeof listInterestsOfCase>>[number];

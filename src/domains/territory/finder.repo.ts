/**
 * SQL of the finder, the comparison and the communes API. The filters are one boolean expression built here, used
 * either as a WHERE (the API's pages) or as a `matches` column (the finder page, which needs every commune anyway
 * for its map: one query then gives the map, the count, the page and the highlights from the same snapshot).
 */
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { Destination, FinderFilters, FinderSort, SortKey } from './finder.schemas.js';

type Eb = ExpressionBuilder<DB & { c: DB['commune'] }, 'c'>;

/** Where each destination's figures live. */
const ACCESS: Record<Destination, { km: 'km_toulouse' | 'km_bordeaux' | 'km_auch' | 'km_station' | 'km_airport'; min: 'min_toulouse' | 'min_bordeaux' | 'min_auch' | 'min_station' | 'min_airport' }> = {
  toulouse: { km: 'km_toulouse', min: 'min_toulouse' },
  bordeaux: { km: 'km_bordeaux', min: 'min_bordeaux' },
  auch: { km: 'km_auch', min: 'min_auch' },
  gare: { km: 'km_station', min: 'min_station' },
  aeroport: { km: 'km_airport', min: 'min_airport' },
};

const SORT_COLUMN: Record<Exclude<SortKey, 'nom'>, keyof DB['commune']> = {
  population: 'population',
  prix: 'dvf_house_median',
  prix_appartement: 'dvf_flat_median',
  min_toulouse: 'min_toulouse',
  km_toulouse: 'km_toulouse',
  min_bordeaux: 'min_bordeaux',
  km_bordeaux: 'km_bordeaux',
  min_auch: 'min_auch',
  km_auch: 'km_auch',
  min_gare: 'min_station',
  km_gare: 'km_station',
  min_aeroport: 'min_airport',
  km_aeroport: 'km_airport',
  medecins: 'gp_count',
  pharmacies: 'pharmacy_count',
  cinemas: 'cinema_count',
  festivals: 'festival_count',
};

/** Lower case, no accents, punctuation as spaces: "L'Isle-Jourdain" and "lisle jourdain" meet halfway. */
const folded = (e: Expression<string>) => sql<string>`regexp_replace(lower(immutable_unaccent(${e})), '[^a-z0-9]+', ' ', 'g')`;
export const foldText = (s: string) =>
  s
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** One criterion of a search: which filter it is (`q`, `min_toulouse`, `medecin`, `prix_max`…) and its test. */
export type CriterionKey = 'q' | `km_${Destination}` | `min_${Destination}` | 'medecin' | 'pharmacie' | 'cinema' | 'prix_max' | 'pop_min' | 'pop_max' | 'epci';

interface Criterion {
  key: CriterionKey;
  test: (eb: Eb) => Expression<SqlBool>;
}

/** The search's criteria, in a fixed order (the bits of `missed` follow it). */
export function criteria(f: FinderFilters): Criterion[] {
  const all: Criterion[] = [];
  if (f.q) {
    const q = f.q;
    const text = foldText(q);
    const like = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    // Punctuation alone folds to nothing: no text criterion then.
    if (text)
      all.push({
        key: 'q',
        test: (eb) => {
          const any: Expression<SqlBool>[] = [sql<SqlBool>`${folded(eb.ref('c.name'))} like ${like}`];
          // "32000" finds Auch by its postcode; "32013" by its INSEE code.
          if (/^\d{5}$/.test(q)) any.push(sql<SqlBool>`${q} = any(c.postcodes)`, eb('c.insee', '=', q));
          return eb.or(any);
        },
      });
  }
  for (const [d, km] of Object.entries(f.maxKm) as [Destination, number][]) all.push({ key: `km_${d}`, test: (eb) => eb(`c.${ACCESS[d].km}`, '<=', km) });
  for (const [d, min] of Object.entries(f.maxMinutes) as [Destination, number][]) all.push({ key: `min_${d}`, test: (eb) => eb(`c.${ACCESS[d].min}`, '<=', min) });
  if (f.gp) all.push({ key: 'medecin', test: (eb) => eb('c.gp_count', '>', 0) });
  if (f.pharmacy) all.push({ key: 'pharmacie', test: (eb) => eb('c.pharmacy_count', '>', 0) });
  if (f.cinema) all.push({ key: 'cinema', test: (eb) => eb('c.cinema_count', '>', 0) });
  const price = f.maxHousePrice;
  if (price !== undefined) all.push({ key: 'prix_max', test: (eb) => eb('c.dvf_house_median', '<=', price) });
  const popMin = f.minPopulation;
  if (popMin !== undefined) all.push({ key: 'pop_min', test: (eb) => eb('c.population', '>=', popMin) });
  const popMax = f.maxPopulation;
  if (popMax !== undefined) all.push({ key: 'pop_max', test: (eb) => eb('c.population', '<=', popMax) });
  const epci = f.epci;
  if (epci) all.push({ key: 'epci', test: (eb) => eb('c.epci_siren', '=', epci) });
  return all;
}

function matches(eb: Eb, f: FinderFilters): RawBuilder<SqlBool> {
  const all = criteria(f).map((c) => c.test(eb));
  // A comparison with a missing figure is null: coalesce so "unknown" never counts as a match.
  return all.length ? sql<SqlBool>`coalesce(${eb.and(all)}, false)` : sql<SqlBool>`true`;
}

/**
 * Which criteria a commune misses, as bits (bit i: the i-th criterion), 0 for a match. It lets a search with no
 * result show the communes that miss one criterion only, and say which.
 */
function missed(eb: Eb, f: FinderFilters): RawBuilder<number> {
  const all = criteria(f);
  if (!all.length) return sql<number>`0`;
  return sql<number>`(${sql.join(all.map((c, i) => sql`case when coalesce(${c.test(eb)}, false) then 0 else ${sql.lit(2 ** i)} end`), sql` + `)})`;
}

function orderOf(sort: FinderSort) {
  const dir = sql.raw(sort.order === 'desc' ? 'desc' : 'asc');
  const byName = sql`c.sort_name ${dir}, c.insee`;
  if (sort.key === 'nom') return byName;
  // Missing figures (no sale, no estimate) go last whatever the direction: they answer nothing. Ties (the many
  // communes with no GP) break on the plain name: folding every name for a tie-break doubled the query's cost.
  return sql`${sql.ref(`c.${SORT_COLUMN[sort.key]}`)} ${dir} nulls last, c.name, c.insee`;
}

export interface FinderRow {
  insee: string;
  name: string;
  population: number | null;
  postcodes: string[];
  epci_siren: string | null;
  epci_name: string | null;
  area_km2: number | null;
  dvf_house_median: number | null;
  dvf_house_sales: number;
  dvf_flat_median: number | null;
  dvf_flat_sales: number;
  gp_count: number;
  pharmacy_count: number;
  cinema_count: number;
  festival_count: number;
  km_toulouse: number | null;
  min_toulouse: number | null;
  km_bordeaux: number | null;
  min_bordeaux: number | null;
  km_auch: number | null;
  min_auch: number | null;
  km_station: number | null;
  min_station: number | null;
  km_airport: number | null;
  min_airport: number | null;
  /** Distance to the nearest commune that has one, when this one has none. */
  nearest_gp_km: number | null;
  nearest_pharmacy_km: number | null;
  nearest_cinema_km: number | null;
}

const baseQuery = (db: Executor, territoryId: number) =>
  db
    .selectFrom('commune as c')
    .leftJoin('epci as e', (j) => j.onRef('e.territory_id', '=', 'c.territory_id').onRef('e.siren', '=', 'c.epci_siren'))
    .where('c.territory_id', '=', territoryId)
    .select([
      'c.insee',
      'c.name',
      'c.population',
      'c.postcodes',
      'c.epci_siren',
      'e.name as epci_name',
      'c.area_km2',
      'c.dvf_house_median',
      'c.dvf_house_sales',
      'c.dvf_flat_median',
      'c.dvf_flat_sales',
      'c.gp_count',
      'c.pharmacy_count',
      'c.cinema_count',
      'c.festival_count',
      'c.km_toulouse',
      'c.min_toulouse',
      'c.km_bordeaux',
      'c.min_bordeaux',
      'c.km_auch',
      'c.min_auch',
      'c.km_station',
      'c.min_station',
      'c.km_airport',
      'c.min_airport',
      'c.nearest_gp_km',
      'c.nearest_pharmacy_km',
      'c.nearest_cinema_km',
    ]);

export interface MapRow {
  insee: string;
  name: string;
  dvf_house_median: number | null;
  dvf_house_sales: number;
  km_toulouse: number | null;
  min_toulouse: number | null;
  gp_count: number;
  /** Bits of the criteria missed (see `criteria`); 0 when the commune matches. */
  missed: number;
}

/**
 * Every commune of the territory with the few figures the map shows, in the requested order, each saying which
 * criteria it misses (the map, the count, the highlights, the page's codes and the near misses), and the
 * territory's EPCIs for the form: one round trip.
 */
export async function listMapRows(
  db: Executor,
  territoryId: number,
  filters: FinderFilters,
  sort: FinderSort,
): Promise<{ communes: MapRow[]; epcis: { siren: string; name: string }[] }> {
  // One JSON value instead of 458 rows: the embedded database spends most of such a query on handing rows over
  // one by one (measured: half the time of the same query returning rows). Sorted inside the aggregate: one sort.
  const row = await db
    .selectFrom('commune as c')
    .where('c.territory_id', '=', territoryId)
    .select((eb) =>
      sql<string>`coalesce(json_agg(json_build_array(c.insee, c.name, c.dvf_house_median, c.dvf_house_sales, c.km_toulouse, c.min_toulouse, c.gp_count, ${missed(eb as unknown as Eb, filters)}) order by ${orderOf(sort)}), '[]')::text`.as('list'),
    )
    .select(
      sql<string>`(select coalesce(json_agg(json_build_array(e.siren, e.name) order by lower(immutable_unaccent(e.name))), '[]')::text from epci e where e.territory_id = ${territoryId})`.as('epcis'),
    )
    .executeTakeFirstOrThrow();
  const rows = [row];
  const list = JSON.parse(rows[0].list) as [string, string, number | null, number, number | null, number | null, number, number][];
  const epcis = (JSON.parse(rows[0].epcis) as [string, string][]).map(([siren, name]) => ({ siren, name }));
  const communes = list.map(([insee, name, dvf_house_median, dvf_house_sales, km_toulouse, min_toulouse, gp_count, missedBits]) => ({
    insee,
    name,
    dvf_house_median,
    dvf_house_sales,
    km_toulouse,
    min_toulouse,
    gp_count,
    missed: missedBits,
  }));
  return { communes, epcis };
}

/** The full rows of a few communes (one page of results), in no particular order. */
export async function listFinderRowsByInsee(db: Executor, territoryId: number, codes: string[]): Promise<FinderRow[]> {
  if (!codes.length) return [];
  // One array parameter and one JSON value (column names kept by json_agg): a third of the embedded database's
  // cost of 25 bound codes and 25 rows of 28 columns.
  const rows = baseQuery(db, territoryId).where(sql<SqlBool>`c.insee = any(${codes})`);
  const { rows: out } = await sql<{ list: string }>`select coalesce(json_agg(t), '[]')::text as list from (${rows}) t`.execute(db);
  return JSON.parse(out[0].list) as FinderRow[];
}

/** One page of the communes matching the filters, and how many match in all. */
export async function findCommunePage(
  db: Executor,
  territoryId: number,
  filters: FinderFilters,
  sort: FinderSort,
  limit: number,
  offset: number,
): Promise<{ rows: FinderRow[]; total: number }> {
  const rows = (await baseQuery(db, territoryId)
    .where((eb) => matches(eb as unknown as Eb, filters))
    .select(sql<number>`count(*) over ()`.as('total'))
    .orderBy(orderOf(sort))
    .limit(limit)
    .offset(offset)
    .execute()) as (FinderRow & { total: number })[];
  if (rows.length) return { rows: rows.map(({ total: _, ...r }) => r), total: Number(rows[0].total) };
  if (offset === 0) return { rows: [], total: 0 };
  // Past the last page: still say how many there are.
  const { total } = await db
    .selectFrom('commune as c')
    .where('c.territory_id', '=', territoryId)
    .where((eb) => matches(eb as unknown as Eb, filters))
    .select(sql<number>`count(*)`.as('total'))
    .executeTakeFirstOrThrow();
  return { rows: [], total: Number(total) };
}

export async function listEpcis(db: Executor, territoryId: number): Promise<{ siren: string; name: string }[]> {
  return db.selectFrom('epci').select(['siren', 'name']).where('territory_id', '=', territoryId).orderBy(sql`lower(immutable_unaccent(name))`).execute();
}

// ------------------------------------------------------------------------------------------- comparison

export interface CompareRow extends FinderRow {
  cantons: string[];
  msp_count: number;
  emergency_count: number;
  hospital_count: number;
  maternity_count: number;
  dentist_count: number;
  physio_count: number;
  nurse_count: number;
  creche_count: number;
  ehpad_count: number;
  nearest_gp_name: string | null;
  nearest_pharmacy_name: string | null;
  nearest_cinema_name: string | null;
  station_name: string | null;
  identity_dataset_id: number;
  boundary_dataset_id: number | null;
  dvf_dataset_id: number | null;
  bpe_dataset_id: number | null;
  access_dataset_id: number | null;
  time_dataset_id: number | null;
  station_dataset_id: number | null;
}

export async function findCommunesToCompare(db: Executor, territoryId: number, codes: string[]): Promise<CompareRow[]> {
  if (!codes.length) return [];
  return baseQuery(db, territoryId)
    .where('c.insee', 'in', codes)
    .leftJoin('commune as gp', (j) => j.onRef('gp.territory_id', '=', 'c.territory_id').onRef('gp.insee', '=', 'c.nearest_gp_insee'))
    .leftJoin('commune as ph', (j) => j.onRef('ph.territory_id', '=', 'c.territory_id').onRef('ph.insee', '=', 'c.nearest_pharmacy_insee'))
    .leftJoin('commune as ci', (j) => j.onRef('ci.territory_id', '=', 'c.territory_id').onRef('ci.insee', '=', 'c.nearest_cinema_insee'))
    .leftJoin('station as s', (j) => j.onRef('s.territory_id', '=', 'c.territory_id').onRef('s.uic', '=', 'c.nearest_station_uic'))
    .select([
      'c.cantons',
      'c.msp_count',
      'c.emergency_count',
      'c.hospital_count',
      'c.maternity_count',
      'c.dentist_count',
      'c.physio_count',
      'c.nurse_count',
      'c.creche_count',
      'c.ehpad_count',
      'gp.name as nearest_gp_name',
      'ph.name as nearest_pharmacy_name',
      'ci.name as nearest_cinema_name',
      's.name as station_name',
      'c.identity_dataset_id',
      'c.boundary_dataset_id',
      'c.dvf_dataset_id',
      'c.bpe_dataset_id',
      'c.access_dataset_id',
      'c.time_dataset_id',
      's.dataset_id as station_dataset_id',
    ])
    .execute();
}

/** Names for the comparison's commune picker (all communes, A→Z). */
export async function listCommuneNames(db: Executor, territoryId: number): Promise<{ insee: string; name: string }[]> {
  return db.selectFrom('commune as c').select(['c.insee', 'c.name']).where('c.territory_id', '=', territoryId).orderBy('c.sort_name').orderBy('c.insee').execute();
}

export interface DatasetSource {
  id: number;
  title: string;
  publisher: string;
  edition: string;
  licence: string;
  attribution: string;
  url: string | null;
}

/** The datasets of the cinema and festival lists (the counts of cinemas and festivals come from them). */
export async function listDatasetIdsOfLists(db: Executor, territoryId: number) {
  const [cinema, festival] = await Promise.all([
    db.selectFrom('cinema').select('dataset_id').distinct().where('territory_id', '=', territoryId).execute(),
    db.selectFrom('festival').select('dataset_id').distinct().where('territory_id', '=', territoryId).execute(),
  ]);
  return { cinema: cinema.map((r) => r.dataset_id), festival: festival.map((r) => r.dataset_id) };
}

/** The datasets behind the given ids, and those of the cinema and festival lists (their counts come from them). */
export async function listDatasets(db: Executor, territoryId: number, ids: number[]): Promise<DatasetSource[]> {
  return db
    .selectFrom('dataset as d')
    .select(['d.id', 'd.title', 'd.publisher', 'd.edition', 'd.licence', 'd.attribution', 'd.url'])
    .where('d.territory_id', '=', territoryId)
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('d.id', 'in', ids)] : []),
        eb('d.id', 'in', eb.selectFrom('cinema').select('dataset_id').where('territory_id', '=', territoryId)),
        eb('d.id', 'in', eb.selectFrom('festival').select('dataset_id').where('territory_id', '=', territoryId)),
      ]),
    )
    .orderBy('d.title')
    .execute();
}

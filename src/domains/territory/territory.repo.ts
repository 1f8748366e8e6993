/** The only file of the territory domain that writes SQL. Every query is scoped to one territory. */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { Executor } from '../../context.js';
import type { CommuneTable, DB, DatasetTable, DuplicateKind, PriceReferenceTable } from '../../db/schema.js';

export type CommuneRow = Omit<Selectable<CommuneTable>, 'search' | 'sort_name'>;
export type DatasetRow = Selectable<DatasetTable>;
export type NewCommune = Insertable<CommuneTable>;
export type PriceReferenceRow = Selectable<PriceReferenceTable>;

export interface WriteCount {
  inserted: number;
  updated: number;
}

const CHUNK = 200;

/**
 * Inserts rows, or updates the existing row with the same key only when a value differs, so a re-import of
 * unchanged files writes nothing. Reports how many rows were inserted and how many actually changed.
 */
async function upsert(
  db: Executor,
  table: keyof DB,
  rows: Record<string, unknown>[],
  keys: string[],
  columns: string[] = rows.length ? Object.keys(rows[0]).filter((c) => !keys.includes(c)) : [],
): Promise<WriteCount> {
  const count: WriteCount = { inserted: 0, updated: 0 };
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const current = sql.join(columns.map((c) => sql.ref(`${table}.${c}`)));
    const incoming = sql.join(columns.map((c) => sql.ref(`excluded.${c}`)));
    const result = await db
      .insertInto(table)
      .values(chunk as never)
      .onConflict((oc) =>
        oc
          .columns(keys as never)
          .doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as never)
          .where(sql<boolean>`row(${current}) is distinct from row(${incoming})`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute();
    for (const r of result as { inserted: boolean }[]) {
      if (r.inserted) count.inserted++;
      else count.updated++;
    }
  }
  return count;
}

/** Deletes the rows of `table` in the territory whose key is not in `keep`; returns how many went. */
async function deleteOthers(db: Executor, table: 'station' | 'reference_point' | 'cinema' | 'festival', territoryId: number, keyColumn: string, keep: string[]) {
  const result = await sql`delete from ${sql.table(table)} where territory_id = ${territoryId} and not (${sql.ref(keyColumn)} = any(${keep}::text[]))`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

// ---------------------------------------------------------------------------------------------- import writes

export interface DatasetInput {
  key: string;
  title: string;
  publisher: string;
  edition: string;
  published_on: string | null;
  period_start: string | null;
  period_end: string | null;
  licence: string;
  licence_url: string | null;
  attribution: string;
  url: string | null;
  files: string[];
  notes: string | null;
  share_alike: boolean;
  origin: 'shipped' | 'upload';
  reference_year?: number | null;
}

/** Upserts datasets by key; `imported_at` is the time of the first import or of the last change. */
export async function upsertDatasets(db: Executor, territoryId: number, datasets: DatasetInput[], now: Date) {
  const rows = datasets.map((d) => ({ territory_id: territoryId, ...d }));
  const columns = Object.keys(rows[0]).filter((c) => c !== 'territory_id' && c !== 'key');
  const count = { inserted: 0, updated: 0 };
  for (const row of rows) {
    const current = sql.join(columns.map((c) => sql.ref(`dataset.${c}`)));
    const incoming = sql.join(columns.map((c) => sql.ref(`excluded.${c}`)));
    const result = await db
      .insertInto('dataset')
      .values({ ...row, imported_at: now })
      .onConflict((oc) =>
        oc
          .constraint('dataset_territory_key_unique')
          .doUpdateSet({ ...(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as object), imported_at: now })
          .where(sql<boolean>`row(${current}) is distinct from row(${incoming})`),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirst();
    if (result) result.inserted ? count.inserted++ : count.updated++;
  }
  const ids = await db.selectFrom('dataset').select(['id', 'key']).where('territory_id', '=', territoryId).execute();
  return { count, ids: new Map(ids.map((r) => [r.key, r.id])) };
}

/** Removes a dataset no figure points to any more (the routing engine's, after an import without it). */
export async function deleteUnusedDataset(db: Executor, territoryId: number, key: string) {
  await db
    .deleteFrom('dataset')
    .where('territory_id', '=', territoryId)
    .where('key', '=', key)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('commune').select('insee').whereRef('commune.time_dataset_id', '=', 'dataset.id'))))
    .execute();
}

export const upsertEpcis = (db: Executor, rows: { territory_id: number; siren: string; name: string; dataset_id: number }[]) =>
  upsert(db, 'epci', rows, ['territory_id', 'siren']);

export const upsertCommunes = (db: Executor, rows: NewCommune[]) =>
  upsert(db, 'commune', rows as Record<string, unknown>[], ['territory_id', 'insee']);

export const upsertBoundaries = (db: Executor, rows: { territory_id: number; insee: string; geometry: string }[]) =>
  upsert(db, 'commune_boundary', rows, ['territory_id', 'insee']);

export async function syncStations(db: Executor, territoryId: number, rows: Insertable<DB['station']>[]) {
  const count = await upsert(db, 'station', rows as Record<string, unknown>[], ['territory_id', 'uic']);
  return { ...count, deleted: await deleteOthers(db, 'station', territoryId, 'uic', rows.map((r) => r.uic)) };
}

export async function syncReferencePoints(db: Executor, territoryId: number, rows: Insertable<DB['reference_point']>[]) {
  const count = await upsert(db, 'reference_point', rows as Record<string, unknown>[], ['territory_id', 'key']);
  return { ...count, deleted: await deleteOthers(db, 'reference_point', territoryId, 'key', rows.map((r) => r.key)) };
}

export async function syncCinemas(db: Executor, territoryId: number, rows: Insertable<DB['cinema']>[]) {
  const count = await upsert(db, 'cinema', rows as Record<string, unknown>[], ['territory_id', 'cnc_id']);
  return { ...count, deleted: await deleteOthers(db, 'cinema', territoryId, 'cnc_id', rows.map((r) => r.cnc_id)) };
}

export async function syncFestivals(db: Executor, territoryId: number, rows: Insertable<DB['festival']>[]) {
  const count = await upsert(db, 'festival', rows as Record<string, unknown>[], ['territory_id', 'festival_id']);
  return { ...count, deleted: await deleteOthers(db, 'festival', territoryId, 'festival_id', rows.map((r) => r.festival_id)) };
}

/** Shipped comparison prices; rows typed in by staff (no dataset) are never touched here. */
export const upsertShippedPriceReferences = (db: Executor, rows: Insertable<DB['price_reference']>[]) =>
  upsert(db, 'price_reference', rows as Record<string, unknown>[], ['territory_id', 'insee']);

export const countCommunes = (db: Executor, territoryId: number) =>
  db
    .selectFrom('commune')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('territory_id', '=', territoryId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

/** Row counts of every territory table, for import reports and idempotency checks. */
export async function countTerritoryRows(db: Executor, territoryId: number) {
  const tables = ['dataset', 'epci', 'commune', 'commune_boundary', 'station', 'reference_point', 'price_reference', 'cinema', 'festival', 'figure_override'] as const;
  const parts = tables.map((t) => sql`(select count(*) from ${sql.table(t)} where territory_id = ${territoryId})::int as ${sql.ref(t)}`);
  const { rows } = await sql<Record<(typeof tables)[number], number>>`select ${sql.join(parts)}`.execute(db);
  return rows[0];
}

/** Whether the DVF figures of the territory come from a file staff imported (then a territory re-import keeps them). */
export async function findUploadedDvfDatasetId(db: Executor, territoryId: number): Promise<number | null> {
  const row = await db
    .selectFrom('commune as c')
    .innerJoin('dataset as d', 'd.id', 'c.dvf_dataset_id')
    .select('d.id')
    .where('c.territory_id', '=', territoryId)
    .where('d.origin', '=', 'upload')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

export const listCommuneDvf = (db: Executor, territoryId: number) =>
  db
    .selectFrom('commune')
    .select(['insee', 'dvf_house_median', 'dvf_house_sales', 'dvf_flat_median', 'dvf_flat_sales', 'dvf_dataset_id'])
    .where('territory_id', '=', territoryId)
    .execute();

/** Updates the DVF figures of the given communes (after a DVF file import), in one statement; returns the rows changed. */
export async function updateCommuneDvf(
  db: Executor,
  territoryId: number,
  rows: { insee: string; dvf_house_median: number | null; dvf_house_sales: number; dvf_flat_median: number | null; dvf_flat_sales: number; dvf_dataset_id: number }[],
) {
  if (!rows.length) return 0;
  const result = await sql`
    update commune c set
      dvf_house_median = v.dvf_house_median, dvf_house_sales = v.dvf_house_sales,
      dvf_flat_median = v.dvf_flat_median, dvf_flat_sales = v.dvf_flat_sales, dvf_dataset_id = v.dvf_dataset_id
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(insee text, dvf_house_median integer, dvf_house_sales integer, dvf_flat_median integer, dvf_flat_sales integer, dvf_dataset_id integer)
    where c.territory_id = ${territoryId} and c.insee = v.insee
      and row(c.dvf_house_median, c.dvf_house_sales, c.dvf_flat_median, c.dvf_flat_sales, c.dvf_dataset_id)
          is distinct from row(v.dvf_house_median, v.dvf_house_sales, v.dvf_flat_median, v.dvf_flat_sales, v.dvf_dataset_id)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Sets one figure column of one commune (a correction, or its removal). */
export async function setCommuneFigure(db: Executor, territoryId: number, insee: string, column: string, value: number | null) {
  await db
    .updateTable('commune')
    .set({ [column]: value } as never)
    .where('territory_id', '=', territoryId)
    .where('insee', '=', insee)
    .execute();
}

/** Rewrites the nearest-service columns of the communes whose values changed, in one statement. */
export async function updateNearest(
  db: Executor,
  territoryId: number,
  rows: { insee: string; nearest_gp_insee: string | null; nearest_gp_km: number | null; nearest_pharmacy_insee: string | null; nearest_pharmacy_km: number | null; nearest_cinema_insee: string | null; nearest_cinema_km: number | null }[],
) {
  if (!rows.length) return 0;
  const result = await sql`
    update commune c set
      nearest_gp_insee = v.nearest_gp_insee, nearest_gp_km = v.nearest_gp_km,
      nearest_pharmacy_insee = v.nearest_pharmacy_insee, nearest_pharmacy_km = v.nearest_pharmacy_km,
      nearest_cinema_insee = v.nearest_cinema_insee, nearest_cinema_km = v.nearest_cinema_km
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(insee text, nearest_gp_insee char(5), nearest_gp_km numeric(6,1), nearest_pharmacy_insee char(5), nearest_pharmacy_km numeric(6,1), nearest_cinema_insee char(5), nearest_cinema_km numeric(6,1))
    where c.territory_id = ${territoryId} and c.insee = v.insee
      and row(c.nearest_gp_insee, c.nearest_gp_km, c.nearest_pharmacy_insee, c.nearest_pharmacy_km, c.nearest_cinema_insee, c.nearest_cinema_km)
          is distinct from row(v.nearest_gp_insee, v.nearest_gp_km, v.nearest_pharmacy_insee, v.nearest_pharmacy_km, v.nearest_cinema_insee, v.nearest_cinema_km)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

// ---------------------------------------------------------------------------------------------- overrides

export const listOverrides = (db: Executor, territoryId: number) =>
  db.selectFrom('figure_override').selectAll().where('territory_id', '=', territoryId).execute();

export const listOverridesOf = (db: Executor, territoryId: number, insee: string) =>
  db
    .selectFrom('figure_override as o')
    .leftJoin('user_account as u', 'u.id', 'o.author_id')
    .select(['o.figure', 'o.value', 'o.imported_value', 'o.note', 'o.created_at', 'u.display_name as author_name'])
    .where('o.territory_id', '=', territoryId)
    .where('o.insee', '=', insee)
    .orderBy('o.figure')
    .execute();

export const findOverride = (db: Executor, territoryId: number, insee: string, figure: string) =>
  db.selectFrom('figure_override').selectAll().where('territory_id', '=', territoryId).where('insee', '=', insee).where('figure', '=', figure).executeTakeFirst();

/** Keeps the override's copy of the imported value in step with the latest import. */
export async function setOverrideImportedValue(db: Executor, id: number, importedValue: number | null) {
  await db.updateTable('figure_override').set({ imported_value: importedValue }).where('id', '=', id).execute();
}

export async function saveOverride(
  db: Executor,
  row: { territory_id: number; insee: string; figure: string; value: number; imported_value: number | null; note: string; author_id: string | null; created_at: Date },
) {
  await db
    .insertInto('figure_override')
    .values(row)
    .onConflict((oc) =>
      oc.constraint('figure_override_commune_figure_unique').doUpdateSet({ value: row.value, note: row.note, author_id: row.author_id, created_at: row.created_at }),
    )
    .execute();
}

export const deleteOverride = (db: Executor, territoryId: number, insee: string, figure: string) =>
  db.deleteFrom('figure_override').where('territory_id', '=', territoryId).where('insee', '=', insee).where('figure', '=', figure).returningAll().executeTakeFirst();

// ---------------------------------------------------------------------------------------------- reads

const COMMUNE_COLUMNS = [
  'territory_id', 'insee', 'name', 'population', 'postcodes', 'epci_siren', 'cantons', 'lat', 'lon', 'area_km2',
  'identity_dataset_id', 'centre_dataset_id', 'boundary_dataset_id',
  'dvf_house_median', 'dvf_house_sales', 'dvf_flat_median', 'dvf_flat_sales', 'dvf_dataset_id',
  'gp_count', 'pharmacy_count', 'msp_count', 'emergency_count', 'hospital_count', 'maternity_count', 'dentist_count',
  'physio_count', 'nurse_count', 'creche_count', 'ehpad_count', 'bpe_counts', 'bpe_dataset_id',
  'cinema_count', 'festival_count',
  'km_auch', 'min_auch', 'km_toulouse', 'min_toulouse', 'km_bordeaux', 'min_bordeaux', 'km_airport', 'min_airport',
  'km_station', 'min_station', 'nearest_station_uic', 'nearest_gp_insee', 'nearest_gp_km', 'nearest_pharmacy_insee',
  'nearest_pharmacy_km', 'nearest_cinema_insee', 'nearest_cinema_km', 'access_dataset_id', 'time_dataset_id',
] as const satisfies readonly (keyof CommuneRow)[];

/** One commune with every figure, or undefined. */
export const findCommune = (db: Executor, territoryId: number, insee: string): Promise<CommuneRow | undefined> =>
  db.selectFrom('commune').select(COMMUNE_COLUMNS).where('territory_id', '=', territoryId).where('insee', '=', insee).executeTakeFirst();

export const listCommuneRows = (db: Executor, territoryId: number): Promise<CommuneRow[]> =>
  db.selectFrom('commune').select(COMMUNE_COLUMNS).where('territory_id', '=', territoryId).orderBy('insee').execute();

/** Names of a few communes (nearest services), keyed by code. */
export async function communeNames(db: Executor, territoryId: number, insees: string[]) {
  if (!insees.length) return new Map<string, string>();
  const rows = await db.selectFrom('commune').select(['insee', 'name']).where('territory_id', '=', territoryId).where('insee', 'in', insees).execute();
  return new Map(rows.map((r) => [r.insee, r.name]));
}

/** Every commune with the figures a map or a list needs, in name order (French collation). */
export const listCommunesForMap = (db: Executor, territoryId: number) =>
  db
    .selectFrom('commune')
    .select([
      'insee', 'name', 'population', 'epci_siren', 'lat', 'lon', 'dvf_house_median', 'dvf_house_sales', 'dvf_flat_median', 'dvf_flat_sales',
      'gp_count', 'pharmacy_count', 'cinema_count', 'min_auch', 'min_toulouse', 'min_bordeaux', 'min_airport', 'min_station',
      'km_auch', 'km_toulouse', 'km_bordeaux', 'km_airport', 'km_station',
    ])
    .where('territory_id', '=', territoryId)
    .orderBy(sql`immutable_unaccent(lower(name))`)
    .execute();

const datasetColumns = [
  'id', 'key', 'title', 'publisher', 'edition', 'licence', 'licence_url', 'attribution', 'url', 'files', 'notes', 'share_alike', 'origin', 'imported_at', 'reference_year',
] as const;

export const listDatasets = (db: Executor, territoryId: number) =>
  db
    .selectFrom('dataset')
    .select(datasetColumns)
    .select([sql<string | null>`published_on::text`.as('published_on'), sql<string | null>`period_start::text`.as('period_start'), sql<string | null>`period_end::text`.as('period_end')])
    .where('territory_id', '=', territoryId)
    .orderBy('origin')
    .orderBy('id')
    .execute();

export type DatasetSummary = Awaited<ReturnType<typeof listDatasets>>[number];

export const findEpci = (db: Executor, territoryId: number, siren: string) =>
  db.selectFrom('epci').select(['siren', 'name', 'dataset_id']).where('territory_id', '=', territoryId).where('siren', '=', siren).executeTakeFirst();

export const listEpcis = (db: Executor, territoryId: number) =>
  db.selectFrom('epci').select(['siren', 'name']).where('territory_id', '=', territoryId).orderBy('name').execute();

/** Leaves out the records of an imported list (the table `kind`, keyed by `key`) that staff marked as duplicates. */
const notMarkedDuplicate = (kind: DuplicateKind, key: string) =>
  sql<boolean>`not exists (select 1 from record_duplicate d where d.territory_id = ${sql.ref(`${kind}.territory_id`)} and d.kind = ${kind} and d.record_key = ${sql.ref(`${kind}.${key}`)})`;

export const listCinemasOf = (db: Executor, territoryId: number, insee: string) =>
  db
    .selectFrom('cinema')
    .select(['cnc_id', 'name', 'address', 'screens', 'seats', 'admissions_2022', 'art_et_essai', 'dataset_id'])
    .where('territory_id', '=', territoryId)
    .where('insee', '=', insee)
    .where(notMarkedDuplicate('cinema', 'cnc_id'))
    .orderBy('name')
    .execute();

export const listFestivalsOf = (db: Executor, territoryId: number, insee: string) =>
  db
    .selectFrom('festival')
    .select(['festival_id', 'name', 'discipline', 'subcategory', 'period', 'founded_year', 'website', 'dataset_id'])
    .where('territory_id', '=', territoryId)
    .where('insee', '=', insee)
    .where(notMarkedDuplicate('festival', 'festival_id'))
    .orderBy('name')
    .execute();

export const findStation = (db: Executor, territoryId: number, uic: string) =>
  db.selectFrom('station').select(['uic', 'name', 'insee', 'in_territory', 'lat', 'lon', 'dataset_id']).where('territory_id', '=', territoryId).where('uic', '=', uic).executeTakeFirst();

export const listPassengerStations = (db: Executor, territoryId: number) =>
  db.selectFrom('station').select(['uic', 'name', 'insee', 'lat', 'lon', 'in_territory']).where('territory_id', '=', territoryId).where('passenger', '=', true).execute();

export const listReferencePoints = (db: Executor, territoryId: number) =>
  db.selectFrom('reference_point').select(['key', 'name', 'kind', 'insee', 'lat', 'lon', 'dataset_id']).where('territory_id', '=', territoryId).execute();

export const listPriceReferences = (db: Executor, territoryId: number) =>
  db
    .selectFrom('price_reference')
    .select(['insee', 'name', 'house_median', 'house_sales', 'flat_median', 'flat_sales', 'dataset_id', 'source_note', 'source_url', 'entered_at'])
    .select(sql<string | null>`source_date::text`.as('source_date'))
    .where('territory_id', '=', territoryId)
    .execute();

/** A comparison price typed in by staff (Paris), with its own source. */
export async function saveStaffPriceReference(
  db: Executor,
  row: { territory_id: number; insee: string; name: string; house_median: number | null; flat_median: number | null; source_note: string; source_url: string | null; source_date: string; entered_at: Date },
) {
  await db
    .insertInto('price_reference')
    .values({ ...row, house_sales: null, flat_sales: null, dataset_id: null })
    .onConflict((oc) =>
      oc.columns(['territory_id', 'insee']).doUpdateSet({
        name: row.name,
        house_median: row.house_median,
        flat_median: row.flat_median,
        source_note: row.source_note,
        source_url: row.source_url,
        source_date: row.source_date,
        entered_at: row.entered_at,
      }),
    )
    .execute();
}

export const deletePriceReference = (db: Executor, territoryId: number, insee: string) =>
  db.deleteFrom('price_reference').where('territory_id', '=', territoryId).where('insee', '=', insee).where('dataset_id', 'is', null).executeTakeFirst();

/** Forgets staff corrections, staff-entered prices and imported DVF files (tests start each case from the shipped data). */
export async function forgetStaffChanges(db: Executor, territoryId: number) {
  await db.deleteFrom('figure_override').where('territory_id', '=', territoryId).execute();
  await db.deleteFrom('record_duplicate').where('territory_id', '=', territoryId).execute();
  await db.deleteFrom('price_reference').where('territory_id', '=', territoryId).where('dataset_id', 'is', null).execute();
  const uploads = db.selectFrom('dataset').select('id').where('territory_id', '=', territoryId).where('origin', '=', 'upload');
  await db.updateTable('commune').set({ dvf_dataset_id: null }).where('territory_id', '=', territoryId).where('dvf_dataset_id', 'in', uploads).execute();
  await db.deleteFrom('dataset').where('territory_id', '=', territoryId).where('origin', '=', 'upload').execute();
}

/**
 * Site search (the search domain, /recherche): communes whose name matches the words in French full text (accents
 * and case ignored, last word as a prefix), or is close to them by trigrams (typos, "ile jourdain" for
 * L'Isle-Jourdain), or whose INSEE code or postcode is the query. Best match first, then the larger commune.
 */
export function searchCommunesForSite(db: Executor, territoryId: number, q: { tsquery: string; text: string }, limit: number) {
  const tsq = sql`to_tsquery('french', ${q.tsquery})`;
  const similarity = sql<number>`word_similarity(${q.text}, regexp_replace(lower(immutable_unaccent(name)), '[^a-z0-9]+', ' ', 'g'))`;
  const code = /^[0-9][0-9ab][0-9]{3}$/.test(q.text) ? q.text.toUpperCase() : null;
  return db
    .selectFrom('commune')
    .select(['insee', 'name', 'population', 'postcodes', sql<number>`ts_rank(search, ${tsq}) + ${similarity}`.as('score')])
    .where('territory_id', '=', territoryId)
    .where((eb) =>
      eb.or([
        sql<boolean>`search @@ ${tsq}`,
        sql<boolean>`${similarity} >= 0.5`,
        ...(code ? [eb('insee', '=', code), sql<boolean>`${code} = any(postcodes)`] : []),
      ]),
    )
    .orderBy('score', 'desc')
    .orderBy('population', (ob) => ob.desc().nullsLast())
    .orderBy('insee')
    .limit(limit)
    .execute();
}

/**
 * Communes whose code is `q`, or whose name contains it, for the back office and the application's village picker:
 * accents and case are ignored, and spaces, hyphens and apostrophes are alike ("isle jourdain" finds L'Isle-Jourdain).
 */
export function searchCommunesByName(db: Executor, territoryId: number, q: string, limit = 30) {
  const query = db.selectFrom('commune').select(['insee', 'name', 'population']).where('territory_id', '=', territoryId);
  if (/^[0-9]{5}$/.test(q)) return query.where('insee', '=', q).execute();
  const words = q.replace(/[\s'’-]+/g, ' ').trim();
  const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return query
    .where(sql<boolean>`regexp_replace(immutable_unaccent(lower(name)), '[[:space:]''’-]+', ' ', 'g') like immutable_unaccent(lower(${pattern}))`)
    .orderBy(sql`immutable_unaccent(lower(name))`)
    .limit(limit)
    .execute();
}

/** Every correction of the territory with its commune's name, newest first. */
export const listAllOverrides = (db: Executor, territoryId: number) =>
  db
    .selectFrom('figure_override as o')
    .innerJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'o.territory_id').onRef('c.insee', '=', 'o.insee'))
    .leftJoin('user_account as u', 'u.id', 'o.author_id')
    .select(['o.insee', 'c.name', 'o.figure', 'o.value', 'o.imported_value', 'o.note', 'o.created_at', 'u.display_name as author_name'])
    .where('o.territory_id', '=', territoryId)
    .orderBy('o.created_at', 'desc')
    .execute();

/** The territory in a few figures for the home page, in three round trips whatever the number of communes. */
export async function territoryHighlights(db: Executor, territoryId: number) {
  const [totals, largest, stations, references, times] = await Promise.all([
    db
      .selectFrom('commune')
      .where('territory_id', '=', territoryId)
      .select((eb) => [
        eb.fn.countAll<number>().as('communes'),
        eb.fn.coalesce(eb.fn.sum<number>('population'), sql<number>`0`).as('population'),
        eb.fn.coalesce(eb.fn.sum<number>('gp_count'), sql<number>`0`).as('gps'),
        sql<number>`count(*) filter (where gp_count > 0)`.as('communes_with_gp'),
        eb.fn.coalesce(eb.fn.sum<number>('pharmacy_count'), sql<number>`0`).as('pharmacies'),
        eb.fn.coalesce(eb.fn.sum<number>('cinema_count'), sql<number>`0`).as('cinemas'),
        eb.fn.coalesce(eb.fn.sum<number>('festival_count'), sql<number>`0`).as('festivals'),
        sql<number>`count(*) filter (where min_toulouse <= 60)`.as('within_hour_toulouse'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('commune')
      .select(['insee', 'name', 'population', 'dvf_house_median', 'dvf_house_sales', 'dvf_dataset_id'])
      .where('territory_id', '=', territoryId)
      .orderBy('population', (ob) => ob.desc().nullsLast())
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('station')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('territory_id', '=', territoryId)
      .where('in_territory', '=', true)
      .where('passenger', '=', true)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('price_reference')
      .select(['insee', 'name', 'house_median', 'dataset_id'])
      .where('territory_id', '=', territoryId)
      .where('dataset_id', 'is not', null)
      .execute(),
    db.selectFrom('commune').select('time_dataset_id').distinct().where('territory_id', '=', territoryId).where('time_dataset_id', 'is not', null).execute(),
  ]);
  return { totals, largest, passengerStations: Number(stations.n), references, timeDatasetIds: times.map((r) => r.time_dataset_id!) };
}

// ---------------------------------------------------------------------------------------------- duplicates

/** The record keys of a list marked as duplicates (left out of counts and pages). */
export async function listDuplicateKeys(db: Executor, territoryId: number, kind: DuplicateKind): Promise<Set<string>> {
  const rows = await db.selectFrom('record_duplicate').select('record_key').where('territory_id', '=', territoryId).where('kind', '=', kind).execute();
  return new Set(rows.map((r) => r.record_key));
}

/** Every mark with the names of both records (null when the record left the source since). */
export async function listDuplicates(db: Executor, territoryId: number) {
  const { rows } = await sql<{
    id: number;
    kind: DuplicateKind;
    record_key: string;
    duplicate_of: string;
    note: string;
    created_at: Date;
    author_name: string | null;
    record_name: string | null;
    record_insee: string | null;
    original_name: string | null;
  }>`
    select d.id, d.kind, d.record_key, d.duplicate_of, d.note, d.created_at, u.display_name as author_name,
      coalesce(f.name, c.name) as record_name, coalesce(f.insee, c.insee) as record_insee, coalesce(fo.name, co.name) as original_name
    from record_duplicate d
    left join user_account u on u.id = d.author_id
    left join festival f on d.kind = 'festival' and f.territory_id = d.territory_id and f.festival_id = d.record_key
    left join festival fo on d.kind = 'festival' and fo.territory_id = d.territory_id and fo.festival_id = d.duplicate_of
    left join cinema c on d.kind = 'cinema' and c.territory_id = d.territory_id and c.cnc_id = d.record_key
    left join cinema co on d.kind = 'cinema' and co.territory_id = d.territory_id and co.cnc_id = d.duplicate_of
    where d.territory_id = ${territoryId}
    order by d.created_at desc, d.id desc`.execute(db);
  return rows;
}

/** One record of an imported list by its key: its commune and name, or undefined. */
export function findListRecord(db: Executor, territoryId: number, kind: DuplicateKind, key: string) {
  return kind === 'festival'
    ? db.selectFrom('festival').select(['festival_id as key', 'insee', 'name']).where('territory_id', '=', territoryId).where('festival_id', '=', key).executeTakeFirst()
    : db.selectFrom('cinema').select(['cnc_id as key', 'insee', 'name']).where('territory_id', '=', territoryId).where('cnc_id', '=', key).executeTakeFirst();
}

export const findDuplicate = (db: Executor, territoryId: number, kind: DuplicateKind, key: string) =>
  db.selectFrom('record_duplicate').selectAll().where('territory_id', '=', territoryId).where('kind', '=', kind).where('record_key', '=', key).executeTakeFirst();

/** Marks shipped with the data (doublons.json); a record already marked (by staff or a previous import) is left alone. */
export async function insertShippedDuplicates(db: Executor, rows: Insertable<DB['record_duplicate']>[]) {
  let inserted = 0;
  for (const row of rows) {
    const r = await db.insertInto('record_duplicate').values(row).onConflict((oc) => oc.constraint('record_duplicate_territory_kind_record_key_unique').doNothing()).returning('id').executeTakeFirst();
    if (r) inserted++;
  }
  return { inserted, updated: 0 };
}

export const insertDuplicate = (db: Executor, row: Insertable<DB['record_duplicate']>) => db.insertInto('record_duplicate').values(row).returning('id').executeTakeFirstOrThrow();

export const deleteDuplicate = (db: Executor, territoryId: number, id: number) =>
  db.deleteFrom('record_duplicate').where('territory_id', '=', territoryId).where('id', '=', id).returningAll().executeTakeFirst();

/** Cinema and festival counts of every commune, recounted from the lists without the records marked duplicates. */
export async function recountLists(db: Executor, territoryId: number) {
  await sql`
    update commune m set
      cinema_count = (select count(*) from cinema c where c.territory_id = m.territory_id and c.insee = m.insee
        and not exists (select 1 from record_duplicate d where d.territory_id = c.territory_id and d.kind = 'cinema' and d.record_key = c.cnc_id)),
      festival_count = (select count(*) from festival f where f.territory_id = m.territory_id and f.insee = m.insee
        and not exists (select 1 from record_duplicate d where d.territory_id = f.territory_id and d.kind = 'festival' and d.record_key = f.festival_id))
    where m.territory_id = ${territoryId}`.execute(db);
}

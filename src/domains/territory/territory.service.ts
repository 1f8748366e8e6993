/**
 * Territory guide use cases: a commune's profile with every figure's source, the list of sources, and the welcome
 * team's corrections of figures (each one audited, each one shown next to the imported value).
 */
import type { Actor, AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { recordAudit } from '../audit/index.js';
import type { HighlightSource, HomeHighlight } from '../site/index.js';
import { COMPARABLE_SALES, CORRECTABLE_FIGURES, FIGURES, FIGURE_BY_KEY, type FigureDef, type FigureKey } from './territory.figures.js';
import { DRIVE_METHOD } from './territory.geo.js';
import { refreshNearestServices } from './territory.import.js';
import { canCorrectFigures } from './territory.policy.js';
import * as repo from './territory.repo.js';
import { INSEE_PATTERN, type CorrectFigureInput, type MarkDuplicateInput, type PriceReferenceInput } from './territory.schemas.js';

export interface FigureCorrection {
  value: number;
  importedValue: number | null;
  note: string;
  at: Date;
  author: string | null;
}

export interface ProfileFigure {
  key: FigureKey;
  unit: FigureDef['unit'];
  /** The value shown: the staff correction when there is one. */
  value: number | null;
  datasetId: number | null;
  correction: FigureCorrection | null;
}

export interface PriceComparison {
  insee: string;
  name: string;
  houseMedian: number | null;
  flatMedian: number | null;
  /** Shipped references point to a dataset; staff-entered ones (Paris) carry their own source. */
  datasetId: number | null;
  sourceNote: string | null;
  sourceUrl: string | null;
  sourceDate: string | null;
}

export interface NearbyPlace {
  slug: string;
  name: string;
  communeName: string;
  services: string[];
  distanceKm: number;
  locationApproximate: boolean;
}

/** Filled by the third places domain (wired in app.ts), so this domain does not depend on it. */
/**
 * A link another domain offers on each village's page and finder result (the newcomers' "add this village to my
 * project"): `key` is its text, given `{ name }`; `href` the page it leads to for that commune.
 */
export interface CommuneLink {
  key: string;
  href: (insee: string) => string;
}

export type NearbyPlacesProvider = (point: { lat: number; lon: number }) => Promise<NearbyPlace[]>;

export type CommuneProfile = Awaited<ReturnType<typeof getCommuneProfile>>;
export type { DatasetSummary } from './territory.repo.js';
type DatasetSummary = repo.DatasetSummary;

const notFound = () => new AppError('not_found', 'territory.notFound.text');

/** Everything the profile page and the API show about one commune, with the dataset of every figure. */
export async function getCommuneProfile(ctx: AppContext, insee: string, opts: { nearbyPlaces?: NearbyPlacesProvider } = {}) {
  if (!INSEE_PATTERN.test(insee)) throw notFound();
  const tid = ctx.territory.id;
  const commune = await repo.findCommune(ctx.db, tid, insee);
  if (!commune) throw notFound();
  const nearestCodes = [commune.nearest_gp_insee, commune.nearest_pharmacy_insee, commune.nearest_cinema_insee].filter((c): c is string => !!c);
  const [datasets, overrides, cinemas, festivals, station, names, epci, references, points, nearbyPlaces] = await Promise.all([
    repo.listDatasets(ctx.db, tid),
    repo.listOverridesOf(ctx.db, tid, insee),
    repo.listCinemasOf(ctx.db, tid, insee),
    repo.listFestivalsOf(ctx.db, tid, insee),
    commune.nearest_station_uic ? repo.findStation(ctx.db, tid, commune.nearest_station_uic) : undefined,
    repo.communeNames(ctx.db, tid, nearestCodes),
    commune.epci_siren ? repo.findEpci(ctx.db, tid, commune.epci_siren) : undefined,
    repo.listPriceReferences(ctx.db, tid),
    repo.listReferencePoints(ctx.db, tid),
    opts.nearbyPlaces ? opts.nearbyPlaces({ lat: commune.lat, lon: commune.lon }) : Promise.resolve(null),
  ]);
  const datasetByKey = new Map(datasets.map((d) => [d.key, d]));
  const listDataset = (list: 'cinema' | 'festival') => datasetByKey.get(list === 'cinema' ? 'cnc-cinemas-2022' : 'culture-festivals')?.id ?? null;
  const corrections = new Map(overrides.map((o) => [o.figure, o]));
  const figures = new Map<FigureKey, ProfileFigure>(
    FIGURES.map((def) => {
      const o = corrections.get(def.key);
      return [
        def.key,
        {
          key: def.key,
          unit: def.unit,
          value: (commune as unknown as Record<string, number | null>)[def.key] ?? null,
          datasetId: 'column' in def.source ? commune[def.source.column] : listDataset(def.source.list),
          correction: o ? { value: o.value, importedValue: o.imported_value, note: o.note, at: o.created_at, author: o.author_name } : null,
        },
      ];
    }),
  );
  const near = (code: string | null, km: number | null) => (code && km !== null ? { insee: code, name: names.get(code) ?? code, km } : null);
  const comparisons: PriceComparison[] = references.map((r) => ({
    insee: r.insee,
    name: r.name,
    houseMedian: r.house_median,
    flatMedian: r.flat_median,
    datasetId: r.dataset_id,
    sourceNote: r.source_note,
    sourceUrl: r.source_url,
    sourceDate: r.source_date,
  }));
  const pointName = (key: string) => points.find((p) => p.key === key)?.name ?? key;
  return {
    insee: commune.insee,
    name: commune.name,
    population: figures.get('population')!,
    postcodes: commune.postcodes,
    cantons: commune.cantons,
    centre: { lat: commune.lat, lon: commune.lon },
    epci: epci ? { siren: epci.siren, name: epci.name, datasetId: epci.dataset_id } : null,
    identityDatasetId: commune.identity_dataset_id,
    centreDatasetId: commune.centre_dataset_id,
    boundaryDatasetId: commune.boundary_dataset_id,
    figures,
    bpeCounts: commune.bpe_counts,
    station: station ? { uic: station.uic, name: station.name, insee: station.insee, inTerritory: station.in_territory, datasetId: station.dataset_id } : null,
    nearest: {
      gp: near(commune.nearest_gp_insee, commune.nearest_gp_km),
      pharmacy: near(commune.nearest_pharmacy_insee, commune.nearest_pharmacy_km),
      cinema: near(commune.nearest_cinema_insee, commune.nearest_cinema_km),
    },
    accessDatasetId: commune.access_dataset_id,
    cinemas,
    festivals,
    comparisons,
    parisInsee: PARIS_INSEE,
    nearbyPlaces,
    referenceNames: { auch: pointName('auch'), toulouse: pointName('toulouse'), bordeaux: pointName('bordeaux'), airport: pointName('aeroport-toulouse-blagnac') },
    /** Drive times asked to a routing engine at import (cited as such), rather than estimated. */
    timesRouted: datasets.find((d) => d.id === commune.time_dataset_id)?.key === ROUTING_DATASET,
    /** The curated list the nearby third places come from (on /sources). */
    placesDatasetId: datasetByKey.get(PLACES_DATASET)?.id ?? null,
    datasets,
  };
}

/**
 * The territory's figures for the home page (contributed to the site's `homeHighlightsPoint`): its communes and
 * people, a house in its largest town against the cities (and Paris once staff entered its price with a source),
 * the communes within an hour of Toulouse, GPs, festivals. Each names the datasets it was computed from; a figure
 * whose data is missing is left out.
 */
export async function territoryHomeHighlights(ctx: AppContext): Promise<HomeHighlight[]> {
  const tid = ctx.territory.id;
  const [{ totals, largest, passengerStations, references, timeDatasetIds }, datasets, staffPrices] = await Promise.all([
    repo.territoryHighlights(ctx.db, tid),
    repo.listDatasets(ctx.db, tid),
    repo.listPriceReferences(ctx.db, tid),
  ]);
  if (Number(totals.communes) === 0) return [];
  const byKey = new Map(datasets.map((d) => [d.key, d]));
  const byId = new Map(datasets.map((d) => [d.id, d]));
  const cite = (d: DatasetSummary | undefined): HighlightSource[] =>
    d ? [{ title: d.title, publisher: d.publisher, edition: d.reference_year ? `${d.edition}, population ${d.reference_year}` : d.edition, licence: d.licence, url: d.url }] : [];
  const citeAll = (...list: (DatasetSummary | undefined)[]) => list.flatMap(cite);
  const dvf = largest?.dvf_dataset_id != null ? byId.get(largest.dvf_dataset_id) : undefined;
  const result: HomeHighlight[] = [
    {
      key: 'territory.communes',
      order: 10,
      label: { key: 'home.figures.communes' },
      value: { kind: 'count', amount: Number(totals.communes) },
      notes: [{ key: 'home.figures.population', params: { count: Number(totals.population) } }],
      sources: citeAll(byKey.get('cog-communes')),
    },
  ];
  // A house in the largest town, against the cities: only with enough sales to compare (as on the village pages).
  if (largest && largest.dvf_house_median !== null && largest.dvf_house_sales >= COMPARABLE_SALES) {
    const median = largest.dvf_house_median;
    const cities = references.filter((r) => r.house_median !== null && r.insee !== largest.insee);
    const paris = staffPrices.find((r) => r.insee === PARIS_INSEE && r.dataset_id === null && r.house_median !== null && r.source_note && r.source_date);
    result.push({
      key: 'territory.house-price',
      order: 20,
      label: { key: 'home.figures.house', params: { town: largest.name } },
      value: { kind: 'eur_m2', amount: median },
      notes: [
        ...cities.map((c) => ({ key: 'home.figures.cityPrice', params: { city: c.name, price: c.house_median!, ratio: Math.round((100 * median) / c.house_median!) } })),
        ...(paris ? [{ key: 'home.figures.parisPrice', params: { price: paris.house_median!, ratio: Math.round((100 * median) / paris.house_median!) } }] : []),
        { key: dvf?.origin === 'upload' ? 'home.figures.houseSalesPerSale' : 'home.figures.houseSales', params: { count: largest.dvf_house_sales } },
      ],
      // Both sources when Paris is compared: the DVF aggregate, and the one staff gave with the Paris price.
      sources: [...cite(dvf), ...(paris ? [{ title: paris.source_note!, url: paris.source_url, date: paris.source_date }] : [])],
    });
  }
  const timeSources = timeDatasetIds.map((id) => byId.get(id));
  result.push(
    {
      key: 'territory.toulouse-hour',
      order: 30,
      label: { key: 'home.figures.toulouse' },
      value: { kind: 'count', amount: Number(totals.within_hour_toulouse) },
      notes: [{ key: timeSources.some((d) => d?.key === ROUTING_DATASET) ? 'home.figures.toulouseRouted' : 'home.figures.toulouseNote', params: { error: DRIVE_METHOD.errorPercent } }],
      sources: citeAll(...timeSources, byKey.get('geo-api-centres')),
    },
    {
      key: 'territory.gps',
      order: 40,
      label: { key: 'home.figures.gps' },
      value: { kind: 'count', amount: Number(totals.gps) },
      notes: [{ key: 'home.figures.gpsNote', params: { communes: Number(totals.communes_with_gp), pharmacies: Number(totals.pharmacies) } }],
      sources: citeAll(byKey.get('bpe-2024')),
    },
    {
      key: 'territory.festivals',
      order: 50,
      label: { key: 'home.figures.culture' },
      value: { kind: 'count', amount: Number(totals.festivals) },
      notes: [{ key: 'home.figures.cultureNote', params: { cinemas: Number(totals.cinemas), stations: passengerStations } }],
      sources: citeAll(byKey.get('culture-festivals'), byKey.get('cnc-cinemas-2022'), byKey.get('sncf-gares-voyageurs')),
    },
  );
  // A dataset the import did not record (another territory's files) leaves its figure without a source: not shown.
  return result.filter((h) => h.sources.length > 0);
}

/** Every dataset of the territory (the /sources page) and the prices staff typed in with their sources. */
export async function listSources(ctx: AppContext) {
  const [datasets, references] = await Promise.all([repo.listDatasets(ctx.db, ctx.territory.id), repo.listPriceReferences(ctx.db, ctx.territory.id)]);
  return { datasets, staffReferences: references.filter((r) => r.dataset_id === null) };
}

// ---------------------------------------------------------------------------------------------- corrections

function assertCanCorrect(actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canCorrectFigures(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

async function communeForCorrection(ctx: AppContext, actor: Actor, insee: string) {
  assertCanCorrect(actor);
  if (!INSEE_PATTERN.test(insee)) throw notFound();
  const commune = await repo.findCommune(ctx.db, actor.territoryId, insee);
  if (!commune) throw notFound();
  return commune;
}

/** The correction page: each correctable figure with its current and imported values. */
export async function getCommuneCorrections(ctx: AppContext, actor: Actor, insee: string) {
  const commune = await communeForCorrection(ctx, actor, insee);
  const overrides = await repo.listOverridesOf(ctx.db, actor.territoryId, insee);
  const byFigure = new Map(overrides.map((o) => [o.figure, o]));
  return {
    insee: commune.insee,
    name: commune.name,
    figures: CORRECTABLE_FIGURES.map((key) => {
      const o = byFigure.get(key);
      const current = (commune as unknown as Record<string, number | null>)[key] ?? null;
      return {
        key,
        unit: FIGURE_BY_KEY.get(key)!.unit,
        value: current,
        importedValue: o ? o.imported_value : current,
        correction: o ? { value: o.value, note: o.note, at: o.created_at, author: o.author_name } : null,
      };
    }),
  };
}

/** Nearest GP / pharmacy of other communes depend on these counts. */
const AFFECTS_NEAREST: readonly string[] = ['gp_count', 'pharmacy_count'];

/** Sets (or replaces) a staff correction of one figure; the imported value stays recorded beside it. */
export async function correctFigure(ctx: AppContext, actor: Actor, insee: string, input: CorrectFigureInput) {
  await communeForCorrection(ctx, actor, insee);
  await ctx.db.transaction().execute(async (trx) => {
    const commune = (await repo.findCommune(trx, actor.territoryId, insee))!;
    const existing = await repo.findOverride(trx, actor.territoryId, insee, input.figure);
    const importedValue = existing ? existing.imported_value : ((commune as unknown as Record<string, number | null>)[input.figure] ?? null);
    const now = ctx.clock.now();
    await repo.saveOverride(trx, { territory_id: actor.territoryId, insee, figure: input.figure, value: input.value, imported_value: importedValue, note: input.note, author_id: actor.userId, created_at: now });
    await repo.setCommuneFigure(trx, actor.territoryId, insee, input.figure, input.value);
    if (AFFECTS_NEAREST.includes(input.figure)) await refreshNearestServices(trx, actor.territoryId);
    await recordAudit(trx, ctx, actor, {
      action: 'figure.overridden',
      subjectType: 'commune',
      subjectId: insee,
      data: { figure: input.figure, value: input.value, importedValue, previous: existing?.value ?? null, note: input.note },
    });
  });
  ctx.pageCache.clear();
}

/** Removes a correction: the imported value is shown again. */
export async function removeCorrection(ctx: AppContext, actor: Actor, insee: string, figure: string) {
  assertCanCorrect(actor);
  if (!(CORRECTABLE_FIGURES as string[]).includes(figure)) throw new AppError('not_found', 'territory.correction.unknown');
  await communeForCorrection(ctx, actor, insee);
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteOverride(trx, actor.territoryId, insee, figure);
    if (!removed) throw new AppError('not_found', 'territory.correction.unknown');
    await repo.setCommuneFigure(trx, actor.territoryId, insee, figure, removed.imported_value);
    if (AFFECTS_NEAREST.includes(figure)) await refreshNearestServices(trx, actor.territoryId);
    await recordAudit(trx, ctx, actor, {
      action: 'figure.override_removed',
      subjectType: 'commune',
      subjectId: insee,
      data: { figure, value: removed.value, importedValue: removed.imported_value },
    });
  });
  ctx.pageCache.clear();
}

/** The back office's territory page: a commune search, every correction, and the Paris price. */
export async function getTerritoryAdmin(ctx: AppContext, actor: Actor, q: string | undefined) {
  assertCanCorrect(actor);
  const [results, corrections, references] = await Promise.all([
    q ? repo.searchCommunesByName(ctx.db, actor.territoryId, q) : Promise.resolve([]),
    repo.listAllOverrides(ctx.db, actor.territoryId),
    repo.listPriceReferences(ctx.db, actor.territoryId),
  ]);
  return { q: q ?? '', results, corrections, paris: references.find((r) => r.insee === PARIS_INSEE && r.dataset_id === null) ?? null };
}

export const PARIS_INSEE = '75056';
/** Dataset keys the profile cites by name: the routing engine's (created by the import) and the third places list. */
export const ROUTING_DATASET = 'osrm-durees';
export const PLACES_DATASET = 'tiers-lieux-gers';

// ---------------------------------------------------------------------------------------------- duplicates

/** The back office's duplicates page: every mark, with both records' names. */
export async function getDuplicatesAdmin(ctx: AppContext, actor: Actor) {
  assertCanCorrect(actor);
  return { duplicates: await repo.listDuplicates(ctx.db, actor.territoryId) };
}

/**
 * Marks a record of an imported list (a festival, a cinema) as a duplicate of another record of the same list:
 * it leaves the counts and the pages, the mark stays across re-imports, and the note says why.
 */
export async function markDuplicate(ctx: AppContext, actor: Actor, input: MarkDuplicateInput) {
  assertCanCorrect(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const [record, original] = await Promise.all([
      repo.findListRecord(trx, actor.territoryId, input.kind, input.recordKey),
      repo.findListRecord(trx, actor.territoryId, input.kind, input.duplicateOf),
    ]);
    if (!record) throw new AppError('invalid', 'territory.duplicates.unknown', { recordKey: 'territory.duplicates.unknown' });
    if (!original) throw new AppError('invalid', 'territory.duplicates.unknown', { duplicateOf: 'territory.duplicates.unknown' });
    if (await repo.findDuplicate(trx, actor.territoryId, input.kind, input.recordKey)) throw new AppError('conflict', 'territory.duplicates.already', { recordKey: 'territory.duplicates.already' });
    // No chains: the record kept must not be marked itself.
    if (await repo.findDuplicate(trx, actor.territoryId, input.kind, input.duplicateOf)) throw new AppError('invalid', 'territory.duplicates.originalMarked', { duplicateOf: 'territory.duplicates.originalMarked' });
    await repo.insertDuplicate(trx, {
      territory_id: actor.territoryId,
      kind: input.kind,
      record_key: input.recordKey,
      duplicate_of: input.duplicateOf,
      note: input.note,
      author_id: actor.userId,
      created_at: ctx.clock.now(),
    });
    await repo.recountLists(trx, actor.territoryId);
    if (input.kind === 'cinema') await refreshNearestServices(trx, actor.territoryId);
    await recordAudit(trx, ctx, actor, {
      action: 'record.marked_duplicate',
      subjectType: input.kind,
      subjectId: input.recordKey,
      data: { duplicateOf: input.duplicateOf, name: record.name, insee: record.insee, note: input.note },
    });
  });
  ctx.pageCache.clear();
}

/** Removes a duplicate mark: the record counts and shows again. */
export async function removeDuplicate(ctx: AppContext, actor: Actor, id: number) {
  assertCanCorrect(actor);
  if (!Number.isSafeInteger(id)) throw new AppError('not_found', 'territory.duplicates.none');
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteDuplicate(trx, actor.territoryId, id);
    if (!removed) throw new AppError('not_found', 'territory.duplicates.none');
    await repo.recountLists(trx, actor.territoryId);
    if (removed.kind === 'cinema') await refreshNearestServices(trx, actor.territoryId);
    await recordAudit(trx, ctx, actor, { action: 'record.duplicate_mark_removed', subjectType: removed.kind, subjectId: removed.record_key, data: { duplicateOf: removed.duplicate_of } });
  });
  ctx.pageCache.clear();
}

/** Enters the Paris price staff want to compare with, with its source and date (shown wherever it is used). */
export async function setParisReference(ctx: AppContext, actor: Actor, input: PriceReferenceInput) {
  assertCanCorrect(actor);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.saveStaffPriceReference(trx, {
      territory_id: actor.territoryId,
      insee: PARIS_INSEE,
      name: 'Paris',
      house_median: input.houseMedian ?? null,
      flat_median: input.flatMedian ?? null,
      source_note: input.sourceNote,
      source_url: input.sourceUrl ?? null,
      source_date: input.sourceDate,
      entered_at: ctx.clock.now(),
    });
    await recordAudit(trx, ctx, actor, { action: 'price_reference.set', subjectType: 'commune', subjectId: PARIS_INSEE, data: { ...input } });
  });
  ctx.pageCache.clear();
}

export async function removeParisReference(ctx: AppContext, actor: Actor) {
  assertCanCorrect(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const res = await repo.deletePriceReference(trx, actor.territoryId, PARIS_INSEE);
    if (Number(res.numDeletedRows) === 0) throw new AppError('not_found', 'territory.reference.none');
    await recordAudit(trx, ctx, actor, { action: 'price_reference.removed', subjectType: 'commune', subjectId: PARIS_INSEE });
  });
  ctx.pageCache.clear();
}

/**
 * Territory guide use cases: a commune's profile with every figure's source, the list of sources, and the welcome
 * team's corrections of figures (each one audited, each one shown next to the imported value).
 */
import type { Actor, AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { recordAudit } from '../audit/index.js';
import { CORRECTABLE_FIGURES, FIGURES, FIGURE_BY_KEY, type FigureDef, type FigureKey } from './territory.figures.js';
import { refreshNearestServices } from './territory.import.js';
import { canCorrectFigures } from './territory.policy.js';
import * as repo from './territory.repo.js';
import { INSEE_PATTERN, type CorrectFigureInput, type PriceReferenceInput } from './territory.schemas.js';

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
    datasets,
  };
}

/** Every dataset of the territory (the /sources page) and the prices staff typed in with their sources. */
/**
 * The territory in a few figures for the home page: size, health, culture, trains and what a house costs in its
 * largest town compared with the regional cities. Each figure names its dataset so the page can cite it.
 */
export async function getTerritoryHighlights(ctx: AppContext) {
  const { totals, largest, passengerStations, references } = await repo.territoryHighlights(ctx.db, ctx.territory.id);
  const towns = references.filter((r) => r.house_median !== null && r.insee !== largest?.insee);
  return {
    communes: Number(totals.communes),
    population: Number(totals.population),
    gps: Number(totals.gps),
    communesWithGp: Number(totals.communes_with_gp),
    pharmacies: Number(totals.pharmacies),
    cinemas: Number(totals.cinemas),
    festivals: Number(totals.festivals),
    withinHourOfToulouse: Number(totals.within_hour_toulouse),
    passengerStations,
    largestTown: largest && largest.dvf_house_median !== null ? { name: largest.name, houseMedian: largest.dvf_house_median, sales: largest.dvf_house_sales } : null,
    cities: towns.map((r) => ({ name: r.name, houseMedian: r.house_median! })),
  };
}
export type TerritoryHighlights = Awaited<ReturnType<typeof getTerritoryHighlights>>;

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

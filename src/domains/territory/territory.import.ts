/**
 * Loading the territory's open data into the database (`npm run import:territory -- gers`, first start, test
 * template) and staff-triggered DVF imports (`npm run import:dvf -- FILE`).
 *
 * Rules held here:
 * - Files are read and checked before anything is written; the writes run in ONE transaction.
 * - Idempotent: rows are upserted by their natural key and only rewritten when a value differs, so a second run
 *   on the same files reports zero changes.
 * - A staff correction (figure_override) survives: the import records the new imported value beside it and keeps
 *   the corrected value in the column the site reads.
 * - DVF figures that came from a file staff imported are not replaced by the shipped aggregate.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor, AppContext, Executor } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { rootDir } from '../../shared/paths.js';
import { recordAudit } from '../audit/index.js';
import { parseCsv } from './territory.csv.js';
import { DvfReader, mediansByCommune, type DvfLineError, type DvfParseResult, type DvfSummary } from './territory.dvf.js';
import { canImportData } from './territory.policy.js';
import { BPE_FIGURES, FIGURE_BY_KEY, type FigureKey } from './territory.figures.js';
import { containsPoint, estimateDriveMinutes, haversineKm, nearest, roundKm, type LatLon, type PolygonGeometry } from './territory.geo.js';
import * as repo from './territory.repo.js';
import { RoutingError, routeMinutes, routingServerLabel, type RoutingOptions } from './territory.routing.js';

const territoriesDir = path.join(rootDir, 'data', 'territories');
export const territoryDir = (slug: string) => path.join(territoriesDir, slug);

export class TerritoryDataError extends Error {}

// ---------------------------------------------------------------------------------------------- reading files

const TerritoryFile = z.object({
  slug: z.string(),
  departement: z.string().regex(/^([0-9]{2}|2A|2B|97[1-6])$/),
  referencePoints: z.object({ auch: z.string(), toulouse: z.string(), bordeaux: z.string(), airport: z.string() }).catchall(z.string()),
  priceReferences: z.array(z.string().regex(/^[0-9]{5}$/)).default([]),
  parisInsee: z.string().optional(),
});

const DatasetsFile = z.object({
  datasets: z.array(
    z.object({
      key: z.string().regex(/^[a-z0-9-]+$/),
      title: z.string().min(1),
      publisher: z.string().min(1),
      edition: z.string().min(1),
      publishedOn: z.iso.date().optional(),
      periodStart: z.iso.date().optional(),
      periodEnd: z.iso.date().optional(),
      licence: z.string().min(1),
      licenceUrl: z.url().optional(),
      attribution: z.string().min(1),
      url: z.url().optional(),
      files: z.array(z.string()).default([]),
      notes: z.string().optional(),
      shareAlike: z.boolean().default(false),
      referenceYear: z.number().int().min(1800).max(2100).optional(),
    }),
  ),
});

/** Known duplicates in a shipped list (doublons.json, optional): marked at import, like a staff mark. */
const DuplicatesFile = z.object({
  duplicates: z.array(z.object({ kind: z.enum(['festival', 'cinema']), record: z.string().min(1).max(100), duplicateOf: z.string().min(1).max(100), note: z.string().min(3).max(1000) })),
});

const PointsFile = z.object({
  points: z.array(z.object({ id: z.string(), nom: z.string(), type: z.enum(['commune', 'gare', 'aeroport']), code_insee: z.string().optional(), lat: z.number(), lon: z.number() })),
});

interface Feature<P = Record<string, unknown>> {
  properties: P;
  geometry: PolygonGeometry;
}

/** Dataset keys the shipped files map to (see datasets.json). */
const DS = {
  cog: 'cog-communes',
  ign: 'ign-admin-express',
  centres: 'geo-api-centres',
  dvf: 'dvf-agregat-2024',
  bpe: 'bpe-2024',
  cinemas: 'cnc-cinemas-2022',
  festivals: 'culture-festivals',
  stations: 'sncf-gares-voyageurs',
  network: 'sncf-reseau-liste-gares',
  airport: 'aip-toulouse-blagnac',
  access: 'calcul-acces',
  /** Created by the import itself when a routing engine answered (not in datasets.json). */
  routing: 'osrm-durees',
} as const;

const INSEE = /^([0-9]{2}|2A|2B)[0-9]{3}$/;

function fail(file: string, line: number | null, message: string): never {
  throw new TerritoryDataError(`${file}${line ? `, ligne ${line}` : ''} : ${message}`);
}

function int(file: string, line: number, field: string, value: string, { optional = false } = {}): number | null {
  if (value === '' && optional) return null;
  if (!/^-?[0-9]+$/.test(value)) fail(file, line, `${field} n’est pas un nombre entier (« ${value} »)`);
  return Number(value);
}

function num(file: string, line: number, field: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) fail(file, line, `${field} n’est pas un nombre (« ${value} »)`);
  return n;
}

function csv(dir: string, file: string) {
  try {
    return parseCsv(readFileSync(path.join(dir, file), 'utf8'));
  } catch (error) {
    fail(file, null, (error as Error).message);
  }
}

function json(dir: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  } catch (error) {
    fail(file, null, (error as Error).message);
  }
}

export interface CentreRecord extends LatLon {
  insee: string;
  name: string;
  surface: LatLon;
  population: number;
  postcodes: string[];
  epciSiren: string;
  epciName: string;
  areaKm2: number;
}

/** Everything the shipped files say, checked, before any database work. */
export function readTerritoryFiles(slug: string, dir = territoryDir(slug)) {
  const territory = TerritoryFile.parse(json(dir, 'territory.json'));
  const datasets = DatasetsFile.parse(json(dir, 'datasets.json')).datasets;
  const dep = territory.departement;

  // Communes: the centres file is the reference list; every other per-commune file must match it exactly.
  const centresFile = `${slug}-communes-centres.csv`;
  const centres: CentreRecord[] = csv(dir, centresFile).records.map(({ line, values: v }) => {
    if (!INSEE.test(v.code_insee) || !v.code_insee.startsWith(dep)) fail(centresFile, line, `code INSEE invalide « ${v.code_insee} »`);
    if (!/^[0-9]{9}$/.test(v.epci_siren)) fail(centresFile, line, `SIREN d’EPCI invalide « ${v.epci_siren} »`);
    const postcodes = v.codes_postaux.split(/\s+/).filter(Boolean);
    if (!postcodes.length || postcodes.some((p) => !/^[0-9]{5}$/.test(p))) fail(centresFile, line, `codes postaux invalides « ${v.codes_postaux} »`);
    return {
      insee: v.code_insee,
      name: v.nom,
      lat: num(centresFile, line, 'lat', v.lat),
      lon: num(centresFile, line, 'lon', v.lon),
      surface: { lat: num(centresFile, line, 'lat_surface', v.lat_surface), lon: num(centresFile, line, 'lon_surface', v.lon_surface) },
      population: int(centresFile, line, 'population', v.population)!,
      postcodes,
      epciSiren: v.epci_siren,
      epciName: v.epci_nom,
      areaKm2: num(centresFile, line, 'superficie_km2', v.superficie_km2),
    };
  });
  const codes = new Set(centres.map((c) => c.insee));
  if (codes.size !== centres.length) fail(centresFile, null, 'un code INSEE apparaît deux fois');
  const known = (file: string, line: number, code: string) => {
    if (!codes.has(code)) fail(file, line, `commune inconnue « ${code} »`);
    return code;
  };
  const everyCommune = (file: string, seen: Set<string>) => {
    const missing = [...codes].filter((c) => !seen.has(c));
    if (missing.length) fail(file, null, `${missing.length} commune(s) absente(s), dont ${missing.slice(0, 3).join(', ')}`);
  };

  const boundariesFile = `${slug}-communes.geojson`;
  const boundaryFeatures = (json(dir, boundariesFile) as { features: Feature<{ code: string }>[] }).features;
  const boundaries = new Map<string, PolygonGeometry>();
  for (const f of boundaryFeatures) {
    known(boundariesFile, 0, f.properties.code);
    if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') fail(boundariesFile, null, `géométrie invalide pour ${f.properties.code}`);
    boundaries.set(f.properties.code, f.geometry);
  }
  everyCommune(boundariesFile, new Set(boundaries.keys()));

  const cantonsFile = `${slug}-cantons.geojson`;
  const cantons = (json(dir, cantonsFile) as { features: Feature<{ code: string; nom: string }>[] }).features.map((f) => ({ code: f.properties.code, name: f.properties.nom, geometry: f.geometry }));

  const dvfFile = `${slug}-dvf-prix-m2-communes.csv`;
  const dvf = new Map(
    csv(dir, dvfFile).records.map(({ line, values: v }) => [
      known(dvfFile, line, v.code_insee),
      {
        houseMedian: int(dvfFile, line, 'prix_m2_median_maison', v.prix_m2_median_maison, { optional: true }),
        houseSales: int(dvfFile, line, 'nb_ventes_maison', v.nb_ventes_maison)!,
        flatMedian: int(dvfFile, line, 'prix_m2_median_appartement', v.prix_m2_median_appartement, { optional: true }),
        flatSales: int(dvfFile, line, 'nb_ventes_appartement', v.nb_ventes_appartement)!,
      },
    ]),
  );
  everyCommune(dvfFile, new Set(dvf.keys()));

  const bpeFile = `${slug}-bpe-sante-action-sociale-2024.csv`;
  const bpeCsv = csv(dir, bpeFile);
  const bpeCodes = bpeCsv.header.filter((h) => /^D[0-9]{3}$/.test(h));
  for (const f of BPE_FIGURES) if (!bpeCodes.includes(f.bpe)) fail(bpeFile, 1, `colonne ${f.bpe} absente`);
  const bpe = new Map(
    bpeCsv.records.map(({ line, values: v }) => [known(bpeFile, line, v.code_insee), Object.fromEntries(bpeCodes.map((code) => [code, int(bpeFile, line, code, v[code])!]))]),
  );
  everyCommune(bpeFile, new Set(bpe.keys()));

  const cinemasFile = `${slug}-cinemas.csv`;
  const cinemas = csv(dir, cinemasFile).records.map(({ line, values: v }) => ({
    cnc_id: v.id_cnc,
    insee: known(cinemasFile, line, v.code_insee),
    name: v.nom,
    address: v.adresse || null,
    screens: int(cinemasFile, line, 'ecrans', v.ecrans)!,
    seats: int(cinemasFile, line, 'fauteuils', v.fauteuils, { optional: true }),
    admissions_2022: int(cinemasFile, line, 'entrees_2022', v.entrees_2022, { optional: true }),
    admissions_2021: int(cinemasFile, line, 'entrees_2021', v.entrees_2021, { optional: true }),
    art_et_essai: v.art_et_essai.toUpperCase() === 'OUI',
    labels: v.label_art_et_essai || null,
    lat: num(cinemasFile, line, 'lat', v.lat),
    lon: num(cinemasFile, line, 'lon', v.lon),
  }));

  const festivalsFile = `${slug}-festivals.csv`;
  const festivals = csv(dir, festivalsFile).records.map(({ line, values: v }) => ({
    festival_id: v.identifiant,
    insee: known(festivalsFile, line, v.code_insee),
    name: v.nom,
    discipline: v.discipline || null,
    subcategory: v.sous_categorie || null,
    period: v.periode || null,
    founded_year: int(festivalsFile, line, 'annee_creation', v.annee_creation, { optional: true }),
    website: /^https?:\/\//.test(v.site_web) ? v.site_web : null,
    lat: v.lat ? num(festivalsFile, line, 'lat', v.lat) : null,
    lon: v.lon ? num(festivalsFile, line, 'lon', v.lon) : null,
  }));

  const stationsFile = 'gares-voyageurs-gers-et-environs.csv';
  const passengerStations = csv(dir, stationsFile).records.map(({ line, values: v }) => {
    const uic = v.codes_uic.split(';')[0];
    if (!/^[0-9]{8}$/.test(uic)) fail(stationsFile, line, `code UIC invalide « ${v.codes_uic} »`);
    return {
      uic,
      name: v.nom_gare,
      trigram: v.trigramme || null,
      segment: v.segment_drg || null,
      lat: num(stationsFile, line, 'lat', v.lat),
      lon: num(stationsFile, line, 'lon', v.lon),
      insee: v.code_commune_insee,
      in_territory: v.code_departement === dep,
    };
  });

  const networkFile = 'liste-des-gares-reseau-gers.csv';
  const networkStations = csv(dir, networkFile).records.map(({ line, values: v }) => {
    if (!/^[0-9]{8}$/.test(v.code_uic)) fail(networkFile, line, `code UIC invalide « ${v.code_uic} »`);
    return { uic: v.code_uic, name: v.libelle, passenger: v.voyageurs === 'O', freight: v.fret === 'O', lat: num(networkFile, line, 'lat', v.lat), lon: num(networkFile, line, 'lon', v.lon) };
  });

  const points = PointsFile.parse(json(dir, 'points-de-reference.json')).points;

  const pricesFile = 'references-prix-m2.csv';
  const priceReferences = csv(dir, pricesFile)
    .records.filter(({ values: v }) => territory.priceReferences.includes(v.code_insee))
    .map(({ line, values: v }) => ({
      insee: v.code_insee,
      name: v.nom,
      house_median: int(pricesFile, line, 'prix_m2_median_maison', v.prix_m2_median_maison, { optional: true }),
      house_sales: int(pricesFile, line, 'nb_ventes_maison', v.nb_ventes_maison, { optional: true }),
      flat_median: int(pricesFile, line, 'prix_m2_median_appartement', v.prix_m2_median_appartement, { optional: true }),
      flat_sales: int(pricesFile, line, 'nb_ventes_appartement', v.nb_ventes_appartement, { optional: true }),
    }));

  let duplicates: z.infer<typeof DuplicatesFile>['duplicates'] = [];
  try {
    readFileSync(path.join(dir, 'doublons.json'));
    duplicates = DuplicatesFile.parse(json(dir, 'doublons.json')).duplicates;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const d of duplicates) {
    const keys = new Set(d.kind === 'festival' ? festivals.map((f) => f.festival_id) : cinemas.map((c) => c.cnc_id));
    if (!keys.has(d.record) || !keys.has(d.duplicateOf) || d.record === d.duplicateOf) fail('doublons.json', null, `doublon inconnu ou incohérent « ${d.record} » / « ${d.duplicateOf} »`);
  }

  return { territory, datasets, centres, boundaries, cantons, dvf, bpe, cinemas, festivals, passengerStations, networkStations, points, priceReferences, duplicates };
}

export type TerritoryFiles = ReturnType<typeof readTerritoryFiles>;

// ---------------------------------------------------------------------------------------------- derived figures

/**
 * The commune's canton is the one holding a point inside the commune. A commune divided between several cantons
 * gives them its name with a number ("Auch-1", "Auch-2", "Auch-3", the official naming rule), so those are all
 * attached to it.
 */
export function cantonsOf(commune: CentreRecord, cantons: TerritoryFiles['cantons']): string[] {
  const named = cantons.filter((c) => new RegExp(`^${escapeRegExp(commune.name)}-[0-9]+$`).test(c.name)).map((c) => c.name);
  if (named.length) return named.sort();
  const containing = cantons.find((c) => containsPoint(c.geometry, commune.surface));
  return containing ? [containing.name] : [];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface NearestColumns {
  nearest_gp_insee: string | null;
  nearest_gp_km: number | null;
  nearest_pharmacy_insee: string | null;
  nearest_pharmacy_km: number | null;
  nearest_cinema_insee: string | null;
  nearest_cinema_km: number | null;
}

/**
 * For a commune without a GP, a pharmacy or a cinema: the closest commune of the territory that has one (centre to
 * centre, straight line). Communes outside the territory are not known, so a border village may have a closer one
 * across the border; the page says "dans le département".
 */
export function nearestServices(communes: readonly (LatLon & { insee: string; gp_count: number; pharmacy_count: number; cinema_count: number })[]): Map<string, NearestColumns> {
  const withGp = communes.filter((c) => c.gp_count > 0);
  const withPharmacy = communes.filter((c) => c.pharmacy_count > 0);
  const withCinema = communes.filter((c) => c.cinema_count > 0);
  const result = new Map<string, NearestColumns>();
  for (const c of communes) {
    const gp = c.gp_count > 0 ? null : nearest(c, withGp);
    const pharmacy = c.pharmacy_count > 0 ? null : nearest(c, withPharmacy);
    const cinema = c.cinema_count > 0 ? null : nearest(c, withCinema);
    result.set(c.insee, {
      nearest_gp_insee: gp?.item.insee ?? null,
      nearest_gp_km: gp ? roundKm(gp.km) : null,
      nearest_pharmacy_insee: pharmacy?.item.insee ?? null,
      nearest_pharmacy_km: pharmacy ? roundKm(pharmacy.km) : null,
      nearest_cinema_insee: cinema?.item.insee ?? null,
      nearest_cinema_km: cinema ? roundKm(cinema.km) : null,
    });
  }
  return result;
}

function access(from: LatLon, to: LatLon) {
  const km = haversineKm(from, to);
  return { km: roundKm(km), min: estimateDriveMinutes(km) };
}

// ---------------------------------------------------------------------------------------------- territory import

export interface ImportTarget {
  id: number;
  slug: string;
}

export interface TerritoryImportReport {
  communes: number;
  written: Record<string, repo.WriteCount & { deleted?: number }>;
  /** Rows inserted, updated or deleted over all tables: 0 when the database already held these files. */
  changes: number;
  keptUploadedDvf: boolean;
  ms: number;
}

/** Loads the territory's shipped open data in one transaction. */
export interface TerritoryImportOptions {
  now: Date;
  dir?: string;
  /** A routing engine to ask for road times (config `OSRM_URL`); without it the times are estimated. */
  routing?: RoutingOptions;
}

export async function importTerritory(db: Kysely<DB>, target: ImportTarget, opts: TerritoryImportOptions): Promise<TerritoryImportReport> {
  const started = performance.now();
  const files = readTerritoryFiles(target.slug, opts.dir);
  const written: TerritoryImportReport['written'] = {};
  let keptUploadedDvf = false;
  const allStations = stationsOf(files);
  const passengerStations = allStations.filter((s) => s.passenger);
  const nearestStation = new Map(files.centres.map((c) => [c.insee, nearest(c, passengerStations)!]));
  // A routing engine, when configured, is asked before the transaction opens (network time holds no lock).
  const routed = opts.routing ? await routeAccess(opts.routing, files, nearestStation) : null;

  await db.transaction().execute(async (trx) => {
    const tid = target.id;
    const { count: datasetCount, ids } = await repo.upsertDatasets(
      trx,
      tid,
      files.datasets.map((d) => ({
        key: d.key,
        title: d.title,
        publisher: d.publisher,
        edition: d.edition,
        published_on: d.publishedOn ?? null,
        period_start: d.periodStart ?? null,
        period_end: d.periodEnd ?? null,
        licence: d.licence,
        licence_url: d.licenceUrl ?? null,
        attribution: d.attribution,
        url: d.url ?? null,
        files: d.files,
        notes: d.notes ?? null,
        share_alike: d.shareAlike,
        origin: 'shipped' as const,
        reference_year: d.referenceYear ?? null,
      }) as repo.DatasetInput).concat(routed ? [routingDataset(opts.routing!.url)] : []),
      opts.now,
    );
    written.dataset = datasetCount;
    const ds = (key: string) => ids.get(key) ?? fail('datasets.json', null, `jeu de données « ${key} » manquant`);

    const epcis = new Map(files.centres.map((c) => [c.epciSiren, c.epciName]));
    written.epci = await repo.upsertEpcis(trx, [...epcis].map(([siren, name]) => ({ territory_id: tid, siren, name, dataset_id: ds(DS.cog) })));

    // Reference points and stations first: the access figures are computed from them.
    const pointDataset = (p: { type: string }) => ds(p.type === 'gare' ? DS.stations : p.type === 'aeroport' ? DS.airport : DS.centres);
    written.reference_point = await repo.syncReferencePoints(
      trx,
      tid,
      files.points.map((p) => ({ territory_id: tid, key: p.id, name: p.nom, kind: p.type, insee: p.code_insee ?? null, lat: p.lat, lon: p.lon, dataset_id: pointDataset(p) })),
    );
    const pointByKey = new Map(files.points.map((p) => [p.id, p]));
    const ref = (role: 'auch' | 'toulouse' | 'bordeaux' | 'airport') =>
      pointByKey.get(files.territory.referencePoints[role]) ?? fail('territory.json', null, `point de référence « ${files.territory.referencePoints[role]} » absent de points-de-reference.json`);

    const stations = allStations.map(({ datasetKey, ...st }) => ({ ...st, dataset_id: ds(datasetKey) }));
    written.station = await repo.syncStations(trx, tid, stations.map((s) => ({ territory_id: tid, ...s })));

    // Figures: imported values, then staff corrections on top.
    const uploadedDvf = await repo.findUploadedDvfDatasetId(trx, tid);
    const existingDvf = uploadedDvf ? new Map((await repo.listCommuneDvf(trx, tid)).map((r) => [r.insee, r])) : null;
    keptUploadedDvf = uploadedDvf !== null;
    // Records staff marked as duplicates of another one keep their mark and are not counted (nor shown). The
    // duplicates known in the shipped lists are marked the same way (once: a mark already there is left as it is).
    written.record_duplicate = await repo.insertShippedDuplicates(
      trx,
      files.duplicates.map((d) => ({ territory_id: tid, kind: d.kind, record_key: d.record, duplicate_of: d.duplicateOf, note: d.note, author_id: null, created_at: opts.now })),
    );
    const [cinemaDuplicates, festivalDuplicates] = await Promise.all([repo.listDuplicateKeys(trx, tid, 'cinema'), repo.listDuplicateKeys(trx, tid, 'festival')]);
    const cinemaCount = countBy(files.cinemas.filter((c) => !cinemaDuplicates.has(c.cnc_id)), (c) => c.insee);
    const festivalCount = countBy(files.festivals.filter((f) => !festivalDuplicates.has(f.festival_id)), (f) => f.insee);

    const imported = files.centres.map((c) => {
      const counts = files.bpe.get(c.insee)!;
      const shipped = files.dvf.get(c.insee)!;
      const kept = existingDvf?.get(c.insee);
      const station = nearestStation.get(c.insee)!;
      // Road times for this commune when the engine routed every trip; the estimate otherwise.
      const road = routed?.get(c.insee);
      const time = (target: string, estimate: number) => (road ? road.get(target)! : estimate);
      const toAuch = access(c, ref('auch'));
      const toToulouse = access(c, ref('toulouse'));
      const toBordeaux = access(c, ref('bordeaux'));
      const toAirport = access(c, ref('airport'));
      const toStation = access(c, station.item);
      const row = {
        territory_id: tid,
        insee: c.insee,
        name: c.name,
        population: c.population,
        postcodes: c.postcodes,
        epci_siren: c.epciSiren,
        cantons: cantonsOf(c, files.cantons),
        lat: c.lat,
        lon: c.lon,
        area_km2: c.areaKm2,
        identity_dataset_id: ds(DS.cog),
        centre_dataset_id: ds(DS.centres),
        boundary_dataset_id: ds(DS.ign),
        dvf_house_median: kept ? kept.dvf_house_median : shipped.houseMedian,
        dvf_house_sales: kept ? kept.dvf_house_sales : shipped.houseSales,
        dvf_flat_median: kept ? kept.dvf_flat_median : shipped.flatMedian,
        dvf_flat_sales: kept ? kept.dvf_flat_sales : shipped.flatSales,
        dvf_dataset_id: kept ? kept.dvf_dataset_id : ds(DS.dvf),
        ...Object.fromEntries(BPE_FIGURES.map((f) => [f.key, counts[f.bpe]])),
        bpe_counts: counts,
        bpe_dataset_id: ds(DS.bpe),
        cinema_count: cinemaCount.get(c.insee) ?? 0,
        festival_count: festivalCount.get(c.insee) ?? 0,
        km_auch: toAuch.km,
        min_auch: time('auch', toAuch.min),
        km_toulouse: toToulouse.km,
        min_toulouse: time('toulouse', toToulouse.min),
        km_bordeaux: toBordeaux.km,
        min_bordeaux: time('bordeaux', toBordeaux.min),
        km_airport: toAirport.km,
        min_airport: time('airport', toAirport.min),
        km_station: toStation.km,
        min_station: time(`station:${station.item.uic}`, toStation.min),
        nearest_station_uic: station.item.uic,
        access_dataset_id: ds(DS.access),
        time_dataset_id: road ? ds(DS.routing) : ds(DS.access),
      } as Omit<repo.NewCommune, keyof NearestColumns> & Record<FigureKey, number | null>;
      return row;
    });

    const overrides = await repo.listOverrides(trx, tid);
    const byInsee = new Map(imported.map((r) => [r.insee, r]));
    for (const o of overrides) {
      const row = byInsee.get(o.insee);
      const def = FIGURE_BY_KEY.get(o.figure as FigureKey);
      if (!row || !def) continue;
      const importedValue = (row[def.key] as number | null) ?? null;
      if (o.imported_value !== importedValue) await repo.setOverrideImportedValue(trx, o.id, importedValue);
      (row as Record<string, unknown>)[def.key] = o.value;
    }

    const near = nearestServices(imported as never);
    const communes = imported.map((r) => ({ ...r, ...near.get(r.insee)!, bpe_counts: JSON.stringify(r.bpe_counts) }));
    written.commune = await repo.upsertCommunes(trx, communes as repo.NewCommune[]);
    // Imported without the engine this time: its dataset no longer backs any figure, so it leaves /sources.
    if (!routed) await repo.deleteUnusedDataset(trx, tid, DS.routing);
    written.commune_boundary = await repo.upsertBoundaries(
      trx,
      files.centres.map((c) => ({ territory_id: tid, insee: c.insee, geometry: JSON.stringify(files.boundaries.get(c.insee)) })),
    );
    written.cinema = await repo.syncCinemas(trx, tid, files.cinemas.map((c) => ({ territory_id: tid, ...c, dataset_id: ds(DS.cinemas) })));
    written.festival = await repo.syncFestivals(trx, tid, files.festivals.map((f) => ({ territory_id: tid, ...f, dataset_id: ds(DS.festivals) })));
    written.price_reference = await repo.upsertShippedPriceReferences(
      trx,
      files.priceReferences.map((p) => ({ territory_id: tid, ...p, dataset_id: ds(DS.dvf) })),
    );
  });

  const changes = Object.values(written).reduce((n, w) => n + w.inserted + w.updated + (w.deleted ?? 0), 0);
  return { communes: files.centres.length, written, changes, keptUploadedDvf, ms: Math.round(performance.now() - started) };
}

/** Passenger stations, then the territory's freight-only ones (known, never anybody's "nearest station"). */
function stationsOf(files: TerritoryFiles) {
  const network = new Map(files.networkStations.map((s) => [s.uic, s]));
  return [
    ...files.passengerStations.map((s) => ({ ...s, passenger: true, freight: network.get(s.uic)?.freight ?? null, datasetKey: DS.stations as string })),
    ...files.networkStations
      .filter((n) => !files.passengerStations.some((p) => p.uic === n.uic))
      .map((n) => ({
        uic: n.uic,
        name: n.name,
        trigram: null,
        segment: null,
        lat: n.lat,
        lon: n.lon,
        insee: nearest(n, files.centres)!.item.insee,
        in_territory: true,
        passenger: n.passenger,
        freight: n.freight,
        datasetKey: DS.network as string,
      })),
  ];
}

/**
 * Road minutes from every commune to the reference points and to its nearest station, keyed by commune then by
 * target (`auch`, `toulouse`, `bordeaux`, `airport`, `station:<uic>`). A commune the engine could not route to
 * every target is left out: it keeps the estimate for all its times, so a page never mixes the two silently.
 */
async function routeAccess(routing: RoutingOptions, files: TerritoryFiles, nearestStation: Map<string, { item: { uic: string } & LatLon }>) {
  const pointByKey = new Map(files.points.map((p) => [p.id, p]));
  const targets = (['auch', 'toulouse', 'bordeaux', 'airport'] as const).map((role) => {
    const p = pointByKey.get(files.territory.referencePoints[role]) ?? fail('territory.json', null, `point de référence « ${files.territory.referencePoints[role]} » absent`);
    return { key: role as string, lat: p.lat, lon: p.lon };
  });
  const stations = new Map([...nearestStation.values()].map((s) => [s.item.uic, { key: `station:${s.item.uic}`, lat: s.item.lat, lon: s.item.lon }]));
  let minutes: Awaited<ReturnType<typeof routeMinutes>>;
  try {
    minutes = await routeMinutes(routing, files.centres.map((c) => ({ key: c.insee, lat: c.lat, lon: c.lon })), [...targets, ...stations.values()]);
  } catch (error) {
    if (error instanceof RoutingError) throw new TerritoryDataError(`OSRM_URL : ${error.message}`);
    throw error;
  }
  const complete = new Map<string, Map<string, number>>();
  for (const c of files.centres) {
    const row = minutes.get(c.insee)!;
    const needed = [...targets.map((t) => t.key), `station:${nearestStation.get(c.insee)!.item.uic}`];
    if (needed.every((k) => row.get(k) != null)) complete.set(c.insee, row as Map<string, number>);
  }
  return complete;
}

/** The dataset row that cites the routing engine and its road data. */
function routingDataset(url: string): repo.DatasetInput {
  const server = routingServerLabel(url);
  return {
    key: DS.routing,
    title: 'Temps de trajet en voiture calculés par un moteur d’itinéraire',
    publisher: `OSRM (Open Source Routing Machine), serveur ${server}`.slice(0, 300),
    edition: `Profil voiture du serveur ${server}`.slice(0, 200),
    published_on: null,
    period_start: null,
    period_end: null,
    licence: 'ODbL 1.0 (données routières OpenStreetMap)',
    licence_url: 'https://opendatacommons.org/licenses/odbl/1-0/',
    attribution: '© les contributeurs d’OpenStreetMap, calcul OSRM',
    url: 'https://project-osrm.org/',
    files: [],
    notes:
      'Temps de trajet en voiture du centre de la commune à la destination, calculés à l’import par le serveur OSRM configuré, sans trafic. ' +
      'Une commune que le serveur ne sait pas relier à toutes ses destinations garde le temps estimé.',
    share_alike: true,
    origin: 'shipped',
    reference_year: null,
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** First start: loads the shipped data when the territory has no commune yet and ships data files. */
export async function importTerritoryIfEmpty(db: Kysely<DB>, target: ImportTarget, opts: { now: Date }) {
  if ((await repo.countCommunes(db, target.id)) > 0) return null;
  try {
    readFileSync(path.join(territoryDir(target.slug), 'datasets.json'));
  } catch {
    return null; // a territory without shipped open data yet
  }
  return importTerritory(db, target, opts);
}

/** After a correction of a health count or a cinema: the nearest-service columns of every commune, recomputed. */
export async function refreshNearestServices(db: Executor, territoryId: number) {
  const communes = await repo.listCommuneRows(db, territoryId);
  const near = nearestServices(communes);
  return repo.updateNearest(db, territoryId, [...near].map(([insee, v]) => ({ insee, ...v })));
}

// ---------------------------------------------------------------------------------------------- DVF files

/** Reads a DVF file (raw `.txt`, geo-dvf `.csv`, either gzipped) line by line, hashing it on the way. */
export async function readDvfFile(filePath: string, communes: ReadonlySet<string>): Promise<{ result: DvfParseResult; sha1: string }> {
  const reader = new DvfReader(communes);
  const hash = createHash('sha1');
  const raw = createReadStream(filePath);
  raw.on('data', (chunk) => hash.update(chunk));
  const input = filePath.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) reader.push(line, ++n);
  return { result: reader.finish(), sha1: hash.digest('hex') };
}

export type DvfImportOutcome =
  | { status: 'rejected'; errors: DvfLineError[]; errorCount: number }
  | {
      status: 'imported';
      datasetKey: string;
      format: DvfSummary['format'];
      lines: number;
      mutations: number;
      sales: { houses: number; flats: number };
      excluded: DvfSummary['excluded'];
      periodStart: string | null;
      periodEnd: string | null;
      communesWithSales: number;
      communesChanged: number;
    };

const DVF_FIGURES = ['dvf_house_median', 'dvf_house_sales', 'dvf_flat_median', 'dvf_flat_sales'] as const;

/**
 * Recomputes the DVF medians of every commune from a DVF file staff provide. A malformed file (or one without any
 * sale in the territory) is rejected whole with its line-numbered errors, and nothing changes. Importing the same
 * file again changes nothing either.
 */
export async function importDvfFile(ctx: AppContext, actor: Actor, filePath: string, fileName = path.basename(filePath)): Promise<DvfImportOutcome> {
  if (!actor.userId && !actor.roles.has('admin')) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canImportData(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
  const communes = new Set((await repo.listCommuneDvf(ctx.db, ctx.territory.id)).map((c) => c.insee));
  const { result, sha1 } = await readDvfFile(filePath, communes);
  if (!result.ok) return { status: 'rejected', errors: result.errors, errorCount: result.errorCount };
  const summary = result.summary;
  const medians = mediansByCommune(summary.sales, communes);
  const key = `dvf-${sha1.slice(0, 12)}`;
  const period = summary.periodStart && summary.periodEnd ? `ventes du ${frenchDate(summary.periodStart)} au ${frenchDate(summary.periodEnd)}` : 'période inconnue';

  const communesChanged = await ctx.db.transaction().execute(async (trx) => {
    const { count, ids } = await repo.upsertDatasets(
      trx,
      ctx.territory.id,
      [
        {
          key,
          title: 'Prix médians au m² des maisons et des appartements',
          publisher: summary.format === 'geo' ? 'DGFiP – Demandes de valeurs foncières (DVF), version géolocalisée Etalab' : 'DGFiP – Demandes de valeurs foncières (DVF)',
          edition: `Fichier ${fileName.slice(0, 120)}, ${period}`,
          published_on: null,
          period_start: summary.periodStart,
          period_end: summary.periodEnd,
          licence: 'Licence Ouverte 2.0 (Etalab)',
          licence_url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
          attribution: summary.format === 'geo' ? 'DGFiP DVF / Etalab geo-dvf' : 'DGFiP – Demandes de valeurs foncières',
          url: 'https://www.data.gouv.fr/fr/datasets/demandes-de-valeurs-foncieres/',
          files: [fileName.slice(0, 200)],
          notes:
            'Médiane par commune des ventes de maisons ou d’appartements (une vente comptée une fois, quel que soit son nombre de lignes), ' +
            'prix supérieur à 1 000 €, surface habitable de 10 à 1 000 m², prix de 300 à 20 000 €/m². Indicatif sous 10 ventes.',
          share_alike: false,
          origin: 'upload',
          reference_year: null,
        },
      ],
      ctx.clock.now(),
    );
    const datasetId = ids.get(key)!;
    const overrides = (await repo.listOverrides(trx, ctx.territory.id)).filter((o) => (DVF_FIGURES as readonly string[]).includes(o.figure));
    const rows = medians.map((m) => ({ ...m, dvf_dataset_id: datasetId }));
    const byInsee = new Map(rows.map((r) => [r.insee, r]));
    for (const o of overrides) {
      const row = byInsee.get(o.insee);
      if (!row) continue;
      const figure = o.figure as (typeof DVF_FIGURES)[number];
      if (o.imported_value !== row[figure]) await repo.setOverrideImportedValue(trx, o.id, row[figure]);
      row[figure] = o.value;
    }
    const changed = await repo.updateCommuneDvf(trx, ctx.territory.id, rows);
    if (changed || count.inserted || count.updated) {
      await recordAudit(trx, ctx, actor, {
        action: 'dvf.imported',
        subjectType: 'dataset',
        subjectId: key,
        data: { file: fileName.slice(0, 200), sales: summary.sales.length, communesChanged: changed, periodStart: summary.periodStart, periodEnd: summary.periodEnd },
      });
    }
    return changed;
  });
  ctx.pageCache.clear();
  return {
    status: 'imported',
    datasetKey: key,
    format: summary.format,
    lines: summary.lines,
    mutations: summary.mutations,
    sales: { houses: summary.sales.filter((s) => s.type === 'Maison').length, flats: summary.sales.filter((s) => s.type === 'Appartement').length },
    excluded: summary.excluded,
    periodStart: summary.periodStart,
    periodEnd: summary.periodEnd,
    communesWithSales: medians.filter((m) => m.dvf_house_sales + m.dvf_flat_sales > 0).length,
    communesChanged,
  };
}

const frenchDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

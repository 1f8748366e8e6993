/**
 * The shipped Gers open data read straight from `data/territories/gers/`, for tests that check a figure shown or
 * stored by the app: the expected value comes from the file of the edition in the tree, so refreshing the data
 * does not break the suite, and it is computed here without the app's import code (own CSV reader, own distance
 * formula following the method the README states), so a bug in the import or in a page still fails the test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const GERS_DIR = path.resolve(import.meta.dirname, '..', '..', 'data', 'territories', 'gers');

/** RFC 4180 CSV: comma-separated, double quotes around fields that hold commas, quotes or line breaks. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h.replace(/^\uFEFF/, ''), r[k] ?? ''])));
}

const cache = new Map<string, unknown>();
function once<T>(key: string, load: () => T): T {
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as T;
}

export const readGersFile = (name: string) => readFileSync(path.join(GERS_DIR, name), 'utf8');
export const readGersCsv = (name: string) => once(`csv:${name}`, () => parseCsv(readGersFile(name)));
export const readGersJson = <T>(name: string): T => once(`json:${name}`, () => JSON.parse(readGersFile(name)) as T);

const intOrNull = (s: string) => (s === '' ? null : Number(s));

export interface ShippedCommune {
  insee: string;
  name: string;
  population: number;
  postcodes: string[];
  epciSiren: string;
  epciName: string;
  lat: number;
  lon: number;
  houseMedian: number | null;
  houseSales: number;
  flatMedian: number | null;
  flatSales: number;
  /** BPE counts by equipment code (D265 general practitioners, D307 pharmacies…). */
  bpe: Record<string, number>;
  gps: number;
  pharmacies: number;
  cinemas: number;
  festivals: number;
}

/** Every commune of the shipped edition, keyed by INSEE code. */
export const shippedCommunes = (): Map<string, ShippedCommune> =>
  once('communes', () => {
    const dvf = new Map(readGersCsv('gers-dvf-prix-m2-communes.csv').map((r) => [r.code_insee, r]));
    const bpe = new Map(readGersCsv('gers-bpe-sante-action-sociale-2024.csv').map((r) => [r.code_insee, r]));
    const countBy = (rows: Record<string, string>[]) => rows.reduce((m, r) => m.set(r.code_insee, (m.get(r.code_insee) ?? 0) + 1), new Map<string, number>());
    const cinemas = countBy(shippedCinemas());
    const festivals = countBy(shippedFestivals());
    return new Map(
      readGersCsv('gers-communes-centres.csv').map((c) => {
        const d = dvf.get(c.code_insee)!;
        const { code_insee: _code, nom: _nom, ...counts } = bpe.get(c.code_insee)!;
        const equipment = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
        const commune: ShippedCommune = {
          insee: c.code_insee,
          name: c.nom,
          population: Number(c.population),
          postcodes: c.codes_postaux.split(/[;|, ]+/).filter(Boolean),
          epciSiren: c.epci_siren,
          epciName: c.epci_nom,
          lat: Number(c.lat),
          lon: Number(c.lon),
          houseMedian: intOrNull(d.prix_m2_median_maison),
          houseSales: Number(d.nb_ventes_maison || 0),
          flatMedian: intOrNull(d.prix_m2_median_appartement),
          flatSales: Number(d.nb_ventes_appartement || 0),
          bpe: equipment,
          gps: equipment.D265,
          pharmacies: equipment.D307,
          cinemas: cinemas.get(c.code_insee) ?? 0,
          festivals: festivals.get(c.code_insee) ?? 0,
        };
        return [c.code_insee, commune] as const;
      }),
    );
  });

export function shippedCommune(insee: string): ShippedCommune {
  const c = shippedCommunes().get(insee);
  if (!c) throw new Error(`commune ${insee} is not in the shipped data`);
  return c;
}

export const shippedEpciCount = () => new Set([...shippedCommunes().values()].map((c) => c.epciSiren)).size;
/** Records of a shipped list that doublons.json names as duplicates of another one (left out of counts and pages). */
export const shippedDuplicates = () =>
  readGersJson<{ duplicates: { kind: 'festival' | 'cinema'; record: string; duplicateOf: string; note: string }[] }>('doublons.json').duplicates;
const duplicateKeys = (kind: 'festival' | 'cinema') => new Set(shippedDuplicates().filter((d) => d.kind === kind).map((d) => d.record));
/** The cinemas and festivals as the pages count them: every row of the list but the marked duplicates. */
export const shippedCinemas = () => readGersCsv('gers-cinemas.csv').filter((c) => !duplicateKeys('cinema').has(c.id_cnc));
export const shippedFestivals = () => readGersCsv('gers-festivals.csv').filter((f) => !duplicateKeys('festival').has(f.identifiant));
/** Every row of the festivals file, duplicates included. */
export const shippedFestivalRows = () => readGersCsv('gers-festivals.csv');

/** Median prices of the reference cities (Toulouse 31555, Bordeaux 33063…). */
export function shippedPriceReference(insee: string) {
  const r = readGersCsv('references-prix-m2.csv').find((x) => x.code_insee === insee);
  if (!r) throw new Error(`no price reference ${insee} in the shipped data`);
  return { name: r.nom, houseMedian: intOrNull(r.prix_m2_median_maison), flatMedian: intOrNull(r.prix_m2_median_appartement) };
}

/** The datasets described by datasets.json (each one becomes a row of the `dataset` table). */
export const shippedDatasets = () => readGersJson<{ datasets: { key: string; title: string; licence: string }[] }>('datasets.json').datasets;

/** Passenger stations located in the Gers (SNCF "Gares de voyageurs"). */
export const shippedGersPassengerStations = () => readGersCsv('gares-voyageurs-gers-et-environs.csv').filter((s) => s.code_departement === '32');

/** Stations of the Gers network list that the passenger list does not hold and that carry no passengers. */
export function shippedFreightOnlyStations() {
  const passengerUic = new Set(readGersCsv('gares-voyageurs-gers-et-environs.csv').map((s) => s.codes_uic.split(';')[0]));
  return readGersCsv('liste-des-gares-reseau-gers.csv').filter((s) => !passengerUic.has(s.code_uic) && s.voyageurs !== 'O');
}

export function shippedReferencePoint(id: string) {
  const p = readGersJson<{ points: { id: string; lat: number; lon: number }[] }>('points-de-reference.json').points.find((x) => x.id === id);
  if (!p) throw new Error(`no reference point ${id} in points-de-reference.json`);
  return p;
}

// The method the README states, written again here on purpose (not imported from territory.geo.ts): straight-line
// distance on the sphere (mean Earth radius); the estimated drive counts the first 10 km at 35 km/h, 10 to 30 km at
// 55 km/h, the rest at 80 km/h, 5 minutes at least (none under half a kilometre), minutes rounded, km to one decimal.
export function straightKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}
export function estimatedMinutes(km: number) {
  if (km < 0.5) return 0;
  const hours = Math.min(km, 10) / 35 + Math.max(0, Math.min(km, 30) - 10) / 55 + Math.max(0, km - 30) / 80;
  return Math.max(5, Math.round(hours * 60));
}
export const oneDecimal = (km: number) => Math.round(km * 10) / 10;

/** Estimated minutes from a commune's centre to Toulouse's, as the finder and the profile state them. */
export const minutesToToulouse = (c: { lat: number; lon: number }) => estimatedMinutes(straightKm(c, shippedReferencePoint('toulouse')));

/** A number as French pages write it, with plain spaces (tests compare after turning no-break spaces into spaces). */
export const frNumber = (n: number) => new Intl.NumberFormat('fr-FR').format(n).replace(/[\u202f\u00a0]/g, ' ');
/** The same as a regular expression source matching a plain, narrow no-break or no-break space between groups. */
export const frNumberPattern = (n: number) => frNumber(n).replace(/ /g, '[\\s\\u202f]');

/** The passenger station of the SNCF list closest to a point (straight line). */
export function nearestPassengerStation(from: { lat: number; lon: number }) {
  let best: { name: string; km: number } | null = null;
  for (const s of readGersCsv('gares-voyageurs-gers-et-environs.csv')) {
    const km = straightKm(from, { lat: Number(s.lat), lon: Number(s.lon) });
    if (!best || km < best.km) best = { name: s.nom_gare, km };
  }
  return best!;
}

/** The INSEE codes of the commune boundaries (gers-communes.geojson), sorted. */
export const shippedBoundaryCodes = () =>
  once('boundaries', () => readGersJson<{ features: { properties: { code: string } }[] }>('gers-communes.geojson').features.map((f) => f.properties.code).sort());

/** The third places shipped as content (content/tiers-lieux.json). */
export const shippedThirdPlaces = () => readGersJson<{ places: { slug: string; name: string; lat: number; lon: number }[] }>('content/tiers-lieux.json').places;

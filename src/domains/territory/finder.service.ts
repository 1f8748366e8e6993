/**
 * Use cases of the village finder, the comparison and the communes API. All read-only and public: no actor, no
 * audit entry. Searches answer with field errors as data (the page still renders with the map); the API turns the
 * same errors into a 400 problem.
 */
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import type { FieldErrors } from '../../web/components/forms.js';
import * as repo from './finder.repo.js';
import { COMPARE_MAX, COMPARE_MIN, type FinderQuery } from './finder.schemas.js';
import type { MapCommune } from './map.js';

export type { FinderRow, CompareRow, DatasetSource } from './finder.repo.js';

export interface FinderPage {
  epcis: { siren: string; name: string }[];
  /** Every commune, for the map. */
  communes: MapCommune[];
  /** The page of results; null when the filters could not be read. */
  results: repo.FinderRow[] | null;
  total: number;
  page: number;
  pages: number;
  /** Communes matching the filters (empty when nothing is filtered: the map then highlights nothing). */
  highlighted: Set<string>;
  /** When nothing matches: a few communes that miss one criterion only, and which one. */
  nearMisses: NearMiss[];
  errors: FieldErrors;
}

export interface NearMiss {
  row: repo.FinderRow;
  criterion: repo.CriterionKey;
  /** The value asked for that criterion (minutes, km, €/m², inhabitants), if it has one. */
  asked: number | null;
}

const NEAR_MISSES = 5;

/**
 * How far a near miss is from matching, to show the closest first: the relative excess over the value asked
 * (50 min for 45 asked: 0.11), or for a missing service the distance to the nearest one (a GP 4 km away: 0.2).
 */
function shortfall({ row: r, criterion, asked }: NearMiss): number {
  const access: Record<string, string> = { toulouse: 'toulouse', bordeaux: 'bordeaux', auch: 'auch', gare: 'station', aeroport: 'airport' };
  const relative = (own: number | null, want: number | null, above = true) => (own === null || !want ? 2 : Math.max(0, (above ? own - want : want - own) / want));
  if (criterion.startsWith('min_')) return relative(r[`min_${access[criterion.slice(4)]}` as keyof repo.FinderRow] as number | null, asked);
  if (criterion.startsWith('km_')) return relative(r[`km_${access[criterion.slice(3)]}` as keyof repo.FinderRow] as number | null, asked);
  if (criterion === 'prix_max') return relative(r.dvf_house_median, asked);
  if (criterion === 'pop_min') return relative(r.population, asked, false);
  if (criterion === 'pop_max') return relative(r.population, asked);
  const nearest = criterion === 'medecin' ? r.nearest_gp_km : criterion === 'pharmacie' ? r.nearest_pharmacy_km : criterion === 'cinema' ? r.nearest_cinema_km : null;
  return nearest === null ? 1.5 : nearest / 20;
}

/** The value a search asked for one criterion, to show it next to the commune's own figure. */
function askedValue(f: FinderQuery['filters'], key: repo.CriterionKey): number | null {
  if (key.startsWith('km_')) return f.maxKm[key.slice(3) as keyof typeof f.maxKm] ?? null;
  if (key.startsWith('min_')) return f.maxMinutes[key.slice(4) as keyof typeof f.maxMinutes] ?? null;
  if (key === 'prix_max') return f.maxHousePrice ?? null;
  if (key === 'pop_min') return f.minPopulation ?? null;
  if (key === 'pop_max') return f.maxPopulation ?? null;
  return null;
}

const toMapCommune = (r: repo.MapRow): MapCommune => ({
  insee: r.insee,
  name: r.name,
  housePrice: r.dvf_house_median,
  houseSales: r.dvf_house_sales,
  toulouseKm: r.km_toulouse,
  toulouseMinutes: r.min_toulouse,
  gps: r.gp_count,
});

/**
 * The finder page: every commune (for the map), the ones matching the filters, one page of them.
 * With errors in the criteria (`errors` from the query string, or an EPCI the territory does not have), the page
 * shows the map without results: a list that silently ignored a criterion would mislead.
 */
export async function browseVillages(ctx: AppContext, query: FinderQuery, filtered: boolean, errors: FieldErrors = {}): Promise<FinderPage> {
  const territoryId = ctx.territory.id;
  const readable = Object.keys(errors).length ? null : query;
  const { communes: rows, epcis } = await repo.listMapRows(ctx.db, territoryId, readable?.filters ?? { maxKm: {}, maxMinutes: {} }, readable?.sort ?? { key: 'nom', order: 'asc' });
  const fieldErrors: FieldErrors = { ...errors };
  if (query.filters.epci && !epcis.some((e) => e.siren === query.filters.epci)) fieldErrors.epci = 'finder.errors.epciUnknown';
  const usable = Object.keys(fieldErrors).length ? null : query;
  const communes = rows.map(toMapCommune);
  if (!usable) return { epcis, communes, results: null, total: 0, page: 1, pages: 1, highlighted: new Set(), nearMisses: [], errors: fieldErrors };
  const matching = rows.filter((r) => r.missed === 0).map((r) => r.insee);
  const pages = Math.max(1, Math.ceil(matching.length / usable.perPage));
  const page = Math.min(usable.page, pages);
  const codes = matching.slice((page - 1) * usable.perPage, page * usable.perPage);
  // Nothing matches: the communes missing exactly one criterion (one bit set), except the name, which is no near miss.
  const keys = repo.criteria(usable.filters).map((c) => c.key);
  const candidates = matching.length
    ? []
    : rows.filter((r) => r.missed > 0 && (r.missed & (r.missed - 1)) === 0 && keys[Math.log2(r.missed)] !== 'q').map((r) => ({ insee: r.insee, criterion: keys[Math.log2(r.missed)] }));
  const full = new Map((await repo.listFinderRowsByInsee(ctx.db, territoryId, [...codes, ...candidates.map((n) => n.insee)])).map((r) => [r.insee, r]));
  const nearMisses = candidates
    .filter((n) => full.has(n.insee))
    .map((n) => ({ row: full.get(n.insee)!, criterion: n.criterion, asked: askedValue(usable.filters, n.criterion) }))
    .map((m) => ({ m, gap: shortfall(m) }))
    .sort((a, b) => a.gap - b.gap)
    .slice(0, NEAR_MISSES)
    .map(({ m }) => m);
  return {
    epcis,
    communes,
    results: codes.map((c) => full.get(c)).filter((r): r is repo.FinderRow => !!r),
    total: matching.length,
    page,
    pages,
    highlighted: filtered ? new Set(matching) : new Set(),
    nearMisses,
    errors: fieldErrors,
  };
}

/**
 * The API's page of communes. Parameters that could not be read (`errors`) and an EPCI the territory does not
 * have are refused together: an unknown EPCI is a mistake, not an empty answer.
 */
export async function listCommunes(ctx: AppContext, query: FinderQuery, errors: FieldErrors = {}) {
  const territoryId = ctx.territory.id;
  const fields: FieldErrors = { ...errors };
  if (query.filters.epci && !(await repo.listEpcis(ctx.db, territoryId)).some((e) => e.siren === query.filters.epci)) fields.epci = 'finder.errors.epciUnknown';
  if (Object.keys(fields).length) throw new AppError('invalid', 'finder.errors.invalidQuery', fields);
  const { rows, total } = await repo.findCommunePage(ctx.db, territoryId, query.filters, query.sort, query.perPage, (query.page - 1) * query.perPage);
  return { rows, total, page: query.page, perPage: query.perPage, pages: Math.max(1, Math.ceil(total / query.perPage)) };
}

// ------------------------------------------------------------------------------------------- comparison

/** What a row of the comparison is computed from; each kind cites its datasets. */
export type CompareSourceKind = 'identity' | 'boundary' | 'dvf' | 'bpe' | 'access' | 'time' | 'station' | 'cinema' | 'festival';

export interface ComparePage {
  /** The communes, in the order asked. */
  communes: repo.CompareRow[];
  /** The datasets cited, in the order the page numbers them (source n is `sources[n - 1]`). */
  sources: repo.DatasetSource[];
  /** The source numbers of each kind of figure. */
  refs: Record<CompareSourceKind, number[]>;
  /** Every commune's name, for the picker. */
  choices: { insee: string; name: string }[];
  /** What the picker shows again: the communes understood so far. */
  picked: { insee: string; name: string }[];
  error: { key: string; params?: Record<string, string | number> } | null;
}

const CODE = /^(\d{2}|2A|2B)\d{3}$/;
/** "Auch (32013)", as the picker's suggestions write it. */
const LABELLED = /\(((?:\d{2}|2A|2B)\d{3})\)\s*$/;
const foldName = repo.foldText;

/**
 * Two to four communes side by side, from codes, picker entries "Name (code)" or names (see compareEntries);
 * each entry is understood or explained.
 */
export async function compareVillages(ctx: AppContext, tokens: string[]): Promise<ComparePage> {
  const territoryId = ctx.territory.id;
  const choices = await repo.listCommuneNames(ctx.db, territoryId);
  const byCode = new Map(choices.map((c) => [c.insee, c]));
  const byName = new Map<string, { insee: string; name: string }[]>();
  for (const c of choices) byName.set(foldName(c.name), [...(byName.get(foldName(c.name)) ?? []), c]);

  const picked: { insee: string; name: string }[] = [];
  const malformed: string[] = [];
  const unknown: string[] = [];
  for (const token of tokens) {
    const labelled = LABELLED.exec(token)?.[1];
    const code = labelled ?? (CODE.test(token.toUpperCase()) ? token.toUpperCase() : null);
    if (code) {
      const found = byCode.get(code);
      if (found) picked.some((p) => p.insee === found.insee) || picked.push(found);
      else unknown.push(token);
    } else if (/^[\d\s]+$/.test(token) || token.length > 100) malformed.push(token);
    else {
      const found = byName.get(foldName(token));
      if (found?.length === 1) picked.some((p) => p.insee === found[0].insee) || picked.push(found[0]);
      else unknown.push(token);
    }
  }
  const quote = (list: string[]) => list.slice(0, 4).map((v) => `« ${v.slice(0, 40)} »`).join(', ');
  const noRefs = { identity: [], boundary: [], dvf: [], bpe: [], access: [], time: [], station: [], cinema: [], festival: [] };
  const fail = (key: string, params?: Record<string, string | number>): ComparePage => ({ communes: [], sources: [], refs: noRefs, choices, picked, error: { key, params } });

  if (malformed.length) return fail('compare.errors.malformed', { codes: quote(malformed) });
  if (unknown.length) return fail('compare.errors.unknown', { codes: quote(unknown), territory: ctx.territory.name });
  if (picked.length === 0) return fail(tokens.length ? 'compare.errors.tooFew' : 'compare.errors.none', { min: COMPARE_MIN, max: COMPARE_MAX });
  if (picked.length < COMPARE_MIN) return fail('compare.errors.tooFew', { min: COMPARE_MIN, max: COMPARE_MAX });
  if (picked.length > COMPARE_MAX) return fail('compare.errors.tooMany', { count: picked.length, max: COMPARE_MAX });

  const rows = await repo.findCommunesToCompare(ctx.db, territoryId, picked.map((p) => p.insee));
  const order = new Map(picked.map((p, i) => [p.insee, i]));
  rows.sort((a, b) => order.get(a.insee)! - order.get(b.insee)!);
  // Every kind of figure with the datasets it comes from, over the communes compared; numbered in the table's order.
  const lists = await repo.listDatasetIdsOfLists(ctx.db, territoryId);
  const idsOf: Record<CompareSourceKind, (number | null)[]> = {
    identity: rows.map((r) => r.identity_dataset_id),
    boundary: rows.map((r) => r.boundary_dataset_id),
    dvf: rows.map((r) => r.dvf_dataset_id),
    access: rows.map((r) => r.access_dataset_id),
    time: rows.map((r) => r.time_dataset_id),
    station: rows.map((r) => r.station_dataset_id),
    bpe: rows.map((r) => r.bpe_dataset_id),
    cinema: lists.cinema,
    festival: lists.festival,
  };
  const cited: number[] = [];
  for (const ids of Object.values(idsOf)) for (const id of ids) if (id !== null && !cited.includes(id)) cited.push(id);
  const found = new Map((await repo.listDatasets(ctx.db, territoryId, cited)).map((d) => [d.id, d]));
  const sources = cited.map((id) => found.get(id)).filter((d): d is repo.DatasetSource => !!d);
  const numberOf = (id: number | null) => (id === null ? 0 : sources.findIndex((d) => d.id === id) + 1);
  const refs = Object.fromEntries(
    Object.entries(idsOf).map(([kind, ids]) => [kind, [...new Set(ids.map(numberOf))].filter((n) => n > 0)]),
  ) as Record<CompareSourceKind, number[]>;
  return { communes: rows, sources, refs, choices, picked, error: null };
}

/**
 * The finder's query string, parsed once at the edge for the page and for the API (same names, same rules, so a
 * shared link and an API call mean the same search). Every value arrives as text; each field says in French what
 * is wrong with it. Numbers accept the French way of writing them ("2 000", "12,5").
 */
import { z } from 'zod';
import { MAP_FIGURES, type MapFigure } from './map.js';

/** Places a commune's distance and estimated driving time are measured to. Query names are French. */
export const DESTINATIONS = ['toulouse', 'bordeaux', 'auch', 'gare', 'aeroport'] as const;
export type Destination = (typeof DESTINATIONS)[number];

/** Figures a list can be sorted by (query value → what it means; the repo maps them to columns). */
export const SORT_KEYS = [
  'nom',
  'population',
  'prix',
  'prix_appartement',
  ...DESTINATIONS.flatMap((d) => [`min_${d}`, `km_${d}`] as const),
  'medecins',
  'pharmacies',
  'cinemas',
  'festivals',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface FinderFilters {
  q?: string;
  maxKm: Partial<Record<Destination, number>>;
  maxMinutes: Partial<Record<Destination, number>>;
  gp?: true;
  pharmacy?: true;
  cinema?: true;
  maxHousePrice?: number;
  minPopulation?: number;
  maxPopulation?: number;
  /** SIREN of the intercommunality. */
  epci?: string;
}

export interface FinderSort {
  key: SortKey;
  order: 'asc' | 'desc';
}

export interface FinderQuery {
  filters: FinderFilters;
  sort: FinderSort;
  page: number;
  perPage: number;
  figure: MapFigure;
}

export const PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

const blank = (v: string | undefined) => v === undefined || v.trim() === '';

/** A non-negative number written the French or the English way; `positive` refuses 0 as well. */
const amount = (message: string, description: string, opts: { positive?: boolean; integer?: boolean; max: number }) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || blank(v)) return undefined;
      const cleaned = v.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
      const n = /^[+]?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
      const ok = Number.isFinite(n) && (opts.positive ? n > 0 : n >= 0) && n <= opts.max;
      if (!ok) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return opts.integer ? Math.round(n) : n;
    })
    .meta({ description });

const flag = (description: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || blank(v) || v === '0') return undefined;
      if (['1', 'on', 'oui', 'true'].includes(v.trim().toLowerCase())) return true as const;
      ctx.addIssue({ code: 'custom', message: 'finder.errors.flag' });
      return z.NEVER;
    })
    .meta({ description });

const choice = <T extends readonly string[]>(values: T, message: string, description: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx): T[number] | undefined => {
      if (v === undefined || blank(v)) return undefined;
      const value = v.trim().toLowerCase();
      if ((values as readonly string[]).includes(value)) return value as T[number];
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    })
    .meta({ description: `${description} One of: ${values.join(', ')}.` });

const distanceFields = Object.fromEntries(
  DESTINATIONS.flatMap((d) => [
    [`km_${d}`, amount('finder.errors.km', `Maximum straight-line distance to ${d}, in km.`, { positive: true, max: 5000 })],
    [`min_${d}`, amount('finder.errors.minutes', `Maximum estimated driving time to ${d}, in minutes.`, { positive: true, max: 3000 })],
  ]),
) as Record<`km_${Destination}` | `min_${Destination}`, ReturnType<typeof amount>>;

const shape = {
  q: z
    .string()
    .max(100, 'finder.errors.qTooLong')
    .optional()
    .transform((v) => (v === undefined || blank(v) ? undefined : v.trim().replace(/\s+/g, ' ')))
    .meta({ description: 'Part of a commune name, a postcode or an INSEE code.' }),
  ...distanceFields,
  medecin: flag('Only communes with at least one general practitioner (1).'),
  pharmacie: flag('Only communes with at least one pharmacy (1).'),
  cinema: flag('Only communes with a cinema (1).'),
  prix_max: amount('finder.errors.price', 'Maximum median price per m² of houses, in euros. Communes without sales are left out.', { positive: true, integer: true, max: 1_000_000 }),
  pop_min: amount('finder.errors.population', 'Minimum population.', { integer: true, max: 100_000_000 }),
  pop_max: amount('finder.errors.population', 'Maximum population.', { integer: true, max: 100_000_000 }),
  epci: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || blank(v)) return undefined;
      if (/^\d{9}$/.test(v.trim())) return v.trim();
      ctx.addIssue({ code: 'custom', message: 'finder.errors.epci' });
      return z.NEVER;
    })
    .meta({ description: 'SIREN of the intercommunality (EPCI), 9 digits.' }),
  tri: choice(SORT_KEYS, 'finder.errors.sort', 'Sort key.'),
  ordre: choice(['asc', 'desc'] as const, 'finder.errors.order', 'Sort order.'),
  page: amount('finder.errors.page', 'Page number, from 1.', { positive: true, integer: true, max: 100_000 }),
};

export const FinderQuerySchema = z
  .object({
    ...shape,
    carte: choice(MAP_FIGURES, 'finder.errors.figure', 'Figure the map is coloured by.'),
  })
  .superRefine((v, ctx) => {
    if (v.pop_min !== undefined && v.pop_max !== undefined && v.pop_min > v.pop_max)
      ctx.addIssue({ code: 'custom', path: ['pop_max'], message: 'finder.errors.populationRange' });
  });

export const CommunesApiQuery = z
  .object({
    ...shape,
    par_page: amount('finder.errors.perPage', `Results per page, 1 to ${MAX_PAGE_SIZE} (default ${PAGE_SIZE}).`, { positive: true, integer: true, max: MAX_PAGE_SIZE }),
  })
  .superRefine((v, ctx) => {
    if (v.pop_min !== undefined && v.pop_max !== undefined && v.pop_min > v.pop_max)
      ctx.addIssue({ code: 'custom', path: ['pop_max'], message: 'finder.errors.populationRange' });
  });

type Parsed = z.output<typeof FinderQuerySchema> | z.output<typeof CommunesApiQuery>;

/**
 * Reads the query string field by field with the schema's own fields, so that every mistake is reported at once
 * (an object-level check would wait for the fields to be valid) and the valid criteria are kept.
 */
export function readFinderQuery(schema: typeof FinderQuerySchema | typeof CommunesApiQuery, values: Record<string, string>): { query: FinderQuery; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const data: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const result = field.safeParse(values[key]);
    if (result.success) data[key] = result.data;
    else errors[key] = result.error.issues[0]?.message ?? 'errors.invalid_field';
  }
  const { pop_min: min, pop_max: max } = data as { pop_min?: number; pop_max?: number };
  if (min !== undefined && max !== undefined && min > max) errors.pop_max ??= 'finder.errors.populationRange';
  return { query: toFinderQuery(data as Parsed), errors };
}

/** From the parsed query string to what the service works with. */
export function toFinderQuery(v: Parsed): FinderQuery {
  const maxKm: FinderFilters['maxKm'] = {};
  const maxMinutes: FinderFilters['maxMinutes'] = {};
  for (const d of DESTINATIONS) {
    const km = v[`km_${d}`];
    const min = v[`min_${d}`];
    if (km !== undefined) maxKm[d] = km;
    if (min !== undefined) maxMinutes[d] = min;
  }
  const filters: FinderFilters = { maxKm, maxMinutes };
  if (v.q) filters.q = v.q;
  if (v.medecin) filters.gp = true;
  if (v.pharmacie) filters.pharmacy = true;
  if (v.cinema) filters.cinema = true;
  if (v.prix_max !== undefined) filters.maxHousePrice = v.prix_max;
  if (v.pop_min !== undefined) filters.minPopulation = v.pop_min;
  if (v.pop_max !== undefined) filters.maxPopulation = v.pop_max;
  if (v.epci) filters.epci = v.epci;
  const key = v.tri ?? 'nom';
  return {
    filters,
    sort: { key, order: v.ordre ?? defaultOrder(key) },
    page: v.page ?? 1,
    perPage: 'par_page' in v && v.par_page !== undefined ? v.par_page : PAGE_SIZE,
    figure: 'carte' in v && v.carte ? v.carte : 'prix',
  };
}

/** Without an explicit order, a sort reads best first: nearest and cheapest first, most services first. */
export const defaultOrder = (key: SortKey): 'asc' | 'desc' =>
  ['population', 'medecins', 'pharmacies', 'cinemas', 'festivals'].includes(key) ? 'desc' : 'asc';

/** Whether any filter narrows the list (the map then highlights the results). */
export const hasFilters = (f: FinderFilters) =>
  Object.keys(f).some((k) => k !== 'maxKm' && k !== 'maxMinutes') || Object.keys(f.maxKm).length > 0 || Object.keys(f.maxMinutes).length > 0;

/**
 * Query strings may repeat a name (`?q=a&q=b`); the finder keeps the first value so a tampered link still gives
 * an answer instead of an error on every field.
 */
export function singleValues(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (query && typeof query === 'object')
    for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (typeof first === 'string') out[k] = first;
    }
  return out;
}

// ------------------------------------------------------------------------------------------- comparison

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

/**
 * `c` may be one comma-separated list (a shared link), repeated (the finder's checkboxes, the picker's fields), or
 * both. Each entry is a code, a picker entry "Name (code)" or a name; duplicates go, the order chosen stays.
 */
export function compareEntries(raw: unknown): string[] {
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
  return [...new Set(values.flatMap((v) => v.split(/[,;]+/)).map((v) => v.trim().replace(/\s+/g, ' ')).filter(Boolean))].slice(0, 50);
}

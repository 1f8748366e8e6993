/**
 * Small helpers for input read at the edges (forms, query strings, URL segments), used by every domain's schemas
 * and services. Nothing here knows a domain or the web layer.
 */
import type { z } from 'zod';

/** Empty form fields arrive as "": treat them as absent. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A UUID as the database writes it (any version), case-insensitive. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checked before a query, so a malformed id answers "not found" instead of a database error. */
export const isUuid = (s: string) => UUID_PATTERN.test(s);

/** A commune's INSEE code (Corsica's 2A/2B included). */
export const INSEE = /^([0-9]{2}|2A|2B)[0-9]{3}$/;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * A real calendar day written YYYY-MM-DD (no 31 February, no month 13, no year 0000 which PostgreSQL refuses).
 * Never throws: an impossible date is an invalid field, not a 500.
 */
export function isIsoDate(s: unknown): boolean {
  if (typeof s !== 'string' || !ISO_DATE.test(s) || s.startsWith('0000')) return false;
  const time = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === s;
}

/** A serial id PostgreSQL can hold (int4). */
export const isRowId = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;

/** A URL-safe slug: accents removed, ligatures spelled out, words joined by hyphens, at most `max` characters. */
export function slugify(text: string, max = 80): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/**
 * For a form whose fields depend on each other (a household's adults, an offer's kind): reads one field at a time
 * inside a Zod `transform`, keeping only the first message per field, so the form comes back with one French
 * message next to each field it refused.
 */
export function fieldReader(raw: Record<string, unknown>, ctx: z.RefinementCtx) {
  const errored = new Set<string>();
  const fail = (name: string, key: string) => {
    if (errored.has(name)) return;
    errored.add(name);
    ctx.addIssue({ code: 'custom', path: [name], message: key });
  };
  const take = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    const r = schema.safeParse(raw[name]);
    if (r.success) return r.data;
    fail(name, r.error.issues[0]?.message ?? 'errors.invalid_field');
    return undefined;
  };
  /** A value the form cannot do without: says so on the field unless it already carries a message. */
  const need = <T>(name: string, value: T | undefined, key = 'errors.required'): value is T => {
    if (value === undefined && !errored.has(name)) fail(name, key);
    return value !== undefined;
  };
  return { take, fail, need, hasError: (name: string) => errored.has(name), anyError: () => errored.size > 0 };
}

/**
 * Where a browser shows a date or time field as a plain text box, people type the French way. These turn
 * `24/12/2026` (also `24-12-2026`, `24.12.2026`, `1/2/2026`) into `2026-12-24` and `9h30`, `9 h 30`, `14:30`
 * into `09:30` / `14:30` before the schema checks the value; anything else passes through unchanged, to be judged.
 */
export function frenchDateToIso(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(v);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : v;
}

export function frenchTimeToIso(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$/.exec(v);
  return m ? `${m[1].padStart(2, '0')}:${m[2] ?? '00'}` : v;
}

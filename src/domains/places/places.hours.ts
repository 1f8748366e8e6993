/**
 * Opening hours, stored structured (per ISO weekday, a list of "HH:MM" ranges) so the bookings domain and the
 * "open now" checks can use them later, and typed by staff as one short line per day ("9h-12h30, 14h-18h").
 * `null` means the hours are not known yet, which the pages show as "à confirmer"; an empty day means closed.
 */
import type { OpeningHours } from '../../db/schema.js';
import { dateTimeFormat } from '../../shared/formatters.js';

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeRange {
  from: string;
  to: string;
}

const RANGE = /^(\d{1,2})(?:\s*[h:.]\s*(\d{2})?)?\s*(?:-|–|—|à|a)\s*(\d{1,2})(?:\s*[h:.]\s*(\d{2})?)?$/i;
const CLOSED = /^(ferme|fermé|closed|-|—)$/i;

const pad = (n: number) => String(n).padStart(2, '0');
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** One day's line → ranges, or an error key. "" and "fermé" both mean closed that day. */
export function parseDayHours(input: string): { ok: true; ranges: TimeRange[] } | { ok: false; error: string } {
  const text = input.trim();
  if (!text || CLOSED.test(text)) return { ok: true, ranges: [] };
  const ranges: TimeRange[] = [];
  for (const part of text.split(/[,;/]|\bet\b/)) {
    const p = part.trim();
    if (!p) continue;
    const m = RANGE.exec(p);
    if (!m) return { ok: false, error: 'places.errors.hoursFormat' };
    const [fh, fm, th, tm] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3]), Number(m[4] ?? 0)];
    if (fh > 24 || th > 24 || fm > 59 || tm > 59 || (fh === 24 && fm > 0) || (th === 24 && tm > 0)) return { ok: false, error: 'places.errors.hoursFormat' };
    const range = { from: `${pad(fh)}:${pad(fm)}`, to: `${pad(th)}:${pad(tm)}` };
    if (minutes(range.to) <= minutes(range.from)) return { ok: false, error: 'places.errors.hoursOrder' };
    ranges.push(range);
  }
  ranges.sort((a, b) => minutes(a.from) - minutes(b.from));
  for (let i = 1; i < ranges.length; i++) {
    if (minutes(ranges[i].from) < minutes(ranges[i - 1].to)) return { ok: false, error: 'places.errors.hoursOverlap' };
  }
  return { ok: true, ranges };
}

/**
 * The seven form lines → stored hours. All empty → null (not known yet); otherwise each day is open on its
 * ranges and a day left empty is closed. Errors come back per field (`hours_1` … `hours_7`).
 */
export function parseWeekHours(lines: Partial<Record<Weekday, string>>): { ok: true; hours: OpeningHours | null } | { ok: false; errors: Record<string, string> } {
  if (WEEKDAYS.every((d) => !(lines[d] ?? '').trim())) return { ok: true, hours: null };
  const hours: OpeningHours = {};
  const errors: Record<string, string> = {};
  for (const d of WEEKDAYS) {
    const r = parseDayHours(lines[d] ?? '');
    if (!r.ok) errors[`hours_${d}`] = r.error;
    else hours[d] = r.ranges;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, hours };
}

/** Stored hours → the editor's line for one day ("09:00-12:30, 14:00-18:00"). */
export const dayHoursToInput = (hours: OpeningHours | null, d: Weekday) => (hours ? (hours[d] ?? []).map((r) => `${r.from}-${r.to}`).join(', ') : '');

/** "14:30" → "14 h 30" in French, "14:30" in English (house style for times). */
export function formatTime(hhmm: string, locale: string): string {
  if (!locale.startsWith('fr')) return hhmm;
  const h = Number(hhmm.slice(0, 2));
  const m = hhmm.slice(3, 5);
  return m === '00' ? `${h} h` : `${h} h ${m}`;
}

/** Weekday names through Intl (1 = Monday), so they follow the reader's language. */
export function weekdayName(d: Weekday, locale: string): string {
  // 2024-01-01 was a Monday.
  return dateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, Number(d))));
}

/** Validates hours read back from the database (jsonb written by older code or by hand). */
export function isOpeningHours(v: unknown): v is OpeningHours {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v as Record<string, unknown>).every(
    ([k, ranges]) =>
      (WEEKDAYS as readonly string[]).includes(k) &&
      Array.isArray(ranges) &&
      ranges.every((r) => r && typeof r === 'object' && /^\d{2}:\d{2}$/.test((r as TimeRange).from) && /^\d{2}:\d{2}$/.test((r as TimeRange).to)),
  );
}

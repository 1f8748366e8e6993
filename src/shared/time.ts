/** Dates are stored in UTC and shown in Europe/Paris, always through Intl. */
import { numberFormat, dateTimeFormat } from './formatters.js';
export const TIME_ZONE = 'Europe/Paris';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function formatDate(d: Date, locale: string): string {
  return dateTimeFormat(locale, { timeZone: TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

export function formatDateTime(d: Date, locale: string): string {
  const date = formatDate(d, locale);
  const parts = dateTimeFormat(locale, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const h = parts.find((p) => p.type === 'hour')?.value ?? '';
  const m = parts.find((p) => p.type === 'minute')?.value ?? '';
  return locale.startsWith('fr') ? `${date}, ${Number(h)} h ${m}` : `${date}, ${h}:${m}`;
}

export function formatNumber(n: number, locale: string, opts: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, opts).format(n);
}

// Calendar days as the programme lives them: in Europe/Paris, whatever the server's zone.

const dayFormat = dateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const partsFormat = dateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Today's date in Paris as YYYY-MM-DD (the 'en-CA' format is ISO-like). */
export const parisDay = (at: Date) => dayFormat.format(at);

/**
 * Paris's offset from UTC at an instant, in ms. Read through Intl once per hour of UTC time and kept: the offset
 * changes only on whole hours, and a page of slots asks for it hundreds of times (Intl's formatToParts costs
 * microseconds each). An hour whose two ends disagree (a change inside it, which Paris has never had since 1945)
 * is not kept, and each instant of it is read through Intl.
 */
const offsets = new Map<number, number>();
function intlOffset(t: number) {
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute)) - (t - (((t % MINUTE) + MINUTE) % MINUTE));
}
function parisOffset(t: number) {
  const hour = Math.floor(t / HOUR);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    offset = intlOffset(hour * HOUR);
    if (intlOffset(hour * HOUR + HOUR - MINUTE) !== offset) return intlOffset(t);
    if (offsets.size > 20_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

/** The instant it is `hour`:`minute` in Paris on the given day, daylight saving included. */
export function parisTime(day: string, hour: number, minute = 0): Date {
  const [y, m, d] = day.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Twice: the offset at the wall time read as UTC may be the other side of a change (1:00 on the spring night).
  const first = wall - parisOffset(wall);
  return new Date(wall - parisOffset(first));
}

/** The Paris wall-clock reading of an instant, read once by `parisClock` and `parisParts`. */
function readParis(at: Date) {
  const t = at.getTime();
  const wall = new Date(t + parisOffset(t));
  const hour = wall.getUTCHours();
  const minute = wall.getUTCMinutes();
  return { day: wall.toISOString().slice(0, 10), hour, minute, time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

/**
 * The wall-clock time in Paris at an instant, in minutes since midnight (0–1439), with its day. Lets callers check
 * that a local time they computed really exists (in the spring-forward hour it does not).
 */
export function parisClock(at: Date): { day: string; minutes: number } {
  const r = readParis(at);
  return { day: r.day, minutes: r.hour * 60 + r.minute };
}

/** The calendar day `days` after `day` (YYYY-MM-DD, no zone involved). */
export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** A date shown in words ("27 novembre 2026") from its YYYY-MM-DD form, without any zone shift. */
export const formatDay = (day: string, locale: string) =>
  dateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${day}T00:00:00Z`));

/** The Paris wall-clock reading of an instant: day (YYYY-MM-DD) and time (HH:MM). */
export function parisParts(at: Date): { day: string; time: string } {
  const { day, time } = readParis(at);
  return { day, time };
}


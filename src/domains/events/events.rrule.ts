/**
 * Recurrence rules (RFC 5545 RRULE) read by ical.js against a Paris wall-clock start: plain-French presets turned
 * into rules, a typed rule checked before it is kept, and the occurrences of a rule up to a horizon. Pure: no
 * database, no clock.
 *
 * Occurrences are computed as floating local times ("18:30 every first Thursday") and only then placed in
 * Europe/Paris, so an evening stays at 18:30 on both sides of a daylight-saving change.
 */
import ICAL from 'ical.js';
import { isIsoDate } from '../../shared/input.js';
import { isoWeekday, parisTime } from '../../shared/time.js';

export const SERIES_PRESETS = ['weekly', 'fortnightly', 'monthly_weekday', 'monthly_last_weekday', 'monthly_day', 'custom'] as const;
export type SeriesPreset = (typeof SERIES_PRESETS)[number];

/** At most this many occurrences to come are materialised at once, whatever the rule. */
export const MAX_UPCOMING = 100;
/** Occurrences are materialised this far ahead (the horizon moves forward every day and at each edit). */
export const HORIZON_DAYS = 366;
/** Steps of the iterator at most, so a rule that yields almost nothing never holds the process. */
const MAX_STEPS = 5000;

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const KEY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The rule a preset means for a series whose first occurrence is on `day` (YYYY-MM-DD), up to `until` if given. */
export function presetRule(preset: Exclude<SeriesPreset, 'custom'>, day: string, until?: string): string {
  const weekday = DAYS[isoWeekday(day) - 1];
  const dom = Number(day.slice(8, 10));
  const nth = Math.ceil(dom / 7);
  const base = {
    weekly: `FREQ=WEEKLY;BYDAY=${weekday}`,
    fortnightly: `FREQ=WEEKLY;INTERVAL=2;BYDAY=${weekday}`,
    // A fifth weekday does not occur every month: "the last" is what people mean then.
    monthly_weekday: `FREQ=MONTHLY;BYDAY=${nth >= 5 ? -1 : nth}${weekday}`,
    monthly_last_weekday: `FREQ=MONTHLY;BYDAY=-1${weekday}`,
    monthly_day: `FREQ=MONTHLY;BYMONTHDAY=${dom}`,
  }[preset];
  return until ? `${base};UNTIL=${until.replaceAll('-', '')}T235959` : base;
}

const PARTS: Record<string, RegExp> = {
  FREQ: /^(DAILY|WEEKLY|MONTHLY|YEARLY)$/,
  INTERVAL: /^([1-9]\d?)$/,
  COUNT: /^([1-9]\d{0,2})$/,
  UNTIL: /^\d{8}(T\d{6}Z?)?$/,
  BYDAY: /^([+-]?[1-5]?(MO|TU|WE|TH|FR|SA|SU))(,[+-]?[1-5]?(MO|TU|WE|TH|FR|SA|SU))*$/,
  BYMONTHDAY: /^(-?([1-9]|[12]\d|3[01]))(,-?([1-9]|[12]\d|3[01]))*$/,
  BYMONTH: /^([1-9]|1[0-2])(,([1-9]|1[0-2]))*$/,
  BYSETPOS: /^(-?[1-9]\d{0,2})(,-?[1-9]\d{0,2})*$/,
  WKST: /^(MO|TU|WE|TH|FR|SA|SU)$/,
};

/**
 * A rule as typed by staff (with or without its `RRULE:` prefix), normalised, or the catalogue key of what is
 * wrong: an unknown part, a frequency finer than a day, COUNT and UNTIL together, or a rule that never occurs.
 */
export function checkRule(text: string, firstLocal: string): { rule: string } | { error: string } {
  const raw = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (!raw || raw.length > 300) return { error: 'events.series.ruleInvalid' };
  const seen = new Set<string>();
  for (const part of raw.split(';')) {
    const [name, value, extra] = part.split('=');
    if (extra !== undefined || !name || !value || !PARTS[name] || seen.has(name) || !PARTS[name].test(value)) return { error: 'events.series.ruleInvalid' };
    if (name === 'UNTIL' && !isIsoDate(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`)) return { error: 'events.series.ruleInvalid' };
    seen.add(name);
  }
  if (!seen.has('FREQ')) return { error: 'events.series.ruleInvalid' };
  if (seen.has('COUNT') && seen.has('UNTIL')) return { error: 'events.series.ruleInvalid' };
  try {
    ICAL.Recur.fromString(raw);
  } catch {
    return { error: 'events.series.ruleInvalid' };
  }
  const first = occurrences(raw, firstLocal, { max: 1 });
  if (!first.length) return { error: 'events.series.ruleNever' };
  return { rule: raw };
}

const timeOf = (key: string) => {
  const m = KEY.exec(key)!;
  return ICAL.Time.fromData({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: 0, isDate: false });
};
const pad = (n: number) => String(n).padStart(2, '0');
const keyOf = (t: ICAL.Time) => `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`;

/** The instant (UTC) of a wall-clock key in Paris. */
export const instantOf = (key: string) => parisTime(key.slice(0, 10), Number(key.slice(11, 13)), Number(key.slice(14, 16)));

/**
 * The occurrences' wall-clock keys (`YYYY-MM-DDTHH:MM`), in order, from the first one: those before `before` (an
 * instant), at most `max` of them starting at or after `countFrom`. An endless rule stops at the horizon.
 */
export function occurrences(rule: string, firstLocal: string, opts: { before?: Date; max: number; countFrom?: Date }): string[] {
  const it = ICAL.Recur.fromString(rule).iterator(timeOf(firstLocal));
  const out: string[] = [];
  let counted = 0;
  for (let step = 0; step < MAX_STEPS && counted < opts.max; step++) {
    const next = it.next();
    if (!next) break;
    const key = keyOf(next);
    const at = instantOf(key);
    if (opts.before && at >= opts.before) break;
    out.push(key);
    if (!opts.countFrom || at >= opts.countFrom) counted += 1;
  }
  return out;
}

/** Whether the rule has an end (COUNT or UNTIL). */
export const isFinite = (rule: string) => /(^|;)(COUNT|UNTIL)=/.test(rule);

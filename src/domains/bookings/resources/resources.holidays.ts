/**
 * French public holidays (jours fériés, Code du travail L3133-1), computed for any year: eight fixed dates and three
 * that follow Easter (Monday after Easter, Ascension Thursday, Whit Monday). Alsace-Moselle's two extra days are not
 * holidays in the Gers. Computed, never stored, so no one has to type next year's list.
 */
import { addDays } from '../../../shared/time.js';

export type HolidayKey =
  | 'newYear'
  | 'easterMonday'
  | 'labourDay'
  | 'victory1945'
  | 'ascension'
  | 'whitMonday'
  | 'bastilleDay'
  | 'assumption'
  | 'allSaints'
  | 'armistice'
  | 'christmas';

/** Easter Sunday of a Gregorian year (the anonymous Meeus/Jones/Butcher computation), as YYYY-MM-DD. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const cache = new Map<number, Map<string, HolidayKey>>();

/** The year's public holidays by day. */
export function holidaysOf(year: number): Map<string, HolidayKey> {
  let days = cache.get(year);
  if (days) return days;
  const easter = easterSunday(year);
  const fixed: [string, HolidayKey][] = [
    ['01-01', 'newYear'],
    ['05-01', 'labourDay'],
    ['05-08', 'victory1945'],
    ['07-14', 'bastilleDay'],
    ['08-15', 'assumption'],
    ['11-01', 'allSaints'],
    ['11-11', 'armistice'],
    ['12-25', 'christmas'],
  ];
  days = new Map<string, HolidayKey>([
    ...fixed.map(([md, key]) => [`${year}-${md}`, key] as [string, HolidayKey]),
    [addDays(easter, 1), 'easterMonday'],
    [addDays(easter, 39), 'ascension'],
    [addDays(easter, 50), 'whitMonday'],
  ]);
  cache.set(year, days);
  return days;
}

/** The holiday falling on this day (YYYY-MM-DD), if any. */
export const holidayOn = (day: string): HolidayKey | undefined => holidaysOf(Number(day.slice(0, 4))).get(day);

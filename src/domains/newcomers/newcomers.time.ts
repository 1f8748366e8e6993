/** Calendar days as the programme lives them: in Europe/Paris, whatever the server's zone. */
import { TIME_ZONE } from '../../shared/time.js';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const partsFormat = new Intl.DateTimeFormat('en-GB', {
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

/** The instant it is `hour`:00 in Paris on the given day, daylight saving included. */
export function parisTime(day: string, hour: number): Date {
  const [y, m, d] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, hour, 0);
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(guess)).map((x) => [x.type, x.value]));
  const seenAsUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return new Date(guess - (seenAsUtc - guess));
}

/** A date shown in words ("27 novembre 2026") from its YYYY-MM-DD form, without any zone shift. */
export const formatDay = (day: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${day}T00:00:00Z`));

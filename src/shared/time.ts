/** Dates are stored in UTC and shown in Europe/Paris, always through Intl. */
export const TIME_ZONE = 'Europe/Paris';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function formatDate(d: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

export function formatDateTime(d: Date, locale: string): string {
  const date = formatDate(d, locale);
  const parts = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const h = parts.find((p) => p.type === 'hour')?.value ?? '';
  const m = parts.find((p) => p.type === 'minute')?.value ?? '';
  return locale.startsWith('fr') ? `${date}, ${Number(h)} h ${m}` : `${date}, ${h}:${m}`;
}

export function formatNumber(n: number, locale: string, opts: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale, opts).format(n);
}

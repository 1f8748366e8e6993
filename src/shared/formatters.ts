/**
 * Intl formatters built once per locale and options, then reused: building an `Intl.NumberFormat` or
 * `Intl.DateTimeFormat` costs far more than formatting with one (rebuilding a handful per component took 30% of
 * the CPU of a signed-in commune page). Formatters are immutable, so sharing them between requests is safe.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

const keyOf = (locale: string, opts: object) => `${locale}|${JSON.stringify(opts)}`;

/** The same formatter as `new Intl.NumberFormat(locale, opts)`, built at the first call only. */
export function numberFormat(locale: string, opts: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = keyOf(locale, opts);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, opts)));
  return f;
}

/** The same formatter as `new Intl.DateTimeFormat(locale, opts)`, built at the first call only. */
export function dateTimeFormat(locale: string, opts: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = keyOf(locale, opts);
  let f = dateTimeFormats.get(key);
  if (!f) dateTimeFormats.set(key, (f = new Intl.DateTimeFormat(locale, opts)));
  return f;
}

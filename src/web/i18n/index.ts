/**
 * The i18n catalogue: French first, English second. The strings every page shares live in `common.i18n.ts`; each
 * domain keeps its own in `<domain>.i18n.ts` (exporting `fr` and `en` with the same keys) and hands them over in
 * its module manifest; `src/modules.ts` registers them here at start. A test checks both languages match.
 */
import * as common from './common.i18n.js';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const catalogue: Record<Locale, Record<string, string>> = { fr: { ...common.fr }, en: { ...common.en } };

/** Adds a domain's strings. A key given twice would make one domain's text replace another's: refused. */
export function registerCatalogue(part: { fr: Record<string, string>; en: Record<string, string> }) {
  for (const locale of LOCALES) {
    for (const key of Object.keys(part[locale])) {
      if (key in catalogue[locale] && catalogue[locale][key] !== part[locale][key]) throw new Error(`i18n key registered twice: ${key}`);
    }
    Object.assign(catalogue[locale], part[locale]);
  }
}

export type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;

const intlLocale: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export function translator(locale: Locale): Translate {
  const messages = catalogue[locale];
  const numbers = new Intl.NumberFormat(intlLocale[locale]);
  return (key, params) => {
    const text = messages[key] ?? catalogue.fr[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = params[name];
      return v === undefined ? `{${name}}` : typeof v === 'number' ? numbers.format(v) : v;
    });
  };
}

const translators: Record<Locale, Translate> = { fr: translator('fr'), en: translator('en') };
/** The translator of a language: for a page, or for a mail in its recipient's language. */
export const tFor = (locale: Locale): Translate => translators[locale];

export const intlLocaleOf = (locale: Locale) => intlLocale[locale];

export const isLocale = (v: unknown): v is Locale => v === 'fr' || v === 'en';

/** Picks the locale: the `lang` cookie first, then the browser's Accept-Language, then French. */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag, ...rest] = part.trim().split(';');
        const q = rest.find((r) => r.trim().startsWith('q='));
        return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .sort((a, b) => b.q - a.q);
    for (const { lang } of ranked) if (isLocale(lang)) return lang;
  }
  return 'fr';
}

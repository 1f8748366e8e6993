/**
 * The i18n catalogue: French first, English second. Each domain keeps its strings in `<domain>.i18n.ts`
 * (exporting `fr` and `en` with the same keys) and registers them here; a test checks both languages match.
 */
import * as common from './common.i18n.js';
import * as accounts from '../../domains/accounts/accounts.i18n.js';
import * as audit from '../../domains/audit/audit.i18n.js';
import * as mail from '../../domains/mail/mail.i18n.js';
import * as admin from '../../domains/admin/admin.i18n.js';
import * as guide from '../../domains/guide/guide.i18n.js';
import * as places from '../../domains/places/places.i18n.js';
import * as search from '../../domains/search/search.i18n.js';
import * as territoryMap from '../../domains/territory/map.i18n.js';
import * as territoryFinder from '../../domains/territory/finder.i18n.js';
import * as territory from '../../domains/territory/territory.i18n.js';
import * as newcomers from '../../domains/newcomers/newcomers.i18n.js';
import * as newcomersPartners from '../../domains/newcomers/newcomers.partners.i18n.js';
import * as newcomersStays from '../../domains/newcomers/newcomers.stays.i18n.js';
import * as newcomersBuddies from '../../domains/newcomers/newcomers.buddies.i18n.js';
import * as newcomersFollowups from '../../domains/newcomers/newcomers.followups.i18n.js';
import * as newcomersDocuments from '../../domains/newcomers/newcomers.documents.i18n.js';
import * as newcomersPrivacy from '../../domains/newcomers/newcomers.privacy.i18n.js';
import * as newcomersOffers from '../../domains/newcomers/newcomers.offers.i18n.js';
import * as newcomersFunnel from '../../domains/newcomers/newcomers.funnel.i18n.js';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const parts = [
  common,
  accounts,
  audit,
  mail,
  admin,
  guide,
  places,
  search,
  territoryMap,
  territoryFinder,
  territory,
  newcomers,
  newcomersPartners,
  newcomersStays,
  newcomersBuddies,
  newcomersFollowups,
  newcomersDocuments,
  newcomersPrivacy,
  newcomersOffers,
  newcomersFunnel,
];

export const catalogue: Record<Locale, Record<string, string>> = {
  fr: Object.assign({}, ...parts.map((p) => p.fr)),
  en: Object.assign({}, ...parts.map((p) => p.en)),
};

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

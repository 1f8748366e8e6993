/** What every view may read about the current page: language, user, CSRF token. Set once per render. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role } from '../db/schema.js';
import type { Locale, Translate } from './i18n/index.js';

export interface PageUser {
  displayName: string;
  email: string;
}

export interface PageContextValue {
  t: Translate;
  locale: Locale;
  /** BCP 47 locale for Intl (fr-FR, en-GB). */
  intl: string;
  user: PageUser | null;
  roles: ReadonlySet<Role>;
  /** Empty on pages cached for anonymous visitors, which carry no form. */
  csrfToken: string;
  /** Path and query of the current page, for the language switch and login redirects. */
  path: string;
  demo: boolean;
  programmeName: string;
  assets: { css: string; js: string };
  /** A one-time message after a redirect. */
  flash: { key: string; params?: Record<string, string | number> } | null;
  /**
   * Set only while rendering the part of a page that every visitor shares (`renderSharedPage`): the layout's
   * personal parts (menus, account links, flash) then render as this marker, replaced per request; so does the CSRF
   * token of forms on a page rendered once per version of its data (`renderVersionedPage`).
   */
  personalSlot?: (part: 'mainNav' | 'userNav' | 'flash' | 'csrfToken') => string;
}

export const PageContext = createContext<PageContextValue | null>(null);

export function usePage(): PageContextValue {
  const ctx = useContext(PageContext);
  if (!ctx) throw new Error('usePage() outside a rendered page');
  return ctx;
}

export const useT = () => usePage().t;

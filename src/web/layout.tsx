/**
 * The page shell: skip link, header with wordmark and navigation, the demo banner, main, footer. The menus' links
 * come from the modules' manifests (web/navigation.ts); only the account links every site has are written here.
 */
import type { ComponentChildren } from 'preact';
import { can } from '../shared/roles.js';
import { Logo } from './components/logo.js';
import { isCurrent, menuFor } from './navigation.js';
import { usePage } from './page-context.js';

export interface LayoutProps {
  title: string;
  children: ComponentChildren;
  /** Narrow single-column pages (forms). */
  narrow?: boolean;
  description?: string;
}

export function Layout({ title, children, narrow, description }: LayoutProps) {
  const { t, locale, path, demo, programmeName, assets } = usePage();
  const other = locale === 'fr' ? 'en' : 'fr';
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${programmeName}`}</title>
        {description && <meta name="description" content={description} />}
        <link rel="stylesheet" href={assets.css} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script src={assets.js} defer></script>
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          {t('site.skip')}
        </a>
        {demo && (
          <p class="demo-banner" role="note">
            <strong>{t('site.demoLabel')}</strong> · {t('site.demo')}
          </p>
        )}
        <header class="site-header">
          <div class="wrap header-inner">
            <a class="brand" href="/" aria-label={`${programmeName}, ${t('site.home')}`}>
              <Logo name={programmeName} />
            </a>
            {/*
              On a phone the menus fold behind "Menu" (a disclosure element: it opens without JavaScript); on wider
              screens the stylesheet shows them open and hides the toggle. One copy of the links, in one order.
            */}
            <a class="header-search-link" href="/recherche">
              <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
                <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2.2" />
                <path d="M12.6 12.6 17.5 17.5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
              </svg>
              <span class="visually-hidden">{t('search.submit')}</span>
            </a>
            <details class="site-menu">
              <summary class="site-menu-toggle">{t('site.nav.menu')}</summary>
              <div class="site-menu-body">
                <Personal part="mainNav" />
                <form class="site-search" role="search" action="/recherche" method="get">
                  <label for="recherche-site" class="visually-hidden">
                    {t('search.label')}
                  </label>
                  <input id="recherche-site" type="search" name="q" maxLength={120} />
                  <button type="submit" class="button button-secondary">
                    {t('search.submit')}
                  </button>
                </form>
                <Personal part="userNav" />
              </div>
            </details>
          </div>
        </header>
        <main id="contenu" tabIndex={-1} class={narrow ? 'wrap narrow' : 'wrap'}>
          <Personal part="flash" />
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t('site.footer.about')}</p>
            <nav aria-label={t('site.footer.nav')}>
              <ul>
                <li>
                  <a href="/sources">{t('site.footer.sources')}</a>
                </li>
                <li>
                  <a href={`/langue/${other}?retour=${encodeURIComponent(path)}`} hrefLang={other} lang={other}>
                    {t('site.lang.switch')}
                  </a>
                </li>
              </ul>
            </nav>
            <p class="small">{t('site.footer.legal')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

// ---------------------------------------------------------------------------------------------- personal parts
// What differs from one visitor to the next: the menus (by role), the account links with the logout form (its CSRF
// token) and the one-time message. Everything else in the shell depends only on the page, its language and URL.

function MainNav() {
  const { t, roles, path } = usePage();
  const current = path.split('?')[0];
  return (
    <nav aria-label={t('site.nav.label')} class="main-nav">
      <ul>
        {menuFor('main', roles).map((item) => (
          <li key={item.href}>
            <a href={item.href} aria-current={isCurrent(item, current) ? 'page' : undefined}>
              {t(item.key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function UserNav() {
  const { t, locale, user, roles, csrfToken, path } = usePage();
  const other = locale === 'fr' ? 'en' : 'fr';
  const current = path.split('?')[0];
  return (
    <nav aria-label={t('site.nav.userMenu')} class="user-nav">
      <ul>
        {user ? (
          <>
            {can({ roles }, 'backOffice') && (
              <li>
                <a href="/admin">{t('site.nav.admin')}</a>
              </li>
            )}
            {menuFor('account', roles).map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={isCurrent(item, current) ? 'page' : undefined}>
                  {t(item.key)}
                </a>
              </li>
            ))}
            <li>
              <a href="/compte">{t('site.nav.account')}</a>
            </li>
            <li>
              <form action="/deconnexion" method="post" class="inline-form">
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button type="submit" class="link-button">
                  {t('site.nav.logout')}
                </button>
              </form>
            </li>
          </>
        ) : (
          <>
            <li>
              <a href="/connexion">{t('site.nav.login')}</a>
            </li>
            <li>
              <a href="/inscription">{t('site.nav.signup')}</a>
            </li>
          </>
        )}
        <li>
          <a href={`/langue/${other}?retour=${encodeURIComponent(path)}`} hrefLang={other} lang={other} aria-label={t('site.lang.switchLabel')}>
            {t('site.lang.switch')}
          </a>
        </li>
      </ul>
    </nav>
  );
}

function Flash() {
  const { t, flash } = usePage();
  if (!flash) return null;
  return (
    <p class="alert alert-success" role="status">
      {t(flash.key, flash.params)}
    </p>
  );
}

/** The visitor's CSRF token, where a body rendered for several visitors (`renderVersionedPage`) holds its marker. */
function CsrfToken() {
  return <>{usePage().csrfToken}</>;
}

export const PERSONAL_PARTS = { mainNav: MainNav, userNav: UserNav, flash: Flash, csrfToken: CsrfToken } as const;
export type PersonalPart = keyof typeof PERSONAL_PARTS;

/**
 * A personal part of the shell; on a page shared by every visitor (`renderSharedPage`), a marker that the
 * part rendered for the visitor replaces at each request.
 */
export function Personal({ part }: { part: PersonalPart }) {
  const { personalSlot } = usePage();
  if (personalSlot) return <>{personalSlot(part)}</>;
  const Part = PERSONAL_PARTS[part];
  return <Part />;
}

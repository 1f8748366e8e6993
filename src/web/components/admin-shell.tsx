/** The back office frame: the page layout with the staff section menu. Links shown depend on the roles. */
import type { ComponentChildren } from 'preact';
import type { Role } from '../../db/schema.js';
import { Layout } from '../layout.js';
import { hasAnyRole, usePage } from '../page-context.js';

interface Section {
  href: string;
  key: string;
  roles: Role[];
}

const SECTIONS: Section[] = [
  { href: '/admin', key: 'admin.nav.dashboard', roles: ['staff', 'admin', 'space_manager'] },
  { href: '/admin/utilisateurs', key: 'admin.nav.users', roles: ['admin'] },
  { href: '/admin/journal', key: 'admin.nav.audit', roles: ['admin'] },
  { href: '/admin/courriels', key: 'admin.nav.mail', roles: ['admin'] },
  { href: '/admin/territoire', key: 'territory.admin.nav', roles: ['staff', 'admin'] },
  { href: '/admin/guide', key: 'guide.admin.nav', roles: ['staff', 'admin'] },
  { href: '/admin/tiers-lieux', key: 'places.admin.nav', roles: ['staff', 'admin', 'space_manager'] },
  { href: '/admin/accueil', key: 'newcomers.nav.admin', roles: ['staff', 'admin'] },
  { href: '/admin/accueil/partenaires', key: 'newcomers.partners.nav.admin', roles: ['staff', 'admin'] },
  { href: '/admin/accueil/parrains', key: 'newcomers.buddies.nav', roles: ['staff', 'admin'] },
  { href: '/admin/accueil/conservation', key: 'newcomers.privacy.nav', roles: ['staff', 'admin'] },
  { href: '/admin/offres', key: 'newcomers.offers.nav', roles: ['staff', 'admin'] },
];

export function AdminShell({ title, children }: { title: string; children: ComponentChildren }) {
  const { t, roles, path } = usePage();
  const current = path.split('?')[0];
  return (
    <Layout title={title}>
      <div class="admin">
        <nav class="admin-nav" aria-label={t('admin.nav.label')}>
          <ul>
            {SECTIONS.filter((s) => hasAnyRole(roles, s.roles)).map((s) => (
              <li key={s.href}>
                <a href={s.href} aria-current={current === s.href ? 'page' : undefined}>
                  {t(s.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="admin-main">{children}</div>
      </div>
    </Layout>
  );
}

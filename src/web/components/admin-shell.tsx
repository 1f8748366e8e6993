/** The back office frame: the page layout with the section menu the modules declare; links shown depend on the roles. */
import type { ComponentChildren } from 'preact';
import { Layout } from '../layout.js';
import { menuFor } from '../navigation.js';
import { usePage } from '../page-context.js';

export function AdminShell({ title, children }: { title: string; children: ComponentChildren }) {
  const { t, roles, path } = usePage();
  const current = path.split('?')[0];
  return (
    <Layout title={title}>
      <div class="admin">
        <nav class="admin-nav" aria-label={t('admin.nav.label')}>
          <ul>
            {menuFor('admin', roles).map((s) => (
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

import { AdminShell } from '../../web/components/admin-shell.js';
import { usePage } from '../../web/page-context.js';
import { numberFormat } from '../../shared/formatters.js';

export function DashboardView({ counts }: { counts: { people: number; mailPending: number; jobsFailed: number } }) {
  const { t, user, intl } = usePage();
  const n = (v: number) => numberFormat(intl).format(v);
  return (
    <AdminShell title={t('admin.dashboard.title')}>
      <h1>{t('admin.dashboard.title')}</h1>
      <p class="lead">
        {t('admin.dashboard.welcome', { name: user?.displayName ?? '' })} {t('admin.dashboard.lead')}
      </p>
      <dl class="stats">
        <div class="stat">
          <dt>{t('admin.dashboard.users')}</dt>
          <dd>{n(counts.people)}</dd>
        </div>
        <div class="stat">
          <dt>{t('admin.dashboard.mailPending')}</dt>
          <dd>{n(counts.mailPending)}</dd>
        </div>
        <div class="stat">
          <dt>{t('admin.dashboard.jobsFailed')}</dt>
          <dd>{n(counts.jobsFailed)}</dd>
        </div>
      </dl>
    </AdminShell>
  );
}

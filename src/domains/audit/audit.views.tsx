import { AdminShell } from '../../web/components/admin-shell.js';
import { Pagination } from '../../web/components/pagination.js';
import { Table } from '../../web/components/table.js';
import { usePage } from '../../web/page-context.js';
import { formatDateTime } from '../../shared/time.js';

export interface AuditRow {
  id: number;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  data: Record<string, unknown>;
  at: Date;
  actor_email: string | null;
  actor_name: string | null;
}

/** Records that have their own back-office page, so an entry leads to what it is about. */
const RECORD_PAGES: Record<string, string> = { mail: '/admin/courriels/', user: '/admin/utilisateurs/' };

function Subject({ type, id }: { type: string | null; id: string | null }) {
  if (!type) return <>—</>;
  const label = `${type} ${id ?? ''}`.trim();
  const base = RECORD_PAGES[type];
  return base && id ? <a href={base + encodeURIComponent(id)}>{label}</a> : <>{label}</>;
}

type AuditFilterValues = { action?: string; acteur?: string; sujet?: string };

export function AuditView({ rows, total, page, pages, filter }: { rows: AuditRow[]; total: number; page: number; pages: number; filter: AuditFilterValues }) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('audit.title')}>
      <h1>{t('audit.title')}</h1>
      <p class="lead">{t('audit.lead')}</p>
      <form method="get" action="/admin/journal" class="filters">
        <div class="field">
          <label for="f-action">{t('audit.filter.action')}</label>
          <input id="f-action" name="action" value={filter.action ?? ''} />
        </div>
        <div class="field">
          <label for="f-acteur">{t('audit.filter.actor')}</label>
          <input id="f-acteur" name="acteur" type="email" value={filter.acteur ?? ''} />
        </div>
        <div class="field">
          <label for="f-sujet">{t('audit.filter.subject')}</label>
          <input id="f-sujet" name="sujet" value={filter.sujet ?? ''} />
        </div>
        <button type="submit" class="button button-secondary">
          {t('audit.filter.submit')}
        </button>
      </form>
      <p>{t('audit.count', { count: total })}</p>
      <Table
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('audit.empty')}
        columns={[
          { key: 'at', header: t('audit.col.at'), render: (r) => formatDateTime(r.at, intl) },
          { key: 'actor', header: t('audit.col.actor'), render: (r) => r.actor_email ?? t('audit.system') },
          { key: 'action', header: t('audit.col.action'), render: (r) => <code>{r.action}</code> },
          { key: 'subject', header: t('audit.col.subject'), className: 'audit-subject', render: (r) => <Subject type={r.subject_type} id={r.subject_id} /> },
          { key: 'data', header: t('audit.col.data'), className: 'small', render: (r) => (Object.keys(r.data ?? {}).length ? JSON.stringify(r.data) : '—') },
        ]}
      />
      <Pagination page={page} pages={pages} baseQuery={{ action: filter.action, acteur: filter.acteur, sujet: filter.sujet }} />
    </AdminShell>
  );
}

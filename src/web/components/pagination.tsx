import { usePage } from '../page-context.js';

/** Previous / next links that keep the other query parameters. */
export function Pagination({ page, pages, baseQuery }: { page: number; pages: number; baseQuery: Record<string, string | undefined> }) {
  const { t } = usePage();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(baseQuery)) if (v) q.set(k, v);
    q.set('page', String(p));
    return `?${q.toString()}`;
  };
  return (
    <nav class="pagination" aria-label={t('pagination.label')}>
      {page > 1 ? <a href={href(page - 1)} rel="prev">{t('pagination.previous')}</a> : <span />}
      <span>{t('pagination.page', { page, pages })}</span>
      {page < pages ? <a href={href(page + 1)} rel="next">{t('pagination.next')}</a> : <span />}
    </nav>
  );
}

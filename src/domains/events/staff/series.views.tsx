/** A series on screen: its rule, its occurrences with their seats, and what the team can do with them. Pure. */
import { formatDate, formatDateTime } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Form } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import type { EventRow } from '../events.common.js';
import type { SeriesForStaff } from './series.service.js';

export function StaffSeriesView({ data }: { data: SeriesForStaff }) {
  const { t, intl } = usePage();
  const { series, occurrences } = data;
  const title = occurrences.at(-1)?.title ?? t('events.series.title');
  const drafts = occurrences.filter((o) => o.status === 'draft' && o.ends_at > data.now).length;
  return (
    <AdminShell title={`${t('events.series.title')} · ${title}`}>
      <p class="back-link">
        <a href="/admin/agenda">{t('events.staff.title')}</a>
      </p>
      <h1>
        {t('events.series.title')} · {title}
      </h1>
      <dl class="facts">
        <div>
          <dt>{t('events.series.rule')}</dt>
          <dd>
            <code>{series.rrule}</code>
          </dd>
        </div>
        <div>
          <dt>{t('events.series.horizon')}</dt>
          <dd>{data.finite ? t('events.series.finite') : t('events.series.horizonUntil', { date: formatDate(series.horizon_at, intl) })}</dd>
        </div>
      </dl>
      <div class="actions">
        <a class="button button-secondary" href={`/admin/agenda/series/${series.id}/modifier`}>
          {t('events.series.edit')}
        </a>
        {drafts > 0 && (
          <Form action={`/admin/agenda/series/${series.id}/publier`} scope="publier">
            <Button>{t('events.series.publish', { count: drafts })}</Button>
          </Form>
        )}
        <Form action={`/admin/agenda/series/${series.id}/prolonger`} scope="prolonger">
          <Button variant="secondary">{t('events.series.extend')}</Button>
        </Form>
      </div>
      <h2>{t('events.series.occurrences')}</h2>
      <Table
        caption={t('events.series.occurrences')}
        captionHidden
        columns={[
          { key: 'when', header: t('events.field.when'), rowHeader: true, render: (o: EventRow) => <a href={`/admin/agenda/${o.id}`}>{formatDateTime(o.starts_at, intl)}</a> },
          { key: 'status', header: t('events.staff.status'), render: (o: EventRow) => t(`events.status.${o.status}`) },
          { key: 'seats', header: t('events.staff.seats'), align: 'end' as const, render: (o: EventRow) => `${o.taken} / ${o.capacity}` },
        ]}
        rows={occurrences}
        rowKey={(o) => String(o.id)}
      />
      <p class="small muted">{t('events.staff.seatsSource')}</p>
    </AdminShell>
  );
}

/**
 * The space manager's pages: the day's presence list (a list of cards with POST buttons, usable on a phone and
 * without JavaScript) and the month's occupancy (a bar chart drawn on the server, with its table and its source).
 */
import { numberFormat } from '../../../shared/formatters.js';
import { formatDay, parisClock } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { ErrorSummary, Form, type FieldErrors } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { formatTime as formatClock } from '../../places/index.js';
import type { DayBooking, getDayList, Occupancy, OccupancyData } from './presence.service.js';

const hhmm = (d: Date) => {
  const m = parisClock(d).minutes;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

function PresenceButtons({ b, day }: { b: DayBooking; day: string }) {
  const { t } = usePage();
  const who = b.person_name ?? b.visitor_name ?? t('bookings.staff.erased');
  const choices = (['arrived', 'no_show', 'expected'] as const).filter((c) => (c === 'expected' ? b.presence !== null : b.presence !== c));
  return (
    <div class="presence-actions">
      {choices.map((c) => (
        <Form key={c} action={`/admin/reservations/presence/${b.id}`} class="inline-form">
          <input type="hidden" name="presence" value={c} />
          <input type="hidden" name="date" value={day} />
          <button type="submit" class={c === 'arrived' ? 'button' : 'button button-secondary'}>
            {t(`bookings.presence.mark.${c}`)}
            <span class="visually-hidden"> {who}</span>
          </button>
        </Form>
      ))}
    </div>
  );
}

export function DayView({ data, errors }: { data: Awaited<ReturnType<typeof getDayList>>; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  const title = t('bookings.presence.title', { day: formatDay(data.day, intl) });
  const arrived = data.rows.filter((r) => r.presence === 'arrived').length;
  return (
    <AdminShell title={title}>
      <p class="back-link">
        <a href="/admin/reservations">{t('bookings.admin.back')}</a>
      </p>
      <h1>{title}</h1>
      <form method="get" action="/admin/reservations/presence" class="inline-form">
        <label for="presence-date">{t('bookings.presence.day')}</label> <input id="presence-date" type="date" name="date" value={data.day} />{' '}
        <button type="submit" class="button button-secondary">
          {t('bookings.grid.show')}
        </button>
      </form>
      <nav aria-label={t('bookings.presence.navLabel')}>
        <p>
          <a href={`/admin/reservations/presence?date=${data.prev}`}>{t('bookings.grid.prevDay')}</a> ·{' '}
          <a href={`/admin/reservations/presence?date=${data.next}`}>{t('bookings.grid.nextDay')}</a>
          {data.day !== data.today && (
            <>
              {' '}
              · <a href="/admin/reservations/presence">{t('bookings.presence.today')}</a>
            </>
          )}
        </p>
      </nav>
      <ErrorSummary errors={errors ?? {}} />
      <p>{t('bookings.presence.summary', { expected: data.rows.length, arrived })}</p>
      {!data.rows.length && <p class="muted">{t('bookings.presence.empty')}</p>}
      <ul class="presence-list">
        {data.rows.map((b) => (
          <li key={b.id} class="card presence-card">
            <h2>{b.person_name ?? b.visitor_name ?? t('bookings.staff.erased')}</h2>
            <p>
              {t('bookings.presence.what', { resource: b.resource_name, place: b.place_name, from: formatClock(hhmm(b.starts_at), intl), to: formatClock(hhmm(b.ends_at), intl) })}
            </p>
            {b.note && <p class="small">{b.note}</p>}
            <p>
              <strong>{t(`bookings.presence.state.${b.presence ?? 'expected'}`)}</strong>
            </p>
            {data.markable && <PresenceButtons b={b} day={data.day} />}
          </li>
        ))}
      </ul>
      <p>
        <a href="/admin/reservations/occupation">{t('bookings.presence.toOccupancy')}</a>
      </p>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- occupancy

/** Horizontal bars of occupancy (0–100 %): `<title>` and `<desc>` name it and read every value; the table follows. */
function OccupancyChart({ id, title, bars }: { id: string; title: string; bars: { label: string; rate: number | null }[] }) {
  const { intl, t } = usePage();
  const pct = numberFormat(intl, { style: 'percent', maximumFractionDigits: 0 });
  const row = 28;
  const labelWidth = 200;
  const width = 640;
  const plot = width - labelWidth - 70;
  const height = bars.length * row + 16;
  const text = (r: number | null) => (r === null ? t('bookings.presence.closed') : pct.format(r));
  return (
    <figure class="occupancy-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} xmlns="http://www.w3.org/2000/svg" width="100%">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{bars.map((b) => `${b.label} : ${text(b.rate)}`).join(' ; ')}</desc>
        {bars.map((b, i) => {
          const y = 8 + i * row;
          const w = Math.round((b.rate ?? 0) * plot);
          return (
            <g key={b.label}>
              <text x={labelWidth - 8} y={y + 17} text-anchor="end" font-size="13" fill="#1f2a24">
                {b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label}
              </text>
              <rect x={labelWidth} y={y + 4} width={plot} height={row - 10} fill="#eef1ec" />
              <rect x={labelWidth} y={y + 4} width={w} height={row - 10} fill="#2f6b4f" />
              <text x={labelWidth + plot + 8} y={y + 17} font-size="13" fill="#1f2a24">
                {text(b.rate)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="small muted">{title}</figcaption>
    </figure>
  );
}

function FiguresTable({ caption, rows, name }: { caption: string; rows: { name: string; extra?: string; f: Occupancy }[]; name: string }) {
  const { t, intl } = usePage();
  const num = numberFormat(intl, { maximumFractionDigits: 1 });
  const pct = numberFormat(intl, { style: 'percent', maximumFractionDigits: 1 });
  const rate = (v: number | null) => (v === null ? '—' : pct.format(v));
  return (
    <Table
      caption={caption}
      rows={rows}
      rowKey={(r) => r.f.key}
      wrap="region"
      captionId={`t-${caption.length}-${rows.length}-${name}`}
      columns={[
        { key: 'name', header: name, rowHeader: true, render: (r) => (r.extra ? `${r.name} (${r.extra})` : r.name) },
        { key: 'open', header: t('bookings.presence.openHours'), align: 'end', render: (r) => num.format(r.f.openHours) },
        { key: 'booked', header: t('bookings.presence.bookedHours'), align: 'end', render: (r) => num.format(r.f.bookedHours) },
        { key: 'rate', header: t('bookings.presence.rate'), align: 'end', render: (r) => rate(r.f.rate) },
        { key: 'bookings', header: t('bookings.presence.bookings'), align: 'end', render: (r) => r.f.bookings },
        { key: 'noShows', header: t('bookings.presence.noShows'), align: 'end', render: (r) => r.f.noShows },
        { key: 'noShowRate', header: t('bookings.presence.noShowRate'), align: 'end', render: (r) => rate(r.f.noShowRate) },
      ]}
    />
  );
}

export function OccupancyView({ data }: { data: OccupancyData }) {
  const { t, intl } = usePage();
  const monthName = new Intl.DateTimeFormat(intl, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${data.month}-01T12:00:00Z`));
  const title = t('bookings.presence.occupancyTitle', { month: monthName });
  const source = t('bookings.presence.source', { date: formatDay(data.asOf.toISOString().slice(0, 10), intl) });
  return (
    <AdminShell title={title}>
      <p class="back-link">
        <a href="/admin/reservations/presence">{t('bookings.presence.backToDay')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t('bookings.presence.occupancyLead')}</p>
      <form method="get" action="/admin/reservations/occupation" class="inline-form">
        <label for="occupancy-month">{t('bookings.presence.month')}</label> <input id="occupancy-month" type="month" name="mois" value={data.month} />{' '}
        <button type="submit" class="button button-secondary">
          {t('bookings.grid.show')}
        </button>
      </form>
      <nav aria-label={t('bookings.presence.monthNavLabel')}>
        <p>
          <a href={`/admin/reservations/occupation?mois=${data.prev}`}>{t('bookings.presence.prevMonth')}</a> ·{' '}
          <a href={`/admin/reservations/occupation?mois=${data.next}`}>{t('bookings.presence.nextMonth')}</a> ·{' '}
          <a href={`/admin/reservations/occupation.csv?mois=${data.month}`}>{t('bookings.presence.csvLink')}</a>
        </p>
      </nav>
      <p>
        {t('bookings.presence.totalLine', {
          rate: data.total.rate === null ? '—' : numberFormat(intl, { style: 'percent', maximumFractionDigits: 0 }).format(data.total.rate),
          booked: numberFormat(intl, { maximumFractionDigits: 1 }).format(data.total.bookedHours),
        })}{' '}
        <span class="small muted">({source})</span>
      </p>
      {data.perResource.length > 0 && (
        <OccupancyChart id="occupation-ressources" title={t('bookings.presence.chartTitle', { month: monthName })} bars={data.perResource.map((r) => ({ label: r.resource.name, rate: r.figures.rate }))} />
      )}
      <FiguresTable caption={t('bookings.presence.perResource', { month: monthName })} name={t('bookings.mine.resource')} rows={data.perResource.map((r) => ({ name: r.resource.name, extra: r.resource.place_name, f: r.figures }))} />
      <FiguresTable caption={t('bookings.presence.perKind', { month: monthName })} name={t('bookings.presence.kind')} rows={data.perKind.map((f) => ({ name: t(`bookings.kind.${f.key}`), f }))} />
      <FiguresTable caption={t('bookings.presence.perAudience', { month: monthName })} name={t('bookings.presence.audienceHeader')} rows={data.perAudience.map((f) => ({ name: t(`bookings.presence.audience.${f.key}`), f }))} />
      <p class="small">
        {source} {t('bookings.presence.method')}
      </p>
    </AdminShell>
  );
}

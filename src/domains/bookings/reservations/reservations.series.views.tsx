/**
 * The back office's weekly series: the form, the preview (the occurrences to create, each checked, and the
 * conflicts, each with its date, its reason and the nearest free periods), and a series' page where the remaining
 * occurrences are cancelled together. Pure views; plain forms, so it all works without JavaScript.
 */
import { formatDay, parisClock } from '../../../shared/time.js';
import { dateTimeFormat } from '../../../shared/formatters.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkboxes, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { formatTime, weekdayName, WEEKDAYS } from '../../places/index.js';
import type { Resource } from '../resources/index.js';
import type { Conflict, Occurrence, SeriesRow } from './reservations.series.js';
import type { BookingRow } from './reservations.service.js';

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function useDays() {
  const { intl } = usePage();
  const weekdayOf = (day: string) => dateTimeFormat(intl, { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  const dayText = (day: string) => `${weekdayOf(day)} ${formatDay(day, intl)}`;
  const time = (d: Date) => formatTime(hhmm(parisClock(d).minutes), intl);
  return { dayText, time, intl };
}

/** The request's fields, carried from the preview to the confirmation. */
const FIELDS = ['debut', 'fin', 'du', 'au', 'nombre', 'mode', 'nom', 'email', 'note'] as const;

function SeriesFields({ values, errors }: { values: FormValues; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  return (
    <>
      <Checkboxes name="jours" legend={t('bookings.series.weekdays')} required values={values} errors={errors} options={WEEKDAYS.map((d) => ({ value: d, label: weekdayName(d, intl) }))} />
      <Field name="debut" type="time" label={t('bookings.form.start')} values={values} errors={errors} required />
      <Field name="fin" type="time" label={t('bookings.form.end')} values={values} errors={errors} required />
      <Field name="du" type="date" label={t('bookings.series.from')} values={values} errors={errors} required />
      <Field name="au" type="date" label={t('bookings.series.until')} hint={t('bookings.series.untilHint')} values={values} errors={errors} />
      <Field name="nombre" label={t('bookings.series.count')} inputMode="numeric" values={values} errors={errors} maxLength={3} />
      <Select
        name="mode"
        label={t('bookings.staff.mode')}
        values={values}
        errors={errors}
        options={[
          { value: 'pour', label: t('bookings.staff.forSomeone') },
          { value: 'blocage', label: t('bookings.staff.block') },
        ]}
      />
      <Field name="email" type="email" label={t('bookings.staff.email')} hint={t('bookings.staff.emailHint')} values={values} errors={errors} maxLength={254} />
      <Field name="nom" label={t('bookings.staff.name')} values={values} errors={errors} maxLength={120} />
      <TextArea name="note" label={t('bookings.form.note')} values={values} errors={errors} rows={2} maxLength={500} />
    </>
  );
}

export function SeriesFormView({ resource, values, errors }: { resource: Resource; values: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const title = t('bookings.series.title', { resource: resource.name });
  return (
    <AdminShell title={title}>
      <p class="back-link">
        <a href={`/reservations/${resource.slug}`}>{t('bookings.form.back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t('bookings.series.lead')}</p>
      <Form action={`/admin/reservations/ressources/${resource.id}/serie`} scope="serie">
        <ErrorSummary errors={errors ?? {}} />
        <SeriesFields values={values} errors={errors} />
        <Button>{t('bookings.series.preview')}</Button>
      </Form>
    </AdminShell>
  );
}

export function SeriesPreviewView({ resource, values, free, conflicts, error }: { resource: Resource; values: FormValues; free: Occurrence[]; conflicts: Conflict[]; error?: string }) {
  const { t } = usePage();
  const { dayText, time } = useDays();
  const title = t('bookings.series.previewTitle', { resource: resource.name });
  const hidden = (name: string) => {
    const v = values[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x, i) => <input key={`${name}-${i}`} type="hidden" name={name} value={x} />);
  };
  return (
    <AdminShell title={title}>
      <p class="back-link">
        <a href={`/admin/reservations/ressources/${resource.id}/serie`}>{t('bookings.series.back')}</a>
      </p>
      <h1>{title}</h1>
      {error && (
        <p class="alert alert-error" role="alert">
          {t(error)}
        </p>
      )}
      <p class="lead">{t('bookings.series.summary', { free: free.length, conflicts: conflicts.length })}</p>
      <section aria-labelledby="conflits">
        <h2 id="conflits">{t('bookings.series.conflictsTitle')}</h2>
        <Table
          caption={t('bookings.series.conflictsCaption')}
          wrap="region"
          captionId="conflits-legende"
          rows={conflicts}
          rowKey={(c) => c.day}
          empty={t('bookings.series.noConflict')}
          columns={[
            { key: 'day', header: t('bookings.series.day'), rowHeader: true, render: (c) => dayText(c.day) },
            { key: 'why', header: t('bookings.series.reason'), render: (c) => t(c.key, c.params) },
            {
              key: 'near',
              header: t('bookings.series.nearest'),
              render: (c) =>
                c.alternatives.length ? (
                  <ul class="plain-list">
                    {c.alternatives.map((a) => (
                      <li key={a.start.toISOString()}>{t('bookings.alternatives.item', { day: dayText(parisClock(a.start).day), from: time(a.start), to: time(a.end) })}</li>
                    ))}
                  </ul>
                ) : (
                  t('bookings.alternatives.none')
                ),
            },
          ]}
        />
      </section>
      <Form action={`/admin/reservations/ressources/${resource.id}/serie`} scope="confirmer">
        {hidden('jours')}
        {FIELDS.map((f) => hidden(f))}
        <input type="hidden" name="confirmer" value="1" />
        {free.length > 0 ? (
          <>
            <Checkboxes
              name="accepter"
              legend={t('bookings.series.freeTitle', { count: free.length })}
              hint={t('bookings.series.freeHint')}
              values={{ accepter: free.map((o) => o.day) }}
              options={free.map((o) => ({ value: o.day, label: `${dayText(o.day)}, ${time(o.start!)} – ${time(o.end!)}` }))}
            />
            <div class="actions">
              <Button>{t('bookings.series.confirm', { count: free.length })}</Button>
              <a class="button button-secondary" href={`/reservations/${resource.slug}`}>
                {t('bookings.series.cancelPreview')}
              </a>
            </div>
          </>
        ) : (
          <p class="alert alert-info">{t('bookings.series.nothingFree')}</p>
        )}
      </Form>
    </AdminShell>
  );
}

export function SeriesView({ series, rows, remaining }: { series: SeriesRow; rows: BookingRow[]; remaining: number }) {
  const { t, intl } = usePage();
  const { dayText, time } = useDays();
  const title = t('bookings.series.pageTitle', { resource: series.resource_name });
  const who = rows.find((b) => b.kind === 'booking');
  return (
    <AdminShell title={title}>
      <p class="back-link">
        <a href="/admin/reservations/planning">{t('bookings.series.backToPlanning')}</a>
      </p>
      <h1>{title}</h1>
      <p>
        {t('bookings.series.rule', {
          days: series.weekdays.map((d) => weekdayName(String(d) as (typeof WEEKDAYS)[number], intl)).join(', '),
          from: formatTime(hhmm(series.start_minutes), intl),
          to: formatTime(hhmm(series.end_minutes), intl),
          first: formatDay(series.first_day, intl),
          last: formatDay(series.last_day, intl),
        })}
      </p>
      <p>{series.kind === 'block' ? t('bookings.staff.blocked') : t('bookings.series.for', { name: who?.person_name ?? who?.visitor_name ?? t('bookings.staff.erased') })}</p>
      <Table
        caption={t('bookings.series.occurrences')}
        wrap="region"
        captionId="serie-legende"
        rows={rows}
        rowKey={(b) => b.id}
        columns={[
          { key: 'when', header: t('bookings.mine.when'), rowHeader: true, render: (b) => t('bookings.when', { day: dayText(parisClock(b.starts_at).day), from: time(b.starts_at), to: time(b.ends_at) }) },
          { key: 'status', header: t('bookings.mine.status'), render: (b) => t(`bookings.status.${b.status}`) },
        ]}
      />
      {remaining > 0 ? (
        <Form action={`/admin/reservations/series/${series.id}/annuler`} scope="annuler-serie">
          <Button variant="danger">{t('bookings.series.cancelRemaining', { count: remaining })}</Button>
        </Form>
      ) : (
        <p>{t('bookings.series.nothingRemaining')}</p>
      )}
    </AdminShell>
  );
}

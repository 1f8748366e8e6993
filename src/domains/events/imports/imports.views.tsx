/** The team's page of followed feeds: each source with its last import (or its error), the form to add one. */
import { formatDateTime } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { DEFAULT_REFRESH_HOURS, REFRESH_CHOICES } from './imports.schemas.js';
import type { SourcesPage } from './imports.service.js';

type Source = SourcesPage['sources'][number];

export function SourcesView({ data, values, errors }: { data: SourcesPage; values?: FormValues; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  const columns = [
    { key: 'name', header: t('events.imports.name'), rowHeader: true, render: (s: Source) => s.name },
    { key: 'url', header: t('events.imports.url'), render: (s: Source) => <a href={s.url}>{s.url}</a> },
    { key: 'refresh', header: t('events.imports.refresh'), render: (s: Source) => t(`events.imports.refresh.${s.refresh_hours}`) },
    {
      key: 'last',
      header: t('events.imports.last'),
      render: (s: Source) =>
        !s.last_fetched_at ? (
          t('events.imports.never')
        ) : s.last_error ? (
          <strong>{t('events.imports.failed', { date: formatDateTime(s.last_fetched_at, intl), error: t(s.last_error) })}</strong>
        ) : (
          t('events.imports.done', { date: formatDateTime(s.last_fetched_at, intl), count: s.last_count ?? 0 })
        ),
    },
    {
      key: 'now',
      header: t('events.imports.actions'),
      render: (s: Source) => (
        <Form action={`/admin/agenda/flux/${s.id}/importer`} scope={`i-${s.id}`}>
          <Button variant="secondary">{t('events.imports.importNow')}</Button>
        </Form>
      ),
    },
  ];
  return (
    <AdminShell title={t('events.imports.title')}>
      <p class="back-link">
        <a href="/admin/agenda">{t('events.staff.title')}</a>
      </p>
      <h1>{t('events.imports.title')}</h1>
      <p>{t('events.imports.lead')}</p>
      {data.sources.length ? <Table caption={t('events.imports.title')} columns={columns} rows={data.sources} rowKey={(s: Source) => String(s.id)} /> : <p>{t('events.imports.none')}</p>}
      <h2>{t('events.imports.add')}</h2>
      {errors && <ErrorSummary errors={errors} />}
      <Form action="/admin/agenda/flux">
        <Field name="nom" label={t('events.imports.name')} hint={t('events.imports.nameHint')} values={values} errors={errors} required maxLength={160} />
        <Field name="url" label={t('events.imports.url')} hint={t('events.imports.urlHint')} type="url" values={values} errors={errors} required maxLength={1000} />
        <Select name="commune" label={t('events.form.commune')} hint={t('events.imports.communeHint')} values={values} errors={errors} required options={[{ value: '', label: t('events.form.choose') }, ...data.communes.map((c) => ({ value: c.insee, label: c.name }))]} />
        <Select
          name="actualisation"
          label={t('events.imports.refresh')}
          hint={t('events.imports.refreshHint')}
          values={values ?? { actualisation: String(DEFAULT_REFRESH_HOURS) }}
          errors={errors}
          options={REFRESH_CHOICES.map((h) => ({ value: String(h), label: t(`events.imports.refresh.${h}`) }))}
        />
        <Button>{t('events.imports.addButton')}</Button>
      </Form>
    </AdminShell>
  );
}

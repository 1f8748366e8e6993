/** Back office pages of the territory guide: finding a commune, correcting a figure, the Paris reference price. */
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { Table } from '../../web/components/table.js';
import { usePage } from '../../web/page-context.js';
import type { getCommuneCorrections, getDuplicatesAdmin, getTerritoryAdmin } from './territory.service.js';
import { numberFormat, dateTimeFormat } from '../../shared/formatters.js';

type TerritoryAdmin = Awaited<ReturnType<typeof getTerritoryAdmin>>;
type CommuneCorrections = Awaited<ReturnType<typeof getCommuneCorrections>>;
type DuplicatesAdmin = Awaited<ReturnType<typeof getDuplicatesAdmin>>;

function useFormat() {
  const { intl } = usePage();
  const int = numberFormat(intl, { maximumFractionDigits: 0 });
  const date = dateTimeFormat(intl, { dateStyle: 'medium', timeZone: 'Europe/Paris' });
  const day = dateTimeFormat(intl, { dateStyle: 'long', timeZone: 'UTC' });
  return { int: (v: number | null) => (v === null ? '—' : int.format(v)), date: (d: Date) => date.format(d), day: (iso: string) => day.format(new Date(`${iso}T00:00:00Z`)) };
}

export function TerritoryAdminView({ data, values, errors }: { data: TerritoryAdmin; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const f = useFormat();
  const paris = data.paris;
  const parisValues: FormValues = values ?? (paris ? { houseMedian: paris.house_median?.toString(), flatMedian: paris.flat_median?.toString(), sourceNote: paris.source_note ?? '', sourceUrl: paris.source_url ?? '', sourceDate: paris.source_date ?? '' } : {});
  return (
    <AdminShell title={t('territory.admin.title')}>
      <h1>{t('territory.admin.title')}</h1>
      <p class="lead">{t('territory.admin.lead')}</p>

      <form action="/admin/territoire" method="get" role="search" class="filters">
        <div class="field">
          <label for="f-q">{t('territory.admin.search')}</label>
          <input id="f-q" name="q" type="search" value={data.q} maxLength={100} />
        </div>
        <button type="submit" class="button button-secondary">
          {t('territory.admin.searchSubmit')}
        </button>
      </form>
      {data.q && (
        <section aria-labelledby="resultats">
          <h2 id="resultats">{t('territory.admin.results')}</h2>
          {data.results.length ? (
            <ul>
              {data.results.map((c) => (
                <li key={c.insee}>
                  <a href={`/admin/territoire/communes/${c.insee}`}>
                    {c.name} ({c.insee})
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('territory.admin.noResult')}</p>
          )}
        </section>
      )}

      <section aria-labelledby="corrections">
        <h2 id="corrections">{t('territory.admin.corrections')}</h2>
        <Table
          rows={data.corrections}
          rowKey={(c) => `${c.insee}-${c.figure}`}
          empty={t('territory.admin.noCorrection')}
          columns={[
            { key: 'commune', header: t('territory.admin.col.commune'), rowHeader: true, render: (c) => <a href={`/admin/territoire/communes/${c.insee}`}>{c.name}</a> },
            { key: 'figure', header: t('territory.admin.col.figure'), render: (c) => t(`territory.figure.${c.figure}`) },
            { key: 'value', header: t('territory.admin.col.value'), align: 'end', render: (c) => f.int(c.value) },
            { key: 'imported', header: t('territory.admin.col.imported'), align: 'end', render: (c) => f.int(c.imported_value) },
            { key: 'note', header: t('territory.admin.col.note'), render: (c) => c.note },
            { key: 'by', header: t('territory.admin.col.by'), render: (c) => c.author_name ?? '—' },
            { key: 'date', header: t('territory.admin.col.date'), render: (c) => f.date(c.created_at) },
          ]}
        />
      </section>

      <section aria-labelledby="doublons">
        <h2 id="doublons">{t('territory.duplicates.title')}</h2>
        <p>
          <a href="/admin/territoire/doublons">{t('territory.duplicates.link')}</a>
        </p>
      </section>

      <section aria-labelledby="paris">
        <h2 id="paris">{t('territory.admin.paris.title')}</h2>
        <p>{t('territory.admin.paris.lead')}</p>
        {paris && (
          <p>
            {t('territory.admin.paris.current', {
              house: paris.house_median ? `${f.int(paris.house_median)} €/m²` : '—',
              flat: paris.flat_median ? `${f.int(paris.flat_median)} €/m²` : '—',
              source: paris.source_note ?? '',
              date: paris.source_date ? f.day(paris.source_date) : '',
            })}
          </p>
        )}
        <Form action="/admin/territoire/prix-paris">
          <ErrorSummary errors={errors ?? {}} />
          <Field name="houseMedian" label={t('territory.admin.paris.house')} values={parisValues} errors={errors} inputMode="numeric" maxLength={9} />
          <Field name="flatMedian" label={t('territory.admin.paris.flat')} values={parisValues} errors={errors} inputMode="numeric" maxLength={9} />
          <Field name="sourceNote" label={t('territory.admin.paris.source')} hint={t('territory.admin.paris.sourceHint')} values={parisValues} errors={errors} required maxLength={500} />
          <Field name="sourceUrl" label={t('territory.admin.paris.url')} type="url" values={parisValues} errors={errors} maxLength={500} />
          <Field name="sourceDate" label={t('territory.admin.paris.date')} type="date" values={parisValues} errors={errors} required />
          <Button>{t('territory.admin.paris.save')}</Button>
        </Form>
        {paris && (
          <Form action="/admin/territoire/prix-paris/retirer">
            <Button variant="danger">{t('territory.admin.paris.remove')}</Button>
          </Form>
        )}
      </section>
    </AdminShell>
  );
}

export function CommuneCorrectionsView({ data, values, errors }: { data: CommuneCorrections; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const f = useFormat();
  const title = t('territory.admin.commune.title', { name: data.name });
  return (
    <AdminShell title={title}>
      <h1>{title}</h1>
      <p class="lead">{t('territory.admin.commune.lead')}</p>
      <p class="actions">
        <a href={`/villages/${data.insee}`}>{t('territory.admin.commune.view')}</a>
        <a href="/admin/territoire">{t('territory.admin.commune.back')}</a>
      </p>

      <section aria-labelledby="nouvelle">
        <h2 id="nouvelle">{t('territory.admin.commune.form')}</h2>
        <Form action={`/admin/territoire/communes/${data.insee}/corrections`}>
          <ErrorSummary errors={errors ?? {}} />
          <Select
            name="figure"
            label={t('territory.admin.commune.figure')}
            values={values}
            errors={errors}
            required
            options={[{ value: '', label: '—' }, ...data.figures.map((fig) => ({ value: fig.key, label: `${t(`territory.figure.${fig.key}`)} (${f.int(fig.value)})` }))]}
          />
          <Field name="value" label={t('territory.admin.commune.value')} hint={t('territory.admin.commune.valueHint')} values={values} errors={errors} required inputMode="numeric" maxLength={12} />
          <TextArea name="note" label={t('territory.admin.commune.note')} hint={t('territory.admin.commune.noteHint')} values={values} errors={errors} required rows={3} maxLength={1000} />
          <Button>{t('territory.admin.commune.save')}</Button>
        </Form>
      </section>

      <section aria-labelledby="chiffres">
        <h2 id="chiffres">{t('territory.admin.commune.figures')}</h2>
        <Table
          rows={data.figures}
          rowKey={(fig) => fig.key}
          columns={[
            { key: 'figure', header: t('territory.admin.col.figure'), rowHeader: true, render: (fig) => t(`territory.figure.${fig.key}`) },
            { key: 'value', header: t('territory.admin.col.value'), align: 'end', render: (fig) => f.int(fig.value) },
            { key: 'imported', header: t('territory.admin.col.imported'), align: 'end', render: (fig) => f.int(fig.importedValue) },
            {
              key: 'note',
              header: t('territory.admin.col.note'),
              render: (fig) => (fig.correction ? `${fig.correction.note} (${fig.correction.author ?? '—'}, ${f.date(fig.correction.at)})` : t('territory.admin.commune.none')),
            },
            {
              key: 'action',
              header: t('territory.admin.col.action'),
              render: (fig) =>
                fig.correction && (
                  <Form action={`/admin/territoire/communes/${data.insee}/corrections/${fig.key}/retirer`} class="inline-form">
                    <button type="submit" class="link-button" aria-label={t('territory.admin.commune.removeLabel', { figure: t(`territory.figure.${fig.key}`) })}>
                      {t('territory.admin.commune.remove')}
                    </button>
                  </Form>
                ),
            },
          ]}
        />
      </section>
    </AdminShell>
  );
}

/** Records of an imported list (festivals, cinemas) marked as duplicates of another: counts and pages leave them out. */
export function DuplicatesView({ data, values, errors }: { data: DuplicatesAdmin; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const f = useFormat();
  const name = (n: string | null, key: string) => (n ? `${n} (${key})` : t('territory.duplicates.gone', { key }));
  return (
    <AdminShell title={t('territory.duplicates.title')}>
      <h1>{t('territory.duplicates.title')}</h1>
      <p class="lead">{t('territory.duplicates.lead')}</p>
      <p>
        <a href="/admin/territoire">{t('territory.admin.commune.back')}</a>
      </p>
      <section aria-labelledby="marquer">
        <h2 id="marquer">{t('territory.duplicates.form')}</h2>
        <Form action="/admin/territoire/doublons">
          <ErrorSummary errors={errors ?? {}} />
          <Select
            name="kind"
            label={t('territory.duplicates.kind')}
            values={values}
            errors={errors}
            required
            options={[
              { value: '', label: '—' },
              { value: 'festival', label: t('territory.duplicates.kind.festival') },
              { value: 'cinema', label: t('territory.duplicates.kind.cinema') },
            ]}
          />
          <Field name="recordKey" label={t('territory.duplicates.recordKey')} hint={t('territory.duplicates.recordKeyHint')} values={values} errors={errors} required maxLength={100} />
          <Field name="duplicateOf" label={t('territory.duplicates.duplicateOf')} hint={t('territory.duplicates.duplicateOfHint')} values={values} errors={errors} required maxLength={100} />
          <TextArea name="note" label={t('territory.admin.commune.note')} hint={t('territory.duplicates.noteHint')} values={values} errors={errors} required rows={3} maxLength={1000} />
          <Button>{t('territory.duplicates.save')}</Button>
        </Form>
      </section>
      <section aria-labelledby="marques">
        <h2 id="marques">{t('territory.duplicates.list')}</h2>
        <Table
          rows={data.duplicates}
          rowKey={(d) => String(d.id)}
          empty={t('territory.duplicates.none')}
          columns={[
            { key: 'record', header: t('territory.duplicates.col.record'), rowHeader: true, render: (d) => name(d.record_name, d.record_key) },
            { key: 'kind', header: t('territory.duplicates.kind'), render: (d) => t(`territory.duplicates.kind.${d.kind}`) },
            { key: 'original', header: t('territory.duplicates.col.original'), render: (d) => name(d.original_name, d.duplicate_of) },
            { key: 'commune', header: t('territory.admin.col.commune'), render: (d) => (d.record_insee ? <a href={`/villages/${d.record_insee}`}>{d.record_insee}</a> : '—') },
            { key: 'note', header: t('territory.admin.col.note'), render: (d) => d.note },
            { key: 'by', header: t('territory.admin.col.by'), render: (d) => d.author_name ?? '—' },
            { key: 'date', header: t('territory.admin.col.date'), render: (d) => f.date(d.created_at) },
            {
              key: 'action',
              header: t('territory.admin.col.action'),
              render: (d) => (
                <Form action={`/admin/territoire/doublons/${d.id}/retirer`} class="inline-form">
                  <button type="submit" class="link-button" aria-label={t('territory.duplicates.removeLabel', { key: d.record_key })}>
                    {t('territory.duplicates.remove')}
                  </button>
                </Form>
              ),
            },
          ]}
        />
      </section>
    </AdminShell>
  );
}

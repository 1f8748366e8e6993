/** The import's pages: the upload form, the mapping screen, the dry run with the apply form, the applied import. */
import { formatDateTime, formatDay } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkbox, ErrorSummary, Form, Select, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Pagination } from '../../../web/components/pagination.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { PAYMENT_METHODS } from '../members.common.js';
import { useEuros } from '../members.components.views.js';
import { TARGET_FIELDS } from './imports.formats.js';
import type { getImportReview, getMappingForm, LineReport, Reason } from './imports.service.js';

export const REVIEW_PAGE_SIZE = 200;

function Back() {
  const { t } = usePage();
  return (
    <p class="small">
      <a href="/admin/adherents">{t('members.staff.back')}</a>
    </p>
  );
}

function MethodSelect({ values, errors }: { values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <Select
      name="defaultMethod"
      label={t('members.import.defaultMethod')}
      hint={t('members.import.defaultMethodHint')}
      values={values}
      errors={errors}
      options={PAYMENT_METHODS.filter((m) => m !== 'online').map((m) => ({ value: m, label: t(`members.dues.method.${m}`) }))}
    />
  );
}

/** The upload: multipart, the CSRF field first (checked before the file is read). */
export function ImportUploadView({ values, errors = {}, maxMb }: { values?: FormValues; errors?: FieldErrors; maxMb: number }) {
  const { t } = usePage();
  const error = errors.file ?? errors._form;
  return (
    <AdminShell title={t('members.import.title')}>
      <Back />
      <h1>{t('members.import.title')}</h1>
      <p>{t('members.import.lead')}</p>
      <p>{t('members.import.matching')}</p>
      <Form action="/admin/adherents/import" enctype="multipart/form-data">
        <ErrorSummary errors={error ? { file: error } : {}} />
        <div class={error ? 'field field-error' : 'field'}>
          <label for="f-file">
            {t('members.import.file')}
            <span class="required"> ({t('form.required')})</span>
          </label>
          <p class="hint" id="h-file">
            {t('members.import.fileHint', { max: maxMb })}
          </p>
          {error && (
            <p class="error-message" id="e-file">
              {t(error, { max: maxMb })}
            </p>
          )}
          <input
            id="f-file"
            name="file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'h-file e-file' : 'h-file'}
          />
        </div>
        <MethodSelect values={values ?? { defaultMethod: 'transfer' }} />
        <Button>{t('members.import.upload')}</Button>
      </Form>
    </AdminShell>
  );
}

type MappingData = Awaited<ReturnType<typeof getMappingForm>>;

/** For each field, the file's column that holds it (with a few values of each column to recognise it). */
export function ImportMappingView({ data, values, errors = {} }: { data: MappingData; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const current: FormValues = values ?? {
    defaultMethod: data.defaultMethod,
    ...Object.fromEntries(Object.entries(data.mapping).map(([f, i]) => [f, String(i)])),
  };
  const options = [
    { value: '', label: t('members.import.mapping.none') },
    ...data.headers.map((h, i) => ({ value: String(i), label: data.samples[i].length ? `${h || `#${i + 1}`} (${t('members.import.mapping.sample', { values: data.samples[i].join(', ') })})` : h || `#${i + 1}` })),
  ];
  return (
    <AdminShell title={t('members.import.mapping.title')}>
      <p class="small">
        <a href="/admin/adherents/import">{t('members.import.again')}</a>
      </p>
      <h1>{t('members.import.mapping.title')}</h1>
      <p>{t('members.import.mapping.lead', { file: data.fileName })}</p>
      <Form action={`/admin/adherents/import/${data.id}/colonnes`}>
        <ErrorSummary errors={errors} />
        {TARGET_FIELDS.map((f) => (
          <Select key={f} name={f} label={t(`members.import.field.${f}`)} values={current} errors={errors} required={f === 'email'} options={options} />
        ))}
        <MethodSelect values={current} errors={errors} />
        <Button>{t('members.import.mapping.save')}</Button>
      </Form>
    </AdminShell>
  );
}

function ReasonList({ reasons }: { reasons: Reason[] }) {
  const { t } = usePage();
  if (reasons.length === 1) return <>{t(reasons[0].key, reasons[0].params)}</>;
  return (
    <ul class="compact">
      {reasons.map((r, i) => (
        <li key={i}>{t(r.key, r.params)}</li>
      ))}
    </ul>
  );
}

function Details({ l }: { l: LineReport }) {
  const { t, intl } = usePage();
  const euros = useEuros();
  if (l.outcome === 'rejected') return <ReasonList reasons={l.reasons} />;
  const parts: string[] = [];
  if (l.outcome === 'create') parts.push(t('members.import.review.newMember'));
  if (l.changes.length) parts.push(t('members.import.review.changes', { fields: l.changes.map((f) => t(`members.import.field.${f}`).toLowerCase()).join(', ') }));
  if (l.dues) parts.push(t('members.import.review.duesLine', { date: formatDay(l.dues.paidOn, intl), amount: euros(l.dues.amountCents) }));
  if (l.outcome === 'unchanged') parts.push(t('members.import.review.nothing'));
  return <>{parts.join(' ; ')}</>;
}

function LinesTable({ caption, lines, empty }: { caption: string; lines: LineReport[]; empty: string }) {
  const { t } = usePage();
  return (
    <Table
      caption={caption}
      captionHidden
      rows={lines}
      rowKey={(l) => l.line}
      empty={empty}
      columns={[
        { key: 'line', header: t('members.import.review.line'), rowHeader: true, align: 'end', render: (l) => String(l.line) },
        {
          key: 'person',
          header: t('members.import.review.person'),
          render: (l) => (
            <>
              {l.name}
              {l.email && (
                <>
                  <br />
                  <span class="small">{l.email}</span>
                </>
              )}
            </>
          ),
        },
        { key: 'outcome', header: t('members.import.review.outcome'), render: (l) => <span class={`tag import-${l.outcome}`}>{t(`members.import.outcome.${l.outcome}`)}</span> },
        { key: 'details', header: t('members.import.review.details'), render: (l) => <Details l={l} /> },
      ]}
    />
  );
}

type Review = Awaited<ReturnType<typeof getImportReview>>;

export function ImportReviewView({ review, page, errors = {}, values }: { review: Review; page: number; errors?: FieldErrors; values?: FormValues }) {
  const { t, intl } = usePage();
  const source = t(`members.import.source.${review.source}`);
  if (review.state === 'mapping') return null;
  if (review.state === 'applied') {
    const s = review.summary;
    return (
      <AdminShell title={t('members.import.applied.title')}>
        <Back />
        <h1>{t('members.import.applied.title')}</h1>
        <p>{t('members.import.applied.lead', { file: review.fileName, date: formatDateTime(review.appliedAt, intl) })}</p>
        <p>{t('members.import.flash.applied', { ...s })}</p>
        <p>
          <a href="/admin/adherents/import">{t('members.import.again')}</a>
        </p>
      </AdminShell>
    );
  }
  const { summary: s, lines } = review;
  const rejected = lines.filter((l) => l.outcome === 'rejected');
  const pages = Math.max(1, Math.ceil(lines.length / REVIEW_PAGE_SIZE));
  const shown = lines.slice((Math.min(page, pages) - 1) * REVIEW_PAGE_SIZE, Math.min(page, pages) * REVIEW_PAGE_SIZE);
  const counts: [string, number][] = [
    [t('members.import.review.lines'), s.lines],
    [t('members.import.outcome.create'), s.create],
    [t('members.import.outcome.update'), s.update],
    [t('members.import.outcome.unchanged'), s.unchanged],
    [t('members.import.outcome.rejected'), s.rejected],
    [t('members.import.review.dues'), s.dues],
  ];
  return (
    <AdminShell title={t('members.import.review.title')}>
      <p class="small">
        <a href="/admin/adherents/import">{t('members.import.again')}</a> · <a href={`/admin/adherents/import/${review.id}/colonnes`}>{t('members.import.mapping.change')}</a>
      </p>
      <h1>{t('members.import.review.title')}</h1>
      <p>{t('members.import.review.lead', { file: review.fileName, source })}</p>
      <section aria-labelledby="resume">
        <h2 id="resume">{t('members.import.review.counts')}</h2>
        <dl class="facts">
          {counts.map(([label, n]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{n}</dd>
            </div>
          ))}
        </dl>
        <p class="small source">{t('members.import.review.countsSource', { date: formatDateTime(review.createdAt, intl) })}</p>
        <p class="small">
          {t('members.import.review.columns')} : {review.columns.map((c) => `${t(`members.import.field.${c.field}`)} ← « ${c.header} »`).join(' ; ')}
        </p>
      </section>
      <section aria-labelledby="refusees">
        <h2 id="refusees">{t('members.import.review.rejectedTitle')}</h2>
        <LinesTable caption={t('members.import.review.rejectedTitle')} lines={rejected} empty={t('members.import.review.noRejected')} />
      </section>
      <section aria-labelledby="appliquer">
        <h2 id="appliquer">{t('members.import.apply.title')}</h2>
        <Form action={`/admin/adherents/import/${review.id}/appliquer`}>
          <ErrorSummary errors={errors} />
          {rejected.length > 0 && <p>{t('members.import.apply.blocked', { count: rejected.length })}</p>}
          {rejected.length > 0 && <Checkbox name="excludeRejected" label={t('members.import.apply.exclude')} values={values} errors={errors} />}
          <p class="hint">{t('members.import.apply.note')}</p>
          <Button>{t('members.import.apply.submit')}</Button>
        </Form>
      </section>
      <section aria-labelledby="toutes">
        <h2 id="toutes">{t('members.import.review.allTitle')}</h2>
        <LinesTable caption={t('members.import.review.allTitle')} lines={shown} empty={t('members.import.noLines')} />
        <Pagination page={Math.min(page, pages)} pages={pages} baseQuery={{}} />
      </section>
    </AdminShell>
  );
}

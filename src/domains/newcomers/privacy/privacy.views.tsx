/**
 * Privacy and retention on screen: the household's documents and deletion request on /mon-projet, the team's
 * "personal data" section of the case page, the deletion confirmation page and /admin/accueil/conservation.
 */
import { formatDate } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkbox, ErrorSummary, Form, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table, type Column } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { DocumentsTable, DocumentUploadForm } from '../documents/index.js';
import type { getRetentionWork, OwnRecords, StaffRecords } from './privacy.service.js';
import { RETENTION_MONTHS } from './privacy.rules.js';

export interface RecordsForms {
  documents?: { errors?: FieldErrors };
  anonymise?: { values?: FormValues; errors?: FieldErrors };
}

/** On /mon-projet: the household's documents, then its deletion request (or the link to make one). */
export function MyRecordsSection({ records, forms = {} }: { records: OwnRecords; forms?: RecordsForms }) {
  const { t, intl } = usePage();
  return (
    <>
      <section aria-labelledby="documents-titre" id="documents">
        <h2 id="documents-titre">{t('newcomers.documents.title')}</h2>
        <p>{t('newcomers.documents.householdLead')}</p>
        <DocumentsTable documents={records.documents} maxDocuments={records.maxDocuments} viewer="household" />
        <DocumentUploadForm action="/mon-projet/documents" errors={forms.documents?.errors} maxBytes={records.maxBytes} maxDocuments={records.maxDocuments} />
      </section>
      <section aria-labelledby="suppression-titre" id="suppression">
        <h2 id="suppression-titre">{t('newcomers.privacy.confirm.title')}</h2>
        {records.deletionRequestedAt ? (
          <>
            <p class="alert alert-info">{t('newcomers.privacy.my.requested', { date: formatDate(records.deletionRequestedAt, intl) })}</p>
            <Form action="/mon-projet/suppression/annuler">
              <p class="hint">{t('newcomers.privacy.my.withdrawHint')}</p>
              <Button variant="secondary">{t('newcomers.privacy.my.withdraw')}</Button>
            </Form>
          </>
        ) : (
          <p>
            <a href="/mon-projet/suppression">{t('newcomers.privacy.my.ask')}</a>
          </p>
        )}
      </section>
    </>
  );
}

/** The confirmation step before a household's deletion request is recorded. */
export function DeletionConfirmView({ errors = {} }: { errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <Layout title={t('newcomers.privacy.confirm.title')} narrow>
      <h1>{t('newcomers.privacy.confirm.title')}</h1>
      <p class="lead">{t('newcomers.privacy.confirm.lead')}</p>
      <p>{t('newcomers.privacy.confirm.what')}</p>
      <p>{t('newcomers.privacy.confirm.kept')}</p>
      <p>
        {t('newcomers.privacy.confirm.export')}{' '}
        <a href="/mon-projet/donnees.json" download="mes-donnees.json">
          {t('newcomers.my.download')}
        </a>
      </p>
      <Form action="/mon-projet/suppression">
        <ErrorSummary errors={errors} />
        <Checkbox name="confirm" label={t('newcomers.privacy.confirm.check')} errors={errors} />
        <button type="submit" class="button button-danger">
          {t('newcomers.privacy.confirm.submit')}
        </button>{' '}
        <a href="/mon-projet">{t('newcomers.privacy.confirm.cancel')}</a>
      </Form>
    </Layout>
  );
}

function AnonymiseForm({ caseId, number, form = {} }: { caseId: string; number: number; form?: RecordsForms['anonymise'] }) {
  const { t } = usePage();
  return (
    <Form action={`/admin/accueil/${caseId}/anonymiser`}>
      <Checkbox name="confirmAnonymise" label={t('newcomers.privacy.staff.confirm', { number })} values={form.values} errors={form.errors} />
      <button type="submit" class="button button-danger">
        {t('newcomers.privacy.staff.anonymise')}
      </button>
    </Form>
  );
}

/** On the team's case page: documents, then retention date, deletion request and the anonymise action. */
export function CaseRecordsSection({ caseId, number, records, forms = {} }: { caseId: string; number: number; records: StaffRecords; forms?: RecordsForms }) {
  const { t, intl } = usePage();
  const r = records.retention;
  const late = r?.deletionDeadline && r.deletionDeadline.getTime() < records.now.getTime();
  return (
    <>
      <section aria-labelledby="documents-titre" id="documents">
        <h2 id="documents-titre">{t('newcomers.documents.title')}</h2>
        <p>{t('newcomers.documents.staffLead')}</p>
        <DocumentsTable documents={records.documents} maxDocuments={records.maxDocuments} viewer="staff" caseId={caseId} />
        <DocumentUploadForm action={`/admin/accueil/${caseId}/documents`} errors={forms.documents?.errors} maxBytes={records.maxBytes} maxDocuments={records.maxDocuments} />
      </section>
      {r && (
        <section class="card" aria-labelledby="donnees-titre" id="donnees">
          <h2 id="donnees-titre">{t('newcomers.privacy.staff.title')}</h2>
          {r.deletionRequestedAt && (
            <p class="alert alert-error">
              {t('newcomers.privacy.staff.requested', { date: formatDate(r.deletionRequestedAt, intl), deadline: formatDate(r.deletionDeadline!, intl) })}
              {late && <strong> · {t('newcomers.privacy.staff.late')}</strong>}
            </p>
          )}
          <p>
            {t('newcomers.privacy.staff.retention', { date: formatDate(r.retentionUntil, intl) })}{' '}
            <span class="small muted">({t(`newcomers.privacy.staff.rule.${r.rule}`, { months: r.months })})</span>
          </p>
          {r.retentionUntil.getTime() <= records.now.getTime() && <p>{t('newcomers.privacy.staff.past')}</p>}
          <p class="small">{t('newcomers.privacy.staff.anonymiseLead')}</p>
          <ErrorSummary errors={forms.anonymise?.errors ?? {}} />
          <AnonymiseForm caseId={caseId} number={number} form={forms.anonymise} />
        </section>
      )}
    </>
  );
}

/** The page lists many cases: each links to its case page, where the anonymisation is confirmed. */
function AnonymiseLink({ caseId, number }: { caseId: string; number: number }) {
  const { t } = usePage();
  return (
    <a href={`/admin/accueil/${caseId}#donnees`}>
      {t('newcomers.privacy.staff.anonymise')} <span class="visually-hidden">{t('newcomers.privacy.col.case')} {number}</span>
    </a>
  );
}

function Stage({ stage }: { stage: string }) {
  const { t } = usePage();
  return <span class={`stage stage-${stage}`}>{t(`newcomers.stage.${stage}`)}</span>;
}

type RetentionWork = Awaited<ReturnType<typeof getRetentionWork>>;
type RetentionRow = RetentionWork['requests'][number];

/** /admin/accueil/conservation */
export function RetentionView({ data }: { data: RetentionWork }) {
  const { t, intl } = usePage();
  const title = t('newcomers.privacy.page.title');
  const caseColumn: Column<RetentionRow> = {
    key: 'case',
    header: t('newcomers.privacy.col.case'),
    rowHeader: true,
    render: (r) => <a href={`/admin/accueil/${r.id}#donnees`}>{t('newcomers.privacy.caseLink', { number: r.number, name: r.contact_name })}</a>,
  };
  const stageColumn: Column<RetentionRow> = { key: 'stage', header: t('newcomers.privacy.col.stage'), render: (r) => <Stage stage={r.stage} /> };
  const actionColumn: Column<RetentionRow> = { key: 'action', header: t('newcomers.privacy.col.action'), render: (r) => <AnonymiseLink caseId={r.id} number={r.number} /> };
  return (
    <AdminShell title={title}>
      <h1>{title}</h1>
      <p class="lead">{t('newcomers.privacy.page.lead')}</p>
      <h2>{t('newcomers.privacy.page.rules')}</h2>
      <ul>
        {(Object.keys(RETENTION_MONTHS) as (keyof typeof RETENTION_MONTHS)[]).map((rule) => (
          <li key={rule}>{t(`newcomers.privacy.page.rule.${rule}`, { months: RETENTION_MONTHS[rule] })}</li>
        ))}
      </ul>

      <h2 id="demandes">{t('newcomers.privacy.page.requests')}</h2>
      <Table
        caption={t('newcomers.privacy.page.requests')}
        captionHidden
        rows={data.requests}
        rowKey={(r) => r.id}
        empty={t('newcomers.privacy.page.noRequests')}
        columns={[
          caseColumn,
          stageColumn,
          { key: 'requestedAt', header: t('newcomers.privacy.col.requestedAt'), render: (r) => formatDate(r.deletion_requested_at!, intl) },
          {
            key: 'deadline',
            header: t('newcomers.privacy.col.deadline'),
            render: (r) => (
              <>
                {formatDate(r.deletion_deadline, intl)}
                {r.deletion_deadline.getTime() < data.now.getTime() && <strong> · {t('newcomers.privacy.staff.late')}</strong>}
              </>
            ),
          },
          actionColumn,
        ]}
      />

      <h2 id="echues">{t('newcomers.privacy.page.expired')}</h2>
      <Table
        caption={t('newcomers.privacy.page.expired')}
        captionHidden
        rows={data.expired}
        rowKey={(r) => r.id}
        empty={t('newcomers.privacy.page.noExpired')}
        columns={[
          caseColumn,
          stageColumn,
          { key: 'lastActivity', header: t('newcomers.privacy.col.lastActivity'), render: (r) => formatDate(r.last_activity_at, intl) },
          { key: 'retention', header: t('newcomers.privacy.col.retention'), render: (r) => formatDate(r.retention_until, intl) },
          actionColumn,
        ]}
      />
      {data.requests.length + data.expired.length >= data.limit && <p>{t('newcomers.privacy.page.limit', { limit: data.limit })}</p>}
    </AdminShell>
  );
}

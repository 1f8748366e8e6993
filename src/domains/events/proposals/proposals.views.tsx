/** The member's proposal form and their proposals, one proposal's page, the team's list of proposals (approve, decline with a message). Pure views. */
import { formatDateTime } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { WhereWhenFields } from '../events.views.js';
import { CoverSection, type CoverFormState } from '../staff/index.js';
import type { MyProposal, ProposalFormData, ProposalRow } from './proposals.service.js';

export function ProposalFormView({ data, values, errors }: { data: ProposalFormData; values?: FormValues; errors?: FieldErrors }) {
  const { t, locale, intl } = usePage();
  const choose = { value: '', label: t('events.form.choose') };
  return (
    <Layout title={t('events.proposals.title')}>
      <h1>{t('events.proposals.title')}</h1>
      <p class="lead">{t('events.proposals.lead')}</p>
      {errors && <ErrorSummary errors={errors} />}
      <Form action="/agenda/proposer">
        <Field name="titre" label={t('events.form.title')} values={values} errors={errors} required maxLength={160} />
        <TextArea name="description" label={t('events.form.description')} hint={t('events.form.descriptionHint')} values={values} errors={errors} rows={8} />
        <Select name="type" label={t('events.field.type')} values={values} errors={errors} required options={[choose, ...data.types.map((ty) => ({ value: ty.key, label: locale === 'fr' ? ty.label_fr : ty.label_en }))]} />
        <WhereWhenFields places={data.places} communes={data.communes} values={values} errors={errors} />
        <Field name="places" label={t('events.form.capacityLabel')} values={values} errors={errors} required inputMode="numeric" maxLength={5} />
        <Button>{t('events.proposals.send')}</Button>
      </Form>
      {data.mine.length > 0 && (
        <section aria-labelledby="mine-title">
          <h2 id="mine-title">{t('events.proposals.mine')}</h2>
          <ul class="cards">
            {data.mine.map((p) => (
              <li key={p.id} class="card">
                <h3 class="card-title">
                  <a href={`/agenda/proposer/${p.id}`}>{p.title}</a>
                </h3>
                <p>
                  {formatDateTime(p.starts_at, intl)} · <strong>{t(`events.proposals.status.${p.proposal_status}`)}</strong>
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

/** One of the member's proposals: where it stands, the team's message, the public page once published, its cover. */
export function MyProposalView({ data, cover }: { data: MyProposal; cover: CoverFormState }) {
  const { t, intl } = usePage();
  const p = data.proposal;
  return (
    <Layout title={p.title}>
      <p class="back-link">
        <a href="/agenda/proposer">{t('events.proposals.title')}</a>
      </p>
      <h1>{p.title}</h1>
      <p>
        {formatDateTime(p.starts_at, intl)} · <strong>{t(`events.proposals.status.${p.proposal_status}`)}</strong>
      </p>
      {p.proposal_message && (
        <p>
          {t('events.proposals.teamMessage')} {p.proposal_message}
        </p>
      )}
      {p.proposal_status === 'approved' && p.status === 'published' && (
        <p>
          <a href={`/agenda/${p.slug}`}>{t('events.proposals.publicPage')}</a>
        </p>
      )}
      {data.coverOpen ? (
        <>
          <p>{t('events.proposals.coverLead')}</p>
          <CoverSection event={p} state={cover} base={`/agenda/proposer/${p.id}`} />
        </>
      ) : (
        <p>{t('events.proposals.coverClosed')}</p>
      )}
    </Layout>
  );
}

export function ProposalsView({ proposals, failed }: { proposals: ProposalRow[]; failed?: { id: number; values: FormValues; errors: FieldErrors } }) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('events.proposals.staffTitle')}>
      <p class="back-link">
        <a href="/admin/agenda">{t('events.staff.title')}</a>
      </p>
      <h1>{t('events.proposals.staffTitle')}</h1>
      {failed && <ErrorSummary errors={failed.errors} />}
      {proposals.length === 0 && <p>{t('events.proposals.none')}</p>}
      <ul class="cards">
        {proposals.map((p) => (
          <li key={p.id} class="card">
            <h2 class="card-title">
              <a href={`/admin/agenda/${p.id}`}>{p.title}</a>
            </h2>
            <p>
              {t('events.proposals.by', { name: p.member_name ?? p.organiser ?? '—', date: formatDateTime(p.created_at, intl) })} · {formatDateTime(p.starts_at, intl)}
            </p>
            <p>
              <strong>{t(`events.proposals.status.${p.proposal_status}`)}</strong>
              {p.proposal_message && <> · {p.proposal_message}</>}
            </p>
            {p.proposal_status === 'pending' && (
              <>
                <Form action={`/admin/agenda/propositions/${p.id}/approuver`} scope={`a-${p.id}`}>
                  <Button>{t('events.proposals.approve')}</Button>
                </Form>
                <Form action={`/admin/agenda/propositions/${p.id}/refuser`} scope={`d-${p.id}`}>
                  <TextArea
                    name="message"
                    label={t('events.proposals.message')}
                    hint={t('events.proposals.messageHint')}
                    values={failed?.id === p.id ? failed.values : undefined}
                    errors={failed?.id === p.id ? failed.errors : undefined}
                    rows={3}
                    required
                  />
                  <Button variant="secondary">{t('events.proposals.decline')}</Button>
                </Form>
              </>
            )}
          </li>
        ))}
      </ul>
    </AdminShell>
  );
}

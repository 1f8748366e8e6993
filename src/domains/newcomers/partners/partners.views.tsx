/**
 * Partners' screens: the staff list and profile form (/admin/accueil/partenaires), the partners section of the
 * staff case page, and the partner area (/partenaire): the cases shared with the partner and the limited view of one.
 */
import type { CaseStage } from '../../../db/schema.js';
import { formatDate, formatDateTime } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { PARTNER_KINDS, PARTNER_THEMES } from './partners.schemas.js';
import { HouseholdTables, TargetVillagesFact } from '../cases/index.js';
import type { CasePartners, MySharedCases, PartnerForStaff, PartnerListRow, SharedCase } from './partners.service.js';

export interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
}

/** The stage as on the staff pages (same classes); kept here so the staff views can include this file's section. */
function StageBadge({ stage }: { stage: CaseStage }) {
  const { t } = usePage();
  return <span class={`stage stage-${stage}`}>{t(`newcomers.stage.${stage}`)}</span>;
}

// ---------------------------------------------------------------------------------------------- staff: profiles

export function PartnersListView({ rows }: { rows: PartnerListRow[] }) {
  const { t } = usePage();
  const title = t('newcomers.partners.admin.title');
  return (
    <AdminShell title={title}>
      <p class="small">
        <a href="/admin/accueil">{t('newcomers.staff.backToList')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t('newcomers.partners.admin.lead')}</p>
      <Table
        caption={title}
        captionHidden
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('newcomers.partners.admin.none')}
        columns={[
          {
            key: 'organisation',
            header: t('newcomers.partners.col.organisation'),
            rowHeader: true,
            render: (r) => (
              <>
                <a href={`/admin/accueil/partenaires/${r.id}`}>{r.profile?.organisation ?? r.name}</a>
                {!r.profile && <span class="small muted"> · {t('newcomers.partners.admin.noProfile')}</span>}
              </>
            ),
          },
          {
            key: 'account',
            header: t('newcomers.partners.col.account'),
            render: (r) => (
              <>
                {r.name}
                <br />
                <span class="small">{r.email}</span>
              </>
            ),
          },
          { key: 'kind', header: t('newcomers.partners.col.kind'), render: (r) => (r.profile ? t(`newcomers.partners.kind.${r.profile.kind}`) : '—') },
          { key: 'communes', header: t('newcomers.partners.col.communes'), render: (r) => (r.profile?.communes.length ? r.profile.communes.map((c) => c.name).join(', ') : '—') },
          { key: 'theme', header: t('newcomers.partners.col.theme'), render: (r) => (r.profile?.theme ? t(`newcomers.partners.theme.${r.profile.theme}`) : '—') },
          { key: 'shares', header: t('newcomers.partners.col.shares'), align: 'end', render: (r) => r.liveShares },
        ]}
      />
    </AdminShell>
  );
}

export function PartnerEditView({ partner, form = {} }: { partner: PartnerForStaff; form?: FormState }) {
  const { t } = usePage();
  const title = t('newcomers.partners.edit.title', { name: partner.account.name });
  const values: FormValues = form.values ?? partner.values;
  const errors = form.errors ?? {};
  return (
    <AdminShell title={title}>
      <p class="small">
        <a href="/admin/accueil/partenaires">{t('newcomers.partners.edit.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('newcomers.partners.edit.account', { email: partner.account.email })}</p>
      <Form action={`/admin/accueil/partenaires/${partner.account.id}`}>
        <ErrorSummary errors={errors} />
        <Field name="organisation" label={t('newcomers.partners.edit.organisation')} hint={t('newcomers.partners.edit.organisationHint')} values={values} errors={errors} required maxLength={160} />
        <Select
          name="kind"
          label={t('newcomers.partners.col.kind')}
          values={values}
          errors={errors}
          required
          options={[{ value: '', label: t('newcomers.apply.choose') }, ...PARTNER_KINDS.map((k) => ({ value: k, label: t(`newcomers.partners.kind.${k}`) }))]}
        />
        <Field name="communes" label={t('newcomers.partners.edit.communes')} hint={t('newcomers.partners.edit.communesHint')} values={values} errors={errors} maxLength={1000} />
        <Select
          name="theme"
          label={t('newcomers.partners.col.theme')}
          hint={t('newcomers.partners.edit.themeHint')}
          values={values}
          errors={errors}
          options={[{ value: '', label: t('newcomers.partners.theme.none') }, ...PARTNER_THEMES.map((k) => ({ value: k, label: t(`newcomers.partners.theme.${k}`) }))]}
        />
        <Button>{t('newcomers.partners.edit.save')}</Button>
      </Form>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- staff: the case page

function Suggestion({ choice }: { choice: CasePartners['choices'][number] }) {
  const { t } = usePage();
  const why = [
    ...(choice.communes.length ? [t('newcomers.partners.share.whyCommunes', { communes: choice.communes.join(', ') })] : []),
    ...(choice.theme ? [t('newcomers.partners.share.whyTheme', { theme: t(`newcomers.partners.theme.${choice.theme}`) })] : []),
  ];
  return <>{why.length ? `${choice.name} (${why.join(' ; ')})` : choice.name}</>;
}

/** Sharing with partners, the partners' notes and who opened the case: one section of the staff case page. */
export function CasePartnersSection({ data }: { data: CasePartners & { form?: FormState } }) {
  const { t, intl, csrfToken } = usePage();
  const form = data.form ?? {};
  const live = data.shares.filter((s) => !s.revoked_at);
  const past = data.shares.filter((s) => s.revoked_at);
  const suggested = data.choices.filter((c) => c.suggested);
  const others = data.choices.filter((c) => !c.suggested);
  return (
    <section aria-labelledby="partenaires" id="partenaires-section">
      <h2 id="partenaires">{t('newcomers.partners.case.title')}</h2>
      <ErrorSummary errors={form.errors ?? {}} />
      {!data.consent && (
        <p class="alert alert-info" role="note">
          {t('newcomers.partners.case.noConsent')}
        </p>
      )}
      <h3>{t('newcomers.partners.case.sharedWith')}</h3>
      {live.length === 0 ? (
        <p>{t('newcomers.partners.case.notShared')}</p>
      ) : (
        <ul class="shares">
          {live.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong> · {t('newcomers.partners.case.sharedOn', { date: formatDate(s.shared_at, intl) })}
              {s.shared_by_name && <span class="small muted"> · {t('newcomers.timeline.by', { name: s.shared_by_name })}</span>}
              {!data.consent && <strong> · {t('newcomers.partners.case.suspended')}</strong>}{' '}
              <form method="post" action={`/admin/accueil/${data.caseId}/partenaires/${s.partner_id}/retrait`} class="inline-form">
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button type="submit" class="button button-secondary">
                  {t('newcomers.partners.case.revoke')} <span class="visually-hidden">{t('newcomers.partners.case.revokeLabel', { name: s.name })}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {past.length > 0 && (
        <details>
          <summary>{t('newcomers.partners.case.revokedCount', { count: past.length })}</summary>
          <ul class="small">
            {past.map((s) => (
              <li key={s.id}>{t('newcomers.partners.case.revokedLine', { name: s.name, from: formatDate(s.shared_at, intl), to: formatDate(s.revoked_at!, intl) })}</li>
            ))}
          </ul>
        </details>
      )}
      {data.consent && (
        <>
          <h3>{t('newcomers.partners.case.shareTitle')}</h3>
          {data.choices.length === 0 ? (
            <p>{t('newcomers.partners.case.noChoice')}</p>
          ) : (
            <>
              {suggested.length > 0 ? <p class="hint">{t('newcomers.partners.case.suggestedHint', { count: suggested.length })}</p> : <p class="hint">{t('newcomers.partners.case.noSuggestion')}</p>}
              <Form action={`/admin/accueil/${data.caseId}/partenaires`} class="inline-fields">
                <div class={form.errors?.partnerId ? 'field field-error' : 'field'}>
                  <label for="f-partnerId">{t('newcomers.partners.case.partner')}</label>
                  {form.errors?.partnerId && (
                    <p class="error-message" id="e-partnerId">
                      {t(form.errors.partnerId)}
                    </p>
                  )}
                  <select id="f-partnerId" name="partnerId" aria-invalid={form.errors?.partnerId ? 'true' : undefined} aria-describedby={form.errors?.partnerId ? 'e-partnerId' : undefined}>
                    <option value="">{t('newcomers.apply.choose')}</option>
                    {suggested.length > 0 && (
                      <optgroup label={t('newcomers.partners.case.suggested')}>
                        {suggested.map((c) => (
                          <option key={c.id} value={c.id} selected={form.values?.partnerId === c.id}>
                            <Suggestion choice={c} />
                          </option>
                        ))}
                      </optgroup>
                    )}
                    {others.length > 0 && (
                      <optgroup label={t('newcomers.partners.case.others')}>
                        {others.map((c) => (
                          <option key={c.id} value={c.id} selected={form.values?.partnerId === c.id}>
                            {c.name}
                          </option>
                        ))}
                      </optgroup>
                    )}
                  </select>
                </div>
                <Button variant="secondary">{t('newcomers.partners.case.share')}</Button>
              </Form>
              <p class="small">{t('newcomers.partners.case.mailHint')}</p>
            </>
          )}
        </>
      )}

      <h3>{t('newcomers.partners.case.notesTitle')}</h3>
      {data.notes.length === 0 ? (
        <p>{t('newcomers.partners.case.noNotes')}</p>
      ) : (
        <ol class="thread">
          {data.notes.map((n) => (
            <li key={n.id} class="message">
              <p class="message-meta">
                <strong>{n.name ?? t('newcomers.partners.case.formerPartner')}</strong> · <time dateTime={n.created_at.toISOString()}>{formatDateTime(n.created_at, intl)}</time>
              </p>
              <p class="message-body">{n.body}</p>
            </li>
          ))}
        </ol>
      )}

      <h3 id="consultations">{t('newcomers.partners.case.viewsTitle')}</h3>
      <Table
        caption={t('newcomers.partners.case.viewsCaption', { shown: data.views.rows.length, total: data.views.total })}
        rows={data.views.rows}
        rowKey={(v) => v.id}
        empty={t('newcomers.partners.case.noViews')}
        columns={[
          { key: 'when', header: t('newcomers.partners.col.when'), render: (v) => <time dateTime={v.at.toISOString()}>{formatDateTime(v.at, intl)}</time> },
          { key: 'partner', header: t('newcomers.partners.col.partner'), render: (v) => v.name },
          {
            key: 'outcome',
            header: t('newcomers.partners.col.outcome'),
            render: (v) => (v.refused ? <strong class="overdue">{t('newcomers.partners.case.refused')}</strong> : t('newcomers.partners.case.viewed')),
          },
        ]}
      />
    </section>
  );
}

// ---------------------------------------------------------------------------------------------- the partner area

export function PartnerHomeView({ data }: { data: MySharedCases }) {
  const { t, intl } = usePage();
  const title = t('newcomers.partners.home.title');
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      {data.organisation && <p class="lead">{t('newcomers.partners.home.as', { organisation: data.organisation })}</p>}
      <p>{t('newcomers.partners.home.lead')}</p>
      <p>
        <a class="button button-secondary" href="/partenaire/offres">
          {t('newcomers.partners.home.offer')}
        </a>
      </p>
      <Table
        caption={t('newcomers.partners.home.caption', { count: data.rows.length })}
        rows={data.rows}
        rowKey={(r) => r.id}
        empty={t('newcomers.partners.home.none')}
        columns={[
          { key: 'case', header: t('newcomers.partners.col.case'), rowHeader: true, render: (r) => <a href={`/partenaire/dossiers/${r.id}`}>{t('newcomers.case.number', { number: r.number })}</a> },
          { key: 'firstNames', header: t('newcomers.partners.col.firstNames'), render: (r) => r.firstNames.join(', ') || '—' },
          { key: 'projects', header: t('newcomers.col.projects'), render: (r) => r.projects.map((p) => t(`newcomers.project.${p}`)).join(', ') },
          { key: 'villages', header: t('newcomers.col.villages'), render: (r) => r.villages.join(', ') || '—' },
          { key: 'stage', header: t('newcomers.col.stage'), render: (r) => <StageBadge stage={r.stage} /> },
          { key: 'sharedOn', header: t('newcomers.partners.col.sharedOn'), render: (r) => formatDate(r.shared_at, intl) },
        ]}
      />
    </Layout>
  );
}

export function SharedCaseView({ data, form = {} }: { data: SharedCase; form?: FormState }) {
  const { t, intl } = usePage();
  const c = data.case;
  const title = t('newcomers.partners.shared.title', { number: c.number });
  return (
    <Layout title={title}>
      <p class="small">
        <a href="/partenaire">{t('newcomers.partners.shared.back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="hint">{t('newcomers.partners.shared.privacy')}</p>
      <dl class="case-summary">
        <div>
          <dt>{t('newcomers.case.contact')}</dt>
          <dd>
            {c.contact_name}
            <br />
            <a href={`mailto:${c.contact_email}`}>{c.contact_email}</a>
            {c.phone && <> · {c.phone}</>}
          </dd>
        </div>
        <div>
          <dt>{t('newcomers.col.stage')}</dt>
          <dd>
            <StageBadge stage={c.stage} />
          </dd>
        </div>
        <div>
          <dt>{t('newcomers.partners.col.sharedOn')}</dt>
          <dd>{formatDate(c.shared_at, intl)}</dd>
        </div>
      </dl>

      <section aria-labelledby="foyer">
        <h2 id="foyer">{t('newcomers.case.household')}</h2>
        <HouseholdTables adults={data.adults} children={data.children} />
        <dl class="facts">
          <TargetVillagesFact targets={data.targets} text={c.target_text} />
          <div>
            <dt>{t('newcomers.case.needs')}</dt>
            <dd>{c.needs.length ? c.needs.map((n) => t(`newcomers.need.${n}`)).join(', ') : '—'}</dd>
          </div>
          <div>
            <dt>{t('newcomers.case.timing')}</dt>
            <dd>{t(`newcomers.timing.${c.timing}`)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="notes-partenaire" id="notes">
        <h2 id="notes-partenaire">{t('newcomers.partners.shared.notesTitle')}</h2>
        <p class="hint">{t('newcomers.partners.shared.notesHint')}</p>
        {data.notes.length > 0 && (
          <ol class="thread">
            {data.notes.map((n) => (
              <li key={n.id} class="message message-mine">
                <p class="message-meta">
                  <time dateTime={n.created_at.toISOString()}>{formatDateTime(n.created_at, intl)}</time>
                </p>
                <p class="message-body">{n.body}</p>
              </li>
            ))}
          </ol>
        )}
        <Form action={`/partenaire/dossiers/${c.id}/notes`}>
          <ErrorSummary errors={form.errors ?? {}} />
          <TextArea name="body" label={t('newcomers.partners.shared.write')} values={form.values} errors={form.errors} required maxLength={4000} rows={4} />
          <Button>{t('newcomers.partners.shared.add')}</Button>
        </Form>
      </section>
    </Layout>
  );
}

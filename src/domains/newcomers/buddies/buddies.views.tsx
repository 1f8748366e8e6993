/**
 * Buddies (parrainage): the staff case page's section, the staff list of buddies (/admin/accueil/parrains), the
 * member's own page (/parrainage) and the household's "Votre parrain / marraine".
 */
import { formatDate } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkboxes, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { CaseBuddies, HouseholdBuddy, MyBuddyPage, StaffBuddyList } from './buddies.service.js';
import { MAX_HOUSEHOLDS } from './buddies.schemas.js';
import { PROJECTS } from '../cases/index.js';

interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
}

function ProjectList({ projects }: { projects: string[] }) {
  const { t } = usePage();
  if (!projects.length) return <>—</>;
  return <>{projects.map((p) => t(`newcomers.project.${p}`)).join(', ')}</>;
}

/** The fields of an offer, shared by the member's page and the staff form. */
function OfferFields({ form, communes }: { form: FormState; communes: { insee: string; name: string }[] }) {
  const { t } = usePage();
  return (
    <>
      <Select
        name="homeInsee"
        label={t('newcomers.buddies.homeCommune')}
        values={form.values}
        errors={form.errors}
        required
        options={[{ value: '', label: t('newcomers.followups.chooseOption') }, ...communes.map((c) => ({ value: c.insee, label: c.name }))]}
      />
      <Checkboxes
        name="projects"
        legend={t('newcomers.buddies.projects')}
        hint={t('newcomers.buddies.projectsHint')}
        values={form.values}
        errors={form.errors}
        options={PROJECTS.map((p) => ({ value: p, label: t(`newcomers.project.${p}`) }))}
      />
      <TextArea name="presentation" label={t('newcomers.buddies.presentation')} hint={t('newcomers.buddies.presentationHint')} values={form.values} errors={form.errors} maxLength={600} rows={4} />
      <Select
        name="maxHouseholds"
        label={t('newcomers.buddies.maxHouseholds')}
        values={form.values}
        errors={form.errors}
        required
        options={Array.from({ length: MAX_HOUSEHOLDS }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }))}
      />
    </>
  );
}

// ---------------------------------------------------------------------------------------------- the staff case page

/** The case page's "Parrainage" section; its form state comes back under `forms.buddy`. */
export function CaseBuddySection({ file, forms = {} }: { file: { case: { id: string }; buddies: CaseBuddies }; forms?: { buddy?: FormState } }) {
  const { t, intl } = usePage();
  const caseId = file.case.id;
  const data = file.buddies;
  const form = forms.buddy ?? {};
  const active = data.active;
  return (
    <section class="card" aria-labelledby="parrainage" id="parrainage-section">
      <h2 id="parrainage">{t('newcomers.buddies.title')}</h2>
      <ErrorSummary errors={form.errors ?? {}} />
      {active ? (
        <>
          <p>
            {t('newcomers.buddies.current', { name: active.display_name, commune: active.homeName ?? '—' })}{' '}
            <a href={`mailto:${active.email}`}>{active.email}</a>
          </p>
          <p class="small muted">
            {t('newcomers.buddies.confirmedOn', { date: formatDate(active.confirmed_at, intl), by: active.confirmed_by_name ?? '—' })}
          </p>
          <Form action={`/admin/accueil/${caseId}/parrainage/fin`} class="inline-form">
            <Button variant="secondary">{t('newcomers.buddies.end')}</Button>
          </Form>
        </>
      ) : (
        <Table
          class="buddy-table"
          caption={t(data.basis === 'settled' ? 'newcomers.buddies.captionSettled' : 'newcomers.buddies.captionTargets')}
          rows={data.suggestions}
          rowKey={(s) => s.userId}
          empty={t('newcomers.buddies.noSuggestion')}
          columns={[
            {
              key: 'name',
              header: t('newcomers.buddies.col.name'),
              rowHeader: true,
              render: (s) => (
                <>
                  {s.name}
                  {s.presentation && <span class="small muted sub">{s.presentation}</span>}
                </>
              ),
            },
            { key: 'commune', header: t('newcomers.buddies.col.commune'), render: (s) => s.homeName },
            // Right-aligned cells under a header left as it was.
            { key: 'distance', header: t('newcomers.buddies.col.distance'), className: 'num', render: (s) => (s.km === null ? '—' : t('newcomers.buddies.km', { km: s.km })) },
            { key: 'shared', header: t('newcomers.buddies.col.shared'), render: (s) => <ProjectList projects={s.shared} /> },
            { key: 'load', header: t('newcomers.buddies.col.load'), render: (s) => (s.full ? t('newcomers.buddies.full') : t('newcomers.buddies.load', { active: s.active, max: s.max })) },
            {
              key: 'action',
              header: t('newcomers.buddies.col.action'),
              render: (s) =>
                s.full ? (
                  '—'
                ) : (
                  <Form action={`/admin/accueil/${caseId}/parrainage`} class="inline-form">
                    <input type="hidden" name="buddyId" value={s.userId} />
                    <Button variant="secondary">{t('newcomers.buddies.confirmWith', { name: s.name })}</Button>
                  </Form>
                ),
            },
          ]}
        />
      )}
      {data.ended.length > 0 && (
        <>
          <h3>{t('newcomers.buddies.past')}</h3>
          <ul>
            {data.ended.map((p) => (
              <li key={p.id}>
                {t('newcomers.buddies.pastItem', { name: p.display_name, from: formatDate(p.confirmed_at, intl), to: p.ended_at ? formatDate(p.ended_at, intl) : '' })}
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="small">
        <a href="/admin/accueil/parrains">{t('newcomers.buddies.allBuddies')}</a>
      </p>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------- staff: every buddy

export function StaffBuddiesView({ data, form = {} }: { data: StaffBuddyList; form?: FormState }) {
  const { t, intl } = usePage();
  const title = t('newcomers.buddies.staffTitle');
  return (
    <AdminShell title={title}>
      <p class="small">
        <a href="/admin/accueil">{t('newcomers.staff.backToList')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t('newcomers.buddies.staffLead')}</p>
      <Table
        class="buddy-table"
        caption={t('newcomers.buddies.staffCaption', { n: data.buddies.length })}
        rows={data.buddies}
        rowKey={(b) => b.user_id}
        empty={t('newcomers.buddies.noneYet')}
        columns={[
          {
            key: 'name',
            header: t('newcomers.buddies.col.name'),
            rowHeader: true,
            render: (b) => (
              <>
                {b.display_name}
                <span class="small sub">{b.email}</span>
                {b.presentation && <span class="small muted sub">{b.presentation}</span>}
              </>
            ),
          },
          { key: 'commune', header: t('newcomers.buddies.col.commune'), render: (b) => b.homeName },
          { key: 'projects', header: t('newcomers.buddies.projects'), render: (b) => <ProjectList projects={b.projects} /> },
          {
            key: 'load',
            header: t('newcomers.buddies.col.load'),
            render: (b) =>
              b.withdrawn_at
                ? t('newcomers.buddies.withdrawnOn', { date: formatDate(b.withdrawn_at, intl) })
                : b.active >= b.max_households
                  ? t('newcomers.buddies.full')
                  : t('newcomers.buddies.load', { active: b.active, max: b.max_households }),
          },
          {
            key: 'households',
            header: t('newcomers.buddies.col.households'),
            render: (b) =>
              b.pairings.length === 0 ? (
                '—'
              ) : (
                <ul class="plain">
                  {b.pairings.map((p) => (
                    <li key={p.case_id}>
                      <a href={`/admin/accueil/${p.case_id}#parrainage`}>{t('newcomers.case.title', { number: p.number, name: p.contact_name })}</a>
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            key: 'action',
            header: t('newcomers.buddies.col.action'),
            render: (b) =>
              b.withdrawn_at ? (
                '—'
              ) : (
                <Form action={`/admin/accueil/parrains/${b.user_id}/retrait`} class="inline-form">
                  <Button variant="secondary">{t('newcomers.buddies.unmark', { name: b.display_name })}</Button>
                </Form>
              ),
          },
        ]}
      />
      <section class="card" aria-labelledby="inscrire">
        <h2 id="inscrire">{t('newcomers.buddies.markTitle')}</h2>
        <p>{t('newcomers.buddies.markLead')}</p>
        <Form action="/admin/accueil/parrains">
          <ErrorSummary errors={form.errors ?? {}} />
          <Field name="email" type="email" label={t('newcomers.buddies.memberEmail')} values={form.values} errors={form.errors} required autocomplete="off" maxLength={254} />
          <OfferFields form={form} communes={data.communes} />
          <Button>{t('newcomers.buddies.mark')}</Button>
        </Form>
      </section>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- the member's page

export function MyBuddyView({ data, form }: { data: MyBuddyPage; form?: FormState }) {
  const { t, intl } = usePage();
  const b = data.buddy;
  const offering = !!b && !b.withdrawn_at;
  const values: FormValues = form?.values ?? (b ? { homeInsee: b.home_insee, projects: b.projects, presentation: b.presentation ?? '', maxHouseholds: String(b.max_households) } : { maxHouseholds: '1' });
  const state = { values, errors: form?.errors };
  return (
    <Layout title={t('newcomers.buddies.myTitle')}>
      <h1>{t('newcomers.buddies.myTitle')}</h1>
      <p class="lead">{t('newcomers.buddies.myLead')}</p>
      <p>{offering ? t('newcomers.buddies.myOffering', { date: formatDate(b.opted_in_at, intl), commune: data.homeName ?? '' }) : t('newcomers.buddies.myNotOffering')}</p>

      <section aria-labelledby="foyers">
        <h2 id="foyers">{t('newcomers.buddies.myHouseholds')}</h2>
        {data.households.length === 0 ? (
          <p>{t('newcomers.buddies.myNoHousehold')}</p>
        ) : (
          <ul class="cards">
            {data.households.map((h) => (
              <li key={h.id} class="card">
                <h3>{h.firstName}</h3>
                <p>
                  {t('newcomers.buddies.householdSummary', { adults: h.adults, children: h.children })} · <ProjectList projects={h.projects} />
                </p>
                {h.villages.length > 0 && <p>{t('newcomers.buddies.villages', { villages: h.villages.map((v) => v.name).join(', ') })}</p>}
                <p>
                  {t('newcomers.buddies.writeTo')} <a href={`mailto:${h.email}`}>{h.email}</a>
                </p>
                <p class="small muted">{t('newcomers.buddies.since', { date: formatDate(h.since, intl) })}</p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="offre">
        <h2 id="offre">{offering ? t('newcomers.buddies.myUpdate') : t('newcomers.buddies.myOffer')}</h2>
        <Form action="/parrainage">
          <ErrorSummary errors={state.errors ?? {}} />
          <OfferFields form={state} communes={data.communes} />
          <Button>{offering ? t('newcomers.buddies.save') : t('newcomers.buddies.optIn')}</Button>
        </Form>
        {offering && (
          <Form action="/parrainage/retrait">
            <p>{t('newcomers.buddies.withdrawLead')}</p>
            <Button variant="secondary">{t('newcomers.buddies.withdraw')}</Button>
          </Form>
        )}
      </section>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- the household's page

export function MyBuddySection({ buddy }: { buddy: HouseholdBuddy }) {
  const { t } = usePage();
  if (!buddy) return null;
  return (
    <section class="card" aria-labelledby="parrain" id="parrain-section">
      <h2 id="parrain">{t('newcomers.buddies.yourBuddy')}</h2>
      <p>{buddy.commune ? t('newcomers.buddies.yourBuddyIs', { name: buddy.name, commune: buddy.commune }) : buddy.name}</p>
      <p>
        {t('newcomers.buddies.writeTo')} <a href={`mailto:${buddy.email}`}>{buddy.email}</a>
      </p>
    </section>
  );
}

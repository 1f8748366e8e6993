/**
 * Discovery stays on screen: the team's list and stay page (settings, programme, applications, attendance), the
 * "Séjours" section of the staff case page, and the household's side (the section of /mon-projet and a stay's page).
 */
import { formatDate, formatDay } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table, type Column } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { DECISIONS, ITEM_KINDS, MAX_PEOPLE, STAY_STATUSES } from './stays.schemas.js';
import type { CaseStayApplication, ProgrammeItem, StayForHousehold, StayForStaff, StaysOfCase, StaySummary } from './stays.service.js';
import { dateTimeFormat } from '../../../shared/formatters.js';

export interface StayFormState {
  values?: FormValues;
  errors?: FieldErrors;
}
export type StayForms = Partial<Record<'stay' | 'item' | 'decision' | 'attendance', StayFormState>>;

/** A time of day ('14:30') the way the site writes times: "14 h 30" in French, "14:30" in English. */
function formatTime(time: string, locale: string) {
  const parts = dateTimeFormat(locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(`1970-01-01T${time}:00Z`));
  const h = parts.find((p) => p.type === 'hour')?.value ?? '';
  const m = parts.find((p) => p.type === 'minute')?.value ?? '';
  return locale.startsWith('fr') ? `${Number(h)} h ${m}` : `${h}:${m}`;
}

function Dates({ from, to }: { from: string; to: string }) {
  const { t, intl } = usePage();
  return <>{from === to ? formatDay(from, intl) : t('newcomers.stays.dates', { from: formatDay(from, intl), to: formatDay(to, intl) })}</>;
}

/** Status words always shown as text (never colour alone). */
function ApplicationStatus({ status, attended }: { status: string; attended?: boolean | null }) {
  const { t } = usePage();
  return (
    <span class="tag">
      {t(`newcomers.stays.status.${status}`)}
      {attended !== null && attended !== undefined && ` · ${t(attended ? 'newcomers.stays.attended' : 'newcomers.stays.absent')}`}
    </span>
  );
}

function Programme({ items, caption, removeFrom }: { items: ProgrammeItem[]; caption: string; removeFrom?: number }) {
  const { t, intl } = usePage();
  const columns: Column<ProgrammeItem>[] = [
    { key: 'day', header: t('newcomers.stays.day'), render: (i) => formatDay(i.day, intl) },
    { key: 'time', header: t('newcomers.stays.time'), render: (i) => formatTime(i.starts_at, intl) },
    { key: 'kind', header: t('newcomers.stays.kind'), render: (i) => t(`newcomers.stays.kind.${i.kind}`) },
    { key: 'title', header: t('newcomers.stays.itemTitle'), rowHeader: true, render: (i) => i.title },
    {
      key: 'place',
      header: t('newcomers.stays.place'),
      render: (i) => (
        <>
          {i.place ? `${i.place}, ` : ''}
          <a href={`/villages/${i.insee}`}>{i.commune_name}</a>
        </>
      ),
    },
  ];
  if (removeFrom !== undefined)
    columns.push({
      key: 'actions',
      header: <span class="visually-hidden">{t('newcomers.stays.actions')}</span>,
      render: (i) => (
        <Form action={`/admin/accueil/sejours/${removeFrom}/programme/${i.id}/suppression`} class="inline-form">
          <button type="submit" class="button button-secondary">
            {t('newcomers.stays.remove')} <span class="visually-hidden">{i.title}</span>
          </button>
        </Form>
      ),
    });
  return <Table caption={caption} rows={items} rowKey={(i) => i.id} empty={t('newcomers.stays.programmeEmpty')} columns={columns} />;
}

function StayFields({ form, values }: { form: StayFormState; values: FormValues }) {
  const { t } = usePage();
  const v = form.values ?? values;
  const errors = form.errors;
  return (
    <>
      <Field name="title" label={t('newcomers.stays.title')} values={v} errors={errors} required maxLength={160} />
      <TextArea name="summary" label={t('newcomers.stays.summary')} hint={t('newcomers.stays.summaryHint')} values={v} errors={errors} maxLength={2000} rows={3} />
      <div class="inline-fields">
        <Field name="startsOn" type="date" label={t('newcomers.stays.startsOn')} values={v} errors={errors} required />
        <Field name="endsOn" type="date" label={t('newcomers.stays.endsOn')} values={v} errors={errors} required />
        <Field name="applyBy" type="date" label={t('newcomers.stays.applyBy')} values={v} errors={errors} required />
      </div>
      <Field name="seats" type="number" inputMode="numeric" label={t('newcomers.stays.seats')} hint={t('newcomers.stays.seatsHint')} values={v} errors={errors} required />
      <Select
        name="status"
        label={t('newcomers.stays.state')}
        hint={t('newcomers.stays.stateHint')}
        values={v}
        errors={errors}
        required
        options={STAY_STATUSES.map((s) => ({ value: s, label: t(`newcomers.stays.state.${s}`) }))}
      />
    </>
  );
}

// ---------------------------------------------------------------------------------------------- staff: list

export function StaysListView({ stays, form = {} }: { stays: StaySummary[]; form?: StayFormState }) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('newcomers.stays.heading')}>
      <p class="small">
        <a href="/admin/accueil">{t('newcomers.staff.backToList')}</a>
      </p>
      <h1>{t('newcomers.stays.heading')}</h1>
      <p class="lead">{t('newcomers.stays.lead')}</p>
      <Table
        caption={t('newcomers.stays.heading')}
        rows={stays}
        rowKey={(s) => s.id}
        empty={t('newcomers.stays.none')}
        columns={[
          { key: 'title', header: t('newcomers.stays.title'), rowHeader: true, render: (s) => <a href={`/admin/accueil/sejours/${s.id}`}>{s.title}</a> },
          { key: 'when', header: t('newcomers.stays.when'), render: (s) => <Dates from={s.starts_on} to={s.ends_on} /> },
          { key: 'applyBy', header: t('newcomers.stays.applyBy'), render: (s) => formatDay(s.apply_by, intl) },
          { key: 'state', header: t('newcomers.stays.state'), render: (s) => t(`newcomers.stays.state.${s.status}`) },
          { key: 'seats', header: t('newcomers.stays.seats'), align: 'end', render: (s) => s.seats },
          { key: 'taken', header: t('newcomers.stays.taken'), align: 'end', render: (s) => s.taken },
          { key: 'left', header: t('newcomers.stays.left'), align: 'end', render: (s) => Math.max(0, s.seats - s.taken) },
          { key: 'pending', header: t('newcomers.stays.pending'), align: 'end', render: (s) => s.pending },
        ]}
      />
      <section class="card" aria-labelledby="nouveau-sejour">
        <h2 id="nouveau-sejour">{t('newcomers.stays.create')}</h2>
        <ErrorSummary errors={form.errors ?? {}} />
        <Form action="/admin/accueil/sejours">
          <StayFields form={form} values={{ status: 'draft', seats: '6' }} />
          <Button>{t('newcomers.stays.create')}</Button>
        </Form>
      </section>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- staff: one stay

export function StayView({ data, forms = {} }: { data: StayForStaff; forms?: StayForms }) {
  const { t, intl } = usePage();
  const s = data.stay;
  const started = s.starts_on <= data.today;
  // The list comes ordered by decision date: the waiting list's order is the order households were put on it.
  const waiting = data.applications.filter((a) => a.status === 'waiting').map((a) => a.id);
  const itemForm = forms.item ?? {};
  const applicationColumns: Column<StayForStaff['applications'][number]>[] = [
    {
      key: 'household',
      header: t('newcomers.col.household'),
      rowHeader: true,
      render: (a) => (
        <>
          <a href={`/admin/accueil/${a.case_id}`}>{a.contact_name}</a>
          <span class="small muted"> · {t('newcomers.case.number', { number: a.number })}</span>
          <br />
          <span class="small muted">{t('newcomers.stays.appliedOn', { date: formatDate(a.applied_at, intl) })}</span>
        </>
      ),
    },
    { key: 'stage', header: t('newcomers.col.stage'), render: (a) => <span class={`stage stage-${a.stage}`}>{t(`newcomers.stage.${a.stage}`)}</span> },
    { key: 'people', header: t('newcomers.stays.people'), align: 'end', render: (a) => a.people },
    { key: 'message', header: t('newcomers.stays.message'), className: 'pre', render: (a) => a.message ?? '—' },
    {
      key: 'decision',
      header: t('newcomers.stays.decision'),
      render: (a) => (
        <>
          <ApplicationStatus status={a.status} />
          {a.status === 'waiting' && <span class="small"> {t('newcomers.stays.waitingRank', { rank: waiting.indexOf(a.id) + 1 })}</span>}
          {a.status !== 'withdrawn' && (
            <Form action={`/admin/accueil/sejours/${s.id}/candidatures/${a.id}`} class="inline-fields">
              <label for={`decision-${a.id}`} class="visually-hidden">
                {t('newcomers.stays.decisionFor', { name: a.contact_name })}
              </label>
              <select id={`decision-${a.id}`} name="decision">
                {DECISIONS.map((d) => (
                  <option key={d} value={d} selected={a.status === d}>
                    {t(`newcomers.stays.decide.${d}`)}
                  </option>
                ))}
              </select>
              <button type="submit" class="button button-secondary">
                {t('newcomers.stays.decideButton')} <span class="visually-hidden">{a.contact_name}</span>
              </button>
            </Form>
          )}
        </>
      ),
    },
  ];
  if (started)
    applicationColumns.push({
      key: 'attendance',
      header: t('newcomers.stays.attendance'),
      render: (a) =>
        a.status === 'selected' ? (
          <>
            {a.attended !== null && (
              <p>
                <strong>{t(a.attended ? 'newcomers.stays.attended' : 'newcomers.stays.absent')}</strong>
              </p>
            )}
            <Form action={`/admin/accueil/sejours/${s.id}/candidatures/${a.id}/presence`} class="inline-form">
              <button type="submit" name="attended" value="1" class="button button-secondary" aria-pressed={a.attended === true ? 'true' : 'false'}>
                {t('newcomers.stays.markAttended')} <span class="visually-hidden">{a.contact_name}</span>
              </button>{' '}
              <button type="submit" name="attended" value="0" class="button button-secondary" aria-pressed={a.attended === false ? 'true' : 'false'}>
                {t('newcomers.stays.markAbsent')} <span class="visually-hidden">{a.contact_name}</span>
              </button>
            </Form>
          </>
        ) : (
          '—'
        ),
    });
  return (
    <AdminShell title={s.title}>
      <p class="small">
        <a href="/admin/accueil/sejours">{t('newcomers.stays.backToList')}</a>
      </p>
      <h1>{s.title}</h1>
      <dl class="case-summary">
        <div>
          <dt>{t('newcomers.stays.when')}</dt>
          <dd>
            <Dates from={s.starts_on} to={s.ends_on} />
          </dd>
        </div>
        <div>
          <dt>{t('newcomers.stays.state')}</dt>
          <dd>{t(`newcomers.stays.state.${s.status}`)}</dd>
        </div>
        <div>
          <dt>{t('newcomers.stays.seats')}</dt>
          <dd>{t('newcomers.stays.seatsSummary', { taken: s.taken, seats: s.seats, left: Math.max(0, s.seats - s.taken) })}</dd>
        </div>
        <div>
          <dt>{t('newcomers.stays.applyBy')}</dt>
          <dd>{formatDay(s.apply_by, intl)}</dd>
        </div>
      </dl>

      <section aria-labelledby="candidatures" id="candidatures-section">
        <h2 id="candidatures">{t('newcomers.stays.applications')}</h2>
        <ErrorSummary errors={{ ...(forms.decision?.errors ?? {}), ...(forms.attendance?.errors ?? {}) }} />
        <Table
          caption={t('newcomers.stays.applicationsCaption', { title: s.title })}
          rows={data.applications}
          rowKey={(a) => a.id}
          empty={t('newcomers.stays.noApplications')}
          columns={applicationColumns}
        />
        <p class="hint">{t('newcomers.stays.decisionHint')}</p>
      </section>

      <section aria-labelledby="programme">
        <h2 id="programme">{t('newcomers.stays.programme')}</h2>
        <Programme items={data.items} caption={t('newcomers.stays.programmeOf', { title: s.title })} removeFrom={s.id} />
        <h3>{t('newcomers.stays.addItem')}</h3>
        <ErrorSummary errors={itemForm.errors ?? {}} />
        <Form action={`/admin/accueil/sejours/${s.id}/programme`}>
          <div class="inline-fields">
            <Field name="day" type="date" label={t('newcomers.stays.day')} values={itemForm.values ?? { day: s.starts_on }} errors={itemForm.errors} required />
            <Field name="startsAt" type="time" label={t('newcomers.stays.time')} values={itemForm.values ?? { startsAt: '10:00' }} errors={itemForm.errors} required />
            <Select name="kind" label={t('newcomers.stays.kind')} values={itemForm.values} errors={itemForm.errors} required options={ITEM_KINDS.map((k) => ({ value: k, label: t(`newcomers.stays.kind.${k}`) }))} />
          </div>
          <Field name="itemTitle" label={t('newcomers.stays.itemTitle')} values={itemForm.values} errors={itemForm.errors} required maxLength={160} />
          <Field name="place" label={t('newcomers.stays.placeName')} hint={t('newcomers.stays.placeHint')} values={itemForm.values} errors={itemForm.errors} maxLength={160} />
          <Select
            name="insee"
            label={t('newcomers.stays.commune')}
            values={itemForm.values}
            errors={itemForm.errors}
            required
            options={[{ value: '', label: t('newcomers.apply.choose') }, ...data.communes.map((c) => ({ value: c.insee, label: c.name }))]}
          />
          <Button variant="secondary">{t('newcomers.stays.addItem')}</Button>
        </Form>
      </section>

      <section class="card" aria-labelledby="reglages">
        <h2 id="reglages">{t('newcomers.stays.settings')}</h2>
        <ErrorSummary errors={forms.stay?.errors ?? {}} />
        <Form action={`/admin/accueil/sejours/${s.id}`}>
          <StayFields
            form={forms.stay ?? {}}
            values={{ title: s.title, summary: s.summary ?? '', startsOn: s.starts_on, endsOn: s.ends_on, applyBy: s.apply_by, seats: String(s.seats), status: s.status }}
          />
          <Button>{t('newcomers.stays.save')}</Button>
        </Form>
      </section>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- staff: the case page

export function CaseStaysSection({ caseId, stays, form = {} }: { caseId: string; stays: StaysOfCase; form?: StayFormState }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="sejours" id="sejours-section">
      <h2 id="sejours">{t('newcomers.stays.caseTitle')}</h2>
      <StayApplicationsList applications={stays.mine} staff />
      <ErrorSummary errors={form.errors ?? {}} />
      {stays.enrollable.length > 0 || form.errors ? (
        <Form action={`/admin/accueil/${caseId}/sejours`} class="inline-fields">
          <Select
            name="stayId"
            label={t('newcomers.stays.enrolIn')}
            values={form.values}
            errors={form.errors}
            required
            options={[{ value: '', label: t('newcomers.apply.choose') }, ...stays.enrollable.map((s) => ({ value: String(s.id), label: `${s.title} (${t(`newcomers.stays.state.${s.status}`)})` }))]}
          />
          <Field name="people" type="number" inputMode="numeric" label={t('newcomers.stays.people')} values={form.values ?? { people: '2' }} errors={form.errors} required />
          <Button variant="secondary">{t('newcomers.stays.enrol')}</Button>
        </Form>
      ) : (
        <p class="small muted">{t('newcomers.stays.nothingToEnrol')}</p>
      )}
    </section>
  );
}

function StayApplicationsList({ applications, staff = false }: { applications: CaseStayApplication[]; staff?: boolean }) {
  const { t } = usePage();
  if (!applications.length) return <p>{t(staff ? 'newcomers.stays.caseNone' : 'newcomers.stays.myNone')}</p>;
  return (
    <ul>
      {applications.map((a) => (
        <li key={a.id}>
          {staff ? <a href={`/admin/accueil/sejours/${a.stay_id}`}>{a.title}</a> : <a href={`/mon-projet/sejours/${a.stay_id}`}>{a.title}</a>} ·{' '}
          <Dates from={a.starts_on} to={a.ends_on} /> · {t('newcomers.stays.peopleCount', { count: a.people })} · <ApplicationStatus status={a.status} attended={a.attended} />
        </li>
      ))}
    </ul>
  );
}

// ---------------------------------------------------------------------------------------------- the household

function StayFacts({ stay, items }: { stay: { starts_on: string; ends_on: string; apply_by: string; seats: number; taken: number; summary: string | null }; items: ProgrammeItem[] }) {
  const { t, intl } = usePage();
  const places = [...new Map(items.map((i) => [i.insee, i.commune_name])).values()];
  const left = Math.max(0, stay.seats - stay.taken);
  return (
    <>
      {stay.summary && <p class="pre">{stay.summary}</p>}
      <ul>
        <li>
          <Dates from={stay.starts_on} to={stay.ends_on} />
        </li>
        {places.length > 0 && <li>{t('newcomers.stays.places', { places: places.join(', ') })}</li>}
        <li>{left > 0 ? t('newcomers.stays.seatsLeft', { count: left }) : t('newcomers.stays.noSeatLeft')}</li>
        <li>{t('newcomers.stays.applyUntil', { date: formatDay(stay.apply_by, intl) })}</li>
      </ul>
    </>
  );
}

function ApplyFields({ form = {} }: { form?: StayFormState }) {
  const { t } = usePage();
  return (
    <>
      <Field name="people" type="number" inputMode="numeric" label={t('newcomers.stays.peopleComing')} hint={t('newcomers.stays.peopleHint', { max: MAX_PEOPLE })} values={form.values ?? { people: '2' }} errors={form.errors} required />
      <TextArea name="message" label={t('newcomers.stays.messageLabel')} hint={t('newcomers.stays.messageHint')} values={form.values} errors={form.errors} maxLength={1000} rows={3} />
    </>
  );
}

/**
 * The short form under each open stay of /mon-projet: its fields carry the stay's id, so several stays on one page
 * never share a field id. A mistake is shown on the stay's own page, with the full form.
 */
function QuickApply({ stayId }: { stayId: number }) {
  const { t } = usePage();
  return (
    <Form action={`/mon-projet/sejours/${stayId}`}>
      <div class="field">
        <label for={`people-${stayId}`}>
          {t('newcomers.stays.peopleComing')}
          <span class="required"> ({t('form.required')})</span>
        </label>
        <p class="hint" id={`people-hint-${stayId}`}>
          {t('newcomers.stays.peopleHint', { max: MAX_PEOPLE })}
        </p>
        <input id={`people-${stayId}`} name="people" type="number" inputMode="numeric" min={1} max={MAX_PEOPLE} value="2" required aria-describedby={`people-hint-${stayId}`} />
      </div>
      <div class="field">
        <label for={`message-${stayId}`}>{t('newcomers.stays.messageLabel')}</label>
        <p class="hint" id={`message-hint-${stayId}`}>
          {t('newcomers.stays.messageHint')}
        </p>
        <textarea id={`message-${stayId}`} name="message" rows={3} maxLength={1000} aria-describedby={`message-hint-${stayId}`} />
      </div>
      <Button>{t('newcomers.stays.apply')}</Button>
    </Form>
  );
}

/** The "Séjours découverte" section of /mon-projet. */
export function HouseholdStays({ stays }: { stays: StaysOfCase }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="sejours-titre" id="sejours">
      <h2 id="sejours-titre">{t('newcomers.stays.householdTitle')}</h2>
      <p>{t('newcomers.stays.householdLead')}</p>
      <h3>{t('newcomers.stays.myApplications')}</h3>
      <StayApplicationsList applications={stays.mine} />
      <h3>{t('newcomers.stays.openStays')}</h3>
      {stays.open.length === 0 && <p>{t('newcomers.stays.noOpenStay')}</p>}
      {stays.open.map((s) => (
        <article key={s.id} class="card" aria-labelledby={`sejour-${s.id}`}>
          <h4 id={`sejour-${s.id}`}>
            <a href={`/mon-projet/sejours/${s.id}`}>{s.title}</a>
          </h4>
          <StayFacts stay={s} items={s.items} />
          {s.applied ? (
            <p>
              <strong>{t('newcomers.stays.youApplied')}</strong>
            </p>
          ) : (
            <details>
              <summary>{t('newcomers.stays.applyTo', { title: s.title })}</summary>
              <QuickApply stayId={s.id} />
            </details>
          )}
        </article>
      ))}
    </section>
  );
}

/** A stay's page for the household: programme, its application, the form to apply or withdraw. */
export function HouseholdStayView({ data, form = {} }: { data: StayForHousehold; form?: StayFormState }) {
  const { t, intl } = usePage();
  const s = data.stay;
  const a = data.application;
  const canWithdraw = a && ['applied', 'selected', 'waiting'].includes(a.status) && s.starts_on > data.today;
  return (
    <Layout title={s.title}>
      <p class="small">
        <a href="/mon-projet#sejours">{t('newcomers.stays.backToProject')}</a>
      </p>
      <h1>{s.title}</h1>
      <StayFacts stay={s} items={data.items} />
      <h2>{t('newcomers.stays.programme')}</h2>
      <Programme items={data.items} caption={t('newcomers.stays.programmeOf', { title: s.title })} />
      <section aria-labelledby="ma-candidature">
        <h2 id="ma-candidature">{t('newcomers.stays.yourApplication')}</h2>
        <ErrorSummary errors={form.errors ?? {}} />
        {a && a.status !== 'withdrawn' && (
          <p>
            <ApplicationStatus status={a.status} />
          </p>
        )}
        {data.canApply ? (
          <Form action={`/mon-projet/sejours/${s.id}`}>
            <ApplyFields form={form} />
            <Button>{t('newcomers.stays.apply')}</Button>
          </Form>
        ) : (
          !a && <p>{s.status === 'closed' ? t('newcomers.stays.closed') : t('newcomers.stays.deadlinePassedOn', { date: formatDay(s.apply_by, intl) })}</p>
        )}
        {canWithdraw && (
          <Form action={`/mon-projet/sejours/${s.id}/retrait`}>
            <Button variant="danger">{t('newcomers.stays.withdraw')}</Button>
          </Form>
        )}
      </section>
    </Layout>
  );
}

/**
 * The trainings' pages: the back office's list of training kinds and authorisations (/admin/reservations/formations),
 * a kind's page (settings, machines, sessions), a session's page (who passed), and the pieces other pages of bookings
 * show: the person's authorisations on their account and the gate's refusal with the next session.
 */
import { formatDate, formatDateTime } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkboxes, ErrorSummary, Field, Form, Select, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import type { AuthorisationState, Gate, getKindForStaff, getSessionForStaff, listKindsForStaff, MyAuthorisation } from './authorisations.service.js';

type Machine = { id: number; name: string };
type Held = { state: AuthorisationState; until: Date | null };

function StateText({ a }: { a: Held }) {
  const { t, intl } = usePage();
  if (a.state === 'valid') return <>{t('bookings.gate.state.valid', { date: a.until ? formatDate(a.until, intl) : '' })}</>;
  return <strong>{t(`bookings.gate.state.${a.state}`, { date: a.until ? formatDate(a.until, intl) : '' })}</strong>;
}

function Back() {
  const { t } = usePage();
  return (
    <p class="back-link">
      <a href="/admin/reservations/formations">{t('bookings.gate.back')}</a>
    </p>
  );
}

function KindFields({ values, errors, machines }: { values: FormValues; errors?: FieldErrors; machines: Machine[] }) {
  const { t } = usePage();
  return (
    <>
      <ErrorSummary errors={errors ?? {}} />
      <Field name="nom" label={t('bookings.gate.field.name')} values={values} errors={errors} required maxLength={120} />
      <Field name="slug" label={t('bookings.gate.field.slug')} hint={t('bookings.gate.field.slugHint')} values={values} errors={errors} maxLength={80} />
      <Field name="validite" type="number" label={t('bookings.gate.field.validity')} hint={t('bookings.gate.field.validityHint')} values={values} errors={errors} required />
      <Field name="inactivite" type="number" label={t('bookings.gate.field.lapse')} hint={t('bookings.gate.field.lapseHint')} values={values} errors={errors} />
      {machines.length > 0 ? (
        <Checkboxes name="machines" legend={t('bookings.gate.field.machines')} hint={t('bookings.gate.field.machinesHint')} values={values} errors={errors} options={machines.map((m) => ({ value: String(m.id), label: m.name }))} />
      ) : (
        <p class="muted">{t('bookings.gate.noMachines')}</p>
      )}
    </>
  );
}

export function KindsView({ data, values, errors }: { data: Awaited<ReturnType<typeof listKindsForStaff>>; values?: FormValues; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('bookings.gate.title')}>
      <p class="back-link">
        <a href="/admin/reservations">{t('bookings.admin.back')}</a>
      </p>
      <h1>{t('bookings.gate.title')}</h1>
      <p class="lead">{t('bookings.gate.lead')}</p>
      <Table
        caption={t('bookings.gate.kinds')}
          wrap="region"
          captionId="habilitations-types"
        rows={data.kinds}
        rowKey={(k) => String(k.kind.id)}
        empty={t('bookings.gate.noKinds')}
        columns={[
          { key: 'name', header: t('bookings.gate.field.name'), rowHeader: true, render: (k) => <a href={`/admin/reservations/formations/${k.kind.id}`}>{k.kind.name}</a> },
          { key: 'machines', header: t('bookings.gate.field.machines'), render: (k) => k.machines.map((m) => m.name).join(', ') || '—' },
          { key: 'validity', header: t('bookings.gate.validityShort'), render: (k) => t('bookings.gate.months', { n: k.kind.validity_months }) },
          { key: 'lapse', header: t('bookings.gate.lapseShort'), render: (k) => (k.kind.lapse_months ? t('bookings.gate.months', { n: k.kind.lapse_months }) : t('bookings.gate.never')) },
          { key: 'sessions', header: t('bookings.gate.sessions'), render: (k) => k.sessions.map((s) => formatDate(s.startsAt, intl)).join(', ') || '—' },
        ]}
      />
      <section aria-labelledby="nouvelle-formation">
        <h2 id="nouvelle-formation">{t('bookings.gate.newKind')}</h2>
        <Form action="/admin/reservations/formations" scope="nouvelle">
          <KindFields values={values ?? { validite: '12', inactivite: '6' }} errors={errors} machines={data.machines} />
          <Button>{t('bookings.gate.createKind')}</Button>
        </Form>
      </section>
      <AuthorisationsTable rows={data.authorisations} caption={t('bookings.gate.allAuthorisations')} captionId="habilitations" withKind />
    </AdminShell>
  );
}

function AuthorisationsTable({ rows, caption, captionId, withKind }: { rows: (Held & { id: number; person_name: string; kind_name: string; granted_at: Date; granted_by_name: string | null })[]; caption: string; captionId: string; withKind?: boolean }) {
  const { t, intl } = usePage();
  return (
    <Table
      caption={caption}
      wrap="region"
      captionId={captionId}
      rows={rows}
      rowKey={(a) => String(a.id)}
      empty={t('bookings.gate.noAuthorisations')}
      columns={[
        { key: 'who', header: t('bookings.gate.person'), rowHeader: true, render: (a) => a.person_name },
        ...(withKind ? [{ key: 'kind', header: t('bookings.gate.training'), render: (a: (typeof rows)[number]) => a.kind_name }] : []),
        { key: 'granted', header: t('bookings.gate.grantedAt'), render: (a) => `${formatDate(a.granted_at, intl)}${a.granted_by_name ? ` (${a.granted_by_name})` : ''}` },
        { key: 'state', header: t('bookings.gate.stateHeader'), render: (a) => <StateText a={a} /> },
      ]}
    />
  );
}

export function KindView({ data, values, errors, linkErrors }: { data: Awaited<ReturnType<typeof getKindForStaff>>; values?: FormValues; errors?: FieldErrors; linkErrors?: FieldErrors }) {
  const { t, intl } = usePage();
  const k = data.kind;
  return (
    <AdminShell title={k.name}>
      <Back />
      <h1>{k.name}</h1>
      <section aria-labelledby="sessions">
        <h2 id="sessions">{t('bookings.gate.sessions')}</h2>
        {data.sessions.length ? (
          <ul>
            {data.sessions.map((s) => (
              <li key={s.id}>
                <a href={`/admin/reservations/formations/sessions/${s.id}`}>{t('bookings.gate.sessionLink', { title: s.title, date: formatDateTime(s.startsAt, intl) })}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('bookings.gate.noSessions')}</p>
        )}
        {data.unlinked.length > 0 ? (
          <Form action={`/admin/reservations/formations/${k.id}/sessions`} scope="session">
            <ErrorSummary errors={linkErrors ?? {}} />
            <Select
              name="evenement"
              label={t('bookings.gate.field.session')}
              hint={t('bookings.gate.field.sessionHint')}
              values={{}}
              errors={linkErrors}
              required
              options={[{ value: '', label: t('bookings.gate.field.chooseSession') }, ...data.unlinked.map((e) => ({ value: String(e.id), label: `${e.title} (${formatDateTime(e.startsAt, intl)})` }))]}
            />
            <Button variant="secondary">{t('bookings.gate.linkSession')}</Button>
          </Form>
        ) : (
          <p>
            {linkErrors?.evenement && <strong>{t(linkErrors.evenement)} </strong>}
            {t('bookings.gate.noTrainingEvents')} <a href="/admin/agenda/nouveau">{t('bookings.gate.newEvent')}</a>
          </p>
        )}
      </section>
      <section aria-labelledby="reglages">
        <h2 id="reglages">{t('bookings.gate.settings')}</h2>
        <Form action={`/admin/reservations/formations/${k.id}`} scope="reglages">
          <KindFields values={values ?? data.values} errors={errors} machines={data.machines} />
          <Button>{t('bookings.gate.save')}</Button>
        </Form>
      </section>
      <AuthorisationsTable rows={data.authorisations} caption={t('bookings.gate.kindAuthorisations', { kind: k.name })} captionId="habilitations" />
    </AdminShell>
  );
}

export function SessionView({ data, errors }: { data: Awaited<ReturnType<typeof getSessionForStaff>>; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  const withAccount = data.registrants.filter((r) => r.userId);
  const title = t('bookings.gate.sessionTitle', { title: data.event.title });
  return (
    <AdminShell title={title}>
      <p class="back-link">
        <a href={`/admin/reservations/formations/${data.session.training_kind_id}`}>{t('bookings.gate.backToKind', { kind: data.session.kind_name })}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t('bookings.gate.sessionLead', { date: formatDateTime(data.event.startsAt, intl), kind: data.session.kind_name, months: data.session.validity_months })}</p>
      {!data.started && <p class="alert alert-info">{t('bookings.gate.errors.notYet')}</p>}
      {withAccount.length ? (
        <Form action={`/admin/reservations/formations/sessions/${data.event.id}`} scope="reussites">
          <ErrorSummary errors={errors ?? {}} />
          <Checkboxes
            name="reussi"
            legend={t('bookings.gate.field.passed')}
            hint={t('bookings.gate.field.passedHint')}
            errors={errors}
            options={withAccount.map((r) => ({
              value: r.userId!,
              label: r.authorisation ? `${r.name} — ${t(`bookings.gate.state.${r.authorisation.state}`, { date: r.authorisation.until ? formatDate(r.authorisation.until, intl) : '' })}` : r.name,
            }))}
          />
          <Button>{t('bookings.gate.markPassed')}</Button>
        </Form>
      ) : (
        <p class="muted">{t('bookings.gate.noRegistrants')}</p>
      )}
      {data.registrants.length > withAccount.length && <p class="small">{t('bookings.gate.withoutAccount', { n: data.registrants.length - withAccount.length })}</p>}
    </AdminShell>
  );
}

/** On the person's bookings page: their authorisations, and for any that no longer holds, the next session. */
export function MyAuthorisations({ rows }: { rows: MyAuthorisation[] }) {
  const { t, intl } = usePage();
  return (
    <section aria-labelledby="habilitations">
      <h2 id="habilitations">{t('bookings.gate.mine')}</h2>
      {rows.length ? (
        <ul>
          {rows.map((a) => (
            <li key={a.id}>
              <strong>{a.kind_name}</strong> : <StateText a={a} />
              {a.next && (
                <>
                  {' '}
                  <a href={`/agenda/${a.next.slug}`}>{t('bookings.gate.nextSession', { date: formatDateTime(a.next.startsAt, intl) })}</a>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('bookings.gate.mineNone')}</p>
      )}
    </section>
  );
}

/** With the gate's refusal on the booking form: the next session of the training and where to register. */
export function GateNotice({ gate }: { gate: Gate }) {
  const { t, intl } = usePage();
  return (
    <div class="alert alert-info" id="formation">
      <p>
        {gate.next ? (
          <>
            {t('bookings.gate.nextIs', { training: gate.training, date: formatDateTime(gate.next.startsAt, intl) })}{' '}
            <a href={`/agenda/${gate.next.slug}`}>{t('bookings.gate.register', { title: gate.next.title })}</a>
          </>
        ) : (
          <>
            {t('bookings.gate.noneScheduled', { training: gate.training })} <a href="/agenda">{t('bookings.gate.seeAgenda')}</a>
          </>
        )}
      </p>
    </div>
  );
}

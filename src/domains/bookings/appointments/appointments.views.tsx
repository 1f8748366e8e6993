/**
 * Appointments on screen: the free slots (each a link to its form, so it works without JavaScript), the booking
 * form, the visitor's confirmation page, "my appointments", and the team's page (publish a slot, the slots with their
 * appointment, the month figures with their source) and one appointment's outcome form.
 */
import { dateTimeFormat } from '../../../shared/formatters.js';
import { formatDateTime } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { SourceRef } from '../../../web/components/source-ref.js';
import { Table } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { AppointmentRow, SlotRow, getAdviserBoard } from './appointments.service.js';

type Board = Awaited<ReturnType<typeof getAdviserBoard>>;
const minutesOf = (s: { starts_at: Date; ends_at: Date }) => Math.round((s.ends_at.getTime() - s.starts_at.getTime()) / 60_000);

function useWhere() {
  const { t } = usePage();
  return (s: Pick<SlotRow, 'mode' | 'place_name' | 'video_url'>, withLink = false) =>
    s.mode === 'place' ? t('bookings.appointments.where.place', { place: s.place_name ?? '' }) : s.mode === 'video' && withLink ? t('bookings.appointments.where.video', { url: s.video_url ?? '' }) : t(`bookings.appointments.mode.${s.mode}`);
}

export function SlotsListView({ slots }: { slots: SlotRow[] }) {
  const { t, intl } = usePage();
  const where = useWhere();
  return (
    <Layout title={t('bookings.appointments.list.title')} description={t('bookings.appointments.list.lead')}>
      <h1>{t('bookings.appointments.list.title')}</h1>
      <p class="lead">{t('bookings.appointments.list.lead')}</p>
      <Table
        caption={t('bookings.appointments.list.caption')}
        rows={slots}
        rowKey={(s) => s.id}
        empty={t('bookings.appointments.list.empty')}
        columns={[
          { key: 'when', header: t('bookings.appointments.col.when'), rowHeader: true, render: (s) => formatDateTime(s.starts_at, intl) },
          { key: 'duration', header: t('bookings.appointments.col.duration'), render: (s) => t('bookings.appointments.minutes', { minutes: minutesOf(s) }) },
          { key: 'adviser', header: t('bookings.appointments.col.adviser'), render: (s) => s.adviser_name },
          { key: 'where', header: t('bookings.appointments.col.where'), render: (s) => where(s) },
          {
            key: 'book',
            header: t('bookings.appointments.col.book'),
            render: (s) => (
              <a href={`/rendez-vous/${s.id}`}>
                {t('bookings.appointments.bookLink')}
                <span class="visually-hidden"> {formatDateTime(s.starts_at, intl)}</span>
              </a>
            ),
          },
        ]}
      />
    </Layout>
  );
}

export function BookAppointmentView({ data, values, errors }: { data: { slot: SlotRow; free: boolean; signedIn: boolean }; values?: FormValues; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  const where = useWhere();
  const { slot } = data;
  return (
    <Layout title={t('bookings.appointments.book.title')} narrow>
      <h1>{t('bookings.appointments.book.title')}</h1>
      <p class="lead">{t('bookings.appointments.book.summary', { when: formatDateTime(slot.starts_at, intl), minutes: minutesOf(slot), adviser: slot.adviser_name, where: where(slot) })}</p>
      {errors && <ErrorSummary errors={errors} />}
      {data.free ? (
        <Form action={`/rendez-vous/${slot.id}`}>
          {!data.signedIn && <p>{t('bookings.appointments.book.visitorLead', { minutes: 30 })}</p>}
          <TextArea name="projet" label={t('bookings.appointments.field.project')} hint={t('bookings.appointments.field.projectHint')} values={values} errors={errors} required rows={4} maxLength={1000} />
          {!data.signedIn && (
            <>
              <Field name="nom" label={t('bookings.appointments.field.name')} values={values} errors={errors} required autocomplete="name" maxLength={120} />
              <Field name="email" type="email" label={t('bookings.appointments.field.email')} values={values} errors={errors} required autocomplete="email" maxLength={254} />
            </>
          )}
          <Button>{t('bookings.appointments.book.submit')}</Button>
        </Form>
      ) : (
        <p class="alert alert-error">{t('bookings.appointments.book.taken')}</p>
      )}
      <p>
        <a href="/rendez-vous">{t('bookings.appointments.book.backToList')}</a>
      </p>
    </Layout>
  );
}

export function ConfirmAppointmentView({ appointment, live, token }: { appointment: AppointmentRow; live: boolean; token: string }) {
  const { t, intl } = usePage();
  const where = useWhere();
  return (
    <Layout title={t('bookings.appointments.confirm.title')} narrow>
      <h1>{t('bookings.appointments.confirm.title')}</h1>
      <p class="lead">{t('bookings.appointments.book.summary', { when: formatDateTime(appointment.starts_at, intl), minutes: minutesOf(appointment), adviser: appointment.adviser_name, where: where(appointment, true) })}</p>
      {appointment.status === 'confirmed' ? (
        <p class="alert alert-success">{t('bookings.appointments.confirm.done')}</p>
      ) : live ? (
        <Form action={`/rendez-vous/confirmation/${token}`}>
          <Button>{t('bookings.appointments.confirm.submit')}</Button>
        </Form>
      ) : (
        <p class="alert alert-error">{t('bookings.appointments.confirm.expired')}</p>
      )}
      <p>
        <a href="/rendez-vous">{t('bookings.appointments.book.backToList')}</a>
      </p>
    </Layout>
  );
}

export function MyAppointmentsView({ rows }: { rows: { appointment: AppointmentRow; upcoming: boolean }[] }) {
  const { t, intl } = usePage();
  const where = useWhere();
  const upcoming = rows.filter((r) => r.upcoming).reverse();
  const past = rows.filter((r) => !r.upcoming);
  return (
    <Layout title={t('bookings.appointments.mine.title')}>
      <h1>{t('bookings.appointments.mine.title')}</h1>
      <p>
        <a href="/rendez-vous">{t('bookings.appointments.mine.bookAnother')}</a>
      </p>
      <Table
        caption={t('bookings.appointments.mine.upcoming')}
        rows={upcoming}
        rowKey={(r) => r.appointment.id}
        empty={t('bookings.appointments.mine.none')}
        columns={[
          { key: 'when', header: t('bookings.appointments.col.when'), rowHeader: true, render: (r) => formatDateTime(r.appointment.starts_at, intl) },
          { key: 'adviser', header: t('bookings.appointments.col.adviser'), render: (r) => r.appointment.adviser_name },
          { key: 'where', header: t('bookings.appointments.col.where'), render: (r) => where(r.appointment, true) },
          {
            key: 'cancel',
            header: t('bookings.appointments.mine.cancel'),
            render: (r) => (
              <Form action={`/compte/rendez-vous/${r.appointment.id}/annuler`} class="inline-form">
                <button type="submit" class="button button-danger">
                  {t('bookings.appointments.mine.cancel')}
                  <span class="visually-hidden"> {formatDateTime(r.appointment.starts_at, intl)}</span>
                </button>
              </Form>
            ),
          },
        ]}
      />
      {past.length > 0 && (
        <Table
          caption={t('bookings.appointments.mine.past')}
          rows={past}
          rowKey={(r) => r.appointment.id}
          columns={[
            { key: 'when', header: t('bookings.appointments.col.when'), rowHeader: true, render: (r) => formatDateTime(r.appointment.starts_at, intl) },
            { key: 'adviser', header: t('bookings.appointments.col.adviser'), render: (r) => r.appointment.adviser_name },
            { key: 'status', header: t('bookings.appointments.col.status'), render: (r) => t(`bookings.status.${r.appointment.status}`) },
          ]}
        />
      )}
    </Layout>
  );
}

export function AdviserBoardView({ board, values, errors }: { board: Board; values?: FormValues; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  const where = useWhere();
  const month = (m: string) => dateTimeFormat(intl, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
  return (
    <AdminShell title={t('bookings.appointments.admin.title')}>
      <h1>{t('bookings.appointments.admin.title')}</h1>
      <h2>{t('bookings.appointments.admin.publish')}</h2>
      <p>{t('bookings.appointments.admin.publishLead')}</p>
      {errors && <ErrorSummary errors={errors} />}
      <Form action="/admin/rendez-vous/creneaux">
        <Field name="date" type="date" label={t('bookings.appointments.field.date')} values={values} errors={errors} required />
        <Field name="debut" type="time" label={t('bookings.appointments.field.start')} values={values} errors={errors} required />
        <Select name="duree" label={t('bookings.appointments.field.duration')} values={values ?? { duree: '60' }} errors={errors} required options={[30, 60].map((m) => ({ value: String(m), label: t('bookings.appointments.minutes', { minutes: m }) }))} />
        <Select name="mode" label={t('bookings.appointments.field.mode')} values={values} errors={errors} required options={(['place', 'phone', 'video'] as const).map((m) => ({ value: m, label: t(`bookings.appointments.mode.${m}`) }))} />
        <Select name="lieu" label={t('bookings.appointments.field.place')} values={values} errors={errors} options={[{ value: '', label: '—' }, ...board.places.map((p) => ({ value: String(p.id), label: p.name }))]} />
        <Field name="lien" type="url" label={t('bookings.appointments.field.videoUrl')} values={values} errors={errors} maxLength={500} />
        <Button>{t('bookings.appointments.admin.publish')}</Button>
      </Form>
      <Table
        caption={t('bookings.appointments.admin.caption')}
        rows={board.slots}
        rowKey={(s) => s.id}
        columns={[
          { key: 'when', header: t('bookings.appointments.col.when'), rowHeader: true, render: (s) => `${formatDateTime(s.starts_at, intl)} (${t('bookings.appointments.minutes', { minutes: minutesOf(s) })})` },
          { key: 'adviser', header: t('bookings.appointments.col.adviser'), render: (s) => s.adviser_name },
          { key: 'where', header: t('bookings.appointments.col.where'), render: (s) => where(s) },
          { key: 'person', header: t('bookings.appointments.col.person'), render: (s) => (s.appointment_id ? `${s.person ?? '—'}${s.follow_up ? ` (${t('bookings.appointments.admin.followUp')})` : ''}` : t('bookings.appointments.admin.free')) },
          { key: 'status', header: t('bookings.appointments.col.status'), render: (s) => (s.outcome ? t(`bookings.appointments.outcome.${s.outcome}`) : s.appointment_status ? t(`bookings.status.${s.appointment_status}`) : '') },
          {
            key: 'actions',
            header: t('bookings.appointments.col.actions'),
            render: (s) =>
              s.appointment_id ? (
                <a href={`/admin/rendez-vous/${s.appointment_id}`}>
                  {t('bookings.appointments.admin.open')}
                  <span class="visually-hidden"> {formatDateTime(s.starts_at, intl)}</span>
                </a>
              ) : s.starts_at > board.now ? (
                <Form action={`/admin/rendez-vous/creneaux/${s.id}/retirer`} class="inline-form">
                  <button type="submit" class="button button-secondary">
                    {t('bookings.appointments.admin.withdraw')}
                    <span class="visually-hidden"> {formatDateTime(s.starts_at, intl)}</span>
                  </button>
                </Form>
              ) : null,
          },
        ]}
      />
      <Table
        caption={
          <>
            {t('bookings.appointments.figures.caption')}
            <SourceRef n={1} />
          </>
        }
        rows={board.figures}
        rowKey={(f) => f.month}
        empty={t('bookings.appointments.figures.none')}
        columns={[
          { key: 'month', header: t('bookings.appointments.figures.month'), rowHeader: true, render: (f) => month(f.month) },
          { key: 'booked', header: t('bookings.appointments.figures.booked'), align: 'end', render: (f) => f.booked },
          { key: 'attended', header: t('bookings.appointments.figures.attended'), align: 'end', render: (f) => f.attended },
          { key: 'noShow', header: t('bookings.appointments.figures.noShow'), align: 'end', render: (f) => f.no_show },
          { key: 'followUp', header: t('bookings.appointments.figures.followUp'), align: 'end', render: (f) => f.follow_up },
        ]}
      />
      <ol class="source-list">
        <li id="source-1">{t('bookings.appointments.figures.source')}</li>
      </ol>
    </AdminShell>
  );
}

export function AppointmentDetailView({ data, values, errors }: { data: { appointment: AppointmentRow; past: boolean }; values?: FormValues; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  const where = useWhere();
  const a = data.appointment;
  return (
    <AdminShell title={t('bookings.appointments.detail.title', { when: formatDateTime(a.starts_at, intl) })}>
      <h1>{t('bookings.appointments.detail.title', { when: formatDateTime(a.starts_at, intl) })}</h1>
      <dl>
        <dt>{t('bookings.appointments.col.person')}</dt>
        <dd>
          {a.person_name ?? a.visitor_name ?? '—'} ({t(`bookings.appointments.audience.${a.audience}`)})
        </dd>
        <dt>{t('bookings.appointments.col.adviser')}</dt>
        <dd>{a.adviser_name}</dd>
        <dt>{t('bookings.appointments.col.where')}</dt>
        <dd>{where(a, true)}</dd>
        <dt>{t('bookings.appointments.col.project')}</dt>
        <dd class="prewrap">{a.project}</dd>
        <dt>{t('bookings.appointments.col.status')}</dt>
        <dd>{a.outcome ? t(`bookings.appointments.outcome.${a.outcome}`) : t(`bookings.status.${a.status}`)}</dd>
      </dl>
      <h2>{t('bookings.appointments.detail.record')}</h2>
      {a.outcome ? (
        <>
          {a.adviser_note && <p class="prewrap">{a.adviser_note}</p>}
          {a.adviser_note && <p>{a.note_attached_to ? t(`bookings.appointments.detail.attachedTo.${a.note_attached_to}`) : t('bookings.appointments.detail.noRecord')}</p>}
        </>
      ) : !data.past ? (
        <p>{t('bookings.appointments.detail.notYet')}</p>
      ) : (
        <>
          {errors && <ErrorSummary errors={errors} />}
          <Form action={`/admin/rendez-vous/${a.id}/bilan`}>
            <Select name="bilan" label={t('bookings.appointments.field.outcome')} values={values} errors={errors} required options={(['attended', 'no_show'] as const).map((o) => ({ value: o, label: t(`bookings.appointments.outcome.${o}`) }))} />
            <TextArea name="note" label={t('bookings.appointments.field.note')} hint={t('bookings.appointments.field.noteHint')} values={values} errors={errors} rows={5} maxLength={3500} />
            <Button>{t('bookings.appointments.detail.submit')}</Button>
          </Form>
        </>
      )}
      {a.status === 'confirmed' && !data.past && (
        <Form action={`/admin/rendez-vous/${a.id}/annuler`}>
          <Button variant="danger">{t('bookings.appointments.mine.cancel')}</Button>
        </Form>
      )}
      <p>
        <a href="/admin/rendez-vous">{t('bookings.appointments.admin.title')}</a>
      </p>
    </AdminShell>
  );
}

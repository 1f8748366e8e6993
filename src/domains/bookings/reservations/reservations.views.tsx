/**
 * Booking on screen: the list of resources, a resource's day or week grid (a table of slots, each free slot a link
 * to its booking form, so it works without JavaScript and by keyboard), the booking form, the visitor's
 * confirmation page, "my bookings" and the back office's week.
 */
import { dateTimeFormat } from '../../../shared/formatters.js';
import { formatDate, formatDateTime, formatDay, parisClock } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table, TableFrame } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { formatTime, weekdayName, WEEKDAYS, type Weekday } from '../../places/index.js';
import { GateNotice, MyAuthorisations, type Gate, type MyAuthorisation } from '../authorisations/index.js';
import { ResourcePhoto, ResourcePrices, type Resource } from '../resources/index.js';
import type { DayAvailability, Slot } from './reservations.availability.js';
import type { BookingRow, Grid } from './reservations.service.js';

const hhmmOf = (d: Date) => {
  const m = parisClock(d).minutes;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** "lundi 7 décembre 2026" by language and day: a week grid names the day in each of its free slots. */
const dayTexts = new Map<string, string>();

function useTimes() {
  const { intl } = usePage();
  const time = (d: Date) => formatTime(hhmmOf(d), intl);
  const weekdayOf = (day: string) => dateTimeFormat(intl, { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  const dayText = (day: string) => {
    const key = `${intl}|${day}`;
    let text = dayTexts.get(key);
    if (text === undefined) {
      if (dayTexts.size > 5000) dayTexts.clear();
      dayTexts.set(key, (text = `${weekdayOf(day)} ${formatDay(day, intl)}`));
    }
    return text;
  };
  return { time, dayText, weekdayOf };
}

// ---------------------------------------------------------------------------------------------- the list

export function ResourcesListView({ rows }: { rows: { resource: Resource; mayBook: boolean }[] }) {
  const { t } = usePage();
  const places = [...new Set(rows.map((r) => r.resource.place_name))];
  return (
    <Layout title={t('bookings.list.title')} description={t('bookings.list.lead')}>
      <h1>{t('bookings.list.title')}</h1>
      <p class="lead">{t('bookings.list.lead')}</p>
      <p>
        <a href="/rendez-vous">{t('bookings.appointments.list.link')}</a>
      </p>
      {!rows.length && <p>{t('bookings.list.empty')}</p>}
      {places.map((place) => (
        <section key={place} aria-labelledby={`lieu-${place}`}>
          <h2 id={`lieu-${place}`}>{place}</h2>
          <ul class="cards">
            {rows
              .filter((r) => r.resource.place_name === place)
              .map(({ resource: r, mayBook }) => (
                <li key={r.id} class="card">
                  <h3 class="card-title">
                    <a href={`/reservations/${r.slug}`}>{r.name}</a>
                  </h3>
                  <p>
                    <span class="tag">{t(`bookings.kind.${r.kind}`)}</span>
                    {r.capacity > 1 && <> {t('bookings.capacityValue', { count: r.capacity })}</>}
                  </p>
                  <p class="small">{t(`bookings.audience.who.${r.audience}`)}</p>
                  {r.requires_authorisation && <p class="small">{t('bookings.authorisationNeeded')}</p>}
                  {!mayBook && r.audience !== 'visitors' && <p class="small muted">{t('bookings.list.notForYou')}</p>}
                </li>
              ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- the grid

function SlotCell({ slot, day, resource, canBook }: { slot: Slot; day: string; resource: Resource; canBook: boolean }) {
  const { t } = usePage();
  const { time, dayText } = useTimes();
  if (slot.state === 'free') {
    const label = resource.capacity > 1 ? t('bookings.grid.freeCount', { count: slot.remaining }) : t('bookings.grid.free');
    if (!canBook) return <span class="slot slot-free">{label}</span>;
    return (
      <a class="slot slot-free" href={`/reservations/${resource.slug}/reserver?date=${day}&debut=${slot.label}`}>
        {label}
        <span class="visually-hidden"> {t('bookings.grid.bookAt', { day: dayText(day), time: time(slot.start) })}</span>
      </a>
    );
  }
  return <span class={`slot slot-${slot.state}`}>{t(`bookings.slot.${slot.state}`)}</span>;
}

function DayTable({ day, resource, canBook }: { day: DayAvailability; resource: Resource; canBook: boolean }) {
  const { t } = usePage();
  const { time, dayText } = useTimes();
  if (day.holiday) return <p class="alert alert-info">{t('bookings.grid.holiday', { holiday: t(`bookings.holiday.${day.holiday}`) })}</p>;
  if (!day.slots.length) return <p>{t('bookings.grid.closedDay')}</p>;
  return (
    <Table
      caption={t('bookings.grid.dayCaption', { day: dayText(day.day) })}
      class="slots"
      rows={day.slots}
      rowKey={(s) => s.label}
      columns={[
        { key: 'time', header: t('bookings.grid.time'), rowHeader: true, render: (s) => `${time(s.start)} – ${time(s.end)}` },
        { key: 'state', header: t('bookings.grid.state'), render: (s) => <SlotCell slot={s} day={day.day} resource={resource} canBook={canBook} /> },
      ]}
    />
  );
}

function WeekTable({ days, resource, canBook }: { days: DayAvailability[]; resource: Resource; canBook: boolean }) {
  const { t, intl } = usePage();
  const { weekdayOf } = useTimes();
  const labels = [...new Set(days.flatMap((d) => d.slots.map((s) => s.label)))].sort();
  return (
    <TableFrame
      caption={t('bookings.grid.weekCaption', { from: formatDay(days[0].day, intl), to: formatDay(days[days.length - 1].day, intl) })}
      captionId="grille-semaine"
      wrap="region"
      class="slots slots-week"
      columns={[
        { key: 'time', header: t('bookings.grid.time') },
        ...days.map((d) => ({ key: d.day, header: `${weekdayOf(d.day)} ${formatDay(d.day, intl).replace(/\s\d{4}$/, '')}` })),
      ]}
    >
      <tbody>
        {labels.map((label) => (
          <tr key={label}>
            <th scope="row">{formatTime(label, intl)}</th>
            {days.map((d) => {
              const slot = d.slots.find((s) => s.label === label);
              return <td key={d.day}>{slot ? <SlotCell slot={slot} day={d.day} resource={resource} canBook={canBook} /> : d.holiday ? t('bookings.slot.holiday') : '—'}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}

function HoursList({ resource }: { resource: Resource }) {
  const { t, intl } = usePage();
  const hours = resource.opening_hours as Partial<Record<Weekday, { from: string; to: string }[]>>;
  return (
    <Table
      caption={t('bookings.grid.hours')}
      wrap="none"
      head={false}
      rows={[...WEEKDAYS]}
      rowKey={(d) => d}
      columns={[
        { key: 'day', header: t('bookings.grid.day'), rowHeader: true, render: (d) => weekdayName(d, intl) },
        { key: 'hours', header: t('bookings.grid.hours'), render: (d) => ((hours[d] ?? []).length ? (hours[d] ?? []).map((r) => `${formatTime(r.from, intl)} – ${formatTime(r.to, intl)}`).join(', ') : t('bookings.grid.closed')) },
      ]}
    />
  );
}

export function GridView({ grid }: { grid: Grid }) {
  const { t, intl } = usePage();
  const { dayText } = useTimes();
  const r = grid.resource;
  const base = `/reservations/${r.slug}`;
  const canBook = grid.mayBook || (!grid.signedIn && grid.visitorsMayBook);
  return (
    <Layout title={r.name} description={r.description.slice(0, 160)}>
      <p class="back-link">
        <a href="/reservations">{t('bookings.list.back')}</a>
      </p>
      <h1>{r.name}</h1>
      <p>
        <span class="tag">{t(`bookings.kind.${r.kind}`)}</span> {t('bookings.grid.at', { place: r.place_name })}
        {r.capacity > 1 && <> · {t('bookings.capacityValue', { count: r.capacity })}</>}
        {r.parent_name && <> · {t('bookings.grid.inRoom', { room: r.parent_name })}</>}
      </p>
      <ResourcePhoto resource={r} />
      {r.description && <p class="lead">{r.description}</p>}
      {r.equipment && (
        <p>
          <strong>{t('bookings.field.equipment')} :</strong> {r.equipment}
        </p>
      )}
      <p>{t(`bookings.audience.who.${r.audience}`)}</p>
      {r.requires_authorisation && <p class="alert alert-info">{t('bookings.authorisationNeededLong')}</p>}
      {!canBook && !grid.signedIn && (
        <p class="alert alert-info">
          {t('bookings.grid.signInToBook')} <a href={`/connexion?retour=${encodeURIComponent(base)}`}>{t('site.nav.login')}</a>
        </p>
      )}
      <p class="small muted">{t('bookings.grid.rules', { step: r.slot_minutes, min: r.min_minutes, max: r.max_minutes, days: grid.audience === 'member' ? r.member_horizon_days : r.visitor_horizon_days, hours: r.cancel_hours })}</p>

      <h2 id="creneaux">{grid.view === 'semaine' ? t('bookings.grid.weekTitle') : t('bookings.grid.dayTitle', { day: dayText(grid.day) })}</h2>
      <nav class="grid-nav" aria-label={t('bookings.grid.navLabel')}>
        <ul class="inline-list">
          <li>
            <a href={`${base}?date=${grid.prev}&vue=${grid.view}#creneaux`}>{grid.view === 'semaine' ? t('bookings.grid.prevWeek') : t('bookings.grid.prevDay')}</a>
          </li>
          <li>
            <a href={`${base}?date=${grid.next}&vue=${grid.view}#creneaux`}>{grid.view === 'semaine' ? t('bookings.grid.nextWeek') : t('bookings.grid.nextDay')}</a>
          </li>
          <li>
            {grid.view === 'semaine' ? (
              <a href={`${base}?date=${grid.day}&vue=jour#creneaux`}>{t('bookings.grid.dayView')}</a>
            ) : (
              <a href={`${base}?date=${grid.day}&vue=semaine#creneaux`}>{t('bookings.grid.weekView')}</a>
            )}
          </li>
        </ul>
      </nav>
      <form method="get" action={base} class="inline-form grid-date">
        <input type="hidden" name="vue" value={grid.view} />
        <label for="grille-date">{t('bookings.grid.goTo')}</label> <input id="grille-date" type="date" name="date" value={grid.day} />{' '}
        <button type="submit" class="button button-secondary">
          {t('bookings.grid.show')}
        </button>
      </form>
      {grid.view === 'semaine' ? <WeekTable days={grid.days} resource={r} canBook={canBook} /> : <DayTable day={grid.days[0]} resource={r} canBook={canBook} />}
      <p class="small muted">{t('bookings.grid.source', { date: formatDateTime(grid.now, intl) })}</p>
      <p class="small">
        <a href={`${base}.ics`} type="text/calendar">
          {t('bookings.grid.feed')}
        </a>{' '}
        {t('bookings.grid.feedHelp')}
      </p>

      <h2>{t('bookings.prices.title')}</h2>
      <ResourcePrices resource={r} />
      <p class="small muted">{t('bookings.prices.note')}</p>
      <HoursList resource={r} />
      {grid.staff && (
        <p>
          <a href={`/admin/reservations/ressources/${r.id}`}>{t('bookings.grid.manage')}</a>
        </p>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- the booking form

export interface BookFormData {
  resource: Resource;
  day: string;
  start?: string;
  ends: string[];
  free: boolean;
  signedIn: boolean;
  mayBook: boolean;
  staff: boolean;
}

function Alternatives({ resource, alternatives }: { resource: Resource; alternatives: { start: Date; end: Date }[] }) {
  const { t } = usePage();
  const { time, dayText } = useTimes();
  if (!alternatives.length) return <p>{t('bookings.alternatives.none')}</p>;
  return (
    <section aria-labelledby="autres-creneaux">
      <h2 id="autres-creneaux">{t('bookings.alternatives.title')}</h2>
      <ul>
        {alternatives.map((a) => {
          const day = parisClock(a.start).day;
          return (
            <li key={a.start.toISOString()}>
              <a href={`/reservations/${resource.slug}/reserver?date=${day}&debut=${hhmmOf(a.start)}`}>{t('bookings.alternatives.item', { day: dayText(day), from: time(a.start), to: time(a.end) })}</a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function BookFormView({
  data,
  values,
  errors,
  alternatives,
  gate,
  staffValues,
  staffErrors,
}: {
  data: BookFormData;
  values?: FormValues;
  errors?: FieldErrors;
  alternatives?: { start: Date; end: Date }[];
  /** A machine behind a training refused: its next session. */
  gate?: Gate | null;
  staffValues?: FormValues;
  staffErrors?: FieldErrors;
}) {
  const { t, intl } = usePage();
  const { dayText } = useTimes();
  const r = data.resource;
  const v: FormValues = values ?? { date: data.day, debut: data.start ?? '', fin: data.ends[0] ?? '' };
  const visitor = !data.signedIn;
  const endField =
    data.ends.length && !errors ? (
      <Select name="fin" label={t('bookings.form.end')} values={v} errors={errors} required options={data.ends.map((e) => ({ value: e, label: formatTime(e, intl) }))} />
    ) : (
      <Field name="fin" type="time" label={t('bookings.form.end')} hint={t('bookings.form.timeHint')} values={v} errors={errors} required />
    );
  return (
    <Layout title={t('bookings.form.title', { resource: r.name })} narrow>
      <p class="back-link">
        <a href={`/reservations/${r.slug}?date=${data.day}#creneaux`}>{t('bookings.form.back')}</a>
      </p>
      <h1>{t('bookings.form.title', { resource: r.name })}</h1>
      <p class="lead">{t('bookings.form.lead', { place: r.place_name, day: dayText(data.day) })}</p>
      {!data.free && !errors && <p class="alert alert-info">{t('bookings.form.slotNotFree')}</p>}
      {alternatives && errors?._form === 'bookings.errors.taken' && <Alternatives resource={r} alternatives={alternatives} />}
      {gate && <GateNotice gate={gate} />}
      {data.mayBook || (visitor && r.audience === 'visitors' && !r.requires_authorisation) ? (
        <Form action={`/reservations/${r.slug}/reserver`} scope="reserver">
          <ErrorSummary errors={errors ?? {}} />
          <Field name="date" type="date" label={t('bookings.form.date')} values={v} errors={errors} required />
          <Field name="debut" type="time" label={t('bookings.form.start')} hint={t('bookings.form.timeHint')} values={v} errors={errors} required />
          {endField}
          {visitor && (
            <>
              <p>{t('bookings.form.visitorLead', { minutes: 30 })}</p>
              <Field name="nom" label={t('bookings.form.name')} values={v} errors={errors} required autocomplete="name" maxLength={120} />
              <Field name="email" type="email" label={t('bookings.form.email')} values={v} errors={errors} required autocomplete="email" maxLength={254} />
            </>
          )}
          <TextArea name="note" label={t('bookings.form.note')} hint={t('bookings.form.noteHint')} values={v} errors={errors} rows={3} maxLength={500} />
          <p class="small">{t('bookings.form.cancelRule', { hours: r.cancel_hours })}</p>
          <Button>{visitor ? t('bookings.form.submitVisitor') : t('bookings.form.submit')}</Button>
        </Form>
      ) : (
        <p class="alert alert-info">
          {r.requires_authorisation ? t('bookings.authorisationNeededLong') : visitor ? t('bookings.grid.signInToBook') : t(r.audience === 'staff' ? 'bookings.errors.staffOnly' : 'bookings.errors.membersOnly')}
          {visitor && (
            <>
              {' '}
              <a href={`/connexion?retour=${encodeURIComponent(`/reservations/${r.slug}/reserver?date=${data.day}&debut=${data.start ?? ''}`)}`}>{t('site.nav.login')}</a>
            </>
          )}
        </p>
      )}
      {data.staff && (
        <section aria-labelledby="pour-quelquun">
          <h2 id="pour-quelquun">{t('bookings.staff.title')}</h2>
          <Form action={`/admin/reservations/ressources/${r.id}/reserver`} scope="equipe">
            <ErrorSummary errors={staffErrors ?? {}} />
            <Field name="date" type="date" label={t('bookings.form.date')} values={staffValues ?? v} errors={staffErrors} required />
            <Field name="debut" type="time" label={t('bookings.form.start')} values={staffValues ?? v} errors={staffErrors} required />
            <Field name="fin" type="time" label={t('bookings.form.end')} values={staffValues ?? v} errors={staffErrors} required />
            <Select
              name="mode"
              label={t('bookings.staff.mode')}
              values={staffValues ?? { mode: 'pour' }}
              errors={staffErrors}
              options={[
                { value: 'pour', label: t('bookings.staff.forSomeone') },
                { value: 'blocage', label: t('bookings.staff.block') },
              ]}
            />
            <Field name="email" type="email" label={t('bookings.staff.email')} hint={t('bookings.staff.emailHint')} values={staffValues} errors={staffErrors} maxLength={254} />
            <Field name="nom" label={t('bookings.staff.name')} values={staffValues} errors={staffErrors} maxLength={120} />
            <TextArea name="note" label={t('bookings.form.note')} values={staffValues} errors={staffErrors} rows={2} maxLength={500} />
            <Button variant="secondary">{t('bookings.staff.submit')}</Button>
          </Form>
          <p>
            <a href={`/admin/reservations/ressources/${r.id}/serie`}>{t('bookings.series.start')}</a>
          </p>
        </section>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- visitor's confirmation

export function ConfirmView({ booking, live, token }: { booking: BookingRow; live: boolean; token: string }) {
  const { t } = usePage();
  const { time, dayText } = useTimes();
  const day = parisClock(booking.starts_at).day;
  const what = t('bookings.summary', { resource: booking.resource_name, place: booking.place_name, day: dayText(day), from: time(booking.starts_at), to: time(booking.ends_at) });
  return (
    <Layout title={t('bookings.confirm.title')} narrow>
      <h1>{t('bookings.confirm.title')}</h1>
      <p class="lead">{what}</p>
      {booking.status === 'confirmed' ? (
        <p class="alert alert-success">{t('bookings.confirm.already')}</p>
      ) : live ? (
        <Form action={`/reservations/confirmation/${token}`}>
          <p>{t('bookings.confirm.text', { time: booking.hold_until ? time(booking.hold_until) : '' })}</p>
          <Button>{t('bookings.confirm.submit')}</Button>
        </Form>
      ) : (
        <p class="alert alert-error">{t('bookings.errors.holdExpired')}</p>
      )}
      <p>
        <a href={`/reservations/${booking.resource_slug}`}>{t('bookings.confirm.backToGrid')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- my bookings

export function MyBookingsView({
  rows,
  authorisations,
  feedSince = null,
  feedUrl,
}: {
  rows: { booking: BookingRow; upcoming: boolean; cancellable: boolean; deadline: Date }[];
  authorisations: MyAuthorisation[];
  /** When the person's secret feed address was made (null: none). */
  feedSince?: Date | null;
  /** The new address, shown once right after it was made. */
  feedUrl?: string;
}) {
  const { t, intl } = usePage();
  const { time, dayText } = useTimes();
  const upcoming = rows.filter((r) => r.upcoming).reverse();
  const past = rows.filter((r) => !r.upcoming);
  const when = (b: BookingRow) => t('bookings.when', { day: dayText(parisClock(b.starts_at).day), from: time(b.starts_at), to: time(b.ends_at) });
  return (
    <Layout title={t('bookings.mine.title')}>
      <h1>{t('bookings.mine.title')}</h1>
      <p>
        <a href="/reservations">{t('bookings.mine.bookAnother')}</a>
      </p>
      <Table
        caption={t('bookings.mine.upcoming')}
          wrap="region"
          captionId="mes-reservations-a-venir"
        rows={upcoming}
        rowKey={(r) => r.booking.id}
        empty={t('bookings.mine.none')}
        columns={[
          { key: 'what', header: t('bookings.mine.resource'), rowHeader: true, render: (r) => <a href={`/reservations/${r.booking.resource_slug}`}>{r.booking.resource_name}</a> },
          { key: 'place', header: t('bookings.field.place'), render: (r) => r.booking.place_name },
          { key: 'when', header: t('bookings.mine.when'), render: (r) => when(r.booking) },
          {
            key: 'cancel',
            header: t('bookings.mine.cancel'),
            render: (r) =>
              r.cancellable ? (
                <Form action={`/compte/reservations/${r.booking.id}/annuler`} class="inline-form">
                  <button type="submit" class="button button-danger">
                    {t('bookings.mine.cancelButton')}
                    <span class="visually-hidden"> {when(r.booking)}</span>
                  </button>
                </Form>
              ) : (
                <span class="small">{t('bookings.mine.tooLate', { date: `${formatDate(r.deadline, intl)} ${time(r.deadline)}` })}</span>
              ),
          },
        ]}
      />
      {past.length > 0 && (
        <Table
          caption={t('bookings.mine.past')}
          wrap="region"
          captionId="mes-reservations-passees"
          rows={past}
          rowKey={(r) => r.booking.id}
          columns={[
            { key: 'what', header: t('bookings.mine.resource'), rowHeader: true, render: (r) => r.booking.resource_name },
            { key: 'when', header: t('bookings.mine.when'), render: (r) => when(r.booking) },
            { key: 'status', header: t('bookings.mine.status'), render: (r) => t(`bookings.status.${r.booking.status}`) },
          ]}
        />
      )}
      <MyAuthorisations rows={authorisations} />
      <section id="calendrier" aria-labelledby="calendrier-titre">
        <h2 id="calendrier-titre">{t('bookings.feed.title')}</h2>
        <p>{t('bookings.feed.lead')}</p>
        {feedUrl && (
          <div class="alert alert-success" role="status">
            <p>{t('bookings.feed.new')}</p>
            <p>
              <code>{feedUrl}</code>
            </p>
          </div>
        )}
        {feedSince && !feedUrl && <p>{t('bookings.feed.active')}</p>}
        <div class="actions">
          <Form action="/compte/reservations/flux" scope="flux">
            <Button variant="secondary">{feedSince ? t('bookings.feed.renew') : t('bookings.feed.create')}</Button>
          </Form>
          {feedSince && (
            <Form action="/compte/reservations/flux/supprimer" scope="flux-supprimer">
              <Button variant="danger">{t('bookings.feed.revoke')}</Button>
            </Form>
          )}
        </div>
      </section>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- the back office's week

export function StaffPlanningView({ day, rows }: { day: string; rows: BookingRow[] }) {
  const { t, intl } = usePage();
  const { time, dayText } = useTimes();
  const who = (b: BookingRow) => (b.kind === 'block' ? t('bookings.staff.blocked') : (b.person_name ?? b.visitor_name ?? t('bookings.staff.erased')));
  return (
    <AdminShell title={t('bookings.planning.title')}>
      <p class="back-link">
        <a href="/admin/reservations">{t('bookings.admin.back')}</a>
      </p>
      <h1>{t('bookings.planning.title')}</h1>
      <form method="get" action="/admin/reservations/planning" class="inline-form">
        <label for="planning-date">{t('bookings.planning.from')}</label> <input id="planning-date" type="date" name="date" value={day} />{' '}
        <button type="submit" class="button button-secondary">
          {t('bookings.grid.show')}
        </button>
      </form>
      <Table
        caption={t('bookings.planning.caption', { day: formatDay(day, intl) })}
        rows={rows}
        rowKey={(b) => b.id}
        empty={t('bookings.planning.empty')}
        columns={[
          { key: 'when', header: t('bookings.mine.when'), rowHeader: true, render: (b) => t('bookings.when', { day: dayText(parisClock(b.starts_at).day), from: time(b.starts_at), to: time(b.ends_at) }) },
          { key: 'resource', header: t('bookings.mine.resource'), render: (b) => <a href={`/reservations/${b.resource_slug}?date=${parisClock(b.starts_at).day}`}>{b.resource_name}</a> },
          {
            key: 'who',
            header: t('bookings.planning.who'),
            render: (b) =>
              b.series_id ? (
                <>
                  {who(b)} (<a href={`/admin/reservations/series/${b.series_id}`}>{t('bookings.series.link')}</a>)
                </>
              ) : (
                who(b)
              ),
          },
          { key: 'status', header: t('bookings.mine.status'), render: (b) => t(`bookings.status.${b.status}`) },
          {
            key: 'cancel',
            header: t('bookings.mine.cancel'),
            render: (b) => (
              <Form action={`/admin/reservations/${b.id}/annuler`} class="inline-form">
                <button type="submit" class="link-button">
                  {b.kind === 'block' ? t('bookings.planning.unblock') : t('bookings.mine.cancelButton')}
                  <span class="visually-hidden"> {`${b.resource_name} ${dayText(parisClock(b.starts_at).day)} ${time(b.starts_at)}`}</span>
                </button>
              </Form>
            ),
          },
        ]}
      />
    </AdminShell>
  );
}

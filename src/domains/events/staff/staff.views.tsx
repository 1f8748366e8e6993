/**
 * The team's agenda on screen: the list of events, the event form, an event's page (registrants, waiting list,
 * actions), the message to registrants and the list of types. Pure views; tables through <Table>.
 */
import { formatDateTime, parisParts } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkbox, ErrorSummary, Field, FileField, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { COVER_SIZE, coverPath, type EventRow, type EventTypeRow, type RegistrationRow } from '../events.common.js';
import { AUDIENCES, DECISIONS, PLACE_KINDS, REGISTRATION_MODES } from '../events.schemas.js';
import { SERIES_PRESETS } from '../events.rrule.js';
import { STATUS_OF } from '../events.selection.js';
import { SeatsLeft, TypeTag, When, Where, WhereWhenFields } from '../events.views.js';
import type { EventForStaff, EventFormData } from './staff.service.js';

const local = (d: Date | null) => {
  if (!d) return '';
  const { day, time } = parisParts(d);
  return `${day}T${time}`;
};
const euros = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2).replace('.', ',').replace(/,00$/, ''));

/** The form's values from a saved event (Paris wall-clock times; an all-day event's end is its last day). */
export function valuesOfEvent(e: EventRow): FormValues {
  return {
    titre: e.title,
    description: e.description_md,
    type: e.type_key,
    lieu: e.place_kind,
    tiersLieu: e.third_place_id ? String(e.third_place_id) : '',
    commune: e.insee ?? '',
    adresse: e.address ?? '',
    lien: e.online_url ?? '',
    journee: e.all_day ? '1' : '',
    debut: e.all_day ? parisParts(e.starts_at).day : local(e.starts_at),
    fin: e.all_day ? parisParts(new Date(e.ends_at.getTime() - 1)).day : local(e.ends_at),
    public: e.audience,
    places: String(e.capacity),
    placesMax: String(e.max_seats),
    ouverture: local(e.registration_opens_at),
    cloture: local(e.registration_closes_at),
    prixMembre: euros(e.price_member_cents),
    prixPublic: euros(e.price_public_cents),
    organisateur: e.organiser ?? '',
    delaiReponse: String(e.claim_window_hours),
    modeInscription: e.registration_mode,
  };
}

export function StaffEventsView({ upcoming, past }: { upcoming: EventRow[]; past: EventRow[] }) {
  const { t, intl } = usePage();
  const columns = [
    { key: 'title', header: t('events.staff.event'), rowHeader: true, render: (e: EventRow) => <a href={`/admin/agenda/${e.id}`}>{e.title}</a> },
    { key: 'when', header: t('events.field.when'), render: (e: EventRow) => formatDateTime(e.starts_at, intl) },
    { key: 'type', header: t('events.field.type'), render: (e: EventRow) => <TypeTag event={e} /> },
    { key: 'status', header: t('events.staff.status'), render: (e: EventRow) => t(`events.status.${e.status}`) },
    { key: 'seats', header: t('events.staff.seats'), align: 'end' as const, render: (e: EventRow) => `${e.taken} / ${e.capacity}` },
    { key: 'waiting', header: t('events.staff.waiting'), align: 'end' as const, render: (e: EventRow) => e.waiting },
  ];
  return (
    <AdminShell title={t('events.staff.title')}>
      <h1>{t('events.staff.title')}</h1>
      <p class="actions">
        <a class="button button-primary" href="/admin/agenda/nouveau">
          {t('events.staff.new')}
        </a>{' '}
        <a href="/admin/agenda/types">{t('events.types.title')}</a> · <a href="/admin/agenda/chiffres">{t('events.figures.nav')}</a>
      </p>
      <h2>{t('events.staff.upcoming')}</h2>
      {upcoming.length ? <Table caption={t('events.staff.upcoming')} captionHidden columns={columns} rows={upcoming} rowKey={(e) => String(e.id)} /> : <p>{t('events.agenda.empty')}</p>}
      <h2>{t('events.staff.past')}</h2>
      {past.length ? <Table caption={t('events.staff.past')} captionHidden columns={columns} rows={past} rowKey={(e) => String(e.id)} /> : <p>{t('events.archives.empty')}</p>}
      <p class="small muted">{t('events.staff.seatsSource')}</p>
    </AdminShell>
  );
}

export function StaffEventFormView({ action, data, values, errors, editing, seriesFrom }: { action: string; data: EventFormData; values?: FormValues; errors?: FieldErrors; editing: boolean; seriesFrom?: boolean }) {
  const { t, locale } = usePage();
  const title = seriesFrom ? t('events.series.edit') : editing ? t('events.staff.edit') : t('events.staff.new');
  return (
    <AdminShell title={title}>
      <h1>{title}</h1>
      {seriesFrom && <p>{t('events.series.editLead')}</p>}
      {errors && <ErrorSummary errors={errors} />}
      <Form action={action}>
        {seriesFrom && <Field name="aPartirDu" label={t('events.series.from')} hint={t('events.series.fromHint')} type="date" values={values} errors={errors} required />}
        <Field name="titre" label={t('events.form.title')} values={values} errors={errors} required maxLength={160} />
        <TextArea name="description" label={t('events.form.description')} hint={t('events.form.descriptionHint')} values={values} errors={errors} rows={8} />
        <Select
          name="type"
          label={t('events.field.type')}
          values={values}
          errors={errors}
          required
          options={[{ value: '', label: t('events.form.choose') }, ...data.types.filter((ty) => !ty.hidden || ty.key === values?.type).map((ty) => ({ value: ty.key, label: locale === 'fr' ? ty.label_fr : ty.label_en }))]}
        />
        <WhereWhenFields places={data.places} communes={data.communes} values={values} errors={errors} />
        {!editing && (
          <fieldset>
            <legend>{t('events.series.legend')}</legend>
            <Select
              name="repetition"
              label={t('events.series.repeat')}
              hint={t('events.series.repeatHint')}
              values={values}
              errors={errors}
              options={[{ value: '', label: t('events.series.once') }, ...SERIES_PRESETS.map((p) => ({ value: p, label: t(`events.series.preset.${p}`) }))]}
            />
            <Field name="repetitionFin" label={t('events.series.until')} hint={t('events.series.untilHint')} type="date" values={values} errors={errors} />
            <Field name="rrule" label={t('events.series.rule')} hint={t('events.series.ruleHint')} values={values} errors={errors} maxLength={300} />
          </fieldset>
        )}
        <fieldset>
          <legend>{t('events.form.registrations')}</legend>
          <Select name="public" label={t('events.filter.audience')} values={values} errors={errors} options={AUDIENCES.map((a) => ({ value: a, label: t(`events.audience.${a}`) }))} />
          <Field name="places" label={t('events.form.capacityLabel')} values={values} errors={errors} required inputMode="numeric" maxLength={5} />
          <Field name="placesMax" label={t('events.form.maxSeatsLabel')} hint={t('events.form.maxSeatsHint')} values={values} errors={errors} inputMode="numeric" maxLength={2} />
          <Field name="ouverture" label={t('events.form.opens')} hint={t('events.form.opensHint')} type="datetime-local" values={values} errors={errors} />
          <Field name="cloture" label={t('events.form.closes')} hint={t('events.form.closesHint')} type="datetime-local" values={values} errors={errors} />
          <Select
            name="modeInscription"
            label={t('events.form.mode')}
            hint={t('events.form.modeHint')}
            values={values}
            errors={errors}
            options={REGISTRATION_MODES.map((m) => ({ value: m, label: t(`events.mode.${m}`) }))}
          />
          <Field name="delaiReponse" label={t('events.form.claimWindowLabel')} hint={t('events.form.claimWindowHint')} values={values} errors={errors} inputMode="numeric" maxLength={3} />
        </fieldset>
        <fieldset>
          <legend>{t('events.field.price')}</legend>
          <Field name="prixMembre" label={t('events.form.priceMember')} hint={t('events.form.priceHint')} values={values} errors={errors} inputMode="decimal" maxLength={10} />
          <Field name="prixPublic" label={t('events.form.pricePublic')} hint={t('events.form.priceHint')} values={values} errors={errors} inputMode="decimal" maxLength={10} />
        </fieldset>
        <Field name="organisateur" label={t('events.field.organiser')} values={values} errors={errors} maxLength={160} />
        <Button>{t('events.form.save')}</Button>
      </Form>
    </AdminShell>
  );
}

/** The cover's form on an event's page: its upload limit, and after a refusal the values typed and the message. */
export interface CoverFormState {
  maxBytes: number;
  values?: FormValues;
  errors?: FieldErrors;
}

/**
 * The event's cover image: shown as the public page shows it, replaced by an upload (multipart, no script) or removed.
 * `base` is the page whose `…/couverture` actions take it (the team's event page, a member's proposal page).
 */
export function CoverSection({ event, state, base }: { event: Pick<EventForStaff['event'], 'cover_id' | 'cover_alt' | 'title'>; state: CoverFormState; base: string }) {
  const { t } = usePage();
  const errors = state.errors ?? {};
  return (
    <section id="couverture" aria-labelledby="cover-title">
      <h2 id="cover-title">{t('events.cover.title')}</h2>
      {event.cover_id ? (
        <img class="event-cover" src={coverPath(event.cover_id)} alt={event.cover_alt ?? event.title} width={COVER_SIZE.width} height={COVER_SIZE.height} loading="lazy" decoding="async" />
      ) : (
        <p>{t('events.cover.none')}</p>
      )}
      {Object.keys(errors).length > 0 && <ErrorSummary errors={errors} />}
      <Form action={`${base}/couverture`} enctype="multipart/form-data" scope="cover">
        <Field name="alt" label={t('events.cover.alt')} hint={t('events.cover.altHint')} values={state.values ?? { alt: event.cover_alt ?? '' }} errors={errors} maxLength={300} />
        <FileField name="image" label={t('events.cover.file')} hint={t('events.cover.hint', { max: Math.floor(state.maxBytes / (1024 * 1024)) })} accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp" errors={errors} required />
        <Button variant="secondary">{t(event.cover_id ? 'events.cover.replace' : 'events.cover.upload')}</Button>
      </Form>
      {event.cover_id && (
        <Form action={`${base}/couverture/supprimer`} scope="cover-remove">
          <Button variant="danger">{t('events.cover.remove')}</Button>
        </Form>
      )}
    </section>
  );
}

export function StaffEventView({ data, cover }: { data: EventForStaff; cover: CoverFormState }) {
  const { t, intl } = usePage();
  const e = data.event;
  const id = e.id;
  const selection = e.registration_mode === 'selection';
  const active = data.registrations.filter((r) => r.status === 'confirmed' || r.status === 'offered' || r.status === 'pending');
  const waiting = selection ? [] : data.registrations.filter((r) => r.status === 'waiting');
  // Selection mode: applications in arrival order, the waiting list, the declined ones; each with the team's choice.
  const applications = selection ? data.registrations.filter((r) => r.status === 'applied' || r.status === 'waiting' || r.status === 'declined') : [];
  const others = data.registrations.filter((r) => r.status === 'cancelled' || r.status === 'lapsed');
  const regColumns = [
    { key: 'name', header: t('events.visitor.name'), rowHeader: true, render: (r: RegistrationRow) => r.name },
    { key: 'email', header: t('events.visitor.email'), render: (r: RegistrationRow) => r.email },
    { key: 'seats', header: t('events.mine.seats'), align: 'end' as const, render: (r: RegistrationRow) => r.seats },
    {
      key: 'status',
      header: t('events.mine.status'),
      render: (r: RegistrationRow) => (
        <>
          {t(`events.regStatus.${r.status}`)}
          {r.status === 'offered' && r.offer_expires_at && <> · {t('events.staff.until', { date: formatDateTime(r.offer_expires_at, intl) })}</>}
        </>
      ),
    },
  ];
  const decisionForm = (r: RegistrationRow) => (
    <Form action={`/admin/agenda/${id}/inscriptions/${r.id}/decision`} scope={`s-${r.id}`} class="inline-fields">
      <label for={`decision-${r.id}`} class="visually-hidden">
        {t('events.staff.decisionFor', { name: r.name })}
      </label>
      <select id={`decision-${r.id}`} name="decision">
        {DECISIONS.map((d) => (
          <option key={d} value={d} selected={STATUS_OF[d] === r.status}>
            {t(`events.decide.${d}`)}
          </option>
        ))}
      </select>
      <button type="submit" class="button button-secondary">
        {t('events.staff.decide')} <span class="visually-hidden">{r.name}</span>
      </button>
    </Form>
  );
  const confirmButton = (r: RegistrationRow) => (
    <Form action={`/admin/agenda/${id}/inscriptions/${r.id}/confirmer`} scope={`c-${r.id}`}>
      <Button variant="secondary">{t('events.staff.confirmByHand')}</Button>
    </Form>
  );
  return (
    <AdminShell title={e.title}>
      <p class="back-link">
        <a href="/admin/agenda">{t('events.staff.title')}</a>
      </p>
      <h1>{e.title}</h1>
      <dl class="facts">
        <div>
          <dt>{t('events.staff.status')}</dt>
          <dd>{t(`events.status.${e.status}`)}</dd>
        </div>
        <div>
          <dt>{t('events.field.when')}</dt>
          <dd>
            <When event={e} />
          </dd>
        </div>
        <div>
          <dt>{t('events.field.where')}</dt>
          <dd>
            <Where event={e} places={new Map(data.places.map((p) => [p.id, p]))} />
            {e.online_url && <> · {e.online_url}</>}
          </dd>
        </div>
        <div>
          <dt>{t('events.form.mode')}</dt>
          <dd>{t(`events.mode.${e.registration_mode}`)}</dd>
        </div>
        <div>
          <dt>{t('events.field.seats')}</dt>
          <dd>
            <SeatsLeft event={e} /> ({t('events.staff.taken', { taken: e.taken, capacity: e.capacity })})
          </dd>
        </div>
      </dl>
      {e.series_id && (
        <p>
          {t('events.series.partOf')} <a href={`/admin/agenda/series/${e.series_id}`}>{t('events.series.see')}</a>
        </p>
      )}
      <CoverSection event={e} state={cover} base={`/admin/agenda/${id}`} />
      <div class="actions">
        <a class="button button-secondary" href={`/admin/agenda/${id}/modifier`}>
          {e.series_id ? t('events.series.editOne') : t('events.staff.edit')}
        </a>
        {e.status === 'published' && <a href={`/admin/agenda/${id}/porte`}>{t('events.door.title')}</a>}
        {e.status !== 'draft' && <a href={`/agenda/${e.slug}`}>{t('events.staff.publicPage')}</a>}
        {e.status === 'draft' && (
          <Form action={`/admin/agenda/${id}/publier`} scope="publier">
            <Button>{t('events.staff.publish')}</Button>
          </Form>
        )}
        <Form action={`/admin/agenda/${id}/dupliquer`} scope="dupliquer">
          <Button variant="secondary">{t('events.staff.duplicate')}</Button>
        </Form>
        {e.status !== 'cancelled' && (
          <Form action={`/admin/agenda/${id}/annuler`} scope="annuler">
            <Button variant="danger">{t('events.staff.cancel')}</Button>
          </Form>
        )}
      </div>
      <h2>{t('events.staff.registrants')}</h2>
      <p>
        <a href={`/admin/agenda/${id}/inscrits.csv`}>{t('events.staff.csv')}</a> · <a href={`/admin/agenda/${id}/message`}>{t('events.staff.mailAll')}</a>
      </p>
      {active.length ? (
        <Table
          caption={t('events.staff.registrants')}
          wrap="region"
          captionId="inscrits"
          captionHidden
          columns={[
            ...regColumns,
            { key: 'act', header: t('events.mine.actions'), render: (r: RegistrationRow) => (selection ? (r.status === 'confirmed' ? decisionForm(r) : null) : r.status === 'confirmed' ? null : confirmButton(r)) },
          ]}
          rows={active}
          rowKey={(r) => r.id}
        />
      ) : (
        <p>{t('events.staff.noRegistrants')}</p>
      )}
      {selection && (
        <>
          <h2>{t('events.staff.applications')}</h2>
          <p>{t('events.staff.applicationsLead', { left: Math.max(0, e.capacity - e.taken) })}</p>
          {applications.length ? (
            <Table
              caption={t('events.staff.applications')}
          wrap="region"
          captionId="candidatures"
              captionHidden
              columns={[...regColumns, { key: 'act', header: t('events.mine.actions'), render: (r: RegistrationRow) => decisionForm(r) }]}
              rows={applications}
              rowKey={(r) => r.id}
            />
          ) : (
            <p>{t('events.staff.noApplications')}</p>
          )}
        </>
      )}
      {!selection && <h2>{t('events.staff.waitingList')}</h2>}
      {selection ? null : waiting.length ? (
        <Table
          caption={t('events.staff.waitingList')}
          wrap="region"
          captionId="liste-attente"
          captionHidden
          columns={[
            { key: 'rank', header: t('events.staff.rank'), align: 'end' as const, render: (_r: RegistrationRow, i: number) => i + 1 },
            ...regColumns,
            {
              key: 'act',
              header: t('events.mine.actions'),
              render: (r: RegistrationRow, i: number) => (
                <div class="actions">
                  {i > 0 && (
                    <Form action={`/admin/agenda/${id}/inscriptions/${r.id}/monter`} scope={`u-${r.id}`}>
                      <Button variant="secondary">{t('events.staff.up', { name: r.name })}</Button>
                    </Form>
                  )}
                  {i < waiting.length - 1 && (
                    <Form action={`/admin/agenda/${id}/inscriptions/${r.id}/descendre`} scope={`d-${r.id}`}>
                      <Button variant="secondary">{t('events.staff.down', { name: r.name })}</Button>
                    </Form>
                  )}
                  {confirmButton(r)}
                </div>
              ),
            },
          ]}
          rows={waiting}
          rowKey={(r) => r.id}
        />
      ) : (
        <p>{t('events.staff.noWaiting')}</p>
      )}
      {others.length > 0 && (
        <>
          <h2>{t('events.staff.cancelledList')}</h2>
          <Table caption={t('events.staff.cancelledList')} captionHidden columns={regColumns} rows={others} rowKey={(r) => r.id} />
        </>
      )}
    </AdminShell>
  );
}

export function StaffMessageView({ data, values, errors }: { data: EventForStaff; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const count = data.registrations.filter((r) => ['confirmed', 'offered', 'waiting'].includes(r.status)).length;
  return (
    <AdminShell title={t('events.staff.mailAll')}>
      <p class="back-link">
        <a href={`/admin/agenda/${data.event.id}`}>{data.event.title}</a>
      </p>
      <h1>{t('events.staff.mailAll')}</h1>
      <p>{t('events.staff.mailAllLead', { count })}</p>
      {errors && <ErrorSummary errors={errors} />}
      <Form action={`/admin/agenda/${data.event.id}/message`}>
        <Field name="sujet" label={t('events.staff.subject')} values={values} errors={errors} required maxLength={160} />
        <TextArea name="message" label={t('events.staff.message')} values={values} errors={errors} required rows={8} />
        <Button>{t('events.staff.send')}</Button>
      </Form>
    </AdminShell>
  );
}

export function StaffTypesView({ types, values, errors }: { types: EventTypeRow[]; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <AdminShell title={t('events.types.title')}>
      <p class="back-link">
        <a href="/admin/agenda">{t('events.staff.title')}</a>
      </p>
      <h1>{t('events.types.title')}</h1>
      <Table
        caption={t('events.types.title')}
        captionHidden
        columns={[
          { key: 'key', header: t('events.types.key'), render: (ty: EventTypeRow) => <code>{ty.key}</code> },
          { key: 'fr', header: t('events.types.labelFr'), rowHeader: true, render: (ty: EventTypeRow) => ty.label_fr },
          { key: 'en', header: t('events.types.labelEn'), render: (ty: EventTypeRow) => ty.label_en },
          {
            key: 'act',
            header: t('events.mine.actions'),
            render: (ty: EventTypeRow) => (
              <Form action={`/admin/agenda/types/${ty.key}/masquer`} scope={`t-${ty.key}`}>
                <input type="hidden" name="masquer" value={ty.hidden ? '0' : '1'} />
                <Button variant="secondary">{ty.hidden ? t('events.types.show', { name: ty.label_fr }) : t('events.types.hide', { name: ty.label_fr })}</Button>
              </Form>
            ),
          },
        ]}
        rows={types}
        rowKey={(ty) => ty.key}
      />
      <h2>{t('events.types.add')}</h2>
      <p>{t('events.types.addLead')}</p>
      {errors && <ErrorSummary errors={errors} />}
      <Form action="/admin/agenda/types">
        <Field name="cle" label={t('events.types.key')} hint={t('events.types.keyHint')} values={values} errors={errors} required maxLength={40} />
        <Field name="libelle" label={t('events.types.labelFr')} values={values} errors={errors} required maxLength={80} />
        <Field name="libelleEn" label={t('events.types.labelEn')} values={values} errors={errors} required maxLength={80} />
        <Button>{t('events.form.save')}</Button>
      </Form>
    </AdminShell>
  );
}

/** The back office's resource pages (/admin/reservations…) and the prices block shown on the public grid. */
import { numberFormat } from '../../../shared/formatters.js';
import { formatDate } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkbox, ErrorSummary, Field, FileField, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { weekdayName, WEEKDAYS } from '../../places/index.js';
import { AUDIENCE_RULES, PRICE_FIELDS, RESOURCE_KINDS, SLOT_STEPS } from './resources.schemas.js';
import { PHOTO_SIZE, resourcePhotoPath } from './resources.photo.js';
import type { ClosureRow, Resource } from './resources.service.js';

type Place = { id: number; name: string; communeName: string };
type Room = { id: number; name: string; placeName: string };

function useEuros() {
  const { intl } = usePage();
  const whole = numberFormat(intl, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  const decimal = numberFormat(intl, { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (cents: number) => (cents % 100 ? decimal : whole).format(cents / 100);
}

/** Prices for members and for everybody else, per hour, half-day and day: only those the third place gave. */
export function ResourcePrices({ resource }: { resource: Resource }) {
  const { t } = usePage();
  const euros = useEuros();
  const rows = [
    { key: 'hour', member: resource.member_hour_cents, other: resource.hour_cents },
    { key: 'halfDay', member: resource.member_half_day_cents, other: resource.half_day_cents },
    { key: 'day', member: resource.member_day_cents, other: resource.day_cents },
  ].filter((r) => r.member !== null || r.other !== null);
  if (!rows.length) return <p class="muted">{t('bookings.prices.none')}</p>;
  return (
    <Table
      caption={t('bookings.prices.caption', { place: resource.place_name })}
      wrap="region"
      captionId="tarifs"
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { key: 'unit', header: t('bookings.prices.unit'), rowHeader: true, render: (r) => t(`bookings.prices.${r.key}`) },
        { key: 'member', header: t('bookings.prices.members'), align: 'end', render: (r) => (r.member === null ? '—' : euros(r.member)) },
        { key: 'other', header: t('bookings.prices.others'), align: 'end', render: (r) => (r.other === null ? '—' : euros(r.other)) },
      ]}
    />
  );
}

export function StaffResourcesView({ rows }: { rows: Resource[] }) {
  const { t } = usePage();
  return (
    <AdminShell title={t('bookings.admin.title')}>
      <h1>{t('bookings.admin.title')}</h1>
      <p class="actions">
        <a class="button button-primary" href="/admin/reservations/ressources/nouvelle">
          {t('bookings.admin.new')}
        </a>{' '}
        <a class="button button-secondary" href="/admin/reservations/planning">
          {t('bookings.admin.planning')}
        </a>
      </p>
      <Table
        caption={t('bookings.admin.caption')}
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('bookings.admin.empty')}
        columns={[
          { key: 'name', header: t('bookings.field.name'), rowHeader: true, render: (r) => <a href={`/admin/reservations/ressources/${r.id}`}>{r.name}</a> },
          { key: 'place', header: t('bookings.field.place'), render: (r) => r.place_name },
          { key: 'kind', header: t('bookings.field.kind'), render: (r) => t(`bookings.kind.${r.kind}`) },
          { key: 'capacity', header: t('bookings.field.capacity'), align: 'end', render: (r) => r.capacity },
          { key: 'audience', header: t('bookings.field.audience'), render: (r) => t(`bookings.audience.${r.audience}`) },
          { key: 'active', header: t('bookings.field.active'), render: (r) => (r.active ? t('bookings.yes') : t('bookings.no')) },
        ]}
      />
    </AdminShell>
  );
}

export interface PhotoFormState {
  maxBytes: number;
  values?: FormValues;
  errors?: FieldErrors;
}

/** The resource's photo, as its booking page shows it: replaced by an upload (multipart, no script) or removed. */
function PhotoSection({ resource, state }: { resource: Resource; state: PhotoFormState }) {
  const { t } = usePage();
  const errors = state.errors ?? {};
  return (
    <section id="photo" aria-labelledby="photo-title">
      <h2 id="photo-title">{t('bookings.photo.title')}</h2>
      {resource.photo_id ? <ResourcePhoto resource={resource} /> : <p>{t('bookings.photo.none')}</p>}
      {Object.keys(errors).length > 0 && <ErrorSummary errors={errors} />}
      <Form action={`/admin/reservations/ressources/${resource.id}/photo`} enctype="multipart/form-data" scope="photo">
        <Field name="alt" label={t('bookings.photo.alt')} hint={t('bookings.photo.altHint')} values={state.values ?? { alt: resource.photo_alt ?? '' }} errors={errors} maxLength={300} />
        <FileField name="image" label={t('bookings.photo.file')} hint={t('bookings.photo.hint', { max: Math.floor(state.maxBytes / (1024 * 1024)) })} accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp" errors={errors} required />
        <Button variant="secondary">{t(resource.photo_id ? 'bookings.photo.replace' : 'bookings.photo.upload')}</Button>
      </Form>
      {resource.photo_id && (
        <Form action={`/admin/reservations/ressources/${resource.id}/photo/supprimer`} scope="photo-remove">
          <Button variant="danger">{t('bookings.photo.remove')}</Button>
        </Form>
      )}
    </section>
  );
}

/** A resource's photo with its alternative text (the team's, else the resource's name); nothing when it has none. */
export function ResourcePhoto({ resource }: { resource: Pick<Resource, 'photo_id' | 'photo_alt' | 'name'> }) {
  if (!resource.photo_id) return null;
  return <img class="resource-photo" src={resourcePhotoPath(resource.photo_id)} alt={resource.photo_alt ?? resource.name} width={PHOTO_SIZE.width} height={PHOTO_SIZE.height} loading="lazy" decoding="async" />;
}

export function ResourceFormView({
  action,
  values,
  errors,
  places,
  rooms,
  editing,
  resource,
  closures,
  closureValues,
  closureErrors,
  photo,
}: {
  action: string;
  values: FormValues;
  errors?: FieldErrors;
  places: Place[];
  rooms: Room[];
  editing: boolean;
  resource?: Resource;
  closures?: ClosureRow[];
  closureValues?: FormValues;
  closureErrors?: FieldErrors;
  photo?: PhotoFormState;
}) {
  const { t, intl } = usePage();
  const title = editing && resource ? resource.name : t('bookings.admin.new');
  return (
    <AdminShell title={title}>
      <p class="back-link">
        <a href="/admin/reservations">{t('bookings.admin.back')}</a>
      </p>
      <h1>{title}</h1>
      {resource && (
        <p>
          <a href={`/reservations/${resource.slug}`}>{t('bookings.admin.seeGrid')}</a>
        </p>
      )}
      <Form action={action} scope="resource">
        <ErrorSummary errors={errors ?? {}} />
        <Field name="name" label={t('bookings.field.name')} values={values} errors={errors} required maxLength={120} />
        <Field name="slug" label={t('bookings.field.slug')} hint={t('bookings.field.slugHint')} values={values} errors={errors} maxLength={80} />
        <Select name="kind" label={t('bookings.field.kind')} values={values} errors={errors} required options={[{ value: '', label: '—' }, ...RESOURCE_KINDS.map((k) => ({ value: k, label: t(`bookings.kind.${k}`) }))]} />
        <Select name="placeId" label={t('bookings.field.place')} values={values} errors={errors} required options={[{ value: '', label: '—' }, ...places.map((p) => ({ value: String(p.id), label: `${p.name} (${p.communeName})` }))]} />
        <Select
          name="parentId"
          label={t('bookings.field.parent')}
          hint={t('bookings.field.parentHint')}
          values={values}
          errors={errors}
          options={[{ value: '', label: t('bookings.field.parentNone') }, ...rooms.filter((r) => r.id !== resource?.id).map((r) => ({ value: String(r.id), label: `${r.name} (${r.placeName})` }))]}
        />
        <Field name="capacity" label={t('bookings.field.capacity')} hint={t('bookings.field.capacityHint')} values={values} errors={errors} required inputMode="numeric" />
        <TextArea name="description" label={t('bookings.field.description')} values={values} errors={errors} rows={4} maxLength={4000} />
        <TextArea name="equipment" label={t('bookings.field.equipment')} values={values} errors={errors} rows={2} maxLength={1000} />
        <fieldset>
          <legend>{t('bookings.field.hours')}</legend>
          <p class="hint">{t('bookings.field.hoursHint')}</p>
          {WEEKDAYS.map((d) => (
            <Field key={d} name={`hours_${d}`} label={weekdayName(d, intl)} values={values} errors={errors} maxLength={80} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('bookings.field.rules')}</legend>
          <Select name="slotMinutes" label={t('bookings.field.slotMinutes')} values={values} errors={errors} required options={SLOT_STEPS.map((s) => ({ value: String(s), label: t('bookings.minutes', { minutes: s }) }))} />
          <Field name="minMinutes" label={t('bookings.field.minMinutes')} values={values} errors={errors} required inputMode="numeric" />
          <Field name="maxMinutes" label={t('bookings.field.maxMinutes')} values={values} errors={errors} required inputMode="numeric" />
          <Field name="memberHorizonDays" label={t('bookings.field.memberHorizonDays')} values={values} errors={errors} required inputMode="numeric" />
          <Field name="visitorHorizonDays" label={t('bookings.field.visitorHorizonDays')} values={values} errors={errors} required inputMode="numeric" />
          <Field name="noticeHours" label={t('bookings.field.noticeHours')} values={values} errors={errors} required inputMode="numeric" />
          <Field name="cancelHours" label={t('bookings.field.cancelHours')} values={values} errors={errors} required inputMode="numeric" />
          <Select name="audience" label={t('bookings.field.audience')} values={values} errors={errors} required options={AUDIENCE_RULES.map((a) => ({ value: a, label: t(`bookings.audience.${a}`) }))} />
          <Checkbox name="requiresAuthorisation" label={t('bookings.field.requiresAuthorisation')} values={values} errors={errors} />
          <Checkbox name="active" label={t('bookings.field.active')} values={values} errors={errors} />
        </fieldset>
        <fieldset>
          <legend>{t('bookings.field.prices')}</legend>
          <p class="hint">{t('bookings.field.pricesHint')}</p>
          {PRICE_FIELDS.map((p) => (
            <Field key={p} name={`price_${p}`} label={t(`bookings.field.price.${p}`)} values={values} errors={errors} inputMode="decimal" maxLength={12} />
          ))}
        </fieldset>
        <Button>{t('bookings.admin.save')}</Button>
      </Form>

      {resource && photo && <PhotoSection resource={resource} state={photo} />}

      {resource && (
        <section aria-labelledby="fermetures">
          <h2 id="fermetures">{t('bookings.closures.title')}</h2>
          <p class="hint">{t('bookings.closures.hint')}</p>
          {closures && closures.length > 0 ? (
            <ul class="inline-list">
              {closures.map((c) => (
                <li key={c.id}>
                  {t('bookings.closures.item', { from: formatDate(c.starts_at, intl), to: formatDate(new Date(c.ends_at.getTime() - 1), intl), reason: c.reason })}{' '}
                  <Form action={`/admin/reservations/ressources/${resource.id}/fermetures/${c.id}/supprimer`} class="inline-form">
                    <button type="submit" class="link-button">
                      {t('bookings.closures.remove')}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('bookings.closures.none')}</p>
          )}
          <Form action={`/admin/reservations/ressources/${resource.id}/fermetures`} scope="closure">
            <ErrorSummary errors={closureErrors ?? {}} />
            <Field name="from" type="date" label={t('bookings.closures.from')} values={closureValues} errors={closureErrors} required />
            <Field name="to" type="date" label={t('bookings.closures.to')} values={closureValues} errors={closureErrors} required />
            <Field name="reason" label={t('bookings.closures.reason')} values={closureValues} errors={closureErrors} required maxLength={200} />
            <Button variant="secondary">{t('bookings.closures.add')}</Button>
          </Form>
        </section>
      )}
    </AdminShell>
  );
}

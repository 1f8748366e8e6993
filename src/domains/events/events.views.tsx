/**
 * Pieces of event pages shared by the rooms' views: when and where an event is, its type and audience, its prices,
 * the seats left. Pure: props in, HTML out.
 */
import type { ThirdPlaceChoice } from '../places/index.js';
import { formatDate, formatDateTime } from '../../shared/time.js';
import { Checkbox, Field, Select, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { usePage } from '../../web/page-context.js';
import type { EventRow } from './events.common.js';
import { PLACE_KINDS } from './events.schemas.js';

export function useEuros() {
  const { intl } = usePage();
  const f = new Intl.NumberFormat(intl, { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 2 });
  return (cents: number) => f.format(cents / 100);
}

/** "12 décembre 2026, 9 h 00 – 11 h 00", "12 – 14 décembre 2026" (all day, several days). */
export function When({ event }: { event: Pick<EventRow, 'starts_at' | 'ends_at' | 'all_day'> }) {
  const { t, intl } = usePage();
  if (event.all_day) {
    const last = new Date(event.ends_at.getTime() - 1);
    const a = formatDate(event.starts_at, intl);
    const b = formatDate(last, intl);
    return (
      <>
        {a === b ? t('events.when.allDay', { day: a }) : t('events.when.days', { from: a, to: b })}
      </>
    );
  }
  const start = formatDateTime(event.starts_at, intl);
  const end = formatDateTime(event.ends_at, intl);
  const sameDay = formatDate(event.starts_at, intl) === formatDate(event.ends_at, intl);
  const endTime = sameDay ? end.slice(formatDate(event.ends_at, intl).length + 2) : end;
  return (
    <>
      <time dateTime={event.starts_at.toISOString()}>{start}</time> – <time dateTime={event.ends_at.toISOString()}>{endTime}</time>
    </>
  );
}

/** Where, with a link to the third place's or the village's page; "En ligne" for an online event. */
export function Where({ event, places }: { event: Pick<EventRow, 'place_kind' | 'third_place_id' | 'insee' | 'address' | 'commune_name'>; places: ReadonlyMap<number, ThirdPlaceChoice> }) {
  const { t } = usePage();
  if (event.place_kind === 'online') return <>{t('events.place.online')}</>;
  if (event.place_kind === 'third_place') {
    const p = event.third_place_id ? places.get(event.third_place_id) : undefined;
    if (!p) return <>{t('events.place.unknown')}</>;
    return (
      <>
        {p.published ? <a href={`/tiers-lieux/${p.slug}`}>{p.name}</a> : p.name}
        {p.communeName && <> · {p.communeName}</>}
      </>
    );
  }
  return (
    <>
      {event.place_kind === 'address' && <>{event.address}, </>}
      {event.insee ? <a href={`/villages/${event.insee}`}>{event.commune_name}</a> : event.commune_name}
    </>
  );
}

export function TypeTag({ event }: { event: Pick<EventRow, 'type_fr' | 'type_en'> }) {
  const { locale } = usePage();
  return <span class="tag">{locale === 'fr' ? event.type_fr : event.type_en}</span>;
}

export function AudienceTag({ audience }: { audience: string }) {
  const { t } = usePage();
  if (audience === 'public') return null;
  return <span class="tag">{t(`events.audience.${audience}`)}</span>;
}

/** Seats left, or "complet", or "annulé". The figure is the event's own count of seats given (source: registrations). */
export function SeatsLeft({ event }: { event: Pick<EventRow, 'capacity' | 'taken' | 'waiting' | 'status'> }) {
  const { t } = usePage();
  if (event.status === 'cancelled') return <strong>{t('events.status.cancelled')}</strong>;
  const left = Math.max(0, event.capacity - event.taken);
  if (left === 0) return <>{t('events.seats.full', { waiting: event.waiting })}</>;
  return <>{t('events.seats.left', { left, capacity: event.capacity })}</>;
}

export function Prices({ event }: { event: Pick<EventRow, 'price_member_cents' | 'price_public_cents'> }) {
  const { t } = usePage();
  const euros = useEuros();
  const { price_member_cents: member, price_public_cents: visitor } = event;
  if (member === null && visitor === null) return <>{t('events.price.free')}</>;
  const show = (c: number | null) => (c === null ? t('events.price.none') : c === 0 ? t('events.price.zero') : euros(c));
  return <>{t('events.price.both', { member: show(member), public: show(visitor) })}</>;
}

/** Where and when: the same fieldsets in the team's event form and in a member's proposal. */
export function WhereWhenFields({ places, communes, values, errors }: { places: readonly { id: number; name: string; communeName: string }[]; communes: readonly { insee: string; name: string }[]; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const choose = { value: '', label: t('events.form.choose') };
  return (
    <>
      <fieldset>
        <legend>{t('events.field.where')}</legend>
        <Select name="lieu" label={t('events.form.placeKind')} values={values} errors={errors} required options={[choose, ...PLACE_KINDS.map((k) => ({ value: k, label: t(`events.placeKind.${k}`) }))]} />
        <Select name="tiersLieu" label={t('events.form.thirdPlace')} hint={t('events.form.thirdPlaceHint')} values={values} errors={errors} options={[choose, ...places.map((p) => ({ value: String(p.id), label: `${p.name} (${p.communeName})` }))]} />
        <Select name="commune" label={t('events.form.commune')} hint={t('events.form.communeHint')} values={values} errors={errors} options={[choose, ...communes.map((c) => ({ value: c.insee, label: c.name }))]} />
        <Field name="adresse" label={t('events.form.address')} hint={t('events.form.addressHint')} values={values} errors={errors} maxLength={300} />
        <Field name="lien" label={t('events.form.link')} hint={t('events.form.linkHint')} type="url" values={values} errors={errors} maxLength={500} />
      </fieldset>
      <fieldset>
        <legend>{t('events.field.when')}</legend>
        <Checkbox name="journee" label={t('events.form.allDay')} values={values} errors={errors} />
        <Field name="debut" label={t('events.form.start')} hint={t('events.form.dateHint')} type="datetime-local" values={values} errors={errors} required />
        <Field name="fin" label={t('events.form.end')} hint={t('events.form.dateHint')} type="datetime-local" values={values} errors={errors} required />
      </fieldset>
    </>
  );
}

/**
 * The agenda on screen: the list and month views with their filters (a GET form, no JavaScript), the archives, an
 * event's page with its schema.org `Event` data, and the visitor's registration form. The anonymous pages carry no
 * POST form, so they can be cached; the visitor's form has its own page.
 */
import { formatDate, parisParts } from '../../../shared/time.js';
import { Button, ErrorSummary, Field, FilterSelect, Form, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import { renderMarkdown } from '../../../web/markdown.js';
import { usePage } from '../../../web/page-context.js';
import { COVER_SIZE, coverPath, placeText } from '../events.common.js';
import type { EventRow } from '../events.common.js';
import type { AgendaQuery } from '../events.schemas.js';
import { AUDIENCES } from '../events.schemas.js';
import { applicationHostOf } from '../events.selection.js';
import { AudienceTag, Prices, SeatsLeft, TypeTag, When, Where } from '../events.views.js';
import type { ThirdPlaceChoice } from '../../places/index.js';
import type { Agenda, EventPage } from './agenda.service.js';

function EventCard({ event, places }: { event: EventRow; places: ReadonlyMap<number, ThirdPlaceChoice> }) {
  return (
    <li class="card">
      <h3 class="card-title">
        <a href={`/agenda/${event.slug}`}>{event.title}</a>
      </h3>
      <p>
        <TypeTag event={event} /> <AudienceTag audience={event.audience} />
      </p>
      <p>
        <When event={event} />
      </p>
      <p>
        <Where event={event} places={places} />
      </p>
      <p class="small">
        <SeatsLeft event={event} />
      </p>
    </li>
  );
}

const query = (q: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

export function AgendaView({ data, query: q }: { data: Agenda; query: AgendaQuery }) {
  const { t, intl, locale } = usePage();
  const places = new Map(data.places.map((p) => [p.id, p]));
  const filters = { type: q.type, lieu: q.lieu, commune: q.commune, public: q.public };
  // Grouped by the Paris day they start on.
  const days = new Map<string, EventRow[]>();
  for (const e of data.events) {
    const day = parisParts(e.starts_at).day;
    days.set(day, [...(days.get(day) ?? []), e]);
  }
  const monthName = data.range ? new Intl.DateTimeFormat(intl, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${data.range.month}-01T12:00:00Z`)) : '';
  return (
    <Layout title={t('events.agenda.title')} description={t('events.agenda.lead')}>
      <h1>{t('events.agenda.title')}</h1>
      <p class="lead">{t('events.agenda.lead')}</p>
      <nav aria-label={t('events.agenda.views')}>
        <ul class="inline-list">
          <li>
            <a href={`/agenda${query(filters)}`} aria-current={q.vue === 'liste' ? 'page' : undefined}>
              {t('events.agenda.listView')}
            </a>
          </li>
          <li>
            <a href={`/agenda${query({ ...filters, vue: 'mois' })}`} aria-current={q.vue === 'mois' ? 'page' : undefined}>
              {t('events.agenda.monthView')}
            </a>
          </li>
          <li>
            <a href="/agenda/archives">{t('events.archives.title')}</a>
          </li>
          <li>
            <a href="/agenda.ics">{t('events.agenda.feed')}</a>
          </li>
        </ul>
      </nav>
      <form method="get" action="/agenda" class="filters" aria-label={t('events.filter.label')}>
        {q.vue === 'mois' && <input type="hidden" name="vue" value="mois" />}
        {q.vue === 'mois' && data.range && <input type="hidden" name="mois" value={data.range.month} />}
        <FilterSelect name="type" label={t('events.filter.type')} all={t('events.filter.allTypes')} current={q.type} options={data.types.map((ty) => ({ value: ty.key, label: locale === 'fr' ? ty.label_fr : ty.label_en }))} />
        <FilterSelect name="lieu" label={t('events.filter.place')} all={t('events.filter.allPlaces')} current={q.lieu} options={data.places.filter((p) => p.published).map((p) => ({ value: p.slug, label: p.name }))} />
        <FilterSelect name="commune" label={t('events.filter.commune')} all={t('events.filter.allCommunes')} current={q.commune} options={data.communes.map((c) => ({ value: c.insee, label: c.name }))} />
        <FilterSelect name="public" label={t('events.filter.audience')} all={t('events.filter.allAudiences')} current={q.public} options={AUDIENCES.map((a) => ({ value: a, label: t(`events.audience.${a}`) }))} />
        <button type="submit" class="button button-secondary">
          {t('events.filter.submit')}
        </button>
      </form>
      {data.range && (
        <>
          <h2>{monthName}</h2>
          <nav aria-label={t('events.agenda.months')}>
            <ul class="inline-list">
              <li>
                <a href={`/agenda${query({ ...filters, vue: 'mois', mois: data.range.prev })}`}>{t('events.agenda.prevMonth')}</a>
              </li>
              <li>
                <a href={`/agenda${query({ ...filters, vue: 'mois', mois: data.range.next })}`}>{t('events.agenda.nextMonth')}</a>
              </li>
            </ul>
          </nav>
        </>
      )}
      <p role="status">{t('events.agenda.count', { count: data.events.length })}</p>
      {data.events.length === 0 ? (
        <p>{t('events.agenda.empty')}</p>
      ) : (
        [...days].map(([day, events]) => (
          <section key={day} aria-labelledby={`jour-${day}`}>
            <h2 id={`jour-${day}`}>{formatDate(new Date(`${day}T12:00:00Z`), intl)}</h2>
            <ul class="cards">
              {events.map((e) => (
                <EventCard key={e.id} event={e} places={places} />
              ))}
            </ul>
          </section>
        ))
      )}
      <p class="small">
        <a href="/api/v1/agenda">{t('events.agenda.api')}</a>
      </p>
    </Layout>
  );
}

export function ArchivesView({ events, places }: { events: EventRow[]; places: ThirdPlaceChoice[] }) {
  const { t } = usePage();
  const byId = new Map(places.map((p) => [p.id, p]));
  return (
    <Layout title={t('events.archives.title')}>
      <p class="back-link">
        <a href="/agenda">{t('events.back')}</a>
      </p>
      <h1>{t('events.archives.title')}</h1>
      <p class="lead">{t('events.archives.lead')}</p>
      {events.length === 0 ? (
        <p>{t('events.archives.empty')}</p>
      ) : (
        <ul class="cards">
          {events.map((e) => (
            <li key={e.id} class="card">
              <h2 class="card-title">
                <a href={`/agenda/${e.slug}`}>{e.title}</a>
              </h2>
              <p>
                <TypeTag event={e} /> · <When event={e} />
              </p>
              <p>
                <Where event={e} places={byId} />
              </p>
              <p class="small">{e.status === 'cancelled' ? t('events.status.cancelled') : (e.checked_in ? t('events.archives.present', { count: e.present }) : t('events.archives.attendance', { count: e.attended, capacity: e.capacity }))}</p>
            </li>
          ))}
        </ul>
      )}
      <p class="small muted">{t('events.archives.source')}</p>
    </Layout>
  );
}

/** schema.org `Event` as JSON-LD: data, not script (the CSP lets it be); `<` is escaped so no text can close the tag. */
function EventJsonLd({ page, baseUrl, programme }: { page: EventPage; baseUrl: string; programme: string }) {
  const e = page.event;
  const url = `${baseUrl}/agenda/${e.slug}`;
  const placeName = placeText(e, page.places);
  const p = e.third_place_id ? page.places.get(e.third_place_id) : undefined;
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: e.title,
    url,
    startDate: e.all_day ? parisParts(e.starts_at).day : e.starts_at.toISOString(),
    endDate: e.all_day ? parisParts(new Date(e.ends_at.getTime() - 1)).day : e.ends_at.toISOString(),
    eventStatus: e.status === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
    eventAttendanceMode: e.place_kind === 'online' ? 'https://schema.org/OnlineEventAttendanceMode' : 'https://schema.org/OfflineEventAttendanceMode',
    // The online link is for registrants: the public data points at this page.
    location:
      e.place_kind === 'online'
        ? { '@type': 'VirtualLocation', url }
        : {
            '@type': 'Place',
            name: p?.name ?? placeName,
            address: { '@type': 'PostalAddress', streetAddress: p?.address ?? e.address ?? undefined, postalCode: p?.postcode ?? undefined, addressLocality: p?.communeName ?? e.commune_name ?? undefined, addressCountry: 'FR' },
          },
    organizer: { '@type': 'Organization', name: e.organiser ?? programme, url: baseUrl },
    maximumAttendeeCapacity: e.capacity,
    remainingAttendeeCapacity: Math.max(0, e.capacity - e.taken),
  };
  if (e.description_md) data.description = e.description_md.slice(0, 500);
  if (e.cover_id) data.image = [`${baseUrl}${coverPath(e.cover_id)}`];
  if (e.price_public_cents !== null) data.offers = { '@type': 'Offer', price: (e.price_public_cents / 100).toFixed(2), priceCurrency: 'EUR', url };
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} />;
}

export function EventView({ page, baseUrl }: { page: EventPage; baseUrl: string }) {
  const { t, intl, user, programmeName, csrfToken } = usePage();
  const e = page.event;
  const { mine, registration: reg } = page;
  const selection = e.registration_mode === 'selection';
  const host = applicationHostOf(e.type_key);
  const seatOptions = Array.from({ length: Math.min(e.max_seats, Math.max(1, reg.left || e.max_seats)) }, (_, i) => i + 1);
  return (
    <Layout title={e.title} description={e.description_md.slice(0, 160) || undefined}>
      <p class="back-link">
        <a href={page.past ? '/agenda/archives' : '/agenda'}>{page.past ? t('events.archives.title') : t('events.back')}</a>
      </p>
      <EventJsonLd page={page} baseUrl={baseUrl} programme={programmeName} />
      <h1>{e.title}</h1>
      {e.cover_id && <img class="event-cover" src={coverPath(e.cover_id)} alt={e.cover_alt ?? e.title} width={COVER_SIZE.width} height={COVER_SIZE.height} decoding="async" />}
      {e.status === 'cancelled' && (
        <p class="alert alert-error" role="note">
          {t('events.page.cancelled')}
        </p>
      )}
      {e.status === 'draft' && (
        <p class="alert alert-info" role="note">
          {t('events.page.draft')}
        </p>
      )}
      <dl class="facts">
        <div>
          <dt>{t('events.field.type')}</dt>
          <dd>
            <TypeTag event={e} /> <AudienceTag audience={e.audience} />
          </dd>
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
            <Where event={e} places={page.places} />
            {page.showLink && e.online_url && (
              <>
                {' · '}
                <a href={e.online_url} rel="noopener noreferrer">
                  {t('events.page.joinOnline')}
                </a>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('events.field.price')}</dt>
          <dd>
            <Prices event={e} />
          </dd>
        </div>
        {e.organiser && (
          <div>
            <dt>{t('events.field.organiser')}</dt>
            <dd>{e.organiser}</dd>
          </div>
        )}
        <div>
          <dt>{page.past ? t('events.field.attendance') : t('events.field.seats')}</dt>
          <dd>{page.past ? (e.checked_in ? t('events.archives.present', { count: e.present }) : t('events.archives.attendance', { count: e.attended, capacity: e.capacity })) : <SeatsLeft event={e} />}</dd>
        </div>
      </dl>
      {e.description_md && <div class="guide-body">{renderMarkdown(e.description_md).body}</div>}

      {!page.past && e.status === 'published' && (
        <section aria-labelledby="inscription" id="inscrire">
          <h2 id="inscription">{t('events.page.register')}</h2>
          {e.place_kind === 'online' && !page.showLink && <p>{t('events.page.linkForRegistrants')}</p>}
          {mine ? (
            <>
              <p>{t(`events.mine.${mine.status}`, { seats: mine.seats })}</p>
              <p>
                <a href="/compte/inscriptions">{t('events.mine.manage')}</a>
              </p>
            </>
          ) : host ? (
            <p>
              <a href={host.href}>{t(host.labelKey)}</a>
            </p>
          ) : !reg.open ? (
            <p>{reg.notYet && e.registration_opens_at ? t('events.page.opensOn', { date: formatDate(e.registration_opens_at, intl) }) : t('events.page.closed')}</p>
          ) : !reg.allowed ? (
            <p>{user ? t(`events.register.audience.${e.audience}`) : t(`events.page.audienceSignIn.${e.audience}`)}</p>
          ) : user && csrfToken ? (
            <Form action={`/agenda/${e.slug}/inscrire`} class="inline-form">
              {e.max_seats > 1 && (
                <div class="field">
                  <label for="f-places">{t('events.register.seats')}</label>
                  <select id="f-places" name="places">
                    {seatOptions.map((n) => (
                      <option key={n} value={String(n)}>
                        {n}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <Button>{selection ? t('events.register.apply') : reg.left > 0 ? t('events.register.oneClick') : t('events.register.joinWaitlist')}</Button>
            </Form>
          ) : (
            <p>
              <a class="button button-primary" href={`/agenda/${e.slug}/inscription`}>
                {selection ? t('events.register.apply') : reg.left > 0 ? t('events.register.visitorLink') : t('events.register.joinWaitlist')}
              </a>{' '}
              <a href={`/connexion?retour=${encodeURIComponent(`/agenda/${e.slug}`)}`}>{t('events.register.signIn')}</a>
            </p>
          )}
        </section>
      )}
      <p class="small">
        <a href={`/agenda/${e.slug}.ics`}>{t('events.page.addToCalendar')}</a>
      </p>
    </Layout>
  );
}

/** A refusal that needs its numbers ("only 3 seats left"), shown above the form. */
export function Problem({ problem }: { problem?: { key: string; params?: Record<string, string | number> } }) {
  const { t } = usePage();
  if (!problem) return null;
  return (
    <div class="alert alert-error" role="alert">
      <p>{t(problem.key, problem.params)}</p>
    </div>
  );
}

export function VisitorFormView({ page, values, errors, problem }: { page: EventPage; values?: FormValues; errors?: FieldErrors; problem?: { key: string; params?: Record<string, string | number> } }) {
  const { t } = usePage();
  const e = page.event;
  return (
    <Layout title={t('events.visitor.title', { event: e.title })} narrow>
      <p class="back-link">
        <a href={`/agenda/${e.slug}`}>{e.title}</a>
      </p>
      <h1>{t('events.visitor.title', { event: e.title })}</h1>
      <p>
        <When event={e} /> · <Where event={e} places={page.places} />
      </p>
      <p>{page.registration.left > 0 ? t('events.seats.left', { left: page.registration.left, capacity: e.capacity }) : t('events.visitor.fullNote')}</p>
      <p>{t('events.visitor.lead')}</p>
      <Problem problem={problem} />
      {errors && <ErrorSummary errors={errors} />}
      <Form action={`/agenda/${e.slug}/inscription`}>
        <Field name="nom" label={t('events.visitor.name')} values={values} errors={errors} required autocomplete="name" maxLength={120} />
        <Field name="email" label={t('events.visitor.email')} type="email" values={values} errors={errors} required autocomplete="email" maxLength={254} />
        {e.max_seats > 1 && (
          <Field name="places" label={t('events.register.seats')} hint={t('events.register.seatsHint', { max: e.max_seats })} values={values} errors={errors} inputMode="numeric" maxLength={2} />
        )}
        <Button>{t('events.visitor.submit')}</Button>
      </Form>
    </Layout>
  );
}

export function CheckMailView({ title }: { title: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('events.visitor.sentTitle')} narrow>
      <h1>{t('events.visitor.sentTitle')}</h1>
      <p role="status">{t('events.visitor.sent', { event: title })}</p>
      <p>
        <a href="/agenda">{t('events.back')}</a>
      </p>
    </Layout>
  );
}

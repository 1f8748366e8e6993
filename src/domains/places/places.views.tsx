/** Third-place pages: the list with its map, one place, and the staff editor. Unknown facts say "à confirmer". */
import type { VNode } from 'preact';
import type { OpeningHours, PublicationStatus } from '../../db/schema.js';
import { formatDate, formatDateTime, formatNumber } from '../../shared/time.js';
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, Checkbox, Checkboxes, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { Table } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { renderMarkdown } from '../../web/markdown.js';
import { usePage } from '../../web/page-context.js';
import { formatTime, WEEKDAYS, weekdayName } from './places.hours.js';
import type { PlacesMapData } from './places.map.js';
import { SERVICES } from './places.schemas.js';

export interface PlaceView {
  id: number;
  slug: string;
  name: string;
  summary: string;
  description_md: string;
  label: string;
  commune_insee: string;
  commune_name: string;
  address: string | null;
  postcode: string | null;
  lat: number;
  lon: number;
  location_approximate: boolean;
  services: string[];
  services_note: string;
  opening_hours: OpeningHours | null;
  hours_note: string;
  prices: string;
  prices_are_example: boolean;
  website: string | null;
  email: string | null;
  phone: string | null;
  source_url: string | null;
  status: PublicationStatus;
  updated_at: Date;
}

function ToConfirm() {
  const { t } = usePage();
  return <span class="to-confirm">{t('places.toConfirm')}</span>;
}

function ServiceTags({ services }: { services: string[] }) {
  const { t } = usePage();
  if (!services.length) return null;
  return (
    <ul class="tags">
      {services.map((s) => (
        <li key={s} class="tag">
          {t(`places.service.${s}`)}
        </li>
      ))}
    </ul>
  );
}

/** Inline SVG: each place a keyboard-reachable link; approximate positions are drawn as empty circles. */
function PlacesMap({ map }: { map: PlacesMapData }) {
  const { t } = usePage();
  return (
    <figure class="places-map">
      <svg viewBox={`0 0 ${map.width} ${map.height}`} role="group" aria-label={t('places.mapLabel', { count: map.points.length })} xmlns="http://www.w3.org/2000/svg">
        <path d={map.outline} fill="#e9e3d5" stroke="#5c5a52" stroke-width="4" stroke-linejoin="round" />
        {map.points.map((p) => (
          <a key={p.slug} href={`/tiers-lieux/${p.slug}`} aria-label={`${p.name}, ${p.commune}`}>
            <circle cx={Math.round(p.x)} cy={Math.round(p.y)} r="22" fill={p.approximate ? '#fbf8f1' : '#2f6b3a'} stroke="#2f6b3a" stroke-width="9" />
          </a>
        ))}
      </svg>
      <figcaption class="small muted">{t('places.mapApprox')}</figcaption>
    </figure>
  );
}

export function PlacesIndexView({ places, map }: { places: PlaceView[]; map: PlacesMapData | null }) {
  const { t } = usePage();
  return (
    <Layout title={t('places.title')} description={t('places.lead')}>
      <h1>{t('places.title')}</h1>
      <p class="lead">{t('places.lead')}</p>
      {places.length === 0 ? (
        <p>{t('places.none')}</p>
      ) : (
        <div class="places-index">
          <ul class="cards places-cards">
            {places.map((p) => (
              <li key={p.slug} class="card">
                <h2 class="card-heading">
                  <a href={`/tiers-lieux/${p.slug}`}>{p.name}</a>
                </h2>
                <p class="muted">
                  {t('places.list.in', { commune: p.commune_name })}
                  {p.label && ` · ${p.label}`}
                </p>
                <ServiceTags services={p.services} />
                {p.summary && <p lang="fr">{p.summary}</p>}
              </li>
            ))}
          </ul>
          {map && (
            <section aria-labelledby="carte-tiers-lieux">
              <h2 id="carte-tiers-lieux">{t('places.mapTitle')}</h2>
              <PlacesMap map={map} />
            </section>
          )}
        </div>
      )}
    </Layout>
  );
}

function HoursTable({ hours }: { hours: OpeningHours }) {
  const { t, intl } = usePage();
  return (
    <Table
      class="hours"
      wrap="none"
      caption={t('places.detail.hours')}
      captionHidden
      head={false}
      rows={WEEKDAYS}
      rowKey={(d) => d}
      columns={[
        { key: 'day', header: null, rowHeader: true, render: (d) => weekdayName(d, intl) },
        {
          key: 'hours',
          header: null,
          render: (d) => {
            const ranges = hours[d] ?? [];
            return ranges.length ? ranges.map((r) => `${formatTime(r.from, intl)} – ${formatTime(r.to, intl)}`).join(', ') : t('places.detail.closed');
          },
        },
      ]}
    />
  );
}

export interface NearbyPlace {
  slug: string;
  name: string;
  communeName: string;
  distanceKm: number;
}

export function PlaceDetailView({ place, nearby, canEdit, sections = [] }: { place: PlaceView; nearby: NearbyPlace[]; canEdit: boolean; sections?: VNode[] }) {
  const { t, intl } = usePage();
  const description = place.description_md.trim() ? renderMarkdown(place.description_md).body : null;
  const unknown = !place.address || !place.opening_hours || !place.prices || place.prices_are_example;
  return (
    <Layout title={place.name} description={place.summary || undefined}>
      <nav aria-label={t('site.breadcrumb')} class="breadcrumb">
        <ol>
          <li>
            <a href="/tiers-lieux">{t('site.nav.places')}</a>
          </li>
          <li aria-current="page">{place.name}</li>
        </ol>
      </nav>
      {place.status !== 'published' && (
        <p class="alert alert-info" role="note">
          {t('places.detail.draft')}
        </p>
      )}
      <h1>{place.name}</h1>
      {place.label && (
        <p>
          <span class="tag">{place.label}</span>
        </p>
      )}
      {place.summary && (
        <p class="lead" lang="fr">
          {place.summary}
        </p>
      )}
      {canEdit && (
        <p>
          <a href={`/admin/tiers-lieux/${place.id}`}>{t('places.detail.edit')}</a>
        </p>
      )}
      <div class="place-layout">
        <div>
          <section aria-labelledby="services">
            <h2 id="services">{t('places.detail.services')}</h2>
            {place.services.length ? <ServiceTags services={place.services} /> : <p>{t('places.detail.noServices')}</p>}
            {place.services_note && <p lang="fr">{place.services_note}</p>}
          </section>
          {description && (
            <div lang="fr" class="guide-body">
              {description}
            </div>
          )}
        </div>
        <section aria-labelledby="pratique" class="card place-practical">
          <h2 id="pratique">{t('places.detail.practical')}</h2>
          <dl>
            <dt>{t('places.detail.address')}</dt>
            <dd>{place.address ? [place.address, [place.postcode, place.commune_name].filter(Boolean).join(' ')].join(', ') : <ToConfirm />}</dd>
            <dt>{t('places.detail.commune')}</dt>
            <dd>
              <a href={`/villages/${place.commune_insee}`} aria-label={t('places.detail.communeLink', { commune: place.commune_name })}>
                {place.commune_name}
              </a>
            </dd>
            <dt>{t('places.detail.hours')}</dt>
            <dd>
              {place.opening_hours ? <HoursTable hours={place.opening_hours} /> : <ToConfirm />}
              {place.hours_note && <p lang="fr">{place.hours_note}</p>}
            </dd>
            <dt>{t('places.detail.prices')}</dt>
            <dd>
              {!place.prices ? (
                <ToConfirm />
              ) : place.prices_are_example ? (
                <>
                  <strong class="demo-example">{t('places.detail.pricesExample', { prices: place.prices })}</strong>
                  <br />
                  <ToConfirm />
                </>
              ) : (
                <span lang="fr">{place.prices}</span>
              )}
            </dd>
            <dt>{t('places.detail.contact')}</dt>
            <dd>
              {place.website || place.email || place.phone ? (
                <ul class="plain">
                  {place.website && (
                    <li>
                      {t('places.detail.website')} : <a href={place.website} rel="noopener noreferrer">{place.website.replace(/^https?:\/\//, '')}</a>
                    </li>
                  )}
                  {place.email && (
                    <li>
                      {t('places.detail.email')} : <a href={`mailto:${place.email}`}>{place.email}</a>
                    </li>
                  )}
                  {place.phone && (
                    <li>
                      {t('places.detail.phone')} : <a href={`tel:${place.phone.replace(/[^0-9+]/g, '')}`}>{place.phone}</a>
                    </li>
                  )}
                </ul>
              ) : (
                <ToConfirm />
              )}
            </dd>
            <dt>{t('places.detail.position')}</dt>
            <dd>
              {formatNumber(place.lat, intl, { maximumFractionDigits: 4 })}, {formatNumber(place.lon, intl, { maximumFractionDigits: 4 })}
              <br />
              <span class="small muted">{place.location_approximate ? t('places.detail.approximate') : t('places.detail.exact')}</span>
            </dd>
          </dl>
          {unknown && <p class="small muted">{t('places.toConfirmHint')}</p>}
        </section>
      </div>
      <p class="small muted">
        {place.source_url && (
          <>
            {t('places.detail.source')} : <a href={place.source_url} rel="noopener noreferrer">{place.source_url.replace(/^https?:\/\//, '').slice(0, 80)}</a>
            {' · '}
          </>
        )}
        {t('places.detail.updated', { date: formatDate(place.updated_at, intl) })}
      </p>
      {sections}
      {nearby.length > 0 && (
        <section aria-labelledby="a-proximite">
          <h2 id="a-proximite">{t('places.detail.nearby')}</h2>
          <ul>
            {nearby.map((n) => (
              <li key={n.slug}>
                <a href={`/tiers-lieux/${n.slug}`}>{n.name}</a> ({n.communeName}, {t('places.detail.km', { km: formatNumber(n.distanceKm, intl, { maximumFractionDigits: 1 }) })})
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href="/tiers-lieux">{t('places.detail.back')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- staff

export function AdminPlacesView({ places }: { places: PlaceView[] }) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('places.admin.title')}>
      <h1>{t('places.admin.title')}</h1>
      <p class="actions">
        <a class="button button-primary" href="/admin/tiers-lieux/nouveau">
          {t('places.admin.new')}
        </a>
      </p>
      <p>{t('places.admin.count', { count: places.length })}</p>
      <Table
        rows={places}
        rowKey={(p) => p.id}
        columns={[
          { key: 'name', header: t('places.admin.col.name'), render: (p) => <a href={`/admin/tiers-lieux/${p.id}`}>{p.name}</a> },
          { key: 'commune', header: t('places.admin.col.commune'), render: (p) => p.commune_name },
          { key: 'status', header: t('places.admin.col.status'), render: (p) => <span class={`tag status-${p.status}`}>{t(`places.status.${p.status}`)}</span> },
          { key: 'hours', header: t('places.admin.col.hours'), render: (p) => (p.opening_hours ? t('places.admin.known') : <ToConfirm />) },
          { key: 'updated', header: t('places.admin.col.updated'), render: (p) => formatDateTime(p.updated_at, intl) },
        ]}
      />
    </AdminShell>
  );
}

export function PlaceEditorView({ place, values, errors = {} }: { place?: { id: number; slug: string; name: string }; values: FormValues; errors?: FieldErrors }) {
  const { t, intl } = usePage();
  const title = place ? t('places.editor.editTitle', { name: place.name }) : t('places.editor.newTitle');
  return (
    <AdminShell title={title}>
      <h1>{title}</h1>
      {place && (
        <p>
          <a href={`/tiers-lieux/${place.slug}`}>{t('places.editor.viewPublic')}</a>
        </p>
      )}
      <Form action={place ? `/admin/tiers-lieux/${place.id}` : '/admin/tiers-lieux/nouveau'} class="editor">
        <ErrorSummary errors={errors} />
        <fieldset class="field">
          <legend>{t('places.editor.identity')}</legend>
          <Field name="name" label={t('places.editor.name')} values={values} errors={errors} required maxLength={160} />
          <Field name="slug" label={t('places.editor.slug')} hint={t('places.editor.slugHint')} values={values} errors={errors} maxLength={120} />
          <Field name="label" label={t('places.editor.label')} hint={t('places.editor.labelHint')} values={values} errors={errors} maxLength={120} />
          <TextArea name="summary" label={t('places.editor.summary')} values={values} errors={errors} rows={3} maxLength={600} />
          <TextArea name="description" label={t('places.editor.description')} hint={t('places.editor.descriptionHint')} values={values} errors={errors} rows={8} />
        </fieldset>
        <fieldset class="field">
          <legend>{t('places.editor.location')}</legend>
          <Field name="commune" label={t('places.editor.commune')} hint={t('places.editor.communeHint')} values={values} errors={errors} required maxLength={5} />
          <Field name="address" label={t('places.editor.address')} hint={t('places.editor.addressHint')} values={values} errors={errors} maxLength={300} autocomplete="off" />
          <Field name="postcode" label={t('places.editor.postcode')} values={values} errors={errors} maxLength={5} inputMode="numeric" />
          <Field name="lat" label={t('places.editor.lat')} hint={t('places.editor.coordinatesHint')} values={values} errors={errors} inputMode="decimal" />
          <Field name="lon" label={t('places.editor.lon')} values={values} errors={errors} inputMode="decimal" />
          <Checkbox name="locationApproximate" label={t('places.editor.approximate')} values={values} errors={errors} />
        </fieldset>
        <Checkboxes name="services" legend={t('places.editor.services')} options={SERVICES.map((s) => ({ value: s, label: t(`places.service.${s}`) }))} values={values} errors={errors} />
        <TextArea name="servicesNote" label={t('places.editor.servicesNote')} values={values} errors={errors} rows={3} maxLength={600} />
        <fieldset class="field">
          <legend>{t('places.editor.hours')}</legend>
          <p class="hint">{t('places.editor.hoursHint')}</p>
          {WEEKDAYS.map((d) => (
            <Field key={d} name={`hours_${d}`} label={weekdayName(d, intl)} values={values} errors={errors} maxLength={120} />
          ))}
          <Field name="hoursNote" label={t('places.editor.hoursNote')} hint={t('places.editor.hoursNoteHint')} values={values} errors={errors} maxLength={300} />
        </fieldset>
        <fieldset class="field">
          <legend>{t('places.editor.pricesSection')}</legend>
          <TextArea name="prices" label={t('places.editor.prices')} hint={t('places.editor.pricesHint')} values={values} errors={errors} rows={3} maxLength={600} />
          <Checkbox name="pricesAreExample" label={t('places.editor.pricesAreExample')} values={values} errors={errors} />
          <Field name="website" type="url" label={t('places.editor.website')} values={values} errors={errors} maxLength={300} />
          <Field name="email" type="email" label={t('places.editor.email')} values={values} errors={errors} maxLength={254} />
          <Field name="phone" type="tel" label={t('places.editor.phone')} values={values} errors={errors} maxLength={30} />
          <Field name="sourceUrl" type="url" label={t('places.editor.sourceUrl')} values={values} errors={errors} maxLength={300} />
        </fieldset>
        <Select
          name="status"
          label={t('places.editor.status')}
          values={values}
          errors={errors}
          options={(['draft', 'published'] as const).map((s) => ({ value: s, label: t(`places.status.${s}`) }))}
        />
        <Button>{t('places.editor.save')}</Button>
      </Form>
    </AdminShell>
  );
}

/**
 * Offers on screen: the public list and page (/offres), the team's list, page and form (/admin/offres), the
 * partner's list and form (/partenaire/offres), and the small sections of the case page and /mon-projet.
 * Public views never receive the seller's contact: their props are the public rows.
 */
import type { CaseStage } from '../../db/schema.js';
import { formatDate, formatDateTime, formatDay } from '../../shared/time.js';
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, Checkbox, ErrorSummary, Field, FilterSelect, Form, Radios, Select, TextArea, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { Pagination } from '../../web/components/pagination.js';
import { Table } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { renderMarkdown } from '../../web/markdown.js';
import { usePage } from '../../web/page-context.js';
import {
  CONTRACTS,
  HOUSING_TYPES,
  OFFER_KINDS,
  OFFER_SECTORS,
  OFFER_STATUS_FILTERS,
  type AdminOfferQuery,
  type PublicOfferQuery,
} from './offers.schemas.js';
import type { CaseOffers, MyOfferInterest, PublicOffer, PublicOfferSummary, StaffOffer, StaffOfferSummary } from './offers.service.js';
import { can } from '../../shared/roles.js';
import { numberFormat } from '../../shared/formatters.js';

type Choice = { insee: string; name: string };

function useEuros() {
  const { intl } = usePage();
  const f = numberFormat(intl, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  return (n: number) => f.format(n);
}

/** "Reprise d'entreprise", "Logement · location"... */
function KindLabel({ offer }: { offer: { kind: string; housing_type: string | null } }) {
  const { t } = usePage();
  return (
    <span class="tag">
      {t(`newcomers.offers.kind.${offer.kind}`)}
      {offer.kind === 'housing' && offer.housing_type ? ` · ${t(`newcomers.offers.housing.${offer.housing_type}`)}` : ''}
    </span>
  );
}

/** The price line of an offer: a range for a takeover, a price or a monthly rent for housing, nothing for a job. */
function PriceText({ offer }: { offer: Pick<PublicOfferSummary, 'kind' | 'price_min' | 'price_max' | 'price' | 'housing_type'> }) {
  const { t } = usePage();
  const euros = useEuros();
  if (offer.kind === 'takeover' && offer.price_min !== null && offer.price_max !== null) {
    return <>{offer.price_min === offer.price_max ? euros(offer.price_min) : t('newcomers.offers.priceRange', { min: euros(offer.price_min), max: euros(offer.price_max) })}</>;
  }
  if (offer.kind === 'housing' && offer.price !== null) {
    return <>{offer.housing_type === 'sale' ? euros(offer.price) : t('newcomers.offers.perMonth', { price: euros(offer.price) })}</>;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------- public list


export function OffersListView({
  rows,
  total,
  page,
  pages,
  communes,
  epcis,
  query,
}: {
  rows: PublicOfferSummary[];
  total: number;
  page: number;
  pages: number;
  communes: Choice[];
  epcis: { siren: string; name: string }[];
  query: PublicOfferQuery;
}) {
  const { t, intl, roles } = usePage();
  const baseQuery = { type: query.type, logement: query.logement, commune: query.commune, epci: query.epci, secteur: query.secteur, prixMax: query.prixMax?.toString() };
  return (
    <Layout title={t('newcomers.offers.title')} description={t('newcomers.offers.lead')}>
      <h1>{t('newcomers.offers.title')}</h1>
      <p class="lead">{t('newcomers.offers.lead')}</p>
      {/* Only signed-in pages show these (anonymous visitors have no role), so the cached page never does. */}
      {can({ roles }, 'team') && (
        <p>
          <a href="/admin/offres">{t('newcomers.offers.manage')}</a>
        </p>
      )}
      {roles.has('partner') && (
        <p>
          <a href="/partenaire/offres">{t('newcomers.offers.partner.title')}</a>
        </p>
      )}
      <form method="get" action="/offres" class="filters" aria-label={t('newcomers.offers.filter.label')}>
        <FilterSelect name="type" label={t('newcomers.offers.filter.kind')} all={t('newcomers.offers.filter.allKinds')} current={query.type} options={OFFER_KINDS.map((k) => ({ value: k, label: t(`newcomers.offers.kind.${k}`) }))} />
        <FilterSelect name="logement" label={t('newcomers.offers.filter.housing')} all={t('newcomers.offers.filter.allHousing')} current={query.logement} options={HOUSING_TYPES.map((h) => ({ value: h, label: t(`newcomers.offers.housing.${h}`) }))} />
        <FilterSelect name="commune" label={t('newcomers.offers.filter.commune')} all={t('newcomers.offers.filter.allCommunes')} current={query.commune} options={communes.map((c) => ({ value: c.insee, label: c.name }))} />
        <FilterSelect name="epci" label={t('newcomers.offers.filter.epci')} all={t('newcomers.offers.filter.allEpcis')} current={query.epci} options={epcis.map((e) => ({ value: e.siren, label: e.name }))} />
        <FilterSelect name="secteur" label={t('newcomers.offers.filter.sector')} all={t('newcomers.offers.filter.allSectors')} current={query.secteur} options={OFFER_SECTORS.map((s) => ({ value: s, label: t(`newcomers.offers.sector.${s}`) }))} />
        <div class="field">
          <label for="q-prixMax">{t('newcomers.offers.filter.maxPrice')}</label>
          <input id="q-prixMax" name="prixMax" inputMode="numeric" maxLength={10} value={query.prixMax?.toString() ?? ''} aria-describedby="q-prixMax-hint" />
          <p class="hint" id="q-prixMax-hint">
            {t('newcomers.offers.filter.maxPriceHint')}
          </p>
        </div>
        <button type="submit" class="button button-secondary">
          {t('newcomers.offers.filter.submit')}
        </button>
      </form>
      <p role="status">{t('newcomers.offers.count', { count: total })}</p>
      {rows.length === 0 ? (
        <p>{t('newcomers.offers.empty')}</p>
      ) : (
        <ul class="cards">
          {rows.map((o) => (
            <li key={o.id} class="card">
              <h2 class="card-title">
                <a href={`/offres/${o.id}`}>{o.title}</a>
              </h2>
              <p>
                <KindLabel offer={o} /> · {o.commune_name}
                {o.sector && <> · {t(`newcomers.offers.sector.${o.sector}`)}</>}
              </p>
              {(o.kind !== 'job' || o.employer) && (
                <p>
                  {o.kind === 'job' ? o.employer : <PriceText offer={o} />}
                  {o.kind === 'housing' && o.surface_m2 !== null && <> · {t('newcomers.offers.surfaceValue', { m2: o.surface_m2 })}</>}
                </p>
              )}
              <p class="small muted">{t('newcomers.offers.until', { date: formatDay(o.expires_on, intl) })}</p>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} baseQuery={baseQuery} />
      <p class="small">
        <a href="/api/v1/offres">{t('newcomers.offers.apiLink')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- public page

function OfferFacts({ offer }: { offer: PublicOffer | StaffOffer }) {
  const { t, intl } = usePage();
  const euros = useEuros();
  const epciName = 'epci_name' in offer ? offer.epci_name : null;
  return (
    <dl class="facts">
      <div>
        <dt>{t('newcomers.offers.field.kind')}</dt>
        <dd>
          <KindLabel offer={offer} />
        </dd>
      </div>
      <div>
        <dt>{t('newcomers.offers.field.commune')}</dt>
        <dd>
          <a href={`/villages/${offer.insee}`}>{offer.commune_name}</a>
          {epciName && <span class="small muted"> · {epciName}</span>}
        </dd>
      </div>
      {offer.sector && (
        <div>
          <dt>{t('newcomers.offers.field.sector')}</dt>
          <dd>{t(`newcomers.offers.sector.${offer.sector}`)}</dd>
        </div>
      )}
      {offer.kind === 'takeover' && (
        <>
          <div>
            <dt>{t('newcomers.offers.field.priceRange')}</dt>
            <dd>
              <PriceText offer={offer} />
            </dd>
          </div>
          {offer.turnover !== null && (
            <div>
              <dt>{t('newcomers.offers.field.turnover')}</dt>
              <dd>{euros(offer.turnover)}</dd>
            </div>
          )}
        </>
      )}
      {offer.kind === 'job' && (
        <>
          <div>
            <dt>{t('newcomers.offers.field.employer')}</dt>
            <dd>{offer.employer}</dd>
          </div>
          <div>
            <dt>{t('newcomers.offers.field.contract')}</dt>
            <dd>{t(`newcomers.offers.contract.${offer.contract}`)}</dd>
          </div>
          <div>
            <dt>{t('newcomers.offers.field.remote')}</dt>
            <dd>{offer.remote ? t('newcomers.offers.remoteYes') : t('newcomers.offers.remoteNo')}</dd>
          </div>
        </>
      )}
      {offer.kind === 'housing' && (
        <>
          <div>
            <dt>{offer.housing_type === 'sale' ? t('newcomers.offers.field.price') : t('newcomers.offers.field.rent')}</dt>
            <dd>
              <PriceText offer={offer} />
            </dd>
          </div>
          {offer.surface_m2 !== null && (
            <div>
              <dt>{t('newcomers.offers.field.surface')}</dt>
              <dd>{t('newcomers.offers.surfaceValue', { m2: offer.surface_m2 })}</dd>
            </div>
          )}
          {offer.rooms !== null && (
            <div>
              <dt>{t('newcomers.offers.field.rooms')}</dt>
              <dd>{offer.rooms}</dd>
            </div>
          )}
          {offer.available_on && (
            <div>
              <dt>{t('newcomers.offers.field.availableOn')}</dt>
              <dd>{formatDay(offer.available_on, intl)}</dd>
            </div>
          )}
        </>
      )}
      <div>
        <dt>{t('newcomers.offers.field.expiresOn')}</dt>
        <dd>{formatDay(offer.expires_on, intl)}</dd>
      </div>
    </dl>
  );
}

function Description({ text }: { text: string }) {
  return <div class="guide-body">{renderMarkdown(text).body}</div>;
}

export function OfferView({ offer, viewer }: { offer: PublicOffer; viewer: { hasCase: boolean; interested: boolean } | null }) {
  const { t, path, roles } = usePage();
  return (
    <Layout title={offer.title}>
      <p class="small">
        <a href="/offres">{t('newcomers.offers.back')}</a>
        {/* Signed-in pages only (anonymous visitors have no role), so never in the cached page. */}
        {can({ roles }, 'team') && (
          <>
            {' · '}
            <a href={`/admin/offres/${offer.id}`}>{t('newcomers.offers.manageOne')}</a>
          </>
        )}
      </p>
      <h1>{offer.title}</h1>
      <OfferFacts offer={offer} />
      <Description text={offer.description} />
      <section class="card" aria-labelledby="interet">
        <h2 id="interet">{t('newcomers.offers.interest.title')}</h2>
        {viewer?.interested ? (
          <p role="status">{t('newcomers.offers.interest.already')}</p>
        ) : viewer?.hasCase ? (
          <>
            <p>{t('newcomers.offers.interest.lead')}</p>
            <Form action={`/offres/${offer.id}/interet`} class="inline-form">
              <Button>{t('newcomers.offers.interest.button')}</Button>
            </Form>
          </>
        ) : (
          <>
            <p>{t('newcomers.offers.interest.applyFirst')}</p>
            <p>
              <a class="button button-primary" href="/candidature">
                {t('newcomers.offers.interest.apply')}
              </a>
            </p>
            {!viewer && (
              <p class="small">
                <a href={`/connexion?retour=${encodeURIComponent(path)}`}>{t('newcomers.offers.interest.signIn')}</a>
              </p>
            )}
          </>
        )}
      </section>
    </Layout>
  );
}

export function OfferGoneView({ title }: { title: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('newcomers.offers.gone.title')} narrow>
      <h1>{t('newcomers.offers.gone.title')}</h1>
      <p class="lead">{t('newcomers.offers.gone.named', { title })}</p>
      <p>
        <a href="/offres">{t('newcomers.offers.gone.back')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- the team

function StatusBadge({ status, expiresOn, today }: { status: string; expiresOn: string; today: string }) {
  const { t } = usePage();
  const expired = status === 'published' && expiresOn < today;
  const live = status === 'published' && !expired;
  return <span class={live ? 'tag status-published' : 'tag status-draft'}>{expired ? t('newcomers.offers.status.expired') : t(`newcomers.offers.status.${status}`)}</span>;
}

function OffersTable({ rows, today, hrefOf, caption, empty }: { rows: StaffOfferSummary[]; today: string; hrefOf: (r: StaffOfferSummary) => string | null; caption: string; empty: string }) {
  const { t, intl } = usePage();
  return (
    <Table
      caption={caption}
      captionHidden
      rows={rows}
      rowKey={(r) => r.id}
      empty={empty}
      columns={[
        {
          key: 'title',
          header: t('newcomers.offers.col.title'),
          rowHeader: true,
          render: (r) => {
            const href = hrefOf(r);
            return href ? <a href={href}>{r.title}</a> : r.title;
          },
        },
        { key: 'kind', header: t('newcomers.offers.col.kind'), render: (r) => <KindLabel offer={r} /> },
        { key: 'commune', header: t('newcomers.offers.col.commune'), render: (r) => r.commune_name },
        { key: 'status', header: t('newcomers.offers.col.status'), render: (r) => <StatusBadge status={r.status} expiresOn={r.expires_on} today={today} /> },
        { key: 'expires', header: t('newcomers.offers.col.expires'), render: (r) => formatDay(r.expires_on, intl) },
        { key: 'interests', header: t('newcomers.offers.col.interests'), align: 'end', render: (r) => Number(r.interests) },
      ]}
    />
  );
}

export function StaffOffersListView({ rows, total, page, pages, today, query }: { rows: StaffOfferSummary[]; total: number; page: number; pages: number; today: string; query: AdminOfferQuery }) {
  const { t } = usePage();
  return (
    <AdminShell title={t('newcomers.offers.staff.title')}>
      <h1>{t('newcomers.offers.staff.title')}</h1>
      <p>
        <a class="button button-primary" href="/admin/offres/nouvelle">
          {t('newcomers.offers.staff.new')}
        </a>
      </p>
      <form method="get" action="/admin/offres" class="filters">
        <FilterSelect name="type" label={t('newcomers.offers.filter.kind')} all={t('newcomers.offers.filter.allKinds')} current={query.type} options={OFFER_KINDS.map((k) => ({ value: k, label: t(`newcomers.offers.kind.${k}`) }))} />
        <FilterSelect name="statut" label={t('newcomers.offers.filter.status')} all={t('newcomers.offers.filter.allStatuses')} current={query.statut} options={OFFER_STATUS_FILTERS.map((s) => ({ value: s, label: t(`newcomers.offers.status.${s}`) }))} />
        <button type="submit" class="button button-secondary">
          {t('newcomers.offers.filter.submit')}
        </button>
      </form>
      <p role="status">{t('newcomers.offers.count', { count: total })}</p>
      <OffersTable rows={rows} today={today} hrefOf={(r) => `/admin/offres/${r.id}`} caption={t('newcomers.offers.staff.title')} empty={t('newcomers.offers.staff.empty')} />
      <Pagination page={page} pages={pages} baseQuery={{ type: query.type, statut: query.statut }} />
    </AdminShell>
  );
}

const STAGE_KEY = (stage: CaseStage) => `newcomers.stage.${stage}`;

export function StaffOfferView({
  offer,
  interests,
  today,
}: {
  offer: StaffOffer;
  interests: { at: Date; case_id: string; number: number; contact_name: string; stage: CaseStage }[];
  today: string;
}) {
  const { t, intl } = usePage();
  const live = offer.status === 'published' && offer.expires_on >= today;
  return (
    <AdminShell title={offer.title}>
      <p class="small">
        <a href="/admin/offres">{t('newcomers.offers.staff.back')}</a>
      </p>
      <h1>{offer.title}</h1>
      <p>
        <StatusBadge status={offer.status} expiresOn={offer.expires_on} today={today} />
        {offer.proposed_by_name && <span class="small muted"> · {t('newcomers.offers.staff.proposedBy', { name: offer.proposed_by_name })}</span>}
        {live && (
          <>
            {' · '}
            <a href={`/offres/${offer.id}`}>{t('newcomers.offers.staff.publicPage')}</a>
          </>
        )}
      </p>
      <div class="actions">
        <a class="button button-secondary" href={`/admin/offres/${offer.id}/modifier`}>
          {t('newcomers.offers.staff.edit')}
        </a>
        {offer.status !== 'published' && (
          <Form action={`/admin/offres/${offer.id}/publier`} class="inline-form">
            <Button>{t('newcomers.offers.staff.publish')}</Button>
          </Form>
        )}
        {offer.status !== 'withdrawn' && (
          <Form action={`/admin/offres/${offer.id}/retirer`} class="inline-form">
            <Button variant="danger">{t('newcomers.offers.staff.withdraw')}</Button>
          </Form>
        )}
      </div>
      <OfferFacts offer={offer} />
      {offer.kind === 'takeover' && (
        <section class="card" aria-labelledby="cedant">
          <h2 id="cedant">{t('newcomers.offers.seller.title')}</h2>
          <p class="hint">{t('newcomers.offers.seller.private')}</p>
          <dl class="facts">
            <div>
              <dt>{t('newcomers.offers.seller.name')}</dt>
              <dd>{offer.seller_name}</dd>
            </div>
            {offer.seller_email && (
              <div>
                <dt>{t('newcomers.offers.seller.email')}</dt>
                <dd>
                  <a href={`mailto:${offer.seller_email}`}>{offer.seller_email}</a>
                </dd>
              </div>
            )}
            {offer.seller_phone && (
              <div>
                <dt>{t('newcomers.offers.seller.phone')}</dt>
                <dd>{offer.seller_phone}</dd>
              </div>
            )}
          </dl>
        </section>
      )}
      <h2>{t('newcomers.offers.field.description')}</h2>
      <Description text={offer.description} />
      <section aria-labelledby="interets">
        <h2 id="interets">{t('newcomers.offers.staff.interests')}</h2>
        {interests.length === 0 ? (
          <p>{t('newcomers.offers.staff.noInterest')}</p>
        ) : (
          <ul>
            {interests.map((i) => (
              <li key={i.case_id}>
                <a href={`/admin/accueil/${i.case_id}#offres`}>{t('newcomers.case.title', { number: i.number, name: i.contact_name })}</a>
                <span class="small muted">
                  {' · '}
                  {t(STAGE_KEY(i.stage))} · {formatDateTime(i.at, intl)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p class="small muted">
        {t('newcomers.offers.staff.dates', { created: formatDate(offer.created_at, intl), updated: formatDate(offer.updated_at, intl) })}
      </p>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- the form

/** One form for the team and for partners: the shared fields, then one fieldset per kind (only the chosen one counts). */
function OfferFields({ values = {}, errors = {}, communes, withPublish, submitLabel }: { values?: FormValues; errors?: FieldErrors; communes: Choice[]; withPublish: boolean; submitLabel: string }) {
  const { t } = usePage();
  const choose = { value: '', label: t('newcomers.apply.choose') };
  return (
    <>
      <Radios
        name="kind"
        legend={t('newcomers.offers.field.kind')}
        options={OFFER_KINDS.map((k) => ({ value: k, label: t(`newcomers.offers.kind.${k}`) }))}
        values={values}
        errors={errors}
        required
      />
      <Field name="title" label={t('newcomers.offers.field.title')} values={values} errors={errors} required maxLength={160} />
      <TextArea name="description" label={t('newcomers.offers.field.description')} hint={t('newcomers.offers.form.descriptionHint')} values={values} errors={errors} required maxLength={8000} rows={8} />
      <Select name="insee" label={t('newcomers.offers.field.commune')} values={values} errors={errors} required options={[choose, ...communes.map((c) => ({ value: c.insee, label: `${c.name} (${c.insee})` }))]} />
      <Field name="expiresOn" type="date" label={t('newcomers.offers.field.expiresOn')} hint={t('newcomers.offers.form.expiresHint')} values={values} errors={errors} required />
      <Select name="sector" label={t('newcomers.offers.field.sector')} hint={t('newcomers.offers.form.sectorHint')} values={values} errors={errors} options={[choose, ...OFFER_SECTORS.map((s) => ({ value: s, label: t(`newcomers.offers.sector.${s}`) }))]} />

      <fieldset class="field">
        <legend>{t('newcomers.offers.form.takeover')}</legend>
        <Field name="priceMin" label={t('newcomers.offers.field.priceMin')} hint={t('newcomers.offers.form.eurosHint')} inputMode="numeric" values={values} errors={errors} maxLength={14} />
        <Field name="priceMax" label={t('newcomers.offers.field.priceMax')} inputMode="numeric" values={values} errors={errors} maxLength={14} />
        <Field name="turnover" label={t('newcomers.offers.field.turnoverOptional')} inputMode="numeric" values={values} errors={errors} maxLength={14} />
        <p class="hint">{t('newcomers.offers.seller.private')}</p>
        <Field name="sellerName" label={t('newcomers.offers.seller.name')} values={values} errors={errors} maxLength={120} />
        <Field name="sellerEmail" type="email" label={t('newcomers.offers.seller.email')} hint={t('newcomers.offers.form.sellerReachHint')} values={values} errors={errors} maxLength={254} />
        <Field name="sellerPhone" type="tel" label={t('newcomers.offers.seller.phone')} values={values} errors={errors} maxLength={30} />
      </fieldset>

      <fieldset class="field">
        <legend>{t('newcomers.offers.form.job')}</legend>
        <Field name="employer" label={t('newcomers.offers.field.employer')} values={values} errors={errors} maxLength={160} />
        <Select name="contract" label={t('newcomers.offers.field.contract')} values={values} errors={errors} options={[choose, ...CONTRACTS.map((c) => ({ value: c, label: t(`newcomers.offers.contract.${c}`) }))]} />
        <Checkbox name="remote" label={t('newcomers.offers.field.remotePossible')} values={values} errors={errors} />
      </fieldset>

      <fieldset class="field">
        <legend>{t('newcomers.offers.form.housing')}</legend>
        <Select name="housingType" label={t('newcomers.offers.field.housingType')} values={values} errors={errors} options={[choose, ...HOUSING_TYPES.map((h) => ({ value: h, label: t(`newcomers.offers.housing.${h}`) }))]} />
        <Field name="price" label={t('newcomers.offers.field.priceOrRent')} hint={t('newcomers.offers.form.priceHint')} inputMode="numeric" values={values} errors={errors} maxLength={14} />
        <Field name="surfaceM2" label={t('newcomers.offers.field.surface')} inputMode="numeric" values={values} errors={errors} maxLength={6} />
        <Field name="rooms" label={t('newcomers.offers.field.rooms')} inputMode="numeric" values={values} errors={errors} maxLength={3} />
        <Field name="availableOn" type="date" label={t('newcomers.offers.field.availableOn')} values={values} errors={errors} />
      </fieldset>

      <div class="actions">
        <Button variant={withPublish ? 'secondary' : 'primary'}>{submitLabel}</Button>
        {withPublish && (
          <Button name="publish" value="1">
            {t('newcomers.offers.form.saveAndPublish')}
          </Button>
        )}
      </div>
    </>
  );
}

export function StaffOfferFormView({ action, values, errors, communes, editing }: { action: string; values?: FormValues; errors?: FieldErrors; communes: Choice[]; editing: boolean }) {
  const { t } = usePage();
  const title = editing ? t('newcomers.offers.staff.editTitle') : t('newcomers.offers.staff.new');
  return (
    <AdminShell title={title}>
      <p class="small">
        <a href="/admin/offres">{t('newcomers.offers.staff.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('newcomers.offers.form.lead')}</p>
      <Form action={action}>
        <ErrorSummary errors={errors ?? {}} />
        <OfferFields values={values} errors={errors} communes={communes} withPublish submitLabel={t('newcomers.offers.form.save')} />
      </Form>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- partners

export function PartnerOffersView({ rows, today }: { rows: StaffOfferSummary[]; today: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('newcomers.offers.partner.title')}>
      <h1>{t('newcomers.offers.partner.title')}</h1>
      <p>{t('newcomers.offers.partner.lead')}</p>
      <p>
        <a class="button button-primary" href="/partenaire/offres/nouvelle">
          {t('newcomers.offers.partner.new')}
        </a>
      </p>
      <OffersTable
        rows={rows}
        today={today}
        hrefOf={(r) => (r.status === 'proposed' ? `/partenaire/offres/${r.id}/modifier` : r.status === 'published' && r.expires_on >= today ? `/offres/${r.id}` : null)}
        caption={t('newcomers.offers.partner.title')}
        empty={t('newcomers.offers.partner.empty')}
      />
    </Layout>
  );
}

export function PartnerOfferFormView({ action, values, errors, communes, editing }: { action: string; values?: FormValues; errors?: FieldErrors; communes: Choice[]; editing: boolean }) {
  const { t } = usePage();
  const title = editing ? t('newcomers.offers.partner.editTitle') : t('newcomers.offers.partner.new');
  return (
    <Layout title={title}>
      <p class="small">
        <a href="/partenaire/offres">{t('newcomers.offers.partner.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('newcomers.offers.partner.formLead')}</p>
      <Form action={action}>
        <ErrorSummary errors={errors ?? {}} />
        <OfferFields values={values} errors={errors} communes={communes} withPublish={false} submitLabel={editing ? t('newcomers.offers.form.save') : t('newcomers.offers.partner.submit')} />
      </Form>
      {editing && (
        <section aria-labelledby="retirer">
          <h2 id="retirer">{t('newcomers.offers.partner.withdrawTitle')}</h2>
          <p>{t('newcomers.offers.partner.withdrawHint')}</p>
          <Form action={action.replace(/\/modifier$/, '/retirer')}>
            <Button variant="danger">{t('newcomers.offers.partner.withdraw')}</Button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- case page and /mon-projet

/** The case page's section: the offers the household pointed out, then suggestions that fit it. */
export function CaseOffersSection({ offers }: { offers: CaseOffers }) {
  const { t, intl } = usePage();
  return (
    <section aria-labelledby="offres-titre" id="offres">
      <h2 id="offres-titre">{t('newcomers.offers.case.title')}</h2>
      <h3>{t('newcomers.offers.case.interests')}</h3>
      {offers.interests.length === 0 ? (
        <p>{t('newcomers.offers.case.noInterest')}</p>
      ) : (
        <ul>
          {offers.interests.map((i) => (
            <li key={i.id}>
              <a href={`/admin/offres/${i.id}`}>{i.title}</a> <KindLabel offer={i} /> · {i.commune_name}
              <span class="small muted">
                {' · '}
                {t('newcomers.offers.case.interestedOn', { date: formatDate(i.at, intl) })} · <StatusBadge status={i.status} expiresOn={i.expires_on} today={offers.today} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('newcomers.offers.case.suggestions')}</h3>
      {!offers.hasTargets ? (
        <p>{t('newcomers.offers.case.noTargets')}</p>
      ) : !offers.anything ? (
        <p>{t('newcomers.offers.case.nothingWanted')}</p>
      ) : offers.suggestions.length === 0 ? (
        <p>{t('newcomers.offers.case.noSuggestion')}</p>
      ) : (
        <ul>
          {offers.suggestions.map((o) => (
            <li key={o.id}>
              <a href={`/admin/offres/${o.id}`}>{o.title}</a> <KindLabel offer={o} /> · {o.commune_name}
              <span class="small muted">
                {' · '}
                {o.in_target ? t('newcomers.offers.case.inTarget') : t('newcomers.offers.case.inEpci')}
                {' · '}
                {t('newcomers.offers.until', { date: formatDay(o.expires_on, intl) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** /mon-projet: the offers the household said interest it. */
export function MyOfferInterests({ interests }: { interests: MyOfferInterest[] }) {
  const { t, intl } = usePage();
  return (
    <section aria-labelledby="mes-offres">
      <h2 id="mes-offres">{t('newcomers.offers.my.title')}</h2>
      {interests.length === 0 ? (
        <p>{t('newcomers.offers.my.none')}</p>
      ) : (
        <ul>
          {interests.map((i) => (
            <li key={i.id}>
              <a href={`/offres/${i.id}`}>{i.title}</a> · {i.commune_name}
              <span class="small muted"> · {t('newcomers.offers.case.interestedOn', { date: formatDate(i.at, intl) })}</span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/offres">{t('newcomers.offers.my.browse')}</a>
      </p>
    </section>
  );
}

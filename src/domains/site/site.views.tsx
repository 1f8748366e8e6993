import type { TerritoryHighlights } from '../territory/index.js';
import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';
import { numberFormat } from '../../shared/formatters.js';

/** The territory in figures, each with its source: what a family comparing places wants to see first. */
function Highlights({ h }: { h: TerritoryHighlights }) {
  const { t, intl } = usePage();
  const n = (v: number) => numberFormat(intl).format(v);
  const euros = (v: number) => numberFormat(intl, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(v);
  return (
    <section aria-labelledby="chiffres">
      <h2 id="chiffres">{t('home.figures.title')}</h2>
      <dl class="stats">
        <div class="stat">
          <dt>{t('home.figures.communes')}</dt>
          <dd>
            <span class="stat-value">{n(h.communes)}</span>
            <span class="stat-note">{t('home.figures.population', { count: h.population })}</span>
          </dd>
        </div>
        {h.largestTown && (
          <div class="stat">
            <dt>{t('home.figures.house', { town: h.largestTown.name })}</dt>
            <dd>
              <span class="stat-value">{t('home.figures.perM2', { price: euros(h.largestTown.houseMedian) })}</span>
              <span class="stat-note">{h.cities.map((c) => t('home.figures.cityPrice', { city: c.name, price: euros(c.houseMedian) })).join(' · ')}</span>
            </dd>
          </div>
        )}
        <div class="stat">
          <dt>{t('home.figures.toulouse')}</dt>
          <dd>
            <span class="stat-value">{n(h.withinHourOfToulouse)}</span>
            <span class="stat-note">{t('home.figures.toulouseNote')}</span>
          </dd>
        </div>
        <div class="stat">
          <dt>{t('home.figures.gps')}</dt>
          <dd>
            <span class="stat-value">{n(h.gps)}</span>
            <span class="stat-note">{t('home.figures.gpsNote', { communes: h.communesWithGp, pharmacies: h.pharmacies })}</span>
          </dd>
        </div>
        <div class="stat">
          <dt>{t('home.figures.culture')}</dt>
          <dd>
            <span class="stat-value">{n(h.festivals)}</span>
            <span class="stat-note">{t('home.figures.cultureNote', { cinemas: h.cinemas, stations: h.passengerStations })}</span>
          </dd>
        </div>
      </dl>
      <p class="small muted">
        {t('home.figures.sources')} <a href="/sources">{t('site.footer.sources')}</a>
      </p>
    </section>
  );
}

export function HomeView({ highlights }: { highlights?: TerritoryHighlights | null }) {
  const { t } = usePage();
  return (
    <Layout title={t('home.title')} description={t('home.lead')}>
      <section class="hero">
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <p class="actions">
          <a class="button button-primary" href="/villages">
            {t('home.cta.villages')}
          </a>
          <a class="button button-secondary" href="/guide">
            {t('home.cta.guide')}
          </a>
        </p>
      </section>
      {highlights && highlights.communes > 0 && <Highlights h={highlights} />}
      <section aria-labelledby="why">
        <h2 id="why">{t('home.why.title')}</h2>
        <ul class="cards three">
          <li class="card">{t('home.why.prices')}</li>
          <li class="card">{t('home.why.calm')}</li>
          <li class="card">{t('home.why.culture')}</li>
        </ul>
      </section>
      <section aria-labelledby="steps">
        <h2 id="steps">{t('home.steps.title')}</h2>
        <ol class="steps">
          <li>{t('home.steps.1')}</li>
          <li>{t('home.steps.2')}</li>
          <li>{t('home.steps.3')}</li>
        </ol>
      </section>
      <div class="cards two">
        <section class="card" aria-labelledby="dynamo">
          <h2 id="dynamo">{t('home.dynamo.title')}</h2>
          <p>{t('home.dynamo.text')}</p>
          <p>
            <a href="/tiers-lieux">{t('home.dynamo.link')}</a>
          </p>
        </section>
        <section class="card" aria-labelledby="community">
          <h2 id="community">{t('home.community.title')}</h2>
          <p>{t('home.community.text')}</p>
          <p>
            <a href="/inscription">{t('home.community.link')}</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

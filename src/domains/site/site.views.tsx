import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';

export function HomeView() {
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

/** The search page: the form, then results grouped by kind (villages, guide articles, third places). */
import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';

export interface SearchResults {
  communes: { insee: string; name: string; population: number | null; postcodes: string[] }[];
  articles: { slug: string; category: string; title: string; summary: string }[];
  places: { slug: string; name: string; summary: string; commune_name: string }[];
  offers: { id: number; kind: string; title: string; commune_name: string }[];
}

export function SearchView({ q, searched, results, perGroup }: { q: string; searched: boolean; results: SearchResults; perGroup: number }) {
  const { t } = usePage();
  const total = results.communes.length + results.articles.length + results.places.length + results.offers.length;
  const title = q ? t('search.titleFor', { q }) : t('search.title');
  const full = [results.communes, results.articles, results.places, results.offers].some((g) => g.length >= perGroup);
  return (
    <Layout title={title} narrow>
      <h1>{t('search.title')}</h1>
      <p class="lead">{t('search.lead')}</p>
      <form action="/recherche" method="get" role="search" class="search-form">
        <label for="f-q">{t('search.label')}</label>
        <div class="search-row">
          <input id="f-q" name="q" type="search" value={q} maxLength={120} aria-describedby={q && !searched ? 'e-q' : undefined} />
          <button type="submit" class="button button-primary">
            {t('search.submit')}
          </button>
        </div>
        {q && !searched && (
          <p class="error-message" id="e-q">
            {t('search.tooShort')}
          </p>
        )}
      </form>
      {searched && (
        <>
          <p role="status">{total ? t('search.count', { count: total, q }) : t('search.none', { q })}</p>
          {total === 0 && (
            <ul>
              <li>
                <a href="/villages">{t('search.browse.villages')}</a>
              </li>
              <li>
                <a href="/guide">{t('search.browse.guide')}</a>
              </li>
              <li>
                <a href="/tiers-lieux">{t('search.browse.places')}</a>
              </li>
              <li>
                <a href="/offres">{t('search.browse.offers')}</a>
              </li>
            </ul>
          )}
          {results.communes.length > 0 && (
            <section aria-labelledby="res-villages" class="search-group">
              <h2 id="res-villages">{t('search.group.communes')}</h2>
              <ul class="search-results">
                {results.communes.map((c) => (
                  <li key={c.insee}>
                    <a href={`/villages/${c.insee}`}>{c.name}</a>
                    <span class="muted small">
                      {c.population !== null && ` · ${t('search.commune.population', { count: c.population })}`}
                      {c.postcodes.length > 0 && ` · ${t('search.commune.postcodes', { codes: c.postcodes.join(', ') })}`}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {results.articles.length > 0 && (
            <section aria-labelledby="res-guide" class="search-group">
              <h2 id="res-guide">{t('search.group.articles')}</h2>
              <ul class="search-results">
                {results.articles.map((a) => (
                  <li key={a.slug}>
                    <a href={`/guide/${a.slug}`} lang="fr">
                      {a.title}
                    </a>
                    <span class="muted small"> · {t(`guide.category.${a.category}`)}</span>
                    {a.summary && (
                      <p class="small" lang="fr">
                        {a.summary}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {results.places.length > 0 && (
            <section aria-labelledby="res-tiers-lieux" class="search-group">
              <h2 id="res-tiers-lieux">{t('search.group.places')}</h2>
              <ul class="search-results">
                {results.places.map((p) => (
                  <li key={p.slug}>
                    <a href={`/tiers-lieux/${p.slug}`}>{p.name}</a>
                    <span class="muted small"> · {t('search.place.in', { commune: p.commune_name })}</span>
                    {p.summary && (
                      <p class="small" lang="fr">
                        {p.summary}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {results.offers.length > 0 && (
            <section aria-labelledby="res-offres" class="search-group">
              <h2 id="res-offres">{t('search.group.offers')}</h2>
              <ul class="search-results">
                {results.offers.map((o) => (
                  <li key={o.id}>
                    <a href={`/offres/${o.id}`} lang="fr">
                      {o.title}
                    </a>
                    <span class="muted small"> · {t('search.offer.kindIn', { kind: t(`newcomers.offers.kind.${o.kind}`), commune: o.commune_name })}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {full && <p class="small muted">{t('search.more', { count: perGroup })}</p>}
        </>
      )}
    </Layout>
  );
}

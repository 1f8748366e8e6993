/**
 * The commune profile, the "commune not found" page and the sources page. Pure views: every number goes through
 * Intl in the page's language, every figure points to its numbered source at the bottom of the page.
 */
import type { ComponentChildren, VNode } from 'preact';
import { SourceRef as Ref } from '../../web/components/source-ref.js';
import { Table } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';
import { BPE_FIGURES, COMPARABLE_SALES, RELIABLE_SALES, type FigureKey } from './territory.figures.js';
import { DRIVE_METHOD } from './territory.geo.js';
import type { CommuneLink, CommuneProfile, DatasetSummary, NearbyPlace, PriceComparison, ProfileFigure } from './territory.service.js';
import { numberFormat, dateTimeFormat } from '../../shared/formatters.js';

// ---------------------------------------------------------------------------------------------- formatting

function useFormat() {
  const { intl } = usePage();
  const int = numberFormat(intl, { maximumFractionDigits: 0 });
  const dec = numberFormat(intl, { maximumFractionDigits: 1 });
  const pct = numberFormat(intl, { style: 'percent', maximumFractionDigits: 0 });
  const long = dateTimeFormat(intl, { dateStyle: 'long', timeZone: 'Europe/Paris' });
  const day = dateTimeFormat(intl, { dateStyle: 'long', timeZone: 'UTC' });
  return {
    int: (v: number) => int.format(v),
    dec: (v: number) => dec.format(v),
    pct: (v: number) => pct.format(v),
    date: (d: Date) => long.format(d),
    /** 'YYYY-MM-DD' without any time zone shift. */
    day: (iso: string) => day.format(new Date(`${iso}T00:00:00Z`)),
  };
}

/** Numbers the datasets in the order the page first cites them. */
function sourceNumbering(ids: (number | null | undefined)[]) {
  const order: number[] = [];
  for (const id of ids) if (id != null && !order.includes(id)) order.push(id);
  return { order, n: (id: number | null | undefined) => (id == null ? null : order.indexOf(id) + 1 || null) };
}

/** A figure as shown: the corrected value when staff corrected it, with the imported value and the reason. */
function Figure({ fig, format, sourceN }: { fig: ProfileFigure; format: (v: number) => string; sourceN: number | null }) {
  const { t } = usePage();
  const f = useFormat();
  if (fig.value === null) return <>{t('territory.identity.unknown')}</>;
  return (
    <>
      {format(fig.value)}
      <Ref n={sourceN} />
      {fig.correction && (
        <>
          {' '}
          <span class="badge badge-corrected">{t('territory.correction.badge')}</span>
          <span class="correction">
            {t('territory.correction.detail', {
              date: f.date(fig.correction.at),
              imported: fig.correction.importedValue === null ? t('territory.correction.importedNone') : format(fig.correction.importedValue),
              note: fig.correction.note,
            })}
          </span>
        </>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------- profile

export interface CommuneProfileProps {
  profile: CommuneProfile;
  territoryName: string;
  /** The small map placing the commune in the département (territory map component). */
  locatorMap?: VNode;
  /** Links other domains offer for this village (see CommuneLink). */
  links?: readonly CommuneLink[];
  /** Members of the public showcase living in the commune, when the members domain is there. */
  solos?: { count: number; day: string };
  /** Sections other domains add (events held in the commune...), after the members living there. */
  sections?: VNode[];
}

export function CommuneProfileView({ profile: p, territoryName, locatorMap, links = [], solos, sections = [] }: CommuneProfileProps) {
  const { t } = usePage();
  const f = useFormat();
  const fig = (key: FigureKey) => p.figures.get(key)!;
  const dvfId = fig('dvf_house_median').datasetId;
  const references = orderComparisons(p.comparisons, p.parisInsee);
  const src = sourceNumbering([
    p.identityDatasetId,
    p.epci?.datasetId,
    p.boundaryDatasetId,
    p.accessDatasetId,
    fig('min_toulouse').datasetId,
    p.centreDatasetId,
    p.station?.datasetId,
    fig('gp_count').datasetId,
    fig('cinema_count').datasetId,
    fig('festival_count').datasetId,
    dvfId,
    ...references.map((r) => r.datasetId),
    p.placesDatasetId,
  ]);
  const dataset = (id: number | null) => p.datasets.find((d) => d.id === id);
  // Figures typed in by staff (Paris) have no dataset: they are listed after the datasets, with their own source.
  const staffRefs = references.filter((r) => r.datasetId === null);
  const refOf = (r: PriceComparison) => (r.datasetId !== null ? src.n(r.datasetId) : src.order.length + staffRefs.indexOf(r) + 1);
  const dvf = dataset(dvfId);
  // Auch's own row: the commune is the destination.
  const min = (v: number) => (v === 0 ? t('territory.access.here') : t('territory.access.minutes', { minutes: f.int(v) }));
  const km = (v: number) => (v < 0.5 ? t('territory.access.here') : t('territory.access.km', { km: f.dec(v) }));
  const accessRows: { label: ComponentChildren; km: FigureKey; min: FigureKey }[] = [
    { label: t('territory.access.auch'), km: 'km_auch', min: 'min_auch' },
    { label: t('territory.access.toulouse'), km: 'km_toulouse', min: 'min_toulouse' },
    { label: t('territory.access.bordeaux'), km: 'km_bordeaux', min: 'min_bordeaux' },
    { label: t('territory.access.airport'), km: 'km_airport', min: 'min_airport' },
  ];
  if (p.station)
    accessRows.push({
      label: (
        <>
          {t('territory.access.station', { name: p.station.name })}
          {!p.station.inTerritory && <span class="small muted"> {t('territory.access.stationOutside')}</span>}
          <Ref n={src.n(p.station.datasetId)} />
        </>
      ),
      km: 'km_station',
      min: 'min_station',
    });
  const title = t('territory.profile.title', { name: p.name });

  return (
    <Layout title={title} description={t('territory.profile.description', { name: p.name, postcodes: p.postcodes.join(', ') })}>
      <nav aria-label={t('site.breadcrumb')} class="breadcrumb">
        <ol>
          <li>
            <a href="/villages">{t('territory.profile.breadcrumb.villages')}</a>
          </li>
          <li aria-current="page">{p.name}</li>
        </ol>
      </nav>
      <div class="commune-head">
        <div>
          <h1>{p.name}</h1>
          <p class="lead" data-ident>
            {t('territory.profile.lead', { territory: territoryName, insee: p.insee })}
          </p>
          {links.length > 0 && (
            <p class="actions">
              {links.map((l) => (
                <a key={l.key} class="button button-primary" href={l.href(p.insee)}>
                  {t(l.key, { name: p.name })}
                </a>
              ))}
            </p>
          )}
          <p>
            <a href={`/villages/comparer?c=${p.insee}`}>{t('territory.profile.compare')}</a>
          </p>
        </div>
        {locatorMap && <div class="commune-locator">{locatorMap}</div>}
      </div>

      <section aria-labelledby="identite">
        <h2 id="identite">{t('territory.identity.title')}</h2>
        <dl class="facts">
          <div>
            <dt>{t('territory.identity.population')}</dt>
            <dd>
              <Figure fig={fig('population')} format={(v) => t('territory.identity.populationValue', { count: f.int(v) })} sourceN={src.n(fig('population').datasetId)} />
              {dataset(fig('population').datasetId)?.reference_year && (
                <span class="small muted"> {t('territory.identity.populationYear', { year: String(dataset(fig('population').datasetId)!.reference_year) })}</span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('territory.identity.epci')}</dt>
            <dd>
              {p.epci ? p.epci.name : t('territory.identity.unknown')}
              <Ref n={src.n(p.epci?.datasetId)} />
            </dd>
          </div>
          <div>
            <dt>{t('territory.identity.postcodes')}</dt>
            <dd>
              {p.postcodes.join(', ')}
              <Ref n={src.n(p.identityDatasetId)} />
            </dd>
          </div>
          <div>
            <dt>{t('territory.identity.cantons')}</dt>
            <dd>
              {p.cantons.length ? p.cantons.join(', ') : t('territory.identity.unknown')}
              <Ref n={src.n(p.boundaryDatasetId)} />
              {p.cantons.length > 1 && <span class="small muted"> {t('territory.identity.cantonsSplit')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('territory.identity.area')}</dt>
            <dd>
              <Figure fig={fig('area_km2')} format={(v) => t('territory.identity.areaValue', { area: f.dec(v) })} sourceN={src.n(fig('area_km2').datasetId)} />
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="acces">
        <h2 id="acces">{t('territory.access.title')}</h2>
        <Table
          rows={accessRows}
          rowKey={(row) => row.km}
          columns={[
            { key: 'destination', header: t('territory.access.destination'), rowHeader: true, render: (row) => row.label },
            { key: 'distance', header: t('territory.access.distance'), align: 'end', render: (row) => <Figure fig={fig(row.km)} format={km} sourceN={src.n(fig(row.km).datasetId)} /> },
            { key: 'time', header: t('territory.access.time'), align: 'end', render: (row) => <Figure fig={fig(row.min)} format={min} sourceN={src.n(fig(row.min).datasetId)} /> },
          ]}
        />
        <p class="method small">
          {p.timesRouted ? t('territory.access.routed') : t('territory.access.method', DRIVE_METHOD)} {t('territory.access.override')}
          <Ref n={src.n(fig('min_toulouse').datasetId)} />
          <Ref n={src.n(p.centreDatasetId)} />
        </p>
      </section>

      <section aria-labelledby="quotidien">
        <h2 id="quotidien">{t('territory.daily.title')}</h2>
        <h3>{t('territory.health.title')}</h3>
        <Table
          class="counts"
          caption={t('territory.health.caption')}
          captionHidden
          rows={BPE_FIGURES}
          rowKey={({ key }) => key}
          rowClass={({ key }) => (fig(key).value ? undefined : 'zero')}
          columns={[
            { key: 'equipment', header: t('territory.health.equipment'), rowHeader: true, render: ({ key }) => t(`territory.health.${key}`) },
            { key: 'count', header: t('territory.health.count'), align: 'end', render: ({ key }) => <Figure fig={fig(key)} format={f.int} sourceN={src.n(fig(key).datasetId)} /> },
          ]}
        />
        {p.nearest.gp && fig('gp_count').value === 0 && (
          <p>
            {t('territory.health.noGp', { name: p.nearest.gp.name, km: f.dec(p.nearest.gp.km) })}
            <Ref n={src.n(fig('gp_count').datasetId)} />
            <Ref n={src.n(p.accessDatasetId)} />
          </p>
        )}
        {p.nearest.pharmacy && fig('pharmacy_count').value === 0 && (
          <p>
            {t('territory.health.noPharmacy', { name: p.nearest.pharmacy.name, km: f.dec(p.nearest.pharmacy.km) })}
            <Ref n={src.n(fig('pharmacy_count').datasetId)} />
            <Ref n={src.n(p.accessDatasetId)} />
          </p>
        )}
        <p class="small muted">{t('territory.health.note')}</p>

        <h3>{t('territory.culture.title')}</h3>
        <h4>
          {t('territory.culture.cinemas')}
          <Ref n={src.n(fig('cinema_count').datasetId)} />
        </h4>
        {p.cinemas.length ? (
          <ul data-sources={String(src.n(fig('cinema_count').datasetId) ?? '')}>
            {p.cinemas.map((c) => (
              <li key={c.cnc_id}>
                {c.name} — {t('territory.culture.cinemaScreens', { screens: f.int(c.screens) })}
                {c.art_et_essai && <span class="tag">{t('territory.culture.artEtEssai')}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p>
            {p.nearest.cinema && (
              <>
                {t('territory.culture.noCinema', { name: p.nearest.cinema.name, km: f.dec(p.nearest.cinema.km) })}
                <Ref n={src.n(fig('cinema_count').datasetId)} />
                <Ref n={src.n(p.accessDatasetId)} />
              </>
            )}
          </p>
        )}
        <h4>
          {t('territory.culture.festivals')}
          <Ref n={src.n(fig('festival_count').datasetId)} />
        </h4>
        {p.festivals.length ? (
          <ul data-sources={String(src.n(fig('festival_count').datasetId) ?? '')}>
            {p.festivals.map((fe) => (
              <li key={fe.festival_id}>
                {fe.website ? (
                  <a href={fe.website} rel="noopener noreferrer external">
                    {fe.name}
                  </a>
                ) : (
                  fe.name
                )}
                {[fe.discipline, fe.period, fe.founded_year ? t('territory.culture.founded', { year: String(fe.founded_year) }) : null].filter(Boolean).length > 0 && (
                  <span class="muted"> — {[fe.discipline, fe.period, fe.founded_year ? t('territory.culture.founded', { year: String(fe.founded_year) }) : null].filter(Boolean).join(' · ')}</span>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('territory.culture.noFestival')}</p>
        )}
        {p.station && fig('km_station').value !== null && (
          <>
            <h3>{t('territory.train.title')}</h3>
            <p>
              {t('territory.train.nearest', { name: p.station.name, km: f.dec(fig('km_station').value!) })}
              <Ref n={src.n(p.station.datasetId)} />
              <Ref n={src.n(p.accessDatasetId)} />
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="logement">
        <h2 id="logement">{t('territory.housing.title')}</h2>
        {dvf?.period_start && dvf.period_end && (
          <p>
            {t('territory.housing.period', { start: f.day(dvf.period_start), end: f.day(dvf.period_end) })}{' '}
            {t(dvf.origin === 'upload' ? 'territory.housing.countsSales' : 'territory.housing.countsLines')}
            <Ref n={src.n(dvfId)} />
          </p>
        )}
        <div class="cards two">
          <Price label={t('territory.housing.houses')} median={fig('dvf_house_median')} sales={fig('dvf_house_sales')} sourceN={src.n(dvfId)} />
          <Price label={t('territory.housing.flats')} median={fig('dvf_flat_median')} sales={fig('dvf_flat_sales')} sourceN={src.n(dvfId)} />
        </div>
        <Comparisons
          house={fig('dvf_house_median').value}
          houseSales={fig('dvf_house_sales').value ?? 0}
          flat={fig('dvf_flat_median').value}
          flatSales={fig('dvf_flat_sales').value ?? 0}
          references={references}
          refOf={refOf}
          ownRef={src.n(dvfId)}
        />
        <p class="small muted">{t('territory.housing.caveat')}</p>
      </section>

      <section aria-labelledby="tiers-lieux">
        <h2 id="tiers-lieux">{t('territory.places.title')}</h2>
        <NearbyPlaces places={p.nearbyPlaces} sources={[src.n(p.placesDatasetId), src.n(p.accessDatasetId)]} />
      </section>

      <section aria-labelledby="solos">
        <h2 id="solos">{t('territory.solos.title')}</h2>
        {solos ? (
          <>
            <p>{t(solos.count === 0 ? 'territory.solos.none' : solos.count === 1 ? 'territory.solos.one' : 'territory.solos.count', { count: solos.count })}</p>
            <p class="small" data-source-list>{t('territory.solos.source', { date: f.day(solos.day) })}</p>
            <p>
              <a href={`/annuaire?commune=${p.insee}`}>{t('territory.solos.link')}</a> · <a href="/annuaire/carte">{t('territory.solos.map')}</a>
            </p>
          </>
        ) : (
          <p>{t('territory.solos.soon')}</p>
        )}
      </section>

      {sections}

      <section aria-labelledby="sources" class="sources" data-source-list>
        <h2 id="sources">{t('territory.sources.title')}</h2>
        <p class="small">{t('territory.sources.lead')}</p>
        <ol class="source-list">
          {src.order.map((id, i) => {
            const d = dataset(id);
            return d ? <SourceItem key={id} n={i + 1} dataset={d} /> : null;
          })}
          {staffRefs.map((r) => (
              <li key={r.insee} id={`source-${refOf(r)}`}>
                <strong>{r.name}</strong> : {t('territory.housing.compare.staffSource', { source: r.sourceNote ?? '', date: r.sourceDate ? f.day(r.sourceDate) : '' })}
                {r.sourceUrl && (
                  <>
                    {' '}
                    <a href={r.sourceUrl} rel="noopener noreferrer external">
                      {t('territory.sources.link')}
                    </a>
                  </>
                )}
              </li>
            ))}
        </ol>
        <p>
          <a href="/sources">{t('territory.sources.all')}</a>
        </p>
      </section>
    </Layout>
  );
}

function SourceItem({ n, dataset: d }: { n: number; dataset: DatasetSummary }) {
  const { t } = usePage();
  const f = useFormat();
  return (
    <li id={`source-${n}`}>
      <strong>{d.title}</strong> — {d.publisher}. {t('territory.sources.edition', { edition: d.edition })}.{' '}
      {d.licence_url ? (
        <a href={d.licence_url} rel="noopener noreferrer external license">
          {t('territory.sources.licence', { licence: d.licence })}
        </a>
      ) : (
        t('territory.sources.licence', { licence: d.licence })
      )}
      . {t('territory.sources.attribution', { attribution: d.attribution })}.
      {d.share_alike && <> {t('territory.sources.odbl')}</>}
      {d.origin === 'upload' && <> {t('territory.sources.upload', { date: f.date(d.imported_at) })}</>}
      {d.url && (
        <>
          {' '}
          <a href={d.url} rel="noopener noreferrer external">
            {t('territory.sources.link')}
          </a>
        </>
      )}
    </li>
  );
}

function Price({ label, median, sales, sourceN }: { label: string; median: ProfileFigure; sales: ProfileFigure; sourceN: number | null }) {
  const { t } = usePage();
  const f = useFormat();
  const count = sales.value ?? 0;
  return (
    <div class="card price">
      <h3>{label}</h3>
      {median.value === null ? (
        <p>{t('territory.housing.noSale')}</p>
      ) : (
        <>
          <p class="price-value">
            <Figure fig={median} format={(v) => t('territory.housing.median', { price: f.int(v) })} sourceN={sourceN} />
            <span class="small muted"> {t('territory.housing.medianLabel')}</span>
          </p>
          <p>
            <Figure fig={sales} format={(v) => t('territory.housing.sales', { count: f.int(v) })} sourceN={sourceN} />
            {count < RELIABLE_SALES && (
              <>
                {' '}
                <span class="badge badge-indicative">{t('territory.housing.fewSales')}</span>
              </>
            )}
          </p>
        </>
      )}
    </div>
  );
}

/** Toulouse and Bordeaux first (shipped), then Paris when staff entered it with its source. */
function orderComparisons(all: PriceComparison[], parisInsee: string) {
  const shipped = all.filter((r) => r.datasetId !== null).sort((a, b) => a.insee.localeCompare(b.insee));
  const paris = all.filter((r) => r.datasetId === null && r.insee === parisInsee && r.sourceNote && r.sourceDate);
  return [...shipped, ...paris];
}

/**
 * The commune's median against the cities' (and Paris' when staff entered it with its source), each ratio citing
 * both sources. Under COMPARABLE_SALES sales a median is shown with its badge but compared with nothing: a
 * percentage drawn from one or two sales would say more than the data does.
 */
function Comparisons(props: {
  house: number | null;
  houseSales: number;
  flat: number | null;
  flatSales: number;
  references: PriceComparison[];
  refOf: (r: PriceComparison) => number | null;
  ownRef: number | null;
}) {
  const { references, refOf, ownRef } = props;
  const { t } = usePage();
  const f = useFormat();
  if (!references.length) return null;
  const house = props.houseSales >= COMPARABLE_SALES ? props.house : null;
  const flat = props.flatSales >= COMPARABLE_SALES ? props.flat : null;
  const thin = (props.house !== null && house === null) || (props.flat !== null && flat === null);
  const lines: ComponentChildren[] = [];
  for (const r of references) {
    const source =
      r.datasetId === null ? (
        <span class="small muted"> ({t('territory.housing.compare.staffSource', { source: r.sourceNote ?? '', date: r.sourceDate ? f.day(r.sourceDate) : '' })})</span>
      ) : null;
    if (house !== null && r.houseMedian) {
      lines.push(
        <li key={`${r.insee}-h`}>
          {t('territory.housing.compare.ratio', { ratio: f.pct(house / r.houseMedian), city: r.name, price: f.int(r.houseMedian) })}
          {source}
          <Ref n={ownRef} />
          {refOf(r) !== ownRef && <Ref n={refOf(r)} />}
        </li>,
      );
    }
    if (flat !== null && r.flatMedian) {
      lines.push(
        <li key={`${r.insee}-f`}>
          {t('territory.housing.compare.flatRatio', { ratio: f.pct(flat / r.flatMedian), city: r.name, price: f.int(r.flatMedian) })}
          {source}
          <Ref n={ownRef} />
          {refOf(r) !== ownRef && <Ref n={refOf(r)} />}
        </li>,
      );
    }
  }
  return (
    <>
      <h3>{t('territory.housing.compare.title')}</h3>
      {lines.length ? <ul>{lines}</ul> : !thin && <p>{t('territory.housing.compare.none')}</p>}
      {thin && (
        <p>
          {t('territory.housing.compare.tooFew', { min: COMPARABLE_SALES })} <a href="/sources#methode-dvf">{t('territory.housing.compare.method')}</a>
          <Ref n={ownRef} />
        </p>
      )}
    </>
  );
}

function NearbyPlaces({ places, sources }: { places: NearbyPlace[] | null; sources: (number | null)[] }) {
  const { t } = usePage();
  const f = useFormat();
  return (
    <>
      {places && places.length > 0 && (
        <ul class="nearby-places">
          {places.map((pl) => (
            <li key={pl.slug}>
              <a href={`/tiers-lieux/${pl.slug}`}>{pl.name}</a>, {pl.communeName} — {t('territory.places.distance', { km: f.dec(pl.distanceKm) })}
              {pl.locationApproximate && <span class="small muted"> ({t('territory.places.approximate')})</span>}
              {sources.map((n) => (
                <Ref key={n} n={n} />
              ))}
            </li>
          ))}
        </ul>
      )}
      {places && places.length === 0 && (
        <p>
          {t('territory.places.none')}
          {sources.map((n) => (
            <Ref key={n} n={n} />
          ))}
        </p>
      )}
      <p>
        <a href="/tiers-lieux">{t('territory.places.all')}</a>
      </p>
    </>
  );
}

// ---------------------------------------------------------------------------------------------- 404

export function CommuneNotFoundView({ query }: { query?: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('territory.notFound.title')} narrow>
      <h1>{t('territory.notFound.title')}</h1>
      <p class="lead">{t('territory.notFound.text')}</p>
      <form action="/villages" method="get" role="search" aria-labelledby="recherche-commune">
        <h2 id="recherche-commune">{t('territory.notFound.search')}</h2>
        <div class="field">
          <label for="f-q">{t('territory.notFound.searchLabel')}</label>
          <input id="f-q" name="q" type="search" value={query} maxLength={100} autocomplete="off" />
        </div>
        <button type="submit" class="button button-primary">
          {t('territory.notFound.submit')}
        </button>
      </form>
      <p>
        <a href="/villages">{t('territory.notFound.browse')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- /sources

export function SourcesView({ datasets, staffReferences }: { datasets: DatasetSummary[]; staffReferences: { insee: string; name: string; source_note: string | null; source_url: string | null; source_date: string | null }[] }) {
  const { t } = usePage();
  const f = useFormat();
  // The shipped DVF aggregate (its key names its edition): its real window of sales.
  const shippedDvf = datasets.find((d) => d.origin === 'shipped' && d.key.startsWith('dvf-'));
  return (
    <Layout title={t('territory.sourcesPage.title')} description={t('territory.sourcesPage.lead')}>
      <h1>{t('territory.sourcesPage.title')}</h1>
      <p class="lead">{t('territory.sourcesPage.lead')}</p>
      <ul class="dataset-list">
        {datasets.map((d) => (
          <li key={d.id} class="card" id={`jeu-${d.key}`}>
            <h2>{d.title}</h2>
            <dl class="facts">
              <div>
                <dt>{t('territory.sourcesPage.publisher')}</dt>
                <dd>
                  {d.url ? (
                    <a href={d.url} rel="noopener noreferrer external">
                      {d.publisher}
                    </a>
                  ) : (
                    d.publisher
                  )}
                </dd>
              </div>
              <div>
                <dt>{t('territory.sourcesPage.edition')}</dt>
                <dd>
                  {d.edition}
                  {d.origin === 'upload' && <> — {t('territory.sourcesPage.origin.upload', { date: f.date(d.imported_at) })}</>}
                </dd>
              </div>
              {d.period_start && d.period_end && (
                <div>
                  <dt>{t('territory.sourcesPage.period')}</dt>
                  <dd>{t('territory.sourcesPage.periodValue', { start: f.day(d.period_start), end: f.day(d.period_end) })}</dd>
                </div>
              )}
              {d.published_on && (
                <div>
                  <dt>{t('territory.sourcesPage.published')}</dt>
                  <dd>{f.day(d.published_on)}</dd>
                </div>
              )}
              <div>
                <dt>{t('territory.sourcesPage.licence')}</dt>
                <dd>
                  {d.licence_url ? (
                    <a href={d.licence_url} rel="noopener noreferrer external license">
                      {d.licence}
                    </a>
                  ) : (
                    d.licence
                  )}
                </dd>
              </div>
              <div>
                <dt>{t('territory.sourcesPage.attribution')}</dt>
                <dd>« {d.attribution} »</dd>
              </div>
              {d.files.length > 0 && (
                <div>
                  <dt>{t('territory.sourcesPage.files')}</dt>
                  <dd>
                    {d.files.map((file, i) => (
                      <>
                        {i > 0 && ', '}
                        <code key={file}>{file}</code>
                      </>
                    ))}
                  </dd>
                </div>
              )}
              {d.notes && (
                <div>
                  <dt>{t('territory.sourcesPage.notes')}</dt>
                  <dd>{d.notes}</dd>
                </div>
              )}
            </dl>
          </li>
        ))}
      </ul>

      <section aria-labelledby="odbl">
        <h2 id="odbl">{t('territory.sourcesPage.odbl.title')}</h2>
        <p>{t('territory.sourcesPage.odbl.p1')}</p>
        <p>{t('territory.sourcesPage.odbl.p2', { api: 'GET /api/v1/communes/{insee}' })}</p>
        <p>{t('territory.sourcesPage.odbl.p3')}</p>
      </section>
      <section aria-labelledby="licence-ouverte">
        <h2 id="licence-ouverte">{t('territory.sourcesPage.lo.title')}</h2>
        <p>{t('territory.sourcesPage.lo.p')}</p>
      </section>
      <section aria-labelledby="methode">
        <h2 id="methode">{t('territory.sourcesPage.method.title')}</h2>
        <p>{t('territory.sourcesPage.method.p', DRIVE_METHOD)}</p>
      </section>
      <section aria-labelledby="methode-dvf">
        <h2 id="methode-dvf">{t('territory.sourcesPage.dvf.title')}</h2>
        <p>{t('territory.sourcesPage.dvf.shipped', { reliable: RELIABLE_SALES, comparable: COMPARABLE_SALES })}</p>
        {shippedDvf?.period_start && shippedDvf.period_end && <p>{t('territory.sourcesPage.dvf.window', { start: f.day(shippedDvf.period_start), end: f.day(shippedDvf.period_end) })}</p>}
        <p>{t('territory.sourcesPage.dvf.upload')}</p>
      </section>
      <section aria-labelledby="saisies">
        <h2 id="saisies">{t('territory.sourcesPage.staff.title')}</h2>
        {staffReferences.length ? (
          <ul>
            {staffReferences.map((r) => (
              <li key={r.insee}>
                {t('territory.sourcesPage.staff.paris', { source: r.source_note ?? '', date: r.source_date ? f.day(r.source_date) : '' })}
                {r.source_url && (
                  <>
                    {' '}
                    <a href={r.source_url} rel="noopener noreferrer external">
                      {t('territory.sources.link')}
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('territory.sourcesPage.staff.none')}</p>
        )}
        <p>{t('territory.sourcesPage.staff.corrections')}</p>
      </section>
    </Layout>
  );
}

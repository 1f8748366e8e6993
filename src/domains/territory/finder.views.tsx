/**
 * The village finder page: a GET form (the query string is the search, shareable, no JavaScript needed), the
 * results as a sortable table whose rows can be ticked for comparison, and the map with the results outlined.
 */
import { Button, Checkbox, ErrorSummary, Field, Form, Select, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { Pagination } from '../../web/components/pagination.js';
import { Table, type Column } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { usePage, type PageContextValue } from '../../web/page-context.js';
import { defaultOrder, DESTINATIONS, SORT_KEYS, type Destination, type FinderSort, type SortKey } from './finder.schemas.js';
import type { FinderPage, FinderRow, NearMiss } from './finder.service.js';
import { CommuneMap, MAP_FIGURES, type MapFigure } from './map.js';
import { numberFormat } from '../../shared/formatters.js';

export interface FinderViewProps {
  data: FinderPage;
  /** What the visitor typed, shown again as typed. */
  values: FormValues;
  sort: FinderSort;
  figure: MapFigure;
  filtered: boolean;
  territory: { slug: string; name: string };
  method: { factor: number; speed: number; reliableSales: number };
}

/** Query string of the current search with some values replaced (undefined removes one). */
export function searchHref(values: FormValues, changes: Record<string, string | undefined>, path = '/villages'): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...changes })) {
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined && s !== '') q.set(k, s);
  }
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

type T = PageContextValue['t'];

export const formatMinutes = (t: T, minutes: number | null) =>
  minutes === null ? t('finder.value.unknown') : minutes < 60 ? t('finder.value.minutes', { minutes }) : t('finder.value.hours', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') });

export const salesText = (t: T, count: number) => (count === 1 ? t('finder.value.salesOne') : t('finder.value.sales', { count }));

export const formatKm = (t: T, km: number | null) => (km === null ? t('finder.value.unknown') : t('finder.value.km', { km: Math.round(km) }));

export function FinderView({ data, values, sort, figure, filtered, territory, method }: FinderViewProps) {
  const { t } = usePage();
  const sortLabel = t('finder.results.sortedBy', { key: t(`finder.sort.${sort.key}`), order: t(`finder.results.order.${sort.order}`) });
  return (
    <Layout title={t('finder.title')} description={t('finder.lead')}>
      <h1>{t('finder.title')}</h1>
      <p class="lead">{t('finder.lead')}</p>
      <ErrorSummary errors={data.errors} />
      <div class="finder">
        <FinderForm values={values} errors={data.errors} epcis={data.epcis} />
        <section class="finder-results" aria-labelledby="resultats">
          <h2 id="resultats">{t('finder.results.title')}</h2>
          {data.results === null ? (
            <p class="alert alert-error">{t('finder.results.invalid')}</p>
          ) : data.total === 0 ? (
            <>
              <p class="alert alert-info" role="status">
                {t('finder.results.none')} <a href="/villages">{t('finder.form.reset')}</a>
              </p>
              {data.nearMisses.length > 0 && <NearMisses misses={data.nearMisses} />}
            </>
          ) : (
            <>
              <p role="status">
                {!filtered ? t('finder.results.all', { count: data.total, sort: sortLabel }) : data.total === 1 ? t('finder.results.countOne') : t('finder.results.count', { count: data.total, sort: sortLabel })}
              </p>
              <ResultsTable rows={data.results} values={values} sort={sort} page={data.page} pages={data.pages} reliableSales={method.reliableSales} />
              <Pagination page={data.page} pages={data.pages} baseQuery={Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'page').map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]))} />
            </>
          )}
        </section>
      </div>
      <section aria-labelledby="carte">
        <h2 id="carte">{t('finder.map.title')}</h2>
        <CommuneMap
          territory={territory.slug}
          figure={figure}
          communes={data.communes}
          highlighted={data.highlighted}
          tableHref={filtered || data.results === null ? `${searchHref({}, { carte: figure === 'prix' ? undefined : figure })}#carte-donnees` : undefined}
          title={
            data.highlighted.size
              ? t(data.highlighted.size === 1 ? 'finder.map.captionResultsOne' : 'finder.map.captionResults', { figure: t(`finder.figure.${figure}`), count: data.highlighted.size })
              : t('finder.map.caption', { figure: t(`finder.figure.${figure}`) })
          }
        >
          <nav class="figure-switch" aria-label={t('finder.figure.nav')}>
            <ul>
              {MAP_FIGURES.map((f) => (
                <li key={f}>
                  <a href={`${searchHref(values, { carte: f === 'prix' ? undefined : f, page: undefined })}#carte`} aria-current={f === figure ? 'true' : undefined}>
                    {t(`finder.figure.${f}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </CommuneMap>
      </section>
      <p class="small muted method-note">
        {t('finder.method', { factor: method.factor, speed: method.speed, sales: method.reliableSales })} <a href="/sources">{t('finder.sources')}</a>
      </p>
    </Layout>
  );
}

function FinderForm({ values, errors, epcis }: { values: FormValues; errors: FieldErrors; epcis: FinderPage['epcis'] }) {
  const { t } = usePage();
  const numeric = { values, errors, inputMode: 'decimal' as const, maxLength: 12 };
  return (
    <div class="finder-form" role="search" aria-label={t('finder.form.label')}>
      <Form action="/villages" method="get">
        <div class="field-group finder-q">
          <Field name="q" label={t('finder.form.q')} hint={t('finder.form.qHint')} values={values} errors={errors} maxLength={100} />
        </div>
        <fieldset class="field-group finder-access">
          <legend>{t('finder.form.access')}</legend>
          <p class="hint">{t('finder.form.accessHint')}</p>
          <div class="access-grid">
            {DESTINATIONS.map((d: Destination) => (
              <fieldset class="access-pair" key={d}>
                <legend>{t(`finder.place.${d}`)}</legend>
                <Field name={`min_${d}`} label={t('finder.form.minutes')} {...numeric} />
                <Field name={`km_${d}`} label={t('finder.form.km')} {...numeric} />
              </fieldset>
            ))}
          </div>
        </fieldset>
        <fieldset class="field-group">
          <legend>{t('finder.form.services')}</legend>
          <Checkbox name="medecin" label={t('finder.form.gp')} values={values} errors={errors} />
          <Checkbox name="pharmacie" label={t('finder.form.pharmacy')} values={values} errors={errors} />
          <Checkbox name="cinema" label={t('finder.form.cinema')} values={values} errors={errors} />
        </fieldset>
        <fieldset class="field-group">
          <legend>{t('finder.form.housing')}</legend>
          <Field name="prix_max" label={t('finder.form.priceMax')} hint={t('finder.form.priceMaxHint')} {...numeric} />
          <div class="pair">
            <Field name="pop_min" label={t('finder.form.popMin')} {...numeric} inputMode="numeric" />
            <Field name="pop_max" label={t('finder.form.popMax')} {...numeric} inputMode="numeric" />
          </div>
          <Select
            name="epci"
            label={t('finder.form.epci')}
            values={values}
            errors={errors}
            options={[{ value: '', label: t('finder.form.epciAll') }, ...epcis.map((e) => ({ value: e.siren, label: e.name }))]}
          />
        </fieldset>
        <fieldset class="field-group">
          <legend>{t('finder.form.display')}</legend>
          <Select name="tri" label={t('finder.form.sort')} values={values} errors={errors} options={SORT_KEYS.map((k) => ({ value: k, label: t(`finder.sort.${k}`) }))} />
          <Select
            name="ordre"
            label={t('finder.form.order')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('finder.form.order.auto') },
              { value: 'asc', label: t('finder.form.order.asc') },
              { value: 'desc', label: t('finder.form.order.desc') },
            ]}
          />
          <Select name="carte" label={t('finder.form.figure')} values={values} errors={errors} options={MAP_FIGURES.map((f) => ({ value: f, label: t(`finder.figure.${f}`) }))} />
        </fieldset>
        <div class="actions finder-actions">
          <Button>{t('finder.form.submit')}</Button>
          <a class="button button-secondary" href="/villages">
            {t('finder.form.reset')}
          </a>
        </div>
      </Form>
    </div>
  );
}

/** "Gimont: 50 min to Toulouse (you asked for 45 at most)": what keeps each near miss out, in words. */
function NearMisses({ misses }: { misses: NearMiss[] }) {
  const { t, intl } = usePage();
  const n = numberFormat(intl);
  const reason = ({ row: r, criterion, asked }: NearMiss): string => {
    if (criterion.startsWith('min_') || criterion.startsWith('km_')) {
      const d = criterion.slice(criterion.indexOf('_') + 1) as Destination;
      const column = d === 'gare' ? 'station' : d === 'aeroport' ? 'airport' : d;
      const isTime = criterion.startsWith('min_');
      const own = r[`${isTime ? 'min' : 'km'}_${column}` as keyof FinderRow] as number | null;
      const fmt = (v: number | null) => (isTime ? formatMinutes(t, v) : formatKm(t, v));
      return t('finder.near.access', { value: fmt(own), place: t(`finder.place.${d}`), asked: fmt(asked) });
    }
    if (criterion === 'prix_max')
      return r.dvf_house_median === null ? t('finder.near.noSale') : t('finder.near.price', { price: r.dvf_house_median, asked: asked ?? 0 });
    if (criterion === 'pop_min' || criterion === 'pop_max') return t('finder.near.population', { population: r.population === null ? '?' : n.format(r.population) });
    if (criterion === 'epci') return t('finder.near.epci', { epci: r.epci_name ?? '?' });
    const nearest = criterion === 'medecin' ? r.nearest_gp_km : criterion === 'pharmacie' ? r.nearest_pharmacy_km : r.nearest_cinema_km;
    return nearest === null ? t(`finder.near.${criterion}`) : t(`finder.near.${criterion}.nearest`, { km: formatKm(t, nearest) });
  };
  return (
    <section aria-labelledby="presque">
      <h3 id="presque">{t('finder.near.title')}</h3>
      <ul class="near-misses">
        {misses.map((m) => (
          <li key={m.row.insee}>
            <a href={`/villages/${m.row.insee}`}>{m.row.name}</a> : {reason(m)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ResultsTable({ rows, values, sort, page, pages, reliableSales }: { rows: FinderRow[]; values: FormValues; sort: FinderSort; page: number; pages: number; reliableSales: number }) {
  const { t, intl } = usePage();
  const n = numberFormat(intl);
  /** A column sorted by a link in its header; the figures sit right (`num` on the cells), the links stay left. */
  const sorted = (key: SortKey, label: string, render: Column<FinderRow>['render'], numeric = true): Column<FinderRow> => {
    const active = sort.key === key;
    const next = active ? (sort.order === 'asc' ? 'desc' : 'asc') : defaultOrder(key);
    return {
      key,
      sort: active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined,
      header: (
        <a href={`${searchHref(values, { tri: key, ordre: next, page: undefined })}#resultats`}>
          {label}
          <span class="visually-hidden"> {t('finder.results.sortLink')}</span>
          {active && <span aria-hidden="true">{sort.order === 'asc' ? ' ▲' : ' ▼'}</span>}
        </a>
      ),
      className: numeric ? 'num' : undefined,
      rowHeader: !numeric,
      render,
    };
  };
  const access = (km: (r: FinderRow) => number | null, min: (r: FinderRow) => number | null) => (r: FinderRow) => (
    <>
      {formatMinutes(t, min(r))}
      <span class="sub">{formatKm(t, km(r))}</span>
    </>
  );
  return (
    <Form action="/villages/comparer" method="get" class="compare-form">
      <p class="hint">{t('finder.results.compareHint')}</p>
      <Table
        class="data-table finder-table"
        wrap="region"
        captionId="resultats-legende"
        caption={t('finder.results.caption', { page, pages })}
        rows={rows}
        rowKey={(r) => r.insee}
        columns={[
          {
            key: 'pick',
            header: t('finder.results.compare'),
            className: 'pick',
            render: (r) => (
              // The label wraps the box so the whole cell (44 px and more) ticks it.
              <label>
                <input type="checkbox" name="c" value={r.insee} />
                <span class="visually-hidden">{t('finder.results.compareOne', { name: r.name })}</span>
              </label>
            ),
          },
          sorted(
            'nom',
            t('finder.col.commune'),
            (r) => (
              <>
                <a href={`/villages/${r.insee}`}>{r.name}</a>
                {r.epci_name && <span class="sub">{r.epci_name}</span>}
              </>
            ),
            false,
          ),
          sorted('population', t('finder.col.population'), (r) => (r.population === null ? t('finder.value.unknown') : n.format(r.population))),
          sorted('prix', t('finder.col.price'), (r) =>
            r.dvf_house_median === null ? (
              t('finder.value.noSale')
            ) : (
              <>
                {t('finder.value.price', { price: r.dvf_house_median })}
                <span class="sub">
                  {salesText(t, r.dvf_house_sales)}
                  {r.dvf_house_sales < reliableSales && <> · {t('finder.value.indicative')}</>}
                </span>
              </>
            ),
          ),
          sorted('min_toulouse', t('finder.col.toulouse'), access((r) => r.km_toulouse, (r) => r.min_toulouse)),
          sorted('min_bordeaux', t('finder.col.bordeaux'), access((r) => r.km_bordeaux, (r) => r.min_bordeaux)),
          sorted('min_auch', t('finder.col.auch'), access((r) => r.km_auch, (r) => r.min_auch)),
          sorted('min_gare', t('finder.col.station'), access((r) => r.km_station, (r) => r.min_station)),
          sorted('medecins', t('finder.col.gp'), (r) => n.format(r.gp_count)),
          sorted('pharmacies', t('finder.col.pharmacy'), (r) => n.format(r.pharmacy_count)),
          sorted('cinemas', t('finder.col.cinema'), (r) => n.format(r.cinema_count)),
        ]}
      />
      <Button variant="secondary">{t('finder.results.compareSubmit')}</Button>
    </Form>
  );
}

/**
 * Two to four communes side by side: one table, one row per figure, the best value of each row marked in words
 * (not only by colour) with the gap of the others to it. Below, a picker to change the selection; any error says
 * what went wrong and the picker is there to fix it.
 */
import type { ComponentChildren } from 'preact';
import { Button, Checkboxes, Form } from '../../web/components/forms.js';
import { TableFrame, TableRows } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { usePage, type PageContextValue } from '../../web/page-context.js';
import { COMPARE_MAX, DESTINATIONS, type Destination } from './finder.schemas.js';
import type { ComparePage, CompareRow } from './finder.service.js';
import { formatKm, formatMinutes, salesText } from './finder.views.js';
import { numberFormat } from '../../shared/formatters.js';

type T = PageContextValue['t'];

interface FigureRow {
  label: string;
  /** The value compared (null: unknown, never best). */
  value: (r: CompareRow) => number | null;
  show: (r: CompareRow) => ComponentChildren;
  /** Which way is better; absent for figures that are neither (population, area). */
  better?: 'lower' | 'higher';
  /** How a gap to the best reads ("12 min", "340 €/m²"). */
  gap?: (d: number) => string;
}

const accessField: Record<Destination, { km: keyof CompareRow; min: keyof CompareRow }> = {
  toulouse: { km: 'km_toulouse', min: 'min_toulouse' },
  bordeaux: { km: 'km_bordeaux', min: 'min_bordeaux' },
  auch: { km: 'km_auch', min: 'min_auch' },
  gare: { km: 'km_station', min: 'min_station' },
  aeroport: { km: 'km_airport', min: 'min_airport' },
};

function groups(t: T, n: Intl.NumberFormat, reliableSales: number): { title: string; rows: FigureRow[] }[] {
  const count = (label: string, pick: (r: CompareRow) => number): FigureRow => ({
    label,
    value: pick,
    show: (r) => n.format(pick(r)),
    better: 'higher',
    gap: (d) => n.format(d),
  });
  const nearest = (label: string, countOf: (r: CompareRow) => number, km: (r: CompareRow) => number | null, name: (r: CompareRow) => string | null): FigureRow => ({
    label,
    value: (r) => (countOf(r) > 0 ? 0 : km(r)),
    show: (r) => (countOf(r) > 0 ? t('compare.value.onSite') : km(r) === null ? t('finder.value.unknown') : t('compare.value.nearest', { name: name(r) ?? '', km: n.format(Math.round(km(r)!)) })),
    better: 'lower',
    gap: (d) => t('finder.value.km', { km: Math.round(d) }),
  });
  const price = (label: string, median: (r: CompareRow) => number | null, sales: (r: CompareRow) => number): FigureRow => ({
    label,
    value: median,
    show: (r) =>
      median(r) === null ? (
        t('finder.value.noSale')
      ) : (
        <>
          {t('finder.value.price', { price: median(r)! })}
          <span class="sub">
            {salesText(t, sales(r))}
            {sales(r) < reliableSales && <> · {t('finder.value.indicativeLong')}</>}
          </span>
        </>
      ),
    better: 'lower',
    gap: (d) => t('finder.value.price', { price: d }),
  });
  return [
    {
      title: t('compare.group.identity'),
      rows: [
        { label: t('compare.row.population'), value: (r) => r.population, show: (r) => (r.population === null ? t('finder.value.unknown') : n.format(r.population)) },
        { label: t('compare.row.epci'), value: () => null, show: (r) => r.epci_name ?? t('finder.value.unknown') },
        { label: t('compare.row.postcodes'), value: () => null, show: (r) => r.postcodes.join(', ') || t('finder.value.unknown') },
        { label: t('compare.row.area'), value: (r) => r.area_km2, show: (r) => (r.area_km2 === null ? t('finder.value.unknown') : t('compare.value.km2', { value: r.area_km2 })) },
        {
          label: t('compare.row.density'),
          value: (r) => density(r),
          show: (r) => (density(r) === null ? t('finder.value.unknown') : t('compare.value.density', { value: density(r)! })),
        },
      ],
    },
    {
      title: t('compare.group.housing'),
      rows: [price(t('compare.row.housePrice'), (r) => r.dvf_house_median, (r) => r.dvf_house_sales), price(t('compare.row.flatPrice'), (r) => r.dvf_flat_median, (r) => r.dvf_flat_sales)],
    },
    {
      title: t('compare.group.access'),
      rows: DESTINATIONS.map((d): FigureRow => {
        const f = accessField[d];
        const min = (r: CompareRow) => r[f.min] as number | null;
        const km = (r: CompareRow) => r[f.km] as number | null;
        return {
          label: t('compare.row.minutes', { place: t(`finder.place.${d}`) }),
          value: min,
          show: (r) => (
            <>
              {formatMinutes(t, min(r))}
              <span class="sub">
                {formatKm(t, km(r))}
                {d === 'gare' && r.station_name && <> · {r.station_name}</>}
              </span>
            </>
          ),
          better: 'lower',
          gap: (v) => formatMinutes(t, v),
        };
      }),
    },
    {
      title: t('compare.group.health'),
      rows: [
        count(t('compare.row.gp'), (r) => r.gp_count),
        nearest(t('compare.row.nearestGp'), (r) => r.gp_count, (r) => r.nearest_gp_km, (r) => r.nearest_gp_name),
        count(t('compare.row.pharmacy'), (r) => r.pharmacy_count),
        nearest(t('compare.row.nearestPharmacy'), (r) => r.pharmacy_count, (r) => r.nearest_pharmacy_km, (r) => r.nearest_pharmacy_name),
        count(t('compare.row.msp'), (r) => r.msp_count),
        count(t('compare.row.dentist'), (r) => r.dentist_count),
        count(t('compare.row.physio'), (r) => r.physio_count),
        count(t('compare.row.nurse'), (r) => r.nurse_count),
        count(t('compare.row.emergency'), (r) => r.emergency_count),
        count(t('compare.row.creche'), (r) => r.creche_count),
      ],
    },
    {
      title: t('compare.group.culture'),
      rows: [
        count(t('compare.row.cinema'), (r) => r.cinema_count),
        nearest(t('compare.row.nearestCinema'), (r) => r.cinema_count, (r) => r.nearest_cinema_km, (r) => r.nearest_cinema_name),
        count(t('compare.row.festival'), (r) => r.festival_count),
      ],
    },
  ];
}

const density = (r: CompareRow) => (r.population === null || !r.area_km2 ? null : Math.round(r.population / r.area_km2));

/** The best value of a row, or null when there is nothing to tell apart (fewer than two known values, or all equal). */
export function bestOf(values: (number | null)[], better: 'lower' | 'higher' | undefined): number | null {
  if (!better) return null;
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 2 || known.every((v) => v === known[0])) return null;
  return better === 'lower' ? Math.min(...known) : Math.max(...known);
}

export function CompareView({ data, reliableSales }: { data: ComparePage; reliableSales: number }) {
  const { t, intl } = usePage();
  const n = numberFormat(intl);
  const names = data.communes.map((c) => c.name);
  return (
    <Layout title={data.communes.length ? `${t('compare.title')} : ${names.join(', ')}` : t('compare.title')}>
      <p class="back-link">
        <a href="/villages">{t('compare.back')}</a>
      </p>
      <h1>{t('compare.title')}</h1>
      <p class="lead">{t('compare.lead')}</p>
      {data.error && (
        <div class="alert alert-error" role="alert" id="erreurs">
          <p>
            <a href="#choix">{t(data.error.key, data.error.params)}</a>
          </p>
        </div>
      )}
      {data.communes.length > 0 && (
        <CompareTable data={data} names={names} n={n} reliableSales={reliableSales} />
      )}
      <Picker data={data} />
      {data.sources.length > 0 && (
        <section aria-labelledby="sources">
          <h2 id="sources">{t('compare.sources')}</h2>
          <ul class="sources-list small">
            {data.sources.map((s) => (
              <li key={s.id}>
                {t('compare.sourceLine', { title: s.title, publisher: s.publisher, edition: s.edition, licence: s.licence })} {s.attribution}
              </li>
            ))}
          </ul>
          <p class="small">
            <a href="/sources">{t('finder.sources')}</a>
          </p>
        </section>
      )}
    </Layout>
  );
}

/** One column per commune, one row per figure, in groups (each a <tbody> under a row header): the frame's escape hatch. */
function CompareTable({ data, names, n, reliableSales }: { data: ComparePage; names: string[]; n: Intl.NumberFormat; reliableSales: number }) {
  const { t } = usePage();
  type Line = { row: FigureRow; values: (number | null)[]; best: number | null };
  const columns = [
    { key: 'figure', header: null, rowHeader: true, render: (l: Line) => l.row.label },
    ...data.communes.map((c, i) => ({
      key: c.insee,
      header: (
        <>
          <a href={`/villages/${c.insee}`} aria-label={t('compare.open', { name: c.name })}>
            {c.name}
          </a>
          <span class="sub">{c.insee}</span>
        </>
      ),
      className: (l: Line) => (l.best !== null && l.values[i] === l.best ? 'best' : undefined),
      render: (l: Line) => {
        const v = l.values[i];
        const isBest = l.best !== null && v === l.best;
        const gap = l.best !== null && v !== null && !isBest && l.row.gap ? l.row.gap(Math.abs(v - l.best)) : null;
        return (
          <>
            {l.row.show(c)}
            {isBest && <span class="best-tag">{t('compare.bestLong')}</span>}
            {gap && <span class="gap">{t(l.row.better === 'lower' ? 'compare.gap.more' : 'compare.gap.less', { gap })}</span>}
          </>
        );
      },
    })),
  ];
  return (
    <TableFrame class="data-table compare-table" wrap="region" captionId="comparaison-legende" caption={t('compare.table.caption', { names: names.join(', ') })} columns={columns}>
      {groups(t, n, reliableSales).map((g) => {
        const lines = g.rows.map((row): Line => {
          const values = data.communes.map(row.value);
          return { row, values, best: bestOf(values, row.better) };
        });
        return (
          <tbody key={g.title}>
            <tr class="group-row">
              <th scope="rowgroup" colSpan={data.communes.length + 1}>
                {g.title}
              </th>
            </tr>
            <TableRows columns={columns} rows={lines} rowKey={(l) => l.row.label} />
          </tbody>
        );
      })}
    </TableFrame>
  );
}

function Picker({ data }: { data: ComparePage }) {
  const { t } = usePage();
  const free = Math.max(0, COMPARE_MAX - data.picked.length);
  // Comparing already: room for one more. After an error: as many empty fields as there are free places.
  const adds = data.communes.length ? Math.min(free, 1) : free;
  return (
    <section aria-labelledby="choix" class="compare-picker">
      <h2 id="choix" tabIndex={-1}>
        {t('compare.picker.title')}
      </h2>
      <Form action="/villages/comparer" method="get">
        {data.picked.length > 0 && (
          <Checkboxes
            name="c"
            legend={t('compare.picker.legend')}
            hint={t('compare.picker.keepHint')}
            options={data.picked.map((p) => ({ value: p.insee, label: `${p.name} (${p.insee})` }))}
            values={{ c: data.picked.map((p) => p.insee) }}
          />
        )}
        {Array.from({ length: adds }, (_, i) => (
          <div class="field" key={i}>
            <label for={`f-ajout-${i + 1}`}>{adds > 1 ? t('compare.picker.addNumbered', { n: i + 1 }) : t('compare.picker.add')}</label>
            {i === 0 && (
              <p class="hint" id="h-ajout">
                {t('compare.picker.addHint')}
              </p>
            )}
            <input id={`f-ajout-${i + 1}`} name="c" type="text" list="communes-liste" autocomplete="off" maxLength={100} aria-describedby="h-ajout" />
          </div>
        ))}
        {adds > 0 && (
          <datalist id="communes-liste">
            {data.choices.map((c) => (
              <option key={c.insee} value={`${c.name} (${c.insee})`} />
            ))}
          </datalist>
        )}
        <Button>{t('compare.picker.submit')}</Button>
      </Form>
      <p>
        <a href="/villages">{t('compare.picker.finder')}</a>
      </p>
    </section>
  );
}

/**
 * The funnel figures page (/admin/accueil/chiffres): filters, charts drawn on the server as SVG images with a title,
 * a description that reads out every value, value labels on the bars, and the same figures in tables; the settled
 * households on the territory map (with its table). No meaning rests on colour alone: each chart is one series.
 */
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Table, type Column } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { CommuneMap, type MapCounts } from '../../territory/index.js';
import type { Funnel } from './figures.service.js';
import { FLOW_KINDS } from './figures.schemas.js';
import { useTagName } from '../cases/index.js';
import { numberFormat, dateTimeFormat } from '../../../shared/formatters.js';

// Palette of the design notes.
const INK = '#1f2a24';
const STONE = '#5c5a52';
const MIST = '#e9e3d5';
const COLORS = { vine: '#2f6b3a', sky: '#1d5c8c', armagnac: '#8a4b08' } as const;

interface Bar {
  label: string;
  value: number;
  /** The value as shown (a percentage, days); the number itself when absent. */
  text?: string;
}

/**
 * A vertical bar chart as an image: `<title>` and `<desc>` name it and read every value, each bar carries its value
 * written above it, axis labels are text. The figures are also in a table next to it.
 */
export function BarChart({ id, title, bars, color, max }: { id: string; title: string; bars: Bar[]; color: keyof typeof COLORS; max?: number }) {
  const { intl } = usePage();
  const fmt = numberFormat(intl, { maximumFractionDigits: 1 });
  const width = 640;
  const height = 240;
  const top = 24;
  const bottom = 44;
  const left = 8;
  const plot = height - top - bottom;
  const slot = (width - 2 * left) / Math.max(1, bars.length);
  const barWidth = Math.min(48, slot * 0.7);
  const top_ = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const textOf = (b: Bar) => b.text ?? fmt.format(b.value);
  const desc = bars.map((b) => `${b.label} : ${textOf(b)}`).join(' ; ');
  return (
    <figure class="funnel-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} xmlns="http://www.w3.org/2000/svg" class="funnel-chart-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        <line x1={left} x2={width - left} y1={top + plot} y2={top + plot} stroke={STONE} stroke-width="1" />
        {bars.map((b, i) => {
          const h = Math.round((b.value / top_) * plot);
          const x = left + i * slot + (slot - barWidth) / 2;
          const cx = left + i * slot + slot / 2;
          return (
            <g key={b.label}>
              <rect x={x.toFixed(1)} y={top + plot - h} width={barWidth.toFixed(1)} height={Math.max(h, 0)} fill={COLORS[color]} />
              <text x={cx.toFixed(1)} y={top + plot - h - 6} text-anchor="middle" font-size="14" fill={INK}>
                {textOf(b)}
              </text>
              <text x={cx.toFixed(1)} y={top + plot + 18} text-anchor="middle" font-size={bars.length > 9 ? 12 : 13} fill={INK}>
                {b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label}
              </text>
            </g>
          );
        })}
        <rect x="0" y="0" width={width} height={height} fill="none" stroke={MIST} />
      </svg>
      <figcaption class="small muted">{title}</figcaption>
    </figure>
  );
}

function Filters({ data }: { data: Funnel }) {
  const { t } = usePage();
  const nameOf = useTagName();
  return (
    <form method="get" action="/admin/accueil/chiffres" class="filters">
      <div class="field">
        <label for="f-annee">{t('newcomers.funnel.year')}</label>
        <select id="f-annee" name="annee">
          {data.years.map((y) => (
            <option key={y} value={String(y)} selected={data.year === y}>
              {y}
            </option>
          ))}
          <option value="toutes" selected={data.year === null}>
            {t('newcomers.funnel.allYears')}
          </option>
        </select>
      </div>
      <div class="field">
        <label for="f-financeur">{t('newcomers.tags.filterTag')}</label>
        <select id="f-financeur" name="financeur">
          <option value="">{t('newcomers.tags.anyTag')}</option>
          {data.tags.map((tag) => (
            <option key={tag.id} value={String(tag.id)} selected={data.tag?.id === tag.id}>
              {nameOf(tag)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button button-secondary">
        {t('newcomers.filter.submit')}
      </button>
    </form>
  );
}

export function FunnelView({ data, territory }: { data: Funnel; territory: string }) {
  const { t, intl } = usePage();
  const nameOf = useTagName();
  const n = numberFormat(intl, { maximumFractionDigits: 1 });
  /** The columns of the three settled-households tables: what the row counts, then households and people. */
  const peopleColumns = (first: string): Column<PeopleRow>[] => [
    { key: 'label', header: first, rowHeader: true, render: (r) => (r.href ? <a href={r.href}>{r.label}</a> : r.label) },
    { key: 'households', header: t('newcomers.funnel.households'), align: 'end', render: (r) => r.households },
    { key: 'adults', header: t('newcomers.funnel.adults'), align: 'end', render: (r) => r.adults },
    { key: 'children', header: t('newcomers.funnel.children'), align: 'end', render: (r) => r.children },
    { key: 'persons', header: t('newcomers.funnel.persons'), align: 'end', render: (r) => r.adults + r.children },
  ];
  const monthName = (m: number) => dateTimeFormat(intl, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));
  const period = data.year === null ? t('newcomers.funnel.allYears') : String(data.year);
  const scope = data.tag ? t('newcomers.funnel.scopeTag', { tag: nameOf(data.tag) }) : t('newcomers.funnel.scopeAll');
  const csvQuery = new URLSearchParams({ annee: data.year === null ? 'toutes' : String(data.year), ...(data.tag ? { financeur: String(data.tag.id) } : {}) });
  const counts: MapCounts = {
    key: 'settled-households',
    values: Object.fromEntries(data.settledCommunes.map((c) => [c.insee, c.households])),
    legendTitle: t('newcomers.funnel.map.legend'),
    columnTitle: t('newcomers.funnel.map.column'),
    describe: (v) => t(v === 1 ? 'newcomers.funnel.map.one' : 'newcomers.funnel.map.many', { count: v }),
    classLabel: (from, to) => (from === 0 ? t('newcomers.funnel.map.none') : to === null ? t('newcomers.funnel.map.from', { from }) : from === to ? t('newcomers.funnel.map.exactly', { from }) : t('newcomers.funnel.map.between', { from, to })),
  };
  return (
    <AdminShell title={t('newcomers.funnel.title')}>
      <p class="small">
        <a href="/admin/accueil">{t('newcomers.staff.backToList')}</a>
      </p>
      <h1>{t('newcomers.funnel.title')}</h1>
      <p>{t('newcomers.funnel.lead')}</p>
      <Filters data={data} />
      <p role="status">
        {t('newcomers.funnel.showing', { period, scope })} ·{' '}
        <a href={`/admin/accueil/chiffres.csv?${csvQuery}`} download>
          {t('newcomers.funnel.exportCsv')}
        </a>
      </p>

      <section aria-labelledby="fu-now">
        <h2 id="fu-now">{t('newcomers.funnel.now', { date: data.today.split('-').reverse().join('/') })}</h2>
        <BarChart id="ch-now" title={t('newcomers.funnel.nowChart', { scope })} color="vine" bars={data.now.map((r) => ({ label: t(`newcomers.stage.${r.stage}`), value: r.n }))} />
        <Table
          caption={t('newcomers.funnel.nowTable', { total: data.total })}
          rows={data.now}
          rowKey={(r) => r.stage}
          columns={[
            { key: 'stage', header: t('newcomers.col.stage'), rowHeader: true, render: (r) => <span class={`stage stage-${r.stage}`}>{t(`newcomers.stage.${r.stage}`)}</span> },
            { key: 'cases', header: t('newcomers.funnel.cases'), align: 'end', render: (r) => r.n },
          ]}
        />
      </section>

      {data.year !== null && (
        <section aria-labelledby="fu-months">
          <h2 id="fu-months">{t('newcomers.funnel.months', { year: String(data.year) })}</h2>
          <p class="hint">{t('newcomers.funnel.monthsHint')}</p>
          <div class="funnel-charts">
            <BarChart id="ch-entered" title={t('newcomers.funnel.chartEntered', { year: String(data.year) })} color="sky" bars={data.monthly.map((m) => ({ label: monthName(m.month), value: m.entered }))} />
            <BarChart id="ch-settled" title={t('newcomers.funnel.chartSettled', { year: String(data.year) })} color="vine" bars={data.monthly.map((m) => ({ label: monthName(m.month), value: m.installe }))} />
          </div>
          <FlowTable
            caption={t('newcomers.funnel.monthsTable', { year: String(data.year) })}
            head={t('newcomers.funnel.month')}
            rows={data.monthly.map((m) => ({ key: String(m.month), label: dateTimeFormat(intl, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m.month - 1, 1))), ...m }))}
          />
        </section>
      )}

      <section aria-labelledby="fu-years">
        <h2 id="fu-years">{t('newcomers.funnel.years')}</h2>
        <FlowTable
          caption={t('newcomers.funnel.yearsTable', { scope })}
          head={t('newcomers.funnel.year')}
          rows={data.yearly.map((y) => ({ key: String(y.year), label: String(y.year), ...y }))}
          empty={t('newcomers.funnel.noData')}
        />
      </section>

      <section aria-labelledby="fu-conv">
        <h2 id="fu-conv">{t('newcomers.funnel.conversion')}</h2>
        <p class="hint">{t(data.year === null ? 'newcomers.funnel.cohortAll' : 'newcomers.funnel.cohort', { year: String(data.year ?? '') })} {t('newcomers.funnel.conversionHint')}</p>
        <BarChart
          id="ch-conv"
          title={t('newcomers.funnel.conversionChart', { period })}
          color="armagnac"
          max={100}
          bars={data.conversion.map((c) => ({ label: t(`newcomers.stage.${c.to}`), value: c.rate ?? 0, text: c.rate === null ? '—' : `${n.format(c.rate)} %` }))}
        />
        <Table
          caption={t('newcomers.funnel.conversionTable', { period })}
          rows={data.conversion}
          rowKey={(c) => c.from}
          columns={[
            { key: 'step', header: t('newcomers.funnel.step'), rowHeader: true, render: (c) => t('newcomers.funnel.stepLabel', { from: t(`newcomers.stage.${c.from}`), to: t(`newcomers.stage.${c.to}`) }) },
            { key: 'reached', header: t('newcomers.funnel.reached'), align: 'end', render: (c) => c.reached },
            { key: 'reachedNext', header: t('newcomers.funnel.reachedNext'), align: 'end', render: (c) => c.next },
            { key: 'rate', header: t('newcomers.funnel.rate'), align: 'end', render: (c) => (c.rate === null ? '—' : `${n.format(c.rate)} %`) },
          ]}
        />
      </section>

      <section aria-labelledby="fu-durations">
        <h2 id="fu-durations">{t('newcomers.funnel.durations')}</h2>
        <p class="hint">{t('newcomers.funnel.durationsHint')}</p>
        <Table
          caption={t('newcomers.funnel.durationsTable', { period })}
          rows={data.medians}
          rowKey={(m) => m.stage}
          columns={[
            { key: 'stage', header: t('newcomers.col.stage'), rowHeader: true, render: (m) => t(`newcomers.stage.${m.stage}`) },
            { key: 'median', header: t('newcomers.funnel.medianDays'), align: 'end', render: (m) => (m.median === null ? '—' : t('newcomers.funnel.days', { days: n.format(m.median) })) },
            { key: 'stays', header: t('newcomers.funnel.stays'), align: 'end', render: (m) => m.stays },
          ]}
        />
      </section>

      <section aria-labelledby="fu-settled">
        <h2 id="fu-settled">{t('newcomers.funnel.settled')}</h2>
        <Table
          caption={t('newcomers.funnel.settledYears', { scope })}
          rows={data.settledPerYear.map((y) => ({ ...y, key: String(y.year), label: String(y.year) }))}
          rowKey={(r) => r.key}
          columns={peopleColumns(t('newcomers.funnel.year'))}
        />
        <h3>{t('newcomers.funnel.settledWhere', { period })}</h3>
        {data.settledCommunes.length > 0 && (
          <Table
            caption={t('newcomers.funnel.perEpci', { period })}
            rows={data.settledEpcis.map((e) => ({ ...e, key: e.siren, label: e.name }))}
            rowKey={(r) => r.key}
            columns={peopleColumns(t('newcomers.funnel.epci'))}
          />
        )}
        <Table
          caption={t('newcomers.funnel.perCommune', { period })}
          rows={data.settledCommunes.map((c) => ({ ...c, key: c.insee, label: c.name, href: `/villages/${c.insee}` }))}
          rowKey={(r) => r.key}
          empty={t('newcomers.funnel.noSettled')}
          columns={peopleColumns(t('newcomers.funnel.commune'))}
        />
        <CommuneMap territory={territory} figure="prix" communes={data.mapCommunes} counts={counts} title={t('newcomers.funnel.map.title', { period, scope })} />
      </section>

      {data.tag && (
        <section aria-labelledby="fu-tasks">
          <h2 id="fu-tasks">{t('newcomers.funnel.tasks', { tag: nameOf(data.tag) })}</h2>
          <Table
            caption={t('newcomers.funnel.tasks', { tag: nameOf(data.tag) })}
            rows={data.taggedTasks}
            rowKey={(r) => r.year}
            empty={t('newcomers.funnel.noTasks')}
            columns={[
              { key: 'year', header: t('newcomers.funnel.year'), rowHeader: true, render: (r) => r.year },
              { key: 'created', header: t('newcomers.funnel.tasksCreated'), align: 'end', render: (r) => r.created },
              { key: 'done', header: t('newcomers.funnel.tasksDone'), align: 'end', render: (r) => r.done },
            ]}
          />
        </section>
      )}
    </AdminShell>
  );
}

type FlowRow = { key: string; label: string } & Record<(typeof FLOW_KINDS)[number], number>;

function FlowTable({ caption, head, rows, empty }: { caption: string; head: string; rows: FlowRow[]; empty?: string }) {
  const { t } = usePage();
  const columns: Column<FlowRow>[] = [
    { key: 'label', header: head, rowHeader: true, render: (r) => r.label },
    ...FLOW_KINDS.map((k): Column<FlowRow> => ({ key: k, header: t(`newcomers.funnel.flow.${k}`), align: 'end', render: (r) => r[k] })),
  ];
  return <Table caption={caption} rows={rows} rowKey={(r) => r.key} empty={empty} columns={columns} />;
}

/** A row of the settled-households tables: a year, an intercommunality or a commune (linked to its profile). */
interface PeopleRow {
  key: string;
  label: string;
  href?: string;
  households: number;
  adults: number;
  children: number;
}

/**
 * The funnel figures page (/admin/accueil/chiffres): filters, charts drawn on the server as SVG images with a title,
 * a description that reads out every value, value labels on the bars, and the same figures in tables; the settled
 * households on the territory map (with its table). No meaning rests on colour alone: each chart is one series.
 */
import { AdminShell } from '../../../web/components/admin-shell.js';
import { usePage } from '../../../web/page-context.js';
import { CommuneMap, type MapCounts } from '../../territory/index.js';
import type { Funnel } from './figures.service.js';
import { FLOW_KINDS } from './figures.schemas.js';
import { useTagName } from '../cases/index.js';

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
  const fmt = new Intl.NumberFormat(intl, { maximumFractionDigits: 1 });
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
  const n = new Intl.NumberFormat(intl, { maximumFractionDigits: 1 });
  const monthName = (m: number) => new Intl.DateTimeFormat(intl, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));
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
        <div class="table-wrap">
          <table>
            <caption>{t('newcomers.funnel.nowTable', { total: data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('newcomers.col.stage')}</th>
                <th scope="col" class="num">
                  {t('newcomers.funnel.cases')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.now.map((r) => (
                <tr key={r.stage}>
                  <th scope="row">
                    <span class={`stage stage-${r.stage}`}>{t(`newcomers.stage.${r.stage}`)}</span>
                  </th>
                  <td class="num">{r.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
            rows={data.monthly.map((m) => ({ key: String(m.month), label: new Intl.DateTimeFormat(intl, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m.month - 1, 1))), ...m }))}
          />
        </section>
      )}

      <section aria-labelledby="fu-years">
        <h2 id="fu-years">{t('newcomers.funnel.years')}</h2>
        {data.yearly.length === 0 ? <p>{t('newcomers.funnel.noData')}</p> : <FlowTable caption={t('newcomers.funnel.yearsTable', { scope })} head={t('newcomers.funnel.year')} rows={data.yearly.map((y) => ({ key: String(y.year), label: String(y.year), ...y }))} />}
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
        <div class="table-wrap">
          <table>
            <caption>{t('newcomers.funnel.conversionTable', { period })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('newcomers.funnel.step')}</th>
                <th scope="col" class="num">{t('newcomers.funnel.reached')}</th>
                <th scope="col" class="num">{t('newcomers.funnel.reachedNext')}</th>
                <th scope="col" class="num">{t('newcomers.funnel.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {data.conversion.map((c) => (
                <tr key={c.from}>
                  <th scope="row">{t('newcomers.funnel.stepLabel', { from: t(`newcomers.stage.${c.from}`), to: t(`newcomers.stage.${c.to}`) })}</th>
                  <td class="num">{c.reached}</td>
                  <td class="num">{c.next}</td>
                  <td class="num">{c.rate === null ? '—' : `${n.format(c.rate)} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="fu-durations">
        <h2 id="fu-durations">{t('newcomers.funnel.durations')}</h2>
        <p class="hint">{t('newcomers.funnel.durationsHint')}</p>
        <div class="table-wrap">
          <table>
            <caption>{t('newcomers.funnel.durationsTable', { period })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('newcomers.col.stage')}</th>
                <th scope="col" class="num">{t('newcomers.funnel.medianDays')}</th>
                <th scope="col" class="num">{t('newcomers.funnel.stays')}</th>
              </tr>
            </thead>
            <tbody>
              {data.medians.map((m) => (
                <tr key={m.stage}>
                  <th scope="row">{t(`newcomers.stage.${m.stage}`)}</th>
                  <td class="num">{m.median === null ? '—' : t('newcomers.funnel.days', { days: n.format(m.median) })}</td>
                  <td class="num">{m.stays}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="fu-settled">
        <h2 id="fu-settled">{t('newcomers.funnel.settled')}</h2>
        <div class="table-wrap">
          <table>
            <caption>{t('newcomers.funnel.settledYears', { scope })}</caption>
            <PeopleHead first={t('newcomers.funnel.year')} />
            <tbody>
              {data.settledPerYear.map((y) => (
                <PeopleRow key={y.year} label={String(y.year)} f={y} />
              ))}
            </tbody>
          </table>
        </div>
        <h3>{t('newcomers.funnel.settledWhere', { period })}</h3>
        {data.settledCommunes.length === 0 ? (
          <p>{t('newcomers.funnel.noSettled')}</p>
        ) : (
          <>
            <div class="table-wrap">
              <table>
                <caption>{t('newcomers.funnel.perEpci', { period })}</caption>
                <PeopleHead first={t('newcomers.funnel.epci')} />
                <tbody>
                  {data.settledEpcis.map((e) => (
                    <PeopleRow key={e.siren} label={e.name} f={e} />
                  ))}
                </tbody>
              </table>
            </div>
            <div class="table-wrap">
              <table>
                <caption>{t('newcomers.funnel.perCommune', { period })}</caption>
                <PeopleHead first={t('newcomers.funnel.commune')} />
                <tbody>
                  {data.settledCommunes.map((c) => (
                    <PeopleRow key={c.insee} label={c.name} href={`/villages/${c.insee}`} f={c} />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <CommuneMap territory={territory} figure="prix" communes={data.mapCommunes} counts={counts} title={t('newcomers.funnel.map.title', { period, scope })} />
      </section>

      {data.tag && (
        <section aria-labelledby="fu-tasks">
          <h2 id="fu-tasks">{t('newcomers.funnel.tasks', { tag: nameOf(data.tag) })}</h2>
          {data.taggedTasks.length === 0 ? (
            <p>{t('newcomers.funnel.noTasks')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption>{t('newcomers.funnel.tasks', { tag: nameOf(data.tag) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('newcomers.funnel.year')}</th>
                    <th scope="col" class="num">{t('newcomers.funnel.tasksCreated')}</th>
                    <th scope="col" class="num">{t('newcomers.funnel.tasksDone')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.taggedTasks.map((r) => (
                    <tr key={r.year}>
                      <th scope="row">{r.year}</th>
                      <td class="num">{r.created}</td>
                      <td class="num">{r.done}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </AdminShell>
  );
}

function FlowTable({ caption, head, rows }: { caption: string; head: string; rows: ({ key: string; label: string } & Record<(typeof FLOW_KINDS)[number], number>)[] }) {
  const { t } = usePage();
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            {FLOW_KINDS.map((k) => (
              <th key={k} scope="col" class="num">
                {t(`newcomers.funnel.flow.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {FLOW_KINDS.map((k) => (
                <td key={k} class="num">
                  {r[k]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PeopleHead({ first }: { first: string }) {
  const { t } = usePage();
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" class="num">{t('newcomers.funnel.households')}</th>
        <th scope="col" class="num">{t('newcomers.funnel.adults')}</th>
        <th scope="col" class="num">{t('newcomers.funnel.children')}</th>
        <th scope="col" class="num">{t('newcomers.funnel.persons')}</th>
      </tr>
    </thead>
  );
}

function PeopleRow({ label, href, f }: { label: string; href?: string; f: { households: number; adults: number; children: number } }) {
  return (
    <tr>
      <th scope="row">{href ? <a href={href}>{label}</a> : label}</th>
      <td class="num">{f.households}</td>
      <td class="num">{f.adults}</td>
      <td class="num">{f.children}</td>
      <td class="num">{f.adults + f.children}</td>
    </tr>
  );
}

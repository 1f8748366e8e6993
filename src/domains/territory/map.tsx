/**
 * The territory map, drawn on the server as inline SVG: no tiles, no network, no client script. Each commune is a
 * link (keyboard-reachable, named "commune : value"), coloured by one figure, with a legend in numbers and the
 * same data as a table. Inline rather than an <img>: links inside an image are neither focusable nor announced.
 *
 * Also the small locator map that a commune's profile shows (the commune inside the territory's outline).
 */
import { createHash } from 'node:crypto';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { TableFrame, TableRows, type Column } from '../../web/components/table.js';
import type { Translate } from '../../web/i18n/index.js';
import { usePage } from '../../web/page-context.js';
import { getMapGeometry, type CommuneShape } from './map.geometry.js';

/** The figures a map can be coloured by; the query string uses these French words (`carte=prix`). */
export const MAP_FIGURES = ['prix', 'toulouse', 'medecin'] as const;
export type MapFigure = (typeof MAP_FIGURES)[number];

/** What the map needs to know about each commune (every figure, so a figure switch needs no other query). */
export interface MapCommune {
  insee: string;
  name: string;
  /** Median price per m² of houses sold, € (null: no sale in the period). */
  housePrice: number | null;
  houseSales: number;
  toulouseKm: number | null;
  toulouseMinutes: number | null;
  /** General practitioners counted in the commune. */
  gps: number;
}

// Palette from the design notes: prices run mist → sunflower → armagnac, distances vine (near) → mist (far).
const MIST = '#e9e3d5';
const SUNFLOWER = '#f2b705';
const ARMAGNAC = '#8a4b08';
const VINE = '#2f6b3a';
const INK = '#1f2a24';
const PAPER = '#fbf8f1';

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
function mix(a: string, b: string, t: number): string {
  const [x, y] = [hex(a), hex(b)];
  return '#' + x.map((v, i) => Math.round(v + (y[i] - v) * t).toString(16).padStart(2, '0')).join('');
}
/** `n` colours evenly spaced along the given stops. */
export function ramp(stops: string[], n: number): string[] {
  if (n === 1) return [stops[stops.length - 1]];
  return Array.from({ length: n }, (_, i) => {
    const pos = (i / (n - 1)) * (stops.length - 1);
    const k = Math.min(Math.floor(pos), stops.length - 2);
    return mix(stops[k], stops[k + 1], pos - k);
  });
}

export interface LegendClass {
  color: string;
  /** Ready text, instead of `label` (classes of caller-supplied counts). */
  text?: string;
  /** i18n key and parameters of the class's label. */
  label: string;
  params?: Record<string, string | number>;
  /** Upper bound (exclusive) of the class, or Infinity for the last one. */
  below: number;
}

export interface Classification {
  classes: LegendClass[];
  noData: LegendClass | null;
  /** Colour of one commune. */
  colorOf(c: MapCommune): string;
  valueOf(c: MapCommune): number | null;
}

const roundTo = (v: number, step: number) => Math.round(v / step) * step;

/** Price classes at the quintiles of the communes' medians, rounded to 100 €, so each colour covers as many communes. */
export function priceBreaks(values: number[]): number[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const breaks = [0.2, 0.4, 0.6, 0.8].map((q) => roundTo(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))], 100));
  return [...new Set(breaks)].filter((b) => b > sorted[0]);
}

/** Time classes every 15 minutes (people think in quarter hours), at most six. */
export function timeBreaks(values: number[]): number[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return [];
  const lo = Math.ceil(Math.min(...finite) / 15) * 15;
  const hi = Math.max(...finite);
  const step = hi - lo > 75 ? Math.ceil((hi - lo) / 5 / 15) * 15 : 15;
  const breaks: number[] = [];
  for (let b = Math.max(lo, 15); b <= hi && breaks.length < 5; b += step) breaks.push(b);
  return breaks;
}

function classesFor(breaks: number[], colors: string[], unit: 'price' | 'minutes'): LegendClass[] {
  const k = unit === 'price' ? 'map.legend.price' : 'map.legend.minutes';
  if (!breaks.length) return [{ color: colors[colors.length - 1], label: 'map.legend.any', below: Infinity }];
  return colors.map((color, i): LegendClass => {
    if (i === 0) return { color, label: `${k}.below`, params: { to: breaks[0] }, below: breaks[0] ?? Infinity };
    if (i === colors.length - 1) return { color, label: `${k}.above`, params: { from: breaks[i - 1] }, below: Infinity };
    return { color, label: `${k}.between`, params: { from: breaks[i - 1], to: breaks[i] }, below: breaks[i] };
  });
}

export function classify(figure: MapFigure, communes: MapCommune[]): Classification {
  const pick = (classes: LegendClass[], v: number | null, fallback: string) => (v === null ? fallback : classes.find((c) => v < c.below)!.color);
  if (figure === 'medecin') {
    const classes: LegendClass[] = [
      { color: MIST, label: 'map.legend.gp.none', below: 1 },
      { color: VINE, label: 'map.legend.gp.some', below: Infinity },
    ];
    return { classes, noData: null, valueOf: (c) => c.gps, colorOf: (c) => pick(classes, c.gps, MIST) };
  }
  if (figure === 'toulouse') {
    const valueOf = (c: MapCommune) => c.toulouseMinutes;
    const breaks = timeBreaks(communes.map(valueOf).filter((v): v is number => v !== null));
    const classes = classesFor(breaks, ramp([VINE, MIST], breaks.length + 1), 'minutes');
    const noData: LegendClass = { color: '#ffffff', label: 'map.legend.noData', below: Infinity };
    return { classes, noData, valueOf, colorOf: (c) => pick(classes, valueOf(c), noData.color) };
  }
  const valueOf = (c: MapCommune) => c.housePrice;
  const breaks = priceBreaks(communes.map(valueOf).filter((v): v is number => v !== null));
  const classes = classesFor(breaks, ramp([MIST, SUNFLOWER, ARMAGNAC], breaks.length + 1), 'price');
  const noData: LegendClass = { color: 'url(#carte-sans-vente)', label: 'map.legend.noSale', below: Infinity };
  return { classes, noData, valueOf, colorOf: (c) => pick(classes, valueOf(c), noData.color) };
}

/**
 * Counts of the caller's own instead of a built-in figure (for instance households settled per commune): communes
 * at zero in `mist`, the others along `sunflower` → `armagnac`, with the caller's words for values and classes.
 */
export interface MapCounts {
  /** Names the counts in the fragments cache. */
  key: string;
  values: Record<string, number>;
  legendTitle: string;
  columnTitle: string;
  /** A commune's value in words ("2 foyers"). */
  describe: (value: number) => string;
  /** A class's label: `to` null for the last, open one; `from` 0 for "none". */
  classLabel: (from: number, to: number | null) => string;
}

export function classifyCounts(counts: MapCounts): Classification {
  const valueOf = (c: MapCommune) => counts.values[c.insee] ?? 0;
  const max = Math.max(0, ...Object.values(counts.values));
  // At most four classes above zero: one per value when few, else equal steps.
  const step = Math.max(1, Math.ceil(max / 4));
  const lows: number[] = [];
  for (let from = 1; from <= max; from += step) lows.push(from);
  const colors = ramp([SUNFLOWER, ARMAGNAC], Math.max(1, lows.length));
  const classes: LegendClass[] = [{ color: MIST, label: '', text: counts.classLabel(0, 0), below: 1 }];
  lows.forEach((from, i) => {
    const last = i === lows.length - 1;
    const to = last ? null : lows[i + 1] - 1;
    classes.push({ color: colors[i], label: '', text: counts.classLabel(from, to), below: last ? Infinity : lows[i + 1] });
  });
  return { classes, noData: null, valueOf, colorOf: (c) => classes.find((k) => valueOf(c) < k.below)!.color };
}

/** The accessible name of a commune's link, and the value cell of the table. */
function describe(figure: MapFigure, c: MapCommune, t: (k: string, p?: Record<string, string | number>) => string, counts?: MapCounts): string {
  if (counts) return counts.describe(counts.values[c.insee] ?? 0);
  if (figure === 'prix')
    return c.housePrice === null ? t('map.value.noSale') : t(c.houseSales === 1 ? 'map.value.price.one' : 'map.value.price', { price: c.housePrice, sales: c.houseSales });
  if (figure === 'toulouse') {
    if (c.toulouseKm === null) return t('map.value.noData');
    return c.toulouseMinutes === null ? t('map.value.km', { km: Math.round(c.toulouseKm) }) : t('map.value.kmMinutes', { km: Math.round(c.toulouseKm), minutes: Math.round(c.toulouseMinutes) });
  }
  return c.gps === 0 ? t('map.value.gp.none') : t(c.gps === 1 ? 'map.value.gp.one' : 'map.value.gp', { count: c.gps });
}

/** How many towns get a name on the map, to find one's way; the links carry every name anyway. */
const LABELLED_TOWNS = 9;

export interface CommuneMapProps {
  /** Territory slug: selects the boundary file. */
  territory: string;
  figure: MapFigure;
  communes: MapCommune[];
  /** Communes to stand out (the finder's results); the others are paled. */
  highlighted?: ReadonlySet<string>;
  title: string;
  /** Shown between the caption and the map (for instance the figure switch). */
  children?: ComponentChildren;
  /**
   * Where the same data stands as a table: here (default), or on another page that already carries it (the map's
   * figures do not depend on a search, so a search page links to the plain map's table instead of repeating 50 kB).
   */
  tableHref?: string;
  /** Colour by these counts instead of `figure` (which then only names the fragments). */
  counts?: MapCounts;
}

/**
 * The links and the data table are the heavy part of the map (about 200 kB of markup) and depend only on the
 * language, the figure and the figures themselves, not on the search: they are rendered once per such key and
 * reused, so a search costs the join of 458 ready strings instead of a render. Keyed by a digest of the figures,
 * so a corrected figure changes the key and nothing stale is ever served. The strings come out of the same
 * escaping renderer as everything else.
 */
interface Fragments {
  /** Name order. */
  order: string[];
  /** Per commune: its link as drawn normally, as a match of the search, and paled (not a match). */
  plain: Map<string, string>;
  match: Map<string, string>;
  pale: Map<string, string>;
  /** The data table's rows (`<tr>`s), in name order. */
  table: string;
}
const fragmentCache = new Map<string, Fragments>();
const FRAGMENT_CACHE_SIZE = 12;

/** The columns of the map's data table: the head is drawn per page, the rows come from the fragments cache. */
function tableColumns(figure: MapFigure, t: Translate, counts?: MapCounts): Column<MapCommune>[] {
  return [
    { key: 'commune', header: t('map.table.commune'), rowHeader: true, render: (c) => <a href={`/villages/${c.insee}`}>{c.name}</a> },
    { key: 'value', header: counts ? counts.columnTitle : t(`map.table.value.${figure}`), render: (c) => describe(figure, c, t, counts) },
  ];
}

function fragmentsFor(territory: string, locale: string, figure: MapFigure, communes: MapCommune[], scheme: Classification, t: Translate, counts?: MapCounts): Fragments {
  const digest = createHash('sha1').update(JSON.stringify(communes)).update(counts ? JSON.stringify(counts.values) : '').digest('base64url');
  const key = `${territory}|${locale}|${counts ? `counts:${counts.key}` : figure}|${digest}`;
  const hit = fragmentCache.get(key);
  if (hit) return hit;
  const collator = new Intl.Collator('fr');
  const sorted = [...communes].sort((a, b) => collator.compare(a.name, b.name));
  const geometry = getMapGeometry(territory);
  const plain = new Map<string, string>();
  const match = new Map<string, string>();
  const pale = new Map<string, string>();
  for (const c of sorted) {
    // A commune without a boundary (a territory shipping no boundary file) is still in the table.
    const s = geometry.byInsee.get(c.insee);
    if (!s) continue;
    const label = `${c.name} : ${describe(figure, c, t, counts)}`;
    const fill = scheme.colorOf(c);
    const href = `/villages/${s.insee}`;
    plain.set(s.insee, renderToString(<a href={href} aria-label={label}><path d={s.d} fill={fill} /></a>));
    // Counts are never highlighted (no search): their matched and paled variants would go unused.
    if (counts) continue;
    match.set(s.insee, renderToString(<a href={href} aria-label={`${label} (${t('map.inResults')})`}><path id={`carte-${s.insee}`} d={s.d} fill={fill} /></a>));
    pale.set(s.insee, renderToString(<a href={href} aria-label={label}><path d={s.d} fill={fill} fill-opacity="0.3" /></a>));
  }
  const table = renderToString(<TableRows columns={tableColumns(figure, t, counts)} rows={sorted} rowKey={(c) => c.insee} />);
  const fragments: Fragments = { order: sorted.map((c) => c.insee).filter((insee) => plain.has(insee)), plain, match, pale, table };
  if (fragmentCache.size >= FRAGMENT_CACHE_SIZE) fragmentCache.delete(fragmentCache.keys().next().value!);
  fragmentCache.set(key, fragments);
  return fragments;
}

export function CommuneMap({ territory, figure, communes, highlighted, title, children, tableHref, counts }: CommuneMapProps) {
  const { t, locale } = usePage();
  const geometry = getMapGeometry(territory);
  const scheme = counts ? classifyCounts(counts) : classify(figure, communes);
  const parts = fragmentsFor(territory, locale, figure, communes, scheme, t, counts);
  const names = new Map(communes.map((c) => [c.insee, c.name]));
  const dim = !counts && !!highlighted && highlighted.size > 0;
  const towns = geometry.byPopulation.filter((s) => names.has(s.insee)).slice(0, LABELLED_TOWNS);
  const marked = dim ? parts.order.filter((insee) => highlighted!.has(insee)) : [];
  const links = parts.order.map((insee) => (!dim ? parts.plain : highlighted!.has(insee) ? parts.match : parts.pale).get(insee)).join('');
  return (
    <figure class="commune-map" aria-labelledby="carte-titre">
      <figcaption id="carte-titre" class="commune-map-title">
        {title}
      </figcaption>
      {children}
      {parts.order.length > 0 && (
        <a class="commune-map-skip" href="#carte-donnees">
          {t('map.skip', { count: parts.order.length })}
        </a>
      )}
      {parts.order.length > 0 && (
        <svg
          class="commune-map-svg"
          viewBox={`0 0 ${geometry.width} ${geometry.height}`}
          role="group"
          aria-labelledby="carte-titre"
          xmlns="http://www.w3.org/2000/svg"
        >
          <defs>
            <pattern id="carte-sans-vente" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="8" height="8" fill="#ffffff" />
              <path d="M0 0v8" stroke="#b9b2a2" stroke-width="3" />
            </pattern>
          </defs>
          <g stroke={PAPER} stroke-width="0.7" stroke-linejoin="round" dangerouslySetInnerHTML={{ __html: links }} />
          {marked.length > 0 && (
            <g fill="none" stroke-linejoin="round" aria-hidden="true" class="commune-map-marks">
              {marked.map((insee) => (
                <use key={`h${insee}`} href={`#carte-${insee}`} stroke={PAPER} stroke-width="4.5" />
              ))}
              {marked.map((insee) => (
                <use key={`i${insee}`} href={`#carte-${insee}`} stroke={INK} stroke-width="2" />
              ))}
            </g>
          )}
          <g aria-hidden="true" class="commune-map-labels" font-size="15" text-anchor="middle" stroke={PAPER} stroke-width="3.5" paint-order="stroke" fill={INK}>
            {towns.map((s) => (
              <text key={s.insee} x={s.cx} y={s.cy + 5}>
                {names.get(s.insee) ?? s.name}
              </text>
            ))}
          </g>
        </svg>
      )}
      {parts.order.length > 0 && <MapLegend scheme={scheme} dimmed={dim} figure={figure} title={counts?.legendTitle} />}
      {tableHref && parts.order.length > 0 ? (
        <p class="commune-map-data" id="carte-donnees">
          <a href={tableHref}>{t('map.table.elsewhere')}</a>
        </p>
      ) : (
        <details class="commune-map-data" id="carte-donnees" open={parts.order.length === 0}>
          <summary>{t('map.table.summary')}</summary>
          {/* The rows come rendered once per language and figure (see fragmentsFor). */}
          <TableFrame class="data-table" wrap="none" caption={title} columns={tableColumns(figure, t, counts)}>
            <tbody dangerouslySetInnerHTML={{ __html: parts.table }} />
          </TableFrame>
        </details>
      )}
    </figure>
  );
}

function MapLegend({ scheme, dimmed, figure, title }: { scheme: Classification; dimmed: boolean; figure: MapFigure; title?: string }) {
  const { t } = usePage();
  const items = scheme.noData ? [...scheme.classes, scheme.noData] : scheme.classes;
  return (
    <div class="commune-map-legend">
      <p class="commune-map-legend-title">{title ?? t(`map.legend.title.${figure}`)}</p>
      <ul>
        {items.map((c) => (
          <li key={c.label + c.color}>
            <Swatch color={c.color} />
            {c.text ?? t(c.label, c.params)}
          </li>
        ))}
        {dimmed && (
          <li>
            <svg class="swatch" viewBox="0 0 20 20" aria-hidden="true" width="20" height="20">
              <rect x="2" y="2" width="16" height="16" fill={MIST} stroke={PAPER} stroke-width="4" />
              <rect x="2" y="2" width="16" height="16" fill="none" stroke={INK} stroke-width="2" />
            </svg>
            {t('map.legend.highlighted')}
          </li>
        )}
      </ul>
      {dimmed && <p class="small muted">{t('map.legend.dimmed')}</p>}
    </div>
  );
}

function Swatch({ color }: { color: string }) {
  return (
    <svg class="swatch" viewBox="0 0 20 20" aria-hidden="true" width="20" height="20">
      {color.startsWith('url(') && (
        <defs>
          <pattern id="legende-sans-vente" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#ffffff" />
            <path d="M0 0v6" stroke="#b9b2a2" stroke-width="2.5" />
          </pattern>
        </defs>
      )}
      <rect x="1" y="1" width="18" height="18" fill={color.startsWith('url(') ? 'url(#legende-sans-vente)' : color} stroke="#5c5a52" stroke-width="1" />
    </svg>
  );
}

/**
 * A small map placing one commune in the territory: the outline, the commune filled, and a ring around it so that
 * even a tiny commune is easy to spot. Read as one image ("Situation de X dans le Gers").
 */
export function LocatorMap({ territory, territoryName, insee, name }: { territory: string; territoryName: string; insee: string; name: string }) {
  const { t } = usePage();
  const geometry = getMapGeometry(territory);
  const shape: CommuneShape | undefined = geometry.byInsee.get(insee);
  if (!shape && !geometry.outline) return null;
  const label = t('map.locator.label', { name, territory: territoryName });
  return (
    <svg class="locator-map" viewBox={`0 0 ${geometry.width} ${geometry.height}`} role="img" aria-label={label} xmlns="http://www.w3.org/2000/svg">
      <title>{label}</title>
      <path d={geometry.outline} fill={MIST} stroke="#5c5a52" stroke-width="4" stroke-linejoin="round" />
      {shape && (
        <>
          <path d={shape.d} fill={ARMAGNAC} stroke={ARMAGNAC} stroke-width="2" />
          <circle
            cx={Math.round((shape.box[0] + shape.box[2]) / 2)}
            cy={Math.round((shape.box[1] + shape.box[3]) / 2)}
            r={Math.max(28, Math.round(Math.hypot(shape.box[2] - shape.box[0], shape.box[3] - shape.box[1]) / 2) + 14)}
            fill="none"
            stroke={INK}
            stroke-width="6"
          />
        </>
      )}
    </svg>
  );
}

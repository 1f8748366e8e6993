/**
 * The programme's figures, for the welcome team and the funders: where cases stand, how many enter and move on
 * each month, how long each stage lasts, who settled where. Everything is computed from the stage history and the
 * settled commune, never from personal columns, so anonymised cases keep counting. Filterable by year and funder
 * tag; exported as CSV (each export audited: who exported what).
 */
import type { Actor, AppContext } from '../../../context.js';
import type { CaseStage } from '../../../db/schema.js';
import { tFor } from '../../../web/i18n/index.js';
import { recordAudit } from '../../audit/index.js';
import { listEpcis, type MapCommune } from '../../territory/index.js';
import { communeNames, listFunderTags, readListVersion, resolveFilter, STAGES, type CaseListQuery } from '../cases/index.js';
import { toCsv, type CsvCell } from '../../../shared/csv.js';
import * as funnel from './figures.repo.js';
import { FLOW_KINDS, type FunnelQuery } from './figures.schemas.js';
import { assertCaseStaff } from '../newcomers.policy.js';
import { parisDay } from '../../../shared/time.js';

/** The main path, in order: conversion is measured between neighbours. */
export const FUNNEL_PATH: readonly CaseStage[] = ['nouveau', 'qualifie', 'accompagne', 'sejour_decouverte', 'installation', 'installe', 'suivi'];
/** More rows than this in one export means a filter is missing; the export says how many were left out. */
export const CASES_EXPORT_LIMIT = 20_000;

type Counts = Record<funnel.FlowKind, number>;
const zeroCounts = (): Counts => ({ entered: 0, qualifie: 0, sejour_decouverte: 0, installe: 0, abandon: 0 });

export interface SettledFigures {
  households: number;
  adults: number;
  children: number;
}
const add = (a: SettledFigures, b: SettledFigures) => ({ households: a.households + b.households, adults: a.adults + b.adults, children: a.children + b.children });
const none = (): SettledFigures => ({ households: 0, adults: 0, children: 0 });

/**
 * The aggregates, kept per database, territory, year and tag with the version of the case list they were computed
 * at (decision 0031: moved at the commit of any change to the cases, their stage events, people and tags); a request
 * that reads another version computes again. The version is read before the data, so results are never kept under a
 * version newer than the rows they come from.
 */
type Figures = Awaited<ReturnType<typeof computeFigures>>;
const figuresCache = new WeakMap<object, Map<string, { version: number; figures: Figures }>>();
const FIGURES_CACHE_SIZE = 24;

async function computeFigures(ctx: AppContext, scope: funnel.FunnelScope) {
  const [perStage, flowRows, reached, durations, settledYears, settledCommunes, communes, epcis] = await Promise.all([
    funnel.casesPerStage(ctx.db, scope),
    funnel.flows(ctx.db, scope),
    funnel.reachedStages(ctx.db, scope),
    funnel.stageDurations(ctx.db, scope),
    funnel.settledPerYear(ctx.db, scope),
    funnel.settledPerCommune(ctx.db, scope),
    // The communes' names and EPCIs move the list's version too (imports, corrections).
    funnel.communesWithEpci(ctx.db, scope.territoryId),
    listEpcis(ctx.db, scope.territoryId),
  ]);
  return { perStage, flowRows, reached, durations, settledYears, settledCommunes, communes, epcis };
}

async function figuresFor(ctx: AppContext, scope: funnel.FunnelScope): Promise<Figures> {
  const version = await readListVersion(ctx.db, scope.territoryId);
  let cache = figuresCache.get(ctx.db);
  if (!cache) figuresCache.set(ctx.db, (cache = new Map()));
  const key = `${scope.territoryId}|${scope.cohortYear ?? '*'}|${scope.tagId ?? '*'}`;
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.figures;
  const figures = await computeFigures(ctx, scope);
  cache.delete(key);
  if (cache.size >= FIGURES_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, { version, figures });
  return figures;
}

/** Every figure of the page for one year (or all years) and one tag (or all cases). */
export async function getFunnel(ctx: AppContext, actor: Actor, q: FunnelQuery) {
  assertCaseStaff(actor);
  const territoryId = actor.territoryId;
  const today = parisDay(ctx.clock.now());
  const currentYear = Number(today.slice(0, 4));
  const year = q.annee === 'toutes' ? null : (q.annee ?? currentYear);
  const allTags = await listFunderTags(ctx.db, territoryId, true);
  const tag = allTags.find((x) => x.id === q.financeur) ?? null;
  const scope: funnel.FunnelScope = { territoryId, tagId: tag?.id, cohortYear: year ?? undefined };

  const [{ perStage, flowRows, reached, durations, settledYears, settledCommunes: settledRows, communes, epcis }, taggedTasks] = await Promise.all([
    figuresFor(ctx, scope),
    tag ? funnel.taggedTasks(ctx.db, territoryId, tag.id) : Promise.resolve([]),
  ]);

  const now = STAGES.map((stage) => ({ stage, n: perStage.find((r) => r.stage === stage)?.n ?? 0 }));

  // The years offered: those with data, this one, and the one asked for (so the form shows what is displayed).
  const yearsWithData = new Set<number>([currentYear, ...(year === null ? [] : [year])]);
  const yearly = new Map<number, Counts>();
  const monthly = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, ...zeroCounts() }));
  for (const r of flowRows) {
    yearsWithData.add(r.year);
    if (r.month === null) {
      const y = yearly.get(r.year) ?? zeroCounts();
      y[r.kind] = r.n;
      yearly.set(r.year, y);
    } else if (r.year === year) monthly[r.month - 1][r.kind] = r.n;
  }

  // Conversion: of the cases that ever reached a stage, the share that also reached the next one.
  const conversion = FUNNEL_PATH.slice(0, -1).map((from, i) => {
    const to = FUNNEL_PATH[i + 1];
    let base = 0;
    let next = 0;
    for (const r of reached) {
      if (!r.stages.includes(from)) continue;
      base += r.n;
      if (r.stages.includes(to)) next += r.n;
    }
    return { from, to, reached: base, next, rate: base ? (100 * next) / base : null };
  });

  const medians = STAGES.filter((s) => s !== 'abandon').map((stage) => {
    const d = durations.find((r) => r.stage === stage);
    return { stage, median: d ? d.median : null, stays: d?.stays ?? 0 };
  });

  // Settled: per year (all years), per commune and per EPCI (the chosen year, or all).
  const communeByInsee = new Map(communes.map((c) => [c.insee, c]));
  const epciName = new Map(epcis.map((e) => [e.siren, e.name]));
  const settledPerYear = new Map<number, SettledFigures>();
  const perCommune = new Map<string, SettledFigures>();
  const perEpci = new Map<string, SettledFigures>();
  for (const r of settledYears) {
    yearsWithData.add(r.year);
    settledPerYear.set(r.year, r);
  }
  for (const r of settledRows) {
    perCommune.set(r.insee, r);
    const siren = communeByInsee.get(r.insee)?.epci_siren ?? '';
    perEpci.set(siren, add(perEpci.get(siren) ?? none(), r));
  }
  const collator = new Intl.Collator('fr');
  const settledCommunes = [...perCommune]
    .map(([insee, f]) => ({ insee, name: communeByInsee.get(insee)?.name ?? insee, epci: epciName.get(communeByInsee.get(insee)?.epci_siren ?? '') ?? null, ...f }))
    .sort((a, b) => b.households - a.households || collator.compare(a.name, b.name));
  const settledEpcis = [...perEpci]
    .map(([siren, f]) => ({ siren, name: epciName.get(siren) ?? siren, ...f }))
    .sort((a, b) => b.households - a.households || collator.compare(a.name, b.name));

  const years = [...yearsWithData].sort((a, b) => b - a);
  // The map is coloured by settled households (its `counts`): the other figures of a commune are not needed.
  const mapCommunes: MapCommune[] = communes.map((c) => ({ insee: c.insee, name: c.name, housePrice: null, houseSales: 0, toulouseKm: null, toulouseMinutes: null, gps: 0 }));
  return {
    today,
    year,
    years,
    tag,
    tags: allTags,
    now,
    total: now.reduce((s, r) => s + r.n, 0),
    monthly,
    yearly: [...yearly].map(([y, c]) => ({ year: y, ...c })).sort((a, b) => a.year - b.year),
    conversion,
    medians,
    settledPerYear: [...settledPerYear].map(([y, f]) => ({ year: y, ...f })).sort((a, b) => a.year - b.year),
    settledCommunes,
    settledEpcis,
    taggedTasks,
    mapCommunes,
  };
}
export type Funnel = Awaited<ReturnType<typeof getFunnel>>;

// ---------------------------------------------------------------------------------------------- exports

const fr = tFor('fr');
const tagName = (t: { key: string | null; label: string | null }) => t.label ?? fr(`newcomers.tags.builtin.${t.key}`);
const frDate = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });
const dayFr = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const FLOW_LABEL: Record<funnel.FlowKind, string> = {
  entered: 'newcomers.funnel.flow.entered',
  qualifie: 'newcomers.funnel.flow.qualifie',
  sejour_decouverte: 'newcomers.funnel.flow.sejour_decouverte',
  installe: 'newcomers.funnel.flow.installe',
  abandon: 'newcomers.funnel.flow.abandon',
};

/** The page's figures as one long table (indicator, period, detail, code, value): one sheet, easy to pivot. */
export async function exportFunnelCsv(ctx: AppContext, actor: Actor, q: FunnelQuery) {
  const f = await getFunnel(ctx, actor, q);
  const period = f.year === null ? fr('newcomers.funnel.allYears') : String(f.year);
  const rows: CsvCell[][] = [[fr('newcomers.funnel.csv.indicator'), fr('newcomers.funnel.csv.period'), fr('newcomers.funnel.csv.detail'), fr('newcomers.funnel.csv.code'), fr('newcomers.funnel.csv.value')]];
  for (const r of f.now) rows.push([fr('newcomers.funnel.csv.casesPerStage'), dayFr(f.today), fr(`newcomers.stage.${r.stage}`), r.stage, r.n]);
  if (f.year !== null) {
    for (const m of f.monthly) for (const k of FLOW_KINDS) rows.push([fr(FLOW_LABEL[k]), `${f.year}-${String(m.month).padStart(2, '0')}`, '', k, m[k]]);
  }
  for (const y of f.yearly) for (const k of FLOW_KINDS) rows.push([fr(FLOW_LABEL[k]), String(y.year), '', k, y[k]]);
  for (const c of f.conversion) {
    rows.push([fr('newcomers.funnel.csv.conversion'), period, `${fr(`newcomers.stage.${c.from}`)} → ${fr(`newcomers.stage.${c.to}`)}`, `${c.from}>${c.to}`, c.rate === null ? null : Math.round(c.rate * 10) / 10]);
  }
  for (const m of f.medians) if (m.median !== null) rows.push([fr('newcomers.funnel.csv.median'), period, fr(`newcomers.stage.${m.stage}`), m.stage, Math.round(m.median * 10) / 10]);
  const settled = (p: string, detail: string, code: string, s: SettledFigures) => {
    rows.push([fr('newcomers.funnel.csv.households'), p, detail, code, s.households]);
    rows.push([fr('newcomers.funnel.csv.adults'), p, detail, code, s.adults]);
    rows.push([fr('newcomers.funnel.csv.children'), p, detail, code, s.children]);
  };
  for (const y of f.settledPerYear) settled(String(y.year), ctx.territory.name, '', y);
  for (const c of f.settledCommunes) settled(period, c.name, c.insee, c);
  for (const e of f.settledEpcis) settled(period, e.name, e.siren, e);
  for (const t of f.taggedTasks) {
    rows.push([fr('newcomers.funnel.csv.tasksCreated'), String(t.year), f.tag ? tagName(f.tag) : '', '', t.created]);
    rows.push([fr('newcomers.funnel.csv.tasksDone'), String(t.year), f.tag ? tagName(f.tag) : '', '', t.done]);
  }
  await recordAudit(ctx.db, ctx, actor, {
    action: 'newcomer_funnel.exported',
    subjectType: 'newcomer_funnel',
    subjectId: period,
    data: { export: 'figures', year: f.year, tag: f.tag?.id ?? null, rows: rows.length - 1 },
  });
  const name = `chiffres-accueil-${f.year ?? 'toutes-annees'}${f.tag ? `-financeur-${f.tag.id}` : ''}.csv`;
  return { name, body: toCsv(rows) };
}

/**
 * The filtered staff list as CSV, one row per case, with columns that say where the case stands and nothing
 * personal: no name, address, note or message. Audited with the filters used.
 */
export async function exportCasesCsv(ctx: AppContext, actor: Actor, q: CaseListQuery) {
  assertCaseStaff(actor);
  const territoryId = actor.territoryId;
  const filter = await resolveFilter(ctx, actor, q);
  const [rows, allTags] = await Promise.all([funnel.listCasesForExport(ctx.db, territoryId, filter, CASES_EXPORT_LIMIT), listFunderTags(ctx.db, territoryId, true)]);
  const names = await communeNames(ctx.db, territoryId, rows.flatMap((r) => [...r.communes, ...(r.settled_insee ? [r.settled_insee] : [])]));
  const tagById = new Map(allTags.map((t) => [t.id, tagName(t)]));
  const out: CsvCell[][] = [
    ['number', 'stage', 'created', 'since', 'adviser', 'targets', 'settledIn', 'settledOn', 'tags', 'adults', 'children'].map((k) => fr(`newcomers.funnel.casesCsv.${k}`)),
  ];
  for (const r of rows) {
    out.push([
      r.number,
      fr(`newcomers.stage.${r.stage}`),
      frDate.format(r.created_at),
      frDate.format(r.stage_changed_at),
      r.adviser_name ?? '',
      r.communes.map((c) => names.get(c) ?? c).join(', '),
      r.settled_insee ? (names.get(r.settled_insee) ?? r.settled_insee) : '',
      r.settled_on ? dayFr(r.settled_on) : '',
      r.tags.map((id) => tagById.get(id) ?? String(id)).join(', '),
      Number(r.adults),
      Number(r.children),
    ]);
  }
  const filters = Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'page' && v !== undefined));
  await recordAudit(ctx.db, ctx, actor, { action: 'newcomer_case.list_exported', subjectType: 'newcomer_case', data: { export: 'cases', filters, rows: rows.length } });
  return { name: `dossiers-accueil-${parisDay(ctx.clock.now())}.csv`, body: toCsv(out) };
}

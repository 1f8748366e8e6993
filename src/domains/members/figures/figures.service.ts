/**
 * The association's figures for the team (/admin/adherents/chiffres and its CSV): the register counted on the day
 * shown (by status, plan, commune, EPCI), the yearly figures from the membership periods, and the dues recorded
 * per year. Every figure comes from the programme's own records, as of that day.
 */
import type { Actor, AppContext } from '../../../context.js';
import { toCsv, type CsvCell } from '../../../shared/csv.js';
import { tFor } from '../../../web/i18n/index.js';
import { listCommunesForMap, listEpcis } from '../../territory/index.js';
import { addDays, eurosText, MEMBER_STATUSES, reminderWindow, today, type MemberStatus } from '../members.common.js';
import { assertMemberStaff } from '../members.policy.js';
import * as repo from '../members.repo.js';
import { yearlyFigures } from './figures.compute.js';

const UP_TO_DATE: ReadonlySet<MemberStatus> = new Set(['actif', 'expire_bientot']);

const add = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);
const sorted = <K>(m: Map<K, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]), 'fr'));

export async function getMemberFigures(ctx: AppContext, actor: Actor) {
  assertMemberStaff(actor);
  const day = today(ctx);
  const windowEnd = addDays(day, reminderWindow(await repo.getReminderOffsets(ctx.db, actor.territoryId)));
  const [census, periods, dues, communes, epcis] = await Promise.all([
    repo.countMembersByStatusPlanPlace(ctx.db, actor.territoryId, day, windowEnd),
    repo.listAllPeriods(ctx.db, actor.territoryId),
    repo.sumDuesPerYear(ctx.db, actor.territoryId),
    listCommunesForMap(ctx.db, actor.territoryId),
    listEpcis(ctx.db, actor.territoryId),
  ]);
  const byStatus = new Map<MemberStatus, number>(MEMBER_STATUSES.map((s) => [s, 0]));
  const byPlan = new Map<string, number>();
  const byCommune = new Map<string, number>();
  const byEpci = new Map<string, number>();
  let outside = 0;
  let upToDate = 0;
  for (const r of census) {
    const n = Number(r.n);
    add(byStatus, r.status, n);
    if (!UP_TO_DATE.has(r.status)) continue;
    upToDate += n;
    add(byPlan, r.plan_name, n);
    if (r.outside_territory || !r.insee) outside += n;
    else {
      add(byCommune, r.insee, n);
      if (r.epci_siren) add(byEpci, r.epci_siren, n);
    }
  }
  const communeName = new Map(communes.map((c) => [c.insee, c.name]));
  const epciName = new Map(epcis.map((e) => [e.siren, e.name]));
  return {
    day,
    total: census.reduce((a, r) => a + Number(r.n), 0),
    upToDate,
    byStatus: [...byStatus.entries()].map(([status, count]) => ({ status, count })),
    byPlan: sorted(byPlan).map(([plan, count]) => ({ plan, count })),
    byCommune: sorted(byCommune).map(([insee, count]) => ({ insee, name: communeName.get(insee) ?? insee, count })),
    byEpci: sorted(byEpci).map(([siren, count]) => ({ siren, name: epciName.get(siren) ?? siren, count })),
    outside,
    years: yearlyFigures(periods, day),
    dues: dues.map((d) => ({ year: Number(d.year), payments: Number(d.payments), cents: Number(d.cents ?? 0) })),
    communes: communes.map((c) => ({ insee: c.insee, name: c.name })),
  };
}

export type MemberFigures = Awaited<ReturnType<typeof getMemberFigures>>;

/** The same figures as CSV (French Excel): one line per figure, with its source and date. */
export async function exportMemberFiguresCsv(ctx: AppContext, actor: Actor) {
  const f = await getMemberFigures(ctx, actor);
  const t = tFor('fr');
  const source = t('members.figures.source', { programme: ctx.territory.programmeName, date: f.day });
  const rows: CsvCell[][] = [[t('members.figures.csv.figure'), t('members.figures.csv.key'), t('members.figures.csv.value'), t('members.figures.csv.source')]];
  const line = (figure: string, key: CsvCell, value: CsvCell) => rows.push([figure, key, value, source]);
  for (const s of f.byStatus) line(t('members.figures.byStatus'), t(`members.status.${s.status}`), s.count);
  for (const y of f.years) {
    line(t('members.figures.members'), y.year, y.members);
    line(t('members.figures.new'), y.year, y.new);
    line(t('members.figures.lapsed'), y.year, y.lapsed);
    line(t('members.figures.renewed'), y.year, y.renewed);
    if (y.renewalRate !== null) line(t('members.figures.renewalRatePercent'), y.year, Math.round(y.renewalRate * 1000) / 10);
  }
  for (const p of f.byPlan) line(t('members.figures.byPlan'), p.plan, p.count);
  for (const c of f.byCommune) line(t('members.figures.byCommune'), `${c.name} (${c.insee})`, c.count);
  if (f.outside) line(t('members.figures.byCommune'), t('members.join.outsideShort'), f.outside);
  for (const e of f.byEpci) line(t('members.figures.byEpci'), e.name, e.count);
  for (const d of f.dues) {
    line(t('members.figures.duesEuros'), d.year, eurosText(d.cents));
    line(t('members.figures.duesPayments'), d.year, d.payments);
  }
  return { name: `chiffres-adherents-${f.day}.csv`, body: toCsv(rows) };
}

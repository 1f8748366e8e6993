/**
 * SQL for the funnel figures. Every query counts cases of one territory, optionally those carrying one funder tag,
 * and never looks at personal columns: an anonymised case (personal data blanked) counts like any other.
 * Months and years are those of Europe/Paris; settled households count at their settling date (`settled_on`).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../../context.js';
import type { CaseStage } from '../../../db/schema.js';
import type { FlowKind } from './figures.schemas.js';
import { matching, type CaseFilter } from '../cases/index.js';

export interface FunnelScope {
  territoryId: number;
  tagId?: number;
  /** Cases created in this year (Paris) only: the cohort whose conversions and durations are measured. */
  cohortYear?: number;
}

const ZONE = 'Europe/Paris';

/** The condition on `newcomer_case c` for a scope (territory, tag and, when asked, cohort year). */
function scoped(s: FunnelScope, withCohort: boolean): RawBuilder<unknown> {
  const parts = [sql`c.territory_id = ${s.territoryId}`];
  if (s.tagId !== undefined) parts.push(sql`exists (select 1 from case_funder_tag ft where ft.case_id = c.id and ft.tag_id = ${s.tagId})`);
  if (withCohort && s.cohortYear !== undefined) {
    // A range on the creation instant (not a function of it), so the index on (territory_id, created_at) serves it.
    parts.push(sql`c.created_at >= (make_date(${s.cohortYear}::int, 1, 1)::timestamp at time zone ${ZONE})`);
    parts.push(sql`c.created_at < (make_date(${s.cohortYear}::int + 1, 1, 1)::timestamp at time zone ${ZONE})`);
  }
  return sql.join(parts, sql` and `);
}

/** How many cases sit in each stage now. */
export async function casesPerStage(db: Executor, s: FunnelScope) {
  const { rows } = await sql<{ stage: CaseStage; n: number }>`
    select c.stage, count(*)::int as n from newcomer_case c where ${scoped(s, false)} group by c.stage`.execute(db);
  return rows;
}

export type { FlowKind };

/**
 * Cases entering the funnel (created), qualified, starting a discovery stay, settled and dropped, per month and per
 * year (grouping sets: `month` is null on a year's row), for every year with data. A case counted once per period
 * even if it went through the stage twice (dropped, reopened, qualified again).
 */
export async function flows(db: Executor, s: FunnelScope) {
  const { rows } = await sql<{ kind: FlowKind; year: number; month: number | null; n: number }>`
    with ev as (
      select 'entered' as kind, c.id as case_id, c.created_at at time zone ${ZONE} as local
        from newcomer_case c where ${scoped(s, false)}
      union all
      select e.to_stage, e.case_id, e.at at time zone ${ZONE}
        from case_stage_event e join newcomer_case c on c.id = e.case_id
        where e.territory_id = ${s.territoryId} and e.to_stage in ('qualifie', 'sejour_decouverte', 'abandon') and ${scoped(s, false)}
      union all
      select 'installe', c.id, c.settled_on::timestamp
        from newcomer_case c where ${scoped(s, false)} and c.settled_insee is not null
    ), dated as (
      select kind, case_id, extract(year from local)::int as year, extract(month from local)::int as month from ev
    )
    select kind, year, month, count(distinct case_id)::int as n
      from dated group by grouping sets ((kind, year, month), (kind, year))
      order by year, month nulls first, kind`.execute(db);
  return rows;
}

/** The combinations of stages the cohort's cases ever reached, with how many cases reached each combination. */
export async function reachedStages(db: Executor, s: FunnelScope) {
  const { rows } = await sql<{ stages: CaseStage[]; n: number }>`
    select stages, count(*)::int as n from (
      select e.case_id, array_agg(distinct e.to_stage order by e.to_stage) as stages
        from case_stage_event e join newcomer_case c on c.id = e.case_id
        where e.territory_id = ${s.territoryId} and ${scoped(s, true)}
        group by e.case_id
    ) x group by stages`.execute(db);
  return rows;
}

/**
 * Time spent in each stage, in days: from a stage event to the case's next one (`left_at`). Stays still running (no
 * next event yet) are not counted: their length is not known. Median with percentile_cont (interpolated), and the count.
 */
export async function stageDurations(db: Executor, s: FunnelScope) {
  // `left_at` is the next stage event's instant, kept at each transition (migration 2026-12-03T0800): no window
  // over all the territory's stage events at each computation.
  const { rows } = await sql<{ stage: CaseStage; median: number; stays: number }>`
    select e.to_stage as stage,
           percentile_cont(0.5) within group (order by extract(epoch from (e.left_at - e.at)) / 86400.0) as median,
           count(*)::int as stays
      from case_stage_event e join newcomer_case c on c.id = e.case_id
      where e.territory_id = ${s.territoryId} and e.left_at is not null and ${scoped(s, true)}
      group by e.to_stage`.execute(db);
  return rows.map((r) => ({ ...r, median: Number(r.median) }));
}

/** Settled households and their people (adults, children), per settling year and commune. */
export async function settledPerCommune(db: Executor, s: FunnelScope) {
  const { rows } = await sql<{ year: number; insee: string; households: number; adults: number; children: number }>`
    select year, insee, count(*)::int as households, sum(adults)::int as adults, sum(children)::int as children from (
      select extract(year from c.settled_on)::int as year, c.settled_insee as insee,
             (select count(*) from case_adult a where a.case_id = c.id) as adults,
             (select count(*) from case_child ch where ch.case_id = c.id) as children
        from newcomer_case c where ${scoped(s, false)} and c.settled_insee is not null
    ) x group by year, insee order by year, insee`.execute(db);
  return rows;
}

/** Tasks carrying the tag (the actions funded), created and done, per year. */
export async function taggedTasks(db: Executor, territoryId: number, tagId: number) {
  const { rows } = await sql<{ year: number; created: number; done: number }>`
    select year, count(*) filter (where kind = 'created')::int as created, count(*) filter (where kind = 'done')::int as done from (
      select 'created' as kind, extract(year from t.created_at at time zone ${ZONE})::int as year from case_task t
        where t.territory_id = ${territoryId} and t.funder_tag_id = ${tagId}
      union all
      select 'done', extract(year from t.done_at at time zone ${ZONE})::int from case_task t
        where t.territory_id = ${territoryId} and t.funder_tag_id = ${tagId} and t.done_at is not null
    ) x group by year order by year`.execute(db);
  return rows;
}

/** The staff list's cases (same filters), every row, with the columns the export shows and nothing personal. */
export const listCasesForExport = (db: Executor, territoryId: number, f: CaseFilter, limit: number) =>
  db
    .selectFrom('newcomer_case as c')
    .leftJoin('user_account as a', 'a.id', 'c.adviser_id')
    .where(matching(territoryId, f))
    .select([
      'c.number',
      'c.stage',
      'c.created_at',
      'c.stage_changed_at',
      'c.settled_insee',
      sql<string | null>`to_char(c.settled_on, 'YYYY-MM-DD')`.as('settled_on'),
      'a.display_name as adviser_name',
      sql<number>`(select count(*) from case_adult ad where ad.case_id = c.id)`.as('adults'),
      sql<number>`(select count(*) from case_child ch where ch.case_id = c.id)`.as('children'),
      sql<string[]>`coalesce((select array_agg(cc.insee order by cc.insee) from case_commune cc where cc.case_id = c.id), '{}')`.as('communes'),
      sql<number[]>`coalesce((select array_agg(ft.tag_id order by ft.tag_id) from case_funder_tag ft where ft.case_id = c.id), '{}')`.as('tags'),
    ])
    .orderBy('c.number')
    .limit(limit)
    .execute();

/**
 * A fingerprint of everything the figures are computed from: stage events (append-only, removed only with their case: the last id), cases
 * (count, and the sum of their last updates, which only move forward: the household's people are replaced only with an update of the case) and the
 * funder tags of cases. Equal fingerprints mean equal figures, so computed figures can be reused until one changes.
 */
export async function figuresStamp(db: Executor, territoryId: number) {
  const { rows } = await sql<{ stamp: string }>`
    select concat_ws('|',
      (select coalesce(max(id), 0) from case_stage_event where territory_id = ${territoryId}),
      (select count(*) || '.' || coalesce(sum(extract(epoch from updated_at)), 0) from newcomer_case where territory_id = ${territoryId}),
      (select count(*) || '.' || coalesce(sum(hashtext(case_id::text || ':' || tag_id)), 0) from case_funder_tag where territory_id = ${territoryId})
    ) as stamp`.execute(db);
  return rows[0].stamp;
}

/**
 * The territory's communes with their EPCI, for naming and grouping settled households. The territory domain's
 * own list carries every figure of the map (twenty columns, sorted by name): this one reads three.
 */
export const communesWithEpci = (db: Executor, territoryId: number) =>
  db.selectFrom('commune').select(['insee', 'name', 'epci_siren']).where('territory_id', '=', territoryId).execute();

/**
 * SQL for the funnel figures. Every query counts cases of one territory, optionally those carrying one funder tag,
 * and never looks at personal columns: an anonymised case (personal data blanked) counts like any other.
 * Months and years are those of Europe/Paris; settled households count at their settling date (`settled_on`).
 * The aggregates read the facts the database keeps at each write (decision 0035: `case_funnel`, `case_flow`,
 * `case_flow_count`, the stage events' `cohort_year` and `stay_days`), not the whole history.
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

/** The condition on a table of case facts (`alias.case_id`, `alias.territory_id`) for a territory, a tag and a cohort. */
function scoped(s: FunnelScope, alias: string, cohort: boolean): RawBuilder<unknown> {
  const a = sql.raw(alias);
  const parts = [sql`${a}.territory_id = ${s.territoryId}`];
  if (s.tagId !== undefined) parts.push(sql`exists (select 1 from case_funder_tag ft where ft.case_id = ${a}.case_id and ft.tag_id = ${s.tagId})`);
  if (cohort && s.cohortYear !== undefined) parts.push(sql`${a}.cohort_year = ${s.cohortYear}`);
  return sql.join(parts, sql` and `);
}

/** How many cases sit in each stage now. */
export async function casesPerStage(db: Executor, s: FunnelScope) {
  const tag = s.tagId === undefined ? sql`true` : sql`exists (select 1 from case_funder_tag ft where ft.case_id = c.id and ft.tag_id = ${s.tagId})`;
  const { rows } = await sql<{ stage: CaseStage; n: number }>`
    select c.stage, count(*)::int as n from newcomer_case c where c.territory_id = ${s.territoryId} and ${tag} group by c.stage`.execute(db);
  return rows;
}

export type { FlowKind };

/**
 * Cases entering the funnel (created), qualified, starting a discovery stay, settled and dropped, per year for every
 * year with data (`month` null) and per month of the scope's year (none when the scope is every year). A case
 * counts once per period even if it went through the stage twice (dropped, reopened, qualified again). Without a
 * tag, the counts kept per period; with one, the tagged cases' flows counted.
 */
export async function flows(db: Executor, s: FunnelScope) {
  const periods = s.cohortYear === undefined ? sql`f.month = 0` : sql`(f.month = 0 or f.year = ${s.cohortYear})`;
  const { rows } =
    s.tagId === undefined
      ? await sql<{ kind: FlowKind; year: number; month: number | null; n: number }>`
          select f.kind, f.year, nullif(f.month, 0) as month, f.cases as n
            from case_flow_count f where f.territory_id = ${s.territoryId} and f.cases > 0 and ${periods}`.execute(db)
      : await sql<{ kind: FlowKind; year: number; month: number | null; n: number }>`
          select f.kind, f.year, nullif(f.month, 0) as month, count(*)::int as n
            from case_flow f where ${scoped(s, 'f', false)} and ${periods}
            group by f.kind, f.year, f.month`.execute(db);
  return rows;
}

/** The combinations of stages the cohort's cases ever reached, with how many cases reached each combination. */
export async function reachedStages(db: Executor, s: FunnelScope) {
  const { rows } = await sql<{ stages: CaseStage[]; n: number }>`
    select f.reached as stages, count(*)::int as n from case_funnel f
      where ${scoped(s, 'f', true)} and cardinality(f.reached) > 0
      group by f.reached`.execute(db);
  return rows;
}

/**
 * Time spent in each stage, in days: from a stage event to the case's next one (`stay_days`, from `left_at`, kept at
 * each transition). Stays still running (no next event yet) are not counted: their length is not known. Median with
 * percentile_cont (interpolated), and the count.
 */
export async function stageDurations(db: Executor, s: FunnelScope) {
  // Grouped in byte order: the stages are plain ASCII, and a linguistic comparison costs more than the median.
  const { rows } = await sql<{ stage: CaseStage; median: number; stays: number }>`
    select stage, percentile_cont(0.5) within group (order by days) as median, count(*)::int as stays from (
      select e.to_stage collate "C" as stage, e.stay_days as days
        from case_stage_event e where ${scoped(s, 'e', true)} and e.stay_days is not null
    ) x group by stage`.execute(db);
  return rows.map((r) => ({ ...r, median: Number(r.median) }));
}

/** Settled households and their people (adults, children), per settling year, every year. */
export async function settledPerYear(db: Executor, s: FunnelScope) {
  const { rows } = await sql<{ year: number; households: number; adults: number; children: number }>`
    select f.settled_year as year, count(*)::int as households, sum(f.adults)::int as adults, sum(f.children)::int as children
      from case_funnel f where ${scoped(s, 'f', false)} and f.settled_year is not null
      group by f.settled_year`.execute(db);
  return rows;
}

/** Settled households and their people per commune, settled in the scope's year (or in any year). */
export async function settledPerCommune(db: Executor, s: FunnelScope) {
  const year = s.cohortYear === undefined ? sql`f.settled_year is not null` : sql`f.settled_year = ${s.cohortYear}`;
  const { rows } = await sql<{ insee: string; households: number; adults: number; children: number }>`
    select f.settled_insee as insee, count(*)::int as households, sum(f.adults)::int as adults, sum(f.children)::int as children
      from case_funnel f where ${scoped(s, 'f', false)} and ${year}
      group by f.settled_insee`.execute(db);
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
 * The territory's communes with their EPCI, for naming and grouping settled households. The territory domain's
 * own list carries every figure of the map (twenty columns, sorted by name): this one reads three.
 */
export const communesWithEpci = (db: Executor, territoryId: number) =>
  db.selectFrom('commune').select(['insee', 'name', 'epci_siren']).where('territory_id', '=', territoryId).execute();

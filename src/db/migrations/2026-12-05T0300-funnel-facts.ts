// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// The funnel figures' facts, kept at each write instead of recomputed over every case and stage event (decision
// 0035). The figures page recomputed five aggregates after any change; on the embedded database the monthly flows
// alone took ~50 ms for 5,000 cases, most of it converting 12,000 instants to Paris months row by row. Now:
// - `case_funnel`: one row per case with what the aggregates group by: the cohort (Paris year of creation), the
//   stages ever reached (sorted, byte order), the settling year and commune, the household's adults and children.
// - `case_flow`: one row per case, flow and period: the case entered the funnel, was qualified, started a discovery
//   stay, settled or dropped in that Paris month (`month` 1–12) and year (`month` 0: a case counts once a year even
//   if it went through the stage twice). Primary key on all four: a second passage in the same period adds nothing.
// - `case_flow_count`: how many cases per territory, flow and period: the page's flows without a funder tag read
//   these few hundred rows. Kept by a deferred trigger that takes the version triggers' advisory lock first (decision
//   0032), so two commits never wait on each other's count rows.
// - `case_stage_event.cohort_year` (set before insert from the case) and `stay_days` (generated from `left_at`: the
//   same number the figures computed, `extract(epoch ...) / 86400.0`, stored as the double precision that the median
//   used), so the durations read one table.
// Every fact is kept by triggers on the rows it comes from (the case, its stage events, adults and children),
// whatever writes them; a case's facts go with it (cascade). The figures' cached results are keyed by the list's
// version (decision 0031), which stage events now move too.
import { type Kysely, sql } from 'kysely';

/** The key of the advisory lock every version trigger takes before its first write (decision 0032). */
const VERSION_LOCK = 3_200_320;
/** Stage events that are flows of the funnel (with `entered`, the case's creation, and `installe`, its settling date). */
const FLOW_STAGES = `'qualifie', 'sejour_decouverte', 'abandon'`;

/** Fills every fact from the source rows (run by the migration and by a test that compares it with the triggers). */
export async function backfillFunnelFacts(db: Kysely<any>): Promise<void> {
  await sql`delete from case_flow`.execute(db);
  await sql`delete from case_funnel`.execute(db);
  await sql`
    update case_stage_event e set cohort_year = date_part('year', c.created_at at time zone 'Europe/Paris')
      from newcomer_case c where c.id = e.case_id and e.cohort_year is distinct from date_part('year', c.created_at at time zone 'Europe/Paris')`.execute(db);
  await sql`
    insert into case_funnel (case_id, territory_id, cohort_year, reached, settled_year, settled_insee, adults, children)
    select c.id, c.territory_id, date_part('year', c.created_at at time zone 'Europe/Paris'),
           coalesce((select array_agg(distinct e.to_stage collate "C" order by e.to_stage collate "C") from case_stage_event e where e.case_id = c.id), '{}'),
           case when c.settled_insee is not null and c.settled_on is not null then date_part('year', c.settled_on) end,
           case when c.settled_insee is not null and c.settled_on is not null then c.settled_insee end,
           (select count(*) from case_adult a where a.case_id = c.id),
           (select count(*) from case_child ch where ch.case_id = c.id)
      from newcomer_case c`.execute(db);
  await sql.raw(`
    insert into case_flow (case_id, territory_id, kind, year, month)
    select distinct case_id, territory_id, kind, date_part('year', local), m
      from (
        select c.id as case_id, c.territory_id, 'entered' as kind, c.created_at at time zone 'Europe/Paris' as local from newcomer_case c
        union all
        select e.case_id, e.territory_id, e.to_stage, e.at at time zone 'Europe/Paris' from case_stage_event e where e.to_stage in (${FLOW_STAGES})
        union all
        select c.id, c.territory_id, 'installe', c.settled_on::timestamp from newcomer_case c where c.settled_insee is not null and c.settled_on is not null
      ) x, lateral (values (0), (date_part('month', local))) as months (m)`).execute(db);
  await sql`delete from case_flow_count`.execute(db);
  await sql`
    insert into case_flow_count (territory_id, kind, year, month, cases)
    select territory_id, kind, year, month, count(*) from case_flow group by territory_id, kind, year, month`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_funnel (
      case_id uuid primary key references newcomer_case (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      cohort_year smallint not null,
      reached text[] not null default '{}',
      settled_year smallint,
      settled_insee char(5),
      adults smallint not null default 0 check (adults >= 0),
      children smallint not null default 0 check (children >= 0),
      constraint case_funnel_settled_check check ((settled_year is null) = (settled_insee is null))
    )`.execute(db);
  await sql`create index case_funnel_cohort_idx on case_funnel (territory_id, cohort_year)`.execute(db);
  await sql`
    create table case_flow (
      case_id uuid not null references newcomer_case (id) on delete cascade,
      territory_id integer not null,
      kind text not null check (kind in ('entered', 'qualifie', 'sejour_decouverte', 'installe', 'abandon')),
      year smallint not null,
      month smallint not null check (month between 0 and 12),
      primary key (case_id, kind, year, month)
    )`.execute(db);
  await sql`
    create table case_flow_count (
      territory_id integer not null references territory (id) on delete cascade,
      kind text not null,
      year smallint not null,
      month smallint not null,
      cases integer not null check (cases >= 0),
      primary key (territory_id, kind, year, month)
    )`.execute(db);
  await sql`alter table case_stage_event add column cohort_year smallint`.execute(db);
  await sql`
    alter table case_stage_event add column stay_days double precision
      generated always as ((extract(epoch from (left_at - at)) / 86400.0)::double precision) stored`.execute(db);

  await backfillFunnelFacts(db);
  await sql`alter table case_stage_event alter column cohort_year set not null`.execute(db);
  await sql`create index case_stage_event_stay_idx on case_stage_event (territory_id, cohort_year) where stay_days is not null`.execute(db);

  // A flow of a case in a period: the period's row and the year's (month 0), each at most once.
  await sql`
    create function case_flow_add(case_id uuid, territory_id integer, kind text, local timestamp) returns void language sql as $$
      insert into case_flow (case_id, territory_id, kind, year, month)
        values (case_id, territory_id, kind, date_part('year', local), 0), (case_id, territory_id, kind, date_part('year', local), date_part('month', local))
        on conflict do nothing
    $$`.execute(db);

  // The case: its facts row and its entry at creation; its settling (and, should it ever move, its creation) later.
  await sql`
    create function newcomer_case_funnel() returns trigger language plpgsql as $$
    declare
      settled boolean := new.settled_insee is not null and new.settled_on is not null;
    begin
      if TG_OP = 'INSERT' then
        insert into case_funnel (case_id, territory_id, cohort_year, settled_year, settled_insee)
          values (new.id, new.territory_id, date_part('year', new.created_at at time zone 'Europe/Paris'),
                  case when settled then date_part('year', new.settled_on) end, case when settled then new.settled_insee end);
        perform case_flow_add(new.id, new.territory_id, 'entered', new.created_at at time zone 'Europe/Paris');
        if settled then
          perform case_flow_add(new.id, new.territory_id, 'installe', new.settled_on::timestamp);
        end if;
        return null;
      end if;
      if new.created_at is distinct from old.created_at then
        update case_funnel set cohort_year = date_part('year', new.created_at at time zone 'Europe/Paris') where case_id = new.id;
        update case_stage_event set cohort_year = date_part('year', new.created_at at time zone 'Europe/Paris') where case_id = new.id;
        delete from case_flow where case_id = new.id and kind = 'entered';
        perform case_flow_add(new.id, new.territory_id, 'entered', new.created_at at time zone 'Europe/Paris');
      end if;
      if new.settled_insee is distinct from old.settled_insee or new.settled_on is distinct from old.settled_on then
        update case_funnel set settled_year = case when settled then date_part('year', new.settled_on) end,
                               settled_insee = case when settled then new.settled_insee end
          where case_id = new.id;
        delete from case_flow where case_id = new.id and kind = 'installe';
        if settled then
          perform case_flow_add(new.id, new.territory_id, 'installe', new.settled_on::timestamp);
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger newcomer_case_funnel after insert on newcomer_case for each row execute function newcomer_case_funnel()`.execute(db);
  await sql`
    create trigger newcomer_case_funnel_update after update of created_at, settled_insee, settled_on on newcomer_case
      for each row execute function newcomer_case_funnel()`.execute(db);

  // A stage event: its cohort before it is written; the stage reached and the flow after.
  await sql`
    create function case_stage_event_cohort() returns trigger language plpgsql as $$
    begin
      select date_part('year', c.created_at at time zone 'Europe/Paris') into new.cohort_year from newcomer_case c where c.id = new.case_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger case_stage_event_cohort before insert on case_stage_event for each row execute function case_stage_event_cohort()`.execute(db);
  await sql.raw(`
    create function case_stage_event_funnel() returns trigger language plpgsql as $$
    begin
      update case_funnel
        set reached = array(select distinct s collate "C" from unnest(reached || new.to_stage) s order by 1)
        where case_id = new.case_id and not (new.to_stage = any (reached));
      if new.to_stage in (${FLOW_STAGES}) then
        perform case_flow_add(new.case_id, new.territory_id, new.to_stage, new.at at time zone 'Europe/Paris');
      end if;
      return null;
    end $$`).execute(db);
  await sql`create trigger case_stage_event_funnel after insert on case_stage_event for each row execute function case_stage_event_funnel()`.execute(db);

  // The household's people, counted.
  await sql`
    create function case_people_funnel() returns trigger language plpgsql as $$
    begin
      if TG_OP in ('DELETE', 'UPDATE') then
        update case_funnel set adults = adults - (TG_TABLE_NAME = 'case_adult')::int, children = children - (TG_TABLE_NAME = 'case_child')::int
          where case_id = old.case_id;
      end if;
      if TG_OP in ('INSERT', 'UPDATE') then
        update case_funnel set adults = adults + (TG_TABLE_NAME = 'case_adult')::int, children = children + (TG_TABLE_NAME = 'case_child')::int
          where case_id = new.case_id;
      end if;
      return null;
    end $$`.execute(db);
  for (const table of ['case_adult', 'case_child']) {
    await sql`
      create trigger ${sql.raw(`${table}_funnel`)} after insert or delete or update of case_id on ${sql.table(table)}
        for each row execute function case_people_funnel()`.execute(db);
  }

  // The counts, at commit, after the version triggers' lock: whatever the order of a transaction's rows, count rows
  // are only ever locked by the one commit holding that lock.
  await sql`
    create function case_flow_counted() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(${sql.lit(VERSION_LOCK)});
      if TG_OP = 'DELETE' then
        update case_flow_count set cases = cases - 1
          where territory_id = old.territory_id and kind = old.kind and year = old.year and month = old.month;
      else
        insert into case_flow_count (territory_id, kind, year, month, cases) values (new.territory_id, new.kind, new.year, new.month, 1)
          on conflict (territory_id, kind, year, month) do update set cases = case_flow_count.cases + 1;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger case_flow_counted after insert or delete on case_flow
      deferrable initially deferred for each row execute function case_flow_counted()`.execute(db);

  // The figures' results are kept per version of the list (decision 0031); stage events move it too.
  await sql`
    create constraint trigger case_stage_event_list_changed after insert or update or delete on case_stage_event
      deferrable initially deferred for each row execute function newcomer_list_changed()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

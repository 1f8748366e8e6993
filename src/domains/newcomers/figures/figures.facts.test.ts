/**
 * The funnel figures read facts the database keeps at each write (decision 0035) instead of recomputing them over
 * every case and stage event. They must not move: on the demo data, after writes of every kind the facts come from
 * (transitions, back-dated and batched stage events, settling and unsettling, people added and removed, tags, a
 * case deleted, a transaction rolled back) and after the migration's backfill, every scope's flows, reached stages
 * and settled households equal the computation from the source rows that the figures used before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import type { CaseStage } from '../../../db/schema.js';
import { backfillFunnelFacts } from '../../../db/migrations/2026-12-05T0300-funnel-facts.js';
import { loadDemoContent } from '../../../modules.js';
import { getFunnel } from './figures.service.js';
import { flows, reachedStages, settledPerCommune, settledPerYear, stageDurations, type FunnelScope } from './figures.repo.js';

const w = useTestWorld();
const ZONE = 'Europe/Paris';

/** The condition the figures used on `newcomer_case c`. */
function scoped(s: FunnelScope, cohort: boolean): RawBuilder<unknown> {
  const parts = [sql`c.territory_id = ${s.territoryId}`];
  if (s.tagId !== undefined) parts.push(sql`exists (select 1 from case_funder_tag ft where ft.case_id = c.id and ft.tag_id = ${s.tagId})`);
  if (cohort && s.cohortYear !== undefined) {
    parts.push(sql`c.created_at >= (make_date(${s.cohortYear}::int, 1, 1)::timestamp at time zone ${ZONE})`);
    parts.push(sql`c.created_at < (make_date(${s.cohortYear}::int + 1, 1, 1)::timestamp at time zone ${ZONE})`);
  }
  return sql.join(parts, sql` and `);
}

/** Every figure of a scope computed from the source rows, as before the facts. */
async function fromSources(s: FunnelScope) {
  const flowRows = await sql<{ kind: string; year: number; month: number | null; n: number }>`
    with ev as (
      select 'entered' as kind, c.id as case_id, c.created_at at time zone ${ZONE} as local from newcomer_case c where ${scoped(s, false)}
      union all
      select e.to_stage, e.case_id, e.at at time zone ${ZONE} from case_stage_event e join newcomer_case c on c.id = e.case_id
        where e.to_stage in ('qualifie', 'sejour_decouverte', 'abandon') and ${scoped(s, false)}
      union all
      select 'installe', c.id, c.settled_on::timestamp from newcomer_case c where ${scoped(s, false)} and c.settled_insee is not null
    ), dated as (
      select kind, case_id, extract(year from local)::int as year, extract(month from local)::int as month from ev
    )
    select kind, year, month, count(distinct case_id)::int as n from dated group by grouping sets ((kind, year, month), (kind, year))`.execute(w.ctx.db);
  const reached = await sql<{ stages: CaseStage[]; n: number }>`
    select stages, count(*)::int as n from (
      select e.case_id, array_agg(distinct e.to_stage collate "C" order by e.to_stage collate "C") as stages
        from case_stage_event e join newcomer_case c on c.id = e.case_id where ${scoped(s, true)} group by e.case_id
    ) x group by stages`.execute(w.ctx.db);
  const settled = await sql<{ year: number; insee: string; households: number; adults: number; children: number }>`
    select extract(year from c.settled_on)::int as year, c.settled_insee as insee,
           (select count(*) from case_adult a where a.case_id = c.id)::int as adults,
           (select count(*) from case_child ch where ch.case_id = c.id)::int as children
      from newcomer_case c where ${scoped(s, false)} and c.settled_insee is not null`.execute(w.ctx.db);
  return {
    flows: flowRows.rows.filter((r) => r.month === null || r.year === s.cohortYear),
    reached: reached.rows,
    settledYears: sum(settled.rows, (r) => r.year).map(([year, f]) => ({ year, ...f })),
    settledCommunes: sum(
      settled.rows.filter((r) => s.cohortYear === undefined || r.year === s.cohortYear),
      (r) => r.insee,
    ).map(([insee, f]) => ({ insee, ...f })),
  };
}

function sum<R extends { adults: number; children: number }, K>(rows: R[], key: (r: R) => K) {
  const out = new Map<K, { households: number; adults: number; children: number }>();
  for (const r of rows) {
    const k = key(r);
    const f = out.get(k) ?? { households: 0, adults: 0, children: 0 };
    out.set(k, { households: f.households + 1, adults: f.adults + r.adults, children: f.children + r.children });
  }
  return [...out];
}

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort();

async function fromFacts(s: FunnelScope) {
  return {
    flows: await flows(w.ctx.db, s),
    reached: await reachedStages(w.ctx.db, s),
    settledYears: await settledPerYear(w.ctx.db, s),
    settledCommunes: await settledPerCommune(w.ctx.db, s),
  };
}

async function scopes(): Promise<FunnelScope[]> {
  const territoryId = w.ctx.territory.id;
  const years = (await sql<{ y: number }>`select distinct extract(year from created_at at time zone ${ZONE})::int as y from newcomer_case`.execute(w.ctx.db)).rows.map((r) => r.y);
  const tags = (await w.ctx.db.selectFrom('funder_tag').select('id').execute()).map((t) => t.id);
  return [
    { territoryId },
    ...years.map((cohortYear) => ({ territoryId, cohortYear })),
    ...tags.map((tagId) => ({ territoryId, tagId })),
    ...years.map((cohortYear) => ({ territoryId, tagId: tags[0], cohortYear })),
  ];
}

async function assertSameAsSources(when: string) {
  let counted = 0;
  for (const s of await scopes()) {
    const facts = await fromFacts(s);
    const sources = await fromSources(s);
    for (const part of ['flows', 'reached', 'settledYears', 'settledCommunes'] as const) {
      assert.deepEqual(sorted<object>(facts[part]), sorted<object>(sources[part]), `${when}, ${part}: ${JSON.stringify(s)}`);
    }
    if (s.cohortYear === undefined && s.tagId === undefined) counted = facts.flows.reduce((n, r) => n + (r.month === null ? r.n : 0), 0);
  }
  return counted;
}

test('the facts kept at each write give the figures computed from the source rows, on the demo data and after every kind of write', async () => {
  await loadDemoContent(w.ctx);
  assert.ok((await assertSameAsSources('demo data')) > 20, 'the demo has flows to count');

  const db = w.ctx.db;
  const territoryId = w.ctx.territory.id;
  const cases = await db.selectFrom('newcomer_case').select(['id', 'stage', 'created_at', 'settled_insee']).orderBy('number').execute();
  const open = cases.find((c) => c.stage === 'nouveau')!;
  const settled = cases.find((c) => c.stage === 'installe')!;

  // A transition as the service writes it, a second qualification in the same month, a back-dated event, a batch.
  const now = w.clock.now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('newcomer_case').set({ stage: 'qualifie', stage_changed_at: now, updated_at: now }).where('id', '=', open.id).execute();
    await trx.insertInto('case_stage_event').values({ territory_id: territoryId, case_id: open.id, from_stage: open.stage, to_stage: 'qualifie', at: now, by_user_id: null }).execute();
    await trx.insertInto('case_stage_event').values({ territory_id: territoryId, case_id: open.id, from_stage: 'qualifie', to_stage: 'abandon', at: new Date(now.getTime() + 3_600_000), by_user_id: null }).execute();
    await trx.insertInto('case_stage_event').values({ territory_id: territoryId, case_id: open.id, from_stage: 'abandon', to_stage: 'qualifie', at: new Date(now.getTime() + 7_200_000), by_user_id: null }).execute();
  });
  const middle = new Date((open.created_at.getTime() + now.getTime()) / 2);
  await db.insertInto('case_stage_event').values({ territory_id: territoryId, case_id: open.id, from_stage: null, to_stage: 'sejour_decouverte', at: middle, by_user_id: null }).execute();
  const base = cases[2].created_at.getTime();
  await db
    .insertInto('case_stage_event')
    .values([40, 2, 400, 2].map((d, i) => ({ territory_id: territoryId, case_id: cases[2].id, from_stage: null, to_stage: (['qualifie', 'abandon', 'sejour_decouverte', 'en_pause'] as const)[i], at: new Date(base + d * 86_400_000), by_user_id: null })))
    .execute();
  await assertSameAsSources('after transitions, a back-dated event and a batch');

  // Settling, moving the settling date across a year, unsettling; people added, moved and removed.
  await db.updateTable('newcomer_case').set({ settled_insee: '32208', settled_on: '2025-12-31' }).where('id', '=', open.id).execute();
  await db.updateTable('newcomer_case').set({ settled_on: '2026-01-01' }).where('id', '=', open.id).execute();
  await db.updateTable('newcomer_case').set({ stage: 'installation', settled_insee: null, settled_on: null }).where('id', '=', settled.id).execute();
  await db.deleteFrom('case_adult').where('case_id', '=', open.id).execute();
  await db.deleteFrom('case_child').where('case_id', '=', open.id).execute();
  await db.insertInto('case_adult').values([1, 2, 3].map((position) => ({ territory_id: territoryId, case_id: open.id, position, first_name: 'Ana', project: 'telework' }))).execute();
  await db.insertInto('case_child').values([1, 2].map((position) => ({ territory_id: territoryId, case_id: open.id, position, age: 5 + position, schooling: 'elementaire', needs: null }))).execute();
  await db.deleteFrom('case_child').where('case_id', '=', open.id).where('position', '=', 1).execute();
  await assertSameAsSources('after settling, unsettling and people changes');

  // Tags added and removed; a case deleted with everything it had; a rolled-back transaction leaves no trace.
  const tag = await db.selectFrom('funder_tag').select('id').orderBy('id').executeTakeFirstOrThrow();
  await db.deleteFrom('case_funder_tag').where('case_id', '=', cases[1].id).execute();
  await db.insertInto('case_funder_tag').values({ territory_id: territoryId, case_id: open.id, tag_id: tag.id, added_at: now }).onConflict((oc) => oc.doNothing()).execute();
  await db.deleteFrom('newcomer_case').where('id', '=', cases[3].id).execute();
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('case_stage_event').values({ territory_id: territoryId, case_id: open.id, from_stage: null, to_stage: 'abandon', at: new Date(now.getTime() + 86_400_000 * 40), by_user_id: null }).execute();
      await trx.updateTable('newcomer_case').set({ settled_insee: '32013', settled_on: '2024-06-01' }).where('id', '=', open.id).execute();
      throw new Error('rolled back');
    }),
  );
  await assertSameAsSources('after tags, a deletion and a rollback');

  // The migration's backfill gives the same facts from nothing.
  const durationsBefore = await stageDurations(db, { territoryId });
  await sql`delete from case_flow`.execute(db);
  await sql`update case_funnel set reached = '{}'`.execute(db);
  assert.notDeepEqual(sorted(await reachedStages(db, { territoryId })), sorted((await fromSources({ territoryId })).reached));
  await backfillFunnelFacts(db);
  await assertSameAsSources('after the backfill');
  assert.deepEqual(await stageDurations(db, { territoryId }), durationsBefore);
});

test('the page reuses its figures only while nothing they come from has changed, whoever wrote it', async () => {
  await loadDemoContent(w.ctx);
  const db = w.ctx.db;
  const territoryId = w.ctx.territory.id;
  const lea = await createUser(w.ctx, { roles: ['staff'], name: 'Léa Dupuis' });
  const actor = actorFor(w.ctx, lea, ['staff']);
  const year = Number(w.clock.now().toISOString().slice(0, 4));
  const figures = () => getFunnel(w.ctx, actor, { annee: 'toutes' });
  const dropped = async () => (await figures()).yearly.find((y) => y.year === year)?.abandon ?? 0;

  // A stage event written alone (no change to the case row): the flows move.
  const before = await dropped();
  assert.equal(await dropped(), before, 'the same figures while nothing changes');
  const open = await db
    .selectFrom('newcomer_case as c')
    .select(['c.id'])
    .where('c.stage', '=', 'nouveau')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_stage_event as e').select('e.id').whereRef('e.case_id', '=', 'c.id').where('e.to_stage', '=', 'abandon'))))
    .executeTakeFirstOrThrow();
  await db.insertInto('case_stage_event').values({ territory_id: territoryId, case_id: open.id, from_stage: 'nouveau', to_stage: 'abandon', at: w.clock.now(), by_user_id: null }).execute();
  assert.equal(await dropped(), before + 1);

  // A child added to a settled household, and its commune renamed: the settled figures move.
  const settled = (await figures()).settledCommunes[0];
  const home = await db.selectFrom('newcomer_case').select('id').where('settled_insee', '=', settled.insee).executeTakeFirstOrThrow();
  const position = Number((await db.selectFrom('case_child').select(sql<number>`coalesce(max(position), 0)`.as('p')).where('case_id', '=', home.id).executeTakeFirstOrThrow()).p) + 1;
  await db.insertInto('case_child').values({ territory_id: territoryId, case_id: home.id, position, age: 3, schooling: 'childcare', needs: null }).execute();
  const after = (await figures()).settledCommunes.find((c) => c.insee === settled.insee)!;
  assert.equal(after.children, settled.children + 1);
  await db.updateTable('commune').set({ name: 'Renommée' }).where('territory_id', '=', territoryId).where('insee', '=', settled.insee).execute();
  assert.equal((await figures()).settledCommunes.find((c) => c.insee === settled.insee)!.name, 'Renommée');
});

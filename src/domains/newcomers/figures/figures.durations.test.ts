/**
 * Time spent in each stage is kept at each transition (`case_stage_event.left_at`, maintained by the database)
 * instead of recomputed with a window over every stage event. The figures must not move: on the demo data, after
 * transitions, after a back-dated event and after the migration's backfill, they equal the window's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { useTestWorld } from '../../../../tests/support/context.js';
import type { CaseStage } from '../../../db/schema.js';
import { backfillStageLeftAt } from '../../../db/migrations/2026-12-03T0800-stage-left-at.js';
import { loadDemoContent } from '../../../modules.js';
import { stageDurations, type FunnelScope } from './figures.repo.js';

const w = useTestWorld();

/** The computation the figures used before: a window over the scope's stage events. */
async function durationsByWindow(s: FunnelScope) {
  const cohort =
    s.cohortYear === undefined
      ? sql`true`
      : sql`c.created_at >= (make_date(${s.cohortYear}::int, 1, 1)::timestamp at time zone 'Europe/Paris')
            and c.created_at < (make_date(${s.cohortYear}::int + 1, 1, 1)::timestamp at time zone 'Europe/Paris')`;
  const tag = s.tagId === undefined ? sql`true` : sql`exists (select 1 from case_funder_tag ft where ft.case_id = c.id and ft.tag_id = ${s.tagId})`;
  const { rows } = await sql<{ stage: CaseStage; median: number; stays: number }>`
    select stage, percentile_cont(0.5) within group (order by days) as median, count(*)::int as stays from (
      select e.to_stage as stage,
             extract(epoch from (lead(e.at) over (partition by e.case_id order by e.at, e.id) - e.at)) / 86400.0 as days
        from case_stage_event e join newcomer_case c on c.id = e.case_id
        where e.territory_id = ${s.territoryId} and c.territory_id = ${s.territoryId} and ${tag} and ${cohort}
    ) x where days is not null group by stage`.execute(w.ctx.db);
  return rows.map((r) => ({ ...r, median: Number(r.median) }));
}

const byStage = <T extends { stage: string }>(rows: T[]) => [...rows].sort((a, b) => a.stage.localeCompare(b.stage));

async function scopes(): Promise<FunnelScope[]> {
  const territoryId = w.ctx.territory.id;
  const years = await sql<{ y: number }>`select distinct extract(year from created_at at time zone 'Europe/Paris')::int as y from newcomer_case`.execute(w.ctx.db);
  const tags = await w.ctx.db.selectFrom('funder_tag').select('id').execute();
  return [
    { territoryId },
    ...years.rows.map((r) => ({ territoryId, cohortYear: r.y })),
    ...tags.map((t) => ({ territoryId, tagId: t.id })),
    ...tags.flatMap((t) => years.rows.map((r) => ({ territoryId, tagId: t.id, cohortYear: r.y }))),
  ];
}

async function assertSameAsWindow(when: string) {
  const all = await scopes();
  let stays = 0;
  for (const s of all) {
    const kept = byStage(await stageDurations(w.ctx.db, s));
    assert.deepEqual(kept, byStage(await durationsByWindow(s)), `${when}: ${JSON.stringify(s)}`);
    if (s.cohortYear === undefined && s.tagId === undefined) stays = kept.reduce((n, r) => n + r.stays, 0);
  }
  return stays;
}

test('the durations kept at each transition equal the window over all stage events, on the demo data and after changes', async () => {
  await loadDemoContent(w.ctx);
  const stays = await assertSameAsWindow('demo data');
  assert.ok(stays > 30, `the demo has finished stays to measure (${stays})`);

  // A back-dated event inserted between two existing ones, and a batch of events in no particular order.
  const c = await w.ctx.db.selectFrom('case_stage_event').select(['case_id', 'territory_id']).groupBy(['case_id', 'territory_id']).having(sql`count(*)`, '>=', 3).executeTakeFirstOrThrow();
  const events = await w.ctx.db.selectFrom('case_stage_event').select(['at', 'to_stage']).where('case_id', '=', c.case_id).orderBy('at').orderBy('id').execute();
  const middle = new Date((events[0].at.getTime() + events[1].at.getTime()) / 2);
  await w.ctx.db.insertInto('case_stage_event').values({ territory_id: c.territory_id, case_id: c.case_id, from_stage: events[0].to_stage, to_stage: 'en_pause', at: middle, by_user_id: null }).execute();
  const other = await w.ctx.db.selectFrom('newcomer_case').select(['id', 'created_at']).where('id', '<>', c.case_id).orderBy('number').executeTakeFirstOrThrow();
  const base = other.created_at.getTime();
  await w.ctx.db
    .insertInto('case_stage_event')
    .values(
      [7, 2, 5, 2].map((d, i) => ({ territory_id: c.territory_id, case_id: other.id, from_stage: null, to_stage: (['qualifie', 'accompagne', 'en_pause', 'abandon'] as const)[i], at: new Date(base + d * 86_400_000 + 3_600_000), by_user_id: null })),
    )
    .execute();
  await assertSameAsWindow('after a back-dated event and a batch');

  // The migration's backfill gives the same figures from nothing.
  await sql`update case_stage_event set left_at = null`.execute(w.ctx.db);
  assert.notDeepEqual(byStage(await stageDurations(w.ctx.db, { territoryId: w.ctx.territory.id })), byStage(await durationsByWindow({ territoryId: w.ctx.territory.id })));
  await backfillStageLeftAt(w.ctx.db);
  await assertSameAsWindow('after the backfill');
});

// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Time spent in each stage, kept at each transition instead of recomputed. The funnel figures took the median days
// per stage from a window over every stage event of the territory (`lead(at) over (partition by case_id order by
// at, id)`), sorting all of them at each computation. Now each stage event carries `left_at`: the instant of the
// case's next stage event (null while the case is still in that stage), which is exactly what the window gave.
// - A trigger keeps it at every insert, whatever inserts (the transition, the demo, an import, a batch): the new
//   event's predecessor left its stage when the new one came; the new event, when inserted before an existing one
//   (a back-dated event), left its stage when its successor came. An AFTER ROW trigger sees every row of a batch,
//   so each row's values depend only on the set of events, never on the order of the rows.
// - Stage events are append-only and removed only with their case (cascade), so nothing else can unsettle it.
// - Existing events are filled in here from the same window.
import { type Kysely, sql } from 'kysely';

/** Fills `left_at` of every stage event from the window the figures used to compute (also run by a test). */
export async function backfillStageLeftAt(db: Kysely<any>): Promise<void> {
  await sql`
    update case_stage_event e set left_at = x.next_at
      from (select id, lead(at) over (partition by case_id order by at, id) as next_at from case_stage_event) x
      where x.id = e.id and e.left_at is distinct from x.next_at`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table case_stage_event add column left_at timestamptz`.execute(db);
  await sql`alter table case_stage_event add constraint case_stage_event_left_check check (left_at is null or left_at >= at)`.execute(db);
  await sql.raw(`
    create function case_stage_event_link() returns trigger language plpgsql as $$
    declare
      next_at timestamptz;
    begin
      update case_stage_event p set left_at = new.at
        where p.id = (select q.id from case_stage_event q
                        where q.case_id = new.case_id and (q.at, q.id) < (new.at, new.id)
                        order by q.at desc, q.id desc limit 1);
      select q.at into next_at from case_stage_event q
        where q.case_id = new.case_id and (q.at, q.id) > (new.at, new.id)
        order by q.at, q.id limit 1;
      if next_at is not null then
        update case_stage_event set left_at = next_at where id = new.id;
      end if;
      return null;
    end $$`).execute(db);
  await sql`
    create trigger case_stage_event_link after insert on case_stage_event
      for each row execute function case_stage_event_link()`.execute(db);
  await backfillStageLeftAt(db);
}

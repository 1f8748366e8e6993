// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Funder tags and the funnel figures. Design choices:
// - `funder_tag` is per territory, like drop reasons: a few built-in ones (key, translated) seeded on first use,
//   plus staff's own (label); archived tags stay on old cases and tasks, and keep counting in the figures.
// - A case carries tags through `case_funder_tag`; a task (an action) carries at most one (`case_task.funder_tag_id`).
//   Both reference the tag with its territory, so a case can never carry another territory's tag.
// - Tags are not personal data: an anonymised case keeps its tags, so the funders' figures keep counting it.
// - Indexes follow the queries: the list's tag filter (tag → cases), the funnel's entries per month (cases by
//   creation date), settled households per year (cases by settling date) and the list's "settled in this area".
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table funder_tag (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      key text check (key ~ '^[a-z_]+$'),
      label text check (label is null or length(label) between 1 and 80),
      position integer not null default 0,
      archived_at timestamptz,
      created_at timestamptz not null,
      constraint funder_tag_named_check check (key is not null or label is not null),
      constraint funder_tag_territory_key_unique unique (territory_id, key),
      constraint funder_tag_territory_id_unique unique (territory_id, id)
    )`.execute(db);

  await sql`
    create table case_funder_tag (
      territory_id integer not null,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      tag_id integer not null,
      added_at timestamptz not null,
      primary key (case_id, tag_id),
      constraint case_funder_tag_tag_fk foreign key (territory_id, tag_id) references funder_tag (territory_id, id)
    )`.execute(db);
  // The list's and the funnel's tag filter: from a tag to its cases.
  await sql`create index case_funder_tag_tag_idx on case_funder_tag (territory_id, tag_id, case_id)`.execute(db);

  await sql`alter table case_task add column funder_tag_id integer references funder_tag (id)`.execute(db);
  await sql`create index case_task_funder_tag_idx on case_task (funder_tag_id) where funder_tag_id is not null`.execute(db);

  // Funnel: time in each stage is a window over each case's events in order; this index hands them over in that
  // order (no sort), with the stage, without reading the table.
  await sql`create index case_stage_event_window_idx on case_stage_event (territory_id, case_id, at, id) include (to_stage)`.execute(db);
  // Funnel: entries per month, settled households per year; the list: cases settled in a commune or an EPCI.
  await sql`create index newcomer_case_created_idx on newcomer_case (territory_id, created_at)`.execute(db);
  await sql`create index newcomer_case_settled_idx on newcomer_case (territory_id, settled_insee, settled_on) where settled_insee is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

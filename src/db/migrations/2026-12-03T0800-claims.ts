// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Every claim traced to its source. Design choices:
// - `dataset.reference_year`: the year the figures describe (a population's census year), shown beside them.
// - `commune.time_dataset_id`: the drive times may come from another source than the distances (a routing server
//   asked at import instead of the estimate), so each commune says where its times come from.
// - `record_duplicate`: staff mark a record of an imported list (a festival, a cinema) as a duplicate of
//   another one of the same list, with a note. Keyed by the record's natural key and not a foreign key, so a
//   re-import that deletes and re-creates rows keeps the mark (as `figure_override` keeps corrections).
// - `home_highlight`: the home page's key figures written by staff. A figure is never stored without its source
//   and its date (the constraints say no), so the page cannot show an unsourced one.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table commune add column time_dataset_id integer references dataset (id)`.execute(db);
  await sql`update commune set time_dataset_id = access_dataset_id`.execute(db);
  // The year a dataset's figures describe when it differs from its edition (populations of 2023 in the COG of 2026).
  await sql`alter table dataset add column reference_year integer check (reference_year between 1800 and 2100)`.execute(db);

  await sql`
    create table record_duplicate (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      kind text not null check (kind in ('festival', 'cinema')),
      record_key text not null check (length(record_key) between 1 and 100),
      duplicate_of text not null check (length(duplicate_of) between 1 and 100),
      note text not null check (length(note) between 3 and 1000),
      author_id uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      constraint record_duplicate_not_itself_check check (record_key <> duplicate_of),
      constraint record_duplicate_territory_kind_record_key_unique unique (territory_id, kind, record_key)
    )`.execute(db);

  await sql`
    create table home_highlight (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      position integer not null default 0,
      figure text not null check (length(figure) between 1 and 40),
      text_fr text not null check (length(text_fr) between 3 and 300),
      text_en text check (text_en is null or length(text_en) between 3 and 300),
      source_note text not null check (length(source_note) between 3 and 500),
      source_url text check (source_url is null or source_url ~ '^https?://'),
      source_date date not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index home_highlight_territory_idx on home_highlight (territory_id, position)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

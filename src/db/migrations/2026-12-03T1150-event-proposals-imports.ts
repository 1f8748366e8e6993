// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Events proposed by members and events imported from external calendars (events domain).
// - `event.proposed_by`: the member who proposed the event (a draft until the team approves it); `proposal_status`
//   says where the proposal stands (`pending`, `approved`, `declined`) and `proposal_message` what the team wrote
//   when declining. The member's account going away keeps the event (set null).
// - `event_import_source`: an external public `.ics` feed the team follows (http or https URL, its name shown on
//   the imported events) and the commune its events are placed in when their LOCATION names none of the
//   territory's communes, with the outcome of its last fetch (`last_error` when the feed could not be read).
// - `event.import_source_id` and `event.import_uid`: an imported event, keyed by the feed's UID (one row per UID
//   and per occurrence of a recurring one: the UID is suffixed with the occurrence's start), unique per source.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table event_import_source (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      name text not null check (length(name) between 1 and 160),
      url text not null check (length(url) <= 1000 and url ~ '^https?://'),
      insee char(5) not null,
      last_fetched_at timestamptz,
      last_error text check (last_error is null or length(last_error) <= 500),
      last_count integer,
      created_at timestamptz not null,
      constraint event_import_source_url_unique unique (territory_id, url),
      constraint event_import_source_commune_fk foreign key (territory_id, insee) references commune (territory_id, insee)
    )`.execute(db);

  await sql`
    alter table event
      add column proposed_by uuid references user_account (id) on delete set null,
      add column proposal_status text check (proposal_status in ('pending', 'approved', 'declined')),
      add column proposal_message text check (proposal_message is null or length(proposal_message) <= 2000),
      add column import_source_id integer references event_import_source (id) on delete cascade,
      add column import_uid text check (import_uid is null or length(import_uid) <= 600),
      add constraint event_import_check check ((import_source_id is null) = (import_uid is null))`.execute(db);
  await sql`create unique index event_import_uid_unique on event (import_source_id, import_uid) where import_source_id is not null`.execute(db);
  await sql`create index event_proposal_idx on event (territory_id, proposal_status) where proposal_status is not null`.execute(db);
  await sql`create index event_proposed_by_idx on event (proposed_by) where proposed_by is not null`.execute(db);
}

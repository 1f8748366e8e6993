// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// An event's cover image (events domain): the team uploads it, the shared image pipeline re-encodes it (WebP,
// 1200 × 630, no metadata), and it is kept in the database like members' photos (decision 0024).
// - `event.cover_id`: the current image's id, in its URL (a new upload gets a new id, so caches never show an old
//   one); `event.cover_alt`: the text read in its place, when the team gave one (else the event's title).
// - `event_cover`: the bytes, one row per event, gone with the event.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table event_cover (
      id uuid primary key,
      event_id integer not null references event (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      image bytea not null,
      created_at timestamptz not null,
      constraint event_cover_event_unique unique (event_id)
    )`.execute(db);
  await sql`
    alter table event
      add column cover_id uuid,
      add column cover_alt text,
      add constraint event_cover_alt_check check (cover_alt is null or length(cover_alt) between 1 and 300)`.execute(db);
}

// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// A resource's photo (bookings domain): the team uploads it, the shared image pipeline re-encodes it (WebP,
// 1200 × 800, no metadata), and it is kept in the database like events' covers and members' photos (decision 0024).
// - `booking_resource.photo_id`: the current image's id, in its URL (a new upload gets a new id, so caches never show
//   an old one); `booking_resource.photo_alt`: the text read in its place, when the team gave one (else the name).
// - `booking_resource_photo`: the bytes, one row per resource, gone with the resource.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table booking_resource_photo (
      id uuid primary key,
      resource_id integer not null references booking_resource (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      image bytea not null,
      created_at timestamptz not null,
      constraint booking_resource_photo_resource_unique unique (resource_id)
    )`.execute(db);
  await sql`
    alter table booking_resource
      add column photo_id uuid,
      add column photo_alt text,
      add constraint booking_resource_photo_alt_check check (photo_alt is null or length(photo_alt) between 1 and 300)`.execute(db);
}

// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Weekly recurring bookings made by the back office, and the secret address of a person's bookings feed.
// - `booking_series`: one weekly series (weekdays, wall-clock times, first day, last day) a staff member created
//   on one resource, on someone's behalf or as a block. Its occurrences are ordinary `booking` rows carrying
//   `series_id`, so each one meets the same availability check and the same exclusion constraint; the series only
//   remembers what was asked, to cancel its remaining occurrences together.
// - `booking_feed`: the SHA-256 of the secret in a person's bookings feed address; revoked by deleting the row,
//   renewed by replacing the hash (one per person).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table booking_series (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null references territory (id) on delete cascade,
      resource_id integer not null references booking_resource (id) on delete cascade,
      kind text not null check (kind in ('booking', 'block')),
      weekdays integer[] not null check (cardinality(weekdays) between 1 and 7 and weekdays <@ array[1, 2, 3, 4, 5, 6, 7]),
      start_minutes integer not null check (start_minutes between 0 and 1440),
      end_minutes integer not null check (end_minutes between 0 and 1440 and end_minutes > start_minutes),
      first_day date not null,
      last_day date not null check (last_day >= first_day and last_day <= first_day + 366),
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      cancelled_at timestamptz
    )`.execute(db);
  await sql`create index booking_series_resource_idx on booking_series (resource_id)`.execute(db);
  await sql`alter table booking add column series_id uuid references booking_series (id) on delete set null`.execute(db);
  await sql`create index booking_series_idx on booking (series_id) where series_id is not null`.execute(db);

  await sql`
    create table booking_feed (
      user_id uuid primary key references user_account (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      token_hash text not null unique,
      created_at timestamptz not null
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

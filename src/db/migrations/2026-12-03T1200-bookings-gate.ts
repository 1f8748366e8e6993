// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Trainings, authorisations and presence at the third places' bookings. Design choices:
// - A training kind (`booking_training_kind`, e.g. "laser cutter") says how long an authorisation lasts
//   (`validity_months`, 12 by default) and after how many months without using a machine of that kind it lapses
//   (`lapse_months`, null: never). A machine names the kind it requires (`booking_resource.training_kind_id`).
// - Training sessions are events of the events domain; `booking_training_session` links an event to its kind.
// - An authorisation (`booking_authorisation`) is one row per person and kind, renewed when the person passes a
//   session again: who granted it, when, until when, from which session. Personal data: erased with the person.
// - Presence of a booking (`booking.presence`): null (expected), `arrived` or `no_show`, ticked by the space manager.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table booking_training_kind (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
      name text not null check (length(name) between 1 and 120),
      validity_months integer not null default 12 check (validity_months between 1 and 120),
      lapse_months integer check (lapse_months between 1 and 120),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint booking_training_kind_slug_key unique (territory_id, slug)
    )`.execute(db);
  await sql`alter table booking_resource add column training_kind_id integer references booking_training_kind (id) on delete set null`.execute(db);
  await sql`create index booking_resource_training_idx on booking_resource (training_kind_id) where training_kind_id is not null`.execute(db);

  await sql`
    create table booking_training_session (
      event_id integer primary key references event (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      training_kind_id integer not null references booking_training_kind (id) on delete cascade,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index booking_training_session_kind_idx on booking_training_session (training_kind_id)`.execute(db);

  await sql`
    create table booking_authorisation (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      user_id uuid not null references user_account (id) on delete cascade,
      training_kind_id integer not null references booking_training_kind (id) on delete cascade,
      event_id integer references event (id) on delete set null,
      granted_at timestamptz not null,
      granted_by uuid references user_account (id) on delete set null,
      expires_at timestamptz not null,
      constraint booking_authorisation_key unique (user_id, training_kind_id),
      constraint booking_authorisation_dates_check check (expires_at > granted_at)
    )`.execute(db);
  await sql`create index booking_authorisation_kind_idx on booking_authorisation (training_kind_id)`.execute(db);

  await sql`alter table booking add column presence text check (presence in ('arrived', 'no_show'))`.execute(db);
  await sql`alter table booking add column presence_at timestamptz`.execute(db);
  await sql`alter table booking add column presence_by uuid references user_account (id) on delete set null`.execute(db);
  // The space manager's daily list and the month's figures read bookings by start.
  await sql`create index booking_start_idx on booking (territory_id, lower(period))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

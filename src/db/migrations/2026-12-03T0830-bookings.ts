// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Bookings at the third places: resources (desks, meeting rooms, the studio, machines), their closures, and the
// bookings themselves. Design choices:
// - A resource belongs to one third place (`third_place`) and may sit inside another resource (a machine in a
//   room: `parent_id`); the service then checks the pair under a lock on the room's row.
// - Opening hours are stored per ISO weekday (jsonb, the places domain's shape); public holidays are computed,
//   never stored; maintenance and other closures are periods (`booking_closure.period`).
// - Prices are display and records only (no payment yet), in cents, for members and for everybody else.
// - A booking's period is a half-open `tstzrange` `[start, end)`. For a single-capacity resource the database
//   itself refuses two live bookings that overlap (exclusion constraint on `(resource_id, period)`, `btree_gist`):
//   `exclusive` is copied from the resource's capacity when the booking is made, so the constraint can be partial.
//   Shared spaces (an open space of N desks) are counted by the service under a lock on the resource's row.
// - Live means `held` (a visitor's booking waiting for its e-mail confirmation, until `hold_until`) or `confirmed`;
//   `cancelled` and `released` (a hold that ran out) keep the row for the records and free the slot.
// - A staff block (`kind = 'block'`) is a booking without a person: it takes the whole resource.
// - Who booked: an account (`user_id`) or a visitor (name and e-mail, personal data, erased with the person).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table booking_resource (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      place_id integer not null references third_place (id) on delete restrict,
      parent_id integer references booking_resource (id) on delete set null,
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
      name text not null check (length(name) between 1 and 120),
      kind text not null check (kind in ('desk', 'meeting_room', 'studio', 'machine')),
      capacity integer not null default 1 check (capacity between 1 and 200),
      description text not null default '' check (length(description) <= 4000),
      equipment text not null default '' check (length(equipment) <= 1000),
      opening_hours jsonb not null,
      slot_minutes integer not null check (slot_minutes in (15, 30, 60)),
      min_minutes integer not null check (min_minutes > 0),
      max_minutes integer not null check (max_minutes <= 1440),
      member_horizon_days integer not null check (member_horizon_days between 1 and 400),
      visitor_horizon_days integer not null check (visitor_horizon_days between 1 and 400),
      notice_minutes integer not null default 0 check (notice_minutes between 0 and 20160),
      cancel_hours integer not null default 24 check (cancel_hours between 0 and 720),
      member_hour_cents integer check (member_hour_cents >= 0),
      member_half_day_cents integer check (member_half_day_cents >= 0),
      member_day_cents integer check (member_day_cents >= 0),
      hour_cents integer check (hour_cents >= 0),
      half_day_cents integer check (half_day_cents >= 0),
      day_cents integer check (day_cents >= 0),
      audience text not null check (audience in ('visitors', 'members', 'staff')),
      requires_authorisation boolean not null default false,
      active boolean not null default true,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by uuid references user_account (id) on delete set null,
      constraint booking_resource_slug_key unique (territory_id, slug),
      constraint booking_resource_duration_check check (min_minutes <= max_minutes and min_minutes % slot_minutes = 0 and max_minutes % slot_minutes = 0),
      constraint booking_resource_parent_check check (parent_id is null or parent_id <> id)
    )`.execute(db);
  await sql`create index booking_resource_place_idx on booking_resource (territory_id, place_id)`.execute(db);
  await sql`create index booking_resource_parent_idx on booking_resource (parent_id) where parent_id is not null`.execute(db);

  await sql`
    create table booking_closure (
      id integer generated always as identity primary key,
      resource_id integer not null references booking_resource (id) on delete cascade,
      period tstzrange not null check (not isempty(period) and lower_inc(period) and not upper_inc(period) and not lower_inf(period) and not upper_inf(period)),
      reason text not null default '' check (length(reason) <= 200),
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index booking_closure_period_idx on booking_closure using gist (resource_id, period)`.execute(db);

  await sql`
    create table booking (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null references territory (id) on delete cascade,
      resource_id integer not null references booking_resource (id) on delete cascade,
      period tstzrange not null check (not isempty(period) and lower_inc(period) and not upper_inc(period) and not lower_inf(period) and not upper_inf(period)),
      exclusive boolean not null,
      kind text not null check (kind in ('booking', 'block')),
      status text not null check (status in ('held', 'confirmed', 'cancelled', 'released')),
      audience text not null check (audience in ('member', 'visitor', 'staff')),
      user_id uuid references user_account (id) on delete set null,
      visitor_name text check (length(visitor_name) between 1 and 120),
      visitor_email citext check (length(visitor_email) <= 254),
      confirm_token_hash text,
      hold_until timestamptz,
      note text not null default '' check (length(note) <= 500),
      booked_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      confirmed_at timestamptz,
      cancelled_at timestamptz,
      cancelled_by uuid references user_account (id) on delete set null,
      constraint booking_hold_check check ((status = 'held') = (hold_until is not null)),
      constraint booking_resource_period_excl exclude using gist (resource_id with =, period with &&)
        where (exclusive and status in ('held', 'confirmed'))
    )`.execute(db);
  // Live bookings of a resource over a period: the grid, the checks and the API read through this index.
  await sql`create index booking_live_idx on booking using gist (resource_id, period) where status in ('held', 'confirmed')`.execute(db);
  await sql`create index booking_user_idx on booking (user_id, lower(period)) where user_id is not null`.execute(db);
  await sql`create unique index booking_confirm_token_key on booking (confirm_token_hash) where confirm_token_hash is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

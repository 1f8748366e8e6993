// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Creator-support appointments at the third places: an adviser (a member of the programme's team) publishes slots
// of 30 or 60 minutes, at a third place, by phone or by video link; one person books a slot with a short description
// of their project. Design choices:
// - One person per slot, said by the database: a partial unique index on the slot's live appointment (`held` until
//   `hold_until`, or `confirmed`); an adviser's open slots never overlap (exclusion constraint).
// - Visitors confirm by e-mail like visitor bookings: `held` with `hold_until` and the hash of the link's token.
// - The outcome (`attended` or `no_show`) and whether it was a follow-up appointment are what the figures count; the
//   adviser's note is kept here and a copy is attached to the person's newcomer case or member record, when they
//   have one, by the domain owning it (`note_attached_to` says where; no link to that record is stored here).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table appointment_slot (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null references territory (id) on delete cascade,
      adviser_id uuid not null references user_account (id) on delete cascade,
      period tstzrange not null check (not isempty(period) and lower_inc(period) and not upper_inc(period) and not lower_inf(period) and not upper_inf(period)),
      mode text not null check (mode in ('place', 'phone', 'video')),
      place_id integer references third_place (id) on delete restrict,
      video_url text check (video_url is null or (length(video_url) <= 500 and video_url ~ '^https://')),
      status text not null check (status in ('open', 'withdrawn')),
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      constraint appointment_slot_duration_check check (upper(period) - lower(period) in (interval '30 minutes', interval '60 minutes')),
      constraint appointment_slot_place_check check ((mode = 'place') = (place_id is not null)),
      constraint appointment_slot_video_check check ((mode = 'video') = (video_url is not null)),
      constraint appointment_slot_adviser_period_excl exclude using gist (adviser_id with =, period with &&) where (status = 'open')
    )`.execute(db);
  await sql`create index appointment_slot_open_idx on appointment_slot (territory_id, lower(period)) where status = 'open'`.execute(db);

  await sql`
    create table appointment (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null references territory (id) on delete cascade,
      slot_id uuid not null references appointment_slot (id) on delete cascade,
      user_id uuid references user_account (id) on delete set null,
      visitor_name text check (length(visitor_name) between 1 and 120),
      visitor_email citext check (length(visitor_email) <= 254),
      audience text not null check (audience in ('candidate', 'member', 'visitor')),
      project text not null check (length(project) <= 1000),
      status text not null check (status in ('held', 'confirmed', 'cancelled', 'released')),
      hold_until timestamptz,
      confirm_token_hash text,
      follow_up boolean not null,
      outcome text check (outcome in ('attended', 'no_show')),
      outcome_at timestamptz,
      adviser_note text check (length(adviser_note) between 1 and 4000),
      note_attached_to text check (note_attached_to in ('newcomer_case', 'member')),
      created_at timestamptz not null,
      confirmed_at timestamptz,
      cancelled_at timestamptz,
      cancelled_by uuid references user_account (id) on delete set null,
      constraint appointment_hold_check check ((status = 'held') = (hold_until is not null)),
      constraint appointment_outcome_at_check check ((outcome is null) = (outcome_at is null))
    )`.execute(db);
  await sql`create unique index appointment_slot_live_key on appointment (slot_id) where status in ('held', 'confirmed')`.execute(db);
  await sql`create index appointment_user_idx on appointment (user_id) where user_id is not null`.execute(db);
  await sql`create index appointment_visitor_email_idx on appointment (visitor_email) where visitor_email is not null`.execute(db);
  await sql`create unique index appointment_confirm_token_key on appointment (confirm_token_hash) where confirm_token_hash is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

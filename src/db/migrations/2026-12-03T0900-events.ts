// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Events and the agenda (events domain). Design choices:
// - `event_type`: the editable list of kinds of event, per territory (key, French and English label, order,
//   hidden types stay on past events). The first start loads the default list; staff add and rename types.
// - `event`: one dated event. Times are `timestamptz` (UTC), shown in Europe/Paris; an all-day event stores the
//   start of its first day and the end of its last day in Paris, so a multi-day event is just a longer range.
//   The place is one of four kinds, each with its own columns, and a CHECK keeps the kind and the columns in step
//   (a third place by id, a commune by INSEE code, a postal address with its commune, an online link). The row is
//   what registrations lock (`for update`) before counting seats: the count is read under the lock, never stored.
// - `event_registration`: one person's seats at one event. `pending` (a visitor's e-mail not yet confirmed: no
//   seat), `confirmed`, `waiting` (in `queue_position` order), `offered` (a freed seat held until
//   `offer_expires_at`), `cancelled` or `lapsed` (an offer nobody claimed). Confirmed and offered rows hold seats.
//   One live registration per account and per e-mail address and event (partial unique indexes): registering twice
//   returns the first one.
// - `event_feed`: the secret of a person's calendar feed (only its SHA-256), revoked by deleting the row.
// - `outbox_mail.attachments`: files sent with a mail (the `.ics` of a confirmation), kept with the mail so a
//   resend carries them too.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox_mail add column attachments jsonb not null default '[]'::jsonb`.execute(db);

  await sql`
    create table event_type (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      key text not null check (key ~ '^[a-z0-9_]{1,40}$'),
      label_fr text not null check (length(label_fr) between 1 and 80),
      label_en text not null check (length(label_en) between 1 and 80),
      position smallint not null default 100,
      hidden boolean not null default false,
      constraint event_type_territory_key_unique unique (territory_id, key),
      constraint event_type_territory_id_unique unique (territory_id, id)
    )`.execute(db);

  await sql`
    create table event (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 100),
      title text not null check (length(title) between 1 and 160),
      description_md text not null default '' check (length(description_md) <= 20000),
      type_id integer not null,
      place_kind text not null check (place_kind in ('third_place', 'commune', 'address', 'online')),
      third_place_id integer references third_place (id) on delete restrict,
      insee char(5),
      address text check (address is null or length(address) between 1 and 300),
      online_url text check (online_url is null or (length(online_url) <= 500 and online_url ~ '^https?://')),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      all_day boolean not null default false,
      audience text not null default 'public' check (audience in ('public', 'members', 'candidates')),
      capacity integer not null check (capacity between 1 and 10000),
      max_seats smallint not null default 1 check (max_seats between 1 and 20),
      registration_opens_at timestamptz,
      registration_closes_at timestamptz,
      price_member_cents integer check (price_member_cents is null or price_member_cents between 0 and 10000000),
      price_public_cents integer check (price_public_cents is null or price_public_cents between 0 and 10000000),
      organiser text check (organiser is null or length(organiser) between 1 and 160),
      claim_window_hours smallint not null default 48 check (claim_window_hours between 1 and 336),
      status text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
      published_at timestamptz,
      cancelled_at timestamptz,
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint event_territory_slug_unique unique (territory_id, slug),
      constraint event_territory_id_unique unique (territory_id, id),
      constraint event_type_fk foreign key (territory_id, type_id) references event_type (territory_id, id),
      constraint event_commune_fk foreign key (territory_id, insee) references commune (territory_id, insee),
      constraint event_dates_check check (ends_at > starts_at),
      constraint event_registration_window_check check (registration_opens_at is null or registration_closes_at is null or registration_opens_at < registration_closes_at),
      constraint event_deadline_check check (registration_closes_at is null or registration_closes_at <= ends_at),
      constraint event_place_check check (
        (place_kind = 'third_place' and third_place_id is not null and online_url is null)
        or (place_kind = 'commune' and insee is not null and third_place_id is null and online_url is null)
        or (place_kind = 'address' and insee is not null and address is not null and third_place_id is null and online_url is null)
        or (place_kind = 'online' and online_url is not null and third_place_id is null and insee is null and address is null)
      )
    )`.execute(db);
  // The agenda (upcoming published events by date) and the archives.
  await sql`create index event_territory_starts_idx on event (territory_id, starts_at)`.execute(db);

  await sql`
    create table event_registration (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null,
      event_id integer not null,
      user_id uuid references user_account (id) on delete set null,
      email citext not null check (email ~ '^[^@\\s]+@[^@\\s]+$'),
      name text not null check (length(name) between 1 and 120),
      locale text not null default 'fr' check (locale in ('fr', 'en')),
      seats smallint not null check (seats between 1 and 20),
      status text not null check (status in ('pending', 'confirmed', 'waiting', 'offered', 'cancelled', 'lapsed')),
      queue_position integer,
      offer_expires_at timestamptz,
      offers_made smallint not null default 0,
      passed_over_notified boolean not null default false,
      created_at timestamptz not null,
      confirmed_at timestamptz,
      cancelled_at timestamptz,
      updated_at timestamptz not null,
      constraint event_registration_event_fk foreign key (territory_id, event_id) references event (territory_id, id) on delete cascade,
      constraint event_registration_offer_check check ((status = 'offered') = (offer_expires_at is not null)),
      constraint event_registration_queue_check check (status not in ('waiting', 'offered') or queue_position is not null)
    )`.execute(db);
  await sql`create unique index event_registration_live_user_unique on event_registration (event_id, user_id) where user_id is not null and status not in ('cancelled', 'lapsed')`.execute(db);
  await sql`create unique index event_registration_live_email_unique on event_registration (event_id, email) where status not in ('cancelled', 'lapsed')`.execute(db);
  await sql`create index event_registration_event_status_idx on event_registration (event_id, status, queue_position)`.execute(db);
  await sql`create index event_registration_user_idx on event_registration (user_id) where user_id is not null`.execute(db);

  await sql`
    create table event_feed (
      user_id uuid primary key references user_account (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      token_hash text not null unique,
      created_at timestamptz not null
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

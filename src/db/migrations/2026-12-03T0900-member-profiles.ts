// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Members' profiles, the directory and contacting a member (issue 9, second slice). Design choices:
// - `member_profile`: one per membership, what the member tells others (name shown, sector, bio, website,
//   languages, the openings) and `visibility`, a JSON object giving each field's audience (`public`, `members`,
//   `staff`). Activity, commune and phone stay on `member` (the application's values; the profile edits them).
//   `public_showcase` is the member's opt-in: until it is set nothing of theirs is public, whatever a field says.
// - Search: the service writes `search_public` and `search_members`, the words of the fields visible to that
//   audience (computed by the one visibility function), so a visitor's search never matches a members-only bio.
//   Their French vectors are generated with `immutable_unaccent` (accent- and case-insensitive, stemmed).
// - `member_tag`: the skills of a territory, one row per normalised key (`developpement web` for
//   `Développement web`): the first spelling stays the label, every later spelling reuses it.
// - `buddy_open` replaces the separate buddy opt-in (`buddy.withdrawn_at`): current, non-withdrawn buddies who are
//   members get a profile with it set. The buddy row keeps the buddy's preferences (home commune, projects, how
//   many households) and the pairings.
// - `member_contact`: every message relayed to a member (sender, recipient, when, the text), for abuse handling;
//   erased with either person's data.
// - `outbox_mail.reply_to`: a relayed message is answered to its sender's verified address, never through us.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_profile (
      member_id uuid primary key references member (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
      display_name text not null check (length(display_name) between 1 and 80),
      sector text check (sector is null or length(sector) between 1 and 120),
      bio text check (bio is null or length(bio) between 1 and 1500),
      website text check (website is null or (length(website) <= 300 and website ~ '^https?://')),
      languages text[] not null default '{}' check (cardinality(languages) <= 12),
      open_to_business boolean not null default false,
      buddy_open boolean not null default false,
      contact_open boolean not null default true,
      public_showcase boolean not null default false,
      visibility jsonb not null,
      search_public text not null default '',
      search_members text not null default '',
      search_public_tsv tsvector generated always as (to_tsvector('french'::regconfig, public.immutable_unaccent(search_public))) stored,
      search_members_tsv tsvector generated always as (to_tsvector('french'::regconfig, public.immutable_unaccent(search_members))) stored,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint member_profile_territory_slug_unique unique (territory_id, slug)
    )`.execute(db);
  await sql`create index member_profile_public_idx on member_profile using gin (search_public_tsv)`.execute(db);
  await sql`create index member_profile_members_idx on member_profile using gin (search_members_tsv)`.execute(db);

  await sql`
    create table member_tag (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      key text not null check (key ~ '^[a-z0-9]+( [a-z0-9]+)*$' and length(key) <= 60),
      label text not null check (length(label) between 1 and 60),
      created_at timestamptz not null,
      constraint member_tag_territory_key_unique unique (territory_id, key)
    )`.execute(db);

  await sql`
    create table member_profile_tag (
      member_id uuid not null references member_profile (member_id) on delete cascade,
      tag_id integer not null references member_tag (id) on delete cascade,
      position smallint not null check (position between 0 and 19),
      primary key (member_id, tag_id)
    )`.execute(db);
  await sql`create index member_profile_tag_tag_idx on member_profile_tag (tag_id)`.execute(db);

  await sql`
    create table member_contact (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      recipient_member_id uuid references member (id) on delete set null,
      sender_user_id uuid references user_account (id) on delete set null,
      sender_email text,
      subject text check (subject is null or length(subject) between 1 and 120),
      message text check (message is null or length(message) between 1 and 3000),
      sent_at timestamptz not null,
      erased_at timestamptz
    )`.execute(db);
  await sql`create index member_contact_sender_idx on member_contact (sender_user_id, sent_at)`.execute(db);
  await sql`create index member_contact_recipient_idx on member_contact (recipient_member_id, sent_at)`.execute(db);
  await sql`create index member_contact_territory_idx on member_contact (territory_id, sent_at desc)`.execute(db);

  await sql`alter table outbox_mail add column reply_to text check (reply_to is null or length(reply_to) <= 254)`.execute(db);

  // The buddy opt-in moves onto the profile: every current buddy who is a member gets a profile with it set.
  await sql`
    insert into member_profile (member_id, territory_id, slug, display_name, buddy_open, visibility, created_at, updated_at)
    select m.id, m.territory_id,
           trim(both '-' from regexp_replace(lower(public.immutable_unaccent(m.first_name || ' ' || m.last_name)), '[^a-z0-9]+', '-', 'g')) || '-' || m.number,
           left(m.first_name || ' ' || m.last_name, 80), true,
           '{"name":"members","activity":"members","sector":"members","skills":"members","bio":"members","commune":"members","website":"members","languages":"members","email":"staff","phone":"staff"}'::jsonb,
           b.opted_in_at, b.updated_at
    from buddy b join member m on m.territory_id = b.territory_id and m.user_id = b.user_id
    where b.withdrawn_at is null and m.anonymised_at is null
    on conflict (member_id) do update set buddy_open = true`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

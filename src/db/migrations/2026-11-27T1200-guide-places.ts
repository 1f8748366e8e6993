// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
// Guide articles (with their revisions) and third places. Both carry a French full-text vector computed by the
// database itself (generated column), so search behaves the same on PGlite and PostgreSQL and cannot go stale.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table guide_article (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
      category text not null check (category in (
        'teletravail', 'independants', 'creation-reprise', 'cae',
        'logement', 'ecoles', 'sante', 'transports', 'culture', 'bio')),
      title text not null check (length(title) between 1 and 200),
      summary text not null default '' check (length(summary) <= 600),
      body_md text not null check (length(body_md) <= 100000),
      status text not null default 'draft' check (status in ('draft', 'published')),
      version integer not null default 1 check (version > 0),
      published_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by uuid references user_account (id) on delete set null,
      search_name text generated always as (lower(immutable_unaccent(title))) stored,
      search tsvector generated always as (
        setweight(to_tsvector('french', immutable_unaccent(title)), 'A') ||
        setweight(to_tsvector('french', immutable_unaccent(summary)), 'B') ||
        setweight(to_tsvector('french', immutable_unaccent(body_md)), 'C')
      ) stored,
      constraint guide_article_territory_slug_key unique (territory_id, slug),
      constraint guide_article_published_at_check check (status = 'draft' or published_at is not null)
    )`.execute(db);
  await sql`create index guide_article_search_idx on guide_article using gin (search)`.execute(db);
  await sql`create index guide_article_listing_idx on guide_article (territory_id, status, category)`.execute(db);

  // Every save stores the whole article as it was saved: history is append-only and self-sufficient.
  await sql`
    create table guide_article_revision (
      id bigint generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      article_id integer not null references guide_article (id) on delete cascade,
      number integer not null check (number > 0),
      slug text not null,
      category text not null,
      title text not null,
      summary text not null,
      body_md text not null,
      status text not null check (status in ('draft', 'published')),
      note text not null default '' check (length(note) <= 300),
      author_id uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      constraint guide_article_revision_article_number_key unique (article_id, number)
    )`.execute(db);

  await sql`
    create table third_place (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
      name text not null check (length(name) between 1 and 160),
      summary text not null default '' check (length(summary) <= 600),
      description_md text not null default '' check (length(description_md) <= 20000),
      label text not null default '' check (length(label) <= 120),
      commune_insee text not null check (commune_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
      commune_name text not null check (length(commune_name) between 1 and 120),
      address text check (length(address) <= 300),
      postcode text check (postcode ~ '^[0-9]{5}$'),
      lat double precision not null check (lat between -90 and 90),
      lon double precision not null check (lon between -180 and 180),
      location_approximate boolean not null default true,
      services text[] not null default '{}' check (services <@ array[
        'coworking', 'meeting_rooms', 'fablab', 'studio', 'room_hire', 'business_support', 'telecentre', 'innovation_lab']::text[]),
      services_note text not null default '' check (length(services_note) <= 600),
      opening_hours jsonb,
      hours_note text not null default '' check (length(hours_note) <= 300),
      prices text not null default '' check (length(prices) <= 600),
      prices_are_example boolean not null default false,
      website text check (website ~ '^https?://'),
      email text check (email ~ '^[^@\\s]+@[^@\\s]+$'),
      phone text check (length(phone) <= 30),
      source_url text check (source_url ~ '^https?://'),
      status text not null default 'draft' check (status in ('draft', 'published')),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by uuid references user_account (id) on delete set null,
      search_name text generated always as (lower(immutable_unaccent(name || ' ' || commune_name))) stored,
      search tsvector generated always as (
        setweight(to_tsvector('french', immutable_unaccent(name)), 'A') ||
        setweight(to_tsvector('french', immutable_unaccent(commune_name || ' ' || label)), 'B') ||
        setweight(to_tsvector('french', immutable_unaccent(summary || ' ' || services_note || ' ' || description_md)), 'C')
      ) stored,
      constraint third_place_territory_slug_key unique (territory_id, slug),
      constraint third_place_prices_example_check check (not prices_are_example or prices <> '')
    )`.execute(db);
  await sql`create index third_place_search_idx on third_place using gin (search)`.execute(db);
  await sql`create index third_place_commune_idx on third_place (territory_id, commune_insee)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

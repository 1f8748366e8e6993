// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Offers (/offres): business takeovers, jobs and housing, published by the welcome team or proposed by partners,
// and the households' interest in them. Design choices:
// - One `offer` table for the three kinds: they share the title, description, commune, expiry and status, the
//   public list mixes them and filters on a few shared columns. Each kind's own columns are required for that
//   kind and must be empty for the others (check constraints), so no row mixes a rent with a seller.
// - The seller's contact of a takeover (name, e-mail, phone) is private: it is for the welcome team only. It lives
//   in columns that the public queries never select (they list their columns); the seller's name and a way to
//   reach them are required for a takeover.
// - Status: draft → published → withdrawn for the team; a partner's offer starts `proposed` until the team
//   publishes it. "Expired" is not stored: it is a published offer whose `expires_on` is before today in Paris,
//   so nothing has to run at midnight for it to leave the public list.
// - Prices are whole euros: a takeover has a range (min ≤ max) and an optional turnover; housing has one price
//   (the sale price, or the monthly rent for rentals and temporary "passerelle" housing).
// - `offer_interest` is personal data of the household (which offers it looked at): one row per offer and case,
//   deleted with the case (on delete cascade) and emptied when a case is anonymised.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table offer (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      kind text not null check (kind in ('takeover', 'job', 'housing')),
      status text not null check (status in ('draft', 'proposed', 'published', 'withdrawn')),
      title text not null check (length(title) between 1 and 160),
      description text not null check (length(description) between 1 and 8000),
      insee char(5) not null,
      expires_on date not null,
      sector text check (sector ~ '^[a-z_]+$'),
      price_min integer check (price_min >= 0),
      price_max integer check (price_max >= 0),
      turnover integer check (turnover >= 0),
      seller_name text check (seller_name is null or length(seller_name) between 1 and 120),
      seller_email text check (seller_email is null or length(seller_email) between 3 and 254),
      seller_phone text check (seller_phone is null or length(seller_phone) between 4 and 30),
      employer text check (employer is null or length(employer) between 1 and 160),
      contract text check (contract in ('cdi', 'cdd', 'freelance', 'other')),
      remote boolean,
      housing_type text check (housing_type in ('rent', 'sale', 'temporary')),
      price integer check (price >= 0),
      surface_m2 integer check (surface_m2 between 1 and 100000),
      rooms smallint check (rooms between 1 and 100),
      available_on date,
      proposed_by uuid references user_account (id) on delete set null,
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      published_at timestamptz,
      published_by uuid references user_account (id) on delete set null,
      withdrawn_at timestamptz,
      constraint offer_commune_fk foreign key (territory_id, insee) references commune (territory_id, insee),
      constraint offer_takeover_check check (kind <> 'takeover' or (
        sector is not null and price_min is not null and price_max is not null and price_min <= price_max
        and seller_name is not null and (seller_email is not null or seller_phone is not null))),
      constraint offer_takeover_only_check check (kind = 'takeover' or (
        price_min is null and price_max is null and turnover is null and seller_name is null and seller_email is null and seller_phone is null)),
      constraint offer_job_check check (kind <> 'job' or (sector is not null and employer is not null and contract is not null and remote is not null)),
      constraint offer_job_only_check check (kind = 'job' or (employer is null and contract is null and remote is null)),
      constraint offer_housing_check check (kind <> 'housing' or (housing_type is not null and price is not null)),
      constraint offer_housing_only_check check (kind = 'housing' or (
        housing_type is null and price is null and surface_m2 is null and rooms is null and available_on is null)),
      constraint offer_sector_kind_check check ((kind = 'housing') = (sector is null)),
      constraint offer_published_check check (status <> 'published' or published_at is not null),
      constraint offer_withdrawn_check check ((status = 'withdrawn') = (withdrawn_at is not null))
    )`.execute(db);
  // The public list, newest first, and the case page suggestions: published offers of a kind, in a commune.
  await sql`create index offer_public_idx on offer (territory_id, published_at desc, id desc) where status = 'published'`.execute(db);
  await sql`create index offer_public_kind_idx on offer (territory_id, kind, expires_on) where status = 'published'`.execute(db);
  await sql`create index offer_public_commune_idx on offer (territory_id, insee, expires_on) where status = 'published'`.execute(db);
  // The team's list (filter by status, newest change first) and a partner's own offers.
  await sql`create index offer_status_idx on offer (territory_id, status, updated_at desc)`.execute(db);
  await sql`create index offer_proposed_by_idx on offer (proposed_by, updated_at desc) where proposed_by is not null`.execute(db);

  await sql`
    create table offer_interest (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      offer_id integer not null references offer (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      at timestamptz not null,
      constraint offer_interest_offer_case_unique unique (offer_id, case_id)
    )`.execute(db);
  await sql`create index offer_interest_case_idx on offer_interest (case_id, at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

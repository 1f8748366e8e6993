// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// The territory guide's reference data. Design choices:
// - One wide `commune` row per commune with typed, indexed columns for every figure the finder filters or sorts
//   on (no key/value rows): the finder is a single-table scan with plain comparisons.
// - Each group of figures carries the id of the `dataset` it came from, so every number can name its source,
//   edition and licence. The group → column mapping is written down in src/domains/territory/territory.figures.ts.
// - Figure columns hold the value the site shows. A staff correction lives in `figure_override` with the
//   imported value next to it; imports write the imported value there and keep the correction in the column.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dataset (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      key text not null check (key ~ '^[a-z0-9-]+$'),
      title text not null check (length(title) between 1 and 200),
      publisher text not null check (length(publisher) between 1 and 300),
      edition text not null check (length(edition) between 1 and 200),
      published_on date,
      period_start date,
      period_end date,
      licence text not null check (length(licence) between 1 and 200),
      licence_url text,
      attribution text not null check (length(attribution) between 1 and 300),
      url text,
      files text[] not null default '{}',
      notes text,
      share_alike boolean not null default false,
      origin text not null default 'shipped' check (origin in ('shipped', 'upload')),
      imported_at timestamptz not null,
      constraint dataset_territory_key_unique unique (territory_id, key),
      constraint dataset_period_check check (period_start is null or period_end is null or period_start <= period_end)
    )`.execute(db);

  await sql`
    create table epci (
      territory_id integer not null references territory (id) on delete cascade,
      siren char(9) not null check (siren ~ '^[0-9]{9}$'),
      name text not null check (length(name) between 1 and 200),
      dataset_id integer not null references dataset (id),
      primary key (territory_id, siren)
    )`.execute(db);

  await sql`
    create table commune (
      territory_id integer not null references territory (id) on delete cascade,
      insee char(5) not null check (insee ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'),
      name text not null check (length(name) between 1 and 100),
      population integer check (population >= 0),
      postcodes text[] not null default '{}' check (array_to_string(postcodes, ',') ~ '^([0-9]{5}(,|$))*$'),
      epci_siren char(9),
      cantons text[] not null default '{}',
      lat double precision not null check (lat between -90 and 90),
      lon double precision not null check (lon between -180 and 180),
      area_km2 numeric(8, 2) check (area_km2 > 0),
      identity_dataset_id integer not null references dataset (id),
      centre_dataset_id integer not null references dataset (id),
      boundary_dataset_id integer references dataset (id),

      dvf_house_median integer check (dvf_house_median > 0),
      dvf_house_sales integer not null default 0 check (dvf_house_sales >= 0),
      dvf_flat_median integer check (dvf_flat_median > 0),
      dvf_flat_sales integer not null default 0 check (dvf_flat_sales >= 0),
      dvf_dataset_id integer references dataset (id),

      gp_count integer not null default 0 check (gp_count >= 0),
      pharmacy_count integer not null default 0 check (pharmacy_count >= 0),
      msp_count integer not null default 0 check (msp_count >= 0),
      emergency_count integer not null default 0 check (emergency_count >= 0),
      hospital_count integer not null default 0 check (hospital_count >= 0),
      maternity_count integer not null default 0 check (maternity_count >= 0),
      dentist_count integer not null default 0 check (dentist_count >= 0),
      physio_count integer not null default 0 check (physio_count >= 0),
      nurse_count integer not null default 0 check (nurse_count >= 0),
      creche_count integer not null default 0 check (creche_count >= 0),
      ehpad_count integer not null default 0 check (ehpad_count >= 0),
      bpe_counts jsonb not null default '{}'::jsonb,
      bpe_dataset_id integer references dataset (id),

      cinema_count integer not null default 0 check (cinema_count >= 0),
      festival_count integer not null default 0 check (festival_count >= 0),

      km_auch numeric(6, 1) check (km_auch >= 0),
      min_auch integer check (min_auch >= 0),
      km_toulouse numeric(6, 1) check (km_toulouse >= 0),
      min_toulouse integer check (min_toulouse >= 0),
      km_bordeaux numeric(6, 1) check (km_bordeaux >= 0),
      min_bordeaux integer check (min_bordeaux >= 0),
      km_airport numeric(6, 1) check (km_airport >= 0),
      min_airport integer check (min_airport >= 0),
      km_station numeric(6, 1) check (km_station >= 0),
      min_station integer check (min_station >= 0),
      nearest_station_uic text,
      nearest_gp_insee char(5),
      nearest_gp_km numeric(6, 1),
      nearest_pharmacy_insee char(5),
      nearest_pharmacy_km numeric(6, 1),
      nearest_cinema_insee char(5),
      nearest_cinema_km numeric(6, 1),
      access_dataset_id integer references dataset (id),

      search tsvector generated always as (to_tsvector('french'::regconfig, immutable_unaccent(name))) stored,
      primary key (territory_id, insee),
      constraint commune_epci_fk foreign key (territory_id, epci_siren) references epci (territory_id, siren),
      constraint commune_nearest_gp_fk foreign key (territory_id, nearest_gp_insee) references commune (territory_id, insee) deferrable initially deferred,
      constraint commune_nearest_pharmacy_fk foreign key (territory_id, nearest_pharmacy_insee) references commune (territory_id, insee) deferrable initially deferred,
      constraint commune_nearest_cinema_fk foreign key (territory_id, nearest_cinema_insee) references commune (territory_id, insee) deferrable initially deferred
    )`.execute(db);
  // Full-text search on names in French, accent- and case-insensitive ("lisle jourdain" finds L'Isle-Jourdain).
  await sql`create index commune_search_idx on commune using gin (search)`.execute(db);
  // The finder's filters and sorts.
  for (const column of ['population', 'dvf_house_median', 'min_auch', 'min_toulouse', 'min_bordeaux', 'min_airport', 'min_station', 'epci_siren']) {
    await sql.raw(`create index commune_${column}_idx on commune (territory_id, ${column})`).execute(db);
  }

  await sql`
    create table commune_boundary (
      territory_id integer not null,
      insee char(5) not null,
      geometry jsonb not null check (geometry ->> 'type' in ('Polygon', 'MultiPolygon')),
      primary key (territory_id, insee),
      foreign key (territory_id, insee) references commune (territory_id, insee) on delete cascade
    )`.execute(db);

  await sql`
    create table station (
      territory_id integer not null references territory (id) on delete cascade,
      uic text not null check (uic ~ '^[0-9]{8}$'),
      name text not null check (length(name) between 1 and 200),
      trigram text,
      segment text check (segment is null or segment ~ '^[ABC](;[ABC])*$'),
      lat double precision not null check (lat between -90 and 90),
      lon double precision not null check (lon between -180 and 180),
      insee char(5) not null check (insee ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'),
      in_territory boolean not null,
      passenger boolean not null,
      freight boolean,
      dataset_id integer not null references dataset (id),
      primary key (territory_id, uic)
    )`.execute(db);

  await sql`
    create table reference_point (
      territory_id integer not null references territory (id) on delete cascade,
      key text not null check (key ~ '^[a-z0-9-]+$'),
      name text not null,
      kind text not null check (kind in ('commune', 'gare', 'aeroport')),
      insee char(5) check (insee ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'),
      lat double precision not null check (lat between -90 and 90),
      lon double precision not null check (lon between -180 and 180),
      dataset_id integer not null references dataset (id),
      primary key (territory_id, key)
    )`.execute(db);

  // Prices elsewhere, to compare with: shipped ones come from a dataset, staff-entered ones carry their own source.
  await sql`
    create table price_reference (
      territory_id integer not null references territory (id) on delete cascade,
      insee char(5) not null check (insee ~ '^([0-9]{2}|2A|2B)[0-9]{3}$'),
      name text not null,
      house_median integer check (house_median > 0),
      house_sales integer check (house_sales >= 0),
      flat_median integer check (flat_median > 0),
      flat_sales integer check (flat_sales >= 0),
      dataset_id integer references dataset (id),
      source_note text check (source_note is null or length(source_note) between 3 and 500),
      source_url text,
      source_date date,
      -- Who typed it is in the audit log (a foreign key to user_account would let test resets and account
      -- deletions cascade into reference data).
      entered_at timestamptz,
      primary key (territory_id, insee),
      constraint price_reference_source_check check (dataset_id is not null or (source_note is not null and source_date is not null)),
      constraint price_reference_value_check check (house_median is not null or flat_median is not null)
    )`.execute(db);

  await sql`
    create table cinema (
      territory_id integer not null,
      cnc_id text not null check (cnc_id ~ '^[0-9]+$'),
      insee char(5) not null,
      name text not null,
      address text,
      screens integer not null check (screens > 0),
      seats integer check (seats >= 0),
      admissions_2022 integer check (admissions_2022 >= 0),
      admissions_2021 integer check (admissions_2021 >= 0),
      art_et_essai boolean not null default false,
      labels text,
      lat double precision not null,
      lon double precision not null,
      dataset_id integer not null references dataset (id),
      primary key (territory_id, cnc_id),
      foreign key (territory_id, insee) references commune (territory_id, insee)
    )`.execute(db);
  await sql`create index cinema_commune_idx on cinema (territory_id, insee)`.execute(db);

  await sql`
    create table festival (
      territory_id integer not null,
      festival_id text not null,
      insee char(5) not null,
      name text not null,
      discipline text,
      subcategory text,
      period text,
      founded_year integer check (founded_year between 1800 and 2100),
      website text,
      lat double precision,
      lon double precision,
      dataset_id integer not null references dataset (id),
      primary key (territory_id, festival_id),
      foreign key (territory_id, insee) references commune (territory_id, insee)
    )`.execute(db);
  await sql`create index festival_commune_idx on festival (territory_id, insee)`.execute(db);

  await sql`
    create table figure_override (
      id integer generated always as identity primary key,
      territory_id integer not null,
      insee char(5) not null,
      figure text not null check (figure in (
        'population', 'dvf_house_median', 'dvf_house_sales', 'dvf_flat_median', 'dvf_flat_sales',
        'gp_count', 'pharmacy_count', 'msp_count', 'emergency_count', 'hospital_count', 'maternity_count',
        'dentist_count', 'physio_count', 'nurse_count', 'creche_count', 'ehpad_count',
        'min_auch', 'min_toulouse', 'min_bordeaux', 'min_airport', 'min_station')),
      value integer not null check (value >= 0),
      imported_value integer,
      note text not null check (length(note) between 3 and 1000),
      author_id uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      constraint figure_override_commune_figure_unique unique (territory_id, insee, figure),
      foreign key (territory_id, insee) references commune (territory_id, insee) on delete cascade
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

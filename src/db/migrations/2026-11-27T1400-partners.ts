// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Partners of the newcomer journey (village welcome committees, chambers, CAE) and what they may see of a case.
// Design choices:
// - A partner is a `partner`-role account; `partner_profile` names its organisation and kind, and attaches it to
//   communes of the territory (`partner_commune`, checked against `commune`) and/or a theme. "At least one of
//   the two" spans two tables, so the service checks it.
// - `case_share` keeps the history: revoking stamps `revoked_at`, sharing again adds a row. At most one live share
//   per case and partner (partial unique index), so two staff clicking "share" at once make one share.
// - Visibility is not stored: a partner sees a case while the household consents (`newcomer_case.consent_share`)
//   and a live share exists; the service checks both at every read, so a withdrawn consent hides the case at once.
// - `case_partner_view` logs every opening by a partner, and every refused attempt on an existing case
//   (`refused`), for staff to see on the case page. Attempts on ids that do not exist go to the audit log only.
// - `case_share`, `case_partner_view` and `case_partner_note` hold personal data: anonymising a case deletes its
//   rows, and they go with the case if its row is ever deleted (on delete cascade).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table partner_profile (
      territory_id integer not null references territory (id) on delete cascade,
      user_id uuid not null references user_account (id) on delete cascade,
      organisation text not null check (length(organisation) between 1 and 160),
      kind text not null check (kind in ('welcome_committee', 'chamber', 'cae', 'other')),
      theme text check (theme in ('business', 'jobs', 'housing', 'schooling', 'other')),
      updated_at timestamptz not null,
      updated_by uuid references user_account (id) on delete set null,
      primary key (territory_id, user_id)
    )`.execute(db);

  await sql`
    create table partner_commune (
      territory_id integer not null,
      user_id uuid not null,
      insee char(5) not null,
      primary key (territory_id, user_id, insee),
      constraint partner_commune_profile_fk foreign key (territory_id, user_id) references partner_profile (territory_id, user_id) on delete cascade,
      constraint partner_commune_commune_fk foreign key (territory_id, insee) references commune (territory_id, insee)
    )`.execute(db);

  await sql`
    create table case_share (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      partner_id uuid not null references user_account (id) on delete cascade,
      shared_at timestamptz not null,
      shared_by uuid references user_account (id) on delete set null,
      revoked_at timestamptz,
      revoked_by uuid references user_account (id) on delete set null,
      constraint case_share_revoked_check check (revoked_by is null or revoked_at is not null),
      constraint case_share_order_check check (revoked_at is null or revoked_at >= shared_at)
    )`.execute(db);
  await sql`create unique index case_share_live_unique on case_share (case_id, partner_id) where revoked_at is null`.execute(db);
  // The partner's list: its live shares, newest first.
  await sql`create index case_share_partner_idx on case_share (territory_id, partner_id, shared_at desc) where revoked_at is null`.execute(db);
  await sql`create index case_share_case_idx on case_share (case_id, shared_at)`.execute(db);

  await sql`
    create table case_partner_view (
      id bigint generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      partner_id uuid not null references user_account (id) on delete cascade,
      at timestamptz not null,
      refused boolean not null default false
    )`.execute(db);
  await sql`create index case_partner_view_case_idx on case_partner_view (case_id, at desc)`.execute(db);

  await sql`
    create table case_partner_note (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      author_id uuid references user_account (id) on delete set null,
      body text not null check (length(body) between 1 and 4000),
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index case_partner_note_case_idx on case_partner_note (case_id, created_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

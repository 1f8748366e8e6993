// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Members (the solos' association): plans, applications, dues with gapless receipts, membership periods and
// renewal reminders. Design choices:
// - `member_plan` holds the current price; a payment copies the plan's id, name and the amount paid, so changing a
//   price never rewrites past dues. A plan is archived (no longer offered), never deleted while dues point at it.
// - `member` is one person's membership in a territory, for life: its `number` comes from a per-territory counter
//   and never changes. `state` is what staff decided (pending, approved, declined, struck off); the status shown
//   (en_attente, actif, expire_bientot, expire, radie) is computed from it and the periods, so nothing has to run
//   at midnight for a membership to expire. `card_token` is the unguessable part of the public verification link.
// - Counters (`member_counter`): one row per territory and name (`member`, `receipt:2026`), incremented with an
//   upsert inside the transaction that uses the number. The row stays locked until that transaction ends, so two
//   payments recorded at once get consecutive numbers, and a rolled-back payment gives its number back: receipts
//   are numbered without gaps per year.
// - `member_payment` is accounting: kept after the member's erasure with the payer's name replaced
//   (`payer_name`), its receipt number unique per territory and year. `online` payments leave room for a provider
//   and its reference.
// - `membership_period`: one per payment, the days it covers (inclusive); a member's validity is its latest period.
// - `member_reminder`: one row per period and offset (unique), inserted in the same transaction as the mail it
//   stands for: a reminder is sent at most once, whatever the number of rounds or restarts.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_plan (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      name text not null check (length(name) between 1 and 80),
      price_cents integer not null check (price_cents between 0 and 10000000),
      period text not null check (period in ('calendar_year', 'twelve_months')),
      needs_approval boolean not null,
      archived_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint member_plan_territory_name_unique unique (territory_id, name)
    )`.execute(db);

  await sql`
    create table member_counter (
      territory_id integer not null references territory (id) on delete cascade,
      name text not null check (name ~ '^[a-z]+(:[0-9]{4})?$'),
      last_value integer not null check (last_value > 0),
      primary key (territory_id, name)
    )`.execute(db);

  await sql`
    create table member_settings (
      territory_id integer primary key references territory (id) on delete cascade,
      reminder_offsets integer[] not null check (cardinality(reminder_offsets) between 1 and 6),
      updated_at timestamptz not null,
      updated_by uuid references user_account (id) on delete set null
    )`.execute(db);

  await sql`
    create table member (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null references territory (id) on delete cascade,
      number integer not null check (number > 0),
      user_id uuid references user_account (id) on delete set null,
      plan_id integer not null references member_plan (id),
      first_name text not null check (length(first_name) between 1 and 80),
      last_name text not null check (length(last_name) between 1 and 80),
      phone text check (phone is null or length(phone) between 4 and 30),
      activity text check (activity is null or length(activity) between 1 and 200),
      insee char(5),
      outside_territory boolean not null,
      newcomer_case_id uuid references newcomer_case (id) on delete set null,
      state text not null check (state in ('pending', 'approved', 'declined', 'struck_off')),
      decision_message text check (decision_message is null or length(decision_message) between 1 and 2000),
      decided_at timestamptz,
      decided_by uuid references user_account (id) on delete set null,
      struck_off_reason text check (struck_off_reason is null or length(struck_off_reason) between 1 and 2000),
      card_token text not null unique check (card_token ~ '^[A-Za-z0-9_-]{20,64}$'),
      renewal_requested_at timestamptz,
      accepted_statutes_at timestamptz not null,
      accepted_privacy_at timestamptz not null,
      anonymised_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint member_territory_number_unique unique (territory_id, number),
      constraint member_territory_user_unique unique (territory_id, user_id),
      constraint member_commune_fk foreign key (territory_id, insee) references commune (territory_id, insee),
      constraint member_commune_check check (outside_territory = (insee is null)),
      constraint member_struck_off_check check ((state = 'struck_off') = (struck_off_reason is not null)),
      constraint member_anonymised_check check (anonymised_at is null or (user_id is null and phone is null and activity is null))
    )`.execute(db);
  await sql`create index member_list_idx on member (territory_id, state, plan_id)`.execute(db);

  await sql`
    create table member_payment (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      member_id uuid not null references member (id),
      plan_id integer not null references member_plan (id),
      plan_name text not null,
      payer_name text not null check (length(payer_name) between 1 and 200),
      amount_cents integer not null check (amount_cents between 0 and 10000000),
      paid_on date not null,
      method text not null check (method in ('cheque', 'transfer', 'cash', 'card', 'online')),
      reference text check (reference is null or length(reference) between 1 and 120),
      provider text check (provider is null or length(provider) between 1 and 60),
      provider_reference text check (provider_reference is null or length(provider_reference) between 1 and 200),
      receipt_year integer not null check (receipt_year between 2000 and 2999),
      receipt_seq integer not null check (receipt_seq > 0),
      recorded_by uuid references user_account (id) on delete set null,
      recorded_at timestamptz not null,
      constraint member_payment_receipt_unique unique (territory_id, receipt_year, receipt_seq),
      constraint member_payment_online_check check ((method = 'online') = (provider is not null))
    )`.execute(db);
  await sql`create index member_payment_member_idx on member_payment (member_id, paid_on)`.execute(db);

  await sql`
    create table membership_period (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      member_id uuid not null references member (id) on delete cascade,
      payment_id integer not null unique references member_payment (id) on delete cascade,
      starts_on date not null,
      ends_on date not null,
      constraint membership_period_days_check check (ends_on >= starts_on)
    )`.execute(db);
  await sql`create index membership_period_member_idx on membership_period (member_id, ends_on desc)`.execute(db);

  await sql`
    create table member_reminder (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      member_id uuid not null references member (id) on delete cascade,
      period_id integer not null references membership_period (id) on delete cascade,
      offset_days integer not null check (offset_days between -365 and 365),
      sent_at timestamptz not null,
      constraint member_reminder_period_offset_unique unique (period_id, offset_days)
    )`.execute(db);
  await sql`create index member_reminder_member_idx on member_reminder (member_id, sent_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  for (const ext of ['btree_gist', 'citext', 'pg_trgm', 'unaccent']) {
    await sql.raw(`create extension if not exists ${ext}`).execute(db);
  }
  // unaccent() is only "stable"; an immutable wrapper lets indexes use it (French full-text search).
  await sql`
    create or replace function immutable_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select unaccent('unaccent'::regdictionary, $1) $$`.execute(db);

  await sql`
    create table territory (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9-]+$'),
      name text not null,
      programme_name text not null,
      settings jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table user_account (
      id uuid primary key default gen_random_uuid(),
      email citext not null unique check (email ~ '^[^@\\s]+@[^@\\s]+$'),
      password_hash text,
      display_name text not null check (length(display_name) between 1 and 120),
      locale text not null default 'fr' check (locale in ('fr', 'en')),
      email_verified_at timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table role_grant (
      territory_id integer not null references territory (id) on delete cascade,
      user_id uuid not null references user_account (id) on delete cascade,
      role text not null check (role in ('candidate', 'member', 'staff', 'space_manager', 'partner', 'admin')),
      granted_at timestamptz not null default now(),
      granted_by uuid references user_account (id) on delete set null,
      primary key (territory_id, user_id, role)
    )`.execute(db);

  await sql`
    create table session (
      token_hash text primary key,
      user_id uuid not null references user_account (id) on delete cascade,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      user_agent text
    )`.execute(db);
  await sql`create index session_user_id_idx on session (user_id)`.execute(db);

  await sql`
    create table email_token (
      token_hash text primary key,
      user_id uuid not null references user_account (id) on delete cascade,
      purpose text not null check (purpose in ('verify_email', 'reset_password')),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index email_token_user_id_idx on email_token (user_id, purpose)`.execute(db);

  await sql`
    create table invitation (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null references territory (id) on delete cascade,
      token_hash text not null unique,
      email citext not null,
      roles text[] not null check (cardinality(roles) > 0),
      invited_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references user_account (id) on delete set null
    )`.execute(db);

  await sql`
    create table audit_event (
      id bigint generated always as identity primary key,
      territory_id integer references territory (id) on delete cascade,
      actor_id uuid references user_account (id) on delete set null,
      action text not null check (action ~ '^[a-z_]+(\\.[a-z_]+)+$'),
      subject_type text,
      subject_id text,
      data jsonb not null default '{}'::jsonb,
      at timestamptz not null
    )`.execute(db);
  await sql`create index audit_event_territory_at_idx on audit_event (territory_id, at desc)`.execute(db);

  await sql`
    create table job (
      id bigint generated always as identity primary key,
      kind text not null,
      payload jsonb not null default '{}'::jsonb,
      state text not null default 'pending' check (state in ('pending', 'done', 'failed')),
      run_at timestamptz not null,
      attempts integer not null default 0,
      max_attempts integer not null default 10 check (max_attempts > 0),
      locked_by text,
      locked_until timestamptz,
      last_error text,
      dedupe_key text unique,
      created_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index job_pending_idx on job (run_at) where state = 'pending'`.execute(db);

  await sql`
    create table outbox_mail (
      id uuid primary key default gen_random_uuid(),
      territory_id integer references territory (id) on delete cascade,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      state text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed', 'held')),
      attempts integer not null default 0,
      last_error text,
      message_id text,
      created_at timestamptz not null,
      sent_at timestamptz
    )`.execute(db);
  await sql`create index outbox_mail_created_idx on outbox_mail (created_at desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

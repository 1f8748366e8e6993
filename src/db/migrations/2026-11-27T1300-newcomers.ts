// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// The newcomer journey, first slice: a household's case file, its applications, its stage history, staff notes,
// tasks, the household's checklist and the message thread. Design choices:
// - One `newcomer_case` per contact account and territory (unique): a second application adds to it.
// - The stage lives on the case; every change is also a dated row in `case_stage_event` (from, to, at, by, reason),
//   the creation included, so time spent in each stage is a window over that table.
// - The database refuses impossible states: a paused case remembers where it paused from, a settled case has its
//   commune and date, a dropped case has its reason; target and settled communes must exist in the territory.
// - Partners, offers, stays, buddies, documents and funder tags come later as their own tables pointing at the case.
import { type Kysely, sql } from 'kysely';

const STAGES = `'nouveau', 'qualifie', 'accompagne', 'sejour_decouverte', 'installation', 'installe', 'suivi', 'en_pause', 'abandon'`;
const ACTIVE = `'nouveau', 'qualifie', 'accompagne', 'sejour_decouverte', 'installation'`;
const NEEDS = `'housing_rent', 'housing_buy', 'temporary_housing', 'schooling', 'partner_job', 'coworking', 'childcare'`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_drop_reason (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      key text check (key ~ '^[a-z_]+$'),
      label text check (label is null or length(label) between 1 and 120),
      position integer not null default 0,
      archived_at timestamptz,
      created_at timestamptz not null,
      constraint case_drop_reason_named_check check (key is not null or label is not null),
      constraint case_drop_reason_territory_key_unique unique (territory_id, key)
    )`.execute(db);

  await sql.raw(`
    create table newcomer_case (
      id uuid primary key default gen_random_uuid(),
      number integer generated always as identity unique,
      territory_id integer not null references territory (id) on delete cascade,
      contact_user_id uuid not null references user_account (id),
      contact_name text not null check (length(contact_name) between 1 and 120),
      phone text check (phone is null or length(phone) between 4 and 30),
      current_place text not null check (length(current_place) between 1 and 200),
      timing text not null check (timing in ('within_6_months', 'months_6_12', 'over_12_months', 'undecided')),
      needs text[] not null default '{}' check (needs <@ array[${NEEDS}]::text[]),
      heard_from text check (heard_from in ('search', 'social', 'press', 'word_of_mouth', 'event', 'institution', 'other')),
      target_text text check (target_text is null or length(target_text) <= 500),
      project_text text check (project_text is null or length(project_text) <= 4000),
      consent_contact_at timestamptz not null,
      consent_share boolean not null default false,
      consent_share_at timestamptz,
      stage text not null default 'nouveau' check (stage in (${STAGES})),
      paused_from text check (paused_from in (${ACTIVE})),
      stage_changed_at timestamptz not null,
      adviser_id uuid references user_account (id) on delete set null,
      settled_insee char(5),
      settled_on date,
      drop_reason_id integer references case_drop_reason (id),
      drop_comment text check (drop_comment is null or length(drop_comment) <= 1000),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint newcomer_case_contact_unique unique (territory_id, contact_user_id),
      constraint newcomer_case_paused_check check ((stage = 'en_pause') = (paused_from is not null)),
      constraint newcomer_case_settled_check check (stage not in ('installe', 'suivi') or (settled_insee is not null and settled_on is not null)),
      constraint newcomer_case_dropped_check check ((stage = 'abandon') = (drop_reason_id is not null)),
      constraint newcomer_case_share_check check (not consent_share or consent_share_at is not null),
      constraint newcomer_case_settled_commune_fk foreign key (territory_id, settled_insee) references commune (territory_id, insee)
    )`).execute(db);
  // The staff list filters by stage and adviser, newest change first; the board groups by stage.
  await sql`create index newcomer_case_stage_idx on newcomer_case (territory_id, stage, stage_changed_at desc)`.execute(db);
  await sql`create index newcomer_case_adviser_idx on newcomer_case (territory_id, adviser_id, stage_changed_at desc)`.execute(db);

  await sql`
    create table case_adult (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      position smallint not null check (position between 1 and 4),
      first_name text check (first_name is null or length(first_name) between 1 and 80),
      project text not null check (project in ('telework', 'freelance', 'creation', 'takeover', 'job_search', 'other')),
      profession text check (profession is null or length(profession) between 1 and 120),
      sector text check (sector is null or length(sector) between 1 and 120),
      constraint case_adult_position_unique unique (case_id, position)
    )`.execute(db);
  await sql`create index case_adult_project_idx on case_adult (territory_id, project, case_id)`.execute(db);

  await sql`
    create table case_child (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      position smallint not null check (position between 1 and 6),
      age smallint not null check (age between 0 and 25),
      schooling text not null check (schooling in ('none', 'childcare', 'maternelle', 'elementaire', 'college', 'lycee', 'higher')),
      needs text check (needs is null or length(needs) between 1 and 300),
      constraint case_child_position_unique unique (case_id, position)
    )`.execute(db);
  await sql`create index case_child_case_idx on case_child (case_id)`.execute(db);

  await sql`
    create table case_commune (
      territory_id integer not null,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      insee char(5) not null,
      added_at timestamptz not null,
      primary key (case_id, insee),
      constraint case_commune_commune_fk foreign key (territory_id, insee) references commune (territory_id, insee)
    )`.execute(db);
  await sql`create index case_commune_insee_idx on case_commune (territory_id, insee, case_id)`.execute(db);

  await sql`
    create table case_application (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      submitted_at timestamptz not null,
      signed_in boolean not null,
      locale text not null check (locale in ('fr', 'en')),
      payload jsonb not null
    )`.execute(db);
  await sql`create index case_application_case_idx on case_application (case_id, submitted_at)`.execute(db);

  await sql.raw(`
    create table case_stage_event (
      id bigint generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      from_stage text check (from_stage in (${STAGES})),
      to_stage text not null check (to_stage in (${STAGES})),
      at timestamptz not null,
      by_user_id uuid references user_account (id) on delete set null,
      reason_id integer references case_drop_reason (id),
      comment text check (comment is null or length(comment) <= 1000),
      constraint case_stage_event_moved_check check (from_stage is distinct from to_stage)
    )`).execute(db);
  await sql`create index case_stage_event_case_idx on case_stage_event (case_id, at)`.execute(db);
  // Funnel figures later: entries into a stage per month.
  await sql`create index case_stage_event_stage_idx on case_stage_event (territory_id, to_stage, at)`.execute(db);

  await sql`
    create table case_note (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      author_id uuid references user_account (id) on delete set null,
      body text not null check (length(body) between 1 and 4000),
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index case_note_case_idx on case_note (case_id, created_at)`.execute(db);

  await sql`
    create table case_task (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      title text not null check (length(title) between 1 and 200),
      due_on date not null,
      assignee_id uuid not null references user_account (id),
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      done_at timestamptz,
      done_by uuid references user_account (id) on delete set null,
      constraint case_task_done_check check (done_by is null or done_at is not null)
    )`.execute(db);
  await sql`create index case_task_case_idx on case_task (case_id, due_on)`.execute(db);
  // "Overdue tasks" in the staff list: open tasks by due date.
  await sql`create index case_task_open_idx on case_task (territory_id, due_on, case_id) where done_at is null`.execute(db);

  await sql`
    create table case_checklist_item (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      key text check (key ~ '^[a-z_]+$'),
      label text check (label is null or length(label) between 1 and 200),
      position integer not null,
      done_at timestamptz,
      done_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      constraint case_checklist_item_named_check check (key is not null or label is not null),
      constraint case_checklist_item_key_unique unique (case_id, key)
    )`.execute(db);
  await sql`create index case_checklist_item_case_idx on case_checklist_item (case_id, position)`.execute(db);

  await sql`
    create table case_message (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      author_id uuid references user_account (id) on delete set null,
      from_staff boolean not null,
      body text not null check (length(body) between 1 and 4000),
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index case_message_case_idx on case_message (case_id, created_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Buddies (parrainage) and the follow-up check-ins after settling. Design choices:
// - `buddy`: a member account that offers to accompany newcomers, one row per account and territory. Its home
//   commune must exist in the territory; the project types it can talk about use the adults' list; it takes at most
//   `max_households` households at once. Stepping back sets `withdrawn_at` (the row stays, so the pairings it
//   already has keep their history and staff see who stepped back).
// - `case_buddy`: a pairing between a case and a buddy, confirmed by staff, ended later. At most one active pairing
//   per case (unique partial index). The capacity is checked under a lock on the buddy row, which the database
//   cannot express as a constraint.
// - `case_followup`: the check-ins at 1, 6 and 12 months after the settled date, unique per case and month offset so
//   settling again reschedules instead of duplicating. An answer is all or nothing (check constraint); the comment is
//   the only free text. The daily round reads unsent, unanswered check-ins by due date (partial index).
// - Personal rows for a case's anonymisation: `case_buddy` (deleted) and `case_followup.comment` (blanked).
import { type Kysely, sql } from 'kysely';

const PROJECTS = `'telework', 'freelance', 'creation', 'takeover', 'job_search', 'other'`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create table buddy (
      territory_id integer not null references territory (id) on delete cascade,
      user_id uuid not null references user_account (id) on delete cascade,
      home_insee char(5) not null,
      projects text[] not null default '{}' check (projects <@ array[${PROJECTS}]::text[]),
      presentation text check (presentation is null or length(presentation) between 1 and 600),
      max_households smallint not null check (max_households between 1 and 5),
      opted_in_at timestamptz not null,
      marked_by uuid references user_account (id) on delete set null,
      updated_at timestamptz not null,
      withdrawn_at timestamptz,
      primary key (territory_id, user_id),
      constraint buddy_home_commune_fk foreign key (territory_id, home_insee) references commune (territory_id, insee)
    )`).execute(db);
  // Suggestions read the territory's available buddies.
  await sql`create index buddy_available_idx on buddy (territory_id) where withdrawn_at is null`.execute(db);

  await sql`
    create table case_buddy (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      buddy_user_id uuid not null references user_account (id) on delete cascade,
      confirmed_at timestamptz not null,
      confirmed_by uuid references user_account (id) on delete set null,
      ended_at timestamptz,
      ended_by uuid references user_account (id) on delete set null,
      constraint case_buddy_ended_check check (ended_by is null or ended_at is not null),
      constraint case_buddy_order_check check (ended_at is null or ended_at >= confirmed_at)
    )`.execute(db);
  await sql`create unique index case_buddy_active_unique on case_buddy (case_id) where ended_at is null`.execute(db);
  // A buddy's current households (capacity, the /parrainage page).
  await sql`create index case_buddy_buddy_idx on case_buddy (territory_id, buddy_user_id) where ended_at is null`.execute(db);
  await sql`create index case_buddy_case_idx on case_buddy (case_id, confirmed_at)`.execute(db);

  await sql`
    create table case_followup (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      month_offset smallint not null check (month_offset in (1, 6, 12)),
      due_on date not null,
      sent_at timestamptz,
      answered_at timestamptz,
      answered_by uuid references user_account (id) on delete set null,
      channel text check (channel in ('household', 'phone')),
      still_living text check (still_living in ('yes', 'moved_within', 'left')),
      satisfaction smallint check (satisfaction between 1 and 5),
      housing_settled boolean,
      work_situation text check (work_situation in ('as_planned', 'under_way', 'looking', 'changed', 'other')),
      comment text check (comment is null or length(comment) between 1 and 2000),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint case_followup_offset_unique unique (case_id, month_offset),
      constraint case_followup_answer_check check (
        (answered_at is null and channel is null and still_living is null and satisfaction is null and housing_settled is null and work_situation is null and comment is null)
        or (answered_at is not null and channel is not null and still_living is not null and satisfaction is not null and housing_settled is not null and work_situation is not null)
      )
    )`.execute(db);
  await sql`create index case_followup_due_idx on case_followup (territory_id, due_on) where sent_at is null and answered_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

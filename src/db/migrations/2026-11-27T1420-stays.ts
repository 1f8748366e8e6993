// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Discovery stays (séjours découverte): a dated programme households apply to from their case. Design choices:
// - `discovery_stay` holds the dates, the seats (counted in households, not persons), the application deadline and
//   a status (draft, open, closed). The database refuses an end before the start and a deadline after the start.
//   The row is what concurrent selections lock (`for update`) before counting the selected households, so a stay is
//   never overbooked; the count is not stored, it is read from the applications under that lock.
// - `stay_programme_item`: the days of the programme (date, time, kind, title, place), each in a commune of the
//   territory (foreign key to `commune`). Whether the day falls within the stay's dates is checked by the service.
// - `stay_application`: one per case and stay (unique), with the status staff decide (applied, selected, waiting,
//   declined) or the household's withdrawal, the number of persons coming and the household's optional message
//   (personal: the row is deleted with its case and must be deleted when a case is anonymised). Attendance exists
//   only for a selected household. Territory ids are repeated on every row and tied to the stay's by a composite key.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table discovery_stay (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      title text not null check (length(title) between 1 and 160),
      summary text check (summary is null or length(summary) between 1 and 2000),
      starts_on date not null,
      ends_on date not null,
      apply_by date not null,
      seats smallint not null check (seats between 1 and 200),
      status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint discovery_stay_dates_check check (ends_on >= starts_on),
      constraint discovery_stay_deadline_check check (apply_by <= starts_on),
      constraint discovery_stay_territory_id_unique unique (territory_id, id)
    )`.execute(db);
  // Staff list (newest first) and the households' list of open stays to come.
  await sql`create index discovery_stay_territory_idx on discovery_stay (territory_id, starts_on desc)`.execute(db);
  await sql`create index discovery_stay_open_idx on discovery_stay (territory_id, apply_by) where status = 'open'`.execute(db);

  await sql`
    create table stay_programme_item (
      id integer generated always as identity primary key,
      territory_id integer not null,
      stay_id integer not null,
      day date not null,
      starts_at time not null,
      kind text not null check (kind in ('visit', 'meeting', 'meal', 'workshop', 'other')),
      title text not null check (length(title) between 1 and 160),
      place text check (place is null or length(place) between 1 and 160),
      insee char(5) not null,
      created_at timestamptz not null,
      constraint stay_programme_item_stay_fk foreign key (territory_id, stay_id) references discovery_stay (territory_id, id) on delete cascade,
      constraint stay_programme_item_commune_fk foreign key (territory_id, insee) references commune (territory_id, insee)
    )`.execute(db);
  await sql`create index stay_programme_item_stay_idx on stay_programme_item (stay_id, day, starts_at)`.execute(db);

  await sql`
    create table stay_application (
      id integer generated always as identity primary key,
      territory_id integer not null,
      stay_id integer not null,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      status text not null default 'applied' check (status in ('applied', 'selected', 'waiting', 'declined', 'withdrawn')),
      people smallint not null check (people between 1 and 12),
      message text check (message is null or length(message) between 1 and 1000),
      applied_at timestamptz not null,
      applied_by uuid references user_account (id) on delete set null,
      decided_at timestamptz,
      decided_by uuid references user_account (id) on delete set null,
      attended boolean,
      attendance_at timestamptz,
      attendance_by uuid references user_account (id) on delete set null,
      constraint stay_application_stay_fk foreign key (territory_id, stay_id) references discovery_stay (territory_id, id) on delete cascade,
      constraint stay_application_stay_case_unique unique (stay_id, case_id),
      constraint stay_application_decided_check check (status in ('applied', 'withdrawn') or decided_at is not null),
      constraint stay_application_attended_check check (attended is null or (status = 'selected' and attendance_at is not null))
    )`.execute(db);
  // Seats taken and the waiting list's order, per stay; a case's applications on its pages.
  await sql`create index stay_application_stay_status_idx on stay_application (stay_id, status, decided_at)`.execute(db);
  await sql`create index stay_application_case_idx on stay_application (case_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

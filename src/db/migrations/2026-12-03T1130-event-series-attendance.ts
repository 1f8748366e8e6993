// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Recurring series and attendance at the door (events domain). Design choices:
// - `event_series`: an RFC 5545 rule (RRULE) read against a Paris wall-clock start (`first_local`, e.g.
//   2027-01-07T18:30), so every occurrence keeps its local time across daylight-saving changes. Occurrences are
//   materialised as ordinary `event` rows up to `horizon_at` (a bounded horizon: an endless rule never makes
//   endless rows); a daily job and every edit push the horizon forward. `ended_after` records the last occurrence
//   of a finite rule once reached.
// - `event.series_id` + `event.occurrence_key` (the occurrence's wall-clock start as the rule gave it, its
//   RECURRENCE-ID): unique per series, so extending the horizon never makes an occurrence twice, and an occurrence
//   that was moved or cancelled keeps its key and is never made again.
// - Attendance lives on the registration: `attendance` (present, absent, walk_in), who recorded it and when. A
//   walk-in is a registration of status `walk_in` (it holds no seat, so capacity is never overrun by the door);
//   its e-mail address is optional, hence the relaxed NOT NULL with a CHECK that keeps every other status as it was.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table event_series (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      rrule text not null check (length(rrule) between 6 and 500),
      first_local text not null check (first_local ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$'),
      duration_minutes integer not null check (duration_minutes between 1 and 527040),
      all_day boolean not null default false,
      horizon_at timestamptz not null,
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);

  await sql`alter table event add column series_id integer references event_series (id) on delete set null`.execute(db);
  await sql`alter table event add column occurrence_key text check (occurrence_key is null or occurrence_key ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$')`.execute(db);
  await sql`alter table event add constraint event_series_key_check check (series_id is null or occurrence_key is not null)`.execute(db);
  await sql`create unique index event_series_occurrence_unique on event (series_id, occurrence_key) where series_id is not null`.execute(db);

  await sql`alter table event_registration drop constraint event_registration_status_check`.execute(db);
  await sql`alter table event_registration add constraint event_registration_status_check check (status in ('pending', 'confirmed', 'waiting', 'offered', 'cancelled', 'lapsed', 'walk_in'))`.execute(db);
  await sql`alter table event_registration alter column email drop not null`.execute(db);
  await sql`alter table event_registration add constraint event_registration_email_present_check check (email is not null or status = 'walk_in')`.execute(db);
  await sql`alter table event_registration add column attendance text check (attendance in ('present', 'absent', 'walk_in'))`.execute(db);
  await sql`alter table event_registration add column attendance_at timestamptz`.execute(db);
  await sql`alter table event_registration add column attendance_by uuid references user_account (id) on delete set null`.execute(db);
  await sql`alter table event_registration add constraint event_registration_walk_in_check check ((status = 'walk_in') = (attendance is not distinct from 'walk_in'))`.execute(db);
  await sql`alter table event_registration add constraint event_registration_attendance_at_check check ((attendance is null) = (attendance_at is null))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

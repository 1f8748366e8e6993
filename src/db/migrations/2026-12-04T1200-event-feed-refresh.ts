// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Imported .ics feeds are fetched again on their own (events domain, imports room): `refresh_hours` is how often,
// per feed (6 hours unless the team chose otherwise; 0 = only when the team clicks "import now").
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table event_import_source
      add column refresh_hours integer not null default 6,
      add constraint event_import_source_refresh_hours_check check (refresh_hours between 0 and 168)`.execute(db);
}

// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Notes on a member's record, read by the team on the member's staff page and never shown to members.
// - `member_note`: who wrote it, when, its text, and where it came from (`source`: `appointment` when an adviser's
//   note of a creator-support appointment was attached by the bookings domain). Deleted with the member's data.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_note (
      id integer generated always as identity primary key,
      territory_id integer not null references territory (id) on delete cascade,
      member_id uuid not null references member (id) on delete cascade,
      author_id uuid references user_account (id) on delete set null,
      source text not null check (source in ('staff', 'appointment')),
      body text not null check (length(body) between 1 and 5000),
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index member_note_member_idx on member_note (member_id, created_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

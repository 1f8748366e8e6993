// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// The team's tools on members (issue 9, staff tools):
// - `member_mail_optout`: a member who followed the unsubscribe link of a group mail no longer receives the
//   team's non-essential group mails (essential ones, about dues or the statutes, still go). One row per member
//   while it holds; re-subscribing deletes it. Gone with the member.
// - `outbox_mail.list_unsubscribe`: the one-click unsubscribe address sent as `List-Unsubscribe` (RFC 8058)
//   with the mail; only non-essential group mails carry one.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_mail_optout (
      member_id uuid primary key references member (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      opted_out_at timestamptz not null
    )`.execute(db);
  await sql`create index member_mail_optout_territory_idx on member_mail_optout (territory_id)`.execute(db);
  await sql`alter table outbox_mail add column list_unsubscribe text check (list_unsubscribe is null or (length(list_unsubscribe) <= 500 and list_unsubscribe ~ '^https?://'))`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

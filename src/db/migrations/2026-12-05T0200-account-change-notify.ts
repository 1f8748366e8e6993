// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Signed-in requests resolve their session from memory (decision 0033). What that lookup reads (the session, its
// account, the account's role grants) announces every committed change on the `account_changed` channel, whoever
// wrote it (a page, a job, a script, another process), so each process drops what it kept of that account:
// - row triggers on `session`, `user_account` and `role_grant`: the account's id as payload (PostgreSQL sends a
//   notification only at commit, and only once per transaction for the same payload; a rolled-back change sends none);
// - statement triggers after a truncate of any of them: an empty payload, which means "everything".
import { type Kysely, sql } from 'kysely';

const TABLES: [string, string][] = [
  ['session', 'user_id'],
  ['user_account', 'id'],
  ['role_grant', 'user_id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function account_changed() returns trigger language plpgsql as $$
    begin
      if TG_LEVEL = 'STATEMENT' then
        perform pg_notify('account_changed', '');
      elsif TG_OP = 'DELETE' then
        perform pg_notify('account_changed', (to_jsonb(old) ->> TG_ARGV[0]));
      else
        perform pg_notify('account_changed', (to_jsonb(new) ->> TG_ARGV[0]));
        if TG_OP = 'UPDATE' and (to_jsonb(old) ->> TG_ARGV[0]) is distinct from (to_jsonb(new) ->> TG_ARGV[0]) then
          perform pg_notify('account_changed', (to_jsonb(old) ->> TG_ARGV[0]));
        end if;
      end if;
      return null;
    end $$`.execute(db);
  for (const [table, column] of TABLES) {
    await sql`
      create trigger ${sql.raw(`${table}_account_changed`)} after insert or update or delete on ${sql.table(table)}
      for each row execute function account_changed(${sql.lit(column)})`.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_account_truncated`)} after truncate on ${sql.table(table)}
      for each statement execute function account_changed(${sql.lit(column)})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table] of TABLES) {
    await sql`drop trigger ${sql.raw(`${table}_account_truncated`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger ${sql.raw(`${table}_account_changed`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function account_changed()`.execute(db);
}

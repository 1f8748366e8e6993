// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// The version of what the team's case list and board show, per territory (decision 0031). Every committed change to
// a row those pages read moves it, whatever wrote the row (a page, a job, a script, another process), so a body
// rendered at one version can be reused for as long as the version holds.
// - `newcomer_list_version`: one row per territory; `version` takes a fresh value of a sequence at each change
//   (never reused, even after the table is emptied).
// - Deferred constraint triggers on the tables read: the cases and their adults, children, villages, tasks and funder
//   tags; the funder tags, the team's role grants; the communes and EPCIs (names and filter choices); accounts'
//   names, addresses and disabling (advisers, the staff filter, the search by address: every territory). They run at
//   commit, once per transaction and territory, so the version moves with the data in the same transaction and the
//   version row is locked only for the commit's last instant (no lock taken midway, no deadlock with the case locks).
import { type Kysely, sql } from 'kysely';

const TABLES = ['newcomer_case', 'case_adult', 'case_child', 'case_commune', 'case_task', 'case_funder_tag', 'funder_tag', 'role_grant', 'commune', 'epci'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence newcomer_list_version_seq`.execute(db);
  await sql`
    create table newcomer_list_version (
      territory_id integer primary key references territory (id) on delete cascade,
      version bigint not null
    )`.execute(db);
  await sql`
    create function newcomer_list_changed() returns trigger language plpgsql as $$
    declare
      tid integer;
      mark text;
      done text := coalesce(current_setting('newcomers.list_changed', true), '');
    begin
      if TG_TABLE_NAME = 'user_account' then
        mark := '*';
      elsif TG_OP = 'DELETE' then
        tid := old.territory_id;
        mark := tid::text;
      else
        tid := new.territory_id;
        mark := tid::text;
      end if;
      if position(',' || mark || ',' in done) > 0 or position(',*,' in done) > 0 then
        return null;
      end if;
      perform set_config('newcomers.list_changed', coalesce(nullif(done, ''), ',') || mark || ',', true);
      if tid is null then
        insert into newcomer_list_version (territory_id, version)
          select id, nextval('newcomer_list_version_seq') from territory
          on conflict (territory_id) do update set version = excluded.version;
      else
        insert into newcomer_list_version (territory_id, version) values (tid, nextval('newcomer_list_version_seq'))
          on conflict (territory_id) do update set version = excluded.version;
      end if;
      return null;
    end $$`.execute(db);
  for (const table of TABLES) {
    await sql`
      create constraint trigger ${sql.raw(`${table}_list_changed`)} after insert or update or delete on ${sql.table(table)}
      deferrable initially deferred for each row execute function newcomer_list_changed()`.execute(db);
  }
  await sql`
    create constraint trigger user_account_list_changed after update of display_name, email, disabled_at or delete on user_account
    deferrable initially deferred for each row
    execute function newcomer_list_changed()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

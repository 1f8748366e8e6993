// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// The version of what the team's case page shows (decision 0032), in two parts, so the page's body can be rendered
// once and reused for as long as both hold. Every committed change to a row the page reads moves one of them,
// whatever wrote the row (a page, a job, a script, another process):
// - `case_page_version`: one row per case, moved by changes to that case's own rows (the case, its people,
//   villages, applications, stages, notes, tasks, checklist, messages, funder tags, shares, partners' views and
//   notes, pairings, follow-ups, documents, offer interests, stay applications and their registrations). No foreign
//   key: its check would take a share lock on the case row at commit, behind a transaction holding that row and
//   waiting for ours; a deleted case's row goes with the case's own trigger.
// - `case_page_territory_version`: one row per territory, moved by what every case page of the territory reads: the
//   team and the partners (role grants, accounts' names, addresses and disabling: every territory), drop reasons,
//   funder tags, communes, partners' profiles, buddies and pairings (the suggestions count every buddy's households),
//   members' openness to be a buddy, offers, discovery stays and their events (the programme is not on it).
// `version` takes a fresh value of a sequence at each change (never reused). The triggers are deferred constraint
// triggers: they run at commit, once per transaction and case or territory. Before writing any version row, every
// version trigger (the list's of decision 0031 too, redefined here) takes one transaction-level advisory lock, so the
// version rows of a commit are always locked after it and two commits cannot wait on each other's version rows.
import { type Kysely, sql } from 'kysely';

/** Tables holding a case's own rows (`case_id`; the case itself by `id`). */
const CASE_TABLES = [
  'case_adult', 'case_child', 'case_commune', 'case_application', 'case_stage_event', 'case_note', 'case_task', 'case_checklist_item', 'case_message',
  'case_funder_tag', 'case_share', 'case_partner_view', 'case_partner_note', 'case_followup', 'case_document', 'offer_interest', 'stay_application',
];
/** Tables every case page of the territory reads. */
const TERRITORY_TABLES = ['case_drop_reason', 'funder_tag', 'commune', 'partner_profile', 'partner_commune', 'buddy', 'offer', 'discovery_stay'];

/** The key of the advisory lock every version trigger takes before its first write (any number, the same everywhere). */
const VERSION_LOCK = 3_200_320;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence case_page_version_seq`.execute(db);
  await sql`create table case_page_version (case_id uuid primary key, version bigint not null)`.execute(db);
  await sql`
    create table case_page_territory_version (
      territory_id integer primary key references territory (id) on delete cascade,
      version bigint not null
    )`.execute(db);

  // TG_ARGV[0] says what the changed row moves: 'case' (its case_id), 'case_row' (newcomer_case itself), 'pairing'
  // (its case and the territory), 'territory', 'everywhere' (accounts), 'role' (the team's and partners' grants only),
  // 'stay_event' (an event only when it is a discovery stay's), 'registration' (the case of the stay application
  // behind it, if any).
  await sql`
    create function case_page_changed() returns trigger language plpgsql as $$
    declare
      scope text := TG_ARGV[0];
      rec record;
      marks text[] := '{}';
      mark text;
      done text := coalesce(current_setting('newcomers.case_page_changed', true), '');
      locked boolean := false;
    begin
      if TG_OP = 'DELETE' then rec := old; else rec := new; end if;
      if scope = 'case' then
        marks := array['c' || rec.case_id::text];
      elsif scope = 'case_row' then
        if TG_OP = 'DELETE' then
          delete from case_page_version where case_id = old.id;
          return null;
        end if;
        marks := array['c' || rec.id::text];
      elsif scope = 'pairing' then
        marks := array['t' || rec.territory_id::text, 'c' || rec.case_id::text];
      elsif scope = 'territory' then
        marks := array['t' || rec.territory_id::text];
      elsif scope = 'everywhere' then
        marks := array['*'];
      elsif scope = 'role' then
        if rec.role::text in ('staff', 'admin', 'partner') or (TG_OP = 'UPDATE' and old.role::text in ('staff', 'admin', 'partner')) then
          marks := array['t' || rec.territory_id::text];
        end if;
      elsif scope = 'stay_event' then
        if exists (select 1 from discovery_stay s where s.event_id = rec.id) then
          marks := array['t' || rec.territory_id::text];
        end if;
      elsif scope = 'registration' then
        select coalesce(array_agg('c' || a.case_id::text), '{}') into marks from stay_application a where a.registration_id = rec.id;
      end if;
      foreach mark in array marks loop
        if position(',' || mark || ',' in done) > 0 or (mark like 't%' and position(',*,' in done) > 0) then
          continue;
        end if;
        done := coalesce(nullif(done, ''), ',') || mark || ',';
        perform set_config('newcomers.case_page_changed', done, true);
        if not locked then
          perform pg_advisory_xact_lock(${sql.lit(VERSION_LOCK)});
          locked := true;
        end if;
        if mark = '*' then
          insert into case_page_territory_version (territory_id, version)
            select id, nextval('case_page_version_seq') from territory
            on conflict (territory_id) do update set version = excluded.version;
        elsif mark like 't%' then
          insert into case_page_territory_version (territory_id, version) values (substr(mark, 2)::integer, nextval('case_page_version_seq'))
            on conflict (territory_id) do update set version = excluded.version;
        else
          insert into case_page_version (case_id, version)
            select c.id, nextval('case_page_version_seq') from newcomer_case c where c.id = substr(mark, 2)::uuid
            on conflict (case_id) do update set version = excluded.version;
        end if;
      end loop;
      return null;
    end $$`.execute(db);

  const trigger = (table: string, scope: string, events = 'insert or update or delete') =>
    sql`
      create constraint trigger ${sql.raw(`${table}_case_page_changed`)} after ${sql.raw(events)} on ${sql.table(table)}
      deferrable initially deferred for each row execute function case_page_changed(${sql.lit(scope)})`.execute(db);
  await trigger('newcomer_case', 'case_row');
  for (const table of CASE_TABLES) await trigger(table, 'case');
  await trigger('case_buddy', 'pairing');
  for (const table of TERRITORY_TABLES) await trigger(table, 'territory');
  await trigger('role_grant', 'role');
  await trigger('user_account', 'everywhere', 'update of display_name, email, disabled_at or delete');
  // Members' openness to be a buddy (members domain): whether the account holds a membership, and its profile's word.
  await trigger('member', 'territory', 'insert or delete or update of user_id, territory_id');
  await trigger('member_profile', 'territory', 'insert or delete or update of buddy_open, member_id');
  await trigger('event', 'stay_event');
  await trigger('event_registration', 'registration');

  // The list's version (decision 0031) takes the same advisory lock first, so the two kinds of version rows are
  // always locked in one order: the lock, then the rows.
  await sql`
    create or replace function newcomer_list_changed() returns trigger language plpgsql as $$
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
      perform pg_advisory_xact_lock(${sql.lit(VERSION_LOCK)});
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
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

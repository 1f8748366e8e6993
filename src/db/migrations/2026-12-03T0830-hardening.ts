// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Demo content is marked as such, so it can never pass for real content on a real deployment:
// - `user_account.demo`: the demo accounts (one per role, public password) and the accounts of the demo households.
//   A server started without demo mode disables them and refuses their sessions; `npm run demo:remove` deletes them.
// - `newcomer_case.demo`, `discovery_stay.demo`, `offer.demo`: the demo households, stays and example offers, which
//   `npm run demo:remove` deletes (their notes, tasks, applications and interests go with them by cascade).
// - `user_account.territory_id`: the territory whose site opened the account (sign-up, application, invitation,
//   command line). With the role grants it decides which administrators see and manage the account: those of a
//   territory where it holds a role, or of the one that opened it. Existing accounts get the territory of their
//   oldest role, else the first territory.
// - `pending_application`: an application sent with the address of an existing account by someone not signed in as
//   it waits here (nothing added to that person's case, no role given) until the address's owner confirms it from the
//   mailed link. Its token is stored hashed, like every mailed token; unconfirmed ones go after their expiry.
// Existing databases: the demo accounts are recognised by their reserved domain; demo cases, stays and offers
// loaded before this migration by their reserved addresses (the demo household's account, the generated households'
// `<name>.<n>@exemple.fr`), the stays by their demo author, the offers by the example sentence each carries.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table user_account add column demo boolean not null default false`.execute(db);
  await sql`alter table newcomer_case add column demo boolean not null default false`.execute(db);
  await sql`alter table discovery_stay add column demo boolean not null default false`.execute(db);
  await sql`alter table offer add column demo boolean not null default false`.execute(db);
  await sql`alter table user_account add column territory_id integer references territory (id) on delete set null`.execute(db);
  await sql`
    update user_account u set territory_id = coalesce(
      (select g.territory_id from role_grant g where g.user_id = u.id order by g.granted_at, g.territory_id limit 1),
      (select min(id) from territory))`.execute(db);
  await sql`create index user_account_territory_idx on user_account (territory_id)`.execute(db);
  await sql`
    create table pending_application (
      token_hash text primary key,
      territory_id integer not null references territory (id) on delete cascade,
      user_id uuid not null references user_account (id) on delete cascade,
      locale text not null check (locale in ('fr', 'en')),
      payload jsonb not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      confirmed_at timestamptz
    )`.execute(db);
  await sql`create index pending_application_expires_idx on pending_application (expires_at)`.execute(db);
  await sql`update user_account set demo = true where email like '%@demo.soho-solo.fr'`.execute(db);
  await sql`update user_account set demo = true where email ~ '^[a-z]+[.][0-9]+@exemple[.]fr$' and password_hash is null`.execute(db);
  await sql`update newcomer_case set demo = true where contact_user_id in (select id from user_account where demo)`.execute(db);
  await sql`update discovery_stay set demo = true where created_by in (select id from user_account where demo)`.execute(db);
  await sql`update offer set demo = true where description like '%Offre d’exemple, chargée avec les comptes de démonstration.%'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table pending_application`.execute(db);
  await sql`alter table user_account drop column territory_id`.execute(db);
  for (const table of ['offer', 'discovery_stay', 'newcomer_case', 'user_account']) await sql`alter table ${sql.table(table)} drop column demo`.execute(db);
}

// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A mail taken for sending holds it until this time: a delivery that died mid-conversation (a crash, a kill)
  // lets it lapse, and the next run sends it again with the same Message-ID. Rows already "sending" have none:
  // they count as lapsed.
  await sql`alter table outbox_mail add column sending_until timestamptz`.execute(db);
  // How many times a lapsed delivery was taken over: staff see which mails may have reached their recipient twice.
  await sql`alter table outbox_mail add column lease_retries integer not null default 0`.execute(db);
  await sql`alter table outbox_mail add constraint outbox_mail_lease_retries_check check (lease_retries >= 0)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

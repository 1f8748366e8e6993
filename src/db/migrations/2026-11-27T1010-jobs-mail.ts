// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Every outbox mail belongs to the territory whose admins read it.
  await sql`update outbox_mail set territory_id = (select min(id) from territory) where territory_id is null`.execute(db);
  await sql`alter table outbox_mail alter column territory_id set not null`.execute(db);

  // When the last SMTP conversation began: a mail "sending" for much longer than a delivery can take was
  // interrupted by a crash, and an admin may send it again.
  await sql`alter table outbox_mail add column last_attempt_at timestamptz`.execute(db);

  await sql`
    alter table outbox_mail
      add constraint outbox_mail_sent_at_check check (state <> 'sent' or sent_at is not null),
      add constraint outbox_mail_attempts_check check (attempts >= 0)`.execute(db);
  await sql`create index outbox_mail_territory_state_idx on outbox_mail (territory_id, state, created_at desc)`.execute(db);

  await sql`
    alter table job
      add constraint job_attempts_check check (attempts >= 0),
      add constraint job_lock_check check ((locked_by is null) = (locked_until is null))`.execute(db);
  // The daily purge finds finished jobs by age.
  await sql`create index job_finished_idx on job (finished_at) where state <> 'pending'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

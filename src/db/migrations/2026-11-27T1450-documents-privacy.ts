// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Case documents, deletion requests and anonymised cases. Design choices:
// - A document's bytes live on disk under the data folder, named by the row's uuid (never by the name the household
//   gave); the row keeps the sanitised original name, the type found in the content, the size and the SHA-256.
//   Whether it came from staff or from the household is a column, so the household's page and the export can say so.
// - Deleting a case at the household's request keeps the `newcomer_case` row for the programme's figures: it gets
//   `anonymised_at`, loses its contact account (`contact_user_id` becomes null) and every personal column. The
//   database refuses an anonymised case that still holds a contact, a phone, a place or a free text, and a live case
//   without contact or current place.
// - `deletion_requested_at` is the date the household asked; the legal deadline (one month) is computed from it.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table newcomer_case alter column contact_user_id drop not null`.execute(db);
  await sql`alter table newcomer_case alter column current_place drop not null`.execute(db);
  await sql`alter table newcomer_case add column deletion_requested_at timestamptz`.execute(db);
  await sql`alter table newcomer_case add column anonymised_at timestamptz`.execute(db);
  await sql`
    alter table newcomer_case add constraint newcomer_case_contact_check
      check ((anonymised_at is null) = (contact_user_id is not null and current_place is not null))`.execute(db);
  await sql`
    alter table newcomer_case add constraint newcomer_case_anonymised_check
      check (anonymised_at is null or (phone is null and target_text is null and project_text is null and drop_comment is null
        and adviser_id is null and not consent_share and consent_share_at is null and needs = '{}'))`.execute(db);
  // The retention page and the daily job look for cases still holding personal data; the list of requests is short.
  await sql`create index newcomer_case_live_idx on newcomer_case (territory_id, stage_changed_at) where anonymised_at is null`.execute(db);
  await sql`create index newcomer_case_deletion_idx on newcomer_case (territory_id, deletion_requested_at) where deletion_requested_at is not null and anonymised_at is null`.execute(db);

  await sql`
    create table case_document (
      id uuid primary key,
      territory_id integer not null references territory (id) on delete cascade,
      case_id uuid not null references newcomer_case (id) on delete cascade,
      original_name text not null check (length(original_name) between 1 and 200),
      content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
      size_bytes integer not null check (size_bytes > 0),
      sha256 char(64) not null check (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by uuid references user_account (id) on delete set null,
      from_staff boolean not null,
      uploaded_at timestamptz not null
    )`.execute(db);
  await sql`create index case_document_case_idx on case_document (case_id, uploaded_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

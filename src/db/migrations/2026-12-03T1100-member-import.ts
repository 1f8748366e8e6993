// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Importing the existing member list (issue 9, staff tools). Design choices:
// - `member_import`: the file a staff member uploaded, kept between the dry run and the apply, so the apply reads
//   what the dry run showed and never a re-posted copy. It holds the parsed table (`headers`, `rows`: text cells),
//   the file's SHA-256, the tool it came from, the column mapping once chosen, and the payment method of dues whose line names none. Personal data: the rows are
//   emptied when the import is applied, and drafts older than a day are deleted at the next upload.
// - `member_payment.import_reference`: a payment created by an import carries a reference computed from the line
//   (the person's e-mail, the day paid, the amount); unique per territory, so the same line imported twice can never
//   record the same dues twice, even from two uploads of one file applied at the same moment.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_import (
      id uuid primary key default gen_random_uuid(),
      territory_id integer not null references territory (id) on delete cascade,
      uploaded_by uuid not null references user_account (id) on delete cascade,
      file_name text not null check (length(file_name) between 1 and 200),
      file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
      source text not null check (source in ('helloasso', 'paheko', 'galette', 'other')),
      headers jsonb not null,
      rows jsonb not null,
      line_count integer not null check (line_count >= 0),
      mapping jsonb,
      default_method text not null check (default_method in ('cheque', 'transfer', 'cash', 'card', 'online')),
      applied_at timestamptz,
      applied_by uuid references user_account (id) on delete set null,
      summary jsonb,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index member_import_territory_idx on member_import (territory_id, created_at)`.execute(db);

  await sql`alter table member_payment add column import_reference text check (import_reference is null or import_reference ~ '^imp-[0-9a-f]{32}$')`.execute(db);
  await sql`create unique index member_payment_import_reference_unique on member_payment (territory_id, import_reference) where import_reference is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

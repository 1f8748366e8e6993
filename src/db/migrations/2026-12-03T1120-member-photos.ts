// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Members' photos (docs/decisions/0024-member-photos.md). The photo is kept in the database, already re-encoded
// by the service (WebP, metadata stripped) in its two sizes: a few tens of kilobytes per member.
// - One photo per membership; `id` is a new random id at each upload (and when the photo's audience changes), so
//   the URL `/annuaire/photos/<id>/<size>.webp` can be cached for ever and never names the member.
// - The photo's audience is the `photo` key of `member_profile.visibility` (default `members`), read by the one
//   visibility rule like every other field.
// - Erasure deletes the row (the member's data hooks), and removing the member removes it too.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table member_photo (
      member_id uuid primary key references member (id) on delete cascade,
      territory_id integer not null references territory (id) on delete cascade,
      id uuid not null,
      large bytea not null check (octet_length(large) between 1 and 1048576),
      small bytea not null check (octet_length(small) between 1 and 262144),
      created_at timestamptz not null,
      constraint member_photo_id_unique unique (id)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

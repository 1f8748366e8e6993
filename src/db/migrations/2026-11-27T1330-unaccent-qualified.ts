// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// immutable_unaccent() named `unaccent` without a schema, so it depended on the caller's search_path.
// pg_restore runs with an empty search_path and fills generated columns through this function: restoring
// any backup failed with 'text search dictionary "unaccent" does not exist'. Qualified names fix it and keep
// the function inlinable (a SET search_path clause would not).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function public.immutable_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}

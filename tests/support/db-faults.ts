/**
 * Database-level failures on demand, for proving that a multi-step write is all-or-nothing: a trigger that makes
 * every write to one table fail (as a full disk, a constraint or a lost connection would, partway through), and
 * the row count of every table, to compare before and after.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';

/** Every write to `table` raises an error until the returned function is called. */
export async function failWritesTo(db: Kysely<DB>, table: string, message = 'simulated failure partway through'): Promise<() => Promise<void>> {
  const fn = sql.raw(`test_fail_${table}`);
  await sql`create or replace function ${fn}() returns trigger language plpgsql as ${sql.lit(`begin raise exception '${message.replace(/'/g, "''")}'; end`)}`.execute(db);
  await sql`create trigger ${fn} before insert or update or delete on ${sql.table(table)} for each row execute function ${fn}()`.execute(db);
  return async () => {
    await sql`drop trigger if exists ${fn} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists ${fn}()`.execute(db);
  };
}

/** The number of rows in every table of the schema, by name. */
export async function allRowCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by 1`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    counts[name] = rows[0].n;
  }
  return counts;
}

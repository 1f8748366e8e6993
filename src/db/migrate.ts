/** Runs the migrations in src/db/migrations in name order (they are timestamped). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileMigrationProvider, type Kysely, Migrator, sql } from 'kysely';
import { codeDir } from '../shared/paths.js';
import type { Database } from './database.js';

export const migrationFolder = path.join(codeDir, 'db', 'migrations');

const MIGRATION_TABLE = 'schema_migration';

/**
 * True when every migration file has already run. Checked from the file names and one query, so a restart
 * does not load and compile every migration module just to learn there is nothing to do.
 */
async function upToDate(db: Kysely<any>): Promise<boolean> {
  const files = (await fs.readdir(migrationFolder)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => f.replace(/\.(ts|js)$/, ''));
  const exists = await sql<{ t: string | null }>`select to_regclass(${MIGRATION_TABLE}) as t`.execute(db);
  if (!exists.rows[0]?.t) return false;
  const done = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  const ran = new Set(done.rows.map((r) => r.name));
  return files.every((f) => ran.has(f));
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (await upToDate(db)) return [];
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'schema_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Migrates a database this process goes on using. PGlite learns its array types (`citext[]`…) when it opens: an
 * array of a type a migration has just created would otherwise be sent as plain text (`malformed array literal`)
 * until the next start.
 */
export async function migrateDatabase(database: Database): Promise<string[]> {
  const ran = await migrateToLatest(database.db);
  if (ran.length && database.pglite) await database.pglite.refreshArrayTypes();
  return ran;
}

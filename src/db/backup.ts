/**
 * Backups and restores of either database, used by `npm run db:backup` / `db:restore` and by the nightly
 * "db.backup" job (which writes from inside the running server, the only process allowed to open PGlite).
 *
 * - PGlite: a gzipped tarball of its data folder, taken while no query or transaction runs, so the copy is a
 *   consistent point in time; restoring loads it into a new folder and swaps the folders.
 * - PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean` in one transaction.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { childProcessEnv } from '../config.js';
import { pgliteExtensions, type Database } from './database.js';

export const BACKUP_DIR = 'backups';
export type BackupFormat = 'pglite' | 'pg_dump';

export class BackupError extends Error {}

const EXTENSIONS: Record<BackupFormat, string> = { pglite: '.pglite.tar.gz', pg_dump: '.pgdump' };

/** accueil-2026-11-27T023000Z.pglite.tar.gz: sorts by time, and says what it holds. */
export function backupFileName(format: BackupFormat, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `accueil-${stamp}${EXTENSIONS[format]}`;
}

export const backupDir = (dataDir: string) => path.join(dataDir, BACKUP_DIR);

/** Reads the first bytes: a gzip stream is a PGlite tarball, "PGDMP" a pg_dump custom archive. */
export function detectBackupFormat(file: string): BackupFormat {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  if (head.toString('latin1') === 'PGDMP') return 'pg_dump';
  throw new BackupError(`${file} is neither an embedded-database backup (.pglite.tar.gz) nor a pg_dump custom archive`);
}

/** pg_dump and pg_restore get the password through the environment, not the process list. */
function pgConnection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: childProcessEnv(password ? { PGPASSWORD: password } : {}) };
}

export function hasPgTool(tool: 'pg_dump' | 'pg_restore'): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => reject(new BackupError(`${tool} could not run: ${error.message}`)));
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      const first = stderr.split('\n').find((l) => l.trim()) ?? `exit code ${code}`;
      reject(new BackupError(`${tool} failed: ${first.trim()}`));
    });
  });
}

/** Writes a backup of the open database to `file`; returns its size in bytes. */
export async function writeBackup(database: Database, databaseUrl: string | undefined, file: string): Promise<number> {
  // A backup holds every account and password hash: readable by the service user only.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial`;
  try {
    if (database.kind === 'pglite') {
      const pglite = database.pglite!;
      // Holding the driver's only connection means no transaction is half done while the files are copied.
      await database.db.connection().execute(async (conn) => {
        await sql`checkpoint`.execute(conn);
        const tarball = await pglite.dumpDataDir('gzip');
        writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()), { mode: 0o600 });
      });
    } else {
      if (!databaseUrl) throw new BackupError('A PostgreSQL backup needs DATABASE_URL');
      if (!hasPgTool('pg_dump')) {
        throw new BackupError('pg_dump is not installed: install the PostgreSQL client (apt-get install postgresql-client) to back up PostgreSQL');
      }
      const { url, env } = pgConnection(databaseUrl);
      await runTool('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${url}`], env);
      chmodSync(partial, 0o600);
    }
    // A backup appears under its final name only once complete.
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return statSync(file).size;
}

/**
 * Reads every row of every table of the loaded backup (its text form, so long values stored apart are read too):
 * a damaged table file fails here ("invalid page"), before the restore switches to it, instead of on the first
 * page that reads it once the site is back.
 */
async function readEveryTable(pglite: PGlite) {
  const { rows } = await pglite.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
     order by 1, 2`,
  );
  for (const { schema, name } of rows) {
    const table = `"${schema.replace(/"/g, '""')}"."${name.replace(/"/g, '""')}"`;
    try {
      await pglite.query(`select count(*), sum(length(t::text)) from ${table} t`);
    } catch (error) {
      throw new Error(`table ${name} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Replaces the embedded database in `dataDir` with the backup. The backup is loaded into a new folder first
 * and checked; only then is the current folder moved aside (kept as pglite.before-restore-<time>) and the new
 * one put in its place. Returns the folder kept aside, if any.
 */
export async function restorePgliteBackup(dataDir: string, file: string, at: Date): Promise<string | null> {
  const live = path.join(dataDir, 'pglite');
  const incoming = path.join(dataDir, 'pglite.restoring');
  rmSync(incoming, { recursive: true, force: true });
  mkdirSync(incoming, { recursive: true });
  try {
    const pglite = await PGlite.create(incoming, { extensions: pgliteExtensions, loadDataDir: new Blob([readFileSync(file)]) });
    try {
      await pglite.query('select count(*) from schema_migration');
      await readEveryTable(pglite);
    } finally {
      await pglite.close();
    }
  } catch (error) {
    rmSync(incoming, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackupError(`${file} could not be loaded (${reason}); the current database was left untouched`);
  }
  let kept: string | null = null;
  if (existsSync(live)) {
    kept = path.join(dataDir, `pglite.before-restore-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
    renameSync(live, kept);
  }
  renameSync(incoming, live);
  return kept;
}

/**
 * Restores a pg_dump archive into DATABASE_URL, in one transaction: either everything is restored or nothing
 * changed. Objects created after the backup (newer migrations) are not in the archive and may block dropping
 * the old ones: restore into a fresh database then.
 */
export async function restorePgDump(databaseUrl: string, file: string): Promise<void> {
  if (!hasPgTool('pg_restore')) {
    throw new BackupError('pg_restore is not installed: install the PostgreSQL client (apt-get install postgresql-client) to restore PostgreSQL');
  }
  const { url, env } = pgConnection(databaseUrl);
  await runTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${url}`, file], env);
}

/** A `.partial` untouched for this long belongs to a backup that was killed: no live backup stalls that long. */
export const STALE_PARTIAL_MS = 60 * 60_000;

/**
 * Keeps the `keep` most recent backups in `dir` (names sort by time), deletes older ones, and the `.partial`
 * files of backups killed midway (a crash, a kill -9: no `finally` ran) once they have not changed for an hour.
 */
export function pruneBackups(dir: string, keep: number, now = Date.now()): string[] {
  if (!existsSync(dir)) return [];
  for (const f of readdirSync(dir)) {
    if (!/^accueil-.*\.partial$/.test(f)) continue;
    const file = path.join(dir, f);
    if (now - statSync(file).mtimeMs > STALE_PARTIAL_MS) rmSync(file, { force: true });
  }
  const files = readdirSync(dir)
    .filter((f) => /^accueil-\d{8}T\d{6}Z\.(pglite\.tar\.gz|pgdump)$/.test(f))
    .sort()
    .reverse();
  const removed = files.slice(keep);
  for (const f of removed) rmSync(path.join(dir, f), { force: true });
  return removed;
}

/**
 * On PostgreSQL, the counterpart of the data-folder lock (data-dir-lock.ts): every running server holds a shared
 * advisory lock on its database for as long as it runs, on a connection of its own; `db:restore` needs the same
 * lock exclusively. So a restore is refused while any server uses the database (as on the embedded database),
 * and a server refuses to start while a restore runs. The lock goes with its connection: a killed server or
 * restore holds nothing.
 */
import pg from 'pg';

/** One key for the application, per database (advisory locks are scoped to the database). */
const LOCK_KEY = 0x61636375; // "accu"

export class PostgresBusyError extends Error {}

export interface HeldLock {
  release(): Promise<void>;
}

async function take(url: string, exclusive: boolean, refusal: (database: string) => string): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: url, application_name: exclusive ? 'accueil db:restore' : 'accueil server' });
  // A dropped connection releases the lock; nothing to crash the process over.
  client.on('error', () => {});
  await client.connect();
  try {
    const fn = exclusive ? 'pg_try_advisory_lock' : 'pg_try_advisory_lock_shared';
    const { rows } = await client.query<{ ok: boolean; db: string }>(`select ${fn}($1) as ok, current_database() as db`, [LOCK_KEY]);
    if (!rows[0].ok) throw new PostgresBusyError(refusal(rows[0].db));
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { release: () => client.end().catch(() => {}) };
}

/** Held by a running server until it stops. */
export const claimPostgresForServer = (url: string) =>
  take(url, false, (db) => `Cannot start the server: a restore is running on the database ${db}; wait for it to finish.`);

/** Held by db:restore while it replaces the database. */
export const claimPostgresForRestore = (url: string) =>
  take(url, true, (db) => `Cannot restore: a server is using the database ${db}; stop it first.`);

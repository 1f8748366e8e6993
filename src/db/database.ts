/**
 * Opens the database: PGlite persisted under DATA_DIR by default, PostgreSQL when DATABASE_URL is set
 * (decision 0002). Both speak the same SQL through Kysely; one set of migrations serves both.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** The PGlite instance when embedded (for dumps and backups). */
  pglite?: PGlite;
  /** A cheap round trip, for /healthz. */
  ping(): Promise<void>;
  /**
   * Listens to a notification channel (`pg_notify`, sent at commit). `state(true)` once notifications flow, and again
   * after each reconnection; `state(false)` when they may have been missed (the listening connection of PostgreSQL
   * dropped: it reconnects by itself). PGlite is this process's only connection: its notifications arrive with the
   * commit and never stop. Returns how to stop listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, state: (up: boolean) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type OpenOptions =
  | { databaseUrl: string }
  | { dataDir: string }
  /** In memory, optionally loaded from a dump (tests). */
  | { memory: true; loadDataDir?: Blob | File };

const INT8 = 20;
const NUMERIC = 1700;

/** Counts and sums come back as numbers on both engines (the values here stay far below 2^53). */
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));

export const pgliteExtensions = { btree_gist, citext, pg_trgm, unaccent };

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if ('databaseUrl' in opts) return openPostgres(opts.databaseUrl);
  let pgl: PGlite;
  const options = {
    extensions: pgliteExtensions,
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) },
    // PGlite's default 128 MB of shared buffers is most of the process's memory; the Gers fits in far less
    // (measured: 348 → 238 MB resident at open).
    postgresqlconf: ['shared_buffers=32MB'],
  };
  if ('dataDir' in opts) {
    const dir = path.join(opts.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pgl = await PGlite.create(dir, options);
  } else {
    pgl = await PGlite.create({ ...options, loadDataDir: opts.loadDataDir });
  }
  const dialect = new PGliteDialect(pgl);
  const db = new Kysely<DB>({ dialect });
  return {
    db,
    kind: 'pglite',
    pglite: pgl,
    ping: () => dialect.ping(),
    listen: async (channel, onMessage, state) => {
      // Through the connection's queue, so the LISTEN never lands inside someone's transaction (a rollback would undo it).
      const unlisten = await dialect.exclusive(() => pgl.listen(channel, onMessage));
      state(true);
      // A closed database listens to nothing any more (a server shutting down closes it before the app's hooks run).
      return async () => {
        if (!pgl.closed) await dialect.exclusive(() => unlisten());
      };
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    listen: (channel, onMessage, state) => listenOnPostgres(url, channel, onMessage, state),
    close: () => db.destroy(),
  };
}

/** Delay before the listening connection of PostgreSQL tries again after losing the server. */
const RELISTEN_AFTER_MS = 1000;

/**
 * A dedicated connection (outside the pool) that LISTENs on `channel`. When it drops, `state(false)` at once, then it
 * reconnects every second until it listens again, then `state(true)`: what was committed meanwhile was not heard.
 */
async function listenOnPostgres(url: string, channel: string, onMessage: (payload: string) => void, state: (up: boolean) => void) {
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client = c;
    let down = false;
    const lost = () => {
      if (down) return;
      down = true;
      state(false);
      c.end().catch(() => {});
      if (!stopped) timer = setTimeout(() => void connect().catch(() => {}), RELISTEN_AFTER_MS);
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => {
      if (n.channel === channel) onMessage(n.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`listen ${c.escapeIdentifier(channel)}`);
    } catch {
      // Not listening yet: `state` stays false (the cache is bypassed) and it tries again shortly.
      lost();
      return;
    }
    if (!stopped && !down) state(true);
  };
  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await (client as pg.Client | null)?.end().catch(() => {});
  };
}


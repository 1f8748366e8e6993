/**
 * A test's own world: a database copied from the run's template, a controllable clock, the app ready for
 * `inject`. One per test file; `reset()` empties the domain tables between tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { sessionCacheOf } from '../../src/domains/accounts/index.js';
import { forgetKeptEvents } from '../../src/domains/events/events.testing.js';
import { FixedClock } from '../../src/shared/clock.js';
import { prepareTemplate } from './template.js';

/** Tables kept between tests: the schema's bookkeeping and the territory's reference data. */
const KEEP = new Set(['schema_migration', 'schema_migration_lock', 'territory']);
// The Gers open data loaded by the template (territory domain); corrections (figure_override) are emptied per test.
for (const table of ['dataset', 'epci', 'commune', 'commune_boundary', 'station', 'reference_point', 'price_reference', 'cinema', 'festival', 'record_duplicate']) KEEP.add(table);
export const keepTable = (name: string) => KEEP.add(name);

export interface TestWorld {
  ctx: AppContext;
  app: FastifyInstance;
  clock: FixedClock;
  database: Database;
  /** Empties every domain table (keeps the territory and reference data). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const isPostgresRun = () => !!process.env.TEST_PG_TEMPLATE;

async function openTestDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const template = process.env.TEST_PG_TEMPLATE;
  if (template) {
    const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `${template}_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    // Two files copying the template at the same instant make one of them wait: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template "${template}"`);
        break;
      } catch (error) {
        if (attempt > 40) throw error;
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 200));
      }
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString() });
    return {
      database,
      drop: async () => {
        await admin.query(`drop database if exists "${name}" with (force)`);
        await admin.end();
      },
    };
  }
  const dump = process.env.TEST_PGLITE_DUMP;
  if (dump) {
    const database = await openDatabase({ memory: true, loadDataDir: new Blob([readFileSync(dump)]) });
    return { database, drop: async () => {} };
  }
  // Run directly (npx tsx --test file): build the template in memory.
  const database = await openDatabase({ memory: true });
  await prepareTemplate(database.db);
  return { database, drop: async () => {} };
}

/**
 * How reset() empties tables, as `truncate … restart identity cascade` would, without its cost: a truncate gives every
 * table and index a new file, and reset() runs before every test and subtest (with ~90 tables: ~80 ms of CPU each
 * time on PGlite; on PostgreSQL about half of a test file's time went to it). Instead one statement deletes the rows
 * with foreign keys and triggers set aside (`session_replication_role = replica`, superuser only: the order of the
 * tables does not matter and no trigger writes while emptying), empties the tables the cascade would reach (those
 * holding a foreign key to an emptied one, kept or not) and sets the emptied tables' own sequences back to their
 * start, as `restart identity` does. A role that may not set triggers aside gets the truncate.
 */
async function emptier(database: Database) {
  const sequences = (
    await sql<{ owner: string; seq: string; start: string }>`
      select t.relname as owner, s.oid::text as seq, ps.start_value::text as start
      from pg_class s
      join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
      join pg_class t on t.oid = d.refobjid
      join pg_sequences ps on ps.schemaname = 'public' and ps.sequencename = s.relname
      where s.relkind = 'S' and t.relnamespace = 'public'::regnamespace`.execute(database.db)
  ).rows;
  // What the cascade adds: every table holding a foreign key to an emptied table, kept or not.
  const references = (
    await sql<{ referencing: string; referenced: string }>`
      select f.relname as referencing, t.relname as referenced from pg_constraint c
      join pg_class f on f.oid = c.conrelid join pg_class t on t.oid = c.confrelid
      where c.contype = 'f' and f.relnamespace = 'public'::regnamespace`.execute(database.db)
  ).rows;
  const truncate = (names: string[]) => sql.raw(`truncate ${names.map((n) => `"${n}"`).join(', ')} restart identity cascade`).execute(database.db);
  let fast = true;
  return async (names: string[]) => {
    if (!names.length) return;
    if (!fast) return void (await truncate(names));
    const chosen = new Set(names);
    for (let size = 0; size !== chosen.size; ) {
      size = chosen.size;
      for (const r of references) if (chosen.has(r.referenced)) chosen.add(r.referencing);
    }
    const statements = [
      `perform set_config('session_replication_role', 'replica', true);`,
      ...[...chosen].map((n) => `delete from "${n}";`),
      ...sequences.filter((s) => chosen.has(s.owner)).map((s) => `perform setval(${s.seq}::oid, ${s.start}, false);`),
    ];
    try {
      await sql.raw(`do $reset$ begin ${statements.join(' ')} end $reset$`).execute(database.db);
    } catch (error) {
      if ((error as { code?: string }).code !== '42501') throw error;
      fast = false;
      await truncate(names);
    }
  };
}

export async function createTestWorld(overrides: Partial<Config> = {}, opts: { log?: AppContext['log'] } = {}): Promise<TestWorld> {
  const { database, drop } = await openTestDatabase();
  const clock = new FixedClock();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-test-'));
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SESSION_SECRET: 'test-secret-test-secret-test-secret-0123' }),
    demo: false,
    rateLimitPerMinute: 10_000,
    baseUrl: 'http://localhost:3000',
    ...overrides,
  };
  const log = opts.log ?? (pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as AppContext['log']);
  const ctx = await openContext(config, { database, clock, log });
  const app = await buildApp(ctx, { logger: true });
  await app.ready();
  const tables = (
    await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(database.db)
  ).rows.map((r) => r.tablename);
  const emptyTables = await emptier(database);
  return {
    ctx,
    app,
    clock,
    database,
    async reset() {
      await emptyTables(tables.filter((t) => !KEEP.has(t)));
      ctx.pageCache.clear();
      // The rows went with the triggers set aside: no notification told the session cache (decision 0033).
      sessionCacheOf(ctx)?.clear();
      forgetKeptEvents(ctx);
      clock.set('2026-11-27T09:00:00Z');
    },
    async close() {
      try {
        await app.close();
        await database.close();
        await drop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The usual life of a test file's world, in one line: created before the first test, emptied before each,
 * closed after the last. The returned object is filled in once the world exists.
 */
export function useTestWorld(overrides: Partial<Config> = {}): TestWorld {
  const holder = {} as TestWorld;
  before(async () => {
    Object.assign(holder, await createTestWorld(overrides));
  });
  after(() => holder.close());
  beforeEach(() => holder.reset());
  return holder;
}

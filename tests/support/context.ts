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
import { FixedClock } from '../../src/shared/clock.js';
import { prepareTemplate } from './template.js';

/** Tables kept between tests: the schema's bookkeeping and the territory's reference data. */
const KEEP = new Set(['schema_migration', 'schema_migration_lock', 'territory']);
// The Gers open data loaded by the template (territory domain); corrections (figure_override) are emptied per test.
for (const table of ['dataset', 'epci', 'commune', 'commune_boundary', 'station', 'reference_point', 'price_reference', 'cinema', 'festival']) KEEP.add(table);
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
  return {
    ctx,
    app,
    clock,
    database,
    async reset() {
      const names = tables.filter((t) => !KEEP.has(t));
      if (names.length) await sql.raw(`truncate ${names.map((n) => `"${n}"`).join(', ')} restart identity cascade`).execute(database.db);
      ctx.pageCache.clear();
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

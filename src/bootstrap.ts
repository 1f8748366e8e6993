/**
 * Opens everything a process needs (config → database → migrations → territory) and returns the context.
 * Used by the server, the command-line scripts and the tests, so they all start the same way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import type { Config } from './config.js';
import type { AppContext, Territory } from './context.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateDatabase } from './db/migrate.js';
import { extensions, seedModules } from './modules.js';
import { systemClock, type Clock } from './shared/clock.js';
import { PageCache } from './shared/page-cache.js';
import { rootDir } from './shared/paths.js';
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.js';

export { rootDir } from './shared/paths.js';
export const territoryDataDir = (slug: string) => path.join(rootDir, 'data', 'territories', slug);

const TerritoryFile = z.object({ slug: z.string(), name: z.string(), programmeName: z.string() });

export class StartupError extends Error {}

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl ? openDatabase({ databaseUrl: config.databaseUrl }) : openDatabase({ dataDir: config.dataDir });
}

/** Creates the territory row on first start from data/territories/<slug>/territory.json. */
export async function ensureTerritory(db: Kysely<DB>, slug: string): Promise<Territory> {
  const existing = await db.selectFrom('territory').selectAll().where('slug', '=', slug).executeTakeFirst();
  const row =
    existing ??
    (await (async () => {
      let file: z.infer<typeof TerritoryFile>;
      try {
        file = TerritoryFile.parse(JSON.parse(readFileSync(path.join(territoryDataDir(slug), 'territory.json'), 'utf8')));
      } catch {
        throw new StartupError(`Unknown territory "${slug}": data/territories/${slug}/territory.json is missing or invalid`);
      }
      return db
        .insertInto('territory')
        .values({ slug: file.slug, name: file.name, programme_name: file.programmeName })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returningAll()
        .executeTakeFirst()
        .then(async (r) => r ?? (await db.selectFrom('territory').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow()));
    })())!;
  return { id: row.id, slug: row.slug, name: row.name, programmeName: row.programme_name };
}

export interface OpenContextOptions {
  clock?: Clock;
  database?: Database;
  log?: AppContext['log'];
}

export async function openContext(config: Config, opts: OpenContextOptions = {}): Promise<AppContext> {
  // An asynchronous destination: a log line is copied into a buffer and written while the process goes on (pino
  // flushes it at exit), instead of one blocking write per line on the event loop.
  const log =
    opts.log ??
    (pino(
      { level: config.logLevel, base: { pid: process.pid }, redact: ['req.headers.cookie', 'req.headers.authorization'] },
      pino.destination({ dest: 1, sync: false }),
    ) as unknown as AppContext['log']);
  let database = opts.database;
  if (!database) {
    database = await openConfiguredDatabase(config);
    try {
      await database.ping();
    } catch (error) {
      await database.close().catch(() => {});
      const reason = error instanceof Error ? error.message || (error as { code?: string }).code : String(error);
      throw new StartupError(`Database unreachable (${redactUrl(config.databaseUrl ?? config.dataDir)}): ${reason || 'connection failed'}`);
    }
  }
  await migrateDatabase(database);
  const territory = await ensureTerritory(database.db, config.territory);
  // First start: each module loads what the territory ships (the open data of its communes, the guide's articles,
  // the third places) only while it holds none, so later edits by staff are never overwritten.
  const loaded = await seedModules({ db: database.db, territory, dataDir: territoryDataDir(territory.slug), now: (opts.clock ?? systemClock).now() });
  if (Object.keys(loaded).length) log.info(loaded, 'territory content loaded');
  const demo = config.demo === 'auto' ? database.kind === 'pglite' : config.demo;
  return { config, database, db: database.db, clock: opts.clock ?? systemClock, log, territory, pageCache: new PageCache(), demo, extensions };
}

const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');

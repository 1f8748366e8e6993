/** What every service receives: configuration, database, clock, logger and the territory served. */
import type { Kysely, Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { DB, Role } from './db/schema.js';
import type { Clock } from './shared/clock.js';
import type { Extensions } from './shared/extensions.js';
import type { PageCache } from './shared/page-cache.js';

export interface Territory {
  id: number;
  slug: string;
  name: string;
  programmeName: string;
}

export interface AppContext {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  clock: Clock;
  log: FastifyBaseLogger;
  territory: Territory;
  /** Anonymous pages kept rendered and compressed; services drop it when public content changes. */
  pageCache: PageCache;
  /** Whether demo accounts and content are loaded (shows the "démo" banner). */
  demo: boolean;
  /** What the modules contribute at each other's extension points (src/shared/extensions.ts). */
  extensions: Extensions;
}

/** Either the database or an open transaction: repos accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Who is acting: every service checks it (house rule: authorisation lives in services). */
export interface Actor {
  userId: string | null;
  territoryId: number;
  roles: ReadonlySet<Role>;
}

export const anonymous = (territoryId: number): Actor => ({ userId: null, territoryId, roles: new Set() });

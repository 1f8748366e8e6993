/**
 * The module contract: what a domain hands to the application through the one object its `index.ts` exports.
 * `src/modules.ts` lists the modules; the app, the job worker, the layout, the back-office shell, the first start
 * and the demo loader iterate over that list, so the shared layers never import a domain and adding a domain is
 * one line there. Types and two tiny helpers only: nothing here knows any domain.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor, AppContext, Territory } from './context.js';
import type { DB, Role } from './db/schema.js';
import type { JobHandler } from './jobs/worker.js';
import type { Contribution } from './shared/extensions.js';
import type { SessionUser } from './web/request.js';

/** A domain's strings: French and English with the same keys (a test checks they match). */
export interface Catalogue {
  fr: Record<string, string>;
  en: Record<string, string>;
}

/**
 * A link in one of the site's menus. `order` places it among other modules' links (gaps of 10 leave room);
 * `roles`: shown only to someone holding one of them (absent: to everyone who sees the menu).
 */
export interface NavEntry {
  href: string;
  /** i18n key of the link's text. */
  key: string;
  order: number;
  roles?: readonly Role[];
  /** Marked as the current page only on this exact path (default: also on the pages below it). */
  exact?: boolean;
}

export interface Navigation {
  /** The header's main menu, seen by everyone. */
  main?: NavEntry[];
  /** The signed-in person's menu, before "my account". */
  account?: NavEntry[];
  /** The back office's section menu. */
  admin?: NavEntry[];
}

/** What a first-start seed receives: the database before any request, the territory and its shipped data. */
export interface SeedContext {
  db: Kysely<DB>;
  territory: Territory;
  /** `data/territories/<slug>/`: the open data and content shipped with the territory. */
  dataDir: string;
  now: Date;
}

/**
 * Personal data a domain holds about one person: its part of a data export, and its part of an erasure. A domain
 * implements what it holds; `exportPersonalData` and `erasePersonalData` in modules.ts gather every domain's part.
 */
export interface PersonalDataHooks {
  /** The person's data in this domain, as plain JSON, or null when the domain holds none. */
  export?(ctx: AppContext, userId: string): Promise<Record<string, unknown> | null>;
  /** Removes or anonymises the person's data in this domain (audited there); returns how many records changed. */
  erase?(ctx: AppContext, userId: string): Promise<number>;
}

/** How a signed-in request is recognised: the session cookie's name and its lookup (the accounts domain). */
export interface SessionProvider {
  cookie: string;
  resolve(ctx: AppContext, token: string, userAgent: string | undefined): Promise<{ user: SessionUser; actor: Actor } | null>;
  /** Called once by the app before it serves (resolved sessions kept in memory, decision 0033); returns how to stop. */
  start?(ctx: AppContext): Promise<() => Promise<void>>;
}

export interface DomainModule {
  /** Folder name under src/domains/. */
  name: string;
  catalogues?: Catalogue[];
  /** Pages and form posts. */
  routes?(app: FastifyInstance, ctx: AppContext): Promise<void>;
  /** JSON API, mounted under /api/v1, each route with its OpenAPI description. */
  api?(api: FastifyInstance, ctx: AppContext): Promise<void>;
  /** Job kinds this domain runs, by name (`<domain>.<what>`). */
  jobs?: Record<string, JobHandler>;
  /**
   * When this domain's jobs wait on an outside service (SMTP): they run in a lane of their own with this many at
   * once, so they never hold up the other jobs (backups, the purge). Without it they share the common lane.
   */
  jobLane?: { concurrency: number };
  /** At start-up: make sure each recurring job of the domain has its next run queued (idempotent). */
  schedules?: ((ctx: AppContext) => Promise<unknown>)[];
  /** Steps of the daily purge: each cleans what the domain no longer may keep and returns a count for the log. */
  dailyPurge?: Record<string, (ctx: AppContext) => Promise<number>>;
  nav?: Navigation;
  /** First start: real content shipped with the territory, loaded only while the domain holds none. */
  seed?(ctx: SeedContext): Promise<Record<string, number>>;
  /** Demo content (DEMO mode); modules load theirs in the list's order and must be idempotent. */
  demo?(ctx: AppContext): Promise<void>;
  /**
   * The server starts without demo mode: make this domain's demo content unusable (the demo accounts disabled, their
   * sessions closed). Returns how many records changed, for the log.
   */
  demoDisable?(ctx: AppContext): Promise<number>;
  /** `npm run demo:remove`: deletes this domain's demo content (modules run in reverse list order); counts by kind. */
  demoRemove?(ctx: AppContext): Promise<Record<string, number>>;
  personalData?: PersonalDataHooks;
  session?: SessionProvider;
  /** What this module adds at other domains' extension points (src/shared/extensions.ts). */
  contributes?: Contribution[];
}

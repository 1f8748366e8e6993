/**
 * Resolved sessions kept in memory, exact by the database (decision 0033). A signed-in request would otherwise read
 * its session, account and role grants at every request; here the row read once is kept by its token's hash until
 * the database says the account changed:
 * - triggers on `session`, `user_account` and `role_grant` send the account's id on `account_changed` at commit
 *   (migration `2026-12-05T0200-account-change-notify.ts`), whoever wrote it; each notification drops what is kept
 *   of that account (an empty payload: everything);
 * - the cache is used only while the notifications flow: before the LISTEN is in place, and from the moment the
 *   listening connection of PostgreSQL drops until it listens again, every request reads the database, and the
 *   cache starts empty again;
 * - a read that began before a change was announced is not kept (`epoch`), so a row read just before a commit never
 *   outlives the commit's notification;
 * - this process's own writes to those tables (the accounts repository) **hold** the account first: from the write
 *   until the notification of that account arrives (at the commit on PGlite, milliseconds later on PostgreSQL), its
 *   sessions are read from the database and not kept, so a sign-out, a password change or a role taken away here is
 *   seen by the very next request; a write rolled back (no notification) releases its hold after `HOLD_MS`. The
 *   accounts' own use cases also forget the account once their transaction has committed.
 * Expiry is checked at each use against the clock, from the kept row; the sliding renewal writes the session and
 * updates the kept row.
 */
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/database.js';
import type { Role } from '../../db/schema.js';

export const ACCOUNT_CHANNEL = 'account_changed';
/** A hold whose change never announced itself (rolled back) ends after this long. */
const HOLD_MS = 30_000;
/** Sessions kept at most (the oldest go first): ~0.5 KB each. */
const MAX_ENTRIES = 50_000;

/** What the lookup reads: the session, its account and the account's roles in the territory. */
export interface SessionRow {
  token_hash: string;
  expires_at: Date;
  last_seen_at: Date;
  id: string;
  email: string;
  display_name: string;
  locale: 'fr' | 'en';
  email_verified_at: Date | null;
  disabled_at: Date | null;
  demo: boolean;
  roles: Role[];
}

/** Taken before reading the database: the row read is kept only if nothing was announced meanwhile. */
export interface Ticket {
  epoch: number;
}

const all = new Set<SessionCache>();

export class SessionCache {
  private live = false;
  private epoch = 0;
  private readonly entries = new Map<string, SessionRow>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly held = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  get listening() {
    return this.live;
  }

  ticket(): Ticket {
    return { epoch: this.epoch };
  }

  get(tokenHash: string): SessionRow | undefined {
    if (!this.live) return undefined;
    const row = this.entries.get(tokenHash);
    if (!row || this.isHeld(row.id)) return undefined;
    return row;
  }

  /** Keeps a row read from the database, unless something was announced since the ticket or its account is held. */
  store(ticket: Ticket, row: SessionRow) {
    if (!this.live || ticket.epoch !== this.epoch || this.isHeld(row.id)) return;
    if (this.entries.size >= MAX_ENTRIES) this.dropToken(this.entries.keys().next().value!);
    this.entries.set(row.token_hash, row);
    let tokens = this.byUser.get(row.id);
    if (!tokens) this.byUser.set(row.id, (tokens = new Set()));
    tokens.add(row.token_hash);
  }

  /** The database announced a change of this account ('' = of every account). */
  changed(userId: string) {
    if (userId === '') {
      this.held.clear();
      this.clear();
      return;
    }
    this.held.delete(userId);
    this.forgetAccount(userId);
  }

  /** The account is about to be written by this process: not served nor kept until its notification arrives. */
  hold(userId: string) {
    this.held.set(userId, this.now() + HOLD_MS);
    this.forgetAccount(userId);
  }

  forgetAccount(userId: string) {
    this.epoch++;
    for (const t of this.byUser.get(userId) ?? []) this.entries.delete(t);
    this.byUser.delete(userId);
  }

  forgetToken(tokenHash: string) {
    this.epoch++;
    this.dropToken(tokenHash);
  }

  /** Whether notifications flow: from `false` to `true` nothing kept before is trusted. */
  setListening(up: boolean) {
    this.clear();
    this.live = up;
  }

  clear() {
    this.epoch++;
    this.entries.clear();
    this.byUser.clear();
  }

  get size() {
    return this.entries.size;
  }

  private dropToken(tokenHash: string) {
    const row = this.entries.get(tokenHash);
    if (!row) return;
    this.entries.delete(tokenHash);
    const tokens = this.byUser.get(row.id);
    tokens?.delete(tokenHash);
    if (tokens && !tokens.size) this.byUser.delete(row.id);
  }

  private isHeld(userId: string) {
    const t = this.now();
    const until = this.held.get(userId);
    if (until === undefined) return false;
    if (until > t) return true;
    this.held.delete(userId);
    return false;
  }
}

const caches = new WeakMap<Database, SessionCache>();

/** The cache of this database in this process, once started (null: every lookup reads the database). */
export const sessionCacheOf = (ctx: AppContext): SessionCache | null => caches.get(ctx.database) ?? null;

/** Starts listening for account changes; the cache serves only while they are heard. Returns how to stop. */
export async function startSessionCache(ctx: AppContext): Promise<() => Promise<void>> {
  if (caches.has(ctx.database)) return async () => {};
  const cache = new SessionCache();
  caches.set(ctx.database, cache);
  all.add(cache);
  const unlisten = await ctx.database.listen(
    ACCOUNT_CHANNEL,
    (payload) => cache.changed(payload),
    (up) => cache.setListening(up),
  );
  return async () => {
    cache.setListening(false);
    all.delete(cache);
    caches.delete(ctx.database);
    await unlisten();
  };
}

/** Before this process writes an account's session, account row or role grants (see the file's comment). */
export function holdAccounts(userIds: readonly string[]) {
  for (const cache of all) for (const id of userIds) cache.hold(id);
}

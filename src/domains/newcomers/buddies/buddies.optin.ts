/**
 * "Open to be a buddy" is said on the member's profile (members domain). The members domain depends on this one,
 * so it answers through this extension point, wired in its manifest: for the given accounts that hold a membership,
 * whether they are open. Accounts it does not answer for (no membership) keep the buddy row's own opt-in.
 */
import type { AppContext, Executor } from '../../../context.js';
import { extensionPoint } from '../../../shared/extensions.js';

/** `db`: the caller's transaction when there is one (one connection on PGlite: another query would wait for ever). */
export type BuddyOptIns = (db: Executor, territoryId: number, userIds: string[]) => Promise<Map<string, boolean>>;

export const buddyOptInPoint = extensionPoint<BuddyOptIns>('newcomers.buddyOptIn');

/** Keeps the buddies whose profile (when there is one) says they are open. */
export async function keepOpenBuddies<T extends { user_id: string }>(ctx: AppContext, db: Executor, territoryId: number, buddies: T[]): Promise<T[]> {
  const provider = ctx.extensions.all(buddyOptInPoint)[0];
  if (!provider || !buddies.length) return buddies;
  const open = await provider(db, territoryId, buddies.map((b) => b.user_id));
  return buddies.filter((b) => open.get(b.user_id) ?? true);
}

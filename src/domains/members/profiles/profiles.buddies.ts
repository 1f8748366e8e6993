/**
 * The buddy opt-in lives on the profile (`buddy_open`). The newcomers' buddies room asks through this function,
 * wired at its extension point in the members manifest (members already depends on newcomers, not the reverse).
 */
import type { Executor } from '../../../context.js';

/**
 * For each account that holds a membership in the territory: whether its profile says "open to be a buddy".
 * Accounts without a membership are absent (the buddies room keeps its own answer for them).
 */
export async function isOpenBuddy(db: Executor, territoryId: number, userIds: string[]): Promise<Map<string, boolean>> {
  if (!userIds.length) return new Map();
  const rows = await db
    .selectFrom('member as m')
    .leftJoin('member_profile as p', 'p.member_id', 'm.id')
    .select(['m.user_id', 'p.buddy_open'])
    .where('m.territory_id', '=', territoryId)
    .where('m.user_id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [r.user_id!, r.buddy_open ?? false]));
}

/**
 * The housekeeping deletes of the daily purge. They cross domains on purpose: expired sessions and spent
 * mail tokens are dead rows nobody reads, and one statement per table is all the purge needs.
 */
import type { Executor } from '../context.js';

export async function deleteExpiredSessions(db: Executor, now: Date) {
  const res = await db.deleteFrom('session').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Tokens used or expired before `before` (kept a little while so a late click still hears "already used"). */
export async function deleteSpentEmailTokens(db: Executor, before: Date) {
  const res = await db
    .deleteFrom('email_token')
    .where((eb) => eb.or([eb('expires_at', '<=', before), eb('used_at', '<=', before)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function deleteFinishedJobs(db: Executor, before: Date) {
  const res = await db.deleteFrom('job').where('state', '<>', 'pending').where('finished_at', '<=', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

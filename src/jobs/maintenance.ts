/**
 * The daily purge ("maintenance.purge"): deletes expired sessions, spent mail tokens and old finished jobs, runs the
 * purge steps the modules declare (newcomer cases past their retention date...), then schedules itself for the next day. Each day has one
 * slot (02:00 UTC, the quiet hours in France) and each slot one job, named by a dedupe key, so several processes starting or running it never multiply it.
 */
import type { AppContext } from '../context.js';
import type { DomainModule } from '../module.js';
import { DAY } from '../shared/time.js';
import { deleteExpiredSessions, deleteFinishedJobs, deleteSpentEmailTokens } from './maintenance.repo.js';
import { completeWithin, enqueueJob, type ClaimedJob } from './queue.js';

export const PURGE_JOB = 'maintenance.purge';
const SLOT_HOUR_UTC = 2;
/** A used or expired link still explains itself for a day before it is forgotten. */
export const TOKEN_GRACE = DAY;
/** Finished jobs stay readable a month for anyone investigating a failure. */
export const JOB_RETENTION = 30 * DAY;

/** The start of the daily slot `now` falls in. */
export function purgeSlot(now: Date): Date {
  const slot = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), SLOT_HOUR_UTC);
  return new Date(slot <= now.getTime() ? slot : slot - DAY);
}

const slotKey = (slot: Date) => `${PURGE_JOB}:${slot.toISOString().slice(0, 10)}`;

/** At start-up: makes sure the current day's purge exists (runs now if it never ran today). */
export function schedulePurge(ctx: AppContext) {
  const now = ctx.clock.now();
  return enqueueJob(ctx.db, now, PURGE_JOB, {}, { dedupeKey: slotKey(purgeSlot(now)), maxAttempts: 3 });
}

export type PurgeSteps = NonNullable<DomainModule['dailyPurge']>;

/** The purge job with the modules' own steps; `purgeJob` alone cleans only what the shared layers own. */
export const purgeJobWith =
  (steps: PurgeSteps) =>
  (ctx: AppContext, job: ClaimedJob): Promise<void> =>
    runPurge(ctx, job, steps);

export const purgeJob = purgeJobWith({});

async function runPurge(ctx: AppContext, job: ClaimedJob, steps: PurgeSteps) {
  const now = ctx.clock.now();
  const counts = await ctx.db.transaction().execute(async (trx) => {
    const sessions = await deleteExpiredSessions(trx, now);
    const tokens = await deleteSpentEmailTokens(trx, new Date(now.getTime() - TOKEN_GRACE));
    const jobs = await deleteFinishedJobs(trx, new Date(now.getTime() - JOB_RETENTION));
    const next = new Date(purgeSlot(now).getTime() + DAY);
    await enqueueJob(trx, now, PURGE_JOB, {}, { runAt: next, dedupeKey: slotKey(next), maxAttempts: 3 });
    await completeWithin(trx, job, now);
    return { sessions, tokens, jobs };
  });
  // The modules' steps run after the job is done: each works in transactions of its own, and a rerun finds nothing left.
  const done: Record<string, number> = {};
  for (const [name, step] of Object.entries(steps)) done[name] = await step(ctx);
  ctx.log.info({ ...counts, ...done }, 'daily purge done');
}

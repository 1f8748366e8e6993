/**
 * Background jobs kept in the database itself (decision 0005): a job is a row, enqueued in the same
 * transaction as the change that needs it, claimed with FOR UPDATE SKIP LOCKED under a lease, retried with
 * exponential backoff, and marked done by the worker holding the lease, so several processes never run the
 * same job and a crash only makes it available again once the lease ends.
 */
import { sql } from 'kysely';
import type { Executor } from '../context.js';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** A job with the same key is only enqueued once (e.g. one reminder per registration). */
  dedupeKey?: string;
}

export async function enqueueJob(db: Executor, now: Date, kind: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}) {
  const row = await db
    .insertInto('job')
    .values({
      kind,
      payload: JSON.stringify(payload),
      run_at: opts.runAt ?? now,
      max_attempts: opts.maxAttempts ?? 10,
      dedupe_key: opts.dedupeKey ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/** Claims up to `limit` due jobs for `workerId` until `now + leaseMs`. */
export async function claimJobs(db: Executor, workerId: string, now: Date, leaseMs: number, limit = 5): Promise<ClaimedJob[]> {
  const until = new Date(now.getTime() + leaseMs);
  const { rows } = await sql<ClaimedJob>`
    update job set locked_by = ${workerId}, locked_until = ${until}, attempts = attempts + 1
    where id in (
      select id from job
      where state = 'pending' and run_at <= ${now} and (locked_until is null or locked_until < ${now})
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning id, kind, payload, attempts, max_attempts`.execute(db);
  return rows;
}

/** Marks a job done, only if this worker still holds it. Returns false when the lease was lost. */
export async function completeJob(db: Executor, id: number, workerId: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('job')
    .set({ state: 'done', finished_at: now, locked_by: null, locked_until: null, last_error: null })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Backoff: 30 s, 1 min, 2 min, 4 min ... capped at one hour. */
export const backoffMs = (attempts: number) => Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));

export async function failJob(db: Executor, job: ClaimedJob, workerId: string, now: Date, error: string) {
  const final = job.attempts >= job.max_attempts;
  await db
    .updateTable('job')
    .set({
      state: final ? 'failed' : 'pending',
      run_at: new Date(now.getTime() + backoffMs(job.attempts)),
      finished_at: final ? now : null,
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 2000),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
  return final;
}

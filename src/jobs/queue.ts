/**
 * Background jobs kept in the database itself (decision 0005). A job is a row, enqueued in the same
 * transaction as the change that needs it, claimed with FOR UPDATE SKIP LOCKED under a lease, retried with
 * exponential backoff, and marked done by the worker holding the lease.
 *
 * What "run once" means here:
 * - two workers never hold the same job at the same time (the claim is one atomic UPDATE that skips rows
 *   another transaction is claiming, and only takes jobs whose lease is free or over);
 * - a worker that dies mid-job leaves its lease, and the job is taken again only once the lease has ended;
 * - a handler whose effect is a database change commits that change together with the job's completion
 *   (`completeWithin`): if its lease was lost meanwhile, the completion finds another holder and the whole
 *   transaction rolls back, so the change happens exactly once. Effects outside the database (SMTP) guard
 *   themselves with their own state (see the mail outbox).
 */
import { sql } from 'kysely';
import type { Executor } from '../context.js';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** A job with the same key is only enqueued once, ever (e.g. one reminder per registration). */
  dedupeKey?: string;
}

/** Enqueues a job; returns its id, or null when a job with the same dedupe key already exists. */
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

/** Several jobs in one statement (a batch decided in one transaction); those whose dedupe key exists are skipped. */
export async function enqueueJobs(db: Executor, now: Date, jobs: { kind: string; payload: Record<string, unknown>; opts?: EnqueueOptions }[]) {
  if (!jobs.length) return;
  await db
    .insertInto('job')
    .values(jobs.map(({ kind, payload, opts = {} }) => ({ kind, payload: JSON.stringify(payload), run_at: opts.runAt ?? now, max_attempts: opts.maxAttempts ?? 10, dedupe_key: opts.dedupeKey ?? null, created_at: now })))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/**
 * Runs the job with this dedupe key again from its first attempt (a person asked for it: "Renvoyer"), or
 * enqueues it when it never existed. A run in progress loses its lease: its completion is refused and the
 * job runs once more, which is what was asked (handlers guard their effects against a second run anyway).
 */
export async function rescheduleJob(db: Executor, now: Date, kind: string, payload: Record<string, unknown>, dedupeKey: string, maxAttempts = 10) {
  await db
    .insertInto('job')
    .values({ kind, payload: JSON.stringify(payload), run_at: now, max_attempts: maxAttempts, dedupe_key: dedupeKey, created_at: now })
    .onConflict((oc) =>
      oc.column('dedupe_key').doUpdateSet({
        state: 'pending',
        run_at: now,
        attempts: 0,
        last_error: null,
        finished_at: null,
        locked_by: null,
        locked_until: null,
      }),
    )
    .execute();
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** This run's number, counting the current one. */
  attempts: number;
  max_attempts: number;
  /** The worker holding the lease. */
  locked_by: string;
}

/** Which kinds a claim may take: only these, or every kind but these (a worker's lanes, see worker.ts). */
export type KindFilter = { only: readonly string[] } | { except: readonly string[] };

function kindCondition(kinds?: KindFilter) {
  if (!kinds) return sql`true`;
  if ('only' in kinds) return kinds.only.length ? sql`kind in (${sql.join(kinds.only)})` : sql`false`;
  return kinds.except.length ? sql`kind not in (${sql.join(kinds.except)})` : sql`true`;
}

/** Claims up to `limit` due jobs (of the given kinds) for `workerId` until `now + leaseMs`. */
export async function claimJobs(db: Executor, workerId: string, now: Date, leaseMs: number, limit = 1, kinds?: KindFilter): Promise<ClaimedJob[]> {
  const until = new Date(now.getTime() + leaseMs);
  // The CTE is evaluated once: its rows are locked here, and rows another transaction is claiming are skipped.
  const { rows } = await sql<ClaimedJob>`
    with due as (
      select id from job
      where state = 'pending' and run_at <= ${now} and (locked_until is null or locked_until <= ${now}) and ${kindCondition(kinds)}
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    update job set locked_by = ${workerId}, locked_until = ${until}, attempts = job.attempts + 1
    from due
    where job.id = due.id
    returning job.id, job.kind, job.payload, job.attempts, job.max_attempts, job.locked_by`.execute(db);
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

export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId} is no longer held by this worker`);
    this.name = 'LeaseLostError';
  }
}

const completedInHandler = new WeakSet<ClaimedJob>();

/**
 * For handlers whose effect is a database change: completes the job inside the handler's own transaction,
 * so the change and the completion commit together. Throws (rolling the transaction back) when another
 * worker has taken the job since.
 */
export async function completeWithin(trx: Executor, job: ClaimedJob, now: Date) {
  if (!(await completeJob(trx, job.id, job.locked_by, now))) throw new LeaseLostError(job.id);
  completedInHandler.add(job);
}

export const wasCompletedInHandler = (job: ClaimedJob) => completedInHandler.has(job);

/** Backoff: 30 s, 1 min, 2 min, 4 min ... capped at one hour. */
export const backoffMs = (attempts: number) => Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));

/** Records a failed run: retried after the backoff, or `failed` for good once its attempts are spent. */
export async function failJob(db: Executor, job: ClaimedJob, now: Date, error: string) {
  const final = job.attempts >= job.max_attempts;
  await db
    .updateTable('job')
    .set({
      state: final ? 'failed' : 'pending',
      run_at: final ? now : new Date(now.getTime() + backoffMs(job.attempts)),
      finished_at: final ? now : null,
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 2000),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', job.locked_by)
    .where('state', '=', 'pending')
    .execute();
  return final;
}

/**
 * The job worker: polls the job table, runs each claimed job's handler, records success or schedules a retry.
 * Handlers are registered by kind. A handler may run again after a crash (its lease ends and another worker
 * takes the job), so it either completes the job inside its own transaction (`completeWithin`, exactly once
 * for database effects) or guards its outside effect with state of its own (the mail outbox does).
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { claimJobs, completeJob, failJob, wasCompletedInHandler, type ClaimedJob } from './queue.js';

export type JobHandler = (ctx: AppContext, job: ClaimedJob) => Promise<void>;

export interface WorkerOptions {
  pollMs?: number;
  leaseMs?: number;
  /** Jobs run per poll, one after the other. */
  batch?: number;
}

export class JobWorker {
  readonly id = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly batch: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly handlers: Record<string, JobHandler>,
    opts: WorkerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2000;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.batch = opts.batch ?? 5;
  }

  start() {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      try {
        await this.runOnce();
      } catch (error) {
        this.ctx.log.error({ err: error }, 'job poll failed');
      }
      if (!this.stopped) this.timer = setTimeout(loop, this.pollMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Claims and runs up to one batch of due jobs; returns how many ran. Tests call it directly. */
  runOnce(): Promise<number> {
    this.running ??= this.runBatch().finally(() => (this.running = null));
    return this.running;
  }

  private async runBatch(): Promise<number> {
    let ran = 0;
    // One claim per job, so each lease starts when its job starts and other workers share a long queue.
    while (ran < this.batch && !this.stopped) {
      const [job] = await claimJobs(this.ctx.db, this.id, this.ctx.clock.now(), this.leaseMs, 1);
      if (!job) break;
      ran += 1;
      await this.run(job);
    }
    return ran;
  }

  private async run(job: ClaimedJob) {
    const { ctx } = this;
    const handler = this.handlers[job.kind];
    try {
      // A job past its last attempt here was taken from workers that died while running it: stop retrying.
      if (job.attempts > job.max_attempts) throw new Error('attempts exhausted by interrupted runs');
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(ctx, job);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = await failJob(ctx.db, job, ctx.clock.now(), message);
      ctx.log.warn({ job: job.id, kind: job.kind, attempts: job.attempts, final, err: message }, 'job failed');
      return;
    }
    if (wasCompletedInHandler(job)) return;
    if (!(await completeJob(ctx.db, job.id, this.id, ctx.clock.now()))) {
      ctx.log.warn({ job: job.id, kind: job.kind }, 'job finished after its lease was taken by another worker');
    }
  }

  /** Stops polling and waits for the job in progress to finish (graceful shutdown). */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }
}

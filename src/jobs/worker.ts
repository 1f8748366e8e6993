/**
 * The job worker: polls the job table, runs each claimed job's handler, records success or schedules a retry.
 * Handlers are registered by kind; a handler must be safe to run again after a crash (at-least-once under
 * a lease, exactly-once for its database effects when they happen in one transaction with `completeJob`).
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { claimJobs, completeJob, failJob, type ClaimedJob } from './queue.js';

export type JobHandler = (ctx: AppContext, job: ClaimedJob) => Promise<void>;

export interface WorkerOptions {
  pollMs?: number;
  leaseMs?: number;
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

  /** Claims and runs one batch of due jobs; returns how many ran. Tests call it directly. */
  runOnce(): Promise<number> {
    this.running ??= this.runBatch().finally(() => (this.running = null));
    return this.running;
  }

  private async runBatch(): Promise<number> {
    const { ctx } = this;
    const jobs = await claimJobs(ctx.db, this.id, ctx.clock.now(), this.leaseMs, this.batch);
    for (const job of jobs) {
      const handler = this.handlers[job.kind];
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(ctx, job);
        await completeJob(ctx.db, job.id, this.id, ctx.clock.now());
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const final = await failJob(ctx.db, job, this.id, ctx.clock.now(), message);
        ctx.log.warn({ job: job.id, kind: job.kind, attempts: job.attempts, final, err: message }, 'job failed');
      }
    }
    return jobs.length;
  }

  /** Stops polling and waits for the batch in progress to finish (graceful shutdown). */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }
}

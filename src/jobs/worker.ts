/**
 * The job worker: polls the job table, runs each claimed job's handler, records success or schedules a retry.
 * Handlers are registered by kind. A handler may run again after a crash (its lease ends and another worker
 * takes the job), so it either completes the job inside its own transaction (`completeWithin`, exactly once
 * for database effects) or guards its outside effect with state of its own (the mail outbox does).
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { claimJobs, completeJob, failJob, wasCompletedInHandler, type ClaimedJob, type KindFilter } from './queue.js';

export type JobHandler = (ctx: AppContext, job: ClaimedJob) => Promise<void>;

/**
 * A lane is a share of the worker with its own concurrency: jobs of its kinds run there and nowhere else. The
 * lane without kinds takes every other kind. A lane waiting on a slow outside service (a silent SMTP server)
 * holds up only its own jobs: backups and the purge run in theirs.
 */
export interface JobLane {
  name: string;
  /** The kinds this lane runs; leave out for the lane that runs all the others (exactly one such lane). */
  kinds?: readonly string[];
  /** Jobs of this lane running at the same time. */
  concurrency: number;
}

export interface WorkerOptions {
  pollMs?: number;
  leaseMs?: number;
  /** Jobs a lane runs per round before it looks again (`runOnce` runs one round). */
  batch?: number;
  lanes?: readonly JobLane[];
}

interface Lane extends JobLane {
  filter: KindFilter;
  timer: NodeJS.Timeout | null;
  running: Promise<number> | null;
}

export class JobWorker {
  readonly id = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  private stopped = false;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly batch: number;
  private readonly lanes: Lane[];

  constructor(
    private readonly ctx: AppContext,
    private readonly handlers: Record<string, JobHandler>,
    opts: WorkerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2000;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.batch = opts.batch ?? 5;
    const lanes = opts.lanes?.length ? opts.lanes : [{ name: 'jobs', concurrency: 1 }];
    const named = lanes.flatMap((l) => l.kinds ?? []);
    if (lanes.filter((l) => !l.kinds).length !== 1) throw new Error('a job worker needs exactly one lane without kinds, for the other jobs');
    this.lanes = lanes.map((l) => ({
      ...l,
      concurrency: Math.max(1, l.concurrency),
      filter: l.kinds ? { only: l.kinds } : { except: named },
      timer: null,
      running: null,
    }));
  }

  /**
   * Each lane polls on its own: after a round that found work it looks again at once (a mailing of 400 does not
   * wait 2 s per handful), after an empty round it waits `pollMs`.
   */
  start() {
    this.stopped = false;
    for (const lane of this.lanes) {
      const loop = async () => {
        if (this.stopped) return;
        let ran = 0;
        try {
          ran = await this.runLane(lane);
        } catch (error) {
          this.ctx.log.error({ err: error, lane: lane.name }, 'job poll failed');
        }
        if (!this.stopped) lane.timer = setTimeout(loop, ran > 0 ? 0 : this.pollMs);
      };
      lane.timer = setTimeout(loop, 0);
    }
  }

  /** Runs one round of every lane (up to `batch` due jobs each); returns how many ran. Tests call it directly. */
  async runOnce(): Promise<number> {
    const counts = await Promise.all(this.lanes.map((lane) => this.runLane(lane)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private runLane(lane: Lane): Promise<number> {
    lane.running ??= this.runRound(lane).finally(() => (lane.running = null));
    return lane.running;
  }

  /** Up to `concurrency` runners, each claiming one job at a time, until the round's `batch` is reached or nothing is due. */
  private async runRound(lane: Lane): Promise<number> {
    let started = 0;
    const runner = async () => {
      // One claim per job, so each lease starts when its job starts and other workers share a long queue.
      while (started < this.batch && !this.stopped) {
        started += 1;
        const [job] = await claimJobs(this.ctx.db, this.id, this.ctx.clock.now(), this.leaseMs, 1, lane.filter);
        if (!job) {
          started -= 1;
          return;
        }
        await this.run(job);
      }
    };
    await Promise.all(Array.from({ length: Math.min(lane.concurrency, this.batch) }, runner));
    return started;
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
    for (const lane of this.lanes) if (lane.timer) clearTimeout(lane.timer);
    await Promise.all(this.lanes.map((lane) => lane.running?.catch(() => {})));
  }
}

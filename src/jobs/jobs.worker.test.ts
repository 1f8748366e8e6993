import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { isPostgresRun, useTestWorld } from '../../tests/support/context.js';
import { openContext } from '../bootstrap.js';
import type { AppContext } from '../context.js';
import { openDatabase, type Database } from '../db/database.js';
import { MINUTE } from '../shared/time.js';
import { backoffMs, claimJobs, completeJob, enqueueJob, rescheduleJob } from './queue.js';
import { JobWorker, type JobHandler } from './worker.js';

const w = useTestWorld();

const LEASE = 5 * MINUTE;
const SECOND_MS = 1000;

/** Runs workers side by side, round after round, until none finds anything to do. */
async function drain(workers: JobWorker[], maxRounds = 200) {
  const perWorker = workers.map(() => 0);
  for (let round = 0; round < maxRounds; round++) {
    const ran = await Promise.all(workers.map((wk) => wk.runOnce()));
    ran.forEach((n, i) => (perWorker[i] += n));
    if (ran.every((n) => n === 0)) return perWorker;
  }
  throw new Error('the queue never emptied');
}

const jobRow = (id: number) => w.ctx.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the job queue', () => {
  test('two workers racing over fifty jobs run every handler exactly once', async () => {
    const now = w.clock.now();
    for (let i = 0; i < 50; i++) await enqueueJob(w.ctx.db, now, 'test.count', { n: i });
    const runs = new Map<number, number>();
    const count: JobHandler = async (_ctx, job) => {
      // Yields to the event loop so the other worker's queries interleave with this job's run.
      await new Promise((r) => setImmediate(r));
      const n = Number(job.payload.n);
      runs.set(n, (runs.get(n) ?? 0) + 1);
    };
    const a = new JobWorker(w.ctx, { 'test.count': count }, { batch: 3, leaseMs: LEASE });
    const b = new JobWorker(w.ctx, { 'test.count': count }, { batch: 3, leaseMs: LEASE });
    const [byA, byB] = await drain([a, b]);

    assert.equal(byA + byB, 50);
    assert.ok(byA > 0 && byB > 0, `both workers took part (${byA} / ${byB})`);
    assert.equal(runs.size, 50);
    assert.deepEqual([...runs.values()].filter((c) => c !== 1), [], 'no job ran twice');
    const states = await w.ctx.db.selectFrom('job').select(['state', 'attempts']).execute();
    assert.ok(states.every((s) => s.state === 'done' && s.attempts === 1));
  });

  test('ten claims at the same instant never hand out the same job twice', async () => {
    const now = w.clock.now();
    for (let i = 0; i < 50; i++) await enqueueJob(w.ctx.db, now, 'test.claim', { n: i });
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimJobs(w.ctx.db, `claimer-${i}`, now, LEASE, 5)));
    const ids = claims.flat().map((j) => j.id);
    assert.equal(ids.length, 50);
    assert.equal(new Set(ids).size, 50);
  });

  test('a failing job is retried after a growing backoff and ends failed after its last attempt', async () => {
    const id = (await enqueueJob(w.ctx.db, w.clock.now(), 'test.fail', {}, { maxAttempts: 4 }))!;
    let calls = 0;
    const worker = new JobWorker(w.ctx, {
      'test.fail': async () => {
        calls += 1;
        throw new Error(`SMTP refused (${calls})`);
      },
    });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await worker.runOnce(), 1);
      const row = await jobRow(id);
      assert.equal(row.state, 'pending');
      assert.equal(row.attempts, attempt);
      assert.match(row.last_error ?? '', new RegExp(`\\(${attempt}\\)`));
      const delay = row.run_at.getTime() - w.clock.now().getTime();
      delays.push(delay);
      w.clock.advance(delay - SECOND_MS);
      assert.equal(await worker.runOnce(), 0, 'not before its backoff is over');
      w.clock.advance(SECOND_MS);
    }
    assert.deepEqual(delays, [backoffMs(1), backoffMs(2), backoffMs(3)]);
    assert.ok(delays[0] < delays[1] && delays[1] < delays[2], 'the wait grows');

    assert.equal(await worker.runOnce(), 1);
    const final = await jobRow(id);
    assert.equal(final.state, 'failed');
    assert.equal(final.attempts, 4);
    assert.ok(final.finished_at);
    assert.equal(final.locked_by, null);
    w.clock.advance(24 * 60 * MINUTE);
    assert.equal(await worker.runOnce(), 0, 'a failed job is never run again by itself');
    assert.equal(calls, 4);
  });

  test('a job held by a worker that crashed is taken again only once its lease has ended', async () => {
    const id = (await enqueueJob(w.ctx.db, w.clock.now(), 'test.once', {}))!;
    const [claimed] = await claimJobs(w.ctx.db, 'worker-that-crashed', w.clock.now(), LEASE);
    assert.equal(claimed.id, id);

    let runs = 0;
    const survivor = new JobWorker(w.ctx, { 'test.once': async () => void (runs += 1) }, { leaseMs: LEASE });
    assert.equal(await survivor.runOnce(), 0);
    w.clock.advance(LEASE - SECOND_MS);
    assert.equal(await survivor.runOnce(), 0, 'the lease still holds');
    w.clock.advance(SECOND_MS);
    assert.equal(await survivor.runOnce(), 1);
    assert.equal(runs, 1);
    const row = await jobRow(id);
    assert.equal(row.state, 'done');
    assert.equal(row.attempts, 2, 'the interrupted run counts as an attempt');
  });

  test('a job whose runs keep being interrupted stops after its last attempt without running again', async () => {
    const id = (await enqueueJob(w.ctx.db, w.clock.now(), 'test.poison', {}, { maxAttempts: 2 }))!;
    for (let i = 0; i < 2; i++) {
      await claimJobs(w.ctx.db, `crashed-${i}`, w.clock.now(), LEASE);
      w.clock.advance(LEASE);
    }
    let runs = 0;
    const worker = new JobWorker(w.ctx, { 'test.poison': async () => void (runs += 1) }, { leaseMs: LEASE });
    assert.equal(await worker.runOnce(), 1);
    assert.equal(runs, 0);
    const row = await jobRow(id);
    assert.equal(row.state, 'failed');
    assert.match(row.last_error ?? '', /interrupted/);
  });

  test('a dedupe key enqueues a job once; rescheduling it runs it again from its first attempt', async () => {
    const now = w.clock.now();
    const first = await enqueueJob(w.ctx.db, now, 'test.key', {}, { dedupeKey: 'k-1' });
    const second = await enqueueJob(w.ctx.db, now, 'test.key', {}, { dedupeKey: 'k-1' });
    assert.ok(first);
    assert.equal(second, null);
    let runs = 0;
    const worker = new JobWorker(w.ctx, { 'test.key': async () => void (runs += 1) });
    await drain([worker]);
    await rescheduleJob(w.ctx.db, w.clock.now(), 'test.key', {}, 'k-1');
    const row = await jobRow(first);
    assert.equal(row.state, 'pending');
    assert.equal(row.attempts, 0);
    await drain([worker]);
    assert.equal(runs, 2);

    // Rescheduled while a worker is running it: that run's completion is refused and the job runs again.
    await rescheduleJob(w.ctx.db, w.clock.now(), 'test.key', {}, 'k-1');
    const [inFlight] = await claimJobs(w.ctx.db, 'busy-worker', w.clock.now(), LEASE);
    await rescheduleJob(w.ctx.db, w.clock.now(), 'test.key', {}, 'k-1');
    assert.equal(await completeJob(w.ctx.db, inFlight.id, 'busy-worker', w.clock.now()), false);
    await drain([worker]);
    assert.equal(runs, 3);
    assert.equal(await w.ctx.db.selectFrom('job').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)), 1);
  });

  test('a job with no handler fails instead of blocking the queue', async () => {
    const id = (await enqueueJob(w.ctx.db, w.clock.now(), 'test.unknown', {}, { maxAttempts: 1 }))!;
    await new JobWorker(w.ctx, {}).runOnce();
    const row = await jobRow(id);
    assert.equal(row.state, 'failed');
    assert.match(row.last_error ?? '', /no handler/);
  });

  test('a started worker keeps claiming while work is waiting, instead of a handful per poll', async () => {
    const now = w.clock.now();
    for (let i = 0; i < 40; i++) await enqueueJob(w.ctx.db, now, 'test.quick', { n: i });
    let runs = 0;
    // A poll interval longer than the test: only claiming again at once can run all forty.
    const worker = new JobWorker(w.ctx, { 'test.quick': async () => void (runs += 1) }, { pollMs: 600_000 });
    worker.start();
    const deadline = Date.now() + 20_000;
    while (runs < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    assert.equal(runs, 40);
  });

  test('a lane runs only its kinds, with its own concurrency, and a blocked lane does not hold up the others', async () => {
    const now = w.clock.now();
    for (let i = 0; i < 4; i++) await enqueueJob(w.ctx.db, now, 'test.slow_outside', { n: i });
    const other = (await enqueueJob(w.ctx.db, now, 'test.other', {}))!;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    let most = 0;
    const worker = new JobWorker(
      w.ctx,
      {
        'test.slow_outside': async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await gate;
          inFlight -= 1;
        },
        'test.other': async () => {},
      },
      { lanes: [{ name: 'outside', kinds: ['test.slow_outside'], concurrency: 3 }, { name: 'jobs', concurrency: 1 }] },
    );
    const round = worker.runOnce();
    const deadline = Date.now() + 10_000;
    while (((await jobRow(other)).state !== 'done' || inFlight < 3) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await jobRow(other)).state, 'done', 'the other lane ran while the outside lane was blocked');
    assert.equal(inFlight, 3, 'three at once in the outside lane');
    release();
    assert.equal(await round, 5);
    assert.equal(most, 3);
    const left = await w.ctx.db.selectFrom('job').select('id').where('state', '<>', 'done').execute();
    assert.deepEqual(left, []);
  });

  test('stopping a worker lets the job in progress finish and claims nothing more', async () => {
    const now = w.clock.now();
    for (let i = 0; i < 3; i++) await enqueueJob(w.ctx.db, now, 'test.slow', { n: i });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const worker = new JobWorker(w.ctx, {
      'test.slow': async () => {
        runs += 1;
        await gate;
      },
    });
    const batch = worker.runOnce();
    while (runs === 0) await new Promise((r) => setTimeout(r, 5));
    const stopping = worker.stop();
    release();
    await stopping;
    assert.equal(await batch, 1);
    const done = await w.ctx.db.selectFrom('job').select('state').where('state', '=', 'done').execute();
    assert.equal(done.length, 1);
  });
});

/**
 * A second process on the same database: on PostgreSQL a new connection pool to the world's database; on
 * PGlite a database kept in a folder, closed and opened again as a restarted server would.
 */
describe('jobs across a restart', () => {
  test('jobs enqueued before a restart run afterwards, the interrupted one once its lease is over', async () => {
    let first: { ctx: AppContext; database: Database };
    let reopen: () => Promise<{ ctx: AppContext; database: Database }>;
    let cleanup = () => {};
    if (isPostgresRun()) {
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(w.ctx.db);
      const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
      url.pathname = `/${rows[0].name}`;
      const open = async () => {
        const database = await openDatabase({ databaseUrl: url.toString() });
        return { database, ctx: await openContext(w.ctx.config, { database, clock: w.clock, log: w.ctx.log }) };
      };
      first = { ctx: w.ctx, database: w.database };
      reopen = open;
    } else {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'accueil-restart-'));
      cleanup = () => rmSync(dir, { recursive: true, force: true });
      const open = async () => {
        const database = await openDatabase({ dataDir: dir });
        return { database, ctx: await openContext({ ...w.ctx.config, dataDir: dir }, { database, clock: w.clock, log: w.ctx.log }) };
      };
      first = await open();
      reopen = open;
    }
    try {
      const now = w.clock.now();
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await enqueueJob(first.ctx.db, now, 'test.restart', { n: i }))!);
      // The process dies holding the first job.
      const [held] = await claimJobs(first.ctx.db, 'worker-of-the-dead-process', now, LEASE);
      assert.equal(held.id, ids[0]);
      if (first.database !== w.database) await first.database.close();

      const second = await reopen();
      try {
        const runs = new Map<number, number>();
        const worker = new JobWorker(second.ctx, { 'test.restart': async (_c, job) => void runs.set(job.id, (runs.get(job.id) ?? 0) + 1) }, { leaseMs: LEASE });
        await drain([worker]);
        assert.deepEqual([...runs.keys()].sort(), [ids[1], ids[2]].sort());
        w.clock.advance(LEASE);
        await drain([worker]);
        assert.deepEqual([...runs.entries()].sort(([x], [y]) => x - y), ids.map((id) => [id, 1]));
        const left = await second.ctx.db.selectFrom('job').select('id').where('state', '<>', 'done').execute();
        assert.deepEqual(left, []);
      } finally {
        await second.database.close();
      }
    } finally {
      cleanup();
    }
  });
});

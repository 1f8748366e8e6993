import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTestWorld } from '../../tests/support/context.js';
import { createUser } from '../../tests/support/factories.js';
import { DAY, HOUR } from '../shared/time.js';
import { jobHandlers } from '../modules.js';
import { JOB_RETENTION, PURGE_JOB, purgeJob, purgeSlot, schedulePurge } from './maintenance.js';
import { claimJobs, enqueueJob, LeaseLostError } from './queue.js';
import { JobWorker } from './worker.js';

const w = useTestWorld();

const purgeJobs = () => w.ctx.db.selectFrom('job').selectAll().where('kind', '=', PURGE_JOB).orderBy('run_at').execute();

async function seedDeadRows() {
  const now = w.clock.now();
  const user = await createUser(w.ctx);
  const session = (hash: string, expiresAt: Date) =>
    w.ctx.db.insertInto('session').values({ token_hash: hash, user_id: user.id, created_at: now, last_seen_at: now, expires_at: expiresAt }).execute();
  await session('expired', new Date(now.getTime() - HOUR));
  await session('alive', new Date(now.getTime() + DAY));
  const token = (hash: string, expiresAt: Date, usedAt: Date | null) =>
    w.ctx.db
      .insertInto('email_token')
      .values({ token_hash: hash, user_id: user.id, purpose: 'reset_password', created_at: now, expires_at: expiresAt, used_at: usedAt })
      .execute();
  await token('expired-long-ago', new Date(now.getTime() - 2 * DAY), null);
  await token('used-long-ago', new Date(now.getTime() + DAY), new Date(now.getTime() - 2 * DAY));
  await token('just-used', new Date(now.getTime() + DAY), new Date(now.getTime() - HOUR));
  await token('fresh', new Date(now.getTime() + DAY), null);
  const oldJob = (await enqueueJob(w.ctx.db, now, 'test.old', {}))!;
  await w.ctx.db.updateTable('job').set({ state: 'done', finished_at: new Date(now.getTime() - JOB_RETENTION - DAY) }).where('id', '=', oldJob).execute();
  const recentJob = (await enqueueJob(w.ctx.db, now, 'test.recent', {}))!;
  await w.ctx.db.updateTable('job').set({ state: 'failed', finished_at: new Date(now.getTime() - DAY) }).where('id', '=', recentJob).execute();
}

describe('the daily purge', () => {
  test('deletes expired sessions, spent tokens and old finished jobs, and keeps everything still useful', async () => {
    await seedDeadRows();
    await schedulePurge(w.ctx);
    await new JobWorker(w.ctx, jobHandlers).runOnce();

    const sessions = await w.ctx.db.selectFrom('session').select('token_hash').execute();
    assert.deepEqual(sessions.map((s) => s.token_hash), ['alive']);
    const tokens = await w.ctx.db.selectFrom('email_token').select('token_hash').orderBy('token_hash').execute();
    assert.deepEqual(tokens.map((t) => t.token_hash), ['fresh', 'just-used']);
    const kinds = await w.ctx.db.selectFrom('job').select('kind').where('kind', 'like', 'test.%').execute();
    assert.deepEqual(kinds.map((k) => k.kind), ['test.recent']);
  });

  test('runs once a day: starting several times the same day schedules one purge, and each run books the next day', async () => {
    // 27 November 2026, 09:00 UTC: the day's slot (02:00 UTC) is past, so the start-up purge runs now.
    await schedulePurge(w.ctx);
    await schedulePurge(w.ctx);
    assert.equal((await purgeJobs()).length, 1);

    const worker = new JobWorker(w.ctx, jobHandlers);
    assert.equal(await worker.runOnce(), 1);
    await schedulePurge(w.ctx);
    let jobs = await purgeJobs();
    assert.deepEqual(
      jobs.map((j) => [j.state, j.dedupe_key, j.run_at.toISOString()]),
      [
        ['done', 'maintenance.purge:2026-11-27', '2026-11-27T09:00:00.000Z'],
        ['pending', 'maintenance.purge:2026-11-28', '2026-11-28T02:00:00.000Z'],
      ],
    );

    w.clock.set('2026-11-28T01:59:00Z');
    assert.equal(await worker.runOnce(), 0);
    w.clock.set('2026-11-28T02:00:00Z');
    assert.equal(await worker.runOnce(), 1);
    jobs = await purgeJobs();
    assert.deepEqual(jobs.map((j) => j.dedupe_key), ['maintenance.purge:2026-11-27', 'maintenance.purge:2026-11-28', 'maintenance.purge:2026-11-29']);
  });

  test('the slot of the day starts at 02:00 UTC', () => {
    assert.equal(purgeSlot(new Date('2026-11-27T01:59:59Z')).toISOString(), '2026-11-26T02:00:00.000Z');
    assert.equal(purgeSlot(new Date('2026-11-27T02:00:00Z')).toISOString(), '2026-11-27T02:00:00.000Z');
    assert.equal(purgeSlot(new Date('2026-11-27T23:00:00Z')).toISOString(), '2026-11-27T02:00:00.000Z');
  });

  test('a purge whose lease was taken over changes nothing: its deletes roll back with the refused completion', async () => {
    await seedDeadRows();
    await schedulePurge(w.ctx);
    const [slow] = await claimJobs(w.ctx.db, 'slow-worker', w.clock.now(), HOUR);
    w.clock.advance(HOUR);
    const [other] = await claimJobs(w.ctx.db, 'other-worker', w.clock.now(), HOUR);
    assert.equal(other.id, slow.id);

    await assert.rejects(purgeJob(w.ctx, slow), LeaseLostError);
    const expired = await w.ctx.db.selectFrom('session').select('token_hash').where('token_hash', '=', 'expired').execute();
    assert.equal(expired.length, 1, 'the slow worker deleted nothing');
    assert.equal((await purgeJobs()).length, 1, 'nor booked the next day');

    await purgeJob(w.ctx, other);
    assert.equal((await w.ctx.db.selectFrom('session').select('token_hash').where('token_hash', '=', 'expired').execute()).length, 0);
    assert.equal((await purgeJobs()).length, 2);
  });
});

/**
 * Many people at once, on PGlite and on PostgreSQL (`npm run test:pg`): the database decides. One room, one slot,
 * 100 simultaneous requests: exactly one booking, the 99 others "already taken". An open space of 10 desks,
 * 50 simultaneous requests for the same morning: exactly 10.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../shared/app-error.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { addThirdPlace, makeResource, roomInput } from '../bookings.testing.js';
import * as service from './reservations.service.js';

const w = useTestWorld();

async function members(n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']));
  return out;
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => {
      if (e instanceof AppError) return e.message;
      throw e;
    },
  );

async function liveCount(resourceId: number) {
  const { n } = await w.ctx.db
    .selectFrom('booking')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('resource_id', '=', resourceId)
    .where('status', 'in', ['held', 'confirmed'])
    .executeTakeFirstOrThrow();
  return Number(n);
}

test('100 simultaneous requests for one room and one slot make exactly one booking; the others are told it is taken', async () => {
  w.clock.set('2026-11-30T07:00:00Z');
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const room = await makeResource(w.ctx, staff, roomInput(await addThirdPlace(w.ctx)));
  const people = await members(100);
  const results = await Promise.all(
    people.map((p) => outcome(service.bookResource(w.ctx, p, { slug: room.slug }, { day: '2026-12-01', startMinutes: 600, endMinutes: 720, note: '' }))),
  );
  assert.equal(results.filter((r) => r === 'ok').length, 1);
  assert.equal(results.filter((r) => r === 'bookings.errors.taken').length, 99);
  assert.equal(await liveCount(room.id), 1);
});

test('50 simultaneous requests for an open space of 10 desks make exactly 10 bookings', async () => {
  w.clock.set('2026-11-30T07:00:00Z');
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const desks = await makeResource(w.ctx, staff, roomInput(await addThirdPlace(w.ctx), { slug: 'open-space', kind: 'desk', capacity: 10 }));
  const people = await members(50);
  const results = await Promise.all(
    people.map((p) => outcome(service.bookResource(w.ctx, p, { slug: desks.slug }, { day: '2026-12-01', startMinutes: 540, endMinutes: 780, note: '' }))),
  );
  assert.equal(results.filter((r) => r === 'ok').length, 10);
  assert.equal(results.filter((r) => r === 'bookings.errors.taken').length, 40);
  assert.equal(await liveCount(desks.id), 10);
});

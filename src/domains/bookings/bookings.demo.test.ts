import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestWorld } from '../../../tests/support/context.js';
import { createUser } from '../../../tests/support/factories.js';
import { DEMO_ACCOUNTS } from '../accounts/index.js';
import { loadDemoBookings } from './bookings.demo.js';
import { addThirdPlace } from './bookings.testing.js';

const w = useTestWorld();

const count = async (table: 'booking' | 'booking_resource' | 'appointment_slot' | 'appointment') => Number((await w.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

test('the demo gives La Dynamo its desks, rooms, studio and machines, a week of bookings and an adviser’s appointment slots, once', async () => {
  w.clock.set('2026-12-02T10:00:00Z');
  await addThirdPlace(w.ctx, 'la-dynamo');
  for (const a of DEMO_ACCOUNTS) await createUser(w.ctx, { email: a.email, roles: a.roles });
  await loadDemoBookings(w.ctx);
  assert.equal(await count('booking_resource'), 7);
  const machines = await w.ctx.db.selectFrom('booking_resource').select(['slug']).where('requires_authorisation', '=', true).execute();
  assert.deepEqual(machines.map((m) => m.slug).sort(), ['dynamo-decoupeuse-laser', 'dynamo-imprimante-3d-1', 'dynamo-imprimante-3d-2']);
  const desks = await w.ctx.db.selectFrom('booking_resource').select(['capacity']).where('slug', '=', 'dynamo-open-space').executeTakeFirstOrThrow();
  assert.equal(desks.capacity, 12);
  // The laser cutter behind its training with a session to come; the demo member holds the 3D printers' one.
  const gated = await w.ctx.db
    .selectFrom('booking_resource as r')
    .innerJoin('booking_training_kind as k', 'k.id', 'r.training_kind_id')
    .select(['r.slug', 'k.slug as kind'])
    .orderBy('r.slug')
    .execute();
  assert.deepEqual(gated.map((g) => [g.slug, g.kind]), [['dynamo-decoupeuse-laser', 'decoupe-laser'], ['dynamo-imprimante-3d-1', 'impression-3d'], ['dynamo-imprimante-3d-2', 'impression-3d']]);
  const session = await w.ctx.db.selectFrom('booking_training_session as s').innerJoin('event as e', 'e.id', 's.event_id').select(['e.starts_at', 'e.status']).executeTakeFirstOrThrow();
  assert.ok(session.starts_at > w.clock.now() && session.status === 'published');
  const held = await w.ctx.db.selectFrom('booking_authorisation as a').innerJoin('user_account as u', 'u.id', 'a.user_id').innerJoin('booking_training_kind as k', 'k.id', 'a.training_kind_id').select(['u.email', 'k.slug']).execute();
  assert.deepEqual(held, [{ email: DEMO_ACCOUNTS.find((a) => a.roles.includes('member'))!.email, slug: 'impression-3d' }]);
  const bookings = await count('booking');
  assert.ok(bookings >= 30, `${bookings} bookings`);
  const slots = await count('appointment_slot');
  assert.ok(slots >= 5, `${slots} appointment slots`);
  assert.equal(await count('appointment'), 1);
  await loadDemoBookings(w.ctx);
  assert.equal(await count('booking'), bookings);
  assert.equal(await count('appointment_slot'), slots);
  assert.equal(await count('booking_resource'), 7);
});

test('without La Dynamo the demo adds nothing', async () => {
  await loadDemoBookings(w.ctx);
  assert.equal(await count('booking_resource'), 0);
});

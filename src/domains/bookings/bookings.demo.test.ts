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

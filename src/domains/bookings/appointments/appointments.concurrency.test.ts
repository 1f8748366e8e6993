/**
 * One person per slot, said by the database (`appointment_slot_live_key`), on PGlite and on PostgreSQL: 50 people
 * (members and visitors) ask for the same slot at once; exactly one appointment, the others are told it is taken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anonymous } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import * as service from './appointments.service.js';

const w = useTestWorld();

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => {
      if (e instanceof AppError) return e.message;
      throw e;
    },
  );

test('50 simultaneous requests for one appointment slot make exactly one appointment; the others are told it is taken', async () => {
  w.clock.set('2026-11-30T07:00:00Z');
  const adviser = actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']);
  const slot = await service.publishSlot(w.ctx, adviser, { day: '2026-12-02', startMinutes: 600, minutes: 30, mode: 'phone', placeId: null, videoUrl: null });
  const members = [];
  for (let i = 0; i < 25; i++) members.push(actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']));
  const results = await Promise.all([
    ...members.map((m) => outcome(service.bookAppointment(w.ctx, m, slot.id, { project: 'Projet' }))),
    ...Array.from({ length: 25 }, (_, i) => outcome(service.holdAppointmentForVisitor(w.ctx, anonymous(w.ctx.territory.id), slot.id, { project: 'Projet', name: `V${i}`, email: `v${i}@exemple.fr` }, 'fr'))),
  ]);
  assert.equal(results.filter((r) => r === 'ok').length, 1);
  assert.equal(results.filter((r) => r === 'bookings.appointments.errors.taken').length, 49);
  const live = await w.ctx.db.selectFrom('appointment').select('id').where('slot_id', '=', slot.id).where('status', 'in', ['held', 'confirmed']).execute();
  assert.equal(live.length, 1);
});

/**
 * Presence and occupancy against a real database: opening hours from the one availability function (public
 * holidays and closures out), booked hours over open hours per resource, type and audience, the no-show rate, the
 * CSV, marks on the day's list, and who may do what.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { addThirdPlace, makeResource, roomInput } from '../bookings.testing.js';
import { addClosure, findActiveResource } from '../resources/index.js';
import { bookForSomeone, bookResource } from '../reservations/index.js';
import * as service from './presence.service.js';

const w = useTestWorld();

const slot = (day: string, from: string, to: string) => {
  const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return { day, startMinutes: m(from), endMinutes: m(to), note: '' };
};

async function world() {
  // Tuesday 1 December 2026, 8:00 in Paris.
  w.clock.set('2026-12-01T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const memberUser = await createUser(w.ctx, { roles: ['member'], name: 'Léa Solo' });
  const member = actorFor(w.ctx, memberUser, ['member']);
  const room = await makeResource(w.ctx, staff, roomInput(placeId, { minMinutes: 60, maxMinutes: 480 }));
  return { placeId, staff, member, memberUser, room };
}

describe('occupancy', () => {
  test('open hours skip Christmas and closures; booked over open hours, per type and audience; no-shows among bookings over', async () => {
    const { staff, member, room, placeId } = await world();
    // December 2026: 23 weekdays, Christmas on Friday 25: 22 days of 9 hours.
    assert.equal(service.openMinutes(room, '2026-12-01', '2026-12-31', []) / 60, 198);
    await addClosure(w.ctx, staff, room.id, { from: '2026-12-28', to: '2026-12-29', reason: 'Entretien' });
    const desks = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'open-space', name: 'Open space', kind: 'desk', capacity: 4, audience: 'visitors', maxMinutes: 540 }));

    await bookResource(w.ctx, member, { id: room.id }, slot('2026-12-01', '10:00', '13:00'));
    await bookResource(w.ctx, member, { id: room.id }, slot('2026-12-02', '10:00', '13:00'));
    await bookForSomeone(w.ctx, staff, desks.id, { ...slot('2026-12-02', '09:00', '18:00'), mode: 'pour', name: 'Paul Visiteur', email: 'paul@exemple.fr' });
    // A block is not a booking.
    await bookForSomeone(w.ctx, staff, room.id, { ...slot('2026-12-03', '09:00', '18:00'), mode: 'blocage', name: '', email: '' });

    w.clock.set('2026-12-02T16:00:00Z');
    const day = await service.getDayList(w.ctx, staff, '2026-12-01');
    assert.equal(day.rows.length, 1);
    await service.markPresence(w.ctx, staff, day.rows[0].id, 'no_show');

    const data = await service.getOccupancy(w.ctx, staff, '2026-12');
    const r = data.perResource.find((x) => x.resource.id === room.id)!.figures;
    assert.equal(r.openHours, 180);
    assert.equal(r.bookedHours, 6);
    assert.equal(r.rate, 6 / 180);
    assert.equal(r.bookings, 2);
    assert.equal(r.past, 2);
    assert.equal(r.noShows, 1);
    assert.equal(r.noShowRate, 0.5);
    const d = data.perResource.find((x) => x.resource.id === desks.id)!.figures;
    assert.equal(d.openHours, 198 * 4, 'four desks');
    assert.equal(d.bookedHours, 9);
    assert.deepEqual(data.perKind.map((k) => [k.key, k.bookedHours]).sort(), [['desk', 9], ['meeting_room', 6]]);
    assert.deepEqual(data.perAudience.map((a) => [a.key, a.bookedHours]), [['member', 6], ['visitor', 9], ['staff', 0]]);
    assert.equal(data.total.openHours, 180 + 792);

    const csv = await service.exportOccupancyCsv(w.ctx, staff, '2026-12', 'fr');
    assert.equal(csv.name, 'occupation-2026-12.csv');
    assert.match(csv.body, /"Ressource";"Salle test";"Tiers-lieu tiers-lieu-test";"180";"6";"3,3";"2";"1";"50"/);
    assert.match(csv.body, /Source : réservations du tiers-lieu enregistrées sur la plateforme, état au 2026-12-02/);
    // A month that does not parse falls back to the current one, through the route's schema; the service takes it.
    assert.equal((await service.getOccupancy(w.ctx, staff, undefined)).month, '2026-12');
  });
});

describe('the day’s list', () => {
  test('arrivals and no-shows are ticked on the day or after, undone, never ahead; forged ids are not found', async () => {
    const { staff, member, room } = await world();
    const today = await bookResource(w.ctx, member, { id: room.id }, slot('2026-12-01', '10:00', '12:00'));
    const later = await bookResource(w.ctx, member, { id: room.id }, slot('2026-12-04', '10:00', '12:00'));
    assert.equal((await service.markPresence(w.ctx, staff, today.id, 'arrived')).day, '2026-12-01');
    assert.equal((await service.getDayList(w.ctx, staff, '2026-12-01')).rows[0].presence, 'arrived');
    await service.markPresence(w.ctx, staff, today.id, 'expected');
    assert.equal((await service.getDayList(w.ctx, staff, '2026-12-01')).rows[0].presence, null);
    assert.equal(await codeOf(service.markPresence(w.ctx, staff, later.id, 'arrived')), 'conflict');
    assert.equal(await codeOf(service.markPresence(w.ctx, staff, '00000000-0000-4000-8000-000000000000', 'arrived')), 'not_found');
    assert.equal(await codeOf(service.markPresence(w.ctx, staff, 'pas-un-id', 'arrived')), 'not_found');
    assert.equal(await codeOf(service.markPresence(w.ctx, staff, today.id, null)), 'invalid');
    assert.ok(await findActiveResource(w.ctx, { id: room.id }));
  });

  test('staff, admins and space managers only', async () => {
    const { member, room } = await world();
    const b = await bookResource(w.ctx, member, { id: room.id }, slot('2026-12-01', '10:00', '12:00'));
    for (const role of ['staff', 'admin', 'space_manager'] as const) {
      const a = actorFor(w.ctx, await createUser(w.ctx, { roles: [role] }), [role]);
      assert.equal(await codeOf(service.getDayList(w.ctx, a, undefined)), 'ok', role);
      assert.equal(await codeOf(service.getOccupancy(w.ctx, a, undefined)), 'ok', role);
      assert.equal(await codeOf(service.markPresence(w.ctx, a, b.id, 'arrived')), 'ok', role);
    }
    for (const role of ['member', 'candidate', 'partner'] as const) {
      const a = actorFor(w.ctx, await createUser(w.ctx, { roles: [role] }), [role]);
      assert.equal(await codeOf(service.getDayList(w.ctx, a, undefined)), 'forbidden', role);
      assert.equal(await codeOf(service.getOccupancy(w.ctx, a, undefined)), 'forbidden', role);
      assert.equal(await codeOf(service.exportOccupancyCsv(w.ctx, a, undefined, 'fr')), 'forbidden', role);
      assert.equal(await codeOf(service.markPresence(w.ctx, a, b.id, 'no_show')), 'forbidden', role);
    }
    assert.equal(await codeOf(service.markPresence(w.ctx, member, b.id, 'arrived')), 'forbidden', 'not even on one’s own booking');
    assert.equal(await codeOf(service.getDayList(w.ctx, actorFor(w.ctx, null), undefined)), 'unauthenticated');
  });
});

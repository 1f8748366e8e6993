/**
 * Trainings and authorisations against a real database: the gate on a machine (none, expired, lapsed, valid), the
 * next session offered with the refusal, marking who passed (after the session, registrants only), the team
 * booking for a person, who may do what per role, forged ids, and the person's data.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../shared/app-error.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { addConfirmedRegistration, addThirdPlace, addTrainingEvent, makeResource, roomInput } from '../bookings.testing.js';
import { bookForSomeone, bookResource, cancelBooking } from '../reservations/index.js';
import * as service from './authorisations.service.js';

const w = useTestWorld();

const slot = (day: string, from: string, to: string) => {
  const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return { day, startMinutes: m(from), endMinutes: m(to), note: '' };
};

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  assert.fail('expected a refusal');
}

const kindInput = (machineIds: number[], over: Partial<{ validityMonths: number; lapseMonths: number | null }> = {}) => ({
  name: 'Découpe laser',
  slug: 'decoupe-laser',
  validityMonths: 12,
  lapseMonths: 6,
  machineIds,
  ...over,
});

async function world() {
  // Monday 30 November 2026, 8:00 in Paris.
  w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const staffUser = await createUser(w.ctx, { roles: ['space_manager'] });
  const staff = actorFor(w.ctx, staffUser, ['space_manager']);
  const memberUser = await createUser(w.ctx, { roles: ['member'], name: 'Léa Solo' });
  const member = actorFor(w.ctx, memberUser, ['member']);
  const laser = await makeResource(w.ctx, staff, roomInput(placeId, { name: 'Découpeuse laser', slug: 'laser', kind: 'machine', requiresAuthorisation: true, minMinutes: 60, maxMinutes: 180, memberHorizonDays: 400 }));
  const { id: kindId } = await service.createKind(w.ctx, staff, kindInput([laser.id]));
  // The session: Thursday 3 December, 14:00.
  const event = await addTrainingEvent(w.ctx, { slug: 'formation-laser-decembre', startsAt: new Date('2026-12-03T13:00:00Z'), placeId });
  await service.linkSession(w.ctx, staff, kindId, event.id);
  return { placeId, staff, staffUser, member, memberUser, laser, kindId, event };
}

describe('the state of an authorisation', () => {
  const granted = new Date('2026-01-15T10:00:00Z');
  const a = { granted_at: granted, expires_at: service.addMonths(granted, 12), last_used_at: null, lapse_months: 6 };
  test('valid until it expires or lapses, whichever comes first; use pushes the lapse back', () => {
    assert.equal(service.stateOf(undefined, granted).state, 'none');
    assert.deepEqual(service.stateOf(a, new Date('2026-03-01T00:00:00Z')), { state: 'valid', until: new Date('2026-07-15T10:00:00Z') });
    assert.equal(service.stateOf(a, new Date('2026-07-16T00:00:00Z')).state, 'lapsed');
    const used = { ...a, last_used_at: new Date('2026-06-01T10:00:00Z') };
    assert.equal(service.stateOf(used, new Date('2026-07-16T00:00:00Z')).state, 'valid');
    assert.equal(service.stateOf(used, new Date('2026-12-02T00:00:00Z')).state, 'lapsed');
    assert.equal(service.stateOf({ ...a, lapse_months: null }, new Date('2027-01-15T10:00:00Z')).state, 'expired');
    assert.equal(service.stateOf({ ...used, last_used_at: new Date('2026-12-01T10:00:00Z') }, new Date('2027-01-16T00:00:00Z')).state, 'expired');
  });
  test('months are added by the calendar, the last day when the month is shorter', () => {
    assert.equal(service.addMonths(new Date('2027-01-31T10:00:00Z'), 1).toISOString(), '2027-02-28T10:00:00.000Z');
    assert.equal(service.addMonths(new Date('2026-12-03T10:00:00Z'), 12).toISOString(), '2027-12-03T10:00:00.000Z');
  });
});

describe('the gate on a machine behind a training', () => {
  test('refused without an authorisation, with the next session; passed after the session; then booked', async () => {
    const { staff, member, memberUser, laser, event } = await world();
    const refused = await refusal(bookResource(w.ctx, member, { slug: laser.slug }, slot('2026-12-07', '10:00', '11:00')));
    assert.equal(refused.code, 'forbidden');
    assert.equal(refused.message, 'bookings.gate.errors.none');
    assert.equal(refused.fields._form, 'bookings.gate.errors.none');
    const gate = service.gateOf(refused);
    assert.equal(gate?.training, 'Découpe laser');
    assert.equal(gate?.next?.slug, event.slug);
    assert.equal(gate?.next?.startsAt.toISOString(), '2026-12-03T13:00:00.000Z');

    await addConfirmedRegistration(w.ctx, event.id, memberUser, 'Léa Solo');
    const page = await service.getSessionForStaff(w.ctx, staff, event.id);
    assert.deepEqual(page.registrants.map((r) => r.name), ['Léa Solo']);
    // Not before the session has started.
    assert.equal((await refusal(service.markPassed(w.ctx, staff, event.id, [memberUser.id]))).message, 'bookings.gate.errors.notYet');
    w.clock.set('2026-12-03T16:30:00Z');
    const stranger = await createUser(w.ctx, { roles: ['member'] });
    assert.equal((await refusal(service.markPassed(w.ctx, staff, event.id, [stranger.id]))).fields.reussi, 'bookings.gate.errors.notRegistrant');
    const passed = await service.markPassed(w.ctx, staff, event.id, [memberUser.id]);
    assert.equal(passed.expiresAt.toISOString(), '2027-12-03T16:30:00.000Z');

    const booked = await bookResource(w.ctx, member, { slug: laser.slug }, slot('2026-12-07', '10:00', '11:00'));
    assert.equal(booked.status, 'confirmed');
    const mine = await service.listMyAuthorisations(w.ctx, member);
    assert.deepEqual(mine.map((a) => [a.kind_name, a.state]), [['Découpe laser', 'valid']]);
  });

  test('an authorisation lapses after the kind’s months without use, and expires after its validity', async () => {
    const { staff, member, memberUser, laser, event } = await world();
    await addConfirmedRegistration(w.ctx, event.id, memberUser);
    w.clock.set('2026-12-03T16:30:00Z');
    await service.markPassed(w.ctx, staff, event.id, [memberUser.id]);
    // Used on 7 December; six months and a bit later, lapsed.
    await bookResource(w.ctx, member, { slug: laser.slug }, slot('2026-12-07', '10:00', '11:00'));
    w.clock.set('2027-06-08T07:00:00Z');
    const lapsed = await refusal(bookResource(w.ctx, member, { slug: laser.slug }, slot('2027-06-10', '10:00', '11:00')));
    assert.equal(lapsed.message, 'bookings.gate.errors.lapsed');
    assert.equal(service.gateOf(lapsed)?.since?.toISOString(), '2027-06-07T10:00:00.000Z');
    assert.equal(service.gateOf(lapsed)?.next, null, 'no session to come');

    // Without a lapse, it still expires after twelve months.
    await service.updateKind(w.ctx, staff, (await service.listKindsForStaff(w.ctx, staff)).kinds[0].kind.id, kindInput([laser.id], { lapseMonths: null }));
    assert.equal((await bookResource(w.ctx, member, { slug: laser.slug }, slot('2027-06-10', '10:00', '11:00'))).status, 'confirmed');
    w.clock.set('2027-12-06T07:00:00Z');
    assert.equal((await refusal(bookResource(w.ctx, member, { slug: laser.slug }, slot('2027-12-08', '10:00', '11:00')))).message, 'bookings.gate.errors.expired');
  });

  test('a no-show is not a use', async () => {
    const { staff, member, memberUser, laser, event } = await world();
    await addConfirmedRegistration(w.ctx, event.id, memberUser);
    w.clock.set('2026-12-03T16:30:00Z');
    await service.markPassed(w.ctx, staff, event.id, [memberUser.id]);
    const b = await bookResource(w.ctx, member, { slug: laser.slug }, slot('2027-05-31', '10:00', '11:00'));
    await w.ctx.db.updateTable('booking').set({ presence: 'no_show' }).where('id', '=', b.id).execute();
    w.clock.set('2027-06-08T07:00:00Z');
    assert.equal((await refusal(bookResource(w.ctx, member, { slug: laser.slug }, slot('2027-06-10', '10:00', '11:00')))).message, 'bookings.gate.errors.lapsed');
  });

  test('the team books a gated machine for itself, and for a person only when that person is authorised', async () => {
    const { staff, member, memberUser, laser, event } = await world();
    assert.equal((await bookResource(w.ctx, staff, { slug: laser.slug }, slot('2026-12-07', '10:00', '11:00'))).status, 'confirmed');
    const forLea = { ...slot('2026-12-07', '14:00', '15:00'), mode: 'pour' as const, name: '', email: memberUser.email };
    assert.equal((await refusal(bookForSomeone(w.ctx, staff, laser.id, forLea))).message, 'bookings.gate.errors.none');
    const visitor = { ...slot('2026-12-07', '14:00', '15:00'), mode: 'pour' as const, name: 'Paul', email: 'paul@exemple.fr' };
    assert.equal((await refusal(bookForSomeone(w.ctx, staff, laser.id, visitor))).message, 'bookings.errors.authorisationRequired');
    await addConfirmedRegistration(w.ctx, event.id, memberUser);
    w.clock.set('2026-12-03T16:30:00Z');
    await service.markPassed(w.ctx, staff, event.id, [memberUser.id]);
    const done = await bookForSomeone(w.ctx, staff, laser.id, forLea);
    assert.equal(done.status, 'confirmed');
    // Someone else's booking stays "not found" for another member.
    const other = actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']);
    assert.equal(await codeOf(cancelBooking(w.ctx, other, done.id)), 'not_found');
    assert.equal(await codeOf(cancelBooking(w.ctx, member, done.id)), 'ok');
  });
});

describe('who may manage trainings', () => {
  test('staff, admins and space managers; never members, candidates, partners or anonymous visitors', async () => {
    const { kindId, event, laser, memberUser } = await world();
    for (const role of ['staff', 'admin', 'space_manager'] as const) {
      const a = actorFor(w.ctx, await createUser(w.ctx, { roles: [role] }), [role]);
      assert.equal(await codeOf(service.listKindsForStaff(w.ctx, a)), 'ok', role);
      assert.equal(await codeOf(service.getKindForStaff(w.ctx, a, kindId)), 'ok', role);
      assert.equal(await codeOf(service.getSessionForStaff(w.ctx, a, event.id)), 'ok', role);
    }
    for (const role of ['member', 'candidate', 'partner'] as const) {
      const a = actorFor(w.ctx, await createUser(w.ctx, { roles: [role] }), [role]);
      assert.equal(await codeOf(service.listKindsForStaff(w.ctx, a)), 'forbidden', role);
      assert.equal(await codeOf(service.getKindForStaff(w.ctx, a, kindId)), 'forbidden', role);
      assert.equal(await codeOf(service.createKind(w.ctx, a, kindInput([laser.id], {}))), 'forbidden', role);
      assert.equal(await codeOf(service.linkSession(w.ctx, a, kindId, event.id)), 'forbidden', role);
      assert.equal(await codeOf(service.markPassed(w.ctx, a, event.id, [memberUser.id])), 'forbidden', role);
    }
    assert.equal(await codeOf(service.markPassed(w.ctx, actorFor(w.ctx, null), event.id, [memberUser.id])), 'unauthenticated');
    assert.equal(await codeOf(service.listMyAuthorisations(w.ctx, actorFor(w.ctx, null))), 'unauthenticated');
  });

  test('forged ids and bad input: French answers, never a crash', async () => {
    const { staff, kindId, laser } = await world();
    assert.equal(await codeOf(service.getKindForStaff(w.ctx, staff, 999_999)), 'not_found');
    assert.equal(await codeOf(service.getKindForStaff(w.ctx, staff, 0)), 'not_found');
    assert.equal(await codeOf(service.getSessionForStaff(w.ctx, staff, 999_999)), 'not_found');
    assert.equal(await codeOf(service.markPassed(w.ctx, staff, 2_147_483_648, [])), 'not_found');
    assert.equal((await refusal(service.linkSession(w.ctx, staff, kindId, 999_999))).fields.evenement, 'bookings.gate.form.chooseSession');
    assert.equal((await refusal(service.createKind(w.ctx, staff, { ...kindInput([laser.id]), name: 'Autre' }))).fields.slug, 'bookings.gate.errors.slugTaken');
    assert.equal((await refusal(service.createKind(w.ctx, staff, { ...kindInput([999_999]), slug: 'autre' }))).fields.machines, 'errors.invalid_field');
  });
});

test('the person’s authorisations are exported with their data and erased with them', async () => {
  const { staff, memberUser, event } = await world();
  await addConfirmedRegistration(w.ctx, event.id, memberUser);
  w.clock.set('2026-12-03T16:30:00Z');
  await service.markPassed(w.ctx, staff, event.id, [memberUser.id]);
  const data = await service.exportAuthorisations(w.ctx, memberUser.id);
  assert.equal(data?.[0].training, 'Découpe laser');
  assert.equal(await service.eraseAuthorisations(w.ctx, memberUser.id), 1);
  assert.equal(await service.exportAuthorisations(w.ctx, memberUser.id), null);
});

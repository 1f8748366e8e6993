/**
 * Booking use cases against a real database: the checks of the one availability function (hours, holidays,
 * durations, past, horizon, notice, daylight saving), the "already taken" answer with the nearest free slots, the
 * database's own refusal, cancellation rules, visitors' holds and their release, staff blocks, a room and its
 * machines, shared spaces, mails, jobs and the person's data.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { isExclusionViolation } from '../../../db/errors.js';
import { JobWorker } from '../../../jobs/worker.js';
import { jobHandlers } from '../../../modules.js';
import { AppError } from '../../../shared/app-error.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { addThirdPlace, makeResource, roomInput } from '../bookings.testing.js';
import * as service from './reservations.service.js';
import type { SlotRequest } from './reservations.schemas.js';

const w = useTestWorld();

const slot = (day: string, from: string, to: string): SlotRequest => {
  const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return { day, startMinutes: m(from), endMinutes: m(to), note: '' };
};

/** The error's i18n key, for refusals that must say precisely why. */
async function keyOf(p: Promise<unknown>) {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.message;
    throw e;
  }
}

async function world() {
  // Monday 30 November 2026, 8:00 in Paris.
  w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const staffUser = await createUser(w.ctx, { roles: ['space_manager'] });
  const staff = actorFor(w.ctx, staffUser, ['space_manager']);
  const memberUser = await createUser(w.ctx, { roles: ['member'], name: 'Léa Solo' });
  const member = actorFor(w.ctx, memberUser, ['member']);
  const otherUser = await createUser(w.ctx, { roles: ['member'] });
  const other = actorFor(w.ctx, otherUser, ['member']);
  const room = await makeResource(w.ctx, staff, roomInput(placeId));
  return { placeId, staff, member, memberUser, other, room };
}

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();

describe('a member books a room', () => {
  test('a member books two hours: confirmed at once, mailed, and a reminder is queued for the day before', async () => {
    const { member, memberUser, room } = await world();
    const b = await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'));
    assert.equal(b.status, 'confirmed');
    assert.equal(b.start.toISOString(), '2026-12-01T09:00:00.000Z');
    const mails = await mailsTo(memberUser.email);
    assert.equal(mails.length, 1);
    assert.match(mails[0].subject, /Réservation confirmée/);
    const reminder = await w.ctx.db.selectFrom('job').select(['run_at']).where('kind', '=', service.REMINDER_JOB).executeTakeFirstOrThrow();
    assert.equal(reminder.run_at.toISOString(), '2026-11-30T09:00:00.000Z');
  });

  test('an overlapping request is refused as already taken, with the nearest free periods of the same length', async () => {
    const { member, other, room } = await world();
    await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'));
    const error = await service.bookResource(w.ctx, other, { slug: room.slug }, slot('2026-12-01', '11:00', '13:00')).catch((e) => e);
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'conflict');
    assert.equal(error.message, 'bookings.errors.taken');
    const near = service.alternativesOf(error);
    assert.ok(near.length > 0);
    for (const a of near) assert.equal(a.end.getTime() - a.start.getTime(), 2 * 3600_000);
    // The closest free two hours: 12:00–14:00 the same day (right after the booking).
    assert.equal(near[0].start.toISOString(), '2026-12-01T11:00:00.000Z');
  });

  test('the database itself refuses two live bookings of a single-use resource that overlap', async () => {
    const { member, room } = await world();
    await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'));
    const error = await sql`insert into booking (territory_id, resource_id, period, exclusive, kind, status, audience, created_at)
      values (${w.ctx.territory.id}, ${room.id}, tstzrange('2026-12-01T10:30:00Z', '2026-12-01T11:30:00Z', '[)'), true, 'booking', 'confirmed', 'member', now())`
      .execute(w.ctx.db)
      .catch((e) => e);
    assert.ok(isExclusionViolation(error), 'SQLSTATE 23P01');
  });

  test('each bad request gets its own French reason, never a server error', async () => {
    const { member, room } = await world();
    const book = (r: SlotRequest) => keyOf(service.bookResource(w.ctx, member, { slug: room.slug }, r));
    assert.equal(await book(slot('2026-12-01', '07:00', '09:00')), 'bookings.errors.outsideHours');
    assert.equal(await book(slot('2026-12-01', '17:00', '19:00')), 'bookings.errors.outsideHours');
    assert.equal(await book(slot('2026-12-05', '10:00', '12:00')), 'bookings.errors.outsideHours'); // a Saturday
    assert.equal(await book(slot('2026-12-25', '10:00', '12:00')), 'bookings.errors.holiday');
    assert.equal(await book(slot('2026-12-01', '10:00', '10:30')), 'bookings.errors.tooShort');
    assert.equal(await book(slot('2026-12-01', '09:00', '14:00')), 'bookings.errors.tooLong');
    assert.equal(await book(slot('2026-12-01', '10:15', '11:15')), 'bookings.errors.step');
    assert.equal(await book(slot('2026-11-27', '10:00', '12:00')), 'bookings.errors.past');
    assert.equal(await book(slot('2026-11-30', '07:00', '08:00')), 'bookings.errors.past');
    assert.equal(await book(slot('2027-03-10', '10:00', '12:00')), 'bookings.errors.beyondHorizon');
    assert.equal(await book(slot('2026-12-01', '12:00', '10:00')), 'bookings.errors.endBeforeStart');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: 'pas-une-salle' }, slot('2026-12-01', '10:00', '12:00'))), 'bookings.errors.resourceNotFound');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { id: 2_147_483_647 }, slot('2026-12-01', '10:00', '12:00'))), 'bookings.errors.resourceNotFound');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { id: -1 }, slot('2026-12-01', '10:00', '12:00'))), 'bookings.errors.resourceNotFound');
    w.clock.set('2027-03-01T08:00:00Z');
    assert.equal(await book(slot('2027-03-29', '10:00', '12:00')), 'bookings.errors.holiday'); // Easter Monday 2027
    assert.equal(await book(slot('2027-05-06', '10:00', '12:00')), 'bookings.errors.holiday'); // Ascension 2027
  });

  test('visitors have a shorter horizon than members, and the minimum notice counts from now', async () => {
    const { staff, placeId, member } = await world();
    const open = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'salle-ouverte', audience: 'visitors', noticeMinutes: 180 }));
    const visitor = actorFor(w.ctx, await createUser(w.ctx, { roles: [] }), []);
    // 45 days ahead: within the members' 90 days, beyond the visitors' 30.
    assert.equal(await keyOf(service.bookResource(w.ctx, visitor, { slug: open.slug }, slot('2027-01-14', '10:00', '12:00'))), 'bookings.errors.beyondHorizon');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: open.slug }, slot('2027-01-14', '10:00', '12:00'))), 'ok');
    // Now is 8:00: 10:00 is within the three hours' notice, 11:00 is not.
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: open.slug }, slot('2026-11-30', '10:00', '11:00'))), 'bookings.errors.notice');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: open.slug }, slot('2026-11-30', '11:00', '12:00'))), 'ok');
  });

  test('across the night of the spring daylight-saving change, a wall time that does not exist is refused by name and durations are real time', async () => {
    const { staff, placeId, member } = await world();
    w.clock.set('2027-03-20T08:00:00Z');
    const allDay = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
    const studio = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'studio-nuit', kind: 'studio', openingHours: allDay, slotMinutes: 60, minMinutes: 60, maxMinutes: 240 }));
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: studio.slug }, slot('2027-03-28', '02:30', '04:00'))), 'bookings.errors.timeDoesNotExist');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: studio.slug }, slot('2027-03-28', '01:00', '02:00'))), 'bookings.errors.timeDoesNotExist');
    // 1:00 to 4:00 on the wall is two real hours (the clocks skip 2:00–3:00).
    const b = await service.bookResource(w.ctx, member, { slug: studio.slug }, slot('2027-03-28', '01:00', '04:00'));
    assert.equal(b.start.toISOString(), '2027-03-28T00:00:00.000Z');
    assert.equal(b.end.toISOString(), '2027-03-28T02:00:00.000Z');
    // The grid of that day has no 2:00 slot.
    const grid = await service.getGrid(w.ctx, member, studio.slug, { date: '2027-03-28', vue: 'jour' });
    assert.ok(!grid.days[0].slots.some((s) => s.label === '02:00'));
    assert.equal(grid.days[0].slots.length, 23);
  });

  test('who may book: members-only resources refuse others, staff-only resources refuse members, a machine behind an authorisation but no training is refused to members', async () => {
    const { staff, placeId, room } = await world();
    const nobody = actorFor(w.ctx, await createUser(w.ctx, { roles: ['candidate'] }), ['candidate']);
    assert.equal(await codeOf(service.bookResource(w.ctx, nobody, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'))), 'forbidden');
    assert.equal(await codeOf(service.bookResource(w.ctx, actorFor(w.ctx, null), { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'))), 'unauthenticated');
    const staffOnly = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'bureau-equipe', audience: 'staff' }));
    const { member } = { member: actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']) };
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: staffOnly.slug }, slot('2026-12-01', '10:00', '12:00'))), 'bookings.errors.staffOnly');
    const laser = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'laser', kind: 'machine', requiresAuthorisation: true }));
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: laser.slug }, slot('2026-12-01', '10:00', '12:00'))), 'bookings.errors.authorisationRequired');
  });
});

describe('cancelling', () => {
  test('the owner cancels until the deadline, then is told the deadline has passed; the slot is free again', async () => {
    const { member, memberUser, other, room } = await world();
    const b = await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-02', '10:00', '12:00'));
    const late = await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'));
    w.clock.advance(60_000);
    await service.cancelBooking(w.ctx, member, b.id);
    assert.ok((await mailsTo(memberUser.email)).some((m) => /annulée/.test(m.subject)), 'mail /annulée/ sent');
    assert.equal(await keyOf(service.bookResource(w.ctx, other, { slug: room.slug }, slot('2026-12-02', '10:00', '12:00'))), 'ok');
    // Tuesday 10:00 is less than 24 hours after Monday 10:30.
    w.clock.set('2026-11-30T09:30:00Z');
    assert.equal(await keyOf(service.cancelBooking(w.ctx, member, late.id)), 'bookings.errors.cancelDeadline');
    assert.equal(await keyOf(service.cancelBooking(w.ctx, member, b.id)), 'bookings.errors.notCancellable');
  });

  test('another person’s booking id, or a forged one, is not found; staff cancel anything', async () => {
    const { member, other, staff, room } = await world();
    const b = await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'));
    assert.equal(await keyOf(service.cancelBooking(w.ctx, other, b.id)), 'bookings.errors.bookingNotFound');
    assert.equal(await keyOf(service.cancelBooking(w.ctx, other, '00000000-0000-4000-8000-000000000000')), 'bookings.errors.bookingNotFound');
    assert.equal(await keyOf(service.cancelBooking(w.ctx, other, null)), 'bookings.errors.bookingNotFound');
    w.clock.set('2026-12-01T08:30:00Z');
    assert.equal(await keyOf(service.cancelBooking(w.ctx, staff, b.id)), 'ok');
  });
});

describe('visitors', () => {
  test('a visitor’s booking is held 30 minutes, confirmed from the mail’s link, and an unconfirmed one is released by the job', async () => {
    const { staff, placeId } = await world();
    const open = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'salle-visiteurs', audience: 'visitors' }));
    const anon = actorFor(w.ctx, null);
    const held = await service.holdForVisitor(w.ctx, anon, open.slug, { ...slot('2026-12-01', '10:00', '12:00'), name: 'Inès Laffitte', email: 'ines@exemple.fr' }, 'fr');
    assert.equal(held.status, 'held');
    const [mail] = await mailsTo('ines@exemple.fr');
    const token = /\/reservations\/confirmation\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1];
    // Held: nobody else can take it meanwhile.
    assert.equal(await keyOf(service.holdForVisitor(w.ctx, anon, open.slug, { ...slot('2026-12-01', '11:00', '12:00'), name: 'Marc', email: 'marc@exemple.fr' }, 'fr')), 'bookings.errors.taken');
    w.clock.advance(10 * 60_000);
    await service.confirmVisitorBooking(w.ctx, token, 'fr');
    assert.equal((await mailsTo('ines@exemple.fr')).length, 2);
    assert.equal(await keyOf(service.confirmVisitorBooking(w.ctx, token, 'fr')), 'ok');
    assert.equal((await mailsTo('ines@exemple.fr')).length, 2, 'a second click mails nobody again');

    // A second hold, never confirmed: released by its job once the 30 minutes are over.
    const second = await service.holdForVisitor(w.ctx, anon, open.slug, { ...slot('2026-12-01', '14:00', '15:00'), name: 'Marc', email: 'marc@exemple.fr' }, 'fr');
    const worker = new JobWorker(w.ctx, jobHandlers);
    await worker.runOnce();
    assert.equal((await w.ctx.db.selectFrom('booking').select('status').where('id', '=', second.id).executeTakeFirstOrThrow()).status, 'held');
    w.clock.advance(31 * 60_000);
    while ((await worker.runOnce()) > 0);
    assert.equal((await w.ctx.db.selectFrom('booking').select('status').where('id', '=', second.id).executeTakeFirstOrThrow()).status, 'released');
    const [marcMail] = await mailsTo('marc@exemple.fr');
    const marcToken = /\/reservations\/confirmation\/([A-Za-z0-9_-]+)/.exec(marcMail.text_body)![1];
    assert.equal(await keyOf(service.confirmVisitorBooking(w.ctx, marcToken, 'fr')), 'bookings.errors.holdExpired');
    assert.equal(await keyOf(service.holdForVisitor(w.ctx, anon, open.slug, { ...slot('2026-12-01', '14:00', '15:00'), name: 'Claire', email: 'claire@exemple.fr' }, 'fr')), 'ok');
  });

  test('visitors cannot book a members-only resource', async () => {
    const { room } = await world();
    assert.equal(await codeOf(service.holdForVisitor(w.ctx, actorFor(w.ctx, null), room.slug, { ...slot('2026-12-01', '10:00', '12:00'), name: 'X', email: 'x@exemple.fr' }, 'fr')), 'unauthenticated');
  });
});

describe('the reminder', () => {
  test('the reminder is mailed once, the day before, and not for a cancelled booking', async () => {
    const { member, memberUser, room } = await world();
    const kept = await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-03', '10:00', '12:00'));
    const dropped = await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-03', '14:00', '16:00'));
    await service.cancelBooking(w.ctx, member, dropped.id);
    w.clock.set('2026-12-02T13:30:00Z');
    const worker = new JobWorker(w.ctx, jobHandlers);
    while ((await worker.runOnce()) > 0);
    const reminders = (await mailsTo(memberUser.email)).filter((m) => m.subject.startsWith('Rappel'));
    assert.equal(reminders.length, 1);
    assert.ok(kept.id);
  });
});

describe('the back office', () => {
  test('staff block a slot and book on someone’s behalf; a member may not', async () => {
    const { staff, member, other, room } = await world();
    await service.bookForSomeone(w.ctx, staff, room.id, { ...slot('2026-12-01', '10:00', '12:00'), mode: 'blocage', name: '' });
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '11:00', '12:00'))), 'bookings.errors.taken');
    await service.bookForSomeone(w.ctx, staff, room.id, { ...slot('2026-12-01', '14:00', '16:00'), mode: 'pour', name: 'Paul Martin', email: 'paul@exemple.fr' });
    assert.equal((await mailsTo('paul@exemple.fr')).length, 1);
    assert.equal(await codeOf(service.bookForSomeone(w.ctx, other, room.id, { ...slot('2026-12-02', '10:00', '12:00'), mode: 'blocage', name: '' })), 'forbidden');
    const week = await service.listBookingsForStaff(w.ctx, staff, '2026-11-30');
    assert.equal(week.rows.length, 2);
    assert.equal(await codeOf(service.listBookingsForStaff(w.ctx, member, undefined)), 'forbidden');
  });

  test('a machine in a room: booking the room blocks the machine, and a booked machine keeps the room', async () => {
    const { staff, member, placeId, room } = await world();
    const printer = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'imprimante', kind: 'machine', parentId: room.id }));
    await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'));
    assert.equal(await keyOf(service.bookResource(w.ctx, staff, { slug: printer.slug }, slot('2026-12-01', '11:00', '12:00'))), 'bookings.errors.taken');
    assert.equal(await keyOf(service.bookResource(w.ctx, staff, { slug: printer.slug }, slot('2026-12-01', '14:00', '15:00'))), 'ok');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '14:00', '16:00'))), 'bookings.errors.taken');
  });

  test('a closure of the room closes its days', async () => {
    const { staff, member, room } = await world();
    const { addClosure } = await import('../resources/index.js');
    await addClosure(w.ctx, staff, room.id, { from: '2026-12-07', to: '2026-12-08', reason: 'Peinture' });
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-08', '10:00', '12:00'))), 'bookings.errors.closed');
    assert.equal(await keyOf(service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-09', '10:00', '12:00'))), 'ok');
  });
});

describe('a shared open space', () => {
  test('an open space of 3 desks takes three people at once, not four; a block takes it whole', async () => {
    const { staff, placeId } = await world();
    const desks = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'open-space', kind: 'desk', capacity: 3 }));
    const people = await Promise.all([1, 2, 3, 4].map(async () => actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member'])));
    for (const p of people.slice(0, 3)) assert.equal(await keyOf(service.bookResource(w.ctx, p, { slug: desks.slug }, slot('2026-12-01', '09:00', '13:00'))), 'ok');
    assert.equal(await keyOf(service.bookResource(w.ctx, people[3], { slug: desks.slug }, slot('2026-12-01', '12:00', '14:00'))), 'bookings.errors.taken');
    assert.equal(await keyOf(service.bookResource(w.ctx, people[3], { slug: desks.slug }, slot('2026-12-01', '13:00', '15:00'))), 'ok');
    const grid = await service.getGrid(w.ctx, people[0], desks.slug, { date: '2026-12-01', vue: 'jour' });
    assert.equal(grid.days[0].slots.find((s) => s.label === '13:00')!.remaining, 2);
    await service.bookForSomeone(w.ctx, staff, desks.id, { ...slot('2026-12-02', '09:00', '18:00'), mode: 'blocage', name: '' });
    assert.equal(await keyOf(service.bookResource(w.ctx, people[0], { slug: desks.slug }, slot('2026-12-02', '10:00', '12:00'))), 'bookings.errors.taken');
  });
});

describe('the person’s data', () => {
  test('export lists the person’s bookings; erasure cancels the coming ones and unlinks them all', async () => {
    const { member, memberUser, room } = await world();
    await service.bookResource(w.ctx, member, { slug: room.slug }, slot('2026-12-01', '10:00', '12:00'));
    const exported = await service.exportBookings(w.ctx, memberUser.id);
    assert.equal((exported!.bookings as unknown[]).length, 1);
    assert.equal(await service.eraseBookings(w.ctx, memberUser.id), 1);
    const row = await w.ctx.db.selectFrom('booking').select(['status', 'user_id']).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'cancelled', user_id: null });
    assert.equal(await service.exportBookings(w.ctx, memberUser.id), null);
  });
});

beforeEach(() => undefined);

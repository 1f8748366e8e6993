/**
 * Bookings in calendars, read back with ical.js: a resource's feed shows when it is taken and nothing about who;
 * a person's secret feed shows their bookings, and a guessed, replaced or revoked secret is "not found"; the
 * confirmation mail carries the booking as an .ics file. Local times hold across the October clock change.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ICAL from 'ical.js';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { addThirdPlace, makeResource, roomInput } from '../bookings.testing.js';
import * as appointments from '../appointments/appointments.service.js';
import * as resources from '../resources/resources.service.js';
import * as service from './reservations.service.js';

const w = useTestWorld();

function readCalendar(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const zones = cal.getAllSubcomponents('vtimezone');
  assert.equal(zones.length, 1, 'one VTIMEZONE');
  const zone = new ICAL.Timezone(zones[0]);
  assert.equal(zone.tzid, 'Europe/Paris');
  ICAL.TimezoneService.register(zone, 'Europe/Paris');
  return cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

async function world() {
  // Tuesday 20 October 2026; summer time ends on Sunday 25 October.
  w.clock.set('2026-10-20T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const leaUser = await createUser(w.ctx, { roles: ['member'], name: 'Léa Solo' });
  const lea = actorFor(w.ctx, leaUser, ['member']);
  const paulUser = await createUser(w.ctx, { roles: ['member'], name: 'Paul Voisin' });
  const paul = actorFor(w.ctx, paulUser, ['member']);
  const room = await makeResource(w.ctx, staff, roomInput(placeId));
  // Friday before the change and Monday after it, both 10:00–12:00 in Paris.
  await service.bookResource(w.ctx, lea, { slug: room.slug }, { day: '2026-10-23', startMinutes: 600, endMinutes: 720, note: 'Réunion secrète' });
  await service.bookResource(w.ctx, paul, { slug: room.slug }, { day: '2026-10-26', startMinutes: 600, endMinutes: 720, note: '' });
  return { room, leaUser, paulUser };
}

describe('calendar feeds of bookings', () => {
  test('a resource’s feed says busy at ten o’clock Paris time on both sides of the change, without names', async () => {
    const { room } = await world();
    const res = await w.app.inject({ url: `/reservations/${room.slug}.ics` });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar/);
    for (const secret of ['Léa', 'Paul', 'Réunion secrète', '@']) assert.ok(!res.body.replace(/UID:[^\r]*/g, '').includes(secret), `no ${secret}`);
    const events = readCalendar(res.body).filter((e) => e.summary === 'Occupé');
    assert.equal(events.length, 2);
    const [before, after] = events.sort((a, b) => a.startDate.toJSDate().getTime() - b.startDate.toJSDate().getTime());
    for (const ev of [before, after]) {
      assert.equal(ev.summary, 'Occupé');
      assert.equal(ev.startDate.zone?.tzid, 'Europe/Paris');
      assert.equal(ev.startDate.hour, 10);
      assert.equal(ev.endDate.hour, 12);
    }
    assert.equal(before.startDate.toJSDate().toISOString(), '2026-10-23T08:00:00.000Z');
    assert.equal(after.startDate.toJSDate().toISOString(), '2026-10-26T09:00:00.000Z');
    assert.equal((await w.app.inject({ url: '/reservations/pas-une-salle.ics' })).statusCode, 404);
    assert.ok((await w.app.inject({ url: `/reservations/${room.slug}` })).body.includes(`href="/reservations/${room.slug}.ics"`), 'the resource’s page links its feed');
  });

  test('a resource’s feed shows its closures with their reason and the public holidays it is closed on, as whole days', async () => {
    const { room } = await world();
    const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['space_manager'] }), ['space_manager']);
    // Wednesday 28 to Thursday 29 October: two days of work on the room.
    await resources.addClosure(w.ctx, staff, room.id, { from: '2026-10-28', to: '2026-10-29', reason: 'Travaux de peinture' });
    const events = readCalendar((await w.app.inject({ url: `/reservations/${room.slug}.ics` })).body);
    const closed = events.filter((e) => e.summary.startsWith('Fermé')).sort((a, b) => a.startDate.toJSDate().getTime() - b.startDate.toJSDate().getTime());
    const works = closed.filter((e) => e.summary === 'Fermé : Travaux de peinture');
    assert.equal(works.length, 2, 'one run of slots per day (the nights are outside the opening hours)');
    assert.deepEqual(works.map((e) => [e.startDate.toString().slice(0, 10), e.startDate.hour]), [['2026-10-28', 9], ['2026-10-29', 9]]);
    // Armistice (Wednesday 11 November) and Christmas (Friday 25 December) fall on opening days within four months.
    assert.ok(closed.some((e) => e.summary === 'Fermé : Armistice 1918' && e.startDate.toString().startsWith('2026-11-11')));
    assert.ok(closed.some((e) => e.summary === 'Fermé : Noël' && e.startDate.toString().startsWith('2026-12-25')));
    assert.ok(closed.every((e) => e.uid.startsWith('closed-')));
    assert.ok(!events.some((e) => e.startDate.toString().startsWith('2026-11-01')), 'All Saints falls on a Sunday, when the room is closed anyway');
  });

  test('a person’s secret feed holds their bookings only; a guessed, replaced or revoked secret is not found', async () => {
    const { leaUser } = await world();
    const agent = new Agent(w.app);
    await agent.login(leaUser.email, leaUser.password);
    const made = await agent.post('/compte/reservations/flux', {});
    assert.equal(made.statusCode, 200);
    const url = /(https?:\/\/[^<\s]+\/reservations\/flux\/[A-Za-z0-9_-]+\.ics)/.exec(made.body)![1];
    const path = new URL(url).pathname;
    const feed = await w.app.inject({ url: path });
    assert.equal(feed.statusCode, 200);
    assert.equal(feed.headers['cache-control'], 'private, no-store');
    const events = readCalendar(feed.body);
    assert.equal(events.length, 1, 'Léa’s booking, not Paul’s');
    assert.equal(events[0].startDate.hour, 10);
    assert.equal(events[0].startDate.toJSDate().toISOString(), '2026-10-23T08:00:00.000Z');
    assert.match(events[0].location, /Salle test/);
    assert.ok((await agent.get('/compte/reservations')).body.includes('Une adresse de calendrier de réservations est active.'));

    assert.equal((await w.app.inject({ url: '/reservations/flux/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics' })).statusCode, 404);
    assert.equal((await w.app.inject({ url: '/reservations/flux/x.ics' })).statusCode, 404);
    const renewed = await agent.post('/compte/reservations/flux', {});
    const newPath = new URL(/(https?:\/\/[^<\s]+\/reservations\/flux\/[A-Za-z0-9_-]+\.ics)/.exec(renewed.body)![1]).pathname;
    assert.equal((await w.app.inject({ url: path })).statusCode, 404, 'the old address stops working');
    assert.equal((await w.app.inject({ url: newPath })).statusCode, 200);
    assert.equal((await agent.post('/compte/reservations/flux/supprimer', {})).statusCode, 303);
    assert.equal((await w.app.inject({ url: newPath })).statusCode, 404, 'revoked');
  });

  test('the person’s feed also carries their appointments with an adviser, a cancelled one marked cancelled, and nobody else’s', async () => {
    const { leaUser, paulUser } = await world();
    const adviserUser = await createUser(w.ctx, { roles: ['staff'], name: 'Claire Conseil' });
    const adviser = actorFor(w.ctx, adviserUser, ['staff']);
    const lea = actorFor(w.ctx, leaUser, ['member']);
    const slot = (day: string) => appointments.publishSlot(w.ctx, adviser, { day, startMinutes: 840, minutes: 60, mode: 'phone', placeId: null, videoUrl: null });
    // Thursday 22 October (summer time) and Tuesday 27 October (winter time), 14:00 in Paris.
    await appointments.bookAppointment(w.ctx, lea, (await slot('2026-10-22')).id, { project: 'Une librairie à Lectoure' });
    const dropped = await appointments.bookAppointment(w.ctx, lea, (await slot('2026-10-27')).id, { project: 'Un second rendez-vous' });
    await appointments.cancelAppointment(w.ctx, lea, dropped.id);
    await appointments.bookAppointment(w.ctx, actorFor(w.ctx, paulUser, ['member']), (await slot('2026-10-28')).id, { project: 'Le projet de Paul' });

    const agent = new Agent(w.app);
    await agent.login(leaUser.email, leaUser.password);
    const url = /(https?:\/\/[^<\s]+\/reservations\/flux\/[A-Za-z0-9_-]+\.ics)/.exec((await agent.post('/compte/reservations/flux', {})).body)![1];
    const feed = await w.app.inject({ url: new URL(url).pathname });
    assert.equal(feed.statusCode, 200);
    assert.ok(!feed.body.includes('Le projet de Paul'), 'not Paul’s appointment');
    const events = readCalendar(feed.body);
    const meetings = events.filter((e) => /Claire Conseil/.test(e.summary)).sort((a, b) => a.startDate.toJSDate().getTime() - b.startDate.toJSDate().getTime());
    assert.equal(events.length - meetings.length, 1, 'her booking is still there');
    assert.equal(meetings.length, 2);
    assert.deepEqual(meetings.map((e) => [e.startDate.hour, e.startDate.toJSDate().toISOString(), e.description]), [
      [14, '2026-10-22T12:00:00.000Z', 'Une librairie à Lectoure'],
      [14, '2026-10-27T13:00:00.000Z', 'Un second rendez-vous'],
    ]);
    assert.equal(meetings[0].component.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.equal(meetings[1].component.getFirstPropertyValue('status'), 'CANCELLED');
    assert.ok(meetings.every((e) => e.uid.startsWith('appointment-')), `uids: ${meetings.map((e) => e.uid).join(', ')}`);
  });

  test('the confirmation mail carries the booking as an .ics file, at Paris time', async () => {
    const { leaUser } = await world();
    const mail = await w.ctx.db.selectFrom('outbox_mail').select(['subject', 'attachments']).where('to_address', '=', leaUser.email).executeTakeFirstOrThrow();
    const files = mail.attachments as { filename: string; contentType: string; content: string }[];
    assert.equal(files.length, 1);
    assert.match(files[0].contentType, /^text\/calendar/);
    const [ev] = readCalendar(Buffer.from(files[0].content, 'base64').toString('utf8'));
    assert.equal(ev.startDate.hour, 10);
    assert.equal(ev.startDate.toJSDate().toISOString(), '2026-10-23T08:00:00.000Z');
    assert.ok(ev.uid.startsWith('booking-'));
    // Queued once, delivered by the job system: one delivery job per mail.
    const jobs = await w.ctx.db.selectFrom('job').select(['kind']).where('kind', 'like', 'mail%').execute();
    assert.ok(jobs.length >= 1);
  });
});

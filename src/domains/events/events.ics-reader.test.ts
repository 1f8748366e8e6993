/**
 * The calendar feeds read by ical.js, a full RFC 5545 parser like the ones calendar applications use: the public
 * feed and a person's feed parse, and their local times turn into the right instants through the feed's own
 * VTIMEZONE (registered from the feed itself, not from a bundled zone database) on both sides of the October change.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ICAL from 'ical.js';
import { createUser } from '../../../tests/support/factories.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { publishedEvent } from './events.testing.js';
import { registerForEvent, renewMyFeed } from './registrations/index.js';

/** The feed's events by title, with its zone registered under its TZID so local times resolve through it. */
function readFeed(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const zones = cal.getAllSubcomponents('vtimezone');
  assert.equal(zones.length, 1, 'one VTIMEZONE');
  const zone = new ICAL.Timezone(zones[0]);
  assert.equal(zone.tzid, 'Europe/Paris');
  ICAL.TimezoneService.register(zone, 'Europe/Paris');
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  return { cal, events: new Map(events.map((e) => [e.summary, e])) };
}

describe('the feeds read by ical.js', () => {
  const w = useTestWorld();

  test('/agenda.ics: ten o’clock Paris time is 08:00 UTC before the October change and 09:00 UTC after it', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    w.clock.set('2026-10-01T09:00:00Z');
    await publishedEvent(w.ctx, staff.id, { titre: 'Samedi avant', debut: '2026-10-24T10:00', fin: '2026-10-24T12:00' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Lundi après', debut: '2026-10-26T10:00', fin: '2026-10-26T11:30' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Deux jours', journee: '1', debut: '2026-10-24', fin: '2026-10-25' });
    const res = await w.app.inject({ url: '/agenda.ics' });
    assert.equal(res.statusCode, 200);
    const { cal, events } = readFeed(res.body);
    assert.equal(cal.getFirstPropertyValue('version'), '2.0');
    const before = events.get('Samedi avant')!;
    const after = events.get('Lundi après')!;
    for (const [ev, start, end] of [
      [before, '2026-10-24T08:00:00.000Z', '2026-10-24T10:00:00.000Z'],
      [after, '2026-10-26T09:00:00.000Z', '2026-10-26T10:30:00.000Z'],
    ] as const) {
      assert.equal(ev.startDate.zone?.tzid, 'Europe/Paris', 'the local time names the feed’s zone');
      assert.equal(ev.startDate.hour, 10, 'ten o’clock, local time');
      assert.equal(ev.startDate.toJSDate().toISOString(), start);
      assert.equal(ev.endDate.toJSDate().toISOString(), end);
    }
    assert.equal(before.startDate.utcOffset(), 2 * 3600, 'summer time before');
    assert.equal(after.startDate.utcOffset(), 3600, 'winter time after');
    const allDay = events.get('Deux jours')!;
    assert.ok(allDay.startDate.isDate, 'an all-day event is a DATE');
    assert.equal(allDay.startDate.toString(), '2026-10-24');
    assert.equal(allDay.endDate.toString(), '2026-10-26', 'the end date is exclusive');
    for (const ev of events.values()) {
      assert.ok(ev.uid, 'every event has a UID');
      assert.ok(ev.component.getFirstPropertyValue('dtstamp'), 'and a DTSTAMP');
    }
  });

  test('a personal feed parses, with the member’s events and the online link of their confirmed seat', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const member = await createUser(w.ctx, { roles: ['member'] });
    w.clock.set('2026-10-01T09:00:00Z');
    const online = await publishedEvent(w.ctx, staff.id, { titre: 'Visio ; « club »', public: 'members', lieu: 'online', lien: 'https://visio.example.org/salle', debut: '2026-10-27T18:30', fin: '2026-10-27T20:00' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Membres', public: 'members', debut: '2026-10-23T18:30', fin: '2026-10-23T20:00' });
    const actor = { userId: member.id, territoryId: w.ctx.territory.id, roles: new Set(['member' as const]) };
    await registerForEvent(w.ctx, actor, online.slug, { seats: 1 });
    const res = await w.app.inject({ url: new URL(await renewMyFeed(w.ctx, actor)).pathname });
    assert.equal(res.statusCode, 200);
    const { events } = readFeed(res.body);
    assert.deepEqual([...events.keys()].sort(), ['Membres', 'Visio ; « club »'], 'text values are unescaped');
    const visio = events.get('Visio ; « club »')!;
    assert.ok(`${visio.description ?? ''} ${visio.location ?? ''} ${visio.component.getFirstPropertyValue('url') ?? ''}`.includes('https://visio.example.org/salle'));
    assert.equal(visio.startDate.toJSDate().toISOString(), '2026-10-27T17:30:00.000Z', 'after the change: UTC+1');
    assert.equal(events.get('Membres')!.startDate.toJSDate().toISOString(), '2026-10-23T16:30:00.000Z', 'before the change: UTC+2');
  });
});

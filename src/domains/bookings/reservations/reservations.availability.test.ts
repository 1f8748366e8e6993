/** The one availability function, without a database: slots, states, the request check and the nearest free periods. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availability, checkRequest, nearestFree, type Facts, type ResourceRules } from './reservations.availability.js';

const open = (from: string, to: string) => Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ from, to }]]));
const rules: ResourceRules = { capacity: 2, openingHours: open('09:00', '12:00'), slotMinutes: 60, minMinutes: 60, maxMinutes: 180, memberHorizonDays: 30, visitorHorizonDays: 7, noticeMinutes: 0 };
const now = new Date('2026-11-30T07:00:00Z');
const facts = (busy: Facts['busy'] = [], extra: Partial<Facts> = {}): Facts => ({ busy, closures: [], now, audience: 'member', ...extra });
const at = (iso: string) => new Date(iso);

test('a shared space counts what is left in each slot; a full slot is not free', () => {
  const busy = [
    { start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T10:00:00Z'), units: 1 },
    { start: at('2026-12-01T09:00:00Z'), end: at('2026-12-01T10:00:00Z'), units: 1 },
  ];
  const [day] = availability(rules, '2026-12-01', '2026-12-01', facts(busy));
  assert.deepEqual(day.slots.map((s) => [s.label, s.state, s.remaining]), [
    ['09:00', 'free', 1],
    ['10:00', 'full', 0],
    ['11:00', 'free', 2],
  ]);
  assert.equal(checkRequest(rules, at('2026-12-01T08:00:00Z'), at('2026-12-01T10:00:00Z'), facts(busy))?.key, 'bookings.errors.taken');
  assert.equal(checkRequest(rules, at('2026-12-01T10:00:00Z'), at('2026-12-01T11:00:00Z'), facts(busy)), null);
});

test('the visitors’ horizon is shorter; closures and holidays name themselves', () => {
  const visitor = facts([], { audience: 'visitor' });
  const [late] = availability(rules, '2026-12-10', '2026-12-10', visitor);
  assert.ok(late.slots.every((s) => s.state === 'beyond'));
  const [xmas] = availability(rules, '2026-12-25', '2026-12-25', facts());
  assert.equal(xmas.holiday, 'christmas');
  const closed = facts([], { closures: [{ start: at('2026-12-02T00:00:00Z'), end: at('2026-12-03T00:00:00Z'), reason: 'Maintenance' }] });
  assert.deepEqual(checkRequest(rules, at('2026-12-02T08:00:00Z'), at('2026-12-02T09:00:00Z'), closed), { code: 'invalid', key: 'bookings.errors.closed', params: { reason: 'Maintenance' } });
});

test('on the autumn night, the slots follow the wall clock and the longer night keeps real durations', () => {
  const night = { ...rules, capacity: 1, openingHours: open('00:00', '04:00') };
  const [day] = availability(night, '2026-10-25', '2026-10-25', facts([], { now: new Date('2026-10-20T00:00:00Z') }));
  assert.deepEqual(day.slots.map((s) => s.label), ['00:00', '01:00', '02:00', '03:00']);
  for (let i = 1; i < day.slots.length; i++) assert.equal(day.slots[i].start.getTime(), day.slots[i - 1].end.getTime(), 'slots follow each other');
});

test('the nearest free periods have the length asked for, closest first', () => {
  const single = { ...rules, capacity: 1 };
  const busy = [{ start: at('2026-12-01T09:00:00Z'), end: at('2026-12-01T10:00:00Z'), units: 1 }];
  const days = availability(single, '2026-12-01', '2026-12-02', facts(busy));
  const near = nearestFree(days, { start: at('2026-12-01T09:00:00Z'), end: at('2026-12-01T10:00:00Z') });
  assert.deepEqual(near.map((n) => n.start.toISOString()), ['2026-12-01T08:00:00.000Z', '2026-12-01T10:00:00.000Z', '2026-12-02T08:00:00.000Z']);
});

test('each slot counts exactly the periods that overlap it, long blocks and overlapping desks included', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const shared = { ...rules, capacity: 50, openingHours: open('08:00', '20:00'), slotMinutes: 30, memberHorizonDays: 60 };
  const base = at('2026-12-01T00:00:00Z').getTime();
  const busy = Array.from({ length: 300 }, () => {
    const start = base + Math.floor(random() * 20 * 48) * 30 * 60_000;
    return { start: new Date(start), end: new Date(start + (1 + Math.floor(random() * 8)) * 30 * 60_000), units: 1 + Math.floor(random() * 3) };
  });
  busy.push({ start: at('2026-12-05T10:15:00Z'), end: at('2026-12-09T11:00:00Z'), units: 1 }); // a block of several days
  for (const day of availability(shared, '2026-12-01', '2026-12-21', facts(busy))) {
    for (const slot of day.slots) {
      if (slot.state !== 'free' && slot.state !== 'full') continue;
      const used = busy.reduce((n, b) => (b.start < slot.end && slot.start < b.end ? n + b.units : n), 0);
      assert.equal(slot.remaining, Math.max(0, shared.capacity - used), `${day.day} ${slot.label}`);
    }
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, isoWeekday, parisClock, parisTime } from './time.js';

test('a Paris wall time becomes the right instant on both sides of a clock change, including the hour before it', () => {
  assert.equal(parisTime('2026-12-03', 9).toISOString(), '2026-12-03T08:00:00.000Z');
  assert.equal(parisTime('2026-07-14', 9, 30).toISOString(), '2026-07-14T07:30:00.000Z');
  // Spring forward, 28 March 2027: 1:00 is still winter time, 3:00 already summer time.
  assert.equal(parisTime('2027-03-28', 1).toISOString(), '2027-03-28T00:00:00.000Z');
  assert.equal(parisTime('2027-03-28', 3).toISOString(), '2027-03-28T01:00:00.000Z');
  // A wall time that does not exist lands elsewhere: parisClock tells.
  assert.notEqual(parisClock(parisTime('2027-03-28', 2, 30)).minutes, 150);
  // Fall back, 25 October 2026.
  assert.equal(parisTime('2026-10-25', 1).toISOString(), '2026-10-24T23:00:00.000Z');
  assert.equal(parisTime('2026-10-25', 4).toISOString(), '2026-10-25T03:00:00.000Z');
});

test('calendar helpers: days, weekdays and the wall clock', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2027-03-01', -1), '2027-02-28');
  assert.equal(isoWeekday('2026-11-30'), 1);
  assert.equal(isoWeekday('2026-12-06'), 7);
  assert.deepEqual(parisClock(new Date('2026-12-03T23:30:00Z')), { day: '2026-12-04', minutes: 30 });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frenchDateToIso, frenchTimeToIso, isIsoDate } from './input.js';

test('dates typed the French way where the browser shows a text box become ISO days; anything else is left to the schema', () => {
  assert.equal(frenchDateToIso('24/12/2026'), '2026-12-24');
  assert.equal(frenchDateToIso(' 1/2/2027 '), '2027-02-01');
  assert.equal(frenchDateToIso('24-12-2026'), '2026-12-24');
  assert.equal(frenchDateToIso('24.12.2026'), '2026-12-24');
  assert.equal(frenchDateToIso('2026-12-24'), '2026-12-24', 'what a date picker sends is unchanged');
  assert.equal(frenchDateToIso('31/02/2026'), '2026-02-31');
  assert.equal(isIsoDate(frenchDateToIso('31/02/2026') as string), false, 'an impossible day is still refused');
  assert.equal(frenchDateToIso('12/2026'), '12/2026');
  assert.equal(frenchDateToIso(undefined), undefined);
});

test('times typed the French way become HH:MM', () => {
  assert.equal(frenchTimeToIso('14:30'), '14:30');
  assert.equal(frenchTimeToIso('9h30'), '09:30');
  assert.equal(frenchTimeToIso('9 h 30'), '09:30');
  assert.equal(frenchTimeToIso('14h'), '14:00');
  assert.equal(frenchTimeToIso('midi'), 'midi');
  assert.equal(frenchTimeToIso(undefined), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { easterSunday, holidayOn, holidaysOf } from './resources.holidays.js';

test('Easter Sunday matches the published dates, including the earliest and latest possible', () => {
  assert.equal(easterSunday(2024), '2024-03-31');
  assert.equal(easterSunday(2026), '2026-04-05');
  assert.equal(easterSunday(2027), '2027-03-28');
  assert.equal(easterSunday(2038), '2038-04-25');
  assert.equal(easterSunday(2285), '2285-03-22');
});

test('a French year has eleven public holidays, the Easter-based ones moving with Easter', () => {
  const h2027 = holidaysOf(2027);
  assert.equal(h2027.size, 11);
  assert.equal(holidayOn('2027-03-29'), 'easterMonday');
  assert.equal(holidayOn('2027-05-06'), 'ascension');
  assert.equal(holidayOn('2027-05-17'), 'whitMonday');
  assert.equal(holidayOn('2026-05-14'), 'ascension');
  assert.equal(holidayOn('2026-07-14'), 'bastilleDay');
  assert.equal(holidayOn('2026-12-25'), 'christmas');
  assert.equal(holidayOn('2026-12-24'), undefined);
  // When two fall on the same day (1 May and Ascension in 2008), the day is still a holiday.
  assert.ok(holidayOn('2008-05-01'));
});

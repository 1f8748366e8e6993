import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dayHoursToInput, formatTime, parseDayHours, parseWeekHours, weekdayName } from './places.hours.js';

describe('opening hours', () => {
  test('the ways staff write a day all give the same ranges', () => {
    for (const line of ['9h-12h30, 14h-18h', '09:00-12:30; 14:00-18:00', '9 h 00 – 12 h 30 et 14 h – 18 h', '14h-18h, 9h-12h30']) {
      const r = parseDayHours(line);
      assert.ok(r.ok, line);
      assert.deepEqual(r.ranges, [{ from: '09:00', to: '12:30' }, { from: '14:00', to: '18:00' }], line);
    }
  });

  test('empty and "fermé" mean closed; nonsense, reversed and overlapping ranges are refused with their reason', () => {
    assert.deepEqual(parseDayHours(''), { ok: true, ranges: [] });
    assert.deepEqual(parseDayHours('Fermé'), { ok: true, ranges: [] });
    assert.deepEqual(parseDayHours('le matin'), { ok: false, error: 'places.errors.hoursFormat' });
    assert.deepEqual(parseDayHours('25h-26h'), { ok: false, error: 'places.errors.hoursFormat' });
    assert.deepEqual(parseDayHours('18h-9h'), { ok: false, error: 'places.errors.hoursOrder' });
    assert.deepEqual(parseDayHours('9h-13h, 12h-18h'), { ok: false, error: 'places.errors.hoursOverlap' });
  });

  test('a week left entirely empty is unknown (null), otherwise empty days are closed', () => {
    assert.deepEqual(parseWeekHours({}), { ok: true, hours: null });
    const week = parseWeekHours({ 1: '9h-18h', 6: 'fermé' });
    assert.ok(week.ok);
    assert.deepEqual(week.hours?.['1'], [{ from: '09:00', to: '18:00' }]);
    assert.deepEqual(week.hours?.['7'], []);
    assert.equal(dayHoursToInput(week.hours, '1'), '09:00-18:00');
    const bad = parseWeekHours({ 2: 'midi', 4: '9h-8h' });
    assert.ok(!bad.ok);
    assert.deepEqual(Object.keys(bad.errors).sort(), ['hours_2', 'hours_4']);
  });

  test('times and weekdays read naturally in each language', () => {
    assert.equal(formatTime('14:30', 'fr-FR'), '14 h 30');
    assert.equal(formatTime('09:00', 'fr-FR'), '9 h');
    assert.equal(formatTime('09:00', 'en-GB'), '09:00');
    assert.equal(weekdayName('1', 'fr-FR'), 'lundi');
    assert.equal(weekdayName('7', 'en-GB'), 'Sunday');
  });
});

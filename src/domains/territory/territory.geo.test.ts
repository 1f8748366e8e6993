/**
 * The drive-time estimate: bands of distance at their speeds, a minimum, and an error the pages state. The trips
 * known by road are those quoted in the data README (Auch – Toulouse about 65–70 min, L'Isle-Jourdain – Toulouse
 * 35–40 min); the coordinates come from the shipped files.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimatedMinutes, shippedCommune, shippedReferencePoint } from '../../../tests/support/gers-data.js';
import { DRIVE_BANDS, DRIVE_ESTIMATE_ERROR, estimateDriveMinutes, haversineKm, MIN_DRIVE_MINUTES } from './territory.geo.js';

describe('the estimated drive time', () => {
  test('follows the method the README states, written apart in the test support', () => {
    for (const km of [0, 0.3, 0.6, 2, 9.9, 10, 17, 30, 44.6, 70, 162]) assert.equal(estimateDriveMinutes(km), estimatedMinutes(km), `${km} km`);
  });

  test('a short trip takes the minimum, not "1 min"; the same place takes none', () => {
    assert.equal(estimateDriveMinutes(0.6), MIN_DRIVE_MINUTES);
    assert.equal(estimateDriveMinutes(0.2), 0);
  });

  test('longer trips never take less time, and each band is faster than the one before', () => {
    let previous = 0;
    for (let km = 0; km <= 200; km += 0.5) {
      const minutes = estimateDriveMinutes(km);
      assert.ok(minutes >= previous, `${km} km`);
      previous = minutes;
    }
    DRIVE_BANDS.forEach((band, i) => i > 0 && assert.ok(band.kmh > DRIVE_BANDS[i - 1].kmh && band.fromKm > DRIVE_BANDS[i - 1].fromKm));
    assert.ok(estimateDriveMinutes(100) - estimateDriveMinutes(90) < estimateDriveMinutes(25) - estimateDriveMinutes(15), 'ten more km cost less far away');
  });

  test('trips known by road fall within the error the pages state', () => {
    const toulouse = shippedReferencePoint('toulouse');
    const known = [
      { from: shippedCommune('32013'), to: toulouse, min: 65, max: 70 },
      { from: shippedCommune('32160'), to: toulouse, min: 35, max: 40 },
    ];
    for (const trip of known) {
      const minutes = estimateDriveMinutes(haversineKm(trip.from, trip.to));
      assert.ok(minutes >= trip.min * (1 - DRIVE_ESTIMATE_ERROR) && minutes <= trip.max * (1 + DRIVE_ESTIMATE_ERROR), `${trip.from.name}: ${minutes} min`);
    }
  });
});

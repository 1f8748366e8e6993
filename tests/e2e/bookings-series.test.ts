/**
 * A weekly series in a real browser, without JavaScript and at 320 px, axe on every page: a space manager asks for
 * every Tuesday, sees the date already taken listed with its reason and the nearest free slots, confirms the free
 * ones, then cancels what remains of the series.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { actorFor, createUser } from '../support/factories.js';
import { tFor } from '../../src/web/i18n/index.js';
import { addThirdPlace, makeResource, roomInput } from '../../src/domains/bookings/bookings.testing.js';
import { bookResource } from '../../src/domains/bookings/reservations/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');
const e = useE2E();

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('without JavaScript at 320 px, a space manager previews a weekly series with its conflict, creates the free dates and cancels the rest', async () => {
  // Monday 30 November 2026, 8:00 in Paris.
  e.w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(e.w.ctx, 'la-dynamo-serie');
  const manager = actorFor(e.w.ctx, await createUser(e.w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const room = await makeResource(e.w.ctx, manager, roomInput(placeId, { name: 'Salle Armagnac', slug: 'salle-armagnac' }));
  const member = actorFor(e.w.ctx, await createUser(e.w.ctx, { roles: ['member'] }), ['member']);
  await bookResource(e.w.ctx, member, { slug: room.slug }, { day: '2026-12-08', startMinutes: 600, endMinutes: 720, note: '' });

  const page = await e.newPage({ javaScript: false, viewport: { width: 320, height: 640 } });
  await e.signIn(page, ['space_manager']);
  await page.goto(`/reservations/${room.slug}/reserver?date=2026-12-01&debut=10:00`);
  await page.getByRole('link', { name: fr('bookings.series.start') }).click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.series.title', { resource: room.name }) }).waitFor();
  assert.ok((await overflow(page)) <= 0, 'the series form reflows at 320 px');
  await checkA11y(page, 'series form (320 px, no JS)');

  // A mistake first: no weekday.
  await page.getByLabel(fr('bookings.form.start')).fill('10:00');
  await page.getByLabel(fr('bookings.form.end')).fill('12:00');
  await page.getByLabel(fr('bookings.series.count')).fill('3');
  await page.getByLabel(fr('bookings.staff.mode')).selectOption('blocage');
  await page.getByRole('button', { name: fr('bookings.series.preview') }).click();
  await page.getByText(fr('bookings.series.errors.noWeekday')).first().waitFor();
  await checkA11y(page, 'series form with an error (no JS)');

  await page.getByLabel('mardi').check();
  await page.getByRole('button', { name: fr('bookings.series.preview') }).click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.series.previewTitle', { resource: room.name }) }).waitFor();
  await page.getByText(fr('bookings.errors.taken')).waitFor();
  assert.ok((await overflow(page)) <= 0, 'the preview reflows at 320 px');
  await checkA11y(page, 'series preview (320 px, no JS)');

  await page.getByRole('button', { name: fr('bookings.series.confirm') }).click();
  await page.getByText(fr('bookings.flash.seriesCreated', { count: 2 })).waitFor();
  assert.ok((await overflow(page)) <= 0, 'the series page reflows at 320 px');
  await checkA11y(page, 'series page (320 px, no JS)');

  await page.getByRole('button', { name: fr('bookings.series.cancelRemaining', { count: 2 }) }).click();
  await page.getByText(fr('bookings.flash.seriesCancelled', { count: 2 })).waitFor();
  await checkA11y(page, 'series page after cancelling (no JS)');
});

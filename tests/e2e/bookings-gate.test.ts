/**
 * Machines behind a training and the space manager's day, in a real browser, axe on every page: a member without
 * an authorisation is refused the laser cutter and shown the next training, registers for it, the team marks the
 * session passed, and the member books the laser cutter; a space manager ticks arrivals on a 360 px wide phone and
 * reads the month's occupancy (chart, tables, CSV).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { actorFor, createUser } from '../support/factories.js';
import { tFor } from '../../src/web/i18n/index.js';
import { addThirdPlace, addTrainingEvent, makeResource, roomInput } from '../../src/domains/bookings/bookings.testing.js';
import { bookForSomeone } from '../../src/domains/bookings/reservations/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');
const e = useE2E();

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('a member is refused the laser cutter, sees the next training, registers; the team marks it passed; the member books', async () => {
  // Monday 30 November 2026, 8:00 in Paris.
  e.w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(e.w.ctx, 'la-dynamo-essai');
  const manager = actorFor(e.w.ctx, await createUser(e.w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const laser = await makeResource(e.w.ctx, manager, roomInput(placeId, { name: 'Découpeuse laser', slug: 'decoupeuse-laser', kind: 'machine', requiresAuthorisation: true, minMinutes: 60, maxMinutes: 180 }));
  const session = await addTrainingEvent(e.w.ctx, { slug: 'formation-decoupe-laser', title: 'Formation : découpe laser', startsAt: new Date('2026-12-03T13:00:00Z'), placeId });

  // The team describes the training: its machine, its session in the agenda.
  const desk = await e.newPage({ javaScript: false });
  await e.signIn(desk, ['space_manager']);
  await desk.goto('/admin/reservations/formations');
  await checkA11y(desk, 'trainings (empty)');
  await desk.getByLabel(fr('bookings.gate.field.name')).fill('Découpe laser');
  await desk.getByLabel('Découpeuse laser').check();
  await desk.getByRole('button', { name: fr('bookings.gate.createKind') }).click();
  await desk.getByText(fr('bookings.gate.flash.saved')).waitFor();
  await checkA11y(desk, 'a training');
  await desk.getByLabel(fr('bookings.gate.field.session')).selectOption(String(session.id));
  await desk.getByRole('button', { name: fr('bookings.gate.linkSession') }).click();
  await desk.getByText(fr('bookings.gate.flash.linked')).waitFor();

  // The member is refused, with the next session and a link to register.
  const page = await e.newPage({ javaScript: false });
  const member = await e.signIn(page, ['member'], { name: 'Léa Solo' });
  await page.goto(`/reservations/${laser.slug}?date=2026-12-07`);
  await checkA11y(page, 'laser grid');
  await page.locator('a[href$="/reserver?date=2026-12-07&debut=10:00"]').click();
  await page.getByLabel(fr('bookings.form.end')).selectOption('11:00');
  await page.getByRole('button', { name: fr('bookings.form.submit') }).click();
  await page.getByText(fr('bookings.gate.errors.none')).waitFor();
  await page.getByText(/Prochaine formation « Découpe laser » : le 3 décembre 2026/).waitFor();
  await checkA11y(page, 'laser refused');
  await page.getByRole('link', { name: fr('bookings.gate.register', { title: 'Formation : découpe laser' }) }).click();
  await page.waitForURL(`**/agenda/${session.slug}`);
  await checkA11y(page, 'training event');
  await page.getByRole('button', { name: fr('events.register.oneClick') }).click();
  await page.waitForLoadState();
  const registered = await e.w.ctx.db.selectFrom('event_registration').select('status').where('email', '=', member.email).executeTakeFirstOrThrow();
  assert.equal(registered.status, 'confirmed');

  // After the session the team marks her passed.
  e.w.clock.set('2026-12-03T16:30:00Z');
  await desk.goto('/admin/reservations/formations');
  await desk.getByRole('link', { name: 'Découpe laser' }).click();
  await desk.getByRole('link', { name: /Formation : découpe laser/ }).click();
  await checkA11y(desk, 'session');
  await desk.getByLabel('Léa Solo').check();
  await desk.getByRole('button', { name: fr('bookings.gate.markPassed') }).click();
  await desk.getByText(fr('bookings.gate.flash.passed', { n: 1 })).waitFor();
  await checkA11y(desk, 'session after marking');

  // She books the laser cutter, and sees her authorisation on her account (valid until it lapses, unused, in six months).
  await page.goto(`/reservations/${laser.slug}/reserver?date=2026-12-07&debut=10:00`);
  await page.getByLabel(fr('bookings.form.end')).selectOption('11:00');
  await page.getByRole('button', { name: fr('bookings.form.submit') }).click();
  await page.waitForURL('**/compte/reservations');
  await page.getByText(fr('bookings.flash.booked')).waitFor();
  await page.getByRole('heading', { name: fr('bookings.gate.mine') }).waitFor();
  await page.getByText(fr('bookings.gate.state.valid', { date: '3 juin 2027' })).waitFor();
  await checkA11y(page, 'my bookings with an authorisation');
});

test('on a 360 px phone a space manager ticks arrivals and reads the month’s occupancy', async () => {
  // Wednesday 2 December 2026, 8:00 in Paris.
  e.w.clock.set('2026-12-02T07:00:00Z');
  const placeId = await addThirdPlace(e.w.ctx, 'la-dynamo-presence');
  const manager = actorFor(e.w.ctx, await createUser(e.w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const room = await makeResource(e.w.ctx, manager, roomInput(placeId, { name: 'Salle Armagnac', slug: 'salle-armagnac-presence' }));
  const lea = await createUser(e.w.ctx, { roles: ['member'], name: 'Léa Solo' });
  const marc = await createUser(e.w.ctx, { roles: ['member'], name: 'Marc Dufour' });
  const at = (from: string, to: string) => ({ day: '2026-12-02', startMinutes: Number(from) * 60, endMinutes: Number(to) * 60, note: '' });
  await bookForSomeone(e.w.ctx, manager, room.id, { ...at('9', '11'), mode: 'pour', name: '', email: lea.email });
  await bookForSomeone(e.w.ctx, manager, room.id, { ...at('14', '16'), mode: 'pour', name: '', email: marc.email });
  e.w.clock.set('2026-12-02T16:00:00Z');

  const page = await e.newPage({ javaScript: false, viewport: { width: 360, height: 740 } });
  await e.signIn(page, ['space_manager']);
  await page.goto('/admin/reservations/presence');
  await page.getByRole('heading', { level: 1, name: /Présences du/ }).waitFor();
  assert.ok((await overflow(page)) <= 0, 'the list fits a 360 px screen');
  await checkA11y(page, 'presence list at 360 px');
  await page.getByRole('button', { name: `${fr('bookings.presence.mark.arrived')} Léa Solo` }).click();
  await page.getByText(fr('bookings.presence.flash.arrived')).waitFor();
  await page.getByRole('button', { name: `${fr('bookings.presence.mark.no_show')} Marc Dufour` }).click();
  await page.getByText(fr('bookings.presence.flash.no_show')).waitFor();
  await page.getByText(fr('bookings.presence.summary', { expected: 2, arrived: 1 })).waitFor();
  assert.ok((await overflow(page)) <= 0);
  await checkA11y(page, 'presence list after ticking');

  await page.getByRole('link', { name: fr('bookings.presence.toOccupancy') }).click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.presence.occupancyTitle', { month: 'décembre 2026' }) }).waitFor();
  assert.ok((await overflow(page)) <= 0, 'the figures fit a 360 px screen');
  await checkA11y(page, 'occupancy at 360 px');
  const chart = page.getByRole('img', { name: fr('bookings.presence.chartTitle', { month: 'décembre 2026' }) });
  await chart.waitFor();
  const table = page.getByRole('table', { name: fr('bookings.presence.perResource', { month: 'décembre 2026' }) });
  const cells = await table.getByRole('row', { name: /Salle Armagnac/ }).getByRole('cell').allTextContents();
  // 22 open days of 9 hours in December 2026 (Christmas off), 4 hours booked, one no-show out of two.
  assert.deepEqual(cells.map((c) => c.replace(/\s/g, ' ')), ['198', '4', '2 %', '2', '1', '50 %']);
  await page.getByText(/Source : réservations du tiers-lieu enregistrées sur la plateforme, état au/).first().waitFor();
  const csv = await page.request.get('/admin/reservations/occupation.csv?mois=2026-12');
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /"Ressource";"Salle Armagnac";"Tiers-lieu la-dynamo-presence";"198";"4";"2";"2";"1";"50"/);
});

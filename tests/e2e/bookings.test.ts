/**
 * Booking in a real browser, axe on every page: a member books a meeting room for two hours without JavaScript,
 * receives the mail and cancels before the deadline; a visitor books a room and confirms from the mail, and an
 * unconfirmed booking is released once its 30-minute hold is over (the test moves the server's clock); the grid,
 * the form and "my bookings" reflow at 320 px; the back office's pages pass axe.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { actorFor, createUser } from '../support/factories.js';
import { JobWorker } from '../../src/jobs/worker.js';
import { jobHandlers } from '../../src/modules.js';
import { tFor } from '../../src/web/i18n/index.js';
import { addThirdPlace, makeResource, roomInput } from '../../src/domains/bookings/bookings.testing.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');
const e = useE2E();

async function setup() {
  // Monday 30 November 2026, 8:00 in Paris.
  e.w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(e.w.ctx, 'la-dynamo-essai');
  const staff = actorFor(e.w.ctx, await createUser(e.w.ctx, { roles: ['space_manager'] }), ['space_manager']);
  const room = await makeResource(e.w.ctx, staff, roomInput(placeId, { name: 'Salle Armagnac', slug: 'salle-armagnac' }));
  const open = await makeResource(e.w.ctx, staff, roomInput(placeId, { name: 'Salle Gascogne', slug: 'salle-gascogne', audience: 'visitors' }));
  return { room, open };
}

async function lastMail(to: string) {
  return e.w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
/** What sticks out, to say so when a page overflows. */
const widest = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      .join(', '),
  );

test('without JavaScript a member books a meeting room for two hours, receives the mail and cancels before the deadline', async () => {
  const { room } = await setup();
  const page = await e.newPage({ javaScript: false });
  const member = await e.signIn(page, ['member']);

  await page.goto('/');
  await page.getByRole('navigation', { name: fr('site.nav.label') }).getByRole('link', { name: fr('bookings.nav') }).click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.list.title') }).waitFor();
  await checkA11y(page, 'resources (no JS)');
  await page.getByRole('link', { name: room.name }).click();
  await page.getByRole('heading', { level: 1, name: room.name }).waitFor();
  await checkA11y(page, 'grid, today (no JS)');

  await page.getByRole('link', { name: fr('bookings.grid.nextDay') }).click();
  await page.waitForURL('**/reservations/salle-armagnac?date=2026-12-01**');
  await checkA11y(page, 'grid, tomorrow (no JS)');
  await page.locator('a[href$="/reserver?date=2026-12-01&debut=10:00"]').click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.form.title', { resource: room.name }) }).waitFor();
  await checkA11y(page, 'booking form (no JS)');
  await page.getByLabel(fr('bookings.form.end')).selectOption('12:00');
  await page.getByRole('button', { name: fr('bookings.form.submit') }).click();
  await page.waitForURL('**/compte/reservations');
  await page.getByText(fr('bookings.flash.booked')).waitFor();
  await checkA11y(page, 'my bookings (no JS)');

  const mail = await lastMail(member.email);
  assert.match(mail.subject, /Réservation confirmée : Salle Armagnac/);
  assert.match(mail.text_body, /1 décembre 2026, 10 h 00/);
  assert.match(mail.text_body, /jusqu’à 12 h/);

  e.w.clock.advance(60 * 60_000); // an hour later, plans change
  await page.getByRole('button', { name: new RegExp(`^${fr('bookings.mine.cancelButton')}`) }).click();
  await page.getByText(fr('bookings.flash.cancelled')).waitFor();
  await checkA11y(page, 'my bookings after cancelling (no JS)');
  assert.match((await lastMail(member.email)).subject, /Réservation annulée/);
  assert.equal(await page.getByRole('button', { name: new RegExp(`^${fr('bookings.mine.cancelButton')}`) }).count(), 0);
});

test('a visitor books a room and confirms by mail; an unconfirmed booking is released after its hold', async () => {
  const { open } = await setup();
  const page = await e.newPage();
  await page.goto(`/reservations/${open.slug}?date=2026-12-01`);
  await checkA11y(page, 'grid for visitors');
  await page.locator('a[href$="/reserver?date=2026-12-01&debut=10:00"]').click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.form.title', { resource: open.name }) }).waitFor();
  await page.getByRole('button', { name: fr('bookings.form.submitVisitor') }).click();
  await page.getByRole('alert').waitFor();
  await checkA11y(page, 'visitor form with errors');
  await page.getByLabel(fr('bookings.form.name')).fill('Inès Laffitte');
  await page.getByLabel(fr('bookings.form.email')).fill('ines@exemple.fr');
  await page.getByRole('button', { name: fr('bookings.form.submitVisitor') }).click();
  await page.getByText(fr('bookings.flash.held', { email: 'ines@exemple.fr' })).waitFor();
  await checkA11y(page, 'grid after the hold');
  e.w.clock.advance(5 * 60_000); // she reads her mail five minutes later

  await page.goto(await e.lastMailLink('ines@exemple.fr'));
  await page.getByRole('heading', { level: 1, name: fr('bookings.confirm.title') }).waitFor();
  await checkA11y(page, 'confirmation page');
  await page.getByRole('button', { name: fr('bookings.confirm.submit') }).click();
  await page.getByText(fr('bookings.flash.confirmed')).waitFor();
  assert.match((await lastMail('ines@exemple.fr')).subject, /Réservation confirmée/);

  // Another visitor holds 14:00 and never confirms.
  const other = await e.newPage();
  await other.goto(`/reservations/${open.slug}/reserver?date=2026-12-01&debut=14:00`);
  await other.getByLabel(fr('bookings.form.name')).fill('Marc Dufour');
  await other.getByLabel(fr('bookings.form.email')).fill('marc@exemple.fr');
  await other.getByRole('button', { name: fr('bookings.form.submitVisitor') }).click();
  await other.getByText(fr('bookings.flash.held', { email: 'marc@exemple.fr' })).waitFor();
  const link = await e.lastMailLink('marc@exemple.fr');
  assert.equal(await other.locator('a[href$="/reserver?date=2026-12-01&debut=14:00"]').count(), 0, 'the held slot is taken');

  e.w.clock.advance(31 * 60_000);
  const worker = new JobWorker(e.w.ctx, jobHandlers);
  while ((await worker.runOnce()) > 0);
  await other.goto(`/reservations/${open.slug}?date=2026-12-01`);
  assert.equal(await other.locator('a[href$="/reserver?date=2026-12-01&debut=14:00"]').count(), 1, 'the released slot is free again');
  await other.goto(link);
  await other.getByText(fr('bookings.errors.holdExpired')).waitFor();
  await checkA11y(other, 'expired confirmation link');
});

test('at 320 px the grid, the booking form and my bookings never scroll sideways; the back office pages pass axe', async () => {
  const { room } = await setup();
  const page = await e.newPage({ viewport: { width: 320, height: 640 } });
  await e.signIn(page, ['member', 'space_manager']);
  for (const path of [`/reservations/${room.slug}?date=2026-12-01`, `/reservations/${room.slug}?date=2026-12-01&vue=semaine`, `/reservations/${room.slug}/reserver?date=2026-12-01&debut=10:00`, '/compte/reservations']) {
    await page.goto(path);
    assert.ok((await overflow(page)) <= 0, `${path} overflows by ${await overflow(page)}px: ${await widest(page)}`);
    await checkA11y(page, `${path} at 320 px`);
  }
  const desk = await e.newPage();
  await e.signIn(desk, ['space_manager']);
  for (const path of ['/admin/reservations', '/admin/reservations/ressources/nouvelle', `/admin/reservations/ressources/${room.id}`, '/admin/reservations/planning?date=2026-11-30']) {
    await desk.goto(path);
    await checkA11y(desk, path);
  }
});

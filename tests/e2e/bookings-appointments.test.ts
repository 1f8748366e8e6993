/**
 * A creator-support appointment in a real browser, axe on every page: an adviser of the team publishes a slot at the
 * third place; a candidate household finds it from the bookings page, books it with a few words about its project
 * and receives the confirmation with the `.ics`; after the meeting (the test moves the server's clock) the adviser
 * records it with a note, which then shows on the household's case.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tFor } from '../../src/web/i18n/index.js';
import { addThirdPlace } from '../../src/domains/bookings/bookings.testing.js';
import { applyAsHousehold } from '../../src/domains/newcomers/newcomers.testing.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');
const e = useE2E();

test('a candidate household books a creator-support appointment and the adviser’s note appears on its case', async () => {
  // Monday 30 November 2026, 8:00 in Paris.
  e.w.clock.set('2026-11-30T07:00:00Z');
  await addThirdPlace(e.w.ctx, 'la-dynamo-essai');

  // The adviser publishes a slot on Wednesday at 10:00, at the third place.
  const adviserPage = await e.newPage();
  await e.signIn(adviserPage, ['staff'], { name: 'Claire Conseil' });
  await adviserPage.goto('/admin/rendez-vous');
  await adviserPage.getByRole('heading', { level: 1, name: fr('bookings.appointments.admin.title') }).waitFor();
  await checkA11y(adviserPage, 'adviser board');
  await adviserPage.getByLabel(fr('bookings.appointments.field.date')).fill('2026-12-02');
  await adviserPage.getByLabel(fr('bookings.appointments.field.start')).fill('10:00');
  await adviserPage.getByLabel(fr('bookings.appointments.field.mode')).selectOption('place');
  await adviserPage.getByLabel(fr('bookings.appointments.field.place')).selectOption({ label: 'Tiers-lieu la-dynamo-essai' });
  await adviserPage.getByRole('button', { name: fr('bookings.appointments.admin.publish') }).click();
  await adviserPage.getByText(fr('bookings.appointments.flash.published')).waitFor();
  await checkA11y(adviserPage, 'adviser board with a slot');

  // The household, signed in, books it without JavaScript.
  const page = await e.newPage({ javaScript: false });
  const family = await e.signIn(page, ['candidate'], { name: 'Famille Martin' });
  const applied = await applyAsHousehold(e.w.ctx, { email: family.email });
  await page.goto('/reservations');
  await page.getByRole('link', { name: fr('bookings.appointments.list.link') }).click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.appointments.list.title') }).waitFor();
  await checkA11y(page, 'free slots (no JS)');
  await page.getByRole('main').getByRole('link', { name: new RegExp(`^${fr('bookings.appointments.bookLink')}`) }).click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.appointments.book.title') }).waitFor();
  await checkA11y(page, 'booking form (no JS)');
  await page.getByRole('button', { name: fr('bookings.appointments.book.submit') }).click();
  await page.getByRole('heading', { level: 1, name: fr('bookings.appointments.book.title') }).waitFor();
  await checkA11y(page, 'booking form refused: no project (no JS)');
  await page.getByLabel(fr('bookings.appointments.field.project')).fill('Reprise d’une épicerie de village près de Lectoure');
  await page.getByRole('button', { name: fr('bookings.appointments.book.submit') }).click();
  await page.waitForURL('**/compte/rendez-vous');
  await page.getByText(fr('bookings.appointments.flash.booked')).waitFor();
  await checkA11y(page, 'my appointments (no JS)');
  const mail = await e.w.ctx.db.selectFrom('outbox_mail').select(['subject', 'attachments']).where('to_address', '=', family.email).where('subject', 'like', 'Rendez-vous%').executeTakeFirstOrThrow();
  assert.match(mail.subject, /Rendez-vous confirmé avec Claire Conseil/);
  assert.equal(mail.attachments[0].filename, 'rendez-vous.ics');

  // Wednesday 11:00: the adviser records the meeting and a note.
  e.w.clock.set('2026-12-02T10:00:00Z');
  await adviserPage.goto('/admin/rendez-vous');
  await adviserPage.getByRole('main').getByRole('link', { name: new RegExp(`^${fr('bookings.appointments.admin.open')}`) }).click();
  await adviserPage.getByRole('heading', { level: 1 }).waitFor();
  await checkA11y(adviserPage, 'appointment, before its outcome');
  await adviserPage.getByLabel(fr('bookings.appointments.field.outcome')).selectOption('attended');
  await adviserPage.getByLabel(fr('bookings.appointments.field.note')).fill('Prévoir une étude de marché avec la CCI.');
  await adviserPage.getByRole('button', { name: fr('bookings.appointments.detail.submit') }).click();
  await adviserPage.getByText(fr('bookings.appointments.flash.outcomeAttached.newcomer_case')).waitFor();
  await checkA11y(adviserPage, 'appointment with its outcome');

  await adviserPage.goto(`/admin/accueil/${applied.caseId}`);
  await adviserPage.getByText('Prévoir une étude de marché avec la CCI.').first().waitFor();
  await checkA11y(adviserPage, 'the case with the adviser’s note');
  await adviserPage.goto('/admin/rendez-vous');
  await checkA11y(adviserPage, 'adviser board with figures');
});

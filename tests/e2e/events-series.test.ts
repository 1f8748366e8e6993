/**
 * A recurring series in a real browser: staff create a monthly series from the event form and publish it, cancel
 * one occurrence (its registrant gets a mail, read from the outbox), then at the door on a 360 px wide phone check
 * in two attendees (one found by the name search) and add a walk-in. axe checks every page visited.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerForEvent } from '../../src/domains/events/registrations/index.js';
import { seedEventTypes } from '../../src/domains/events/staff/index.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';
import { actorFor, createUser } from '../support/factories.js';

const fr = tFor('fr');
const e = useE2E();
const PHONE = { width: 360, height: 740 };

async function member(name: string) {
  const u = await createUser(e.w.ctx, { roles: ['member'], name });
  return { ...u, actor: actorFor(e.w.ctx, u, ['member']) };
}

test('staff create a monthly series, cancel one occurrence (its registrant is told) and check people in at the door on a phone', async () => {
  await seedEventTypes(e.w.ctx.db, e.w.ctx.territory.id);
  const page = await e.newPage();
  await e.signIn(page, ['staff']);
  await page.goto('/admin/agenda/nouveau');
  await page.getByRole('heading', { level: 1, name: fr('events.staff.new') }).waitFor();
  await checkA11y(page, 'event form with repetition');
  await page.locator('#f-titre').fill('Apéro des entrepreneurs');
  await page.locator('#f-type').selectOption('apero');
  await page.locator('#f-lieu').selectOption('commune');
  await page.locator('#f-commune').selectOption('32208');
  await page.locator('#f-debut').fill('2026-12-03T18:30');
  await page.locator('#f-fin').fill('2026-12-03T20:30');
  await page.locator('#f-places').fill('30');
  await page.locator('#f-repetition').selectOption('monthly_weekday');
  await page.getByRole('button', { name: fr('events.form.save') }).click();
  await page.waitForURL('**/admin/agenda/series/*');
  await page.getByText(fr('events.series.flash.created')).waitFor();
  await page.getByText('FREQ=MONTHLY;BYDAY=1TH').waitFor();
  await checkA11y(page, 'series page');
  await page.getByRole('button', { name: fr('events.series.publish', { count: 12 }) }).click();
  await page.getByText(fr('events.series.flash.published', { count: 12 })).waitFor();

  const occurrences = await e.w.ctx.db.selectFrom('event').select(['id', 'slug', 'starts_at']).orderBy('starts_at').execute();
  assert.equal(occurrences.length, 12);
  const [december, january] = occurrences;
  const elodie = await member('Élodie Martin');
  const bruno = await member('Bruno Petit');
  const claire = await member('Claire Janvier');
  for (const m of [elodie, bruno]) await registerForEvent(e.w.ctx, m.actor, december.slug, { seats: 1 });
  await registerForEvent(e.w.ctx, claire.actor, january.slug, { seats: 1 });

  // Cancel January alone: Claire is told by mail, once; December is untouched.
  await page.goto(`/admin/agenda/${january.id}`);
  await page.getByText(fr('events.series.partOf')).waitFor();
  await checkA11y(page, 'occurrence page');
  await page.getByRole('button', { name: fr('events.staff.cancel') }).click();
  await page.getByText(fr('events.flash.eventCancelled', { count: 1 })).waitFor();
  const told = await e.w.ctx.db.selectFrom('outbox_mail').select('subject').where('to_address', '=', claire.email).where('subject', 'like', 'Événement annulé%').execute();
  assert.equal(told.length, 1);
  const statuses = await e.w.ctx.db.selectFrom('event').select(['id', 'status']).where('id', 'in', [december.id, january.id]).orderBy('starts_at').execute();
  assert.deepEqual(statuses.map((s) => s.status), ['published', 'cancelled']);

  // At the door, on a phone.
  const phone = await e.newPage({ viewport: PHONE });
  await e.signIn(phone, ['staff']);
  await phone.goto(`/admin/agenda/${december.id}/porte`);
  await phone.getByRole('heading', { level: 1, name: fr('events.door.title') }).waitFor();
  await checkA11y(phone, 'door list on a phone');
  const scrollWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= PHONE.width, `no sideways scrolling at 360 px (${scrollWidth})`);
  await phone.getByRole('searchbox', { name: fr('events.door.search') }).fill('elodie');
  await phone.getByRole('button', { name: fr('events.door.searchSubmit') }).click();
  await phone.waitForURL('**/porte?q=elodie');
  await checkA11y(phone, 'door list searched');
  await phone.getByRole('button', { name: fr('events.door.markPresent', { name: 'Élodie Martin' }) }).click();
  await phone.getByText(fr('events.door.flash.present')).waitFor();
  await phone.getByRole('link', { name: fr('events.door.everyone') }).click();
  await phone.getByRole('button', { name: fr('events.door.markPresent', { name: 'Bruno Petit' }) }).click();
  await phone.getByText(fr('events.door.count', { present: 2, expected: 2 })).waitFor();
  await phone.locator('#walkin-f-nom').fill('Denis Sansinscription');
  await phone.getByRole('button', { name: fr('events.door.walkInSubmit') }).click();
  await phone.getByText(fr('events.door.count', { present: 3, expected: 2 })).waitFor();
  await checkA11y(phone, 'door list after check-ins');

  const rows = await e.w.ctx.db.selectFrom('event_registration').select(['name', 'attendance']).where('event_id', '=', december.id).orderBy('name').execute();
  assert.deepEqual(
    rows.map((r) => [r.name, r.attendance]),
    [
      ['Bruno Petit', 'present'],
      ['Denis Sansinscription', 'walk_in'],
      ['Élodie Martin', 'present'],
    ],
  );
});

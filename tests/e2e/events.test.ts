/**
 * The agenda in a real browser: a visitor registers for a public workshop and confirms from the mail; a member
 * registers in one click for a members-only online breakfast whose link a visitor never sees; a full workshop's
 * waiting list offers a freed seat, claimed within its window; a member proposes an event and gives it a cover from
 * their proposal's page. axe checks every page visited.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { publishedEvent } from '../../src/domains/events/events.testing.js';
import { seedEventTypes } from '../../src/domains/events/staff/index.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';
import { createUser } from '../support/factories.js';

const fr = tFor('fr');
const e = useE2E();

const staffId = async () => (await createUser(e.w.ctx, { roles: ['staff'] })).id;

test('a visitor registers for a public workshop and confirms by mail', async () => {
  const ev = await publishedEvent(e.w.ctx, await staffId(), { titre: 'Atelier compost au jardin' });
  const page = await e.newPage();
  await page.goto('/agenda');
  await page.getByRole('heading', { level: 1, name: fr('events.agenda.title') }).waitFor();
  await checkA11y(page, 'agenda');
  await page.getByRole('link', { name: 'Atelier compost au jardin' }).click();
  await page.waitForURL(`**/agenda/${ev.slug}`);
  await checkA11y(page, 'event page');
  await page.getByRole('link', { name: fr('events.register.visitorLink') }).click();
  await page.waitForURL(`**/agenda/${ev.slug}/inscription`);
  await checkA11y(page, 'visitor form');
  await page.getByLabel(fr('events.visitor.name')).fill('Anne Visiteuse');
  await page.getByLabel(fr('events.visitor.email')).fill('anne.visiteuse@exemple.fr');
  await page.getByRole('button', { name: fr('events.visitor.submit') }).click();
  await page.getByRole('heading', { level: 1, name: fr('events.visitor.sentTitle') }).waitFor();
  await checkA11y(page, 'check your mail');

  await page.goto(await e.lastMailLink('anne.visiteuse@exemple.fr'));
  await checkA11y(page, 'registration link');
  await page.getByRole('button', { name: fr('events.link.confirm') }).click();
  await page.getByText(fr('events.link.status.confirmed', { seats: 1 })).waitFor();
  await checkA11y(page, 'registration confirmed');
});

test('a member registers in one click for a members-only breakfast; a visitor cannot see its online link', async () => {
  const ev = await publishedEvent(e.w.ctx, await staffId(), { titre: 'Petit-déjeuner en visio', type: 'breakfast', public: 'members', lieu: 'online', lien: 'https://visio.example.org/petit-dej' });
  const visitor = await e.newPage();
  await visitor.goto(`/agenda/${ev.slug}`);
  await visitor.getByRole('heading', { level: 1, name: 'Petit-déjeuner en visio' }).waitFor();
  assert.ok(!(await visitor.content()).includes('visio.example.org/petit-dej'));
  await visitor.getByText(fr('events.page.audienceSignIn.members')).waitFor();
  await checkA11y(visitor, 'members-only event, visitor');

  const member = await e.newPage();
  await e.signIn(member, ['member']);
  await member.goto(`/agenda/${ev.slug}`);
  await member.getByRole('button', { name: fr('events.register.oneClick') }).click();
  await member.getByText(fr('events.flash.confirmed')).waitFor();
  await member.getByRole('link', { name: fr('events.page.joinOnline') }).waitFor();
  assert.equal(await member.getByRole('link', { name: fr('events.page.joinOnline') }).getAttribute('href'), 'https://visio.example.org/petit-dej');
  await checkA11y(member, 'members-only event, registered member');
  await member.goto('/compte/inscriptions');
  await member.getByRole('heading', { level: 1, name: fr('events.mine.title') }).waitFor();
  await checkA11y(member, 'my registrations');
});

test('a full workshop: a freed seat is offered to the first in line, who claims it within the window', async () => {
  const ev = await publishedEvent(e.w.ctx, await staffId(), { titre: 'Atelier réparation', places: '1' });
  const first = await e.newPage();
  await e.signIn(first, ['member']);
  await first.goto(`/agenda/${ev.slug}`);
  await first.getByRole('button', { name: fr('events.register.oneClick') }).click();
  await first.getByText(fr('events.flash.confirmed')).waitFor();

  const second = await e.newPage();
  const { email } = await e.signIn(second, ['member']);
  await second.goto(`/agenda/${ev.slug}`);
  await second.getByRole('button', { name: fr('events.register.joinWaitlist') }).click();
  await second.getByText(fr('events.flash.waiting')).waitFor();
  await checkA11y(second, 'waiting list joined');

  // An hour later the first person cancels from their account's page.
  e.w.clock.advance(3600 * 1000);
  await first.goto('/compte/inscriptions');
  await first.getByRole('button', { name: fr('events.link.cancel') }).click();
  await first.getByText(fr('events.flash.cancelled')).waitFor();

  await second.goto(await e.lastMailLink(email));
  await checkA11y(second, 'seat offered');
  await second.getByRole('button', { name: fr('events.link.claim', { seats: 1 }) }).click();
  await second.getByText(fr('events.flash.claimed')).waitFor();
  await second.getByText(fr('events.link.status.confirmed', { seats: 1 })).waitFor();
  await checkA11y(second, 'seat claimed');
});

test('the team’s agenda pages pass axe, and the agenda reflows at 320 px', async () => {
  const ev = await publishedEvent(e.w.ctx, await staffId(), { titre: 'Apéro des entrepreneurs', places: '1' });
  const page = await e.newPage();
  await e.signIn(page, ['staff']);
  for (const [path, label] of [
    ['/admin/agenda', 'staff list'],
    ['/admin/agenda/nouveau', 'staff form'],
    ['/admin/agenda/types', 'types'],
    [`/admin/agenda/${ev.id}`, 'staff event page'],
    [`/admin/agenda/${ev.id}/message`, 'message to registrants'],
  ] as const) {
    await page.goto(path);
    await checkA11y(page, label);
  }
  await page.goto('/admin/agenda/nouveau');
  await page.getByRole('button', { name: fr('events.form.save') }).click();
  await page.locator('#erreurs').waitFor();
  await checkA11y(page, 'staff form with errors');

  const narrow = await e.newPage({ viewport: { width: 320, height: 640 } });
  for (const path of ['/agenda', `/agenda/${ev.slug}`, '/agenda?vue=mois&mois=2026-11']) {
    await narrow.goto(path);
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    await checkA11y(narrow, `${path} at 320 px`);
  }
});

test('a member proposes a workshop and uploads its cover from their proposal’s page, on a 320 px wide screen', async () => {
  // The types the form offers, as a started app has them.
  await seedEventTypes(e.w.ctx.db, e.w.ctx.territory.id);
  const page = await e.newPage({ viewport: { width: 320, height: 640 } });
  await e.signIn(page, ['member'], { name: 'Bérénice-Marie de La Tour-Saint-Christophe' });
  await page.goto('/agenda/proposer');
  await checkA11y(page, 'proposal form');
  const day = new Date(e.w.ctx.clock.now().getTime() + 10 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.locator('[name="titre"]').fill('Atelier vannerie à Lectoure');
  await page.locator('select[name="type"]').selectOption('workshop');
  await page.getByLabel(fr('events.form.placeKind')).selectOption('address');
  await page.locator('select[name="commune"]').selectOption({ label: 'Lectoure' });
  await page.getByLabel(fr('events.form.address')).fill('Salle des fêtes, place de la Mairie, 32700 Lectoure');
  await page.getByLabel(fr('events.form.start')).fill(`${day}T14:00`);
  await page.getByLabel(fr('events.form.end')).fill(`${day}T17:00`);
  await page.getByLabel(fr('events.form.capacityLabel')).fill('8');
  await page.getByRole('button', { name: fr('events.proposals.send') }).click();
  await page.getByText(fr('events.proposals.flash.sent')).waitFor();
  await page.getByRole('link', { name: 'Atelier vannerie à Lectoure' }).click();
  await page.getByRole('heading', { level: 1, name: 'Atelier vannerie à Lectoure' }).waitFor();
  await checkA11y(page, 'my proposal');

  const poster = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#8a4b08' } }).jpeg().toBuffer();
  const form = page.locator('main form[enctype="multipart/form-data"]');
  await form.getByLabel(fr('events.cover.alt')).fill('Des paniers en osier sur une table');
  await form.locator('input[type="file"]').setInputFiles({ name: 'affiche.jpg', mimeType: 'image/jpeg', buffer: poster });
  await form.getByRole('button', { name: fr('events.cover.upload') }).click();
  await page.getByText(fr('events.cover.saved')).waitFor();
  const img = page.locator('img.event-cover');
  assert.equal(await img.getAttribute('alt'), 'Des paniers en osier sur une table');
  assert.ok(await img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 1200), 'the member sees their cover, re-encoded');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the proposal's page overflows by ${overflow}px`);
  await checkA11y(page, 'my proposal with its cover');
});

/**
 * The team's tools on members in a real browser, axe on every page: staff filter the list by commune, write to
 * that group (preview, then send); a member follows the unsubscribe link of that mail without JavaScript and
 * unsubscribes in one click; the figures page reflows at 320 px.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { tFor } from '../../src/web/i18n/index.js';
import { approvedMember, makePlan } from '../../src/domains/members/members.testing.js';
import { checkA11y, useE2E } from '../support/e2e.js';
import { actorFor, createUser } from '../support/factories.js';

const fr = tFor('fr');
const label = (key: string) => new RegExp(`^${fr(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
const e = useE2E();

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('staff filter the members by commune, mail that group, a member unsubscribes in one click; the figures reflow at 320 px', async () => {
  const ctx = e.w.ctx;
  const staff = actorFor(ctx, await createUser(ctx, { roles: ['staff'] }), ['staff']);
  const plan = await makePlan(ctx, { name: 'Individuel' });
  await approvedMember(ctx, staff, plan, { email: 'anne@exemple.fr', firstName: 'Anne', lastName: 'Abadie', insee: '32013' }, '2026-06-01');
  await approvedMember(ctx, staff, plan, { email: 'bruno@exemple.fr', firstName: 'Bruno', lastName: 'Bordes', insee: '32013' }, '2026-03-01');
  await approvedMember(ctx, staff, plan, { email: 'lea@exemple.fr', firstName: 'Léa', lastName: 'Laffargue', insee: '32208' }, '2026-04-01');
  // The group mail comes after the approval and receipt mails, so it is each member's latest.
  e.w.clock.advance(60_000);

  const page = await e.newPage();
  await e.signIn(page, ['staff'], { name: 'Léa Dupuis' });
  await page.goto('/admin/adherents');
  await page.getByLabel(fr('members.staff.commune')).selectOption({ label: 'Auch' });
  await page.getByRole('button', { name: fr('members.staff.filter') }).click();
  await page.getByText(fr('members.staff.count', { count: 2 })).waitFor();
  assert.equal(await page.getByText('Laffargue').count(), 0);
  await checkA11y(page, 'members list filtered by commune');

  await page.getByRole('link', { name: fr('members.groupMail.link') }).click();
  await page.getByRole('heading', { level: 1, name: fr('members.groupMail.title') }).waitFor();
  await page.getByText(fr('members.groupMail.reachOptional', { count: 2, optedOut: 0 })).waitFor();
  await checkA11y(page, 'group mail form');
  await page.getByLabel(label('members.groupMail.subject')).fill('Apéro des solos');
  await page.getByLabel(label('members.groupMail.body')).fill('Rendez-vous jeudi à 18 h à la Dynamo.');
  await page.getByRole('button', { name: fr('members.groupMail.preview') }).click();
  await page.getByRole('heading', { level: 2, name: fr('members.groupMail.previewTitle') }).waitFor();
  assert.match(await page.locator('pre.mail-body').innerText(), /^Bonjour Anne,/);
  await checkA11y(page, 'group mail preview');
  await page.getByRole('button', { name: fr('members.groupMail.send') }).click();
  await page.getByText(fr('members.groupMail.flash', { count: 2 })).waitFor();
  assert.match(page.url(), /\/admin\/adherents\?commune=32013$/);

  // Anne follows the link at the foot of the mail, without JavaScript.
  const link = await e.lastMailLink('anne@exemple.fr');
  assert.match(link, /\/adherents\/desabonnement\//);
  const anne = await e.newPage({ javaScript: false });
  await anne.goto(link);
  await anne.getByRole('heading', { level: 1, name: fr('members.unsubscribe.title') }).waitFor();
  await checkA11y(anne, 'unsubscribe page');
  await anne.getByRole('button', { name: fr('members.unsubscribe.submit') }).click();
  await anne.getByText(fr('members.unsubscribe.done', { name: 'Anne' })).waitFor();
  await checkA11y(anne, 'unsubscribed');

  await page.goto('/admin/adherents/courriel?commune=32013');
  await page.getByText(fr('members.groupMail.reachOptional', { count: 1, optedOut: 1 })).waitFor();

  const phone = await e.newPage({ viewport: { width: 320, height: 640 } });
  await e.signIn(phone, ['staff']);
  await phone.goto('/admin/adherents/chiffres');
  await phone.getByRole('heading', { level: 1, name: fr('members.figures.title') }).waitFor();
  assert.ok((await overflow(phone)) <= 0, `the figures overflow by ${await overflow(phone)}px at 320 px`);
  await checkA11y(phone, 'figures at 320 px');
});

/**
 * The back office in a real browser: an admin invites a staff member, who opens the mailed link, creates an
 * account and lands in the staff area; a member is refused the back office with a French page. axe checks
 * every page, including the invitation form with errors and the refusal page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';
import { createUser } from '../support/factories.js';

const fr = tFor('fr');

const e = useE2E();

const userNav = (page: Page) => page.getByRole('navigation', { name: fr('site.nav.userMenu') });
const adminNav = (page: Page) => page.getByRole('navigation', { name: fr('admin.nav.label') });

test('an admin invites a staff member, who creates an account from the mailed link and sees the staff menu', async () => {
  const admin = await e.newPage();
  await e.signIn(admin, ['admin', 'staff'], { name: 'Hélène Admin' });
  await userNav(admin).getByRole('link', { name: fr('site.nav.admin') }).click();
  await admin.getByRole('heading', { level: 1, name: fr('admin.dashboard.title') }).waitFor();
  await checkA11y(admin, 'admin dashboard');

  await adminNav(admin).getByRole('link', { name: fr('admin.nav.users') }).click();
  await admin.waitForURL('**/admin/utilisateurs');
  await checkA11y(admin, 'admin users');

  // First without a role: the form comes back with its error inline.
  const invite = admin.locator('main form[action="/admin/utilisateurs/inviter"]');
  await invite.getByLabel(fr('accounts.admin.inviteEmail')).fill('marc.equipe@exemple.fr');
  await invite.getByRole('button', { name: fr('accounts.admin.inviteSubmit') }).click();
  await admin.getByRole('alert').waitFor();
  assert.ok((await admin.locator('#e-roles').innerText()).includes(fr('accounts.invite.rolesRequired')));
  assert.equal(await invite.getByLabel(fr('accounts.admin.inviteEmail')).inputValue(), 'marc.equipe@exemple.fr');
  await checkA11y(admin, 'invitation form with errors');

  await invite.getByRole('checkbox', { name: fr('roles.staff') }).check();
  await invite.getByRole('button', { name: fr('accounts.admin.inviteSubmit') }).click();
  await admin.getByText(fr('accounts.admin.invited', { email: 'marc.equipe@exemple.fr' })).waitFor();
  await checkA11y(admin, 'admin users after inviting');

  const staff = await e.newPage();
  const link = await e.lastMailLink('marc.equipe@exemple.fr');
  assert.match(link, /\/invitation\?jeton=/);
  await staff.goto(link);
  await staff.getByRole('heading', { level: 1, name: fr('accounts.invite.title') }).waitFor();
  await checkA11y(staff, 'invitation');
  const accept = staff.locator('main form[action="/invitation"]');
  await accept.getByLabel(fr('accounts.signup.displayName')).fill('Marc Lafitte');
  await accept.getByLabel(fr('accounts.signup.password')).fill('le marché de Samatan');
  await accept.getByRole('button', { name: fr('accounts.invite.accept') }).click();
  await staff.waitForURL('**/admin');
  await staff.getByText(fr('accounts.invite.accepted')).waitFor();
  await staff.getByRole('heading', { level: 1, name: fr('admin.dashboard.title') }).waitFor();
  assert.equal(await userNav(staff).getByRole('link', { name: fr('site.nav.admin') }).count(), 1, 'the header shows the back office link');
  assert.equal(await adminNav(staff).getByRole('link', { name: fr('admin.nav.dashboard') }).count(), 1);
  assert.equal(await adminNav(staff).getByRole('link', { name: fr('admin.nav.users') }).count(), 0, 'staff do not manage people');
  await checkA11y(staff, 'staff dashboard');

  // The admin sees the new person in the list.
  await admin.reload();
  await admin.getByRole('cell', { name: 'Marc Lafitte', exact: true }).waitFor();
});

test('a member cannot open the back office: no staff link, and a French refusal page', async () => {
  const page = await e.newPage();
  await e.signIn(page, ['member']);
  assert.equal(await userNav(page).getByRole('link', { name: fr('site.nav.admin') }).count(), 0);
  for (const path of ['/admin', '/admin/utilisateurs']) {
    const res = await page.goto(path);
    assert.equal(res?.status(), 403, `${path} is refused`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await page.getByRole('heading', { level: 1, name: fr('errors.forbidden.title') }).waitFor();
    await checkA11y(page, `403 on ${path}`);
  }
});

test('an anonymous visitor asking for the back office is sent to the login page and back after logging in', async () => {
  const page = await e.newPage();
  await page.goto('/admin/utilisateurs');
  assert.equal(new URL(page.url()).pathname, '/connexion');
  await checkA11y(page, 'login on the way to the back office');
  const user = await createUser(e.w.ctx, { roles: ['admin'] });
  const login = page.locator('main form[action^="/connexion"]');
  await login.getByLabel(fr('accounts.login.email')).fill(user.email);
  await login.getByLabel(fr('accounts.login.password')).fill(user.password);
  await login.getByRole('button', { name: fr('accounts.login.submit') }).click();
  await page.waitForURL('**/admin/utilisateurs');
  await page.getByRole('heading', { level: 1, name: fr('accounts.admin.users') }).waitFor();
  await checkA11y(page, 'admin users after logging in');
});

test('at 320 px wide the back office pages never scroll sideways (wide tables scroll inside their frame)', async () => {
  const page = await e.newPage({ viewport: { width: 320, height: 640 } });
  await e.signIn(page, ['admin', 'staff']);
  for (const path of ['/admin', '/admin/utilisateurs', '/admin/journal', '/compte']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    await checkA11y(page, `${path} at 320 px`);
  }
});

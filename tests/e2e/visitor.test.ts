/**
 * A visitor's journeys in a real browser: sign-up, the verification mail, login, the language switch and
 * logout; a form with errors; the keyboard path through the skip link. axe checks every page visited.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';

const fr = tFor('fr');
const en = tFor('en');

const e = useE2E();

const lang = (page: Page) => page.locator('html').getAttribute('lang');
const userNav = (page: Page, t = fr) => page.getByRole('navigation', { name: t('site.nav.userMenu') });

test('a visitor signs up, confirms the mailed link, logs in, reads the site in English and back, and logs out', async () => {
  const page = await e.newPage();

  let res = await page.goto('/');
  assert.equal(res?.status(), 200);
  assert.equal(await lang(page), 'fr');
  await checkA11y(page, 'home');

  await userNav(page).getByRole('link', { name: fr('site.nav.signup') }).click();
  await page.waitForURL('**/inscription');
  await checkA11y(page, 'sign-up form');

  const form = page.locator('main form[action="/inscription"]');
  await form.getByLabel(fr('accounts.signup.displayName')).fill('Anne Martin');
  await form.getByLabel(fr('accounts.signup.email')).fill('anne.martin@exemple.fr');
  await form.getByLabel(fr('accounts.signup.password')).fill('les collines du Gers');
  await form.getByRole('button', { name: fr('accounts.signup.submit') }).click();
  await page.getByRole('heading', { level: 1, name: fr('accounts.signup.sent.title') }).waitFor();
  await checkA11y(page, 'sign-up sent');

  const link = await e.lastMailLink('anne.martin@exemple.fr');
  assert.match(link, /\/inscription\/verifier\?jeton=/);
  res = await page.goto(link);
  assert.equal(res?.status(), 200);
  await page.getByText(fr('accounts.verify.done')).waitFor();
  await checkA11y(page, 'email verified');

  await page.getByRole('main').getByRole('link', { name: fr('site.nav.login') }).click();
  await page.waitForURL('**/connexion');
  await checkA11y(page, 'login form');
  const login = page.locator('main form[action^="/connexion"]');
  await login.getByLabel(fr('accounts.login.email')).fill('anne.martin@exemple.fr');
  await login.getByLabel(fr('accounts.login.password')).fill('les collines du Gers');
  await login.getByRole('button', { name: fr('accounts.login.submit') }).click();
  await page.waitForURL('**/compte');
  await page.getByRole('heading', { level: 1, name: fr('accounts.account.title') }).waitFor();
  assert.equal(await page.getByRole('main').getByText('anne.martin@exemple.fr').count(), 1);
  await checkA11y(page, 'account');

  // The header's language link, not the footer's.
  await userNav(page).getByRole('link', { name: fr('site.lang.switchLabel') }).click();
  await page.getByRole('heading', { level: 1, name: en('accounts.account.title') }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/compte', 'the switch comes back to the same page');
  assert.equal(await lang(page), 'en');
  assert.equal(await userNav(page, en).getByRole('button', { name: en('site.nav.logout') }).count(), 1);
  await checkA11y(page, 'account in English');

  await userNav(page, en).getByRole('link', { name: en('site.lang.switchLabel') }).click();
  await page.getByRole('heading', { level: 1, name: fr('accounts.account.title') }).waitFor();
  assert.equal(await lang(page), 'fr');
  await checkA11y(page, 'account back in French');

  await userNav(page).getByRole('button', { name: fr('site.nav.logout') }).click();
  await page.getByText(fr('accounts.logout.done')).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await userNav(page).getByRole('link', { name: fr('site.nav.login') }).count(), 1);
  await checkA11y(page, 'home after logout');

  res = await page.goto('/compte');
  assert.equal(new URL(page.url()).pathname, '/connexion', 'the account page asks to log in again');
  await checkA11y(page, 'login after logout');
});

test('an English browser gets the English site first, and the choice sticks after switching to French', async () => {
  const page = await e.newPage({ locale: 'en-GB' });
  await page.goto('/inscription');
  assert.equal(await lang(page), 'en');
  await page.getByRole('heading', { level: 1, name: en('accounts.signup.title') }).waitFor();
  await checkA11y(page, 'sign-up in English');
  await userNav(page, en).getByRole('link', { name: en('site.lang.switchLabel') }).click();
  await page.getByRole('heading', { level: 1, name: fr('accounts.signup.title') }).waitFor();
  await page.goto('/connexion');
  assert.equal(await lang(page), 'fr', 'the cookie outweighs Accept-Language');
  await checkA11y(page, 'login in French for an English browser');
});

test('a sign-up form sent with errors shows each one next to its field, keeps the values, and focuses the summary', async () => {
  const page = await e.newPage();
  await page.goto('/inscription');
  const form = page.locator('main form[action="/inscription"]');
  await form.getByLabel(fr('accounts.signup.displayName')).fill('Bruno');
  await form.getByLabel(fr('accounts.signup.email')).fill('bruno-sans-arobase');
  await form.getByLabel(fr('accounts.signup.password')).fill('court');
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/inscription') && r.request().method() === 'POST'), form.getByRole('button').click()]);
  assert.equal(response.status(), 422);
  await page.waitForLoadState('load');

  const summary = page.getByRole('alert');
  await summary.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'erreurs', 'the enhancement script moves focus to the summary');

  for (const name of ['email', 'password']) {
    const input = page.locator(`#f-${name}`);
    assert.equal(await input.getAttribute('aria-invalid'), 'true', `${name} is marked invalid`);
    const described = (await input.getAttribute('aria-describedby')) ?? '';
    assert.ok(described.split(' ').includes(`e-${name}`), `${name} is described by its error`);
    assert.ok((await page.locator(`#e-${name}`).innerText()).trim().length > 0, `${name} has a visible message`);
    // The summary links to the field.
    assert.equal(await summary.locator(`a[href="#f-${name}"]`).count(), 1);
  }
  assert.equal(await form.getByLabel(fr('accounts.signup.displayName')).inputValue(), 'Bruno', 'the name is kept');
  assert.equal(await form.getByLabel(fr('accounts.signup.email')).inputValue(), 'bruno-sans-arobase', 'the address is kept as typed');
  assert.equal(await form.getByLabel(fr('accounts.signup.password')).inputValue(), '', 'the password is not sent back');
  await checkA11y(page, 'sign-up with errors');

  await summary.locator('a[href="#f-email"]').click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-email', 'a summary link leads to its field');
});

test('a wrong password is refused on the login form with a message, in an accessible page', async () => {
  const page = await e.newPage();
  await page.goto('/connexion');
  const login = page.locator('main form[action^="/connexion"]');
  await login.getByLabel(fr('accounts.login.email')).fill('personne@exemple.fr');
  await login.getByLabel(fr('accounts.login.password')).fill('pas le bon mot de passe');
  await login.getByRole('button', { name: fr('accounts.login.submit') }).click();
  await page.getByText(fr('accounts.login.failed')).first().waitFor();
  await checkA11y(page, 'login refused');
});

test('an unknown page answers a French 404 page that passes axe', async () => {
  const page = await e.newPage();
  const res = await page.goto('/cette-page-n-existe-pas');
  assert.equal(res?.status(), 404);
  await page.getByRole('heading', { level: 1, name: fr('errors.not_found.title') }).waitFor();
  await checkA11y(page, '404');
});

test('with the keyboard only, the skip link is the first stop and moves focus to the main content', async () => {
  const page = await e.newPage();
  for (const path of ['/', '/inscription']) {
    await page.goto(path);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const box = el.getBoundingClientRect();
      return { text: el.textContent?.trim(), href: el.getAttribute('href'), outline: getComputedStyle(el).outlineStyle, visible: box.left >= 0 && box.top >= 0 && box.width > 0 };
    });
    assert.equal(first.text, fr('site.skip'), `${path}: the first Tab stop is the skip link`);
    assert.equal(first.href, '#contenu');
    assert.ok(first.visible, `${path}: the focused skip link is on screen`);
    assert.notEqual(first.outline, 'none', `${path}: focus is visible`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'contenu', `${path}: focus is on main`);
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('main')), `${path}: the next stop is inside main`);
    await checkA11y(page, `${path} after the skip link`);
  }
});

test('at 320 px wide (or 200% zoom on a small laptop) the public pages never scroll sideways', async () => {
  const page = await e.newPage({ viewport: { width: 320, height: 640 } });
  for (const path of ['/', '/inscription', '/connexion', '/mot-de-passe-oublie']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    await checkA11y(page, `${path} at 320 px`);
  }
});

/**
 * The site works with JavaScript turned off: sign-up, the mailed link, login, the language switch and logout
 * are plain links and forms. Also proves the accessibility check itself catches a broken page, with and
 * without JavaScript, so a green journey means something.
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

test('without JavaScript a visitor signs up, confirms, logs in, switches language and logs out', async () => {
  const page = await e.newPage({ javaScript: false });
  assert.equal(await page.evaluate(() => 1).catch(() => null), 1, 'the harness can still read the page');

  await page.goto('/');
  await checkA11y(page, 'home (no JS)');
  await userNav(page).getByRole('link', { name: fr('site.nav.signup') }).click();
  await page.waitForURL('**/inscription');

  // An empty post first: the server, not the browser, says what is missing.
  const form = page.locator('main form[action="/inscription"]');
  await form.getByRole('button', { name: fr('accounts.signup.submit') }).click();
  await page.getByRole('alert').waitFor();
  assert.ok(await page.locator('#e-email').isVisible());
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'erreurs', 'no script ran to move the focus');
  await checkA11y(page, 'sign-up with errors (no JS)');

  await form.getByLabel(fr('accounts.signup.displayName')).fill('Chloé Dupuy');
  await form.getByLabel(fr('accounts.signup.email')).fill('chloe@exemple.fr');
  await form.getByLabel(fr('accounts.signup.password')).fill('un pré à Lectoure');
  await form.getByRole('button', { name: fr('accounts.signup.submit') }).click();
  await page.getByRole('heading', { level: 1, name: fr('accounts.signup.sent.title') }).waitFor();
  await checkA11y(page, 'sign-up sent (no JS)');

  await page.goto(await e.lastMailLink('chloe@exemple.fr'));
  await page.getByText(fr('accounts.verify.done')).waitFor();
  await checkA11y(page, 'verified (no JS)');

  await page.getByRole('main').getByRole('link', { name: fr('site.nav.login') }).click();
  await page.waitForURL('**/connexion');
  await checkA11y(page, 'login form (no JS)');
  const login = page.locator('main form[action^="/connexion"]');
  await login.getByLabel(fr('accounts.login.email')).fill('chloe@exemple.fr');
  await login.getByLabel(fr('accounts.login.password')).fill('un pré à Lectoure');
  await login.getByRole('button', { name: fr('accounts.login.submit') }).click();
  await page.getByRole('heading', { level: 1, name: fr('accounts.account.title') }).waitFor();
  await checkA11y(page, 'account (no JS)');

  await userNav(page).getByRole('link', { name: fr('site.lang.switchLabel') }).click();
  await page.getByRole('heading', { level: 1, name: en('accounts.account.title') }).waitFor();
  assert.equal(await lang(page), 'en');
  await checkA11y(page, 'account in English (no JS)');
  await userNav(page, en).getByRole('link', { name: en('site.lang.switchLabel') }).click();
  await page.getByRole('heading', { level: 1, name: fr('accounts.account.title') }).waitFor();
  assert.equal(await lang(page), 'fr');
  await checkA11y(page, 'account back in French (no JS)');

  await userNav(page).getByRole('button', { name: fr('site.nav.logout') }).click();
  await page.getByText(fr('accounts.logout.done')).waitFor();
  assert.equal(await userNav(page).getByRole('link', { name: fr('site.nav.login') }).count(), 1);
  await checkA11y(page, 'home after logout (no JS)');
});

test('the accessibility check fails on a page with serious violations, with and without JavaScript', async () => {
  const broken =
    '<!doctype html><html lang="fr"><head><title>Cassée</title></head><body><main>' +
    '<h1>Page cassée</h1><form><input name="sans-etiquette"></form><img src="/favicon.svg">' +
    '<p style="color:#ccc;background:#fff">Texte illisible</p></main></body></html>';
  for (const javaScript of [true, false]) {
    const page = await e.newPage({ javaScript });
    await page.route('**/page-cassee', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: broken }));
    await page.goto('/page-cassee');
    await assert.rejects(checkA11y(page, 'broken page'), (error: Error) => {
      assert.match(error.message, /label/);
      assert.match(error.message, /image-alt/);
      return true;
    });
  }
});

test('the check refuses a page carrying an inline script', async () => {
  const page = await e.newPage();
  await page.route('**/inline', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="fr"><head><title>x</title></head><body><main><h1>x</h1><script>document.title="y"</script></main></body></html>',
    }),
  );
  await page.goto('/inline');
  await assert.rejects(checkA11y(page, 'inline script'), /inline script/);
});

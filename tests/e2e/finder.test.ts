/**
 * The village finder, the map and the comparison in a real browser, JavaScript off where the journey says so:
 * a search by time to Toulouse, a GP and a price cap; the map followed by keyboard only; three villages compared
 * from the finder's checkboxes; mistakes explained. axe checks every page visited.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, useE2E } from '../support/e2e.js';
import { minutesToToulouse, shippedCommunes } from '../support/gers-data.js';

const fr = tFor('fr');

const e = useE2E();

// From the shipped files: the estimated time to Toulouse of the closest commune with a GP and houses at
// 2,000 €/m² at most (50 min in the 2025 edition), and the communes in the finder's name order.
const shipped = [...shippedCommunes().values()];
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' });
const candidates = shipped.filter((c) => c.gps > 0 && c.houseMedian !== null && c.houseMedian <= 2000).map((c) => ({ ...c, minutes: minutesToToulouse(c) }));
const closestMinutes = Math.min(...candidates.map((c) => c.minutes));
const closestNames = candidates.filter((c) => c.minutes === closestMinutes).map((c) => c.name);
const inNameOrder = [...shipped].sort(byName);

test('without JavaScript, a visitor looks for villages near Toulouse with a GP and cheap houses, widens the search and opens one', async () => {
  const page = await e.newPage({ javaScript: false });
  await page.goto('/villages');
  await page.getByRole('heading', { level: 1, name: fr('finder.title') }).waitFor();
  await checkA11y(page, 'finder');
  const form = page.locator('main form[action="/villages"]');
  const tooClose = closestMinutes - 5;
  await form.locator('#f-min_toulouse').fill(String(tooClose));
  await form.getByLabel(fr('finder.form.gp')).check();
  await form.getByLabel(fr('finder.form.priceMax')).fill('2 000');
  await form.getByRole('button', { name: fr('finder.form.submit') }).click();
  await page.waitForURL(new RegExp(`min_toulouse=${tooClose}`));
  // Nothing that close with the estimates: the page says which villages miss by one criterion (Gimont in 2025).
  await page.getByRole('heading', { name: fr('finder.near.title') }).waitFor();
  await checkA11y(page, 'finder, no result');
  const nearMisses = await page.locator('section[aria-labelledby="presque"]').innerText();
  assert.ok(closestNames.some((name) => nearMisses.includes(name)), nearMisses);

  const wider = closestMinutes + 10;
  await page.locator('main form[action="/villages"] #f-min_toulouse').fill(String(wider));
  await page.locator('main form[action="/villages"]').getByRole('button', { name: fr('finder.form.submit') }).click();
  await page.waitForURL(new RegExp(`min_toulouse=${wider}`));
  const rows = page.locator('.finder-table tbody tr');
  assert.ok((await rows.count()) > 0);
  await checkA11y(page, 'finder with results');
  // The search is in the address: the same link gives the same list.
  const shared = await e.newPage({ javaScript: false });
  await shared.goto(page.url());
  assert.equal(await shared.locator('.finder-table tbody tr').count(), await rows.count());

  await rows.first().locator('th a[href^="/villages/"]').click();
  await page.waitForURL(/\/villages\/32\d{3}$/);
});

test('with the keyboard only, a visitor skips the map or follows a commune of the map to its page', async () => {
  const page = await e.newPage();
  await page.goto('/villages?carte=prix');
  // From the figure switch's last link, the next stops are the skip link, then the communes in name order.
  await page.getByRole('link', { name: fr('finder.figure.medecin') }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'commune-map-skip');
  await page.keyboard.press('Tab');
  const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
  assert.ok((label ?? '').startsWith(`${inNameOrder[0].name} : `), label ?? '');
  await page.keyboard.press('Tab');
  const second = (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) ?? '';
  assert.ok(second.startsWith(`${inNameOrder[1].name} : `), second);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/villages/${inNameOrder[1].insee}$`));

  await page.goto('/villages?carte=prix');
  await page.getByRole('link', { name: fr('finder.figure.medecin') }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#carte-donnees');
});

test('a visitor ticks three villages in the finder and compares them; five are explained and fixed', async () => {
  const page = await e.newPage({ javaScript: false });
  await page.goto('/villages?medecin=1&cinema=1');
  // Three villages with a GP and a cinema in the shipped files, in the list's order (Auch, Lectoure, Marciac in 2025).
  const three = inNameOrder.filter((c) => c.gps > 0 && c.cinemas > 0).slice(0, 3);
  assert.equal(three.length, 3);
  for (const { name } of three) await page.getByLabel(fr('finder.results.compareOne').replace('{name}', name), { exact: true }).check();
  await page.getByRole('button', { name: fr('finder.results.compareSubmit') }).click();
  await page.waitForURL(new RegExp(`/villages/comparer\\?${three.map((c) => `c=${c.insee}`).join('&')}`));
  await page.getByRole('table').waitFor();
  await checkA11y(page, 'comparison');
  assert.equal(await page.locator('.compare-table thead th').count(), 3);
  assert.ok((await page.getByText(fr('compare.bestLong')).count()) > 5, 'the best of each row is said in words');

  const res = await page.goto('/villages/comparer?c=32013,32208,32233,32160,32001');
  assert.equal(res?.status(), 422);
  await checkA11y(page, 'comparison of five');
  await page.getByLabel('Aignan (32001)').uncheck();
  await page.getByRole('button', { name: fr('compare.picker.submit') }).click();
  await page.waitForURL(/c=32013&c=32208&c=32233&c=32160/);
  assert.equal(await page.locator('.compare-table thead th').count(), 4);
});

test('a search with mistakes keeps the page and says what to fix next to each field', async () => {
  const page = await e.newPage({ javaScript: false });
  const res = await page.goto('/villages?prix_max=-3&pop_min=500&pop_max=100&tri=altitude');
  assert.equal(res?.status(), 422);
  await checkA11y(page, 'finder with mistakes');
  assert.equal(await page.locator('#e-prix_max').innerText(), fr('finder.errors.price'));
  assert.equal(await page.locator('#e-pop_max').innerText(), fr('finder.errors.populationRange'));
  assert.equal(await page.locator('#f-prix_max').inputValue(), '-3');
});

test('at 320 px wide the finder and the comparison never scroll sideways (tables scroll inside their frame)', async () => {
  const page = await e.newPage({ viewport: { width: 320, height: 640 } });
  for (const path of ['/villages', '/villages?medecin=1', '/villages/comparer?c=32013,32208,32233', '/villages/comparer']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    await checkA11y(page, `${path} at 320 px`);
  }
});

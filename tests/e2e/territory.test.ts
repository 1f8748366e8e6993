/**
 * The commune profile in a real browser: a visitor reads Auch's page and follows a figure to its source; an
 * unknown code offers a search; staff correct a figure with a reason and the public page shows the correction,
 * the imported value and the reason. axe checks every page visited.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { restoreShippedTerritory } from '../support/territory.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, startE2E, type E2E } from '../support/e2e.js';
import { frNumber, shippedCommune } from '../support/gers-data.js';

const fr = tFor('fr');
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

let e: E2E;
before(async () => {
  e = await startE2E();
});
after(() => e.close());
beforeEach(async () => {
  await e.w.reset();
  await restoreShippedTerritory(e.w.ctx);
});
afterEach(() => e.closeContexts());

test('a visitor reads a commune profile, follows a figure to its source, and an unknown code offers the search', async () => {
  const page = await e.newPage();
  await page.goto('/villages/32013');
  await page.getByRole('heading', { level: 1, name: 'Auch' }).waitFor();
  await checkA11y(page, 'commune profile');
  const housing = page.locator('section[aria-labelledby="logement"]');
  assert.ok(plain(await housing.innerText()).includes(`${frNumber(shippedCommune('32013').houseMedian!)} €/m²`), 'Auch’s median house price');
  // The house price's source number leads to the DVF entry of the sources block.
  await housing.getByRole('link', { name: /^Source \d+$/ }).first().click();
  const target = page.locator('.source-list li:target');
  await target.waitFor();
  assert.match(await target.innerText(), /DVF/);

  await page.getByRole('link', { name: fr('territory.sources.all') }).click();
  await page.getByRole('heading', { level: 1, name: fr('territory.sourcesPage.title') }).waitFor();
  await checkA11y(page, 'sources');

  const res = await page.goto('/villages/99999');
  assert.equal(res?.status(), 404);
  await checkA11y(page, 'commune not found');
  const search = page.locator('main form[action="/villages"]');
  await search.getByLabel(fr('territory.notFound.searchLabel')).fill('Lectoure');
  await search.getByRole('button', { name: fr('territory.notFound.submit') }).click();
  await page.waitForURL(/\/villages\?q=Lectoure/);
});

test('staff correct a figure with a reason; the public page shows the correction, the imported value and the reason', async () => {
  const staff = await e.newPage();
  await e.signIn(staff, ['staff'], { name: 'Camille Accueil' });
  await staff.goto('/admin/territoire');
  await staff.getByRole('heading', { level: 1, name: fr('territory.admin.title') }).waitFor();
  await checkA11y(staff, 'territory back office');
  const search = staff.locator('main form[action="/admin/territoire"]');
  await search.getByLabel(fr('territory.admin.search')).fill('lectoure');
  await search.getByRole('button', { name: fr('territory.admin.searchSubmit') }).click();
  await staff.getByRole('link', { name: 'Lectoure (32208)' }).click();
  await staff.getByRole('heading', { level: 1, name: fr('territory.admin.commune.title', { name: 'Lectoure' }) }).waitFor();
  await checkA11y(staff, 'correction form');

  const form = staff.locator('main form[action="/admin/territoire/communes/32208/corrections"]');
  await form.getByLabel(fr('territory.admin.commune.figure')).selectOption('min_toulouse');
  await form.getByLabel(fr('territory.admin.commune.value')).fill('quatre-vingts');
  await form.getByRole('button', { name: fr('territory.admin.commune.save') }).click();
  await staff.getByRole('alert').waitFor();
  await checkA11y(staff, 'correction form with errors');

  await form.getByLabel(fr('territory.admin.commune.value')).fill('80');
  await form.getByLabel(fr('territory.admin.commune.note')).fill('Mesuré par la route départementale, sans bouchon');
  await form.getByRole('button', { name: fr('territory.admin.commune.save') }).click();
  await staff.getByText(fr('territory.admin.commune.saved')).waitFor();

  const visitor = await e.newPage();
  await visitor.goto('/villages/32208');
  const access = visitor.locator('section[aria-labelledby="acces"]');
  const text = plain(await access.innerText());
  assert.match(text, /env\. 80 min/);
  assert.match(text, /valeur importée : env\. \d+ min/);
  assert.match(text, /Mesuré par la route départementale/);
  await checkA11y(visitor, 'commune profile with a correction');
});

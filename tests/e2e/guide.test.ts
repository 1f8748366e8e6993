/**
 * The guide, the third places and the site search in a real browser: a visitor reads an article through its
 * table of contents, opens La Dynamo, searches from the header; a staff member previews and publishes an
 * article, which the public then reads. axe checks every page visited.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { territoryDataDir } from '../../src/bootstrap.js';
import { seedGuideArticles } from '../../src/domains/guide/index.js';
import { seedThirdPlaces } from '../../src/domains/places/index.js';
import { tFor } from '../../src/web/i18n/index.js';
import { checkA11y, startE2E, type E2E } from '../support/e2e.js';

const fr = tFor('fr');

let e: E2E;
before(async () => {
  e = await startE2E();
});
after(() => e.close());
beforeEach(async () => {
  await e.w.reset();
  await seedGuideArticles(e.w.ctx.db, e.w.ctx.territory.id, territoryDataDir('gers'), e.w.clock.now());
  await seedThirdPlaces(e.w.ctx.db, e.w.ctx.territory.id, territoryDataDir('gers'), e.w.clock.now());
});
afterEach(() => e.closeContexts());

test('a visitor reads an article by its table of contents, opens La Dynamo and searches from the header', async () => {
  const page = await e.newPage();
  await page.goto('/guide');
  await page.getByRole('heading', { level: 1, name: fr('guide.title') }).waitFor();
  await checkA11y(page, 'guide index');

  await page.getByRole('link', { name: 'Se soigner : médecins, pharmacies et urgences' }).click();
  await page.waitForURL('**/guide/se-soigner-medecins-pharmacies-et-urgences');
  const toc = page.getByRole('navigation', { name: fr('guide.article.toc') });
  await toc.getByRole('link', { name: 'Ce que les chiffres ne disent pas' }).click();
  await page.waitForURL('**#ce-que-les-chiffres-ne-disent-pas');
  await checkA11y(page, 'guide article');

  await page.goto('/tiers-lieux');
  await checkA11y(page, 'third places');
  await page.getByRole('link', { name: 'La Dynamo', exact: true }).first().click();
  await page.waitForURL('**/tiers-lieux/la-dynamo');
  assert.ok((await page.getByText(fr('places.toConfirm')).count()) >= 3);
  await checkA11y(page, 'La Dynamo');

  const search = page.getByRole('search').first();
  await search.getByLabel(fr('search.label')).fill('ile jourdain');
  await search.getByRole('button', { name: fr('search.submit') }).click();
  await page.waitForURL('**/recherche?q=ile+jourdain');
  await page.getByRole('heading', { level: 2, name: fr('search.group.communes') }).waitFor();
  assert.equal(await page.getByRole('link', { name: "L'Isle-Jourdain" }).count(), 1);
  await checkA11y(page, 'search results');
});

test('staff preview an article without saving, publish it, and the public reads it', async () => {
  const staff = await e.newPage();
  await e.signIn(staff, ['staff']);
  await staff.goto('/admin/guide');
  await checkA11y(staff, 'guide admin list');
  await staff.getByRole('link', { name: fr('guide.admin.new') }).click();
  await staff.waitForURL('**/admin/guide/nouveau');
  await checkA11y(staff, 'guide editor');

  const form = staff.locator('main form.editor');
  await form.getByLabel(fr('guide.editor.fieldTitle')).fill('Le marché d’Auch');
  await form.getByLabel(fr('guide.editor.fieldCategory')).selectOption('culture');
  await form.getByLabel(fr('guide.editor.fieldBody')).fill('## Le samedi\n\nLe marché a lieu **le samedi matin**.\n\n## Y aller\n\nEn [train](/guide/teletravailler-dans-le-gers-gares-et-trajets-vers-toulouse).');
  await form.getByRole('button', { name: fr('guide.editor.preview') }).click();
  await staff.getByRole('heading', { level: 2, name: fr('guide.editor.previewTitle') }).waitFor();
  assert.equal(await staff.locator('.preview strong', { hasText: 'le samedi matin' }).count(), 1);
  assert.equal((await e.w.ctx.db.selectFrom('guide_article').select('id').where('title', '=', 'Le marché d’Auch').execute()).length, 0);
  await checkA11y(staff, 'guide editor with preview');

  await form.getByLabel(fr('guide.editor.fieldStatus')).selectOption('published');
  await form.getByRole('button', { name: fr('guide.editor.save') }).click();
  await staff.getByText(fr('guide.editor.created')).waitFor();
  await staff.getByRole('link', { name: fr('guide.editor.revisions') }).click();
  await staff.getByRole('heading', { level: 1 }).waitFor();
  await checkA11y(staff, 'guide revisions');

  const visitor = await e.newPage();
  const res = await visitor.goto('/guide/le-marche-d-auch');
  assert.equal(res?.status(), 200);
  await visitor.getByRole('heading', { level: 1, name: 'Le marché d’Auch' }).waitFor();
  await checkA11y(visitor, 'published article');
});

/**
 * French search across communes, guide articles and third places. `npm test` runs this file on PGlite and
 * `npm run test:pg` on PostgreSQL: the same assertions must hold on both.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, isPostgresRun, type TestWorld } from '../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../tests/support/factories.js';
import { createOffer, proposeOffer, withdrawOffer } from '../offers/offers.service.js';
import type { OfferInput } from '../offers/offers.schemas.js';
import { territoryDataDir } from '../../bootstrap.js';
import { seedGuideArticles } from '../guide/index.js';
import { seedThirdPlaces } from '../places/index.js';
import { searchSite } from './index.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  await seedGuideArticles(w.ctx.db, w.ctx.territory.id, territoryDataDir('gers'), w.clock.now());
  await seedThirdPlaces(w.ctx.db, w.ctx.territory.id, territoryDataDir('gers'), w.clock.now());
});

const engine = isPostgresRun() ? 'PostgreSQL' : 'PGlite';

async function addArticle(title: string, body: string, status: 'draft' | 'published' = 'published') {
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  const a = new Agent(w.app);
  await a.login(staff.email, PASSWORD);
  const res = await a.post('/admin/guide/nouveau', { title, category: 'bio', summary: '', body, status, action: 'save' });
  assert.equal(res.statusCode, 303);
}

const found = async (q: string) => {
  const r = await searchSite(w.ctx, q);
  return { communes: r.communes.map((c) => c.insee), articles: r.articles.map((a) => a.slug), places: r.places.map((p) => p.slug) };
};

describe(`French search on ${engine}`, () => {
  test('a plural finds the singular and the other way round (French stemming)', async () => {
    await addArticle('Le pain du samedi', 'La boulangerie du village ouvre tôt.');
    await addArticle('Nos fournils', 'Trois boulangeries bio dans le secteur.');
    assert.deepEqual((await found('boulangeries')).articles.sort(), ['le-pain-du-samedi', 'nos-fournils']);
    assert.deepEqual((await found('boulangerie')).articles.sort(), ['le-pain-du-samedi', 'nos-fournils']);
  });

  test('case and accents do not matter', async () => {
    for (const q of ['Lectoure', 'lectoure', 'LECTOURE', 'Léctouré']) assert.equal((await found(q)).communes[0], '32208', q);
    const withAccent = await found('médecins généralistes');
    const without = await found('MEDECINS generalistes');
    assert.ok(withAccent.articles.includes('se-soigner-medecins-pharmacies-et-urgences'));
    assert.deepEqual(without, withAccent);
    assert.deepEqual(await found('teletravail'), await found('Télétravail'));
  });

  test('"ile jourdain" finds L’Isle-Jourdain and the third place there', async () => {
    const r = await found('ile jourdain');
    assert.equal(r.communes[0], '32160');
    assert.ok(r.places.includes('l-ours-brun'));
    assert.equal((await found("l'isle-jourdain")).communes[0], '32160');
  });

  test('the last word is a prefix, and a small typo in a name is forgiven', async () => {
    assert.equal((await found('lecto')).communes[0], '32208');
    assert.equal((await found('marciak')).communes[0], '32233');
    assert.ok((await found('dynamo')).places.includes('la-dynamo'));
    assert.ok((await found('fablab')).places.includes('la-dynamo'));
  });

  test('a postcode or an INSEE code finds the commune', async () => {
    assert.ok((await found('32000')).communes.includes('32013'));
    assert.deepEqual((await found('32208')).communes, ['32208']);
  });

  test('drafts never appear in search results', async () => {
    await addArticle('Boulangeries secrètes', 'Texte en cours.', 'draft');
    assert.deepEqual((await found('boulangeries secretes')).articles, []);
  });

  test('live offers are found by their title, description or commune; drafts, proposals, withdrawn and expired offers never', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const actor = actorFor(w.ctx, staff, ['staff']);
    const partner = await createUser(w.ctx, { roles: ['partner'] });
    const offer = (title: string, o: Partial<OfferInput> = {}): OfferInput =>
      ({ kind: 'job', title, description: 'Un poste au cœur du village, temps plein.', insee: '32208', sector: 'health_social', expiresOn: '2027-03-31', publish: true, job: { employer: 'Centre de santé', contract: 'cdi', remote: false }, ...o }) as OfferInput;
    const live = await createOffer(w.ctx, actor, offer('Infirmières et infirmiers au centre de santé'));
    await createOffer(w.ctx, actor, offer('Infirmier de nuit (brouillon)', { publish: false }));
    await proposeOffer(w.ctx, actorFor(w.ctx, partner, ['partner']), offer('Infirmier libéral (proposition)', { publish: false }));
    const gone = await createOffer(w.ctx, actor, offer('Infirmier remplaçant'));
    await withdrawOffer(w.ctx, actor, gone.id);
    await createOffer(w.ctx, actor, offer('Infirmier saisonnier'));
    await w.ctx.db.updateTable('offer').set({ expires_on: '2026-11-01' }).where('title', '=', 'Infirmier saisonnier').execute();
    for (const q of ['infirmiere', 'INFIRMIER centre', 'lectoure', 'coeur du village']) {
      const r = await searchSite(w.ctx, q);
      assert.deepEqual(r.offers.map((o) => o.id), [live.id], q);
    }
    const page = await new Agent(w.app).get('/recherche?q=infirmier');
    assert.match(page.body, /<h2 id="res-offres">Offres<\/h2>/);
    assert.match(page.body, new RegExp(`href="/offres/${live.id}"`));
  });

  test('punctuation and tsquery syntax in the query are harmless', async () => {
    for (const q of ["'&|!:*()", 'auch & | !', "l'", '\\', '<script>', 'a'.repeat(500), 'é']) {
      const r = await searchSite(w.ctx, q);
      assert.ok(Array.isArray(r.communes), q);
    }
  });
});

describe('the /recherche page', () => {
  test('shows grouped results for a query, and a hint for an empty or too short one', async () => {
    const a = new Agent(w.app);
    const res = await a.get('/recherche?q=Auch');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h2 id="res-villages">Villages<\/h2>/);
    assert.match(res.body, /href="\/villages\/32013"/);
    assert.match(res.body, /<h2 id="res-tiers-lieux">/);
    assert.match(res.body, /value="Auch"/);
    const short = await a.get('/recherche?q=a');
    assert.equal(short.statusCode, 200);
    assert.match(short.body, /au moins deux lettres/);
    assert.equal((await a.get('/recherche')).statusCode, 200);
    assert.equal((await a.get('/recherche?q=zzzzzz')).statusCode, 200);
    assert.equal((await a.get('/recherche?q=a&q=b')).statusCode, 200);
    const hostile = await a.get('/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.equal(hostile.statusCode, 200);
    assert.doesNotMatch(hostile.body, /<script>alert/);
  });

  test('every page carries a search box in its header, with a label', async () => {
    const res = await new Agent(w.app).get('/guide');
    assert.match(res.body, /<form class="site-search" role="search" action="\/recherche" method="get">/);
    assert.match(res.body, /<label for="recherche-site"[^>]*>Rechercher sur le site<\/label>/);
    assert.match(res.body, /<input id="recherche-site" type="search" name="q"/);
  });
});

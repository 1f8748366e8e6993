import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { actorFor, createUser } from '../../../tests/support/factories.js';
import { rootDir } from '../../bootstrap.js';
import { setParisReference } from './territory.service.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';
import { frNumber, nearestPassengerStation, shippedCinemas, shippedCommune, shippedCommunes, shippedDatasets, shippedFestivals, shippedPriceReference } from '../../../tests/support/gers-data.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  await restoreShippedTerritory(w.ctx);
});

/** Intl writes French numbers with narrow no-break spaces (1 889 €/m², 50 %): compare with plain spaces. */
const plain = (html: string) => html.replace(/[\u202f\u00a0]/g, ' ');
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('the commune profile', () => {
  test('Auch shows its identity, access times with their method, health counts, prices and every source', async () => {
    const shipped = shippedCommune('32013');
    const res = await new Agent(w.app).get('/villages/32013');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(new Intl.NumberFormat('fr-FR').format(shipped.population)), 'numbers are formatted by Intl');
    const html = plain(res.body);
    assert.match(html, /<h1>Auch<\/h1>/);
    assert.ok(html.includes(`${frNumber(shipped.population)} habitants`), 'population');
    assert.ok(html.includes(shipped.epciName), 'EPCI');
    for (const postcode of shipped.postcodes) assert.ok(html.includes(postcode), 'postcode');
    assert.ok(html.includes('Auch-1, Auch-2, Auch-3'), 'cantons');
    assert.ok(html.includes(`${frNumber(shipped.houseMedian!)} €/m²`), 'median house price');
    assert.ok(html.includes(`${frNumber(shipped.houseSales)} vente(s)`), 'number of house sales');
    assert.ok(html.includes(`${frNumber(shipped.flatMedian!)} €/m²`), 'median flat price');
    const fewSales = [shipped.houseSales, shipped.flatSales].some((n) => n < 10);
    assert.equal(html.includes('peu de ventes'), fewSales, 'the badge appears under ten sales only');
    const toulouse = shippedPriceReference('31555').houseMedian!;
    assert.ok(
      html.includes(`${Math.round((100 * shipped.houseMedian!) / toulouse)} % du prix médian à Toulouse (${frNumber(toulouse)} €/m²)`),
      'ratio with Toulouse',
    );
    assert.match(html, /du prix médian à Bordeaux/);
    assert.ok(!html.includes('Paris ('), 'no comparison with Paris until staff enter a figure');
    assert.match(html, /Médecins généralistes/);
    assert.match(html, /comptée à 35 km\/h sur les 10 premiers kilomètres/, 'the drive-time method is stated');
    assert.match(html, /± 20 %/, 'with its error');
    assert.ok(html.includes(`Gare la plus proche : ${nearestPassengerStation(shipped).name}`), 'nearest station');
    // Every cinema and festival of the shipped lists located in Auch is named.
    const named = (text: string) => html.includes(text) || html.includes(escapeText(text));
    for (const c of shippedCinemas().filter((x) => x.code_insee === '32013')) assert.ok(named(c.nom), c.nom);
    for (const f of shippedFestivals().filter((x) => x.code_insee === '32013')) assert.ok(named(f.nom), f.nom);
    assert.match(html, /Aucun membre de la vitrine publique des solos/, 'solos living here: a count of public profiles, with its source');
    assert.match(html, /Source : annuaire des adhérents, profils publics/);
    assert.match(html, /class="locator-map"/);
    // Sources: each dataset with edition and licence, the ODbL share-alike for stations.
    assert.match(html, /<h2 id="sources">Sources<\/h2>/);
    assert.match(html, /DGFiP DVF \/ Etalab geo-dvf, agrégation Stef91FR\/Prix-m2/);
    assert.match(html, /Source : Insee, BPE 2024/);
    assert.match(html, /ODbL/);
    assert.match(html, /Licence Ouverte 2\.0/);
    assert.match(html, /href="#source-1"/);
  });

  test('a village with few sales says its prices are indicative, and one without a GP names the nearest', async () => {
    const few = [...shippedCommunes().values()].find((c) => c.houseSales > 0 && c.houseSales < 10)!;
    const fewPage = await new Agent(w.app).get(`/villages/${few.insee}`);
    assert.equal(fewPage.statusCode, 200);
    assert.match(fewPage.body, /peu de ventes : indicatif/);
    const noGp = await w.ctx.db.selectFrom('commune').select(['insee', 'nearest_gp_insee']).where('gp_count', '=', 0).orderBy('insee').executeTakeFirstOrThrow();
    const nearest = await w.ctx.db.selectFrom('commune').select('name').where('insee', '=', noGp.nearest_gp_insee!).executeTakeFirstOrThrow();
    const page = await new Agent(w.app).get(`/villages/${noGp.insee}`);
    assert.match(page.body, /Aucun médecin généraliste recensé dans la commune/);
    assert.ok(page.body.includes(nearest.name.replace(/'/g, '&#39;')) || page.body.includes(nearest.name));
  });

  test('anonymous visitors get the cached page; the English version is translated', async () => {
    const a = new Agent(w.app);
    const first = await a.get('/villages/32160', { 'accept-encoding': 'gzip' });
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['cache-control']), /public/);
    const second = await a.get('/villages/32160', { 'if-none-match': String(first.headers.etag) });
    assert.equal(second.statusCode, 304);
    const en = await new Agent(w.app, { 'accept-language': 'en' }).get('/villages/32160');
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /Getting there/);
  });

  test('an unknown or malformed code answers 404 with a search form', async () => {
    for (const code of ['99999', 'abc', '3201', '32013x']) {
      const res = await new Agent(w.app).get(`/villages/${code}`);
      assert.equal(res.statusCode, 404, code);
      assert.match(res.body, /Commune introuvable/);
      assert.match(res.body, /<form action="\/villages" method="get"/);
      assert.match(res.body, /name="q"/);
    }
  });

  test('a Paris comparison appears once staff enter a Paris figure, with its source', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    await setParisReference(w.ctx, actorFor(w.ctx, staff, ['staff']), { houseMedian: 10200, flatMedian: undefined, sourceNote: 'Notaires du Grand Paris, 2e trimestre 2026', sourceUrl: undefined, sourceDate: '2026-07-01' });
    const res = await new Agent(w.app).get('/villages/32013');
    const html = plain(res.body);
    assert.match(html, /19 % du prix médian à Paris \(10 200 €\/m²\)/);
    assert.match(html, /Notaires du Grand Paris, 2e trimestre 2026/);
    assert.match(html, /1 juillet 2026|1er juillet 2026/);
  });

  test('the page and its stylesheet weigh under 40 kB compressed', async () => {
    const res = await new Agent(w.app).get('/villages/32013');
    const css = readFileSync(path.join(rootDir, 'public', 'app.css'));
    const size = gzipSync(Buffer.from(res.body)).length + gzipSync(css).length;
    assert.ok(size < 40 * 1024, `${size} bytes`);
  });
});

describe('the sources page', () => {
  test('lists every dataset with its licence and attribution, and explains the ODbL share-alike', async () => {
    const res = await new Agent(w.app).get('/sources');
    assert.equal(res.statusCode, 200);
    const datasets = await w.ctx.db.selectFrom('dataset').select(['title', 'licence']).where('territory_id', '=', w.ctx.territory.id).execute();
    assert.equal(datasets.length, shippedDatasets().length);
    for (const d of datasets) assert.ok(res.body.includes(d.title.replace(/'/g, '&#39;')) || res.body.includes(d.title), d.title);
    assert.match(res.body, /SNCF – Open Data/);
    assert.match(res.body, /partage à l’identique/);
    assert.match(res.body, /GET \/api\/v1\/communes\/\{insee\}/);
  });
});

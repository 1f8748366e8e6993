/**
 * What the village pages claim beside their figures: thin price samples are not compared, source marks cannot read
 * as exponents, the population says its year, /sources explains the DVF aggregation, and a record staff mark as a
 * duplicate leaves the counts and the pages (and stays marked through a re-import).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { actorFor, codeOf, createUser } from '../../../tests/support/factories.js';
import { readGersJson, shippedCommunes, shippedDuplicates, shippedFestivalRows, shippedPriceReference } from '../../../tests/support/gers-data.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';
import { importTerritory } from './territory.import.js';
import { markDuplicate, removeDuplicate } from './territory.service.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  await restoreShippedTerritory(w.ctx);
});

const plain = (html: string) => html.replace(/[\u202f\u00a0]/g, ' ');
const communes = [...shippedCommunes().values()];

describe('thin price samples', () => {
  test('under five house sales the price shows with its badge and no percentage of Toulouse', async () => {
    const thin = communes.find((c) => c.houseMedian !== null && c.houseSales > 0 && c.houseSales < 5 && (c.flatSales === 0 || c.flatSales >= 5 || c.flatMedian === null))!;
    const html = plain((await new Agent(w.app).get(`/villages/${thin.insee}`)).body);
    assert.ok(html.includes(`${new Intl.NumberFormat('fr-FR').format(thin.houseMedian!).replace(/\u202f/g, ' ')} €/m²`), 'the price is shown');
    assert.match(html, /peu de ventes : indicatif/);
    assert.doesNotMatch(html, /% du prix médian à Toulouse/, 'no comparison drawn from a handful of sales');
    assert.match(html, /Pas de comparaison sous 5 ventes/);
    assert.match(html, /comptées en lignes du fichier DVF : une vente de plusieurs lots compte une fois par lot/, 'the count is said to be of DVF lines');
    assert.match(html, /Ventes du \d+ \S+ \d{4} au \d+ \S+ \d{4}\./, 'next to the window of the sales');
  });

  test('from five sales on, the ratio to Toulouse is given and cites both the commune’s and Toulouse’s source', async () => {
    const enough = communes.find((c) => c.houseMedian !== null && c.houseSales >= 5 && c.houseSales < 10)!;
    const html = plain((await new Agent(w.app).get(`/villages/${enough.insee}`)).body);
    const toulouse = shippedPriceReference('31555').houseMedian!;
    assert.ok(html.includes(`${Math.round((100 * enough.houseMedian!) / toulouse)} % du prix médian à Toulouse`));
  });

  test('the comparison shows a thin sample’s price but never marks it best nor measures a gap from it', async () => {
    const thin = communes.find((c) => c.houseMedian !== null && c.houseSales > 0 && c.houseSales < 5 && c.houseMedian < 1000);
    const cheapThin = thin ?? communes.filter((c) => c.houseMedian !== null && c.houseSales > 0 && c.houseSales < 5).sort((a, b) => a.houseMedian! - b.houseMedian!)[0];
    const res = await new Agent(w.app).get(`/villages/comparer?c=32013,${cheapThin.insee}`);
    const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Prix médian des maisons(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(res.body);
    assert.ok(row, 'the house price row');
    assert.doesNotMatch(row[0], /class="best"/, 'Auch is the only comparable price: nothing to tell apart');
  });
});

describe('source marks', () => {
  test('a mark is bracketed and set apart, never raised after a unit', async () => {
    const html = (await new Agent(w.app).get('/villages/32013')).body;
    assert.doesNotMatch(html, /<sup[^>]*src-ref/, 'no superscript mark');
    assert.match(html, /km²<span class="src-ref">\u00a0<a href="#source-\d+" aria-label="Source \d+">\[\d+\]<\/a><\/span>/, 'the area reads "km² [n]"');
    const compare = (await new Agent(w.app).get('/villages/comparer?c=32013,32160')).body;
    assert.match(compare, /<span class="src-ref">\u00a0<a href="#source-\d+" aria-label="Source \d+">\[\d+\]<\/a><\/span>/, 'the same mark on the comparison');
    const home = (await new Agent(w.app).get('/')).body;
    assert.match(home, /<span class="src-ref">\u00a0<a href="#source-\d+" aria-label="Source \d+">\[\d+\]<\/a><\/span>/, 'and on the home page');
  });

  test('the population says which year it counts, from the dataset', async () => {
    const year = readGersJson<{ datasets: { key: string; referenceYear?: number }[] }>('datasets.json').datasets.find((d) => d.key === 'cog-communes')!.referenceYear!;
    const html = (await new Agent(w.app).get('/villages/32013')).body;
    assert.ok(html.includes(`(population municipale ${year})`));
  });
});

describe('/sources', () => {
  test('explains how the shipped DVF prices are aggregated, and lists the curated third places', async () => {
    const html = plain((await new Agent(w.app).get('/sources')).body);
    assert.match(html, /<h2 id="methode-dvf">/);
    assert.match(html, /surface bâtie de 10 à 1 000 m²/);
    assert.match(html, /médiane du prix au m² par commune et par type de bien/);
    const dvf = readGersJson<{ datasets: { key: string; periodStart?: string; periodEnd?: string }[] }>('datasets.json').datasets.find((d) => d.key.startsWith('dvf-'))!;
    const day = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
    assert.ok(html.includes(`Fenêtre réelle des ventes : du ${day(dvf.periodStart!)} au ${day(dvf.periodEnd!)}`), 'the real window of the sales');
    assert.match(html, /Tiers-lieux du Gers \(liste établie par le programme\)/);
    assert.match(html, /tiers-lieux-gers\.csv/);
    assert.match(html, /35 km\/h sur les 10 premiers kilomètres/, 'the drive-time method');
  });
});

describe('duplicates in an imported list', () => {
  const auchFestivals = () => shippedFestivalRows().filter((f) => f.code_insee === '32013');

  test('the duplicate shipped in doublons.json is marked at import: Auch counts and shows it once', async () => {
    const [dup] = shippedDuplicates();
    const html = (await new Agent(w.app).get('/villages/32013')).body;
    const record = shippedFestivalRows().find((f) => f.identifiant === dup.record)!;
    const kept = shippedFestivalRows().find((f) => f.identifiant === dup.duplicateOf)!;
    assert.ok(!html.includes(`<li>${record.nom}`), 'the duplicate is not listed');
    assert.ok(html.includes(kept.nom.replace(/'/g, '&#39;')) || html.includes(kept.nom), 'the record kept is');
    const row = await w.ctx.db.selectFrom('commune').select('festival_count').where('insee', '=', '32013').executeTakeFirstOrThrow();
    assert.equal(row.festival_count, auchFestivals().length - 1);
  });

  test('staff mark another record with a note: counts, pages and home page follow, and a re-import keeps the mark', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const agent = new Agent(w.app);
    await agent.login(staff.email, staff.password);
    const [a, b] = auchFestivals().filter((f) => !shippedDuplicates().some((d) => d.record === f.identifiant));
    const before = await w.ctx.db.selectFrom('commune').select('festival_count').where('insee', '=', '32013').executeTakeFirstOrThrow();
    const res = await agent.post('/admin/territoire/doublons', { kind: 'festival', recordKey: b.identifiant, duplicateOf: a.identifiant, note: 'Même festival, deux fiches' });
    assert.equal(res.statusCode, 303);
    const count = async () => (await w.ctx.db.selectFrom('commune').select('festival_count').where('insee', '=', '32013').executeTakeFirstOrThrow()).festival_count;
    assert.equal(await count(), before.festival_count - 1);
    const page = await new Agent(w.app).get('/villages/32013');
    assert.ok(!page.body.includes(b.nom.replace(/'/g, '&#39;')) || a.nom.includes(b.nom), 'the marked record leaves the page');
    const list = await agent.get('/admin/territoire/doublons');
    assert.match(list.body, /Même festival, deux fiches/);

    await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now() });
    assert.equal(await count(), before.festival_count - 1, 'the mark survives a re-import');

    const mark = await w.ctx.db.selectFrom('record_duplicate').select('id').where('record_key', '=', b.identifiant).executeTakeFirstOrThrow();
    await removeDuplicate(w.ctx, actorFor(w.ctx, staff, ['staff']), mark.id);
    assert.equal(await count(), before.festival_count);
  });

  test('a mark names two existing records of the same list, not itself, not a chain; only the team may mark', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const member = await createUser(w.ctx, { roles: ['member'] });
    const [dup] = shippedDuplicates();
    const [a, b] = auchFestivals().filter((f) => f.identifiant !== dup.record);
    const team = actorFor(w.ctx, staff, ['staff']);
    const note = 'Une note';
    assert.equal(await codeOf(markDuplicate(w.ctx, team, { kind: 'festival', recordKey: 'FEST_00000_000', duplicateOf: a.identifiant, note })), 'invalid');
    assert.equal(await codeOf(markDuplicate(w.ctx, team, { kind: 'cinema', recordKey: b.identifiant, duplicateOf: a.identifiant, note })), 'invalid', 'another list');
    assert.equal(await codeOf(markDuplicate(w.ctx, team, { kind: 'festival', recordKey: b.identifiant, duplicateOf: dup.record, note })), 'invalid', 'the kept one is itself a duplicate');
    assert.equal(await codeOf(markDuplicate(w.ctx, team, { kind: 'festival', recordKey: dup.record, duplicateOf: a.identifiant, note })), 'conflict', 'already marked');
    assert.equal(await codeOf(markDuplicate(w.ctx, actorFor(w.ctx, member, ['member']), { kind: 'festival', recordKey: b.identifiant, duplicateOf: a.identifiant, note })), 'forbidden');
    assert.equal(await codeOf(markDuplicate(w.ctx, actorFor(w.ctx, null), { kind: 'festival', recordKey: b.identifiant, duplicateOf: a.identifiant, note })), 'unauthenticated');
    const agent = new Agent(w.app);
    await agent.login(staff.email, staff.password);
    const bad = await agent.post('/admin/territoire/doublons', { kind: 'festival', recordKey: a.identifiant, duplicateOf: a.identifiant, note: '' });
    assert.equal(bad.statusCode, 422, 'the form comes back with its errors');
    assert.match(bad.body, /ne peut pas être le doublon de lui-même/);
  });
});

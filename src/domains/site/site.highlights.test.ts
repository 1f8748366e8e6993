/**
 * The home page's key figures are data: computed by the domains that own the data (through the site's extension
 * point), or written by staff with their source and date. No figure without a source, in French or English; the
 * comparison with Paris only once staff entered the Paris price with its source.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { actorFor, codeOf, createUser } from '../../../tests/support/factories.js';
import { estimatedMinutes, shippedCommune, shippedCommunes, shippedPriceReference, shippedReferencePoint, straightKm } from '../../../tests/support/gers-data.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';
import { Extensions, contribute } from '../../shared/extensions.js';
import { setParisReference } from '../territory/territory.service.js';
import { homeHighlightsPoint, sourcedOnly, type HomeHighlight } from './site.highlights.js';
import { addHighlight, getHomeHighlights, removeHighlight } from './site.service.js';

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
const fr = (n: number) => new Intl.NumberFormat('fr-FR').format(n).replace(/[\u202f\u00a0]/g, ' ');
const input = {
  figure: '1er',
  textFr: 'département pour la surface agricole en bio',
  textEn: 'département for organic farmland',
  sourceNote: 'Agence Bio, chiffres de test',
  sourceDate: '2025-06-30',
  position: 0,
};

describe('the home page’s computed figures', () => {
  test('communes within an hour of Toulouse and a house in Auch against Toulouse, each with its numbered source', async () => {
    const html = plain((await new Agent(w.app).get('/', { 'accept-language': 'fr' })).body);
    const within = [...shippedCommunes().values()].filter((c) => estimatedMinutes(straightKm(c, shippedReferencePoint('toulouse'))) <= 60).length;
    assert.match(html, new RegExp(`Communes à moins d’une heure de Toulouse</dt><dd><span class="stat-value">${fr(within)}<span class="src-ref">`));
    const auch = shippedCommune('32013');
    const toulouse = shippedPriceReference('31555').houseMedian!;
    assert.ok(html.includes(`${fr(auch.houseMedian!)} €/m²`));
    assert.ok(html.includes(`${Math.round((100 * auch.houseMedian!) / toulouse)} % du prix médian à Toulouse (${fr(toulouse)} €/m²)`), 'Auch against Toulouse');
    assert.doesNotMatch(html, /prix médian à Paris/, 'no Paris without its price and source');
    assert.doesNotMatch(html, /trois fois moins chères|premier département bio|400 solos|458 communes/, 'the unsourced promises are gone');
    // The source list gives each dataset with its edition and licence.
    assert.match(html, /<li id="source-1">[^<]*Édition : [^<]*Licence : Licence Ouverte 2\.0/);
    assert.match(html, /Licence : ODbL/);
  });

  test('the Paris comparison appears once staff entered the Paris price, citing both sources', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    await setParisReference(w.ctx, actorFor(w.ctx, staff, ['staff']), { houseMedian: 10000, sourceNote: 'Notaires du Grand Paris, base BIEN', sourceDate: '2026-01-15' });
    const html = plain((await new Agent(w.app).get('/')).body);
    const auch = shippedCommune('32013');
    assert.ok(html.includes(`${Math.round((100 * auch.houseMedian!) / 10000)} % du prix médian à Paris (10 000 €/m², chiffre saisi par l’équipe)`));
    const stat = /<div class="stat"><dt>Maison à Auch[\s\S]*?<\/div>/.exec(html)![0];
    assert.equal([...stat.matchAll(/href="#source-(\d+)"/g)].length, 2, 'the DVF and the Paris source');
    assert.match(html, /Notaires du Grand Paris, base BIEN \(source indiquée par l’équipe, 15 janvier 2026\)/);
  });

  test('another domain contributes a computed figure through the extension point; one without a source is not shown', async () => {
    const members: HomeHighlight = {
      key: 'members.active',
      order: 60,
      label: { key: 'home.figures.communes' },
      value: { kind: 'count', amount: 123 },
      sources: [{ title: 'Fichier des adhésions', publisher: 'Soho Solo Gers', edition: 'au jour le jour', licence: '—' }],
    };
    const unsourced: HomeHighlight = { ...members, key: 'members.unsourced', value: { kind: 'count', amount: 400 }, sources: [] };
    const extensions = new Extensions([contribute(homeHighlightsPoint, async () => [members, unsourced])]);
    const list = await getHomeHighlights({ ...w.ctx, extensions });
    assert.deepEqual(
      list.map((h) => h.key),
      ['members.active'],
      'only the contributed figure with a source',
    );
    assert.deepEqual(sourcedOnly([{ ...members, sources: [{ title: '  ' }] }]), [], 'a blank source title is no source');
  });
});

describe('figures written by staff', () => {
  test('staff add a figure with its source and date: it shows in French and English with its source, then goes', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const agent = new Agent(w.app);
    await agent.login(staff.email, staff.password);
    const res = await agent.post('/admin/page-accueil', { ...input, position: '0', sourceUrl: 'https://www.agencebio.org/' });
    assert.equal(res.statusCode, 303);
    const frHtml = plain((await new Agent(w.app).get('/')).body);
    assert.match(frHtml, /<dt>département pour la surface agricole en bio<\/dt><dd><span class="stat-value">1er<span class="src-ref">/);
    assert.match(frHtml, /Agence Bio, chiffres de test \(source indiquée par l’équipe, 30 juin 2025\)/);
    const enHtml = plain((await new Agent(w.app).get('/', { cookie: 'lang=en' })).body);
    assert.match(enHtml, /<dt>département for organic farmland<\/dt>/);
    assert.match(enHtml, /Agence Bio, chiffres de test \(source given by the team, 30 June 2025\)/);
    const row = await w.ctx.db.selectFrom('home_highlight').select('id').executeTakeFirstOrThrow();
    await agent.post(`/admin/page-accueil/${row.id}/retirer`, {});
    assert.doesNotMatch((await new Agent(w.app).get('/')).body, /surface agricole en bio/);
  });

  test('a figure without its source or date is refused with a message per field, and kept off the page', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const agent = new Agent(w.app);
    await agent.login(staff.email, staff.password);
    const res = await agent.post('/admin/page-accueil', { ...input, position: '0', sourceNote: '', sourceDate: '2025-02-30' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /aria-invalid="true"/);
    assert.ok(res.body.includes('département pour la surface agricole en bio'), 'the values typed come back');
    assert.equal((await w.ctx.db.selectFrom('home_highlight').select('id').execute()).length, 0);
    // The database says no too.
    await assert.rejects(
      w.ctx.db
        .insertInto('home_highlight')
        .values({ territory_id: w.ctx.territory.id, figure: '400', text_fr: 'solos', source_note: null as never, source_date: '2025-01-01', created_at: w.clock.now(), updated_at: w.clock.now() })
        .execute(),
    );
  });

  test('only the team edits the home page', async () => {
    const member = await createUser(w.ctx, { roles: ['member'] });
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    assert.equal(await codeOf(addHighlight(w.ctx, actorFor(w.ctx, member, ['member']), input)), 'forbidden');
    assert.equal(await codeOf(addHighlight(w.ctx, actorFor(w.ctx, null), input)), 'unauthenticated');
    const id = await addHighlight(w.ctx, actorFor(w.ctx, staff, ['staff']), input);
    assert.equal(await codeOf(removeHighlight(w.ctx, actorFor(w.ctx, member, ['member']), id)), 'forbidden');
    const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', '=', 'home_highlight.added').execute();
    assert.equal(audit.length, 1);
  });
});

/**
 * The agenda's sections on other domains' pages, as a visitor sees them (cached pages): the next public events on
 * the home page, the events of a commune on its village page (placed there or at one of its third places), those
 * of a third place on its page; a change to an event shows at once on those pages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { createUser } from '../../../../tests/support/factories.js';
import { publishedEvent, staffActor } from '../events.testing.js';
import { cancelEvent } from '../staff/index.js';
import { seedThirdPlaces } from '../../places/index.js';
import { territoryDataDir } from '../../../bootstrap.js';

const w = useTestWorld();

const dynamoId = async () => {
  await seedThirdPlaces(w.ctx.db, w.ctx.territory.id, territoryDataDir(w.ctx.territory.slug), w.clock.now());
  return (await w.ctx.db.selectFrom('third_place').select('id').where('slug', '=', 'la-dynamo').executeTakeFirstOrThrow()).id;
};
const visitor = () => new Agent(w.app);

describe('events on other pages', () => {
  test('the home page shows the next public events, and an event published or cancelled shows at once', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const before = await visitor().get('/');
    assert.equal(before.statusCode, 200);
    assert.ok(!before.body.includes('Prochains événements'), 'no section without events');
    const ev = await publishedEvent(w.ctx, staff.id, { titre: 'Apéro des nouveaux' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Club réservé', public: 'members' });
    const home = await visitor().get('/');
    assert.ok(home.body.includes('Prochains événements'));
    assert.ok(home.body.includes(`href="/agenda/${ev.slug}"`), 'the cached home page was cleared when the event was published');
    assert.ok(!home.body.includes('Club réservé'), 'the home page shows public events only');
    await cancelEvent(w.ctx, staffActor(w.ctx, staff.id), ev.id);
    assert.ok(!(await visitor().get('/')).body.includes('Apéro des nouveaux'), 'a cancelled event leaves the home page at once');
    const en = await visitor().get('/', { 'accept-language': 'en' });
    assert.ok(!en.body.includes('Apéro des nouveaux'));
  });

  test('a village page shows the events held in the commune, at an address or at one of its third places', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const dynamo = await dynamoId();
    await visitor().get('/villages/32013');
    await publishedEvent(w.ctx, staff.id, { titre: 'Atelier à La Dynamo', lieu: 'third_place', tiersLieu: String(dynamo) });
    await publishedEvent(w.ctx, staff.id, { titre: 'Balade à Auch', lieu: 'address', commune: '32013', adresse: 'Place de la Libération' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Atelier à Lectoure', commune: '32208' });
    const auch = await visitor().get('/villages/32013');
    assert.equal(auch.statusCode, 200);
    assert.ok(auch.body.includes('Événements dans la commune'));
    assert.ok(auch.body.includes('Atelier à La Dynamo') && auch.body.includes('Balade à Auch'));
    assert.ok(!auch.body.includes('Atelier à Lectoure'));
    assert.ok(auch.body.includes('href="/agenda?commune=32013"'));
    const lectoure = await visitor().get('/villages/32208');
    assert.ok(lectoure.body.includes('Atelier à Lectoure') && !lectoure.body.includes('Balade à Auch'));
    const empty = await visitor().get('/villages/32433');
    assert.ok(!empty.body.includes('Événements dans la commune'), 'nothing on a village without events');
  });

  test('a third place’s page shows the events held there', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const dynamo = await dynamoId();
    await visitor().get('/tiers-lieux/la-dynamo');
    const ev = await publishedEvent(w.ctx, staff.id, { titre: 'Petit-déjeuner à La Dynamo', lieu: 'third_place', tiersLieu: String(dynamo) });
    await publishedEvent(w.ctx, staff.id, { titre: 'Ailleurs', commune: '32208' });
    const page = await visitor().get('/tiers-lieux/la-dynamo');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Prochains événements à La Dynamo'));
    assert.ok(page.body.includes(`href="/agenda/${ev.slug}"`));
    assert.ok(!page.body.includes('Ailleurs'));
    assert.ok(page.body.includes('href="/agenda?lieu=la-dynamo"'));
    w.clock.advance(10 * 24 * 3600 * 1000);
    w.ctx.pageCache.clear();
    assert.ok(!(await visitor().get('/tiers-lieux/la-dynamo')).body.includes('Petit-déjeuner à La Dynamo'), 'past events leave the page');
  });
});

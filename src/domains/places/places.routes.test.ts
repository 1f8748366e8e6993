import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { createUser, PASSWORD } from '../../../tests/support/factories.js';
import { shippedReferencePoint, shippedThirdPlaces, straightKm } from '../../../tests/support/gers-data.js';
import { territoryDataDir } from '../../bootstrap.js';
import type { Role } from '../../db/schema.js';
import { listThirdPlacesNear, loadDemoPrices, seedThirdPlaces } from './index.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  await seedThirdPlaces(w.ctx.db, w.ctx.territory.id, territoryDataDir('gers'), w.clock.now());
});

async function agentWith(roles: Role[]) {
  const u = await createUser(w.ctx, { roles });
  const a = new Agent(w.app);
  await a.login(u.email, PASSWORD);
  return a;
}

const place = (slug: string) => w.ctx.db.selectFrom('third_place').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();

/** The edit form of a place as the browser would send it back. */
async function formOf(a: Agent, id: number) {
  const res = await a.get(`/admin/tiers-lieux/${id}`);
  assert.equal(res.statusCode, 200);
  const fields: Record<string, string | string[]> = {};
  for (const m of res.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
    const tag = m[0];
    const name = m[1];
    if (name === '_csrf') continue;
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (/type="checkbox"/.test(tag)) {
      if (!/checked/.test(tag)) continue;
      fields[name] = name === 'services' ? [...((fields[name] as string[]) ?? []), value] : value;
    } else fields[name] = value.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  for (const m of res.body.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[m[1]] = m[2].replace(/&lt;/g, '<').replace(/&amp;/g, '&');
  for (const m of res.body.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<\/select>/g)) fields[m[1]] = /<option[^>]*value="([^"]*)"[^>]*selected/.exec(m[0])?.[1] ?? '';
  return fields;
}

describe('public pages', () => {
  test('the list shows the curated places, La Dynamo first, with their services', async () => {
    const res = await new Agent(w.app).get('/tiers-lieux');
    assert.equal(res.statusCode, 200);
    const names = [...res.body.matchAll(/<h2 class="card-heading"><a href="\/tiers-lieux\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    assert.equal(names.length, 7);
    assert.equal(names[0], 'la-dynamo');
    assert.match(res.body, /Fablab/);
    const map = /<figure class="places-map">[\s\S]*?<\/figure>/.exec(res.body)?.[0] ?? '';
    assert.equal((map.match(/<a href="\/tiers-lieux\/[a-z0-9-]+" aria-label="[^"]+"><circle/g) ?? []).length, 7, 'each place is a named link on the map');
    assert.match(map, /centre de leur commune/, 'approximate positions are explained');
  });

  test('a place says "à confirmer" for what is not known, links its commune and admits an approximate position', async () => {
    const res = await new Agent(w.app).get('/tiers-lieux/la-dynamo');
    assert.equal(res.statusCode, 200);
    assert.equal((res.body.match(/class="to-confirm">à confirmer</g) ?? []).length, 4, 'address, hours, prices, contact');
    assert.match(res.body, /href="\/villages\/32013"/);
    assert.match(res.body, /Position approximative/);
    assert.match(res.body, /Fabrique de Territoire/);
    assert.match(res.body, /villagemagazine\.fr/);
    assert.doesNotMatch(res.body, /15 €/, 'no invented price outside demo content');
  });

  test('demo prices are shown as an example, never as the place’s prices', async () => {
    await loadDemoPrices(w.ctx.db, w.ctx.territory.id);
    const res = await new Agent(w.app).get('/tiers-lieux/la-dynamo');
    assert.match(res.body, /Exemple pour la démonstration, pas les tarifs de ce lieu : 8 € la demi-journée/);
    const row = await place('la-dynamo');
    assert.equal(row.prices_are_example, true);
  });

  test('an unknown or malformed place is a 404', async () => {
    for (const url of ['/tiers-lieux/inconnu', '/tiers-lieux/Pas%20valide', '/admin/tiers-lieux/abc']) {
      const res = await new Agent(w.app).get(url);
      assert.ok([404, 303].includes(res.statusCode), url);
    }
    assert.equal((await new Agent(w.app).get('/tiers-lieux/inconnu')).statusCode, 404);
  });
});

describe('nearby third places (for the commune profile)', () => {
  test('are listed closest first with their straight-line distance, within the radius asked', async () => {
    const fromAuch = await listThirdPlacesNear(w.ctx, { lat: 43.6602, lon: 0.5673 }, { limit: 10, maxKm: 40 });
    assert.equal(fromAuch[0].slug, 'la-dynamo');
    assert.equal(fromAuch[0].distanceKm, 0);
    assert.equal(fromAuch[0].locationApproximate, true);
    for (let i = 1; i < fromAuch.length; i++) assert.ok(fromAuch[i].distanceKm >= fromAuch[i - 1].distanceKm);
    assert.ok(fromAuch.every((p) => p.distanceKm <= 40));
    // Exactly the shipped places within 40 km of Auch's centre (L’Isle-Jourdain's, about 42 km away, is not).
    const within = shippedThirdPlaces().filter((p) => straightKm(shippedReferencePoint('auch'), p) <= 40).map((p) => p.slug);
    assert.deepEqual(fromAuch.map((p) => p.slug).sort(), within.sort());
    assert.equal((await listThirdPlacesNear(w.ctx, { lat: 43.6602, lon: 0.5673 }, { limit: 2 })).length, 2);
  });
});

describe('staff editor', () => {
  test('staff enter structured opening hours and an exact position; the page shows them in French', async () => {
    const staff = await agentWith(['staff']);
    const { id } = await place('la-dynamo');
    const form = await formOf(staff, id);
    const res = await staff.post(`/admin/tiers-lieux/${id}`, {
      ...form,
      address: '2 rue de l’Exemple',
      postcode: '32000',
      lat: '43,6470',
      lon: '0.5890',
      locationApproximate: '',
      hours_1: '9h-12h30, 14h-18h',
      hours_2: '09:00-18:00',
      hoursNote: 'fermé en août',
      website: 'https://example.org',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const row = await place('la-dynamo');
    assert.deepEqual(row.opening_hours, { 1: [{ from: '09:00', to: '12:30' }, { from: '14:00', to: '18:00' }], 2: [{ from: '09:00', to: '18:00' }], 3: [], 4: [], 5: [], 6: [], 7: [] });
    assert.equal(row.lat, 43.647);
    assert.equal(row.location_approximate, false);
    const page = await new Agent(w.app).get('/tiers-lieux/la-dynamo');
    assert.match(page.body, /<th scope="row">lundi<\/th><td>9 h – 12 h 30, 14 h – 18 h<\/td>/);
    assert.match(page.body, /<th scope="row">samedi<\/th><td>fermé<\/td>/);
    assert.match(page.body, /2 rue de l’Exemple, 32000 Auch/);
    assert.match(page.body, /Position saisie par l’équipe/);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'subject_id']).where('action', 'like', 'third_place.%').execute();
    assert.deepEqual(audit, [{ action: 'third_place.updated', subject_id: String(id) }]);
  });

  test('bad hours, an unknown commune and half a position come back with 422 and one message per field', async () => {
    const staff = await agentWith(['staff']);
    const res = await staff.post('/admin/tiers-lieux/nouveau', {
      name: 'Coworking de Test',
      commune: '32999',
      lat: '43.6',
      hours_1: 'le matin',
      hours_3: '18h-9h',
      status: 'published',
    });
    assert.equal(res.statusCode, 422);
    for (const field of ['lat']) assert.match(res.body, new RegExp(`id="e-${field}"`), field);
    const second = await staff.post('/admin/tiers-lieux/nouveau', { name: 'Coworking de Test', commune: '32999', hours_1: 'le matin', hours_3: '18h-9h' });
    assert.equal(second.statusCode, 422);
    for (const field of ['commune', 'hours_1', 'hours_3']) assert.match(second.body, new RegExp(`id="e-${field}"`), field);
    assert.match(second.body, /value="le matin"/);
    const far = await staff.post('/admin/tiers-lieux/nouveau', { name: 'Coworking de Test', commune: '32013', lat: '0.5673', lon: '43.6602' });
    assert.equal(far.statusCode, 422);
    assert.match(far.body, /plus de 30 km/);
    assert.equal((await w.ctx.db.selectFrom('third_place').select('id').execute()).length, shippedThirdPlaces().length, 'nothing was added');
  });

  test('a new place without coordinates sits at its commune’s centre, flagged approximate, and drafts stay private', async () => {
    const staff = await agentWith(['space_manager']);
    const res = await staff.post('/admin/tiers-lieux/nouveau', { name: 'Atelier partagé de Lectoure', commune: '32208', services: ['coworking', 'fablab'], status: 'draft' });
    assert.equal(res.statusCode, 303);
    const row = await place('atelier-partage-de-lectoure');
    assert.equal(row.commune_name, 'Lectoure');
    assert.equal(row.location_approximate, true);
    assert.deepEqual(row.services, ['coworking', 'fablab']);
    assert.equal(row.opening_hours, null);
    assert.equal((await new Agent(w.app).get('/tiers-lieux/atelier-partage-de-lectoure')).statusCode, 404);
    assert.equal((await staff.get('/tiers-lieux/atelier-partage-de-lectoure')).statusCode, 200);
    const again = await staff.post('/admin/tiers-lieux/nouveau', { name: 'Atelier partagé de Lectoure', commune: '32208' });
    assert.equal(again.statusCode, 409);
  });

  test('only staff, admins and the third-place manager reach the editor', async () => {
    const { id } = await place('la-dynamo');
    const urls = ['/admin/tiers-lieux', '/admin/tiers-lieux/nouveau', `/admin/tiers-lieux/${id}`];
    const anonymous = new Agent(w.app);
    for (const url of urls) assert.equal((await anonymous.get(url)).statusCode, 303, url);
    for (const roles of [[], ['member'], ['candidate'], ['partner']] as Role[][]) {
      const a = await agentWith(roles);
      for (const url of urls) assert.equal((await a.get(url)).statusCode, 403, `${roles} ${url}`);
      assert.equal((await a.post(`/admin/tiers-lieux/${id}`, { name: 'Piraté', commune: '32013' })).statusCode, 403, `${roles} update`);
      assert.equal((await a.post('/admin/tiers-lieux/nouveau', { name: 'Piraté', commune: '32013' })).statusCode, 403, `${roles} create`);
    }
    for (const roles of [['staff'], ['admin'], ['space_manager']] as Role[][]) {
      const a = await agentWith(roles);
      for (const url of urls) assert.equal((await a.get(url)).statusCode, 200, `${roles} ${url}`);
    }
    assert.equal((await place('la-dynamo')).name, 'La Dynamo');
  });
});

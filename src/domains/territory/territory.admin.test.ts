import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { createUser } from '../../../tests/support/factories.js';
import type { Role } from '../../db/schema.js';
import { importTerritory } from './territory.import.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';
import { frNumber, minutesToToulouse, shippedCommune } from '../../../tests/support/gers-data.js';

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

async function signedIn(roles: Role[]) {
  const user = await createUser(w.ctx, { roles, name: `Équipe ${roles.join('+') || 'sans rôle'}` });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return agent;
}

const auch = shippedCommune('32013');
const commune = (insee: string) => w.ctx.db.selectFrom('commune').selectAll().where('insee', '=', insee).executeTakeFirstOrThrow();

describe('who may correct a figure', () => {
  test('an anonymous visitor is sent to the login page', async () => {
    const res = await new Agent(w.app).get('/admin/territoire/communes/32013');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/connexion\?retour=/);
  });

  for (const roles of [[], ['member'], ['candidate'], ['partner'], ['space_manager']] as Role[][]) {
    test(`${roles.join('+') || 'a person without role'} is refused the page and the form`, async () => {
      const a = await signedIn(roles);
      assert.equal((await a.get('/admin/territoire')).statusCode, 403);
      assert.equal((await a.get('/admin/territoire/communes/32013')).statusCode, 403);
      const post = await a.post('/admin/territoire/communes/32013/corrections', { figure: 'population', value: '1', note: 'essai' });
      assert.equal(post.statusCode, 403);
      assert.equal((await commune('32013')).population, auch.population);
      assert.equal((await w.ctx.db.selectFrom('figure_override').selectAll().execute()).length, 0);
    });
  }

  for (const roles of [['staff'], ['admin']] as Role[][]) {
    test(`${roles[0]} may open the page and correct a figure`, async () => {
      const a = await signedIn(roles);
      assert.equal((await a.get('/admin/territoire/communes/32013')).statusCode, 200);
      const res = await a.post('/admin/territoire/communes/32013/corrections', { figure: 'gp_count', value: '25', note: 'Un médecin installé en octobre 2026' });
      assert.equal(res.statusCode, 303);
      assert.equal((await commune('32013')).gp_count, 25);
    });
  }
});

describe('correcting a figure', () => {
  test('the public page shows the corrected value, the imported one and the reason; the cache is dropped and the change audited', async () => {
    const visitor = new Agent(w.app);
    const before = plain((await visitor.get('/villages/32013')).body);
    assert.ok(before.includes(`${frNumber(auch.population)} habitants`));
    const staff = await signedIn(['staff']);
    const res = await staff.post('/admin/territoire/communes/32013/corrections', { figure: 'population', value: '23 150', note: 'Recensement 2026 publié par la mairie' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin/territoire/communes/32013');

    const after = plain((await visitor.get('/villages/32013')).body);
    assert.ok(after.includes('23 150 habitants'), 'the corrected value is shown');
    assert.match(after, /corrigé/);
    assert.ok(after.includes(`valeur importée : ${frNumber(auch.population)} habitants`), 'the imported value is shown beside it');
    assert.match(after, /Recensement 2026 publié par la mairie/);

    const audit = await w.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'figure.overridden').executeTakeFirstOrThrow();
    assert.equal(audit.subject_id, '32013');
    assert.equal((audit.data as { figure: string }).figure, 'population');
    assert.equal((audit.data as { importedValue: number }).importedValue, auch.population);

    const api = await new Agent(w.app).get('/api/v1/communes/32013');
    const population = (api.json() as { figures: { key: string; value: number; correction: { importedValue: number } | null }[] }).figures.find((f) => f.key === 'population')!;
    assert.equal(population.value, 23150);
    assert.equal(population.correction?.importedValue, auch.population);
  });

  test('a re-import keeps the correction and the page still shows both values', async () => {
    const staff = await signedIn(['staff']);
    await staff.post('/admin/territoire/communes/32013/corrections', { figure: 'min_toulouse', value: '65', note: 'Par la N124 à 2 × 2 voies' });
    const report = await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now() });
    assert.equal(report.changes, 0);
    w.ctx.pageCache.clear();
    const html = plain((await new Agent(w.app).get('/villages/32013')).body);
    assert.match(html, /env\. 65 min/);
    assert.ok(html.includes(`valeur importée : env. ${minutesToToulouse(auch)} min`), 'the imported estimate is shown beside it');
    assert.match(html, /Par la N124/);
  });

  test('a form without a reason or with a negative value is shown again with a message per field, and nothing changes', async () => {
    const staff = await signedIn(['staff']);
    const res = await staff.post('/admin/territoire/communes/32013/corrections', { figure: 'population', value: '-3', note: '' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Saisissez un nombre entier positif/);
    assert.match(res.body, /Ce champ est obligatoire/);
    assert.match(res.body, /value="-3"/);
    const unknown = await staff.post('/admin/territoire/communes/32013/corrections', { figure: 'km_toulouse', value: '3', note: 'les distances se calculent' });
    assert.equal(unknown.statusCode, 422, 'straight-line distances are computed, not corrected');
    assert.equal((await w.ctx.db.selectFrom('figure_override').selectAll().execute()).length, 0);
    assert.equal((await staff.get('/admin/territoire/communes/99999')).statusCode, 404);
  });

  test('removing a correction shows the imported value again', async () => {
    const staff = await signedIn(['admin']);
    await staff.post('/admin/territoire/communes/32013/corrections', { figure: 'dvf_house_median', value: '1950', note: 'Chiffre des notaires' });
    assert.equal((await commune('32013')).dvf_house_median, 1950);
    const res = await staff.post('/admin/territoire/communes/32013/corrections/dvf_house_median/retirer', {});
    assert.equal(res.statusCode, 303);
    assert.equal((await commune('32013')).dvf_house_median, auch.houseMedian);
    assert.equal((await w.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'figure.override_removed').execute()).length, 1);
  });

  test('giving a GP to a commune without one clears its "nearest GP"', async () => {
    const noGp = await w.ctx.db.selectFrom('commune').select('insee').where('gp_count', '=', 0).orderBy('insee').executeTakeFirstOrThrow();
    assert.ok((await commune(noGp.insee)).nearest_gp_insee);
    const staff = await signedIn(['staff']);
    await staff.post(`/admin/territoire/communes/${noGp.insee}/corrections`, { figure: 'gp_count', value: '1', note: 'Maison médicale ouverte en 2026' });
    assert.equal((await commune(noGp.insee)).nearest_gp_insee, null);
  });
});

describe('the Paris reference price', () => {
  test('staff enter it with its source and the profile compares with Paris; without a source it is refused', async () => {
    const staff = await signedIn(['staff']);
    const bad = await staff.post('/admin/territoire/prix-paris', { houseMedian: '10200', sourceNote: '', sourceDate: '2026-07-01' });
    assert.equal(bad.statusCode, 422);
    const ok = await staff.post('/admin/territoire/prix-paris', { houseMedian: '10200', flatMedian: '', sourceNote: 'Notaires du Grand Paris', sourceUrl: 'https://www.paris.notaires.fr/', sourceDate: '2026-07-01' });
    assert.equal(ok.statusCode, 303);
    const html = plain((await new Agent(w.app).get('/villages/32013')).body);
    assert.match(html, /du prix médian à Paris/);
    assert.match(html, /Notaires du Grand Paris/);
    const sources = plain((await new Agent(w.app).get('/sources')).body);
    assert.match(sources, /Notaires du Grand Paris/);
    await staff.post('/admin/territoire/prix-paris/retirer', {});
    assert.doesNotMatch(plain((await new Agent(w.app).get('/villages/32013')).body), /du prix médian à Paris/);
  });
});

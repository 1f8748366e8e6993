import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { frNumber, shippedCommune, shippedCommunes } from '../../../tests/support/gers-data.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());

test('the home page shows the territory in figures from the imported data, citing its sources', async () => {
  const res = await w.app.inject({ url: '/', headers: { 'accept-language': 'fr' } });
  assert.equal(res.statusCode, 200);
  const text = res.body.replace(/\u202f|\u00a0/g, ' ');
  assert.match(text, /Le Gers en chiffres/);
  // Expected figures summed from the shipped files (458 communes, 192,645 inhabitants, 175 GPs in the 2025 edition).
  const communes = [...shippedCommunes().values()];
  const sum = (f: (c: (typeof communes)[number]) => number) => communes.reduce((total, c) => total + f(c), 0);
  assert.ok(text.includes(`>${frNumber(communes.length)}<`), 'number of communes');
  assert.ok(text.includes(`${frNumber(sum((c) => c.population))} habitants`), 'population');
  assert.match(text, /Maison à Auch, prix médian/);
  assert.ok(text.includes(`${frNumber(shippedCommune('32013').houseMedian!)} €/m²`), 'Auch’s median house price');
  assert.ok(text.includes(`>${frNumber(sum((c) => c.gps))}<`), 'general practitioners');
  assert.match(text, /href="\/sources"/);
});

test('anonymous visitors get the home page from memory, compressed once, with an ETag', async () => {
  const first = await w.app.inject({ url: '/', headers: { 'accept-encoding': 'br' } });
  assert.equal(first.headers['content-encoding'], 'br');
  const again = await w.app.inject({ url: '/', headers: { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) } });
  assert.equal(again.statusCode, 304);
});

test('the language switch keeps the visitor on the same page and refuses to send them elsewhere', async () => {
  const res = await w.app.inject({ url: '/langue/en?retour=/villages/32013' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/villages/32013');
  assert.match(String(res.headers['set-cookie']), /lang=en/);
  const evil = await w.app.inject({ url: '/langue/en?retour=//evil.example/x' });
  assert.equal(evil.headers.location, '/');
});

test('a return address with characters a header cannot carry is encoded, never a 500', async () => {
  const res = await w.app.inject({ url: '/langue/en?retour=/%C4%80' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/%C4%80');
  const control = await w.app.inject({ url: '/langue/en?retour=/a%0Db' });
  assert.equal(control.statusCode, 303);
  assert.equal(control.headers.location, '/');
  const lone = await w.app.inject({ url: '/langue/en?retour=/%ED%A0%80' });
  assert.ok(lone.statusCode < 500, `status ${lone.statusCode}`);
});

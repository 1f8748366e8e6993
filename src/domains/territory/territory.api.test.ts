import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestWorld } from '../../../tests/support/context.js';
import { CommuneDetail } from './territory.api.js';
import { shippedCommune, shippedPriceReference } from '../../../tests/support/gers-data.js';

const w = useTestWorld();

test('GET /api/v1/communes/:insee gives every figure with the dataset it comes from, and the datasets with their licence', async () => {
  const res = await w.app.inject({ method: 'GET', url: '/api/v1/communes/32013' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const body = CommuneDetail.parse(res.json());
  assert.equal(body.name, 'Auch');
  const figure = (key: string) => body.figures.find((f) => f.key === key)!;
  assert.deepEqual(
    { value: figure('dvf_house_median').value, source: figure('dvf_house_median').source, unit: figure('dvf_house_median').unit },
    { value: shippedCommune('32013').houseMedian, source: 'dvf-agregat-2024', unit: 'eur_m2' },
  );
  assert.equal(figure('dvf_house_sales').value, shippedCommune('32013').houseSales);
  assert.equal(figure('population').source, 'cog-communes');
  assert.equal(figure('min_toulouse').source, 'calcul-acces');
  assert.equal(figure('cinema_count').source, 'cnc-cinemas-2022');
  for (const f of body.figures) if (f.source) assert.ok(body.sources.some((s) => s.key === f.source), `${f.key} points to a listed dataset`);
  const sncf = body.sources.find((s) => s.key === 'sncf-gares-voyageurs')!;
  assert.equal(sncf.shareAlike, true);
  assert.match(sncf.licence, /ODbL/);
  assert.equal(body.nearest.station?.source, 'sncf-gares-voyageurs');
  assert.equal(body.equipment.counts.D265, shippedCommune('32013').gps);
  assert.equal(body.method.timeSource, 'calcul-acces', 'without a routing engine the times are the estimate');
  assert.ok(body.method.bands.length > 1 && body.method.bands.every((b, i) => i === 0 || b.fromKm > body.method.bands[i - 1].fromKm), 'distance bands in order');
  assert.ok(body.method.minimumMinutes > 0 && body.method.error > 0);
  assert.ok(body.priceReferences.some((r) => r.name === 'Toulouse' && r.houseMedian === shippedPriceReference('31555').houseMedian));
});

test('an unknown or malformed code answers 404 as problem+json', async () => {
  for (const code of ['99999', 'abc']) {
    const res = await w.app.inject({ method: 'GET', url: `/api/v1/communes/${code}` });
    assert.equal(res.statusCode, 404, code);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.json().code, 'not_found');
  }
});

test('the OpenAPI document describes the commune endpoint', async () => {
  const doc = (await w.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters: { name: string }[] }>> };
  const op = doc.paths['/api/v1/communes/{insee}']?.get;
  assert.ok(op, 'documented');
  assert.ok(op.parameters.some((p) => p.name === 'insee'));
});

/**
 * Road times from a routing engine at import. The engine is the outside world: a stub OSRM server on the loopback
 * interface answers the "table" requests, one minute per straight-line kilometre (so each expected value can be
 * computed here from the shipped coordinates), and can refuse one trip or fail outright.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { estimatedMinutes, shippedCommune, shippedReferencePoint, straightKm } from '../../../tests/support/gers-data.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';
import { importTerritory, TerritoryDataError } from './territory.import.js';
import { territoryRowCounts } from './territory.testing.js';

let w: TestWorld;
let server: Server;
let url: string;
let requests: URL[] = [];
/** What the stub does: answer, answer without a route from one point, or fail. */
let mode: { kind: 'ok' } | { kind: 'no-route-from'; lat: number; lon: number } | { kind: 'error' } = { kind: 'ok' };

before(async () => {
  w = await createTestWorld();
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://stub');
    requests.push(u);
    const match = /^\/table\/v1\/driving\/(.+)$/.exec(u.pathname);
    if (mode.kind === 'error' || !match) {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":"Error"}');
      return;
    }
    const points = match[1].split(';').map((p) => p.split(',').map(Number)).map(([lon, lat]) => ({ lat, lon }));
    const sources = (u.searchParams.get('sources') ?? '').split(';').map(Number);
    const destinations = (u.searchParams.get('destinations') ?? '').split(';').map(Number);
    const noRoute = mode.kind === 'no-route-from' ? mode : null;
    const durations = sources.map((s) =>
      destinations.map((d, j) => {
        const from = points[s];
        // No route from that point to the first destination (Auch): the engine answers null for that trip.
        if (noRoute && Math.abs(from.lat - noRoute.lat) < 1e-6 && Math.abs(from.lon - noRoute.lon) < 1e-6 && j === 0) return null;
        return Math.round(straightKm(from, points[d]) * 60);
      }),
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'Ok', durations }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await w.close();
});
beforeEach(async () => {
  await w.reset();
  await restoreShippedTerritory(w.ctx);
  requests = [];
  mode = { kind: 'ok' };
});

const commune = (insee: string) => w.ctx.db.selectFrom('commune').selectAll().where('territory_id', '=', w.ctx.territory.id).where('insee', '=', insee).executeTakeFirstOrThrow();
const datasetKey = async (id: number | null) =>
  id === null ? null : (await w.ctx.db.selectFrom('dataset').select('key').where('id', '=', id).executeTakeFirstOrThrow()).key;
/** The stub's answer for a trip: one minute per straight-line kilometre. */
const stubMinutes = (from: { lat: number; lon: number }, to: { lat: number; lon: number }) => Math.round(Math.round(straightKm(from, to) * 60) / 60);

describe('drive times from a routing engine', () => {
  test('with an OSRM server configured, the import stores its road times and the village page cites it', async () => {
    await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now(), routing: { url } });
    assert.ok(requests.length >= 2, 'the communes are asked in batches');
    assert.ok(requests.every((r) => r.searchParams.get('annotations') === 'duration'));
    const isle = await commune('32160');
    assert.equal(isle.min_toulouse, stubMinutes(shippedCommune('32160'), shippedReferencePoint('toulouse')));
    assert.equal(isle.km_toulouse !== null, true, 'distances stay straight lines');
    assert.equal(await datasetKey(isle.time_dataset_id), 'osrm-durees');
    assert.equal(await datasetKey(isle.access_dataset_id), 'calcul-acces');

    const page = await new Agent(w.app).get('/villages/32160');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /calculés lors de l’import par un moteur d’itinéraire \(OSRM/);
    assert.doesNotMatch(page.body, /± 20 % environ, pas un calcul d’itinéraire/, 'the estimate’s method is not claimed for routed times');
    assert.match(page.body, /OSRM \(Open Source Routing Machine\), serveur http:\/\/127\.0\.0\.1:\d+/, 'the engine is in the sources');
    assert.match(page.body, /les contributeurs d’OpenStreetMap/);
    const api = (await w.app.inject({ url: '/api/v1/communes/32160' })).json() as { method: { timeSource: string } };
    assert.equal(api.method.timeSource, 'osrm-durees');
  });

  test('a commune the engine cannot route keeps the estimate for all its times, and says so', async () => {
    const isle = shippedCommune('32160');
    mode = { kind: 'no-route-from', lat: isle.lat, lon: isle.lon };
    await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now(), routing: { url } });
    const row = await commune('32160');
    assert.equal(await datasetKey(row.time_dataset_id), 'calcul-acces');
    assert.equal(row.min_toulouse, estimatedMinutes(straightKm(isle, shippedReferencePoint('toulouse'))));
    assert.equal(await datasetKey((await commune('32013')).time_dataset_id), 'osrm-durees', 'the others are routed');
    const page = await new Agent(w.app).get('/villages/32160');
    assert.match(page.body, /± 20 % environ/);
  });

  test('an import without the engine goes back to the estimates and drops the engine from the sources', async () => {
    await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now(), routing: { url } });
    await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now() });
    const auch = await commune('32013');
    assert.equal(auch.min_toulouse, estimatedMinutes(straightKm(shippedCommune('32013'), shippedReferencePoint('toulouse'))));
    assert.equal(await datasetKey(auch.time_dataset_id), 'calcul-acces');
    const sources = await new Agent(w.app).get('/sources');
    assert.doesNotMatch(sources.body, /OSRM \(Open Source Routing Machine\)/);
  });

  test('an engine that fails stops the import whole: nothing changes', async () => {
    mode = { kind: 'error' };
    const before = await territoryRowCounts(w.ctx);
    const auch = await commune('32013');
    await assert.rejects(importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now(), routing: { url } }), (error: Error) => {
      assert.ok(error instanceof TerritoryDataError);
      assert.match(error.message, /OSRM_URL/);
      return true;
    });
    assert.deepEqual(await territoryRowCounts(w.ctx), before);
    assert.equal((await commune('32013')).min_toulouse, auch.min_toulouse);
  });
});

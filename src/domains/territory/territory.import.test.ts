import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { allRowCounts, failWritesTo } from '../../../tests/support/db-faults.js';
import { importTerritory, TerritoryDataError, territoryDir } from './territory.import.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';
import { territoryRowCounts } from './territory.testing.js';
import {
  estimatedMinutes,
  oneDecimal,
  shippedCommune,
  shippedCommunes,
  shippedEpciCount,
  shippedFestivalRows,
  readGersCsv,
  shippedFreightOnlyStations,
  shippedGersPassengerStations,
  shippedReferencePoint,
  straightKm,
} from '../../../tests/support/gers-data.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  await restoreShippedTerritory(w.ctx);
});

/** A copy of the shipped files to alter, in a temporary folder removed after the file's tests. */
const copies: string[] = [];
after(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});
function copyOfShippedFiles() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'territoire-'));
  copies.push(dir);
  cpSync(territoryDir('gers'), dir, { recursive: true });
  return dir;
}

const commune = (insee: string) => w.ctx.db.selectFrom('commune').selectAll().where('territory_id', '=', w.ctx.territory.id).where('insee', '=', insee).executeTakeFirstOrThrow();

describe('the Gers import', () => {
  test('loads every commune of the shipped files with their sources, Auch with its population and house prices', async () => {
    const counts = await territoryRowCounts(w.ctx);
    assert.equal(counts.commune, shippedCommunes().size);
    assert.equal(counts.commune_boundary, shippedCommunes().size);
    assert.equal(counts.epci, shippedEpciCount());
    const auch = await commune('32013');
    const shipped = shippedCommune('32013');
    assert.equal(auch.name, 'Auch');
    assert.equal(auch.population, shipped.population);
    assert.deepEqual(auch.postcodes, shipped.postcodes);
    assert.equal(auch.dvf_house_median, shipped.houseMedian);
    assert.equal(auch.dvf_house_sales, shipped.houseSales);
    assert.equal(auch.dvf_flat_median, shipped.flatMedian);
    assert.equal(auch.dvf_flat_sales, shipped.flatSales);
    assert.equal(auch.gp_count, shipped.gps);
    assert.equal(auch.pharmacy_count, shipped.pharmacies);
    assert.deepEqual(auch.cantons, ['Auch-1', 'Auch-2', 'Auch-3'], 'Auch is divided between three cantons');
    const datasets = await w.ctx.db.selectFrom('dataset').select(['id', 'key', 'licence']).where('territory_id', '=', w.ctx.territory.id).execute();
    const keyOf = new Map(datasets.map((d) => [d.id, d.key]));
    assert.equal(keyOf.get(auch.dvf_dataset_id!), 'dvf-agregat-2024');
    assert.equal(keyOf.get(auch.bpe_dataset_id!), 'bpe-2024');
    assert.equal(keyOf.get(auch.identity_dataset_id), 'cog-communes');
    assert.match(datasets.find((d) => d.key === 'sncf-gares-voyageurs')!.licence, /ODbL/);
  });

  test('knows the passenger and freight-only stations of the Gers, its cinemas and its festivals', async () => {
    const stations = await w.ctx.db.selectFrom('station').select('name').where('in_territory', '=', true).where('passenger', '=', true).execute();
    assert.deepEqual(stations.map((s) => s.name).sort(), shippedGersPassengerStations().map((s) => s.nom_gare).sort());
    const freightOnly = await w.ctx.db.selectFrom('station').select('name').where('passenger', '=', false).execute();
    assert.deepEqual(freightOnly.map((s) => s.name).sort(), shippedFreightOnlyStations().map((s) => s.libelle).sort(), 'stations of the network list that no passenger station matches');
    const counts = await territoryRowCounts(w.ctx);
    assert.equal(counts.cinema, readGersCsv('gers-cinemas.csv').length, 'every row of the list is stored, duplicates too');
    assert.equal(counts.festival, shippedFestivalRows().length);
    const marciac = await commune('32233');
    assert.equal(marciac.festival_count, shippedCommune('32233').festivals);
    assert.equal(marciac.cinema_count, shippedCommune('32233').cinemas);
  });

  test('computes straight-line distances and estimated drive times, and the nearest GP of a commune without one', async () => {
    const isle = await commune('32160');
    assert.equal(isle.km_toulouse, oneDecimal(straightKm(shippedCommune('32160'), shippedReferencePoint('toulouse'))));
    assert.equal(isle.min_toulouse, estimatedMinutes(straightKm(shippedCommune('32160'), shippedReferencePoint('toulouse'))));
    assert.equal(isle.nearest_station_uic, '87611806', "L'Isle-Jourdain's nearest station is its own");
    const auch = await commune('32013');
    assert.equal(auch.km_auch, 0);
    const noGp = await w.ctx.db.selectFrom('commune').selectAll().where('gp_count', '=', 0).limit(1).executeTakeFirstOrThrow();
    assert.ok(noGp.nearest_gp_insee, 'a commune without a GP knows the nearest one');
    const withGp = await commune(noGp.nearest_gp_insee!);
    assert.ok(withGp.gp_count > 0);
    assert.equal(noGp.nearest_gp_km, oneDecimal(straightKm(shippedCommune(noGp.insee), shippedCommune(withGp.insee))));
    assert.equal(auch.nearest_gp_insee, null, 'a commune with a GP has no "nearest" one');
  });

  test('running the import again changes nothing', async () => {
    const before = await territoryRowCounts(w.ctx);
    const report = await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now() });
    assert.equal(report.changes, 0);
    assert.equal(report.communes, shippedCommunes().size);
    assert.deepEqual(await territoryRowCounts(w.ctx), before);
  });

  test('a staff correction survives a re-import, which records the new imported value beside it', async () => {
    const tid = w.ctx.territory.id;
    await w.ctx.db
      .insertInto('figure_override')
      .values({ territory_id: tid, insee: '32013', figure: 'population', value: 23000, imported_value: 1, note: 'Recensement 2026', author_id: null, created_at: w.clock.now() })
      .execute();
    await w.ctx.db.updateTable('commune').set({ population: 23000 }).where('insee', '=', '32013').execute();
    await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now() });
    assert.equal((await commune('32013')).population, 23000, 'the corrected value stays in place');
    const override = await w.ctx.db.selectFrom('figure_override').selectAll().where('insee', '=', '32013').executeTakeFirstOrThrow();
    assert.equal(override.imported_value, shippedCommune('32013').population, 'the imported value is kept beside the correction');
    const again = await importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now() });
    assert.equal(again.changes, 0);
  });

  test('a database failure partway through the import (the festivals, written last) leaves every table as it was', async () => {
    const dir = copyOfShippedFiles();
    // Changes early in the import (a commune's name) and in the table that fails, so both would show if kept.
    const centres = path.join(dir, 'gers-communes-centres.csv');
    writeFileSync(centres, readFileSync(centres, 'utf8').replace('32013,Auch,', '32013,Auch-sur-Gers,'));
    const festivals = readdirSync(dir).find((f) => /festival/i.test(f))!;
    const lines = readFileSync(path.join(dir, festivals), 'utf8').trimEnd().split('\n');
    writeFileSync(path.join(dir, festivals), [...lines, lines[1].replace(/^[^,]*/, (id) => `${id}-bis`)].join('\n') + '\n');
    const before = await allRowCounts(w.ctx.db);
    const heal = await failWritesTo(w.ctx.db, 'festival');
    try {
      await assert.rejects(importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now(), dir }), /simulated failure/);
    } finally {
      await heal();
    }
    assert.equal((await commune('32013')).name, 'Auch', 'the earlier writes were rolled back');
    assert.deepEqual(await allRowCounts(w.ctx.db), before);
  });

  test('a malformed data file is refused with its name and line, and nothing is written', async () => {
    const dir = copyOfShippedFiles();
    cpSync(territoryDir('gers'), dir, { recursive: true });
    const bpe = path.join(dir, 'gers-bpe-sante-action-sociale-2024.csv');
    const lines = readFileSync(bpe, 'utf8').split('\n');
    lines[13] = lines[13].replace(/,0,/, ',douze,');
    writeFileSync(bpe, lines.join('\n'));
    // A change elsewhere that would be written if the import went ahead.
    const centres = path.join(dir, 'gers-communes-centres.csv');
    writeFileSync(centres, readFileSync(centres, 'utf8').replace('32013,Auch,', '32013,Auch-sur-Gers,'));
    const before = await territoryRowCounts(w.ctx);
    await assert.rejects(importTerritory(w.ctx.db, w.ctx.territory, { now: w.clock.now(), dir }), (error: Error) => {
      assert.ok(error instanceof TerritoryDataError);
      assert.match(error.message, /gers-bpe-sante-action-sociale-2024\.csv, ligne 14/);
      return true;
    });
    assert.equal((await commune('32013')).name, 'Auch');
    assert.deepEqual(await territoryRowCounts(w.ctx), before);
  });
});

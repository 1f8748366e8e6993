import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { allRowCounts, failWritesTo } from '../../../tests/support/db-faults.js';
import { actorFor, createUser } from '../../../tests/support/factories.js';
import { AppError } from '../../shared/app-error.js';
import { importDvfFile } from './territory.import.js';
import { commandLineActor } from './territory.policy.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';
import { territoryRowCounts } from './territory.testing.js';
import { shippedCommune } from '../../../tests/support/gers-data.js';

let w: TestWorld;
let dir: string;
before(async () => {
  w = await createTestWorld();
  dir = mkdtempSync(path.join(os.tmpdir(), 'dvf-'));
});
after(async () => {
  await w.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await w.reset();
  await restoreShippedTerritory(w.ctx);
});

// The official raw format: 43 columns, `|`, decimal comma, DD/MM/YYYY, commune number without the département.
const RAW_HEADER =
  'Code service CH|Reference document|1 Articles CGI|2 Articles CGI|3 Articles CGI|4 Articles CGI|5 Articles CGI|No disposition|Date mutation|Nature mutation|Valeur fonciere|No voie|B/T/Q|Type de voie|Code voie|Voie|Code postal|Commune|Code departement|Code commune|Prefixe de section|Section|No plan|No Volume|1er lot|Surface Carrez du 1er lot|2eme lot|Surface Carrez du 2eme lot|3eme lot|Surface Carrez du 3eme lot|4eme lot|Surface Carrez du 4eme lot|5eme lot|Surface Carrez du 5eme lot|Nombre de lots|Code type local|Type local|Identifiant local|Surface reelle bati|Nombre pieces principales|Nature culture|Nature culture speciale|Surface terrain';
const rawColumns = RAW_HEADER.split('|');

function raw(fields: Record<string, string>) {
  const unknown = Object.keys(fields).filter((k) => !rawColumns.includes(k));
  assert.deepEqual(unknown, [], 'fixture columns exist in the header');
  return rawColumns.map((c) => fields[c] ?? '').join('|');
}

const sale = (date: string, nature: string, value: string, dep: string, com: string, extra: Record<string, string> = {}) =>
  raw({ 'No disposition': '000001', 'Date mutation': date, 'Nature mutation': nature, 'Valeur fonciere': value, 'Code departement': dep, 'Code commune': com, ...extra });
const house = (surface: string, rooms = '4') => ({ 'Code type local': '1', 'Type local': 'Maison', 'Surface reelle bati': surface, 'Nombre pieces principales': rooms });
const flat = (surface: string, id = '') => ({ 'Code type local': '2', 'Type local': 'Appartement', 'Surface reelle bati': surface, 'Nombre pieces principales': '2', 'Identifiant local': id });

function file(name: string, lines: string[], opts: { gzip?: boolean } = {}) {
  const full = path.join(dir, name);
  const text = lines.join('\n') + '\n';
  writeFileSync(full, opts.gzip ? gzipSync(text) : text);
  return full;
}

const RAW_FILE = [
  RAW_HEADER,
  // One house sold on two parcels: the house is repeated on both lines, plus an outbuilding. One sale, 2,000 €/m².
  sale('15/03/2024', 'Vente', '200000,00', '32', '13', { ...house('100'), 'Surface terrain': '800' }),
  sale('15/03/2024', 'Vente', '200000,00', '32', '13', { ...house('100'), 'Surface terrain': '1200' }),
  sale('15/03/2024', 'Vente', '200000,00', '32', '13', { 'Code type local': '3', 'Type local': 'Dépendance' }),
  // A second house in Auch: 1,500 €/m².
  sale('02/04/2024', 'Vente', '120000,00', '32', '13', house('80')),
  // A flat with a decimal comma in the price: 2,000.01 €/m².
  sale('03/04/2024', 'Vente', '100000,50', '32', '13', flat('50', 'A1')),
  // An exchange is not a sale.
  sale('04/04/2024', 'Echange', '90000,00', '32', '13', house('90')),
  // Outside the territory (Paris 6e): ignored.
  sale('05/04/2024', 'Vente', '900000,00', '75', '106', flat('60', 'P1')),
  // A house sold with business premises in Lectoure: its share of the price is unknown.
  sale('06/04/2024', 'Vente', '300000,00', '32', '208', house('120')),
  sale('06/04/2024', 'Vente', '300000,00', '32', '208', { 'Code type local': '4', 'Type local': 'Local industriel. commercial ou assimilé', 'Surface reelle bati': '50' }),
  // Two flats bought together in L'Isle-Jourdain: 150,000 € for 40 + 60 m², one sale at 1,500 €/m².
  sale('07/04/2024', 'Vente', '150000,00', '32', '160', flat('40', 'L1')),
  sale('07/04/2024', 'Vente', '150000,00', '32', '160', flat('60', 'L2')),
];

const commune = (insee: string) => w.ctx.db.selectFrom('commune').selectAll().where('insee', '=', insee).executeTakeFirstOrThrow();
const admin = () => commandLineActor(w.ctx.territory.id);

describe('DVF import, official raw format', () => {
  test('groups the lines of each sale, reads decimal commas, and recomputes every commune median', async () => {
    const outcome = await importDvfFile(w.ctx, admin(), file('valeursfoncieres-2024.txt', RAW_FILE));
    assert.equal(outcome.status, 'imported');
    if (outcome.status !== 'imported') return;
    assert.equal(outcome.format, 'raw');
    assert.equal(outcome.mutations, 6, 'six mutations in the Gers (Paris is ignored)');
    assert.deepEqual(outcome.sales, { houses: 2, flats: 2 });
    assert.deepEqual(outcome.excluded, { notSale: 1, noDwelling: 0, mixed: 1, outOfBounds: 0 });
    assert.equal(outcome.periodStart, '2024-03-15');
    assert.equal(outcome.periodEnd, '2024-04-07');

    const auch = await commune('32013');
    assert.equal(auch.dvf_house_median, 1750, 'median of 2,000 and 1,500 €/m²');
    assert.equal(auch.dvf_house_sales, 2, 'the house on two parcels counts once');
    assert.equal(auch.dvf_flat_median, 2000);
    assert.equal(auch.dvf_flat_sales, 1);
    const isle = await commune('32160');
    assert.equal(isle.dvf_flat_median, 1500);
    assert.equal(isle.dvf_flat_sales, 1);
    assert.equal(isle.dvf_house_median, null, 'no house sold in the file: no median any more');
    assert.equal(isle.dvf_house_sales, 0);
    const lectoure = await commune('32208');
    assert.equal(lectoure.dvf_house_sales, 0);

    const dataset = await w.ctx.db.selectFrom('dataset').selectAll().where('id', '=', auch.dvf_dataset_id!).executeTakeFirstOrThrow();
    assert.equal(dataset.origin, 'upload');
    assert.match(dataset.edition, /valeursfoncieres-2024\.txt/);
    assert.match(dataset.licence, /Licence Ouverte/);
    const audit = await w.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'dvf.imported').execute();
    assert.equal(audit.length, 1);
  });

  test('a database failure partway through (the communes’ medians, after the new dataset) leaves every table as it was', async () => {
    const before = await allRowCounts(w.ctx.db);
    const auch = await commune('32013');
    const heal = await failWritesTo(w.ctx.db, 'commune');
    try {
      await assert.rejects(importDvfFile(w.ctx, admin(), file('valeursfoncieres-2024.txt', RAW_FILE)), /simulated failure/);
    } finally {
      await heal();
    }
    assert.deepEqual(await allRowCounts(w.ctx.db), before, 'no dataset, no audit entry, nothing');
    assert.equal((await commune('32013')).dvf_house_median, auch.dvf_house_median);
  });

  test('importing the same file twice changes nothing the second time', async () => {
    const path1 = file('valeursfoncieres-2024.txt', RAW_FILE);
    await importDvfFile(w.ctx, admin(), path1);
    const counts = await territoryRowCounts(w.ctx);
    const again = await importDvfFile(w.ctx, admin(), path1);
    assert.equal(again.status === 'imported' && again.communesChanged, 0);
    assert.deepEqual(await territoryRowCounts(w.ctx), counts);
    assert.equal((await w.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'dvf.imported').execute()).length, 1);
  });

  test('reads a gzipped file too', async () => {
    const outcome = await importDvfFile(w.ctx, admin(), file('valeursfoncieres-2024.txt.gz', RAW_FILE, { gzip: true }));
    assert.equal(outcome.status, 'imported');
    assert.equal((await commune('32013')).dvf_house_median, 1750);
  });

  test('a malformed file is rejected whole with its line numbers, and nothing changes', async () => {
    const before = await territoryRowCounts(w.ctx);
    const lines = [...RAW_FILE];
    lines[2] = lines[2].replace('15/03/2024', '31/02/2024'); // line 3: no such day
    lines[4] = lines[4].replace('120000,00', '12a000,00'); // line 5: not a number
    lines[5] = lines[5] + '|de trop'; // line 6: one column too many
    const outcome = await importDvfFile(w.ctx, admin(), file('valeursfoncieres-casse.txt', lines));
    assert.equal(outcome.status, 'rejected');
    if (outcome.status !== 'rejected') return;
    assert.deepEqual(
      outcome.errors.map((e) => [e.line, e.key]),
      [
        [3, 'territory.dvf.error.date'],
        [5, 'territory.dvf.error.number'],
        [6, 'territory.dvf.error.columns'],
      ],
    );
    assert.equal(outcome.errorCount, 3);
    const auch = await commune('32013');
    assert.equal(auch.dvf_house_median, shippedCommune('32013').houseMedian, 'the shipped figure is untouched');
    assert.equal(auch.dvf_house_sales, shippedCommune('32013').houseSales);
    assert.deepEqual(await territoryRowCounts(w.ctx), before);
    assert.equal((await w.ctx.db.selectFrom('audit_event').selectAll().execute()).length, 0);
  });

  test('a file without any sale in the territory is rejected', async () => {
    const outcome = await importDvfFile(w.ctx, admin(), file('valeursfoncieres-paris.txt', [RAW_HEADER, sale('05/04/2024', 'Vente', '900000,00', '75', '106', flat('60'))]));
    assert.equal(outcome.status, 'rejected');
    assert.equal(outcome.status === 'rejected' && outcome.errors[0].key, 'territory.dvf.error.noCommune');
  });

  test('a staff correction of a price survives the import, with the new computed value beside it', async () => {
    await w.ctx.db
      .insertInto('figure_override')
      .values({ territory_id: w.ctx.territory.id, insee: '32013', figure: 'dvf_house_median', value: 1950, imported_value: 1889, note: 'Chiffre des notaires', author_id: null, created_at: w.clock.now() })
      .execute();
    await w.ctx.db.updateTable('commune').set({ dvf_house_median: 1950 }).where('insee', '=', '32013').execute();
    await importDvfFile(w.ctx, admin(), file('valeursfoncieres-2024.txt', RAW_FILE));
    const auch = await commune('32013');
    assert.equal(auch.dvf_house_median, 1950);
    assert.equal(auch.dvf_house_sales, 2);
    const override = await w.ctx.db.selectFrom('figure_override').selectAll().executeTakeFirstOrThrow();
    assert.equal(override.imported_value, 1750);
  });

  test('only staff and admins may import a file', async () => {
    const member = await createUser(w.ctx, { roles: ['member'] });
    await assert.rejects(importDvfFile(w.ctx, actorFor(w.ctx, member, ['member']), file('v.txt', RAW_FILE)), (e: AppError) => e.code === 'forbidden');
    await assert.rejects(importDvfFile(w.ctx, actorFor(w.ctx, null), file('v.txt', RAW_FILE)), (e: AppError) => e.code === 'unauthenticated');
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    assert.equal((await importDvfFile(w.ctx, actorFor(w.ctx, staff, ['staff']), file('v.txt', RAW_FILE))).status, 'imported');
  });
});

describe('DVF import, Etalab geo-dvf CSV', () => {
  const GEO_HEADER =
    'id_mutation,date_mutation,numero_disposition,nature_mutation,valeur_fonciere,adresse_numero,adresse_suffixe,adresse_nom_voie,adresse_code_voie,code_postal,code_commune,nom_commune,code_departement,id_parcelle,code_type_local,type_local,surface_reelle_bati,nombre_pieces_principales,surface_terrain,longitude,latitude';
  const geo = (id: string, date: string, nature: string, value: string, insee: string, type: string, surface: string, extra = { voie: 'RUE DE LA REPUBLIQUE', parcelle: `${insee}000AB0001` }) =>
    [id, date, '1', nature, value, '12', '', extra.voie.includes(',') ? `"${extra.voie}"` : extra.voie, 'B012', '32000', insee, 'Auch', insee.slice(0, 2), extra.parcelle, type === 'Maison' ? '1' : type === 'Appartement' ? '2' : '3', type, surface, '4', '500', '0.58', '43.64'].join(',');

  test('groups lines by id_mutation even when they are not consecutive, with decimal points and quoted fields', async () => {
    const outcome = await importDvfFile(
      w.ctx,
      admin(),
      file('32.csv', [
        GEO_HEADER,
        geo('2024-1', '2024-05-02', 'Vente', '240000.00', '32013', 'Maison', '120', { voie: 'CHEMIN DU MOULIN, LIEU-DIT BAS', parcelle: '32013000AB0001' }),
        geo('2024-2', '2024-05-03', 'Vente', '140000.00', '32013', 'Appartement', '70'),
        geo('2024-1', '2024-05-02', 'Vente', '240000.00', '32013', 'Maison', '120', { voie: 'CHEMIN DU MOULIN', parcelle: '32013000AB0002' }),
        geo('2024-1', '2024-05-02', 'Vente', '240000.00', '32013', 'Dépendance', ''),
        geo('2024-3', '2024-05-04', 'Vente en l’état futur d’achèvement', '200000.00', '32013', 'Appartement', '60'),
      ]),
    );
    assert.equal(outcome.status, 'imported');
    if (outcome.status !== 'imported') return;
    assert.equal(outcome.format, 'geo');
    assert.equal(outcome.mutations, 3);
    const auch = await commune('32013');
    assert.equal(auch.dvf_house_median, 2000, 'one house of 120 m² at 240,000 €');
    assert.equal(auch.dvf_house_sales, 1);
    assert.equal(auch.dvf_flat_median, 2000);
    assert.equal(auch.dvf_flat_sales, 1, 'a sale off plan (VEFA) is not a "Vente"');
  });

  test('a CSV without the expected columns is rejected on line 1', async () => {
    const outcome = await importDvfFile(w.ctx, admin(), file('autre.csv', ['code,nom,prix', '32013,Auch,1889']));
    assert.equal(outcome.status, 'rejected');
    assert.deepEqual(outcome.status === 'rejected' && outcome.errors.map((e) => [e.line, e.key]), [[1, 'territory.dvf.error.header']]);
  });

  test('a price written with a decimal comma in a geo-dvf file is an error on its line', async () => {
    const outcome = await importDvfFile(w.ctx, admin(), file('32.csv', [GEO_HEADER, geo('2024-1', '2024-05-02', 'Vente', '"240000,50"', '32013', 'Maison', '120')]));
    assert.equal(outcome.status, 'rejected');
    assert.deepEqual(outcome.status === 'rejected' && outcome.errors.map((e) => [e.line, e.key]), [[2, 'territory.dvf.error.number']]);
  });
});

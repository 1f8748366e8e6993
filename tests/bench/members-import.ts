/**
 * The member-list import's budget (issue 9): a dry run of a 10,000-line file under 10 s. A benchmark, not a test:
 * it prints figures and asserts nothing.
 *
 *   npx tsx tests/bench/members-import.ts              # PGlite in memory
 *   npx tsx tests/bench/members-import.ts --pg         # PostgreSQL (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres),
 *                                                      # in a fresh database dropped afterwards
 *   npx tsx tests/bench/members-import.ts --lines=10000 --seed=1000 --runs=3
 *
 * Through the real service: first `--seed` members are imported (and that apply timed), then a CSV of `--lines`
 * lines, a tenth of them already members, some with a bad date or an unknown commune, is uploaded (read, parsed,
 * stored) and its dry run computed `--runs` times (every line checked against the territory's communes and plans,
 * the members and their dues). Also the same file as XLSX, to compare the readers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import writeXlsxFile from 'write-excel-file/node';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { applyMemberImport, getImportReview, uploadMemberList } from '../../src/domains/members/imports/index.js';
import { makePlan } from '../../src/domains/members/members.testing.js';
import { FixedClock } from '../../src/shared/clock.js';
import { actorFor, createUser } from '../support/factories.js';
import { prepareTemplate } from '../support/template.js';

const usePg = process.argv.includes('--pg');
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const LINES = Number(arg('lines', '10000'));
const SEED = Number(arg('seed', '1000'));
const RUNS = Number(arg('runs', '3'));
const BUDGET_MS = 10_000;

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!usePg) {
    const database = await openDatabase({ memory: true });
    await prepareTemplate(database.db);
    return { database, drop: async () => {} };
  }
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `bench_import_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  await prepareTemplate(database.db);
  return {
    database,
    drop: async () => {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

const HEAD = ['Email', 'Prénom', 'Nom', 'Commune', 'Formule', 'Date de paiement', 'Montant', 'Téléphone', 'Activité'];
const COMMUNES = ['Auch', 'Lectoure', 'Condom', 'Fleurance', 'Mirande', 'Eauze', 'Nogaro', 'Samatan', 'Gimont', 'Vic-Fezensac'];

/** Line `i` of the synthetic list: every 500th has a bad date, every 700th an unknown commune. */
function line(i: number): string[] {
  const day = `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 10) + 1).padStart(2, '0')}/2026`;
  return [
    `adherent${i}@exemple.fr`,
    `Prénom${i}`,
    `Nom${i}`,
    i % 700 === 699 ? 'Toulouse' : COMMUNES[i % COMMUNES.length],
    i % 3 ? 'Individuel' : 'Couple',
    i % 500 === 499 ? '31/02/2026' : day,
    i % 3 ? '30' : '45,00',
    '06 12 34 56 78',
    'Indépendant',
  ];
}

const toCsv = (rows: string[][]) => Buffer.from('\uFEFF' + rows.map((r) => r.map((c) => `"${c}"`).join(';')).join('\r\n') + '\r\n');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const { database, drop } = await open();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const config = { ...loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01' }), demo: false };
  const ctx: AppContext = await openContext(config, { database, clock: new FixedClock(), log: pino({ level: 'silent' }) as unknown as AppContext['log'] });
  try {
    const staff = actorFor(ctx, await createUser(ctx, { roles: ['staff'], email: 'equipe@exemple.fr' }), ['staff']);
    await makePlan(ctx, { name: 'Individuel', priceCents: 3000 });
    await makePlan(ctx, { name: 'Couple', priceCents: 4500 });
    console.log(`members import on ${usePg ? 'PostgreSQL' : 'PGlite'}: ${SEED} members seeded by an import, then a dry run of ${LINES} lines`);

    // Members already there: the first tenth of the big file's lines (clean ones), imported for real.
    const seedRows = [HEAD, ...Array.from({ length: SEED }, (_, i) => line(i * 10)).filter((r) => r[5] !== '31/02/2026' && r[3] !== 'Toulouse')];
    let t = performance.now();
    const seeded = await uploadMemberList(ctx, staff, { name: 'seed.csv', bytes: toCsv(seedRows), truncated: false }, 'transfer');
    const applied = await applyMemberImport(ctx, staff, seeded.id, { excludeRejected: false });
    console.log(`  apply of ${seedRows.length - 1} new members with their dues: ${seconds(performance.now() - t)} (${applied.create} created, ${applied.dues} dues)`);

    const rows = [HEAD, ...Array.from({ length: LINES }, (_, i) => line(i))];
    const csv = toCsv(rows);
    t = performance.now();
    const up = await uploadMemberList(ctx, staff, { name: 'liste.csv', bytes: csv, truncated: false }, 'transfer');
    const uploadMs = performance.now() - t;
    const runs: number[] = [];
    let summary: unknown;
    for (let r = 0; r < RUNS; r++) {
      t = performance.now();
      const review = await getImportReview(ctx, staff, up.id);
      runs.push(performance.now() - t);
      if (review.state === 'review') summary = review.summary;
    }
    const worst = Math.max(...runs);
    console.log(`  CSV upload (${(csv.length / 1024).toFixed(0)} kB: read, parsed, stored): ${seconds(uploadMs)}`);
    console.log(`  dry run, ${RUNS} runs: ${runs.map(seconds).join(', ')}; ${JSON.stringify(summary)}`);
    console.log(`  upload + slowest dry run: ${seconds(uploadMs + worst)} — budget ${seconds(BUDGET_MS)}: ${uploadMs + worst < BUDGET_MS ? 'within' : 'OVER'}`);

    const xlsx = await writeXlsxFile(rows.map((r) => r.map((value) => ({ value })))).toBuffer();
    t = performance.now();
    const upX = await uploadMemberList(ctx, staff, { name: 'liste.xlsx', bytes: xlsx, truncated: false }, 'transfer');
    const xlsxUploadMs = performance.now() - t;
    t = performance.now();
    await getImportReview(ctx, staff, upX.id);
    console.log(`  XLSX upload (${(xlsx.length / 1024).toFixed(0)} kB): ${seconds(xlsxUploadMs)}, its dry run ${seconds(performance.now() - t)}`);
  } finally {
    await database.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

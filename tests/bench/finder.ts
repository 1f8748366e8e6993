/**
 * The village finder's budgets (issue 3), in process: a benchmark, not a test. Prints figures, asserts nothing.
 *
 *   npx tsx tests/bench/finder.ts            # PGlite in memory
 *   npx tsx tests/bench/finder.ts --pg       # PostgreSQL (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres),
 *                                            # in a fresh database dropped afterwards
 *   npx tsx tests/bench/finder.ts --n=400 --encoding=identity
 *
 * - Server time of an uncached finder search with every filter set, over a real socket, compressed with brotli as
 *   a browser asks (Fastify's own measure, from the request's arrival to the last byte handed to the socket), p50/p95/p99 over n searches that all differ, so no cache can
 *   answer; and the same split into the service (the database) and the rest (rendering, compression).
 * - Weight of the map: the SVG alone and the whole finder page, raw, gzip and brotli, with the real figures.
 */
import { Agent, get as httpGet } from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { browseVillages } from '../../src/domains/territory/finder.service.js';
import { FinderQuerySchema, readFinderQuery } from '../../src/domains/territory/finder.schemas.js';
import { prepareTemplate } from '../support/template.js';
import { createBenchDatabase } from './support.js';

const usePg = process.argv.includes('--pg');
const n = Number(process.argv.find((a) => a.startsWith('--n='))?.split('=')[1] ?? 300);

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!usePg) {
    const database = await openDatabase({ memory: true });
    await prepareTemplate(database.db);
    return { database, drop: async () => {} };
  }
  const { url, drop } = await createBenchDatabase('bench_finder');
  const database = await openDatabase({ databaseUrl: url });
  await prepareTemplate(database.db);
  return { database, drop };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const line = (label: string, xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${label.padEnd(34)} p50 ${pct(s, 50).toFixed(2).padStart(6)} ms   p95 ${pct(s, 95).toFixed(2).padStart(6)} ms   p99 ${pct(s, 99).toFixed(2).padStart(6)} ms   max ${s.at(-1)!.toFixed(2).padStart(6)} ms`;
};
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const sizes = (s: string) => {
  const raw = Buffer.from(s);
  return `raw ${kb(raw.length)}, gzip ${kb(gzipSync(raw, { level: 9 }).length)}, brotli ${kb(brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length)}`;
};

/** Every filter set, with values that change from one search to the next. */
function searchUrl(i: number, epci: string) {
  const q = new URLSearchParams({
    q: ['a', 'e', 'on', 'ac', 'er'][i % 5],
    min_toulouse: String(60 + (i % 60)),
    km_bordeaux: String(150 + (i % 80)),
    min_auch: String(30 + (i % 50)),
    km_gare: String(20 + (i % 30)),
    min_aeroport: String(60 + (i % 70)),
    medecin: '1',
    pharmacie: '1',
    prix_max: String(1500 + ((i * 37) % 1500)),
    pop_min: String(i % 300),
    pop_max: String(3000 + (i % 20000)),
    epci: i % 3 === 0 ? epci : '',
    tri: ['prix', 'min_toulouse', 'population', 'nom'][i % 4],
    ordre: i % 2 ? 'asc' : 'desc',
    carte: ['prix', 'toulouse', 'medecin'][i % 3],
  });
  if (i % 7 === 0) q.set('cinema', '1');
  return `/villages?${q}`;
}

async function main() {
  const { database, drop } = await open();
  const config = { ...loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'bench-finder-')), SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01' }), demo: false };
  const ctx: AppContext = await openContext(config, { database, log: pino({ level: 'silent' }) as unknown as AppContext['log'] });
  const app = await buildApp(ctx, { logger: false });
  const serverTimes: number[] = [];
  app.addHook('onResponse', async (_request, reply) => {
    serverTimes.push(reply.elapsedTime);
  });
  // A real socket, not app.inject: the injector copies the body a few times, which no browser request costs.
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (url: string, headers: Record<string, string>) =>
    new Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      httpGet(address + url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ statusCode: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }));
        res.on('error', reject);
      }).on('error', reject);
    });
  const epci = (await ctx.db.selectFrom('commune').select('epci_siren').where('insee', '=', '32208').executeTakeFirstOrThrow()).epci_siren!;
  // What a browser sends; --encoding=identity shows the cost of compressing each page.
  const headers = { 'accept-encoding': process.argv.find((a) => a.startsWith('--encoding='))?.split('=')[1] ?? 'br, gzip' };

  // Warm up (JIT, the map's memo, the connection pool), then measure.
  for (let i = 0; i < 40; i++) await get(searchUrl(i + 10_000, epci), headers);
  serverTimes.length = 0;
  const statuses = new Set<number>();
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const before = process.cpuUsage();
    statuses.add((await get(searchUrl(i, epci), headers)).statusCode);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }

  const serviceTimes: number[] = [];
  const serviceCpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const values = Object.fromEntries(new URL(searchUrl(i, epci), 'http://x').searchParams);
    const { query, errors } = readFinderQuery(FinderQuerySchema, values);
    const started = performance.now();
    const before = process.cpuUsage();
    await browseVillages(ctx, query, true, errors);
    const used = process.cpuUsage(before);
    serviceTimes.push(performance.now() - started);
    serviceCpu.push((used.user + used.system) / 1000);
  }

  console.log(`Finder, every filter set, uncached, ${n} different searches on ${database.kind}, accept-encoding: ${headers['accept-encoding']} (statuses: ${[...statuses].join(', ')})`);
  console.log(`load average now: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times grow with it; CPU times much less)`);
  console.log(line('server time (request → response)', serverTimes));
  console.log(line('  of which service (database)', serviceTimes));
  console.log(line('CPU time of this process, request', cpu));
  console.log(line('  of which service', serviceCpu));
  if (database.kind === 'postgres') console.log('  (on PostgreSQL the database works in its own processes: its CPU is not in these figures)');

  const page = await get('/villages?min_toulouse=60&medecin=1&prix_max=2000', { 'accept-encoding': 'identity' });
  const svg = /<svg class="commune-map-svg"[\s\S]*?<\/svg>/.exec(page.body)![0];
  const plain = await get('/villages', { 'accept-encoding': 'identity' });
  const table = /<details class="commune-map-data"[\s\S]*?<\/details>/.exec(plain.body)![0];
  console.log(`\nWeight (real figures, 458 communes; budget: map SVG under 150 KB compressed)`);
  console.log(`  map SVG alone                    ${sizes(svg)}`);
  console.log(`  map's data table (text version)  ${sizes(table)}   (on the plain map only; searches link to it)`);
  console.log(`  whole finder page, a search      ${sizes(page.body)}`);
  console.log(`  whole finder page, no criteria   ${sizes(plain.body)}`);

  // The default page, cached: time to serve from memory.
  const cached: number[] = [];
  await get('/villages', headers);
  serverTimes.length = 0;
  for (let i = 0; i < n; i++) await get('/villages', headers);
  cached.push(...serverTimes);
  console.log('\n' + line('default /villages (cached page)', cached));

  agent.destroy();
  await app.close();
  await database.close();
  await drop();
}

await main();

/**
 * The newcomer journey's budgets (issue 4), in process: a benchmark, not a test. Prints figures, asserts nothing.
 *
 *   npx tsx tests/bench/newcomers.ts            # PGlite in memory
 *   npx tsx tests/bench/newcomers.ts --pg       # PostgreSQL (TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres),
 *                                               # in a fresh database dropped afterwards
 *   npx tsx tests/bench/newcomers.ts --n=300 --cases=5000
 *
 * Seeds 5,000 synthetic cases with 50,000 timeline events (stage changes, notes, messages, tasks), funder tags,
 * target and settled communes over four years, then measures over a real socket, signed in as staff:
 * - the staff list (/admin/accueil) with several filters, every request different;
 * - the funnel figures (/admin/accueil/chiffres) for a year, all years, and a funder tag, reused while nothing changes
 *   and right after a change (a case moved from new to qualified between two requests, as the transition writes it);
 * server time (Fastify's own, from the request's arrival to the last byte handed to the socket), p50/p95/p99
 * against the 100 ms p95 budget; then throughput of both pages against a bare node:http server sending the very same
 * bytes (a child process), with autocannon, as `npm run bench` does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, get as httpGet } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import type { CaseStage } from '../../src/db/schema.js';
import { Agent } from '../support/agent.js';
import { createUser } from '../support/factories.js';
import { freePort, spawnTsx } from '../support/server-process.js';
import { prepareTemplate } from '../support/template.js';
import { createBenchDatabase, rng } from './support.js';

const usePg = process.argv.includes('--pg');
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const n = Number(arg('n', '200'));
const CASES = Number(arg('cases', '5000'));
const EVENTS = CASES * 10;
const BUDGET_P95_MS = 100;

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!usePg) {
    const database = await openDatabase({ memory: true });
    await prepareTemplate(database.db);
    return { database, drop: async () => {} };
  }
  const { url, drop } = await createBenchDatabase('bench_newcomers');
  const database = await openDatabase({ databaseUrl: url });
  await prepareTemplate(database.db);
  return { database, drop };
}


async function insertBatches<T>(ctx: AppContext, table: string, rows: T[], size = 500) {
  for (let i = 0; i < rows.length; i += size) {
    await ctx.db.insertInto(table as never).values(rows.slice(i, i + size) as never).execute();
  }
}

const PATH: CaseStage[] = ['nouveau', 'qualifie', 'accompagne', 'sejour_decouverte', 'installation', 'installe', 'suivi'];
const PROJECTS = ['telework', 'freelance', 'creation', 'takeover', 'job_search', 'other'];
const DAY = 86_400_000;

/** 5,000 cases and 50,000 timeline events, straight into the tables (the services would take minutes). */
async function seed(ctx: AppContext) {
  const random = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const territoryId = ctx.territory.id;
  const now = new Date('2026-11-27T09:00:00Z');
  const communes = (await ctx.db.selectFrom('commune').select('insee').where('territory_id', '=', territoryId).execute()).map((c) => c.insee);
  const staff: string[] = [];
  for (let i = 0; i < 8; i++) staff.push((await createUser(ctx, { roles: ['staff'], name: `Conseillère ${i}`, email: `conseil${i}@bench.example` })).id);
  const reason = await ctx.db.insertInto('case_drop_reason').values({ territory_id: territoryId, key: 'other', label: null, position: 10, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const tags = await ctx.db
    .insertInto('funder_tag')
    .values(['departement', 'region', 'leader', 'etat_anct'].map((key, i) => ({ territory_id: territoryId, key, label: null, position: (i + 1) * 10, created_at: now })))
    .returning('id')
    .execute();

  const users = Array.from({ length: CASES }, (_, i) => ({ email: `foyer${i}@bench.example`, display_name: `Foyer ${i}`, locale: 'fr' as const, created_at: now }));
  const userIds: string[] = [];
  for (let i = 0; i < users.length; i += 500) {
    userIds.push(...(await ctx.db.insertInto('user_account').values(users.slice(i, i + 500)).returning('id').execute()).map((r) => r.id));
  }

  const start = Date.parse('2023-01-01T00:00:00Z');
  const span = now.getTime() - start - 30 * DAY;
  const cases = [];
  const plans: { at: number[]; stages: CaseStage[] }[] = [];
  for (let i = 0; i < CASES; i++) {
    const created = start + Math.floor(random() * span);
    // Where the case went: along the path to some stage, maybe then paused or dropped.
    const reach = Math.min(PATH.length - 1, Math.floor(random() ** 1.4 * PATH.length));
    const stages = PATH.slice(0, reach + 1).filter((s) => s !== 'sejour_decouverte' || random() < 0.6);
    const last = stages[stages.length - 1];
    const active = !['installe', 'suivi'].includes(last);
    const end = active && random() < 0.25 ? (random() < 0.5 ? 'abandon' : 'en_pause') : null;
    if (end) stages.push(end);
    const at: number[] = [created];
    for (let k = 1; k < stages.length; k++) at.push(Math.min(now.getTime() - 1000, at[k - 1] + Math.floor((2 + random() * 60) * DAY)));
    plans.push({ at, stages });
    const stage = stages[stages.length - 1];
    const settledIdx = stages.indexOf('installe');
    cases.push({
      territory_id: territoryId,
      contact_user_id: userIds[i],
      contact_name: `Foyer ${i}`,
      current_place: 'Lyon, France',
      timing: 'months_6_12',
      needs: ['housing_rent'],
      consent_contact_at: new Date(created),
      stage,
      paused_from: stage === 'en_pause' ? stages[stages.length - 2] : null,
      stage_changed_at: new Date(at[at.length - 1]),
      adviser_id: random() < 0.8 ? pick(staff) : null,
      settled_insee: settledIdx >= 0 ? pick(communes) : null,
      settled_on: settledIdx >= 0 ? new Date(at[settledIdx]).toISOString().slice(0, 10) : null,
      drop_reason_id: stage === 'abandon' ? reason.id : null,
      created_at: new Date(created),
      updated_at: new Date(at[at.length - 1]),
    });
  }
  const caseIds: string[] = [];
  for (let i = 0; i < cases.length; i += 500) {
    caseIds.push(...(await ctx.db.insertInto('newcomer_case').values(cases.slice(i, i + 500)).returning('id').execute()).map((r) => r.id));
  }

  const adults = [];
  const children = [];
  const targets = [];
  const caseTags = [];
  const stageEvents: { territory_id: number; case_id: string; from_stage: CaseStage | null; to_stage: CaseStage; at: Date; by_user_id: string; reason_id: number | null }[] = [];
  for (let i = 0; i < CASES; i++) {
    const case_id = caseIds[i];
    const nAdults = 1 + Math.floor(random() * 2);
    for (let p = 1; p <= nAdults; p++) adults.push({ territory_id: territoryId, case_id, position: p, project: pick(PROJECTS) });
    const nChildren = Math.floor(random() * 3);
    for (let p = 1; p <= nChildren; p++) children.push({ territory_id: territoryId, case_id, position: p, age: Math.floor(random() * 18), schooling: 'elementaire' });
    for (const insee of new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(communes)))) targets.push({ territory_id: territoryId, case_id, insee, added_at: new Date(plans[i].at[0]) });
    if (random() < 0.4) caseTags.push({ territory_id: territoryId, case_id, tag_id: pick(tags).id, added_at: new Date(plans[i].at[0]) });
    const { at, stages } = plans[i];
    stages.forEach((to, k) =>
      stageEvents.push({ territory_id: territoryId, case_id, from_stage: k ? stages[k - 1] : null, to_stage: to, at: new Date(at[k]), by_user_id: pick(staff), reason_id: to === 'abandon' ? reason.id : null }),
    );
  }
  // The rest of the 50,000 timeline events: notes, messages and tasks in equal parts.
  const notes = [];
  const messages = [];
  const tasks = [];
  const rest = EVENTS - stageEvents.length;
  for (let k = 0; k < rest; k++) {
    const i = Math.floor(random() * CASES);
    const created = new Date(plans[i].at[0] + Math.floor(random() * Math.max(DAY, now.getTime() - plans[i].at[0])));
    if (k % 3 === 0) notes.push({ territory_id: territoryId, case_id: caseIds[i], author_id: pick(staff), body: 'Appel de suivi, le foyer avance sur le logement.', created_at: created });
    else if (k % 3 === 1) messages.push({ territory_id: territoryId, case_id: caseIds[i], author_id: userIds[i], from_staff: random() < 0.5, body: 'Bonjour, avez-vous des nouvelles de la visite ?', created_at: created });
    else {
      const due = new Date(created.getTime() + Math.floor(random() * 40) * DAY).toISOString().slice(0, 10);
      const done = random() < 0.6;
      tasks.push({
        territory_id: territoryId,
        case_id: caseIds[i],
        title: 'Rappeler le foyer',
        due_on: due,
        assignee_id: pick(staff),
        created_by: pick(staff),
        created_at: created,
        done_at: done ? created : null,
        done_by: done ? pick(staff) : null,
        funder_tag_id: random() < 0.3 ? pick(tags).id : null,
      });
    }
  }
  await insertBatches(ctx, 'case_adult', adults);
  await insertBatches(ctx, 'case_child', children);
  await insertBatches(ctx, 'case_commune', targets);
  await insertBatches(ctx, 'case_funder_tag', caseTags);
  await insertBatches(ctx, 'case_stage_event', stageEvents);
  await insertBatches(ctx, 'case_note', notes);
  await insertBatches(ctx, 'case_message', messages);
  await insertBatches(ctx, 'case_task', tasks);
  // Statistics as a running database would have them after autovacuum.
  await sql`analyze`.execute(ctx.db);
  return { staff, tags: tags.map((t) => t.id), events: stageEvents.length + notes.length + messages.length + tasks.length, stageEvents: stageEvents.length };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function line(label: string, xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const p95 = pct(s, 95);
  return `${label.padEnd(40)} p50 ${pct(s, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms   p99 ${pct(s, 99).toFixed(1).padStart(6)} ms   budget p95 < ${BUDGET_P95_MS} ms ${p95 < BUDGET_P95_MS ? 'OK' : 'OVER'}`;
}

/** Where the funnel page's time goes: each query alone, CPU and wall time (PGlite's CPU is this process's). */
async function profile(ctx: AppContext, tagId: number) {
  const funnel = await import('../../src/domains/newcomers/figures/figures.repo.js');
  const scopes = { '2026': { territoryId: ctx.territory.id, cohortYear: 2026 }, 'all+tag': { territoryId: ctx.territory.id, tagId } };
  const parts: Record<string, (s: { territoryId: number; cohortYear?: number; tagId?: number }) => Promise<unknown>> = {
    casesPerStage: (s) => funnel.casesPerStage(ctx.db, s),
    flows: (s) => funnel.flows(ctx.db, s),
    reachedStages: (s) => funnel.reachedStages(ctx.db, s),
    stageDurations: (s) => funnel.stageDurations(ctx.db, s),
    settledPerYear: (s) => funnel.settledPerYear(ctx.db, s),
    settledPerCommune: (s) => funnel.settledPerCommune(ctx.db, s),
    communesWithEpci: () => funnel.communesWithEpci(ctx.db, ctx.territory.id),
  };
  for (const [scopeName, scope] of Object.entries(scopes)) {
    for (const [name, fn] of Object.entries(parts)) {
      await fn(scope);
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        await fn(scope);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
        wall.push(performance.now() - t0);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(`  ${scopeName.padEnd(8)} ${name.padEnd(18)} wall ${median(wall).toFixed(1).padStart(6)} ms   cpu ${median(cpu).toFixed(1).padStart(6)} ms`);
    }
  }
}

async function main() {
  const { database, drop } = await open();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-newcomers-'));
  const config = { ...loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01' }), demo: false };
  const ctx: AppContext = await openContext(config, { database, log: pino({ level: 'silent' }) as unknown as AppContext['log'] });
  const seeding = performance.now();
  const seeded = await seed(ctx);
  console.log(`Seeded ${CASES} cases and ${seeded.events} timeline events (${seeded.stageEvents} stage changes) on ${database.kind} in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  if (process.argv.includes('--profile')) await profile(ctx, seeded.tags[2]);

  const app = await buildApp(ctx, { logger: false });
  const serverTimes: number[] = [];
  app.addHook('onResponse', async (_request, reply) => {
    serverTimes.push(reply.elapsedTime);
  });
  // Sign in through the real form (injected), then use the session cookie over a real socket.
  const lea = await createUser(ctx, { roles: ['staff'], name: 'Léa Bench', email: 'lea@bench.example' });
  const signIn = new Agent(app);
  await signIn.login(lea.email, lea.password);
  const cookie = `sid=${signIn.cookie('sid')}`;
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const headers = { cookie, 'accept-encoding': 'br, gzip' };
  const get = (base: string, url: string) =>
    new Promise<{ statusCode: number; body: Buffer; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
      httpGet(base + url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ statusCode: res.statusCode!, body: Buffer.concat(chunks), headers: res.headers }));
        res.on('error', reject);
      }).on('error', reject);
    });

  const epcis = (await ctx.db.selectFrom('epci').select('siren').execute()).map((e) => e.siren);
  const stages = ['nouveau', 'qualifie', 'accompagne', 'installation', 'installe', 'abandon'];
  const listUrl = (i: number) => {
    const q = new URLSearchParams();
    if (i % 2 === 0) q.set('etape', stages[i % stages.length]);
    if (i % 3 === 0) q.set('epci', epcis[i % epcis.length]);
    if (i % 4 === 1) q.set('financeur', String(seeded.tags[i % seeded.tags.length]));
    if (i % 5 === 2) q.set('projet', PROJECTS[i % PROJECTS.length]);
    if (i % 7 === 3) q.set('conseiller', seeded.staff[i % seeded.staff.length]);
    if (i % 6 === 5) q.set('retard', '1');
    if (i % 9 === 4) q.set('commune', '32208');
    if (i % 8 === 7) q.set('page', String(1 + (i % 3)));
    return `/admin/accueil?${q}`;
  };
  const funnelUrl = (i: number) => {
    const q = new URLSearchParams({ annee: ['2026', '2025', 'toutes', '2024'][i % 4] });
    if (i % 3 === 1) q.set('financeur', String(seeded.tags[i % seeded.tags.length]));
    return `/admin/accueil/chiffres?${q}`;
  };

  const statuses = new Set<number>();
  const run = async (url: (i: number) => string, count: number, before?: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await get(address, url(i + 1000));
    serverTimes.length = 0;
    const cpu: number[] = [];
    for (let i = 0; i < count; i++) {
      await before?.(i);
      const cpu0 = process.cpuUsage();
      statuses.add((await get(address, url(i))).statusCode);
      const used = process.cpuUsage(cpu0);
      cpu.push((used.user + used.system) / 1000);
    }
    return { server: [...serverTimes], cpu };
  };
  const list = await run(listUrl, n);
  const funnel = await run(funnelUrl, Math.max(40, Math.floor(n / 2)));
  // Every request computing its figures: between two requests a case moves from new to qualified, as the
  // transition does (the case's stage and the stage event, in one transaction), so the figures change each time.
  const fresh = await ctx.db.selectFrom('newcomer_case').select(['id', 'territory_id']).where('stage', '=', 'nouveau').orderBy('number').limit(Math.max(40, Math.floor(n / 4))).execute();
  const funnelFresh = await run(funnelUrl, fresh.length, (i) =>
    ctx.db.transaction().execute(async (trx) => {
      const at = new Date(Date.parse('2026-11-27T10:00:00Z') + i * 60_000);
      await trx.updateTable('newcomer_case').set({ stage: 'qualifie', stage_changed_at: at, updated_at: at }).where('id', '=', fresh[i].id).execute();
      await trx.insertInto('case_stage_event').values({ territory_id: fresh[i].territory_id, case_id: fresh[i].id, from_stage: 'nouveau', to_stage: 'qualifie', at, by_user_id: null }).execute();
    }),
  );
  const sample = await get(address, '/admin/accueil/chiffres?annee=2026');
  console.log(`Server time over a real socket, signed in as staff, accept-encoding br (statuses: ${[...statuses].join(', ')}; funnel page ${(sample.body.length / 1024).toFixed(0)} KB compressed)`);
  console.log(`load average now: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(line(`staff list, filters vary (${n})`, list.server));
  console.log(line('  CPU time of this process', list.cpu));
  console.log(line(`funnel page, year/tag vary (${funnel.server.length})`, funnel.server));
  console.log(line('  CPU time of this process', funnel.cpu));
  console.log(line(`funnel page, data changed each time (${funnelFresh.server.length})`, funnelFresh.server));
  console.log(line('  CPU time of this process', funnelFresh.cpu));
  if (database.kind === 'postgres') console.log('  (on PostgreSQL the database works in its own processes: its CPU is not in these figures)');

  // Throughput against a bare node:http server sending the same bytes (a child process, like the app's peers).
  const paths = { list: '/admin/accueil?etape=accompagne&financeur=' + seeded.tags[2], funnel: '/admin/accueil/chiffres?annee=2026' };
  const recorded: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
  for (const p of Object.values(paths)) {
    const r = await get(address, p);
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string' && !['content-length', 'connection', 'keep-alive', 'date', 'transfer-encoding'].includes(k)) h[k] = v;
    recorded[p] = { status: r.statusCode, headers: h, body: r.body.toString('base64') };
  }
  const responsesFile = path.join(dataDir, 'bare-responses.json');
  writeFileSync(responsesFile, JSON.stringify(recorded));
  const barePort = await freePort();
  const bare = spawnTsx('tests/bench/bare-server.ts', [responsesFile, String(barePort)], {});
  const bareUrl = `http://127.0.0.1:${barePort}`;
  for (let i = 0; ; i++) {
    const ok = await get(bareUrl, paths.list).then((r) => r.statusCode === 200, () => false);
    if (ok) break;
    if (i > 200) throw new Error('the bare server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const measure = async (url: string) => {
    const r = await autocannon({ url, connections: 4, duration: 4, headers });
    return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
  };
  console.log('\nThroughput, 4 connections, 4 s each (autocannon runs in this process, beside the app; the bare server in its own):');
  for (const [name, p] of Object.entries(paths)) {
    const appRun = await measure(address + p);
    const bareRun = await measure(bareUrl + p);
    console.log(
      `  ${name.padEnd(7)} app ${appRun.rps.toFixed(0).padStart(6)} req/s p99 ${String(appRun.p99).padStart(4)} ms | bare ${bareRun.rps.toFixed(0).padStart(6)} req/s p99 ${String(bareRun.p99).padStart(3)} ms | ratio ${((appRun.rps / bareRun.rps) * 100).toFixed(1)}%${appRun.errors ? ` | ${appRun.errors} errors` : ''}`,
    );
  }
  bare.kill('SIGTERM');
  agent.destroy();
  await app.close();
  await database.close();
  await drop();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();

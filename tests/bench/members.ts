/**
 * `npm run bench:members`: the directory's budgets (issue 9) with 10,000 synthetic members. A benchmark, not a test:
 * it prints figures and budgets, and fails only when something could not be measured.
 *
 *   npm run bench:members                                  # PGlite, in a fresh data folder
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:members
 *                                                          # PostgreSQL: a fresh database on that server, dropped afterwards
 *   npm run bench:members -- --pg                          # the same on TEST_DATABASE_URL or the local server
 *   npm run bench:members -- --members=10000 --n=300 --duration=5 --connections=50
 *
 * The members are written straight into the tables (the services would take minutes), then the real server runs in
 * its own process with the default configuration (access log at info, which gives the server time of each request)
 * and this process measures over HTTP:
 * 1. the directory searched by a signed-in active member with filters (`/annuaire?q=&competence=&commune=&epci=&langue=`),
 *    every request different: server time (Fastify's, from the access log) and client time, one at a time, p50/p95/p99
 *    against the 50 ms p95 budget; then the throughput at 10 connections;
 * 2. the public showcase (`/annuaire`, anonymous, from the page cache) against a bare node:http server sending the
 *    very same bytes in the same run, runs alternating, against the 40% budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql, type RootOperationNode } from 'kysely';
import pino from 'pino';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { LANGUAGES, skillKey } from '../../src/domains/members/profiles/profiles.schemas.js';
import { DEFAULT_VISIBILITY, searchTextFor, type ProfileRecord } from '../../src/domains/members/profiles/profiles.visibility.js';
import { actorFor, createUser } from '../support/factories.js';
import { signInOverHttp, startServer, type ServerProcess } from '../support/server-process.js';
import { cpuMs, createBenchDatabase, defaultAdminUrl, measure, percentile, type Raw, rawGet, rng, startBareServer, summary } from './support.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const adminUrl = process.env.DATABASE_URL ?? (process.argv.includes('--pg') ? defaultAdminUrl() : undefined);
const MEMBERS = Number(arg('members', '10000'));
const n = Number(arg('n', '300'));
const duration = Number(arg('duration', '5'));
const connections = Number(arg('connections', '50'));
const BUDGET = { searchP95Ms: 50, showcaseRatio: 0.4 };


const FIRST = ['Camille', 'Louis', 'Léa', 'Hugo', 'Chloé', 'Jules', 'Manon', 'Arthur', 'Inès', 'Paul', 'Sarah', 'Nathan', 'Émilie', 'Théo', 'Zoé', 'Lucas', 'Anaïs', 'Noé', 'Margaux', 'Yanis'];
const LAST = ['Dubois', 'Martin', 'Bernard', 'Lacoste', 'Duprat', 'Sempé', 'Laffitte', 'Garcia', 'Moreau', 'Castéra', 'Abadie', 'Fontan', 'Lasserre', 'Barthe', 'Cazaux', 'Daguzan', 'Soulé', 'Pujol', 'Rey', 'Tournier'];
const ACTIVITIES = [
  'Développeuse web indépendante',
  'Graphiste et illustratrice',
  'Traducteur technique anglais-français',
  'Consultante en ressources humaines',
  'Photographe de reportage',
  'Comptable en cabinet à distance',
  'Formateur en bureautique',
  'Architecte d’intérieur',
  'Rédactrice et correctrice',
  'Chef de projet informatique',
  'Coach sportif et préparateur',
  'Menuisier ébéniste',
  'Data analyst en télétravail',
  'Community manager',
  'Juriste en droit des affaires',
];
const SECTORS = ['Numérique', 'Communication', 'Conseil', 'Artisanat', 'Santé', 'Formation', 'Culture', 'Bâtiment'];
const SKILL_WORDS = ['Développement web', 'Accessibilité', 'Graphisme', 'Illustration', 'Traduction', 'Comptabilité', 'Photographie', 'Retouche', 'Rédaction', 'Correction', 'Gestion de projet', 'Formation', 'Bureautique', 'Menuiserie', 'Ébénisterie', 'Analyse de données', 'SEO', 'Réseaux sociaux', 'Droit des affaires', 'Ressources humaines', 'Coaching', 'Architecture intérieure', 'Vidéo', 'Montage', 'Marketing', 'Cybersécurité', 'Python', 'JavaScript', 'UX design', 'Anglais', 'Espagnol', 'Occitan', 'Permaculture', 'Apiculture', 'Œnologie', 'Cuisine', 'Yoga', 'Musique', 'Secrétariat', 'Paie'];
const BIOS = [
  'Installée dans le Gers depuis deux ans, je travaille pour des clients de toute la France.',
  'Sites accessibles pour les artisans et les associations du territoire.',
  'Ancien parisien, je propose mes services aux entreprises locales et aux collectivités.',
  'Passionné de randonnée et de vieilles pierres, disponible pour des missions courtes.',
  'J’accompagne les petites structures dans leur transformation numérique.',
];

/** 10,000 members (90% with a profile, a fifth of those in the public showcase), periods, skills; then `analyze`. */
async function seed(ctx: AppContext) {
  const random = rng(9);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const territoryId = ctx.territory.id;
  const now = new Date('2026-11-20T09:00:00Z');
  const communes = (await ctx.db.selectFrom('commune').select('insee').where('territory_id', '=', territoryId).execute()).map((c) => c.insee);
  const plan = await ctx.db
    .insertInto('member_plan')
    .values({ territory_id: territoryId, name: 'Individuel', price_cents: 3000, period: 'calendar_year', needs_approval: true, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const viewer = await createUser(ctx, { email: 'membre@bench.example', name: 'Membre Bench', roles: ['member'] });
  const tags = await ctx.db
    .insertInto('member_tag')
    .values(SKILL_WORDS.map((label) => ({ territory_id: territoryId, key: skillKey(label), label, created_at: now })))
    .returning(['id', 'label'])
    .execute();

  const batch = 1000;
  for (let from = 0; from < MEMBERS; from += batch) {
    const members = [];
    const plans: { first: string; last: string; activity: string; insee: string; active: boolean; profile: boolean }[] = [];
    for (let i = from; i < Math.min(MEMBERS, from + batch); i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const activity = pick(ACTIVITIES);
      const insee = pick(communes);
      plans.push({ first, last, activity, insee, active: i === 0 || random() < 0.85, profile: i === 0 || random() < 0.9 });
      members.push({
        territory_id: territoryId,
        number: i + 1,
        user_id: i === 0 ? viewer.id : null,
        plan_id: plan.id,
        first_name: first,
        last_name: last,
        activity,
        insee,
        outside_territory: false,
        state: 'approved' as const,
        decided_at: now,
        card_token: `bench-card-token-${String(i).padStart(8, '0')}`,
        accepted_statutes_at: now,
        accepted_privacy_at: now,
        created_at: now,
        updated_at: now,
      });
    }
    const ids = (await ctx.db.insertInto('member').values(members).returning('id').execute()).map((r) => r.id);
    const payments = await ctx.db
      .insertInto('member_payment')
      .values(ids.map((member_id, k) => ({ territory_id: territoryId, member_id, plan_id: plan.id, plan_name: 'Individuel', payer_name: `${plans[k].first} ${plans[k].last}`, amount_cents: 3000, paid_on: plans[k].active ? '2026-02-01' : '2025-02-01', method: 'cheque' as const, receipt_year: plans[k].active ? 2026 : 2025, receipt_seq: from + k + 1, recorded_at: now })))
      .returning(['id', 'member_id'])
      .execute();
    await ctx.db
      .insertInto('membership_period')
      .values(payments.map((p, k) => ({ territory_id: territoryId, member_id: p.member_id, payment_id: p.id, starts_on: plans[k].active ? '2026-01-01' : '2025-01-01', ends_on: plans[k].active ? '2026-12-31' : '2025-12-31' })))
      .execute();

    const profiles = [];
    const profileTags: { member_id: string; tag_id: number; position: number }[] = [];
    for (let k = 0; k < ids.length; k++) {
      const p = plans[k];
      if (!p.profile) continue;
      const showcase = random() < 0.2;
      const visibility = { ...DEFAULT_VISIBILITY, ...(showcase ? { name: 'public', activity: 'public', skills: 'public', commune: 'public' } : {}), ...(random() < 0.3 ? { bio: 'public' } : {}) } as ProfileRecord['visibility'];
      const skills = [...new Set(Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(tags)))];
      const languages = ['fr', ...(random() < 0.4 ? [pick(LANGUAGES.slice(1))] : [])];
      const record: ProfileRecord = {
        memberId: ids[k],
        slug: '',
        active: true,
        publicShowcase: showcase,
        visibility,
        name: `${p.first} ${p.last}`,
        photoId: null,
        activity: p.activity,
        sector: pick(SECTORS),
        skills: skills.map((s) => s.label),
        bio: pick(BIOS),
        commune: { insee: p.insee, name: '' },
        website: null,
        languages,
        email: null,
        phone: null,
        openToBusiness: random() < 0.5,
        buddyOpen: random() < 0.15,
        contactOpen: true,
      };
      profiles.push({
        member_id: ids[k],
        territory_id: territoryId,
        slug: `${skillKey(record.name).replace(/ /g, '-')}-${from + k + 1}`,
        display_name: record.name,
        sector: record.sector,
        bio: record.bio,
        languages,
        open_to_business: record.openToBusiness,
        buddy_open: record.buddyOpen,
        contact_open: true,
        public_showcase: showcase,
        visibility: JSON.stringify(visibility),
        search_public: searchTextFor(record, 'public'),
        search_members: searchTextFor(record, 'members'),
        created_at: now,
        updated_at: now,
      });
      skills.forEach((s, position) => profileTags.push({ member_id: ids[k], tag_id: s.id, position }));
    }
    await ctx.db.insertInto('member_profile').values(profiles).execute();
    await ctx.db.insertInto('member_profile_tag').values(profileTags).execute();
  }
  // Statistics as a running database would have them after autovacuum.
  await sql`analyze`.execute(ctx.db);
  return { viewer, communes, epcis: (await ctx.db.selectFrom('epci').select('siren').execute()).map((e) => e.siren) };
}

/** The directory searches of a member, every one different: words, a skill, a commune or EPCI, a language. */
function searchUrl(i: number, communes: string[], epcis: string[]) {
  const q = new URLSearchParams();
  const words = ['developpement', 'graphiste', 'traduction', 'comptable', 'photographie', 'formation', 'menuiserie', 'données', 'projet', 'accessibles'];
  if (i % 4 !== 3) q.set('q', words[i % words.length]);
  if (i % 3 !== 2) q.set('competence', SKILL_WORDS[(i * 7) % SKILL_WORDS.length]);
  if (i % 5 === 0) q.set('commune', communes[(i * 13) % communes.length]);
  else if (i % 5 === 1) q.set('epci', epcis[i % epcis.length]);
  if (i % 6 === 2) q.set('langue', 'en');
  if (i % 7 === 4) q.set('parrain', '1');
  if (i % 8 === 5) q.set('page', '2');
  return `/annuaire?${q}`;
}

/**
 * `--explain`: every query one directory search sends (the service's, as a signed-in member), each EXPLAIN ANALYZEd
 * five times in this process before any HTTP, with the median planning and execution times, and the median time of
 * the whole service call. For fixing a budget: which query reads every member, which one costs its planning.
 */
async function explainSearches(ctx: AppContext, viewer: { id: string }, communes: string[], epcis: string[]) {
  const { searchMembersDirectory } = await import('../../src/domains/members/profiles/profiles.service.js');
  const { DirectoryQuery } = await import('../../src/domains/members/profiles/profiles.schemas.js');
  const actor = actorFor(ctx, viewer, ['member']);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const totals = { plan: 0, exec: 0, service: 0, queries: 0, searches: 0 };
  for (const i of [0, 1, 3, 5, 7]) {
    const url = searchUrl(i, communes, epcis);
    const query = DirectoryQuery.parse(Object.fromEntries(new URL(url, 'http://x').searchParams));
    const nodes: RootOperationNode[] = [];
    const spied = { ...ctx, db: ctx.db.withPlugin({ transformQuery: (a) => (nodes.push(a.node), a.node), transformResult: async (a) => a.result }) } as AppContext;
    await searchMembersDirectory(spied, actor, query);
    // Kysely hands a subquery to the plugin too: keep the queries sent, whose nodes are not inside another.
    const captured = nodes.filter((node) => !nodes.some((other) => other !== node && JSON.stringify(other).includes(JSON.stringify(node))));
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      await searchMembersDirectory(ctx, actor, query);
      runs.push(performance.now() - t0);
    }
    console.log(`\n${url}: service call median ${median(runs).toFixed(1)} ms, ${captured.length} queries`);
    totals.service += median(runs);
    totals.searches++;
    for (const node of captured) {
      const compiled = ctx.db.getExecutor().compileQuery(node, { queryId: 'explain' });
      const plans: number[] = [];
      const execs: number[] = [];
      let text = '';
      for (let r = 0; r < 5; r++) {
        const res = await ctx.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, costs off) ${compiled.sql}`, [...compiled.parameters]));
        text = res.rows.map((row) => row['QUERY PLAN']).join('\n');
        plans.push(Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? 0));
        execs.push(Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? 0));
      }
      totals.plan += median(plans);
      totals.exec += median(execs);
      totals.queries++;
      console.log(`  planning ${median(plans).toFixed(2).padStart(6)} ms  execution ${median(execs).toFixed(2).padStart(6)} ms  ${compiled.sql.replace(/\s+/g, ' ').slice(0, 110)}`);
      if (process.argv.includes('--plans')) console.log(text.replace(/^/gm, '      '));
    }
  }
  console.log(`\nper search (mean of ${totals.searches}): service ${(totals.service / totals.searches).toFixed(1)} ms; ${(totals.queries / totals.searches).toFixed(1)} queries, planning ${(totals.plan / totals.searches).toFixed(1)} ms + execution ${(totals.exec / totals.searches).toFixed(1)} ms`);
}

/** Waits until the server answers a health check quickly: no request of a previous run still queued. */
async function drained(url: string) {
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await rawGet(`${url}/healthz`);
    if (performance.now() - t0 < 50) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const database = adminUrl ? await createBenchDatabase('bench_members', adminUrl) : null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-bench-members-'));
  const vars: Record<string, string> = { DATA_DIR: dataDir, DEMO: '0', JOBS: '0', LOG_LEVEL: 'info', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01', ...(database ? { DATABASE_URL: database.url } : {}) };
  const engine = database ? 'PostgreSQL' : 'PGlite';
  let app: ServerProcess | null = null;
  let bare: import('node:child_process').ChildProcess | null = null;
  const say = (line = '') => console.log(line);
  try {
    // Seeding in this process, on the database the server then opens (PGlite: the same data folder, closed first).
    const seeding = performance.now();
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...vars });
    const ctx = await openContext(config, { log: pino({ level: 'silent' }) as unknown as AppContext['log'] });
    const seeded = await seed(ctx);
    if (process.argv.includes('--explain')) {
      await explainSearches(ctx, seeded.viewer, seeded.communes, seeded.epcis);
      await ctx.database.close();
      return;
    }
    await ctx.database.close();
    const seededS = (performance.now() - seeding) / 1000;

    app = await startServer(vars);
    await app.waitHealthy(300_000);
    // Server time from the access log (`"route":"/annuaire",...,"ms":…`); the rest of the output is dropped.
    app.child.stdout!.removeAllListeners('data');
    let collecting = false;
    const serverMs: number[] = [];
    let pending = '';
    app.child.stdout!.on('data', (chunk: Buffer) => {
      if (!collecting) return;
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /"route":"\/annuaire","status":(\d+),"ms":([\d.]+)/.exec(line);
        if (m) serverMs.push(Number(m[2]));
      }
    });
    const cookie = await signInOverHttp(app.url, seeded.viewer.email, seeded.viewer.password);
    const member = { cookie, 'accept-encoding': 'br, gzip' };
    const anonymous = { 'accept-encoding': 'br, gzip' };
    const check = await rawGet(app.url + searchUrl(0, seeded.communes, seeded.epcis), member);
    if (check.status !== 200) throw new Error(`the directory answered ${check.status} to the member`);
    const sample = await rawGet(app.url + '/annuaire?q=developpement', { cookie });
    const found = /<p role="status">([^<]*)<\/p>/.exec(sample.body.toString())?.[1];

    say(`Members' directory on ${engine}: ${MEMBERS} synthetic members seeded in ${seededS.toFixed(1)} s; ${os.cpus().length} cores, Node ${process.version}`);
    say(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine lowers every figure: compare ratios within one run)`);
    say(`sample: a member searching "developpement" reads "${found ?? '?'}"`);
    say();

    // 1. Searches, one at a time over a kept-alive connection, every one different.
    const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 20; i++) await rawGet(app.url + searchUrl(1000 + i, seeded.communes, seeded.epcis), member, keepAlive);
    await new Promise((r) => setTimeout(r, 300));
    collecting = true;
    const cpu0 = cpuMs(app.pid);
    const clientMs: number[] = [];
    const statuses = new Set<number>();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await rawGet(app.url + searchUrl(i, seeded.communes, seeded.epcis), member, keepAlive);
      clientMs.push(performance.now() - t0);
      statuses.add(r.status);
    }
    await new Promise((r) => setTimeout(r, 500)); // the log is written asynchronously
    collecting = false;
    const searchCpu = (cpuMs(app.pid) - cpu0) / n;
    keepAlive.destroy();
    say(`1. Directory search with filters, signed-in member, one at a time (${n} searches, all different; statuses ${[...statuses].join(', ')})`);
    say(summary(`server time (${serverMs.length} logged)`, serverMs, BUDGET.searchP95Ms));
    say(summary('client time (keep-alive)', clientMs));
    say(`  server process CPU: ${searchCpu.toFixed(1)} ms per search${database ? ' (PostgreSQL works in its own processes: not counted)' : ' (PGlite included)'}`);
    const requests = Array.from({ length: 200 }, (_, i) => ({ path: searchUrl(i, seeded.communes, seeded.epcis) }));
    await measure(app.url, member, 10, 1, requests); // warm-up
    const loaded = await measure(app.url, member, 10, duration, requests);
    await drained(app.url);
    say(`  under load, 10 connections: ${loaded.rps.toFixed(0)} req/s, p50 ${loaded.p50} ms, p97.5 ${loaded.p975} ms, p99 ${loaded.p99} ms${loaded.errors ? `, ${loaded.errors} errors/non-2xx` : ''}`);
    say();

    // 2. The public showcase for visitors against a bare server sending its very bytes.
    const showcase = await rawGet(`${app.url}/annuaire`, anonymous);
    if (showcase.status !== 200) throw new Error(`the showcase answered ${showcase.status}`);
    const responses: Record<string, Raw> = { '/annuaire': showcase };
    const started = await startBareServer(dataDir, responses);
    bare = started.child;
    await measure(`${app.url}/annuaire`, anonymous, connections, 2); // warm-up
    await measure(`${started.url}/annuaire`, anonymous, connections, 2);
    await drained(app.url);
        let showcaseRequests = 0;
    const appRuns = [];
    const bareRuns = [];
    let showcaseCpu = 0;
    for (let round = 0; round < 2; round++) {
      const before = cpuMs(app.pid);
      appRuns.push(await measure(`${app.url}/annuaire`, anonymous, connections, duration));
      showcaseCpu += cpuMs(app.pid) - before;
      showcaseRequests += appRuns[round].total;
      bareRuns.push(await measure(`${started.url}/annuaire`, anonymous, connections, duration));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const appRps = mean(appRuns.map((r) => r.rps));
    const bareRps = mean(bareRuns.map((r) => r.rps));
    const ratio = appRps / bareRps;
    say(`2. Public showcase /annuaire for visitors (${(showcase.body.length / 1024).toFixed(1)} KB ${showcase.headers['content-encoding'] ?? 'raw'}), ${connections} connections, runs alternate app, bare`);
    say(`  app  ${appRps.toFixed(0).padStart(6)} req/s  p99 ${String(Math.max(...appRuns.map((r) => r.p99))).padStart(4)} ms${appRuns.some((r) => r.errors) ? '  errors/non-2xx!' : ''}`);
    say(`  app server CPU: ${(showcaseCpu / Math.max(1, showcaseRequests)).toFixed(2)} ms per request`);
    say(`  bare ${bareRps.toFixed(0).padStart(6)} req/s  p99 ${String(Math.max(...bareRuns.map((r) => r.p99))).padStart(4)} ms`);
    say(`  ratio ${(ratio * 100).toFixed(0)}%   budget ≥ ${BUDGET.showcaseRatio * 100}% ${ratio >= BUDGET.showcaseRatio ? 'ok' : 'OVER BUDGET'}`);
    say();
    say('| engine | search p95 server | search p95 client | search CPU/request | search req/s (10 conn.) | showcase req/s | bare req/s | ratio |');
    say('|---|---|---|---|---|---|---|---|');
    const p95 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 95).toFixed(1);
    say(`| ${engine} | ${p95(serverMs)} ms | ${p95(clientMs)} ms | ${searchCpu.toFixed(1)} ms | ${loaded.rps.toFixed(0)} | ${appRps.toFixed(0)} | ${bareRps.toFixed(0)} | ${(ratio * 100).toFixed(0)}% |`);
    say(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    bare?.kill('SIGTERM');
    await app?.stop('SIGTERM');
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);

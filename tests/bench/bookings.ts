/**
 * `npm run bench:bookings`: the bookings' budgets (issue 11) with a year of synthetic bookings at a third place of
 * 20 resources. A benchmark, not a test: it prints figures and budgets, and fails only when something could not be
 * measured.
 *
 *   npm run bench:bookings                                 # PGlite, in a fresh data folder
 *   npm run bench:bookings -- --pg                         # PostgreSQL: a fresh database (TEST_DATABASE_URL's server
 *                                                          # or the local one), dropped afterwards
 *   npm run bench:bookings -- --n=300 --occupancy=0.6 --duration=5 --explain
 *
 * The resources and bookings are written straight into the tables (the services would take minutes): 20 resources
 * (two open spaces of 12 desks, meeting rooms, the studio, machines, two of them inside a room), opening hours on
 * weekdays and Saturday mornings, and from six months ago to six months ahead bookings filling about 60% of the
 * opening hours (a few cancelled, a few staff blocks). Then the real server runs in its own process with the
 * default configuration (access log at info, which gives the server time of each request) and this process
 * measures over HTTP, signed in as a member, one request at a time, every request different:
 * 1. the week grid of one resource (`/reservations/:slug?date=…&vue=semaine`, an uncached page);
 * 2. the availability API for a month (31 days) of each of the 20 resources in turn
 *    (`/api/v1/reservations/ressources/:id/disponibilites?from=…&to=…`);
 * each as server time (Fastify's, from the access log) p50/p95/p99 against the 30 ms p95 budget, client time, and
 * the server process's CPU per request; then a bare node:http server sending the grid's very bytes, at 10
 * connections against the grid in the same run (the ratio, not the absolute figure, is what compares across runs).
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
import type { OpeningHours } from '../../src/db/schema.js';
import { addDays, isoWeekday, parisDay, parisTime } from '../../src/shared/time.js';
import { createUser } from '../support/factories.js';
import { signInOverHttp, startServer, type ServerProcess } from '../support/server-process.js';
import { cpuMs, createBenchDatabase, defaultAdminUrl, measure, percentile, rawGet, rng, startBareServer, summary } from './support.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const adminUrl = process.env.DATABASE_URL ?? (process.argv.includes('--pg') ? defaultAdminUrl() : undefined);
const n = Number(arg('n', '300'));
const OCCUPANCY = Number(arg('occupancy', '0.6'));
const duration = Number(arg('duration', '5'));
const connections = Number(arg('connections', '10'));
const BUDGET_P95_MS = 30;

type Kind = 'desk' | 'meeting_room' | 'studio' | 'machine';
interface Plan {
  slug: string;
  name: string;
  kind: Kind;
  capacity: number;
  parent?: string;
  slot: 15 | 30 | 60;
  min: number;
  max: number;
}

/** La Fabrique's 20 resources: what a large third place rents. */
const RESOURCES: Plan[] = [
  { slug: 'open-space-haut', name: 'Open space du haut', kind: 'desk', capacity: 12, slot: 60, min: 60, max: 600 },
  { slug: 'open-space-bas', name: 'Open space du bas', kind: 'desk', capacity: 12, slot: 60, min: 60, max: 600 },
  ...['Garonne', 'Baïse', 'Gers', 'Arrats', 'Save', 'Gimone'].map((r, i) => ({ slug: `salle-${i + 1}`, name: `Salle ${r}`, kind: 'meeting_room' as const, capacity: 1, slot: 30 as const, min: 60, max: 480 })),
  { slug: 'bureau-1', name: 'Bureau fermé 1', kind: 'meeting_room', capacity: 1, slot: 30, min: 60, max: 600 },
  { slug: 'bureau-2', name: 'Bureau fermé 2', kind: 'meeting_room', capacity: 1, slot: 30, min: 60, max: 600 },
  { slug: 'studio', name: 'Studio image et son', kind: 'studio', capacity: 1, slot: 30, min: 60, max: 480 },
  { slug: 'atelier', name: 'Atelier fabrication', kind: 'meeting_room', capacity: 1, slot: 60, min: 60, max: 600 },
  { slug: 'laser', name: 'Découpeuse laser', kind: 'machine', capacity: 1, parent: 'atelier', slot: 30, min: 30, max: 240 },
  { slug: 'fraiseuse', name: 'Fraiseuse numérique', kind: 'machine', capacity: 1, parent: 'atelier', slot: 30, min: 30, max: 240 },
  { slug: 'imprimante-3d-1', name: 'Imprimante 3D 1', kind: 'machine', capacity: 1, slot: 60, min: 60, max: 600 },
  { slug: 'imprimante-3d-2', name: 'Imprimante 3D 2', kind: 'machine', capacity: 1, slot: 60, min: 60, max: 600 },
  { slug: 'brodeuse', name: 'Brodeuse numérique', kind: 'machine', capacity: 1, slot: 30, min: 30, max: 240 },
  { slug: 'plotter', name: 'Plotter de découpe vinyle', kind: 'machine', capacity: 1, slot: 30, min: 30, max: 240 },
  { slug: 'machine-a-coudre', name: 'Machine à coudre', kind: 'machine', capacity: 1, slot: 30, min: 30, max: 240 },
  { slug: 'thermopresse', name: 'Thermopresse', kind: 'machine', capacity: 1, slot: 15, min: 15, max: 120 },
];

const weekday = [{ from: '08:30', to: '12:30' }, { from: '13:30', to: '19:00' }];
const HOURS: OpeningHours = { '1': weekday, '2': weekday, '3': weekday, '4': weekday, '5': weekday, '6': [{ from: '09:00', to: '13:00' }] };
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** One third place, its 20 resources and a year of bookings around today; then `analyze`. */
async function seed(ctx: AppContext) {
  const random = rng(11);
  const territoryId = ctx.territory.id;
  const now = new Date();
  const today = parisDay(now);
  const member = await createUser(ctx, { email: 'membre@bench.example', name: 'Membre Bench', roles: ['member'] });
  const others = [];
  for (let i = 0; i < 40; i++) others.push((await createUser(ctx, { email: `adherent${i}@bench.example`, roles: ['member'] })).id);
  const place = await ctx.db
    .insertInto('third_place')
    .values({ territory_id: territoryId, slug: 'la-fabrique-bench', name: 'La Fabrique (banc d’essai)', commune_insee: '32013', commune_name: 'Auch', lat: 43.64, lon: 0.58, status: 'published', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids = new Map<string, number>();
  for (const p of RESOURCES) {
    const row = await ctx.db
      .insertInto('booking_resource')
      .values({
        territory_id: territoryId,
        place_id: place.id,
        parent_id: p.parent ? ids.get(p.parent)! : null,
        slug: p.slug,
        name: p.name,
        kind: p.kind,
        capacity: p.capacity,
        description: `${p.name}, au rez-de-chaussée.`,
        equipment: '',
        opening_hours: JSON.stringify(HOURS),
        slot_minutes: p.slot,
        min_minutes: p.min,
        max_minutes: p.max,
        member_horizon_days: 365,
        visitor_horizon_days: 30,
        notice_minutes: 60,
        cancel_hours: 24,
        member_hour_cents: 500,
        hour_cents: 800,
        audience: p.kind === 'machine' ? 'members' : 'visitors',
        requires_authorisation: false,
        active: true,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(p.slug, row.id);
  }
  // A maintenance closure now and then, as a space manager enters them.
  await ctx.db
    .insertInto('booking_closure')
    .values(
      RESOURCES.filter((_, i) => i % 4 === 0).map((p, i) => ({
        resource_id: ids.get(p.slug)!,
        period: sql<string>`tstzrange(${parisTime(addDays(today, 10 + i * 9), 0)}, ${parisTime(addDays(today, 12 + i * 9), 0)}, '[)')`,
        reason: 'Maintenance',
        created_at: now,
      })),
    )
    .execute();

  // From six months ago to six months ahead: each open day of each resource filled to about OCCUPANCY of its hours.
  const first = addDays(today, -182);
  const last = addDays(today, 183);
  type Row = { resource_id: number; start: Date; end: Date; exclusive: boolean; kind: 'booking' | 'block'; status: 'confirmed' | 'cancelled'; user_id: string | null };
  let rows: Row[] = [];
  let total = 0;
  const flush = async () => {
    if (!rows.length) return;
    await ctx.db
      .insertInto('booking')
      .values(
        rows.map((r) => ({
          territory_id: territoryId,
          resource_id: r.resource_id,
          period: sql<string>`tstzrange(${r.start}, ${r.end}, '[)')`,
          exclusive: r.exclusive,
          kind: r.kind,
          status: r.status,
          audience: r.kind === 'block' ? ('staff' as const) : ('member' as const),
          user_id: r.user_id,
          note: '',
          booked_by: r.user_id,
          created_at: new Date(r.start.getTime() - 7 * 86_400_000),
          confirmed_at: new Date(r.start.getTime() - 7 * 86_400_000),
          cancelled_at: r.status === 'cancelled' ? new Date(r.start.getTime() - 86_400_000) : null,
        })),
      )
      .execute();
    total += rows.length;
    rows = [];
  };
  for (const p of RESOURCES) {
    const resourceId = ids.get(p.slug)!;
    for (let day = first; day <= last; day = addDays(day, 1)) {
      const ranges = HOURS[String(isoWeekday(day)) as keyof OpeningHours] ?? [];
      for (const range of ranges) {
        const from = minutesOf(range.from);
        const to = minutesOf(range.to);
        if (p.capacity > 1) {
          // Desks: each desk taken for the half-day or a few hours with the occupancy's probability.
          for (let desk = 0; desk < p.capacity; desk++) {
            if (random() >= OCCUPANCY) continue;
            const hours = random() < 0.6 ? (to - from) / 60 : 1 + Math.floor(random() * Math.max(1, (to - from) / 60 - 1));
            const startAt = from + Math.floor(random() * Math.max(1, (to - from) / 60 - hours + 1)) * 60;
            const end = Math.min(to, startAt + Math.floor(hours) * 60);
            if (end <= startAt) continue;
            rows.push({ resource_id: resourceId, start: parisTime(day, 0, startAt), end: parisTime(day, 0, end), exclusive: false, kind: 'booking', status: random() < 0.08 ? 'cancelled' : 'confirmed', user_id: others[Math.floor(random() * others.length)] });
          }
          continue;
        }
        // A single-use resource: bookings of allowed lengths, separated by free gaps, filling about OCCUPANCY.
        let m = from;
        while (m < to) {
          const length = Math.max(p.min, Math.min(p.max, p.slot * Math.round((60 + random() * 120) / p.slot)));
          const gap = p.slot * Math.round(((length * (1 - OCCUPANCY)) / OCCUPANCY) * (0.5 + random()) / p.slot);
          const start = m + (random() < 0.5 ? gap : 0);
          const end = Math.min(to, start + length);
          if (end - start >= p.min) {
            const block = random() < 0.03;
            rows.push({
              resource_id: resourceId,
              start: parisTime(day, 0, start),
              end: parisTime(day, 0, end),
              exclusive: true,
              kind: block ? 'block' : 'booking',
              status: !block && random() < 0.08 ? 'cancelled' : 'confirmed',
              user_id: block ? null : others[Math.floor(random() * others.length)],
            });
          }
          m = end + (start === m ? gap : 0);
        }
      }
      if (rows.length >= 2000) await flush();
    }
  }
  await flush();
  // Statistics as a running database would have them after autovacuum.
  await sql`analyze`.execute(ctx.db);
  return { member, ids, bookings: total, today };
}

/** The week grid of one resource, a different week (and resource) for each request. */
const gridUrl = (i: number, today: string) => `/reservations/${RESOURCES[(i * 7) % RESOURCES.length].slug}?date=${addDays(today, (i % 26) * 7 + (i % 5))}&vue=semaine`;
/** A month of one resource's availability, the 20 resources in turn, starting on a different day each round. */
const apiUrl = (i: number, ids: Map<string, number>, today: string) => {
  const from = addDays(today, Math.floor(i / RESOURCES.length) * 3);
  return `/api/v1/reservations/ressources/${ids.get(RESOURCES[i % RESOURCES.length].slug)}/disponibilites?from=${from}&to=${addDays(from, 30)}`;
};

/** `--explain`: the plans of the queries the grid of the atelier (a room with machines) sends, in this process. */
async function explainGrid(ctx: AppContext, today: string) {
  const service = await import('../../src/domains/bookings/reservations/reservations.service.js');
  const nodes: RootOperationNode[] = [];
  const db = ctx.db.withPlugin({ transformQuery: (a) => (nodes.push(a.node), a.node), transformResult: async (a) => a.result });
  const actor = { userId: null, territoryId: ctx.territory.id, roles: new Set<never>() };
  const t0 = performance.now();
  await service.getGrid({ ...ctx, db } as AppContext, actor, 'atelier', { date: addDays(today, 14), vue: 'semaine' });
  console.log(`grid of the atelier: ${(performance.now() - t0).toFixed(1)} ms in the service, ${nodes.length} queries`);
  for (const node of nodes) {
    const compiled = ctx.db.getExecutor().compileQuery(node, { queryId: 'explain' });
    const plan = await ctx.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, costs off) ${compiled.sql}`, [...compiled.parameters]));
    console.log(`\n${compiled.sql.replace(/\s+/g, ' ').slice(0, 200)}\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
  }
}

async function main() {
  const database = adminUrl ? await createBenchDatabase('bench_bookings', adminUrl) : null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-bench-bookings-'));
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
    if (process.argv.includes('--explain')) await explainGrid(ctx, seeded.today);
    await ctx.database.close();
    const seededS = (performance.now() - seeding) / 1000;

    app = await startServer(vars);
    await app.waitHealthy(300_000);
    // Server time from the access log; the rest of the output is dropped.
    app.child.stdout!.removeAllListeners('data');
    let collecting: RegExp | null = null;
    let serverMs: number[] = [];
    let pending = '';
    app.child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      if (!collecting) return;
      for (const line of lines) {
        const m = collecting.exec(line);
        if (m) serverMs.push(Number(m[1]));
      }
    });
    const cookie = await signInOverHttp(app.url, seeded.member.email, seeded.member.password);
    const member = { cookie, 'accept-encoding': 'br, gzip' };
    const check = await rawGet(app.url + gridUrl(1, seeded.today), member);
    if (check.status !== 200) throw new Error(`the week grid answered ${check.status} to the member`);
    const api = await rawGet(app.url + apiUrl(0, seeded.ids, seeded.today), { cookie });
    if (api.status !== 200) throw new Error(`the availability API answered ${api.status}: ${api.body.toString().slice(0, 300)}`);
    const days = (JSON.parse(api.body.toString()) as { days: { slots: { state: string }[] }[] }).days;
    const states = new Map<string, number>();
    for (const d of days) for (const s of d.slots) states.set(s.state, (states.get(s.state) ?? 0) + 1);

    say(`Bookings on ${engine}: 20 resources, ${seeded.bookings} synthetic bookings over a year (occupancy ${OCCUPANCY * 100}% of opening hours) seeded in ${seededS.toFixed(1)} s; ${os.cpus().length} cores, Node ${process.version}`);
    say(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine lowers every figure: compare ratios within one run)`);
    say(`sample: a month of the first open space has ${[...states].map(([k, v]) => `${v} ${k}`).join(', ')} slots`);
    say();

    const oneAtATime = async (label: string, urlOf: (i: number) => string, route: RegExp) => {
      const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 20; i++) await rawGet(app!.url + urlOf(10_000 + i), member, keepAlive);
      await new Promise((r) => setTimeout(r, 300));
      serverMs = [];
      collecting = route;
      const cpu0 = cpuMs(app!.pid);
      const clientMs: number[] = [];
      const statuses = new Set<number>();
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const r = await rawGet(app!.url + urlOf(i), member, keepAlive);
        clientMs.push(performance.now() - t0);
        statuses.add(r.status);
      }
      await new Promise((r) => setTimeout(r, 500)); // the log is written asynchronously
      collecting = null;
      const cpu = (cpuMs(app!.pid) - cpu0) / n;
      keepAlive.destroy();
      say(`${label} (${n} requests, all different; statuses ${[...statuses].join(', ')})`);
      say(summary(`server time (${serverMs.length} logged)`, serverMs, BUDGET_P95_MS));
      say(summary('client time (keep-alive)', clientMs));
      say(`  server process CPU: ${cpu.toFixed(1)} ms per request${database ? ' (PostgreSQL works in its own processes: not counted)' : ' (PGlite included)'}`);
      const p95 = percentile([...serverMs].sort((a, b) => a - b), 95);
      return { p95, client95: percentile([...clientMs].sort((a, b) => a - b), 95), cpu };
    };

    const grid = await oneAtATime('1. Week grid of one resource, signed-in member, one at a time', (i) => gridUrl(i, seeded.today), /"route":"\/reservations\/:slug","status":\d+,"ms":([\d.]+)/);
    say();
    const month = await oneAtATime('2. Availability API, a month of each of the 20 resources in turn, one at a time', (i) => apiUrl(i, seeded.ids, seeded.today), /"route":"\/api\/v1\/reservations\/ressources\/:id\/disponibilites","status":\d+,"ms":([\d.]+)/);
    say();

    // 3. Under load: the grid at 10 connections against a bare node:http server sending one grid's very bytes.
    const one = gridUrl(3, seeded.today);
    const bytes = await rawGet(app.url + one, member);
    const started = await startBareServer(dataDir, { [one]: bytes });
    bare = started.child;
    const requests = Array.from({ length: 200 }, (_, i) => ({ path: gridUrl(i, seeded.today) }));
    await measure(app.url, member, connections, 1, requests); // warm-up
    await measure(started.url + one, member, connections, 1);
    const before = cpuMs(app.pid);
    const loaded = await measure(app.url, member, connections, duration, requests);
    const loadedCpu = (cpuMs(app.pid) - before) / Math.max(1, loaded.total);
    const ceiling = await measure(started.url + one, member, connections, duration);
    say(`3. Week grids under load, ${connections} connections, ${duration} s, against a bare node:http server sending one grid's bytes (${(bytes.body.length / 1024).toFixed(1)} KB ${bytes.headers['content-encoding'] ?? 'raw'})`);
    say(`  app  ${loaded.rps.toFixed(0).padStart(6)} req/s  p50 ${loaded.p50} ms  p97.5 ${loaded.p975} ms  p99 ${loaded.p99} ms  server CPU ${loadedCpu.toFixed(2)} ms per request${loaded.errors ? `  ${loaded.errors} errors/non-2xx` : ''}`);
    say(`  bare ${ceiling.rps.toFixed(0).padStart(6)} req/s  p99 ${ceiling.p99} ms`);
    say(`  ratio ${((loaded.rps / ceiling.rps) * 100).toFixed(1)}% of bare node:http`);
    say();
    say('| engine | grid p95 server | grid p95 client | grid CPU/request | month API p95 server | month API p95 client | month API CPU/request | grid req/s (10 conn.) | bare req/s | ratio |');
    say('|---|---|---|---|---|---|---|---|---|---|');
    say(
      `| ${engine} | ${grid.p95.toFixed(1)} ms | ${grid.client95.toFixed(1)} ms | ${grid.cpu.toFixed(1)} ms | ${month.p95.toFixed(1)} ms | ${month.client95.toFixed(1)} ms | ${month.cpu.toFixed(1)} ms | ${loaded.rps.toFixed(0)} | ${ceiling.rps.toFixed(0)} | ${((loaded.rps / ceiling.rps) * 100).toFixed(1)}% |`,
    );
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

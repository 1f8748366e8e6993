/**
 * `npm run bench:registration`: one-click registrations of signed-in members under 50 connections (issue 10's
 * budget: p95 under 100 ms), on the real server in its own process. A benchmark, not a test: it prints figures and
 * budgets, and fails only when something could not be measured or an event ends up overbooked.
 *
 *   npm run bench:registration                        # PGlite, in a fresh data folder
 *   npm run bench:registration -- --pg                # PostgreSQL: a fresh database (TEST_DATABASE_URL or the local
 *                                                     # server), dropped afterwards
 *   npm run bench:registration -- --members=2000 --connections=50 --events=10
 *   npm run bench:registration -- --cpu-prof=/tmp/prof   # the server's CPU profile (.cpuprofile) written there at its end
 *   npm run bench:registration -- --cold              # each registration is its session's first request (see below)
 *
 * Before the server starts, this process writes the members straight into the tables (accounts with the `member`
 * role and an open session each: signing 2,000 people in over HTTP would measure Argon2) and makes the events through
 * the staff's use cases. Then each member POSTs `/agenda/:slug/inscrire` once, with the form's CSRF token computed
 * as the server does (HMAC of the cookie's seed and the session), 50 requests in flight at all times, in two runs:
 * 1. spread: half the members over `--events` events, one of which is small and fills (the rest join its waiting list);
 * 2. hot: the other half on one event whose capacity is 90% of them (the last tenth waits).
 * Before each run, every member of it opens the event's page (GET, signed in, not measured), as members do before they
 * click: the form and its token are on that page, and people wait on it for registrations to open. The server then
 * knows their sessions (decision 0033). `--cold` leaves that out: each registration is then the first request of its
 * session, whose lookup is one more query (batched per turn of the event loop), as after a restart of the server.
 * Before them, `--warmup` more members (100 by default) register for an event of their own, not measured: the server's
 * first requests compile its code (V8, and PGlite's WebAssembly), which a server that has been running has done.
 * Client time is measured here, server time read from the access log (`"route":"/agenda/:slug/inscrire",…,"ms":…`).
 * Afterwards the database must show, for every event, confirmed + offered seats ≤ capacity and one registration per
 * member, and the waiting lists in a gapless order.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { publishedEvent } from '../../src/domains/events/events.testing.js';
import { hashToken } from '../../src/shared/tokens.js';
import { createUser } from '../support/factories.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { createBenchDatabase, defaultAdminUrl, percentile } from './support.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const adminUrl = process.env.DATABASE_URL ?? (process.argv.includes('--pg') ? defaultAdminUrl() : undefined);
const MEMBERS = Number(arg('members', '2000'));
const CONNECTIONS = Number(arg('connections', '50'));
const EVENTS = Number(arg('events', '10'));
const WARMUP = Number(arg('warmup', '100'));
const BUDGET_P95_MS = 100;
const SECRET = 'bench-secret-bench-secret-bench-secret-01';
const ROUTE = '/agenda/:slug/inscrire';
const cpuProfDir = arg('cpu-prof', '');
const COLD = process.argv.includes('--cold');

/** CPU time a process has used so far (user + system), from /proc. */
function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface Member {
  cookie: string;
  csrf: string;
}

/** Accounts with the member role and a live session each, in batches; the CSRF token as `src/web/csrf.ts` signs it. */
async function seedMembers(ctx: AppContext, count: number): Promise<Member[]> {
  const now = new Date();
  const expires = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  const members: Member[] = [];
  const batch = 500;
  for (let from = 0; from < count; from += batch) {
    const size = Math.min(batch, count - from);
    const users = await ctx.db
      .insertInto('user_account')
      .values(Array.from({ length: size }, (_, k) => ({ email: `membre${from + k}@bench.example`, password_hash: null, display_name: `Membre ${from + k}`, locale: 'fr' as const, email_verified_at: now, created_at: now, territory_id: ctx.territory.id })))
      .returning('id')
      .execute();
    await ctx.db.insertInto('role_grant').values(users.map((u) => ({ territory_id: ctx.territory.id, user_id: u.id, role: 'member' as const, granted_at: now, granted_by: null }))).execute();
    const sessions = users.map((u) => ({ userId: u.id, token: randomBytes(32).toString('base64url'), seed: randomBytes(24).toString('base64url') }));
    await ctx.db.insertInto('session').values(sessions.map((s) => ({ token_hash: hashToken(s.token), user_id: s.userId, created_at: now, last_seen_at: now, expires_at: expires, user_agent: 'bench' }))).execute();
    for (const s of sessions) {
      members.push({ cookie: `sid=${s.token}; csrf=${s.seed}`, csrf: createHmac('sha256', SECRET).update(`csrf:${s.seed}:${s.token}`).digest('base64url') });
    }
  }
  return members;
}

interface Plan {
  label: string;
  /** Each request: a member and an event's slug. */
  requests: { member: Member; slug: string }[];
  events: { id: number; slug: string; capacity: number }[];
}

async function seedEvents(ctx: AppContext, members: Member[], warmMembers: Member[]): Promise<{ warm: Plan; plans: Plan[] }> {
  const staff = await createUser(ctx, { email: 'equipe@bench.example', roles: ['staff'] });
  const warmRow = await publishedEvent(ctx, staff.id, { titre: 'Mise en route', places: String(Math.max(1, warmMembers.length)), public: 'members' });
  const warm: Plan = { label: 'warm-up', requests: warmMembers.map((member) => ({ member, slug: warmRow.slug })), events: [{ id: warmRow.id, slug: warmRow.slug, capacity: Math.max(1, warmMembers.length) }] };
  const half = Math.floor(members.length / 2);
  const spreadMembers = members.slice(0, half);
  const hotMembers = members.slice(half);
  const perEvent = Math.ceil(spreadMembers.length / EVENTS);
  const spread: Plan = { label: `spread over ${EVENTS} events`, requests: [], events: [] };
  for (let e = 0; e < EVENTS; e++) {
    // The first event is small and fills: the others have room for everyone who asks.
    const capacity = e === 0 ? Math.max(1, Math.floor(perEvent / 5)) : perEvent + 10;
    const row = await publishedEvent(ctx, staff.id, { titre: `Atelier ${e + 1}`, places: String(capacity), public: 'members' });
    spread.events.push({ id: row.id, slug: row.slug, capacity });
  }
  spreadMembers.forEach((member, i) => spread.requests.push({ member, slug: spread.events[i % EVENTS].slug }));
  const hotCapacity = Math.floor(hotMembers.length * 0.9);
  const hotRow = await publishedEvent(ctx, staff.id, { titre: 'Petit-déjeuner des solos', places: String(hotCapacity), public: 'members' });
  const hot: Plan = { label: 'one hot event', requests: hotMembers.map((member) => ({ member, slug: hotRow.slug })), events: [{ id: hotRow.id, slug: hotRow.slug, capacity: hotCapacity }] };
  return { warm, plans: [spread, hot] };
}

/** A member's click on "register" (POST with the form's token), or the event's page they open before (GET). */
function send(agent: Agent, base: string, slug: string, member: Member, step: 'open' | 'register'): Promise<number> {
  const url = step === 'open' ? `${base}/agenda/${slug}` : `${base}/agenda/${slug}/inscrire`;
  const body = step === 'open' ? '' : `_csrf=${encodeURIComponent(member.csrf)}&places=1`;
  const headers = step === 'open' ? { cookie: member.cookie } : { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: step === 'open' ? 'GET' : 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every request of the plan once, `CONNECTIONS` in flight at all times over kept-alive connections. */
async function run(base: string, plan: Plan, step: 'open' | 'register' = 'register') {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const clientMs: number[] = [];
  const statuses = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < plan.requests.length) {
        const r = plan.requests[next++];
        const t0 = performance.now();
        const status = await send(agent, base, r.slug, r.member, step).then(String, (e: Error) => e.message);
        clientMs.push(performance.now() - t0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { clientMs, statuses, seconds };
}

/** What the database holds afterwards: seats against capacity, one registration per member, gapless lines. */
async function check(ctx: AppContext, plan: Plan) {
  const problems: string[] = [];
  let confirmed = 0;
  let waiting = 0;
  for (const e of plan.events) {
    const rows = await ctx.db.selectFrom('event_registration').select(['status', 'seats', 'user_id', 'queue_position']).where('event_id', '=', e.id).execute();
    const held = rows.filter((r) => r.status === 'confirmed' || r.status === 'offered').reduce((s, r) => s + r.seats, 0);
    if (held > e.capacity) problems.push(`${e.slug}: ${held} seats held for ${e.capacity} (OVERBOOKED)`);
    if (new Set(rows.map((r) => r.user_id)).size !== rows.length) problems.push(`${e.slug}: someone registered twice`);
    const expected = plan.requests.filter((r) => r.slug === e.slug).length;
    if (rows.length !== expected) problems.push(`${e.slug}: ${rows.length} registrations for ${expected} requests`);
    const positions = rows.map((r) => r.queue_position!).sort((a, b) => a - b);
    if (positions.some((p, i) => p !== i + 1)) problems.push(`${e.slug}: the line has gaps or duplicates`);
    confirmed += rows.filter((r) => r.status === 'confirmed').length;
    waiting += rows.filter((r) => r.status === 'waiting').length;
  }
  return { problems, confirmed, waiting };
}

function summary(label: string, xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const p95 = percentile(s, 95);
  return { line: `  ${label.padEnd(28)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  p99 ${percentile(s, 99).toFixed(1).padStart(6)} ms`, p95 };
}

async function main() {
  const database = adminUrl ? await createBenchDatabase('bench_registration', adminUrl) : null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-bench-registration-'));
  const vars: Record<string, string> = { DATA_DIR: dataDir, DEMO: '0', JOBS: '0', LOG_LEVEL: 'info', SESSION_SECRET: SECRET, ...(database ? { DATABASE_URL: database.url } : {}) };
  const engine = database ? 'PostgreSQL' : 'PGlite';
  let app: ServerProcess | null = null;
  const say = (line = '') => console.log(line);
  let failed = false;
  try {
    const seeding = performance.now();
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...vars });
    let ctx = await openContext(config, { log: pino({ level: 'silent' }) as unknown as AppContext['log'] });
    const everyone = await seedMembers(ctx, MEMBERS + WARMUP);
    const { warm, plans } = await seedEvents(ctx, everyone.slice(0, MEMBERS), everyone.slice(MEMBERS));
    await ctx.database.close();
    const seededS = (performance.now() - seeding) / 1000;

    app = await startServer(vars, { nodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [] });
    await app.waitHealthy(300_000);
    app.child.stdout!.removeAllListeners('data');
    let serverMs: number[] = [];
    let pending = '';
    const pattern = new RegExp(`"route":"${ROUTE}","status":(\\d+),"ms":([\\d.]+)`);
    app.child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = pattern.exec(line);
        if (m) serverMs.push(Number(m[2]));
      }
    });

    say(`One-click registrations on ${engine}: ${MEMBERS} signed-in members and ${EVENTS + 1} events seeded in ${seededS.toFixed(1)} s; ${CONNECTIONS} connections; ${os.cpus().length} cores, Node ${process.version}`);
    if (warm.requests.length) {
      const w = await run(app.url, warm);
      say(`warm-up, not measured: ${warm.requests.length} registrations for an event of their own in ${w.seconds.toFixed(1)} s`);
    }
    say(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine raises every figure)`);
    const table: string[] = [];
    // The server reads the database again once the run is over: open a context of our own only after it stops.
    const results: { plan: Plan; statuses: Map<string, number>; client: ReturnType<typeof summary>; server: ReturnType<typeof summary>; rps: number; cpu: number }[] = [];
    for (const plan of plans) {
      if (!COLD) {
        const opened = await run(app.url, plan, 'open');
        const refused = [...opened.statuses].filter(([s]) => s !== '200');
        if (refused.length) throw new Error(`the event's page did not open for everyone: ${refused.map(([s, c]) => `${s} × ${c}`).join(', ')}`);
      }
      serverMs = [];
      const cpu0 = cpuMs(app.pid);
      const r = await run(app.url, plan);
      const cpu = (cpuMs(app.pid) - cpu0) / plan.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 500)); // the access log is written asynchronously
      results.push({ plan, statuses: r.statuses, client: summary('client time', r.clientMs), server: summary(`server time (${serverMs.length} logged)`, serverMs), rps: plan.requests.length / r.seconds, cpu });
    }
    await app.stop('SIGTERM');
    app = null;
    ctx = await openContext(config, { log: pino({ level: 'silent' }) as unknown as AppContext['log'] });
    for (const { plan, statuses, client, server, rps, cpu } of results) {
      const checked = await check(ctx, plan);
      const errors = [...statuses].filter(([s]) => s !== '303').reduce((n, [, c]) => n + c, 0);
      say();
      say(`${plan.label}${COLD ? ', first request of each session' : ', each member on the page first'}: ${plan.requests.length} registrations, ${rps.toFixed(0)} per second; answers ${[...statuses].map(([s, c]) => `${s} × ${c}`).join(', ')}`);
      say(client.line + `   budget p95 < ${BUDGET_P95_MS} ms ${client.p95 < BUDGET_P95_MS ? 'ok' : 'OVER BUDGET'}`);
      say(server.line);
      say(`  server process CPU: ${cpu.toFixed(1)} ms per registration${database ? ' (PostgreSQL works in its own processes: not counted)' : ' (PGlite included)'}`);
      say(`  afterwards: ${checked.confirmed} confirmed, ${checked.waiting} waiting; ${checked.problems.length ? checked.problems.join('; ') : 'no event overbooked, one registration per member, lines without gaps'}`);
      if (checked.problems.length || errors) failed = true;
      table.push(`| ${engine} | ${plan.label}${COLD ? ' (cold sessions)' : ''} | ${plan.requests.length} | ${rps.toFixed(0)} | ${percentileText(client.line)} | ${percentileText(server.line)} | ${cpu.toFixed(1)} ms | ${errors} | ${checked.problems.length ? 'NO' : 'yes'} |`);
    }
    await ctx.database.close();
    say();
    say('| engine | run | registrations | per second | client p50 / p95 / p99 | server p50 / p95 / p99 | CPU per registration | errors | no overbooking |');
    say('|---|---|---|---|---|---|---|---|---|');
    for (const row of table) say(row);
    say(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await app?.stop('SIGTERM');
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) throw new Error('errors or an overbooked event: see above');
}

const percentileText = (line: string) => [...line.matchAll(/([\d.]+) ms/g)].map((m) => m[1]).join(' / ') + ' ms';

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);

/**
 * `npm run bench:signed-in`: the pages people use after they sign in (issue 12), on the real server with the demo
 * data, against what the same run measures for the anonymous cached commune page and for a bare node:http server
 * sending that page's very bytes. A benchmark, not a test: it prints figures and budgets, and fails only when
 * something could not be measured.
 *
 *   npm run bench:signed-in                           # PGlite (a fresh demo data folder)
 *   npm run bench:signed-in -- --pg                   # PostgreSQL: a fresh database (TEST_DATABASE_URL or
 *                                                     # postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards
 *   npm run bench:signed-in -- --duration=5 --connections=10,50 --only=village,finder,week-grid
 *
 * The server runs with the default configuration (access log at info) in its own process; autocannon runs in this
 * one, on the same cores, as `npm run bench` does. Members, events and bookings add their pages to `pages` below.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signInOverHttp, startServer, type ServerProcess } from '../support/server-process.js';
import { cpuMs, createBenchDatabase, measure, rawGet, startBareServer } from './support.js';

type Who = 'member' | 'staff' | 'partner' | 'anonymous';

interface Page {
  name: string;
  who: Who;
  /** The path, or how to find it once signed in (the demo's first case, for example). */
  path: string | ((find: (who: Who, path: string, pattern: RegExp) => Promise<string>) => Promise<string>);
  /** Budgets of the issue: requests per second at 50 connections, p97.5 (autocannon has no p95) at 10. */
  budget?: { minRps50?: number; p975Ms10?: number; aloneMs?: number };
}

const pages: Page[] = [
  { name: 'village', who: 'member', path: '/villages/32013', budget: { minRps50: 600, aloneMs: 3 } },
  { name: 'finder', who: 'member', path: '/villages' },
  { name: 'finder search', who: 'member', path: '/villages?min_toulouse=60&medecin=1&prix_max=2000' },
  { name: 'case list', who: 'staff', path: '/admin/accueil', budget: { p975Ms10: 50 } },
  { name: 'board', who: 'staff', path: '/admin/accueil/tableau', budget: { p975Ms10: 50 } },
  {
    name: 'case page',
    who: 'staff',
    path: (find) => find('staff', '/admin/accueil', /href="(\/admin\/accueil\/[0-9a-f-]{36})"/),
    budget: { p975Ms10: 50 },
  },
  { name: 'figures', who: 'staff', path: '/admin/accueil/chiffres' },
  { name: 'partner cases', who: 'partner', path: '/partenaire' },
  // Members, events and bookings: what a member and the staff open once signed in.
  { name: 'directory', who: 'member', path: '/annuaire' },
  { name: 'agenda', who: 'member', path: '/agenda' },
  { name: 'account', who: 'member', path: '/compte' },
  { name: 'my bookings', who: 'member', path: '/compte/reservations' },
  { name: 'my registrations', who: 'member', path: '/compte/inscriptions' },
  { name: 'propose an event', who: 'member', path: '/agenda/proposer' },
  { name: 'proposals (team)', who: 'staff', path: '/admin/agenda/propositions' },
  { name: 'agenda (team)', who: 'staff', path: '/admin/agenda' },
  { name: 'week grid', who: 'member', path: '/reservations/dynamo-salle-armagnac?vue=semaine' },
  { name: 'members list', who: 'staff', path: '/admin/adherents' },
];

const EMAILS: Record<Exclude<Who, 'anonymous'>, string> = {
  member: 'solo@demo.soho-solo.fr',
  staff: 'accueil@demo.soho-solo.fr',
  partner: 'partenaire@demo.soho-solo.fr',
};
const DEMO_PASSWORD = 'demo-gers-2026';
const REFERENCE = '/villages/32013';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const usePg = process.argv.includes('--pg');
const duration = Number(arg('duration', '5'));
const levels = arg('connections', '10,50').split(',').map(Number);
const only = arg('only', '').split(',').filter(Boolean);
const selected = pages.filter((p) => !only.length || only.includes(p.name.replace(/ /g, '-')) || only.includes(p.name));

/** One request at a time, nothing else in flight: the page's own cost plus one round trip. */
async function alone(url: string, headers: Record<string, string>, n = 40) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await rawGet(url, headers);
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n / 2)], p90: times[Math.floor(n * 0.9)] };
}

/**
 * Waits until the server answers a health check quickly: a heavy page at 50 connections leaves requests queued
 * after autocannon stops, and the next page's run would only measure their tail.
 */
async function drained(url: string) {
  for (let i = 0; i < 150; i++) {
    const t0 = performance.now();
    await rawGet(`${url}/healthz`);
    if (performance.now() - t0 < 50) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const database = usePg ? await createBenchDatabase('bench_signed_in') : { url: undefined, drop: async () => {} };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-bench-signed-in-'));
  const vars: Record<string, string> = { DATA_DIR: dataDir, DEMO: '1', JOBS: '0', LOG_LEVEL: 'info', ...(database.url ? { DATABASE_URL: database.url } : {}) };
  let app: ServerProcess | null = null;
  let bare: import('node:child_process').ChildProcess | null = null;
  const say = (line = '') => console.log(line);
  try {
    app = await startServer(vars);
    await app.waitHealthy(300_000);
    // The server keeps its output for the tests that read it: here the access log would only fill memory.
    app.child.stdout!.removeAllListeners('data');
    app.child.stdout!.resume();
    const cookies: Record<Who, string> = { anonymous: '', member: '', staff: '', partner: '' };
    for (const who of ['member', 'staff', 'partner'] as const) cookies[who] = await signInOverHttp(app.url, EMAILS[who], DEMO_PASSWORD);
    const headersOf = (who: Who): Record<string, string> => ({ 'accept-encoding': 'br, gzip', ...(cookies[who] ? { cookie: cookies[who] } : {}) });
    const find = async (who: Who, page: string, pattern: RegExp) => {
      const r = await rawGet(app!.url + page, { cookie: cookies[who] });
      const m = pattern.exec(r.body.toString());
      if (!m) throw new Error(`nothing matching ${pattern} on ${page}`);
      return m[1];
    };
    const paths = new Map<Page, string>();
    for (const p of selected) {
      const resolved = typeof p.path === 'string' ? p.path : await p.path(find);
      const r = await rawGet(app.url + resolved, headersOf(p.who));
      if (r.status !== 200) throw new Error(`${resolved} answered ${r.status} to the ${p.who}`);
      paths.set(p, resolved);
    }

    // The ceiling: a bare node:http server sending the anonymous commune page's bytes and headers.
    const reference = await rawGet(app.url + REFERENCE, headersOf('anonymous'));
    const started = await startBareServer(dataDir, { [REFERENCE]: reference });
    bare = started.child;
    const bareUrl = started.url;

    say(`Signed-in pages on ${usePg ? 'PostgreSQL' : 'PGlite'}, demo data, default logging; ${os.cpus().length} cores, Node ${process.version}, ${duration} s per run`);
    say(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine lowers every figure: compare ratios within one run)`);
    say();
    say(`One request alone (client side, new connection each time; server CPU per request from /proc, ${usePg ? 'PostgreSQL’s own processes not counted' : 'PGlite included'})`);
    for (const p of selected) {
      const cpu0 = cpuMs(app.pid);
      const a = await alone(app.url + paths.get(p)!, headersOf(p.who));
      const cpu = (cpuMs(app.pid) - cpu0) / 40;
      const budget = p.budget?.aloneMs;
      say(`  ${p.name.padEnd(14)} ${p.who.padEnd(8)} p50 ${a.p50.toFixed(1).padStart(6)} ms  p90 ${a.p90.toFixed(1).padStart(6)} ms  server CPU ${cpu.toFixed(1).padStart(5)} ms${budget ? `   budget < ${budget} ms ${a.p50 < budget ? 'ok' : 'OVER BUDGET'}` : ''}`);
    }

    for (const connections of levels) {
      say();
      say(`${connections} connections`);
      await measure(app.url + REFERENCE, headersOf('anonymous'), connections, 1); // warm-up
      const anon = await measure(app.url + REFERENCE, headersOf('anonymous'), connections, duration);
      const ceiling = await measure(bareUrl + REFERENCE, headersOf('anonymous'), connections, duration);
      const row = (label: string, m: Awaited<ReturnType<typeof measure>>, extra = '') =>
        say(
          `  ${label.padEnd(24)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${String(m.p50).padStart(4)} ms  p97.5 ${String(m.p975).padStart(4)} ms  p99 ${String(m.p99).padStart(4)} ms` +
            `  ${((m.rps / ceiling.rps) * 100).toFixed(1).padStart(5)}% of bare  ${((m.rps / anon.rps) * 100).toFixed(1).padStart(5)}% of anonymous${m.errors ? `  ${m.errors} errors/non-2xx` : ''}${extra}` +
            (m.total === 0 ? '  (no response within the run: lengthen --duration)' : ''),
        );
      row('bare node:http', ceiling);
      row('anonymous commune page', anon);
      for (const p of selected) {
        const url = app.url + paths.get(p)!;
        await drained(app.url);
        await measure(url, headersOf(p.who), connections, 1); // warm-up
        await drained(app.url);
        const cpu0 = cpuMs(app.pid);
        const m = await measure(url, headersOf(p.who), connections, duration);
        const cpu = m.total ? (cpuMs(app.pid) - cpu0) / m.total : 0;
        const checks: string[] = [];
        if (p.budget?.minRps50 && connections === 50) checks.push(`budget ≥ ${p.budget.minRps50} req/s ${m.rps >= p.budget.minRps50 ? 'ok' : 'OVER BUDGET'}`);
        if (p.budget?.p975Ms10 && connections === 10) checks.push(`budget p97.5 < ${p.budget.p975Ms10} ms ${m.p975 < p.budget.p975Ms10 ? 'ok' : 'OVER BUDGET'}`);
        row(`${p.name} (${p.who})`, m, `  server CPU ${cpu.toFixed(1)} ms/req${checks.length ? `  | ${checks.join(', ')}` : ''}`);
      }
    }
    say();
    say(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    bare?.kill('SIGTERM');
    await app?.stop('SIGTERM');
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

/**
 * `npm run profile -- /villages/32013`: where one page's CPU goes, measured on the real server under load.
 *
 * Starts the server (a child process, `node --cpu-prof`) on a demo data folder, signs in as a demo account,
 * loads the page with autocannon, stops the server (which writes the V8 CPU profile) and prints a summary:
 * throughput and latency, then the functions and the parts of the stack (project code, packages, Node,
 * WebAssembly of the embedded database, garbage collection) that took the CPU. How to read it: docs/profiling.md.
 *
 *   npm run profile -- /villages/32013                    # signed in as the demo member (solo@…)
 *   npm run profile -- /admin/accueil --as=accueil        # as the demo staff member; --as=anonyme: no session
 *   npm run profile -- /villages/32013 --data=/tmp/prof   # reuse (or prepare once) a demo data folder: faster
 *   options: --seconds=10 --connections=10 --top=25 --out=tmp/profiles --log-level=info --database-url=postgres://…
 *
 * The .cpuprofile file stays in --out (default tmp/profiles/): open it in Chromium's DevTools (Performance panel,
 * "Load profile") or https://www.speedscope.app for the flame graph.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signInOverHttp, startServer, repoRoot } from '../tests/support/server-process.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const target = args.find((a) => a.startsWith('/')) ?? '/villages/32013';
const as = arg('as', 'solo');
const seconds = Number(arg('seconds', '10'));
const connections = Number(arg('connections', '10'));
const top = Number(arg('top', '25'));
const outDir = path.resolve(repoRoot, arg('out', 'tmp/profiles'));
const databaseUrl = arg('database-url', '');
const DEMO_PASSWORD = 'demo-gers-2026';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** User + system CPU time of a process so far, in ms (Linux). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Where a frame's code lives: the project's own files, a package, Node itself, the database's WebAssembly, V8. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'V8: garbage collection';
    if (functionName === '(idle)') return 'idle (waiting for work)';
    if (functionName === '(program)') return 'V8: compiling, native code';
    if (/^\$?func\d+|^\$?\w+\.wasm/.test(functionName) || functionName.startsWith('$')) return 'WebAssembly (PGlite)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('wasm://')) return 'WebAssembly (PGlite)';
  if (url.startsWith('node:')) return 'Node.js core';
  const file = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return `package: ${pkg[1]}`;
  const rel = path.relative(repoRoot, file);
  if (!rel.startsWith('..')) return `project: ${rel.split(path.sep).slice(0, rel.startsWith('src/domains/') ? 3 : 2).join('/')}`;
  return file;
}

const frameKey = (f: CallFrame) => {
  const file = f.url ? f.url.replace(/^file:\/\//, '').replace(`${repoRoot}/`, '') : '';
  return `${f.functionName || '(anonymous)'}${file ? `  ${file}:${f.lineNumber + 1}` : ''}`;
};

/** Self time per function and per area, and total (inclusive) time per function of the project. */
export function summarise(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    all += dt;
    self.set(frameKey(node.callFrame), (self.get(frameKey(node.callFrame)) ?? 0) + dt);
    areas.set(areaOf(node.callFrame), (areas.get(areaOf(node.callFrame)) ?? 0) + dt);
    // Total time: each function once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url.includes('/src/')) continue;
      const key = frameKey(f);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { busyUs: all, idleUs: idle, self: sorted(self), areas: sorted(areas), total: sorted(total) };
}

function print(summary: ReturnType<typeof summarise>, requests: number) {
  const pct = (us: number) => `${((us / summary.busyUs) * 100).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
  console.log(`\nCPU busy ${(summary.busyUs / 1000).toFixed(0)} ms, idle ${(summary.idleUs / 1000).toFixed(0)} ms` + (requests ? `; ${(summary.busyUs / 1000 / requests).toFixed(2)} ms of CPU per request (${requests} requests, warm-up included)` : ''));
  console.log('\nBy area (self time: where the CPU actually was)');
  for (const [k, v] of summary.areas.slice(0, 15)) console.log(`  ${pct(v)} ${ms(v)}  ${k}`);
  console.log(`\nTop ${top} functions by self time`);
  for (const [k, v] of summary.self.slice(0, top)) console.log(`  ${pct(v)} ${ms(v)}  ${k}`);
  console.log(`\nTop ${top} project functions by total time (self + what they call)`);
  for (const [k, v] of summary.total.slice(0, top)) console.log(`  ${pct(v)} ${ms(v)}  ${k}`);
}

async function main() {
  const given = arg('data', '');
  const dataDir = given ? path.resolve(given) : mkdtempSync(path.join(os.tmpdir(), 'accueil-profile-'));
  mkdirSync(outDir, { recursive: true });
  // The default configuration (access log at info), unless --log-level says otherwise.
  const vars: Record<string, string> = { DATA_DIR: dataDir, DEMO: '1', JOBS: '0', LOG_LEVEL: arg('log-level', 'info'), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  if (!existsSync(path.join(dataDir, 'pglite')) && !databaseUrl) {
    // The first start prepares the folder in a child process (migrations, territory, demo): not what we profile.
    console.log(`Preparing a demo data folder in ${dataDir} (once; pass --data=${dataDir} next time)…`);
    const first = await startServer(vars);
    await first.waitHealthy(300_000);
    await first.stop('SIGTERM');
  }
  const before = new Set(readdirSync(outDir));
  const app = await startServer(vars, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${outDir}`] });
  let requests = 0;
  try {
    await app.waitHealthy(120_000);
    // Read and drop the server's log lines (the server process keeps them for tests that read them).
    app.child.stdout!.removeAllListeners('data');
    app.child.stdout!.resume();
    const cookie = as === 'anonyme' ? '' : await signInOverHttp(app.url, `${as}@demo.soho-solo.fr`, DEMO_PASSWORD);
    const headers: Record<string, string> = { 'accept-encoding': 'br, gzip', ...(cookie ? { cookie } : {}) };
    const first = await fetch(app.url + target, { headers, redirect: 'manual' });
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`${target} answered ${first.status} as ${as}`);
    // One request alone (nothing else in flight), then the load.
    const alone: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await (await fetch(app.url + target, { headers })).arrayBuffer();
      alone.push(performance.now() - t0);
    }
    alone.sort((a, b) => a - b);
    const cpu0 = processCpuMs(app.pid);
    const r = await autocannon({ url: app.url + target, connections, duration: seconds, headers });
    const cpuMs = processCpuMs(app.pid) - cpu0;
    requests = 51 + r.requests.total;
    console.log(`${target} as ${as}, ${connections} connections, ${seconds} s, ${databaseUrl ? 'PostgreSQL' : 'PGlite'}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    console.log(`  one request alone: p50 ${alone[25].toFixed(1)} ms, p90 ${alone[45].toFixed(1)} ms (client side, keep-alive off)`);
    console.log(`  under load: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx + r.errors} errors/non-2xx`);
    // The server's own CPU during the load only (from /proc, without start-up): little moved by other work on the machine.
    console.log(`  server CPU under load: ${(cpuMs / Math.max(1, r.requests.total)).toFixed(2)} ms per request (${r.requests.total} requests, ${(cpuMs / 1000).toFixed(1)} s of CPU)`);
  } finally {
    await app.stop('SIGTERM');
    if (!given) rmSync(dataDir, { recursive: true, force: true });
  }
  const written = readdirSync(outDir)
    .filter((f) => f.endsWith('.cpuprofile') && !before.has(f))
    .map((f) => path.join(outDir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!written.length) throw new Error('the server wrote no CPU profile');
  print(summarise(JSON.parse(readFileSync(written[0], 'utf8')) as CpuProfile), requests);
  console.log(`\nProfile: ${path.relative(process.cwd(), written[0])} (DevTools → Performance → Load profile, or speedscope.app)`);
}

main().catch((error) => {
  console.error(`profile failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

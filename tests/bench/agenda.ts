/**
 * `npm run bench:agenda`: the agenda's anonymous pages (`/agenda` and an event's page) on the real server with the
 * demo data, against a bare node:http server sending the very same bytes in the same run (budget: ≥ 40%). A
 * benchmark, not a test: it prints figures and budgets, and fails only when something could not be measured.
 *
 *   npm run bench:agenda                    # PGlite (a fresh demo data folder)
 *   npm run bench:agenda -- --pg            # PostgreSQL: a fresh database (TEST_DATABASE_URL's server), dropped afterwards
 *   npm run bench:agenda -- --duration=5 --connections=50
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { createBenchDatabase, measure, rawGet, startBareServer } from './support.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const usePg = process.argv.includes('--pg');
const duration = Number(arg('duration', '5'));
const connections = Number(arg('connections', '50'));
const MIN_RATIO = 0.4;
const headers = { 'accept-encoding': 'br, gzip' };

async function main() {
  const database = usePg ? await createBenchDatabase('bench_agenda') : { url: undefined, drop: async () => {} };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-bench-agenda-'));
  const vars: Record<string, string> = { DATA_DIR: dataDir, DEMO: '1', JOBS: '0', LOG_LEVEL: 'info', ...(database.url ? { DATABASE_URL: database.url } : {}) };
  let app: ServerProcess | null = null;
  let bare: Awaited<ReturnType<typeof startBareServer>> | null = null;
  const say = (line = '') => console.log(line);
  try {
    app = await startServer(vars);
    await app.waitHealthy(300_000);
    app.child.stdout!.removeAllListeners('data');
    app.child.stdout!.resume();
    const list = await rawGet(`${app.url}/agenda`);
    const slug = /href="\/agenda\/([a-z0-9-]+)"/.exec(list.body.toString().replace(/href="\/agenda\/(archives|flux|proposer)"/g, ''))?.[1];
    if (!slug) throw new Error('no event on /agenda: is the demo loaded?');
    const pagesToMeasure = ['/agenda', `/agenda/${slug}`];
    const answers: Record<string, Awaited<ReturnType<typeof rawGet>>> = {};
    for (const p of pagesToMeasure) {
      const r = await rawGet(app.url + p, headers);
      if (r.status !== 200) throw new Error(`${p} answered ${r.status}`);
      answers[p] = r;
    }
    bare = await startBareServer(dataDir, answers);
    say(`Agenda pages on ${usePg ? 'PostgreSQL' : 'PGlite'}, demo data, default logging; ${os.cpus().length} cores, Node ${process.version}, ${connections} connections, ${duration} s per run`);
    say(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine lowers every figure: compare ratios within one run)`);
    for (const p of pagesToMeasure) {
      await measure(app.url + p, headers, connections, 1); // warm-up
      await measure(bare.url + p, headers, connections, 1);
      const a = await measure(app.url + p, headers, connections, duration);
      const b = await measure(bare.url + p, headers, connections, duration);
      const ratio = a.rps / b.rps;
      say(
        `  ${p.padEnd(50)} app ${a.rps.toFixed(0).padStart(6)} req/s p97.5 ${String(a.p975).padStart(4)} ms | bare ${b.rps.toFixed(0).padStart(6)} req/s | ratio ${(ratio * 100).toFixed(0)}%` +
          `  budget ≥ ${MIN_RATIO * 100}% ${ratio >= MIN_RATIO ? 'ok' : 'OVER BUDGET'}${a.errors ? `  ${a.errors} errors/non-2xx` : ''}`,
      );
    }
    say(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    bare?.child.kill('SIGTERM');
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

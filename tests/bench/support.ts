/**
 * What the benchmarks share: a fresh PostgreSQL database per run, a GET that keeps the bytes as they travel, the
 * bare node:http baseline (bare-server.ts) started on recorded responses, percentiles.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, spawnTsx } from '../support/server-process.js';

/** The server a `--pg` run uses: TEST_DATABASE_URL, else the local one. */
export const defaultAdminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database on the server of `adminUrl`, so runs never see each other's rows; `drop` removes it. */
export async function createBenchDatabase(prefix: string, adminUrl = defaultAdminUrl()): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

export interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A GET without any decoding (fetch would decompress): the bytes as they travel. */
export function rawGet(url: string, headers: Record<string, string> = {}, agent: import('node:http').Agent | false = false): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode!, headers: flat, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Starts bare-server.ts (its own process) answering each path with the status, headers and bytes recorded from the
 * app; waits until it answers the first path. Returns its URL and the child to kill.
 */
export async function startBareServer(dir: string, responses: Record<string, Raw>) {
  const recorded: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
  for (const [p, r] of Object.entries(responses)) {
    const headers = { ...r.headers };
    for (const h of ['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']) delete headers[h];
    recorded[p] = { status: r.status, headers, body: r.body.toString('base64') };
  }
  const file = path.join(dir, 'bare-responses.json');
  writeFileSync(file, JSON.stringify(recorded));
  const port = await freePort();
  const child = spawnTsx('tests/bench/bare-server.ts', [file, String(port)], {});
  const url = `http://127.0.0.1:${port}`;
  const first = Object.keys(responses)[0];
  for (let i = 0; ; i++) {
    if (await rawGet(url + first).then((r) => r.status === recorded[first].status, () => false)) break;
    if (i > 200) {
      child.kill('SIGTERM');
      throw new Error('the bare server did not start');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child };
}

/** The p-th percentile of sorted values (nearest rank). */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A small deterministic generator, so both engines get the same synthetic data. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CPU time a process has used so far (user + system, in ms), from /proc: the figure least moved by other work on the machine. */
export function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in ticks of 1/100 s
}

/** p50, p95 and p99 of some timings on one line, with the verdict against a p95 budget when one is given. */
export function summary(label: string, xs: number[], budgetMs?: number) {
  const s = [...xs].sort((a, b) => a - b);
  const p95 = percentile(s, 95);
  const budget = budgetMs === undefined ? '' : `   budget p95 < ${budgetMs} ms ${p95 < budgetMs ? 'ok' : 'OVER BUDGET'}`;
  return `  ${label.padEnd(34)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  p99 ${percentile(s, 99).toFixed(1).padStart(6)} ms${budget}`;
}

/** One autocannon run: requests per second, latency percentiles, and errors, timeouts and non-2xx answers counted together. */
export async function measure(url: string, headers: Record<string, string>, connections: number, seconds: number, requests?: { path: string }[]) {
  const r = await autocannon({ url, connections, duration: seconds, headers, ...(requests ? { requests } : {}) });
  return { rps: r.requests.average, total: r.requests.total, p50: r.latency.p50, p975: r.latency.p97_5, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

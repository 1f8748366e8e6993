/**
 * Runs the whole suite: `npm test` on PGlite, `npm run test:pg` on PostgreSQL (TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres) in a fresh database dropped afterwards. Builds the migrated
 * template once, compiles the test files once with esbuild (compileTests below: plain node then loads each file
 * in about a second, against two and a half through tsx), then runs every *.test.ts / *.test.tsx with node:test.
 * Browser journeys (tests/e2e) run when Chromium is installed; otherwise one line says so and the rest runs.
 * A single file can still be run from its source: `npx tsx --test src/x.test.ts`.
 *
 *   tsx scripts/test.ts [--pg] [--no-e2e] [filter...]
 *
 * Files run in parallel processes: as many as cores on PGlite (each file's database runs inside its own process,
 * so the work is CPU-bound), twice as many on PostgreSQL (the server does part of the work in its own processes
 * and files wait on it). TEST_CONCURRENCY overrides both. The slowest files start first (durations of the
 * previous run on this machine, browser journeys first when none is known), so a long file never starts last
 * while the other slots sit idle; the run ends with the list of the slowest files.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, transform, type Plugin } from 'esbuild';
import { nodeBundle } from './bundle-options.mjs';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { chromiumPath } from '../tests/support/browser.js';
import { prepareTemplate } from '../tests/support/template.js';

const args = process.argv.slice(2);
const usePg = args.includes('--pg');
const noE2e = args.includes('--no-e2e');
const filters = args.filter((a) => !a.startsWith('--'));
const root = path.resolve(import.meta.dirname, '..');

function find(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(full).isDirectory()) find(full, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(path.relative(root, full));
  }
  return out;
}

let files = [...find(path.join(root, 'src')), ...find(path.join(root, 'tests'))].sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
const e2e = files.filter((f) => f.startsWith(path.join('tests', 'e2e')));
let unit = files.filter((f) => !e2e.includes(f));
const browser = chromiumPath();
let runE2e = !noE2e && e2e.length > 0;
if (runE2e && !browser) {
  console.log('Chromium not found (install it with `apt-get install -y chromium`): browser journeys skipped, running the rest.');
  runE2e = false;
}
if (runE2e) unit = [...e2e, ...unit];

// Longest first, from the durations the slowest-files reporter wrote at the end of the previous run of this engine.
const timesFile = path.join(os.tmpdir(), `accueil-test-times-${usePg ? 'pg' : 'pglite'}.json`);
const previous: Record<string, number> = existsSync(timesFile) ? (JSON.parse(readFileSync(timesFile, 'utf8')) as Record<string, number>) : {};
unit = unit.map((file, i) => ({ file, i, ms: previous[file] ?? Infinity })).sort((a, b) => b.ms - a.ms || a.i - b.i).map((x) => x.file);

const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', TZ: 'UTC' };
let cleanup = async () => {};

if (usePg) {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`PostgreSQL unreachable at ${adminUrl}: ${(error as Error).message}`);
    process.exit(1);
  }
  await admin.query(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  await prepareTemplate(db.db);
  await db.close();
  env.TEST_PG_TEMPLATE = name;
  env.TEST_DATABASE_URL = adminUrl;
  cleanup = async () => {
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${name}%`]);
    for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`);
    await admin.end();
  };
  console.log(`PostgreSQL run in fresh database ${name}`);
} else {
  const started = Date.now();
  const db = await openDatabase({ memory: true });
  await prepareTemplate(db.db);
  const dump = await db.pglite!.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `accueil-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  env.TEST_PGLITE_DUMP = file;
  // 45 MB per run: left in the temporary folder, CI machines fill up.
  cleanup = async () => rmSync(file, { force: true });
  console.log(`PGlite template ready in ${Date.now() - started} ms`);
}

/**
 * The test files compiled once for the run, so each file's process starts with plain node instead of tsx: through
 * tsx's loader, importing the app and its packages took ~2.6 s per file, against ~1.0 s from a bundle (measured on
 * this 2-core machine; running the bundle with tsx's loader still in place costs the same ~2.6 s: the loader's price
 * is paid on every module, packages included). One esbuild bundle with code splitting (~1 s for the whole suite):
 * each test file is an entry, the code they share lands in chunks, packages stay in node_modules.
 *
 * The layout is the one `npm start` builds (scripts/start.mjs, decision 0034) so that src/shared/paths.ts finds its
 * files the same way: a folder directly inside the repository holding `db/migrations/*.js` and
 * `first-start.child.js`. Each test file lands at its source path plus `.js` (`src/db/backup.test.ts.js`), which
 * the slowest-files reporter turns back into the source path. Everywhere else `import.meta` is replaced by the
 * source file's own location: tests and their support find fixtures, scripts and sources next to them, as when they
 * ran through tsx. Source maps are on (`--enable-source-maps`): a failure's stack names the .ts lines.
 */
async function compileTests(files: string[], outdir: string) {
  const src = path.join(root, 'src');
  const paths = path.join(src, 'shared', 'paths.ts');
  const tsconfigRaw = readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
  const sourceLocation: Plugin = {
    name: 'source-location',
    setup(b) {
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path === paths || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta')) return undefined;
        // `define` replaces the expressions only, never the same words inside a string (tests/ops/lint.test.ts).
        const define = {
          'import.meta.dirname': JSON.stringify(path.dirname(args.path)),
          'import.meta.filename': JSON.stringify(args.path),
          'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
        };
        const loader = args.path.endsWith('.tsx') ? 'tsx' : 'ts';
        const out = await transform(text, { loader, define, tsconfigRaw, sourcefile: args.path, sourcemap: 'inline' });
        return { contents: out.code, loader: 'js' };
      });
    },
  };
  const migrations = readdirSync(path.join(src, 'db', 'migrations')).filter((f) => f.endsWith('.ts'));
  await build({
    entryPoints: [
      ...files.map((f) => ({ in: path.join(root, f), out: f })),
      { in: path.join(src, 'first-start.child.ts'), out: 'first-start.child' },
      ...migrations.map((f) => ({ in: path.join(src, 'db', 'migrations', f), out: path.join('db', 'migrations', f.replace(/\.ts$/, '')) })),
    ],
    outdir,
    ...nodeBundle,
    plugins: [sourceLocation],
  });
  return files.map((f) => path.join(path.relative(root, outdir), `${f}.js`));
}

const buildDir = path.join(root, `.build-tests-${process.pid}`);
const compileStarted = Date.now();
const compiled = await compileTests(unit, buildDir);
const removeBuild = () => rmSync(buildDir, { recursive: true, force: true });
console.log(`test files compiled in ${Date.now() - compileStarted} ms`);

// Capped: each PGlite file holds ~280 MB, and a big machine's dozens of cores would not be worth that memory.
const cores = Math.max(1, Math.min(4, os.availableParallelism()));
const concurrency = Number(process.env.TEST_CONCURRENCY) || (usePg ? 2 * cores : cores);
console.log(`${unit.length} test files, ${concurrency} at a time`);
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./tests/support/slowest-files.mjs', '--test-reporter-destination=stdout'];
const child = spawn(process.execPath, ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, ...reporters, ...compiled], {
  cwd: root,
  env: { ...env, TEST_TIMES_FILE: timesFile, TEST_BUILD_DIR: buildDir },
  stdio: 'inherit',
});
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
removeBuild();
await cleanup();
process.exit(code);

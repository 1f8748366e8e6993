/**
 * `npm start` runs the server from a bundle (scripts/start.mjs, decision 0034). What only the bundle can break:
 * files found by path (migrations, the first start's child process, data/ and public/), and the rebuild when a
 * source changed. Embedded database, a fresh folder, without the demo (the territory's data is loaded).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { isPostgresRun } from '../support/context.js';
import { repoRoot, startServer } from '../support/server-process.js';

const skip = isPostgresRun() ? 'embedded database only (the PGlite run covers it)' : false;
// A bundle folder of its own: other test files and a developer's build/ are left alone.
const buildDir = `.build-test-${process.pid}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-compiled-'));
after(() => {
  rmSync(path.join(repoRoot, buildDir), { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});
const vars = { DATA_DIR: dataDir, BUILD_DIR: buildDir, LOG_LEVEL: 'info' };
const compiledLine = /server compiled into/;

test('the compiled server makes a fresh folder (migrations and first start from the bundle), serves pages and assets, and stops cleanly', { skip }, async () => {
  const server = await startServer(vars, { compiled: true });
  try {
    await server.waitHealthy(120_000);
    assert.match(server.stdout(), compiledLine, 'the first start builds the bundle');
    const migrations = readdirSync(path.join(repoRoot, buildDir, 'db', 'migrations')).filter((f) => f.endsWith('.js'));
    assert.equal(migrations.length, readdirSync(path.join(repoRoot, 'src', 'db', 'migrations')).filter((f) => f.endsWith('.ts')).length, 'every migration compiled');
    const home = await fetch(`${server.url}/`);
    assert.equal(home.status, 200);
    const html = await home.text();
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    assert.ok(css, 'the home page links its stylesheet');
    assert.equal((await fetch(`${server.url}${css}`)).status, 200, 'public/ is found from the bundle');
    const village = await fetch(`${server.url}/villages/32013`);
    assert.equal(village.status, 200, 'the territory data (data/territories) was imported by the first start');
    assert.match(await village.text(), /<h1>Auch<\/h1>/);
  } finally {
    assert.equal((await server.stop('SIGTERM')).code, 0);
  }
});

test('a restart reuses the bundle; a changed source makes the next start build it again', { skip }, async () => {
  const again = await startServer(vars, { compiled: true });
  try {
    await again.waitHealthy(60_000);
    assert.doesNotMatch(again.stdout(), compiledLine, 'nothing changed: no build');
  } finally {
    await again.stop('SIGTERM');
  }
  const stamp = path.join(repoRoot, buildDir, '.built');
  assert.ok(existsSync(stamp));
  // The stamp dated before the sources, as after an edit.
  const older = new Date(statSync(path.join(repoRoot, 'src', 'server.ts')).mtimeMs - 60_000);
  utimesSync(stamp, older, older);
  const rebuilt = await startServer(vars, { compiled: true });
  try {
    await rebuilt.waitHealthy(60_000);
    assert.match(rebuilt.stdout(), compiledLine);
    assert.ok(statSync(stamp).mtimeMs > older.getTime());
    assert.ok(readFileSync(stamp, 'utf8').trim().length > 0);
  } finally {
    await rebuilt.stop('SIGTERM');
  }
});

/**
 * A first start killed midway (here with SIGKILL while "the demo" is half loaded) leaves no database behind: the
 * next start finds the folder fresh, throws the half-built one away and loads everything again.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { isFreshDataDir, prepareFreshDataDir, stagingDirOf } from './first-start.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'accueil-first-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, SESSION_SECRET: 'test-secret-test-secret-test-secret-0123' });

const loadRows = (count: number) => `
  await sql\`create table demo_row (n integer primary key)\`.execute(database.db);
  for (let n = 1; n <= ${count}; n++) await sql\`insert into demo_row values (\${n})\`.execute(database.db);`;

test('a first start killed halfway through its load leaves a fresh folder, and the next start loads everything', async () => {
  // The child loads 20 of 38 rows, then dies without warning.
  const firstStart = path.join(import.meta.dirname, 'first-start.ts');
  const script = `import { sql } from 'kysely'; import { prepareFreshDataDir } from ${JSON.stringify(firstStart)};
    await prepareFreshDataDir(${JSON.stringify(dir)}, async (database) => { ${loadRows(20)}
      process.kill(process.pid, 'SIGKILL'); await new Promise(() => {}); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.join(import.meta.dirname, '..'), stdio: ['ignore', 'inherit', 'inherit'] });
  const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  assert.equal(signal, 'SIGKILL');
  assert.ok(existsSync(stagingDirOf(dir)), 'the half-built database was left in the staging folder');
  assert.equal(isFreshDataDir(config), true, 'the next start sees no database: it will not report a half load as ready');

  await prepareFreshDataDir(dir, async (database) => {
    await sql.raw(`create table demo_row (n integer primary key)`).execute(database.db);
    for (let n = 1; n <= 38; n++) await sql`insert into demo_row values (${n})`.execute(database.db);
  });
  assert.equal(isFreshDataDir(config), false);
  assert.equal(existsSync(stagingDirOf(dir)), false, 'the staging folder is gone');
  const database = await openDatabase({ dataDir: dir });
  try {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from demo_row`.execute(database.db);
    assert.equal(rows[0].n, 38, 'all of it, once');
  } finally {
    await database.close();
  }
});

test('a first start whose load throws leaves no database either', async () => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'accueil-first-start-'));
  try {
    await assert.rejects(
      prepareFreshDataDir(other, async (database) => {
        await sql`create table demo_row (n integer)`.execute(database.db);
        throw new Error('import failed');
      }),
      /import failed/,
    );
    assert.equal(isFreshDataDir({ ...config, dataDir: other }), true);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

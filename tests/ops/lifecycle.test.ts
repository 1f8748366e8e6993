/**
 * The real server and scripts as processes, on the embedded database. The steps share one data folder, in
 * order, because opening a fresh PGlite folder costs seconds: a writer is killed with SIGKILL mid-way, the
 * server restarts on what it left, refuses a second opener, drains a request on SIGTERM and closes cleanly,
 * then the folder goes through a backup and a restore.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { restorePgliteBackup } from '../../src/db/backup.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { LOCK_FILE } from '../../src/db/data-dir-lock.js';
import { isPostgresRun } from '../support/context.js';
import { spawnTsx, startServer, type Exit } from '../support/server-process.js';

const onlyEmbedded = isPostgresRun() ? 'embedded database only (the PGlite run covers it)' : false;

/** Runs a script to its end; returns its exit code and output. */
async function runScript(script: string, args: string[], vars: Record<string, string>) {
  const child = spawnTsx(script, args, vars);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const code: number | null = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stdout, stderr };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const lines = (text: string) => text.split('\n').filter((l) => l.trim());

test('a server pointed at a closed PostgreSQL port exits non-zero with one readable line', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-ops-'));
  try {
    const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    const exit = await server.exited;
    assert.notEqual(exit.code, 0);
    assert.equal(exit.signal, null);
    const err = lines(server.stderr());
    assert.equal(err.length, 1, `one line on stderr, got: ${server.stderr()}`);
    assert.doesNotMatch(err[0], /^\s+at /, 'no stack trace');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('embedded database life cycle', { skip: onlyEmbedded }, () => {
  let dataDir: string;
  const committed: string[] = [];
  const env = () => ({ DATA_DIR: dataDir, JOBS: '0', LOG_LEVEL: 'warn' });

  const withDatabase = async <T>(fn: (d: Database) => Promise<T>): Promise<T> => {
    const d = await openDatabase({ dataDir });
    try {
      return await fn(d);
    } finally {
      await d.close();
    }
  };
  const presentIds = (d: Database) =>
    d.db.selectFrom('user_account').select('id').where('email', 'like', 'writer-%').execute().then((rows) => new Set(rows.map((r) => r.id)));

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-ops-'));
    // Start from the run's migrated template rather than an empty folder: initdb, migrations and the
    // territory import would cost the writer many seconds and prove nothing about a kill.
    const template = process.env.TEST_PGLITE_DUMP;
    if (template) await restorePgliteBackup(dataDir, template, new Date());
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('rows committed before a SIGKILL during writes are all there when the folder is reopened', async () => {
    const writer = spawnTsx('tests/ops/fixtures/writer.ts', [], env());
    let buffer = '';
    let ready = false;
    let stderr = '';
    writer.stderr!.on('data', (c) => (stderr += c));
    const exit = new Promise<Exit>((resolve) => writer.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      writer.stdout!.on('data', (chunk) => {
        buffer += chunk;
        const parts = buffer.split('\n');
        buffer = parts.pop()!; // only whole lines: a half-printed id was not reported
        for (const line of parts) {
          if (line === 'ready') ready = true;
          else if (ready && UUID.test(line)) committed.push(line);
        }
        if (committed.length >= 40) resolve();
      });
      void exit.then(() => reject(new Error(`writer exited early: ${stderr}`)));
    });
    writer.kill('SIGKILL');
    assert.equal((await exit).signal, 'SIGKILL');
    assert.ok(existsSync(path.join(dataDir, LOCK_FILE)), 'the killed writer left its pid file behind');

    const present = await withDatabase(presentIds);
    const missing = committed.filter((id) => !present.has(id));
    assert.deepEqual(missing, [], 'every id reported after its commit is present');
  });

  test('the server starts on the folder left by the kill, refuses a second opener and drains a request on SIGTERM', async () => {
    const server = await startServer(env());
    await server.waitHealthy();

    const busy = await runScript('scripts/db-backup.ts', [], env());
    assert.equal(busy.code, 1, 'a backup refuses while the server holds the embedded database');
    assert.equal(lines(busy.stderr).length, 1, `one sentence, got: ${busy.stderr}`);
    const fakeBackup = path.join(dataDir, 'not-restored.pglite.tar.gz');
    writeFileSync(fakeBackup, Buffer.from([0x1f, 0x8b]));
    const restoreBusy = await runScript('scripts/db-restore.ts', [fakeBackup, '--yes'], env());
    assert.equal(restoreBusy.code, 1, 'a restore refuses while the server holds the embedded database');
    assert.equal(lines(restoreBusy.stderr).length, 1, `one sentence, got: ${restoreBusy.stderr}`);
    assert.match(restoreBusy.stderr, new RegExp(`pid ${server.pid}`), 'the sentence names the running server');
    rmSync(fakeBackup);
    const second = await startServer(env());
    assert.notEqual((await second.exited).code, 0, 'a second server on the same folder refuses to start');
    assert.equal(lines(second.stderr()).length, 1);

    // A login form whose body arrives in two halves, SIGTERM sent in between.
    const page = await fetch(`${server.url}/connexion`);
    const csrfCookie = /csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(csrfCookie && token, 'the login page sets a CSRF cookie and token');
    const body = new URLSearchParams({ _csrf: token, email: 'nobody@example.org', password: 'not the right one' }).toString();
    let aliveAfterSignal = false;
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/connexion`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            cookie: `csrf=${csrfCookie}`,
            connection: 'close',
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => {
          aliveAfterSignal = server.child.exitCode === null && server.child.signalCode === null;
          req.end(body.slice(10));
        }, 700);
      }, 300);
    });
    const res = await response;
    assert.ok(aliveAfterSignal, 'the server waits for the request it is reading');
    assert.ok(res.status >= 400 && res.status < 500 && res.status !== 403, `the login was answered (wrong password), got ${res.status}`);
    assert.match(res.text, /<\/html>/, 'the whole page was sent');
    const exit = await server.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, `clean exit; stderr: ${server.stderr()}`);
    assert.ok(!existsSync(path.join(dataDir, LOCK_FILE)), 'a clean shutdown removes the pid file');

    const present = await withDatabase(presentIds);
    assert.deepEqual(committed.filter((id) => !present.has(id)), [], 'the folder reopens with every committed row');
  });

  test('db:backup then db:restore bring back rows deleted after the backup and drop rows added after it', async () => {
    const backup = await runScript('scripts/db-backup.ts', [], env());
    assert.equal(backup.code, 0, backup.stderr);
    const [file] = readdirSync(path.join(dataDir, 'backups')).filter((f) => f.endsWith('.pglite.tar.gz'));
    assert.ok(file, 'a backup file is written into DATA_DIR/backups');

    await withDatabase(async (d) => {
      await d.db.deleteFrom('user_account').where('email', 'like', 'writer-%').execute();
      await d.db.insertInto('user_account').values({ email: 'after-backup@example.org', display_name: 'Après', locale: 'fr', created_at: new Date() }).execute();
    });

    const restore = await runScript('scripts/db-restore.ts', [path.join(dataDir, 'backups', file), '--yes'], env());
    assert.equal(restore.code, 0, restore.stderr);
    assert.ok(readdirSync(dataDir).some((f) => f.startsWith('pglite.before-restore-')), 'the replaced folder is kept aside');

    await withDatabase(async (d) => {
      const present = await presentIds(d);
      assert.deepEqual(committed.filter((id) => !present.has(id)), []);
      const added = await d.db.selectFrom('user_account').select('id').where('email', '=', 'after-backup@example.org').executeTakeFirst();
      assert.equal(added, undefined);
    });
  });
});

/**
 * Backups written from inside the server (the nightly job), and the PostgreSQL round trip through the
 * scripts. The embedded round trip through the scripts is in lifecycle.test.ts, which reuses its data folder.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import { backupFileName, detectBackupFormat, hasPgTool, pruneBackups } from '../../src/db/backup.js';
import { openDatabase } from '../../src/db/database.js';
import { backupSlot, BACKUP_JOB, scheduleBackup } from '../../src/jobs/backup.js';
import { jobHandlers } from '../../src/modules.js';
import { JobWorker } from '../../src/jobs/worker.js';
import { createTestWorld, isPostgresRun, type TestWorld } from '../support/context.js';
import { spawnTsx } from '../support/server-process.js';

describe('the nightly backup job', { skip: isPostgresRun() ? 'writes the embedded database (the PGlite run covers it)' : false }, () => {
  let w: TestWorld;
  before(async () => {
    w = await createTestWorld();
  });
  after(() => w.close());
  beforeEach(() => w.reset());

  test('writes a loadable backup into DATA_DIR/backups and schedules the next night once', async () => {
    w.clock.set('2026-11-27T09:00:00Z');
    await w.ctx.db.insertInto('user_account').values({ email: 'kept@example.org', display_name: 'Gardé', locale: 'fr', created_at: w.clock.now() }).execute();
    assert.ok(await scheduleBackup(w.ctx), "today's backup is enqueued");
    assert.equal(await scheduleBackup(w.ctx), null, 'a second start the same day adds nothing');

    assert.equal(await new JobWorker(w.ctx, jobHandlers).runOnce(), 1);
    const dir = path.join(w.ctx.config.dataDir, 'backups');
    const files = readdirSync(dir);
    assert.deepEqual(files, [backupFileName('pglite', w.clock.now())]);
    assert.equal(detectBackupFormat(path.join(dir, files[0])), 'pglite');
    assert.equal(statSync(path.join(dir, files[0])).mode & 0o777, 0o600, 'readable by the service user only');

    const next = await w.ctx.db.selectFrom('job').selectAll().where('kind', '=', BACKUP_JOB).where('state', '=', 'pending').execute();
    assert.equal(next.length, 1);
    assert.equal(next[0].run_at.toISOString(), '2026-11-28T02:30:00.000Z');

    const copy = await openDatabase({ memory: true, loadDataDir: new Blob([readFileSync(path.join(dir, files[0]))]) });
    try {
      const row = await copy.db.selectFrom('user_account').select('email').where('email', '=', 'kept@example.org').executeTakeFirst();
      assert.equal(row?.email, 'kept@example.org');
    } finally {
      await copy.close();
    }
  });

  test('the slot of a day starts at 02:30 UTC', () => {
    assert.equal(backupSlot(new Date('2026-11-27T02:29:00Z')).toISOString(), '2026-11-26T02:30:00.000Z');
    assert.equal(backupSlot(new Date('2026-11-27T02:30:00Z')).toISOString(), '2026-11-27T02:30:00.000Z');
  });

  test('pruning keeps the most recent backups only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'accueil-prune-'));
    try {
      const names = [1, 2, 3, 4].map((d) => backupFileName('pglite', new Date(Date.UTC(2026, 10, d))));
      // A gzip header is enough for files the pruner only looks at by name.
      for (const n of names) writeFileSync(path.join(dir, n), Buffer.from([0x1f, 0x8b]));
      const removed = pruneBackups(dir, 2);
      assert.deepEqual(removed.sort(), names.slice(0, 2));
      assert.deepEqual(readdirSync(dir).sort(), names.slice(2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL backup round trip', { skip: !isPostgresRun() ? 'PostgreSQL run only' : !hasPgTool('pg_dump') ? 'pg_dump not installed' : false }, () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${process.env.TEST_PG_TEMPLATE}_backup_${randomBytes(3).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accueil-pgbackup-'));
  const admin = new pg.Client({ connectionString: adminUrl });

  before(async () => {
    await admin.connect();
    await admin.query(`create database "${name}" template "${process.env.TEST_PG_TEMPLATE}"`);
  });
  after(async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (script: string, args: string[]) => {
    const child = spawnTsx(script, args, { DATABASE_URL: url.toString(), DATA_DIR: dir });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
  };

  test('db:backup then db:restore bring back deleted rows and drop rows added after the backup', async () => {
    const d = await openDatabase({ databaseUrl: url.toString() });
    try {
      const now = new Date();
      await d.db.insertInto('user_account').values([1, 2, 3].map((i) => ({ email: `pg-${i}@example.org`, display_name: `PG ${i}`, locale: 'fr' as const, created_at: now }))).execute();
      const file = path.join(dir, 'round-trip.pgdump');
      await run('scripts/db-backup.ts', [file]);
      assert.ok(existsSync(file));
      assert.equal(detectBackupFormat(file), 'pg_dump');

      await d.db.deleteFrom('user_account').where('email', 'like', 'pg-%').execute();
      await d.db.insertInto('user_account').values({ email: 'after@example.org', display_name: 'Après', locale: 'fr', created_at: now }).execute();
      await run('scripts/db-restore.ts', [file, '--yes']);

      const emails = (await d.db.selectFrom('user_account').select('email').orderBy('email').execute()).map((r) => r.email);
      assert.deepEqual(emails, ['pg-1@example.org', 'pg-2@example.org', 'pg-3@example.org']);
    } finally {
      await d.close();
    }
  });
});

/**
 * What a restore refuses and what a backup leaves behind: a backup whose table files are corrupt is refused
 * before anything is switched; `.partial` files left by a backup killed midway are cleaned; on PostgreSQL a
 * restore is refused while a server uses the database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { isPostgresRun } from '../../tests/support/context.js';
import { spawnTsx } from '../../tests/support/server-process.js';
import { backupFileName, pruneBackups, restorePgliteBackup } from './backup.js';
import { pgliteExtensions } from './database.js';
import { claimPostgresForServer } from './postgres-lock.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'accueil-backup-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A small embedded database as a backup tarball, with one table file's first page overwritten when asked. */
async function backupTarball(corrupt: boolean): Promise<Buffer> {
  const pglite = await PGlite.create({ extensions: pgliteExtensions });
  try {
    await pglite.exec(`create table schema_migration (name text primary key);
      insert into schema_migration values ('2026-11-27T1000-foundation');
      create table member (id int primary key, name text);
      insert into member select g, 'membre ' || g from generate_series(1, 500) g;
      checkpoint;`);
    const { rows } = await pglite.query<{ p: string }>(`select pg_relation_filepath('member') as p`);
    const tar = gunzipSync(Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer()));
    if (corrupt) {
      // Walk the tar headers (512-byte blocks) to the table's file and scribble over its first page header.
      let offset = 0;
      let found = false;
      while (offset + 512 <= tar.length && tar[offset] !== 0) {
        const name = tar.subarray(offset, offset + 100).toString('latin1').replace(/\0.*$/s, '');
        const size = parseInt(tar.subarray(offset + 124, offset + 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
        if (name.endsWith(rows[0].p)) {
          tar.fill(0xa5, offset + 512, offset + 512 + 24);
          found = true;
          break;
        }
        offset += 512 + Math.ceil(size / 512) * 512;
      }
      assert.ok(found, `the table file ${rows[0].p} is in the tarball`);
    }
    return gzipSync(tar);
  } finally {
    await pglite.close();
  }
}

describe('restoring the embedded database', { skip: isPostgresRun() ? 'embedded database only (the PGlite run covers it)' : false }, () => {
  test('a backup with a corrupt table file is refused and the current database is left in place', async () => {
    const dataDir = path.join(tmp, 'corrupt');
    const live = path.join(dataDir, 'pglite');
    const file = path.join(tmp, 'corrupt.pglite.tar.gz');
    writeFileSync(file, await backupTarball(true));
    mkdirSync(live, { recursive: true });
    const current = await PGlite.create(live, { extensions: pgliteExtensions });
    await current.exec(`create table still_here (id int); insert into still_here values (1);`);
    await current.close();

    await assert.rejects(restorePgliteBackup(dataDir, file, new Date('2026-11-27T09:00:00Z')), /could not be loaded|member/);
    assert.deepEqual(readdirSync(dataDir).sort(), ['pglite'], 'nothing switched, nothing left behind');
    const reopened = await PGlite.create(live, { extensions: pgliteExtensions });
    try {
      assert.equal((await reopened.query<{ n: number }>('select count(*)::int as n from still_here')).rows[0].n, 1);
    } finally {
      await reopened.close();
    }
  });

  test('a sound backup is restored', async () => {
    const dataDir = path.join(tmp, 'sound');
    const file = path.join(tmp, 'sound.pglite.tar.gz');
    writeFileSync(file, await backupTarball(false));
    await restorePgliteBackup(dataDir, file, new Date('2026-11-27T09:00:00Z'));
    const restored = await PGlite.create(path.join(dataDir, 'pglite'), { extensions: pgliteExtensions });
    try {
      assert.equal((await restored.query<{ n: number }>('select count(*)::int as n from member')).rows[0].n, 500);
    } finally {
      await restored.close();
    }
  });
});

test('pruning removes the .partial files a killed backup left, but not one being written', () => {
  const dir = mkdtempSync(path.join(tmp, 'partials-'));
  const now = Date.now();
  const names = [1, 2].map((d) => backupFileName('pglite', new Date(Date.UTC(2026, 10, d))));
  for (const n of names) writeFileSync(path.join(dir, n), Buffer.from([0x1f, 0x8b]));
  const stale = `${backupFileName('pglite', new Date(Date.UTC(2026, 10, 3)))}.partial`;
  const fresh = `${backupFileName('pglite', new Date(Date.UTC(2026, 10, 4)))}.partial`;
  writeFileSync(path.join(dir, stale), 'half');
  writeFileSync(path.join(dir, fresh), 'half');
  utimesSync(path.join(dir, stale), new Date(now - 3 * 3600_000), new Date(now - 3 * 3600_000));
  pruneBackups(dir, 14);
  assert.deepEqual(readdirSync(dir).sort(), [...names, fresh].sort());
});

describe('restoring PostgreSQL while a server runs', { skip: !isPostgresRun() ? 'PostgreSQL run only' : false }, () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${process.env.TEST_PG_TEMPLATE}_restore_${randomBytes(3).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  test('db:restore refuses while a server holds the database, and a server cannot start during a restore', async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${name}" template "${process.env.TEST_PG_TEMPLATE}"`);
    const archive = path.join(tmp, 'fake.pgdump');
    writeFileSync(archive, 'PGDMP not really an archive');
    const server = await claimPostgresForServer(url.toString());
    try {
      const child = spawnTsx('scripts/db-restore.ts', [archive, '--yes'], { DATABASE_URL: url.toString(), DATA_DIR: tmp });
      let stderr = '';
      child.stderr!.on('data', (c) => (stderr += c));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      assert.equal(code, 1);
      assert.match(stderr, /server is using the database .*stop it first/i);
    } finally {
      await server.release();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
    assert.ok(existsSync(archive));
  });
});

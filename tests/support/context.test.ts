/**
 * The test world's reset(), which every test relies on to start from the template's reference data and nothing
 * else: it must empty what `truncate … restart identity cascade` of the domain tables would, and only that.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestWorld, type TestWorld } from './context.js';
import { createUser } from './factories.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());

const counts = async () =>
  new Map(
    await Promise.all(
      (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(w.ctx.db)).rows.map(
        async ({ tablename }) => [tablename, (await sql.raw<{ n: number }>(`select count(*)::int as n from "${tablename}"`).execute(w.ctx.db)).rows[0].n] as const,
      ),
    ),
  );

test('reset() empties every domain table and the tables holding a key to one, starts their ids again, and keeps the reference data', async () => {
  await w.reset();
  const before = await counts();
  assert.ok(before.get('commune')! > 400, 'the template holds the communes');
  assert.equal(before.get('user_account'), 0);

  const user = await createUser(w.ctx, { roles: ['staff'] });
  await w.ctx.db.insertInto('job').values({ kind: 'essai', payload: JSON.stringify({}), run_at: w.clock.now(), created_at: w.clock.now() }).execute();
  // Kept between tests, but it holds a key to an account: the cascade of a truncate empties it, so reset() does too.
  await w.ctx.db
    .insertInto('record_duplicate')
    .values({ territory_id: w.ctx.territory.id, kind: 'cinema', record_key: 'a', duplicate_of: 'b', note: 'essai', author_id: user.id, created_at: w.clock.now() })
    .execute();
  const filled = await counts();
  for (const table of ['user_account', 'role_grant', 'job', 'record_duplicate']) assert.ok(filled.get(table)! > 0, `${table} holds a row`);

  await w.reset();
  const emptied = await counts();
  for (const [table, n] of emptied) {
    if (['commune', 'epci', 'dataset', 'territory', 'schema_migration'].includes(table)) assert.equal(n, before.get(table), `${table} is kept`);
    else if (before.get(table) === 0 || table === 'record_duplicate') assert.equal(n, 0, `${table} is emptied`);
  }
  const job = await w.ctx.db.insertInto('job').values({ kind: 'essai', payload: JSON.stringify({}), run_at: w.clock.now(), created_at: w.clock.now() }).returning('id').executeTakeFirstOrThrow();
  assert.equal(Number(job.id), 1, 'ids start again');
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestWorld, type TestWorld } from '../support/context.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(async () => {
  await w.app.close();
  // The database was closed on purpose by the test; closing it again may throw.
  await w.close().catch(() => {});
});

test('/healthz answers 200 after a database round trip, and 503 once the database is closed', async () => {
  const ok = await w.app.inject('/healthz');
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().database, 'ok');
  assert.equal(ok.headers['cache-control'], 'no-store');

  await w.database.close();
  const down = await w.app.inject('/healthz');
  assert.equal(down.statusCode, 503);
  assert.equal(down.json().database, 'unreachable');
});

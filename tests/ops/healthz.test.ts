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

test('checks arriving together share one database round trip; a later check makes its own', async () => {
  const ping = w.ctx.database.ping;
  let calls = 0;
  w.ctx.database.ping = () => {
    calls += 1;
    return ping.call(w.ctx.database);
  };
  try {
    const burst = await Promise.all(Array.from({ length: 50 }, () => w.app.inject('/healthz')));
    assert.ok(burst.every((r) => r.statusCode === 200 && r.json().database === 'ok'));
    assert.ok(calls < 5, `50 checks at once made ${calls} round trips`);
    const before = calls;
    assert.equal((await w.app.inject('/healthz')).statusCode, 200);
    assert.equal(calls, before + 1, 'a check after the burst asks the database again: nothing is cached');
  } finally {
    w.ctx.database.ping = ping;
  }
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

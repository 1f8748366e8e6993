/**
 * A session's life on the clock: it signs its person in until its lifetime is over, each visit after a quiet
 * quarter of an hour pushes the end back (sliding renewal), and past the end the cookie signs nobody in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { createUser } from '../../../tests/support/factories.js';
import { DAY, MINUTE } from '../../shared/time.js';
import { SESSION_TTL } from './accounts.service.js';

const w = useTestWorld();

async function signedIn() {
  const user = await createUser(w.ctx);
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  assert.equal((await agent.get('/compte')).statusCode, 200);
  return agent;
}

const expiresAt = async () => (await w.ctx.db.selectFrom('session').select('expires_at').executeTakeFirstOrThrow()).expires_at;

test('a session left alone past its lifetime no longer signs anyone in, and its cookie is cleared', async () => {
  const agent = await signedIn();
  w.clock.advance(SESSION_TTL - MINUTE);
  const res = await agent.get('/compte');
  assert.equal(res.statusCode, 200, 'still signed in just before the end');

  // Seen a minute before the end: renewed from then. Now past the renewed end too, with no visit in between.
  w.clock.advance(SESSION_TTL + 1000);
  const late = await agent.get('/compte');
  assert.equal(late.statusCode, 303);
  assert.match(String(late.headers.location), /^\/connexion/);
  assert.ok(late.cookies.some((c) => c.name === 'sid' && c.value === ''), 'the dead cookie is cleared');
});

test('a session is over at its lifetime exactly when nobody came back', async () => {
  const agent = await signedIn();
  w.clock.advance(SESSION_TTL);
  assert.equal((await agent.get('/compte')).statusCode, 303);
});

test('visits slide the end forward, so someone who keeps coming back stays signed in past the first lifetime', async () => {
  const agent = await signedIn();
  const first = await expiresAt();
  // Three visits, each shortly before the end then in force: 2.9 lifetimes after signing in, still signed in.
  for (let visit = 0; visit < 3; visit++) {
    w.clock.advance(SESSION_TTL - 3 * DAY);
    assert.equal((await agent.get('/compte')).statusCode, 200, `visit ${visit + 1}`);
  }
  const renewed = await expiresAt();
  assert.equal(renewed.getTime(), w.clock.now().getTime() + SESSION_TTL, 'the end is a lifetime after the last visit');
  assert.ok(renewed > first);
});

test('visits closer together than a quarter of an hour do not write to the session each time', async () => {
  const agent = await signedIn();
  const before = await expiresAt();
  w.clock.advance(10 * MINUTE);
  assert.equal((await agent.get('/compte')).statusCode, 200);
  assert.equal((await expiresAt()).getTime(), before.getTime());
  w.clock.advance(6 * MINUTE);
  assert.equal((await agent.get('/compte')).statusCode, 200);
  assert.equal((await expiresAt()).getTime(), w.clock.now().getTime() + SESSION_TTL);
});

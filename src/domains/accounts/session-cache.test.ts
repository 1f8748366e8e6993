/**
 * Resolved sessions kept in memory (decision 0033): whatever ends or changes a session, an account or its roles takes
 * effect at the next request of this process, and a change written elsewhere (another process, a script: here a
 * statement that bypasses the accounts repository) reaches the cache through the database's notification.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../tests/support/factories.js';
import type { Role } from '../../db/schema.js';
import { MINUTE } from '../../shared/time.js';
import { SESSION_TTL, setRoles } from './accounts.service.js';
import { deleteUser, revokeRoles, updateUser } from './accounts.repo.js';
import { sessionCacheOf } from './accounts.session-cache.js';

const w = useTestWorld();

async function signedIn(roles: Role[] = []) {
  const user = await createUser(w.ctx, { roles });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  // Twice: the second request is answered from the kept session.
  assert.equal((await agent.get('/compte')).statusCode, 200);
  assert.equal((await agent.get('/compte')).statusCode, 200);
  return { user, agent };
}

const signedOut = async (agent: Agent) => (await agent.get('/compte')).statusCode === 303;

/** On PostgreSQL a change committed by another connection arrives a moment later: waits for it, up to 10 s. */
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(what);
}

/** Waits until the cache has heard every notification committed so far (they arrive in commit order). */
async function heardSoFar() {
  const cache = sessionCacheOf(w.ctx)!;
  const marker = `marker-${Math.random()}`;
  let heard = false;
  const changed = cache.changed.bind(cache);
  cache.changed = (payload: string) => {
    if (payload === marker) heard = true;
    changed(payload);
  };
  try {
    await sql`select pg_notify('account_changed', ${marker})`.execute(w.ctx.db);
    await eventually(async () => heard, 'the marker is heard');
  } finally {
    cache.changed = changed;
  }
}

test('the cache listens once the app is built, and a session used twice is kept', async () => {
  const cache = sessionCacheOf(w.ctx);
  assert.ok(cache?.listening);
  const { agent } = await signedIn();
  await heardSoFar();
  assert.equal((await agent.get('/compte')).statusCode, 200);
  assert.equal(cache.size, 1);
});

test('signing out ends the session at the very next request, though it was kept', async () => {
  const { agent } = await signedIn();
  const sid = agent.cookie('sid')!;
  assert.equal((await agent.post('/deconnexion', {})).statusCode, 303);
  agent.setCookie('sid', sid);
  assert.ok(await signedOut(agent));
});

test('signing out everywhere ends the other kept sessions at once and keeps the current one', async () => {
  const { user, agent } = await signedIn();
  const other = new Agent(w.app);
  await other.login(user.email, PASSWORD);
  assert.equal((await other.get('/compte')).statusCode, 200);
  assert.equal((await agent.post('/compte/deconnexion-partout', {})).statusCode, 303);
  assert.ok(await signedOut(other));
  assert.equal((await agent.get('/compte')).statusCode, 200);
});

test('a password change ends the other kept sessions at once', async () => {
  const { user, agent } = await signedIn();
  const other = new Agent(w.app);
  await other.login(user.email, PASSWORD);
  assert.equal((await other.get('/compte')).statusCode, 200);
  const res = await agent.post('/compte/mot-de-passe', { currentPassword: PASSWORD, password: 'un autre mot de passe solide' });
  assert.equal(res.statusCode, 303);
  assert.ok(await signedOut(other));
  assert.equal((await agent.get('/compte')).statusCode, 200);
});

test('a role taken away by an administrator is gone at the next request', async () => {
  const { user, agent } = await signedIn(['staff']);
  assert.equal((await agent.get('/admin')).statusCode, 200);
  const admin = await createUser(w.ctx, { roles: ['admin'] });
  await setRoles(w.ctx, actorFor(w.ctx, admin, ['admin']), user.id, []);
  assert.equal((await agent.get('/admin')).statusCode, 403);
});

test('a role taken away inside another use case’s transaction is gone once it commits, not before it rolls back', async () => {
  const { user, agent } = await signedIn(['staff']);
  // Rolled back: the role stays, and the session is still served.
  await w.ctx.db
    .transaction()
    .execute(async (trx) => {
      await revokeRoles(trx, w.ctx.territory.id, user.id, ['staff']);
      throw new Error('rolled back');
    })
    .catch(() => undefined);
  assert.equal((await agent.get('/admin')).statusCode, 200);
  await w.ctx.db.transaction().execute(async (trx) => {
    await revokeRoles(trx, w.ctx.territory.id, user.id, ['staff']);
  });
  assert.equal((await agent.get('/admin')).statusCode, 403);
});

test('a disabled or deleted account signs nobody in at the next request', async () => {
  const { user, agent } = await signedIn();
  await updateUser(w.ctx.db, user.id, { disabled_at: w.clock.now() });
  assert.ok(await signedOut(agent));
  const second = await signedIn();
  await deleteUser(w.ctx.db, second.user.id);
  assert.ok(await signedOut(second.agent));
});

test('a change written outside this process’s accounts code reaches the kept session through the database', async () => {
  const { user, agent } = await signedIn(['staff']);
  await sql`delete from role_grant where user_id = ${user.id}`.execute(w.ctx.db);
  await eventually(async () => (await agent.get('/admin')).statusCode === 403, 'the role taken away elsewhere is seen');
  await sql`delete from session where user_id = ${user.id}`.execute(w.ctx.db);
  await eventually(() => signedOut(agent), 'the session ended elsewhere is seen');
});

test('while notifications are not heard the cache is not used: every request reads the database', async () => {
  const { user, agent } = await signedIn(['staff']);
  const cache = sessionCacheOf(w.ctx)!;
  // A change the triggers do not announce (they are set aside): the kept session still has the role...
  const silently = (statement: ReturnType<typeof sql>) =>
    w.ctx.db.transaction().execute(async (trx) => {
      await sql`select set_config('session_replication_role', 'replica', true)`.execute(trx);
      await statement.execute(trx);
    });
  // Every announcement of the sign-in heard (PostgreSQL delivers them in commit order, a moment later), then kept.
  await heardSoFar();
  assert.equal((await agent.get('/admin')).statusCode, 200);
  await silently(sql`delete from role_grant where user_id = ${user.id}`);
  assert.equal((await agent.get('/admin')).statusCode, 200, 'served from memory');
  // ...until the listening stops (a dropped connection): from then on the database answers, and nothing is kept.
  cache.setListening(false);
  try {
    assert.equal((await agent.get('/admin')).statusCode, 403);
    assert.equal(cache.size, 0);
    await silently(sql`delete from session where user_id = ${user.id}`);
    assert.ok(await signedOut(agent));
  } finally {
    cache.setListening(true);
  }
});

test('a kept session still ends at its expiry, and the sliding renewal still moves it', async () => {
  const { agent } = await signedIn();
  const expiresAt = async () => (await w.ctx.db.selectFrom('session').select('expires_at').executeTakeFirstOrThrow()).expires_at;
  w.clock.advance(16 * MINUTE);
  assert.equal((await agent.get('/compte')).statusCode, 200);
  await eventually(async () => (await expiresAt()).getTime() === w.clock.now().getTime() + SESSION_TTL, 'renewed in the database');
  // Used again within the quarter of an hour: no second renewal, and still signed in.
  w.clock.advance(5 * MINUTE);
  assert.equal((await agent.get('/compte')).statusCode, 200);
  assert.equal((await expiresAt()).getTime(), w.clock.now().getTime() - 5 * MINUTE + SESSION_TTL);
  w.clock.advance(SESSION_TTL);
  assert.ok(await signedOut(agent));
});

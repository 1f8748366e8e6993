/**
 * Two territories served from one database (on PostgreSQL, one deployment per territory sharing a server): an
 * administrator of one sees and manages only the accounts of theirs. Runs on both engines.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { actorFor, codeOf, createUser } from '../../../tests/support/factories.js';
import { buildApp } from '../../app.js';
import type { AppContext } from '../../context.js';
import { getUserForAdmin, listUsers, setRoles } from './accounts.service.js';

let w: TestWorld;
let landes: AppContext;
let landesApp: FastifyInstance;

before(async () => {
  w = await createTestWorld();
  const row = await w.ctx.db
    .insertInto('territory')
    .values({ slug: 'landes-essai', name: 'Landes (essai)', programme_name: 'Accueil Landes' })
    .returningAll()
    .executeTakeFirstOrThrow();
  landes = { ...w.ctx, territory: { id: row.id, slug: row.slug, name: row.name, programmeName: row.programme_name } };
  landesApp = await buildApp(landes, { logger: false });
  await landesApp.ready();
});
after(async () => {
  await landesApp.close();
  await w.close();
});
beforeEach(() => w.reset());

async function people() {
  const gersAdmin = await createUser(w.ctx, { roles: ['admin'], email: 'admin@gers.exemple.fr' });
  const gersMember = await createUser(w.ctx, { roles: ['member'], email: 'membre@gers.exemple.fr' });
  const gersVisitor = await createUser(w.ctx, { email: 'visiteur@gers.exemple.fr' });
  const landesAdmin = await createUser(landes, { roles: ['admin'], email: 'admin@landes.exemple.fr' });
  const landesMember = await createUser(landes, { roles: ['member'], email: 'membre@landes.exemple.fr' });
  const landesVisitor = await createUser(landes, { email: 'visiteur@landes.exemple.fr' });
  return { gersAdmin, gersMember, gersVisitor, landesAdmin, landesMember, landesVisitor };
}

test('the user list of an administrator shows only the accounts of their territory', async () => {
  const p = await people();
  const agent = new Agent(w.app);
  await agent.login(p.gersAdmin.email, p.gersAdmin.password);
  const res = await agent.get('/admin/utilisateurs');
  assert.equal(res.statusCode, 200);
  for (const mine of [p.gersAdmin, p.gersMember, p.gersVisitor]) assert.ok(res.body.includes(mine.email), mine.email);
  for (const theirs of [p.landesAdmin, p.landesMember, p.landesVisitor]) assert.ok(!res.body.includes(theirs.email), theirs.email);
  const { total } = await listUsers(w.ctx, actorFor(w.ctx, p.gersAdmin, ['admin']), { page: 1 });
  assert.equal(total, 3);
  const landesSide = await listUsers(landes, actorFor(landes, p.landesAdmin, ['admin']), { page: 1 });
  assert.deepEqual(landesSide.rows.map((r) => r.email).sort(), ['admin@landes.exemple.fr', 'membre@landes.exemple.fr', 'visiteur@landes.exemple.fr']);
});

test('another territory’s account cannot be read nor given roles: 404, nothing granted', async () => {
  const p = await people();
  const agent = new Agent(w.app);
  await agent.login(p.gersAdmin.email, p.gersAdmin.password);
  assert.equal((await agent.get(`/admin/utilisateurs/${p.landesMember.id}`)).statusCode, 404);
  assert.equal((await agent.post(`/admin/utilisateurs/${p.landesMember.id}/roles`, { roles: 'staff' })).statusCode, 404);
  const actor = actorFor(w.ctx, p.gersAdmin, ['admin']);
  assert.equal(await codeOf(getUserForAdmin(w.ctx, actor, p.landesVisitor.id)), 'not_found');
  assert.equal(await codeOf(setRoles(w.ctx, actor, p.landesVisitor.id, ['admin'])), 'not_found');
  const grants = await w.ctx.db.selectFrom('role_grant').select(['user_id', 'territory_id', 'role']).where('user_id', 'in', [p.landesMember.id, p.landesVisitor.id]).execute();
  assert.deepEqual(grants.map((g) => [g.territory_id, g.role]), [[landes.territory.id, 'member']]);
  // Their own territory's accounts are managed as before.
  assert.equal((await agent.post(`/admin/utilisateurs/${p.gersMember.id}/roles`, { roles: ['member', 'staff'] })).statusCode, 303);
});

test('someone holding roles in both territories is managed by each for its own roles only', async () => {
  const p = await people();
  await w.ctx.db.insertInto('role_grant').values({ territory_id: w.ctx.territory.id, user_id: p.landesMember.id, role: 'member' }).execute();
  const actor = actorFor(w.ctx, p.gersAdmin, ['admin']);
  const seen = await getUserForAdmin(w.ctx, actor, p.landesMember.id);
  assert.deepEqual(seen.roles, ['member']);
  await setRoles(w.ctx, actor, p.landesMember.id, []);
  const grants = await w.ctx.db.selectFrom('role_grant').select(['territory_id']).where('user_id', '=', p.landesMember.id).execute();
  assert.deepEqual(grants.map((g) => g.territory_id), [landes.territory.id], 'the Landes role is untouched');
});

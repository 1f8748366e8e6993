import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../tests/support/factories.js';
import { erasePersonalData, exportPersonalData } from '../../modules.js';
import { hashPassword } from '../accounts/index.js';
import { loadDemoAccounts } from '../accounts/accounts.demo.js';
import { loadDemoMembers } from './members.demo.js';
import { approvedMember, applicationInput, anonymousActor, makePlan } from './members.testing.js';
import { applyForMembership } from './joining/index.js';
import { listMembersForStaff } from './members.service.js';

const w = useTestWorld();

async function staffActor() {
  const user = await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  return actorFor(w.ctx, user, ['staff']) as ReturnType<typeof actorFor> & { userId: string };
}

async function world() {
  const staff = await staffActor();
  const individuel = await makePlan(w.ctx, { name: 'Individuel' });
  const couple = await makePlan(w.ctx, { name: 'Couple' });
  const active = await approvedMember(w.ctx, staff, individuel, { email: 'a@exemple.fr', lastName: 'Abadie' }, '2026-06-01');
  const soon = await approvedMember(w.ctx, staff, couple, { email: 'b@exemple.fr', lastName: 'Bordes' }, '2025-12-10');
  const expired = await approvedMember(w.ctx, staff, individuel, { email: 'c@exemple.fr', lastName: 'Castaing' }, '2025-10-01');
  const pending = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(couple, { email: 'd@exemple.fr', lastName: 'Dupuy' }), 'fr');
  return { staff, individuel, couple, active, soon, expired, pending };
}

describe('the team’s list', () => {
  test('statuses are computed, and the list filters by status and plan', async () => {
    const x = await world();
    const all = await listMembersForStaff(w.ctx, x.staff, { page: 1 });
    assert.deepEqual(all.rows.map((r) => [r.last_name, r.status]), [['Abadie', 'actif'], ['Bordes', 'expire_bientot'], ['Castaing', 'expire'], ['Dupuy', 'en_attente']]);
    assert.deepEqual((await listMembersForStaff(w.ctx, x.staff, { page: 1, statut: 'expire_bientot' })).rows.map((r) => r.last_name), ['Bordes']);
    assert.deepEqual((await listMembersForStaff(w.ctx, x.staff, { page: 1, formule: x.couple })).rows.map((r) => r.last_name), ['Bordes', 'Dupuy']);
    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', PASSWORD);
    const page = await agent.get('/admin/adherents?statut=expire&formule=abc');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Castaing/);
    assert.doesNotMatch(page.body, /Abadie/);
    assert.equal((await agent.get('/admin/adherents/pas-un-id')).statusCode, 404);
  });
});

describe('the API', () => {
  test('a member reads their own membership; the team reads the list; others get problem+json', async () => {
    const x = await world();
    await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', 'a@exemple.fr').execute();
    const member = new Agent(w.app);
    await member.login('a@exemple.fr', PASSWORD);
    const own = await member.get('/api/v1/adhesion');
    assert.equal(own.statusCode, 200);
    const body = JSON.parse(own.body);
    assert.equal(body.number, 'M-000001');
    assert.equal(body.status, 'actif');
    assert.deepEqual(body.payments.map((p: { receipt: string }) => p.receipt), ['2026-0001']);
    const refused = await member.get('/api/v1/admin/adherents');
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['content-type']), /problem\+json/);
    const anonymous = await new Agent(w.app).get('/api/v1/adhesion');
    assert.equal(anonymous.statusCode, 401);
    assert.match(String(anonymous.headers['content-type']), /problem\+json/);
    const nobody = new Agent(w.app);
    const plain = await createUser(w.ctx);
    await nobody.login(plain.email, plain.password);
    assert.equal((await nobody.get('/api/v1/adhesion')).statusCode, 404);
    const team = new Agent(w.app);
    await team.login('equipe@exemple.fr', PASSWORD);
    const list = JSON.parse((await team.get('/api/v1/admin/adherents?statut=en_attente')).body);
    assert.equal(list.total, 1);
    assert.equal(list.items[0].lastName, 'Dupuy');
    assert.equal(list.items[0].id, x.pending.memberId);
    const openapi = JSON.parse((await team.get('/api/openapi.json')).body);
    assert.ok(openapi.paths['/api/v1/adhesion'] ?? openapi.paths['/adhesion'], 'described in the OpenAPI document');
  });
});

describe('personal data', () => {
  test('the export holds the membership and dues; erasure anonymises the member and keeps dues with the name replaced', async () => {
    const x = await world();
    const user = await w.ctx.db.selectFrom('member').select('user_id').where('id', '=', x.active.memberId).executeTakeFirstOrThrow();
    const data = await exportPersonalData(w.ctx, user.user_id!);
    const members = data.members as { memberships: { number: string; payments: { receipt: string }[] }[] };
    assert.equal(members.memberships[0].number, 'M-000001');
    assert.equal(members.memberships[0].payments[0].receipt, '2026-0001');
    const counts = await erasePersonalData(w.ctx, user.user_id!);
    assert.equal(counts.members, 2);
    const m = await w.ctx.db.selectFrom('member').selectAll().where('id', '=', x.active.memberId).executeTakeFirstOrThrow();
    assert.equal(m.user_id, null);
    assert.equal(m.first_name, 'Adhérent anonymisé M-000001');
    assert.equal(m.activity, null);
    const [p] = await w.ctx.db.selectFrom('member_payment').select(['payer_name', 'amount_cents']).where('member_id', '=', x.active.memberId).execute();
    assert.deepEqual(p, { payer_name: 'Adhérent anonymisé M-000001', amount_cents: 3000 });
  });
});

describe('demo content', () => {
  test('about sixty members across the Gers, some expiring within 30 days, some expired, a few pending; loading twice adds nothing', async () => {
    await loadDemoAccounts(w.ctx);
    await loadDemoMembers(w.ctx);
    await loadDemoMembers(w.ctx);
    const admin = actorFor(w.ctx, await createUser(w.ctx, { roles: ['admin'] }), ['admin']);
    const all = await listMembersForStaff(w.ctx, admin, { page: 1 });
    assert.equal(all.total, 60);
    const count = async (statut: 'actif' | 'expire_bientot' | 'expire' | 'en_attente' | 'radie') => (await listMembersForStaff(w.ctx, admin, { page: 1, statut })).total;
    assert.ok((await count('expire_bientot')) >= 8);
    assert.ok((await count('expire')) >= 8);
    assert.equal(await count('en_attente'), 4);
    assert.equal(await count('radie'), 1);
    assert.ok((await count('actif')) >= 20);
    const communes = await w.ctx.db.selectFrom('member').select('insee').distinct().where('insee', 'is not', null).execute();
    assert.ok(communes.length >= 10);
    const solo = await w.ctx.db.selectFrom('member as m').innerJoin('user_account as u', 'u.id', 'm.user_id').select('m.state').where('u.email', '=', 'solo@demo.soho-solo.fr').executeTakeFirstOrThrow();
    assert.equal(solo.state, 'approved');
  });
});

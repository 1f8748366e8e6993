import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { createPlan, listActivePlans, listPlansForAdmin, updatePlan } from './plans.service.js';

const w = useTestWorld();

test('admins create, change and archive plans; an archived plan is no longer offered', async () => {
  const admin = await createUser(w.ctx, { roles: ['admin'] });
  const agent = new Agent(w.app);
  await agent.login(admin.email, admin.password);
  let res = await agent.post('/admin/adherents/formules', { name: 'Individuel', price: '30', period: 'calendar_year', needsApproval: '1' });
  assert.equal(res.statusCode, 303);
  res = await agent.post('/admin/adherents/formules', { name: 'Couple', price: '45,50', period: 'twelve_months' });
  assert.equal(res.statusCode, 303);
  const plans = await listPlansForAdmin(w.ctx, actorFor(w.ctx, admin, ['admin']));
  assert.deepEqual(plans.map((p) => [p.name, p.price_cents, p.period, p.needs_approval]), [['Individuel', 3000, 'calendar_year', true], ['Couple', 4550, 'twelve_months', false]]);
  const page = await agent.get(`/admin/adherents/formules/${plans[1].id}`);
  assert.match(page.body, /value="45,50"/);
  res = await agent.post(`/admin/adherents/formules/${plans[1].id}`, { name: 'Couple', price: '50', period: 'twelve_months', archived: '1' });
  assert.equal(res.statusCode, 303);
  assert.deepEqual((await listActivePlans(w.ctx)).map((p) => p.name), ['Individuel']);
});

test('mistakes are a 422 in French: same name, price in words, no period, NUL byte; unknown plan is 404', async () => {
  const admin = await createUser(w.ctx, { roles: ['admin'] });
  const agent = new Agent(w.app);
  await agent.login(admin.email, admin.password);
  await agent.post('/admin/adherents/formules', { name: 'Individuel', price: '30', period: 'calendar_year' });
  let res = await agent.post('/admin/adherents/formules', { name: 'individuel', price: '30', period: 'calendar_year' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /Une formule porte déjà ce nom/);
  res = await agent.post('/admin/adherents/formules', { name: 'Autre\u0000', price: '30', period: 'calendar_year' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /caractère nul/, 'a NUL byte is refused for the whole request, in one place');
  res = await agent.post('/admin/adherents/formules', { name: 'Autre', price: 'trente', period: '' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /Écrivez un montant en euros/);
  assert.match(res.body, /Choisissez la durée/);
  assert.equal((await agent.get('/admin/adherents/formules/999999')).statusCode, 404);
  assert.equal((await agent.get('/admin/adherents/formules/abc')).statusCode, 404);
});

test('plans are for admins: staff and members are refused', async () => {
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']);
  const input = { name: 'X', priceCents: 100, period: 'calendar_year' as const, needsApproval: true, archived: false };
  assert.equal(await codeOf(createPlan(w.ctx, staff, input)), 'forbidden');
  assert.equal(await codeOf(updatePlan(w.ctx, staff, 1, input)), 'forbidden');
  assert.equal(await codeOf(listPlansForAdmin(w.ctx, actorFor(w.ctx, null))), 'unauthenticated');
});

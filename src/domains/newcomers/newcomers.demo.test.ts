import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestWorld } from '../../../tests/support/context.js';
import { createUser } from '../../../tests/support/factories.js';
import { loadNewcomersDemo } from './newcomers.demo.js';

const w = useTestWorld();

test('the demo gives the welcome team households at most stages, dated in the past, once', async () => {
  const staff = await createUser(w.ctx, { roles: ['staff'], email: 'accueil@demo.soho-solo.fr' });
  const admin = await createUser(w.ctx, { roles: ['admin', 'staff'], email: 'admin@demo.soho-solo.fr' });
  const household = await createUser(w.ctx, { roles: ['candidate'], email: 'candidat@demo.soho-solo.fr' });
  const accounts = { staffId: staff.id, adminId: admin.id, candidateEmail: 'candidat@demo.soho-solo.fr' };
  await loadNewcomersDemo(w.ctx, accounts);

  const cases = await w.ctx.db.selectFrom('newcomer_case').select(['stage', 'created_at', 'settled_on', 'contact_user_id']).execute();
  assert.equal(cases.length, 38);
  const stages = new Set(cases.map((c) => c.stage));
  for (const stage of ['nouveau', 'qualifie', 'accompagne', 'installe', 'abandon']) assert.ok(stages.has(stage as never), `a case at ${stage}`);
  const now = w.clock.now().getTime();
  assert.ok(cases.every((c) => c.created_at.getTime() <= now), 'nothing happens in the future');
  assert.ok(cases.some((c) => now - c.created_at.getTime() > 300 * 86_400_000), 'the history spans more than a year');
  assert.ok(cases.some((c) => c.contact_user_id === household.id), 'the demo household account follows its own case');

  const events = await w.ctx.db.selectFrom('case_stage_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  await loadNewcomersDemo(w.ctx, accounts);
  assert.equal((await w.ctx.db.selectFrom('newcomer_case').select('id').execute()).length, 38, 'a second start adds nothing');
  assert.equal((await w.ctx.db.selectFrom('case_stage_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n, events.n);
});

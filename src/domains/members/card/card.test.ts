import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { hashPassword } from '../../accounts/index.js';
import { strikeOffMember } from '../joining/index.js';
import { approvedMember, makePlan } from '../members.testing.js';
import { verifyCard } from './card.service.js';

const w = useTestWorld();

test('the card shows name, number, plan, validity and a QR code of the verification link, which says only “valid until”', async () => {
  const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']) as ReturnType<typeof actorFor> & { userId: string };
  const planId = await makePlan(w.ctx, { period: 'calendar_year' });
  const m = await approvedMember(w.ctx, staff, planId, {}, '2026-11-27');
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', 'camille.dubois@exemple.fr').execute();
  const agent = new Agent(w.app);
  await agent.login('camille.dubois@exemple.fr', PASSWORD);
  const card = await agent.get('/compte/carte');
  assert.equal(card.statusCode, 200);
  assert.match(card.body, /Camille Dubois/);
  assert.match(card.body, /M-000001/);
  assert.match(card.body, /Individuel/);
  assert.match(card.body, /Jusqu’au 31 décembre 2026/);
  assert.match(card.body, /<svg[^>]*viewBox/);
  const token = (await w.ctx.db.selectFrom('member').select('card_token').where('id', '=', m.memberId).executeTakeFirstOrThrow()).card_token;
  assert.ok(card.body.includes(`/adherents/verifier/${token}`));

  const check = await new Agent(w.app).get(`/adherents/verifier/${token}`);
  assert.equal(check.statusCode, 200);
  assert.match(check.body, /Valide jusqu’au 31 décembre 2026/);
  assert.doesNotMatch(check.body, /Camille|Dubois|M-000001/, 'no name, no number');
  // The last guess differs from the token in its last character only.
  for (const guess of ['M-000001', '1', 'x'.repeat(24), `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`]) {
    const res = await new Agent(w.app).get(`/adherents/verifier/${encodeURIComponent(guess)}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Non valide/);
  }
  w.clock.set('2027-01-01T10:00:00Z');
  assert.deepEqual(await verifyCard(w.ctx, token), { validUntil: null }, 'expired');
  w.clock.set('2026-11-27T10:00:00Z');
  await strikeOffMember(w.ctx, staff, m.memberId, 'Motif.');
  assert.deepEqual(await verifyCard(w.ctx, token), { validUntil: null }, 'struck off');
});

test('someone without membership is told so on the card page', async () => {
  const user = await createUser(w.ctx);
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  const res = await agent.get('/compte/carte');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Vous n’êtes pas encore adhérent/);
  assert.equal((await new Agent(w.app).get('/compte/carte')).statusCode, 303, 'a visitor is sent to sign in');
});

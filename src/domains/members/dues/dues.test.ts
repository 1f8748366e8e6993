import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { addDays, periodFor, statusOf } from '../members.common.js';
import { approvedMember, anonymousActor, applicationInput, makePlan } from '../members.testing.js';
import { applyForMembership } from '../joining/index.js';
import { updatePlan } from '../plans/index.js';
import { getMyReceipt, recordPayment } from './dues.service.js';

const w = useTestWorld();

async function staffActor() {
  const user = await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  return actorFor(w.ctx, user, ['staff']) as ReturnType<typeof actorFor> & { userId: string };
}
const paymentsOf = (memberId: string) =>
  w.ctx.db.selectFrom('member_payment').select(['id', 'receipt_year', 'receipt_seq', 'amount_cents', 'plan_name', 'payer_name']).where('member_id', '=', memberId).orderBy('id').execute();

describe('periods and statuses', () => {
  test('a calendar-year plan covers the year paid, a twelve-month plan twelve months from the day; renewing early loses nothing', () => {
    assert.deepEqual(periodFor('calendar_year', '2026-03-10', null), { startsOn: '2026-01-01', endsOn: '2026-12-31' });
    assert.deepEqual(periodFor('calendar_year', '2026-12-15', '2026-12-31'), { startsOn: '2027-01-01', endsOn: '2027-12-31' });
    assert.deepEqual(periodFor('twelve_months', '2026-03-10', null), { startsOn: '2026-03-10', endsOn: '2027-03-09' });
    assert.deepEqual(periodFor('twelve_months', '2026-03-01', '2026-03-20'), { startsOn: '2026-03-21', endsOn: '2027-03-20' });
    assert.deepEqual(periodFor('twelve_months', '2024-02-29', null), { startsOn: '2024-02-29', endsOn: '2025-02-27' });
    assert.deepEqual(periodFor('twelve_months', '2026-05-01', '2026-01-31'), { startsOn: '2026-05-01', endsOn: '2027-04-30' }, 'after a gap, from the payment day');
  });

  test('the status follows the decision, then the latest period and the reminder window', () => {
    const day = '2026-11-27';
    assert.equal(statusOf('pending', null, day, 30), 'en_attente');
    assert.equal(statusOf('approved', null, day, 30), 'en_attente');
    assert.equal(statusOf('approved', '2027-06-30', day, 30), 'actif');
    assert.equal(statusOf('approved', addDays(day, 30), day, 30), 'expire_bientot');
    assert.equal(statusOf('approved', addDays(day, 31), day, 30), 'actif');
    assert.equal(statusOf('approved', day, day, 30), 'expire_bientot', 'valid through its last day');
    assert.equal(statusOf('approved', addDays(day, -1), day, 30), 'expire');
    assert.equal(statusOf('struck_off', '2027-06-30', day, 30), 'radie');
    assert.equal(statusOf('declined', null, day, 30), 'refuse');
  });
});

describe('recording dues', () => {
  test('a cheque gets receipt 2026-0001, the next 2026-0002; the numbering starts again at 0001 in 2027', async () => {
    const staff = await staffActor();
    const planId = await makePlan(w.ctx, { period: 'calendar_year' });
    const a = await approvedMember(w.ctx, staff, planId);
    const b = await approvedMember(w.ctx, staff, planId, { email: 'b@exemple.fr', firstName: 'Hugo' });
    const first = await recordPayment(w.ctx, staff, a.memberId, { method: 'cheque', amountCents: 3000, paidOn: '2026-11-27', reference: 'Chèque n° 1234567' });
    assert.deepEqual([first.receipt, first.startsOn, first.endsOn], ['2026-0001', '2026-01-01', '2026-12-31']);
    assert.equal((await recordPayment(w.ctx, staff, b.memberId, { method: 'transfer', amountCents: 3000, paidOn: '2026-11-26' })).receipt, '2026-0002');
    w.clock.set('2027-01-05T10:00:00Z');
    const next = await recordPayment(w.ctx, staff, a.memberId, { method: 'cash', amountCents: 3000, paidOn: '2027-01-05' });
    assert.deepEqual([next.receipt, next.startsOn, next.endsOn], ['2027-0001', '2027-01-01', '2027-12-31']);
    const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', '=', 'member.payment_recorded').execute();
    assert.equal(audit.length, 3);
  });

  test('a failed recording gives its receipt number back: no gap', async () => {
    const staff = await staffActor();
    const planId = await makePlan(w.ctx);
    const a = await approvedMember(w.ctx, staff, planId);
    await assert.rejects(recordPayment(w.ctx, staff, a.memberId, { method: 'cheque', amountCents: 20_000_000, paidOn: '2026-11-27' }));
    assert.equal((await recordPayment(w.ctx, staff, a.memberId, { method: 'cheque', amountCents: 3000, paidOn: '2026-11-27' })).receipt, '2026-0001');
  });

  test('a price change never rewrites past dues', async () => {
    const staff = await staffActor();
    const admin = actorFor(w.ctx, await createUser(w.ctx, { roles: ['admin'] }), ['admin']);
    const planId = await makePlan(w.ctx, { priceCents: 3000 });
    const a = await approvedMember(w.ctx, staff, planId, {}, '2026-11-20');
    await updatePlan(w.ctx, admin, planId, { name: 'Individuel 2027', priceCents: 3500, period: 'twelve_months', needsApproval: true, archived: false });
    const [p] = await paymentsOf(a.memberId);
    assert.deepEqual([p.amount_cents, p.plan_name], [3000, 'Individuel']);
  });

  test('bad input is a clear 422, never a 500: impossible date, future date, amount in words, online without provider', async () => {
    await staffActor();
    const staff = actorFor(w.ctx, { id: (await w.ctx.db.selectFrom('user_account').select('id').executeTakeFirstOrThrow()).id }, ['staff']) as ReturnType<typeof actorFor> & { userId: string };
    const planId = await makePlan(w.ctx);
    const a = await approvedMember(w.ctx, staff, planId);
    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', PASSWORD);
    const post = (fields: Record<string, string>) => agent.post(`/admin/adherents/${a.memberId}/paiements`, { method: 'cheque', amount: '30', paidOn: '2026-11-27', ...fields });
    let res = await post({ paidOn: '2026-02-30' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Cette date n’existe pas/);
    res = await post({ paidOn: '2026-12-25' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /ne peut pas être dans le futur/);
    res = await post({ amount: 'trente' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Écrivez un montant en euros/);
    assert.match(res.body, /value="trente"/, 'the value typed comes back');
    res = await post({ method: 'online' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Indiquez le prestataire/);
    res = await post({ reference: 'abc\u0000def' });
    assert.equal(res.statusCode, 422);
    res = await post({ method: 'online', provider: 'HelloAsso', providerReference: 'HA-778899', amount: '30,50' });
    assert.equal(res.statusCode, 303);
    const [p] = await w.ctx.db.selectFrom('member_payment').select(['method', 'provider', 'provider_reference', 'amount_cents']).execute();
    assert.deepEqual(p, { method: 'online', provider: 'HelloAsso', provider_reference: 'HA-778899', amount_cents: 3050 });
  });

  test('dues are recorded only for approved members', async () => {
    const staff = await staffActor();
    const planId = await makePlan(w.ctx);
    const { memberId } = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(planId), 'fr');
    assert.equal(await codeOf(recordPayment(w.ctx, staff, memberId, { method: 'cheque', amountCents: 3000, paidOn: '2026-11-27' })), 'conflict');
    const member = actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']);
    assert.equal(await codeOf(recordPayment(w.ctx, member, memberId, { method: 'cheque', amountCents: 3000, paidOn: '2026-11-27' })), 'forbidden');
  });
});

describe('receipts', () => {
  test('the receipt is a printable page and a valid PDF, for the team and for its member only', async () => {
    const staff = await staffActor();
    const planId = await makePlan(w.ctx);
    const a = await approvedMember(w.ctx, staff, planId, {}, '2026-11-27');
    const paymentId = a.payment!.paymentId;
    const team = new Agent(w.app);
    await team.login('equipe@exemple.fr', PASSWORD);
    const page = await team.get(`/admin/adherents/recus/${paymentId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Reçu de cotisation n° 2026-0001/);
    assert.match(page.body, /Camille Dubois, adhérent n° M-000001/);
    const pdf = await team.get(`/admin/adherents/recus/${paymentId}/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.ok(pdf.rawPayload.subarray(0, 8).toString('latin1').startsWith('%PDF-1.4'));
    assert.ok(pdf.rawPayload.toString('latin1').includes('2026-0001'));

    // The member reads their own receipt; another member gets "not found".
    await w.ctx.db.updateTable('user_account').set({ password_hash: (await w.ctx.db.selectFrom('user_account').select('password_hash').where('email', '=', 'equipe@exemple.fr').executeTakeFirstOrThrow()).password_hash, email_verified_at: w.clock.now() }).where('email', '=', 'camille.dubois@exemple.fr').execute();
    const own = new Agent(w.app);
    await own.login('camille.dubois@exemple.fr', PASSWORD);
    assert.equal((await own.get(`/compte/adhesion/recus/${paymentId}`)).statusCode, 200);
    assert.equal((await own.get(`/compte/adhesion/recus/${paymentId}/pdf`)).statusCode, 200);
    assert.equal((await own.get(`/admin/adherents/recus/${paymentId}`)).statusCode, 403);
    const other = await createUser(w.ctx, { roles: ['member'] });
    assert.equal(await codeOf(getMyReceipt(w.ctx, actorFor(w.ctx, other, ['member']), paymentId)), 'not_found');
    const stranger = new Agent(w.app);
    await stranger.login(other.email, other.password);
    assert.equal((await stranger.get(`/compte/adhesion/recus/${paymentId}`)).statusCode, 404);
    assert.equal((await stranger.get('/compte/adhesion/recus/abc')).statusCode, 404);
  });
});

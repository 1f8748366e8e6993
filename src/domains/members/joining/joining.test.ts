import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { createTestWorld, useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { applyAsVisitor } from '../../newcomers/newcomers.testing.js';
import { anonymousActor, applicationInput, makePlan } from '../members.testing.js';
import { applyForMembership, approveApplication, declineApplication, getApplicationForm, OwnerToldByMail, strikeOffMember } from './joining.service.js';

const w = useTestWorld();

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();
const memberRow = (id: string) => w.ctx.db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const rolesOf = async (userId: string) => (await w.ctx.db.selectFrom('role_grant').select('role').where('user_id', '=', userId).execute()).map((r) => r.role);

async function staffActor() {
  const user = await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  return actorFor(w.ctx, user, ['staff']) as ReturnType<typeof actorFor> & { userId: string };
}

const form = (planId: number, overrides: Record<string, string> = {}) => ({
  firstName: 'Camille',
  lastName: 'Dubois',
  email: 'camille.dubois@exemple.fr',
  phone: '06 12 34 56 78',
  activity: 'Développeuse web indépendante',
  insee: '32013',
  planId: String(planId),
  acceptStatutes: '1',
  acceptPrivacy: '1',
  ...overrides,
});

describe('applying', () => {
  test('a visitor applies: an unverified account, a pending membership with a number for life, mails to the applicant and the team', async () => {
    await staffActor();
    const planId = await makePlan(w.ctx);
    const agent = new Agent(w.app);
    const page = await agent.get('/adherer');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Individuel/);
    const res = await agent.post('/adherer', form(planId));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/adherer/merci');
    const member = await w.ctx.db.selectFrom('member').selectAll().executeTakeFirstOrThrow();
    assert.equal(member.state, 'pending');
    assert.equal(member.number, 1);
    assert.equal(member.insee, '32013');
    assert.ok(member.accepted_statutes_at && member.accepted_privacy_at);
    assert.match(member.card_token, /^[A-Za-z0-9_-]{24}$/);
    const account = await w.ctx.db.selectFrom('user_account').selectAll().where('email', '=', 'camille.dubois@exemple.fr').executeTakeFirstOrThrow();
    assert.equal(account.email_verified_at, null);
    assert.equal(account.id, member.user_id);
    assert.deepEqual(await rolesOf(account.id), [], 'no member role before approval');
    const mails = await mailsTo('camille.dubois@exemple.fr');
    assert.equal(mails.length, 2);
    assert.ok(mails.some((m) => m.subject.startsWith('Activez votre compte')), 'an activation link');
    assert.ok(mails.some((m) => m.subject === 'Votre demande d’adhésion (M-000001)'));
    assert.equal((await mailsTo('equipe@exemple.fr')).length, 1);
  });

  test('mistakes come back as 422 with a French message per field and the values kept: unknown plan, NUL byte, missing consent, impossible commune', async () => {
    const planId = await makePlan(w.ctx);
    const agent = new Agent(w.app);
    // A NUL byte is refused for the whole request, in one place (the form parser).
    let res = await agent.post('/adherer', form(planId, { firstName: 'Cam\u0000ille' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /caractère nul/);
    res = await agent.post('/adherer', form(planId, { planId: '999999', acceptStatutes: '', insee: '99999' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Acceptez les statuts pour adhérer/);
    assert.match(res.body, /value="camille.dubois@exemple.fr"/);
    res = await agent.post('/adherer', form(planId, { planId: '999999' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Cette formule n’existe pas ou n’est plus proposée/);
    res = await agent.post('/adherer', form(planId, { insee: '33063' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Cette commune ne fait pas partie du territoire/);
    res = await agent.post('/adherer', form(planId, { planId: 'abc', email: 'pas-une-adresse' }));
    assert.equal(res.statusCode, 422);
    assert.equal(await w.ctx.db.selectFrom('member').select('id').executeTakeFirst(), undefined, 'nothing was created');
  });

  test('an address that is a member’s, or has an account not signed in: the page answers as for a new one, nothing is created, its owner is told by mail', async () => {
    const planId = await makePlan(w.ctx);
    const agent = new Agent(w.app);
    assert.equal((await agent.post('/adherer', form(planId))).statusCode, 303);
    const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select('subject').where('to_address', '=', to).orderBy('created_at').execute();
    const before = (await mailsTo('camille.dubois@exemple.fr')).length;
    const again = await new Agent(w.app).post('/adherer', form(planId, { email: 'CAMILLE.DUBOIS@exemple.fr' }));
    assert.equal(again.statusCode, 303, 'the same answer as a new address: the form tells nobody who is a member');
    assert.equal(again.headers.location, '/adherer/merci');
    const told = await mailsTo('camille.dubois@exemple.fr');
    assert.equal(told.length, before + 1);
    assert.ok(told.some((m) => m.subject === 'Vous êtes déjà adhérent'), 'the owner is told by mail');
    await createUser(w.ctx, { email: 'deja@exemple.fr' });
    const other = await new Agent(w.app).post('/adherer', form(planId, { email: 'deja@exemple.fr' }));
    assert.equal(other.statusCode, 303);
    assert.deepEqual((await mailsTo('deja@exemple.fr')).map((m) => m.subject), ['Une demande d’adhésion avec votre adresse']);
    assert.equal((await w.ctx.db.selectFrom('member').select('id').execute()).length, 1, 'no membership for someone else’s address');
    await assert.rejects(applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(planId, { email: 'deja@exemple.fr' }), 'fr'), OwnerToldByMail);
  });

  test('a signed-in person applies for their own account; a plan without approval makes them a member at once', async () => {
    const planId = await makePlan(w.ctx, { name: 'Tarif réduit', needsApproval: false, priceCents: 1500 });
    const user = await createUser(w.ctx, { email: 'lea@exemple.fr' });
    const agent = new Agent(w.app);
    await agent.login(user.email, user.password);
    const page = await agent.get('/adherer');
    assert.match(page.body, /lea@exemple.fr/);
    const res = await agent.post('/adherer', form(planId, { email: 'quelqu.un@exemple.fr' }));
    assert.equal(res.statusCode, 303, 'the address typed is ignored: the account’s address is used');
    const member = await w.ctx.db.selectFrom('member').selectAll().executeTakeFirstOrThrow();
    assert.equal(member.user_id, user.id);
    assert.equal(member.state, 'approved');
    assert.deepEqual(await rolesOf(user.id), ['member']);
    assert.match((await agent.get('/adherer')).body, /Vous avez déjà une adhésion/);
  });

  test('a household not yet in the territory is linked to its newcomer case', async () => {
    const planId = await makePlan(w.ctx);
    const { caseId } = await applyAsVisitor(w.ctx, { email: 'famille@exemple.fr', contactName: 'Famille Roux' });
    const user = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'famille@exemple.fr').executeTakeFirstOrThrow();
    const actor = actorFor(w.ctx, { id: user.id }, ['candidate']);
    const { memberId } = await applyForMembership(w.ctx, actor, applicationInput(planId, { email: 'famille@exemple.fr', insee: null }), 'fr');
    const m = await memberRow(memberId);
    assert.equal(m.outside_territory, true);
    assert.equal(m.newcomer_case_id, caseId);
  });
});

test('the public form is rate-limited like the others: a burst of posts gets a French 429', async () => {
  const strict = await createTestWorld({ rateLimitPerMinute: 5 });
  try {
    const a = new Agent(strict.app);
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await a.post('/adherer', { firstName: 'x' })).statusCode);
    assert.deepEqual(codes, [422, 422, 422, 422, 422, 429, 429, 429]);
    assert.match((await a.post('/adherer', {})).body, /Trop de tentatives/);
  } finally {
    await strict.close();
  }
});

describe('the team decides', () => {
  test('approval gives the member role and mails the message; a second decision is refused', async () => {
    const staff = await staffActor();
    const planId = await makePlan(w.ctx);
    const { memberId } = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(planId), 'fr');
    await w.clock.advance(60_000);
    await approveApplication(w.ctx, staff, memberId, 'Bienvenue parmi nous !');
    const m = await memberRow(memberId);
    assert.equal(m.state, 'approved');
    assert.deepEqual(await rolesOf(m.user_id!), ['member']);
    const mail = (await mailsTo('camille.dubois@exemple.fr')).find((x) => x.subject.startsWith('Votre adhésion est validée'));
    assert.ok(mail?.text_body.includes('Bienvenue parmi nous !'));
    assert.equal(await codeOf(declineApplication(w.ctx, staff, memberId, 'Non')), 'conflict');
  });

  test('declining needs a message (422 on the page) and mails it', async () => {
    await staffActor();
    const planId = await makePlan(w.ctx);
    const { memberId } = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(planId), 'fr');
    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', 'un mot de passe solide');
    const empty = await agent.post(`/admin/adherents/${memberId}/refuser`, { message: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /<h1>Camille Dubois<\/h1>/);
    const res = await agent.post(`/admin/adherents/${memberId}/refuser`, { message: 'Votre activité est hors du champ de l’association.' });
    assert.equal(res.statusCode, 303);
    assert.equal((await memberRow(memberId)).state, 'declined');
    const mail = (await mailsTo('camille.dubois@exemple.fr')).find((x) => x.subject === 'Votre demande d’adhésion');
    assert.ok(mail?.text_body.includes('hors du champ'));
  });

  test('after a refusal the person applies again from their account: same row and number, new answers, pending again; a struck-off member cannot', async () => {
    const staff = await staffActor();
    const planId = await makePlan(w.ctx);
    const first = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(planId), 'fr');
    await declineApplication(w.ctx, staff, first.memberId, 'Précisez votre activité.');
    const { user_id } = await memberRow(first.memberId);
    // The applicant has chosen their password from the activation link.
    const { password_hash } = await w.ctx.db.selectFrom('user_account').select('password_hash').where('email', '=', 'equipe@exemple.fr').executeTakeFirstOrThrow();
    await w.ctx.db.updateTable('user_account').set({ password_hash, email_verified_at: w.ctx.clock.now() }).where('id', '=', user_id!).execute();
    const agent = new Agent(w.app);
    await agent.login('camille.dubois@exemple.fr', 'un mot de passe solide');
    const page = await agent.get('/adherer');
    assert.doesNotMatch(page.body, /Vous avez déjà une adhésion/, 'the form is offered again');
    assert.equal((await agent.post('/adherer', form(planId, { activity: 'Graphiste et illustratrice' }))).statusCode, 303);
    const again = await memberRow(first.memberId);
    assert.deepEqual([again.state, again.number, again.activity, again.decision_message], ['pending', first.number, 'Graphiste et illustratrice', null]);
    assert.equal((await w.ctx.db.selectFrom('member').select('id').execute()).length, 1);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'data']).where('action', '=', 'member.applied').orderBy('id').execute();
    assert.equal(audit.length, 2);
    assert.match(JSON.stringify(audit[1].data), /"again":true/);
    assert.match((await agent.get('/adherer')).body, /Vous avez déjà une adhésion/, 'pending again: not twice');

    await approveApplication(w.ctx, staff, first.memberId);
    await strikeOffMember(w.ctx, staff, first.memberId, 'Comportement contraire aux statuts.');
    const refused = await agent.post('/adherer', form(planId));
    assert.equal(refused.statusCode, 422, 'struck off: the team decides, not a new form');
    assert.equal((await memberRow(first.memberId)).state, 'struck_off');
  });

  test('striking off withdraws the member role and keeps the reason', async () => {
    const staff = await staffActor();
    const planId = await makePlan(w.ctx);
    const { memberId } = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(planId), 'fr');
    await approveApplication(w.ctx, staff, memberId);
    await strikeOffMember(w.ctx, staff, memberId, 'Comportement contraire aux statuts.');
    const m = await memberRow(memberId);
    assert.equal(m.state, 'struck_off');
    assert.equal(m.struck_off_reason, 'Comportement contraire aux statuts.');
    assert.deepEqual(await rolesOf(m.user_id!), []);
  });

  test('only the team decides: a member, a candidate or a visitor is refused before anything is read', async () => {
    const planId = await makePlan(w.ctx);
    const { memberId } = await applyForMembership(w.ctx, anonymousActor(w.ctx), applicationInput(planId), 'fr');
    const member = await createUser(w.ctx, { roles: ['member'] });
    assert.equal(await codeOf(approveApplication(w.ctx, actorFor(w.ctx, member, ['member']), memberId)), 'forbidden');
    assert.equal(await codeOf(approveApplication(w.ctx, anonymousActor(w.ctx), memberId)), 'unauthenticated');
    assert.equal(await codeOf(strikeOffMember(w.ctx, actorFor(w.ctx, member, ['candidate']), 'not-a-uuid', 'x')), 'forbidden');
    const staff = await staffActor();
    assert.equal(await codeOf(approveApplication(w.ctx, staff, '00000000-0000-4000-8000-000000000000')), 'not_found');
  });
});

test('the joining form lists the communes in French alphabetical order, accents folded, whatever the database collation', async () => {
  const names = (await getApplicationForm(w.ctx, anonymousActor(w.ctx))).communes.map((c) => c.name);
  assert.ok(names.length > 400);
  // In code-point order (PGlite's collation) an accented letter sorts after every plain one.
  assert.ok(names.indexOf('Avéron-Bergelle') < names.indexOf('Avezan'), 'Avéron-Bergelle before Avezan');
  assert.ok(names.indexOf('Bédéchan') < names.indexOf('Bellegarde'), 'Bédéchan before Bellegarde');
});

/**
 * Members' proposals: the form over HTTP (CSRF, 422 with the values and a French message per field), the rules
 * per role in the service (members propose; visitors and candidates are refused; the team moderates), approving
 * (published, the member credited, a mail, the agenda shows it at once) and declining (a message, a mail).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import type { Role } from '../../../db/schema.js';
import { EventForm } from '../events.schemas.js';
import { eventForm } from '../events.testing.js';
import { seedEventTypes } from '../staff/index.js';
import { approveProposal, declineProposal, listProposals, proposeEvent } from './index.js';

const w = useTestWorld();

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();
const proposal = (overrides: Record<string, string> = {}) => {
  const form = eventForm(w.ctx, { titre: 'Balade des haies', ...overrides });
  for (const k of ['public', 'placesMax', 'delaiReponse']) delete form[k];
  return form;
};

async function signedIn(roles: Role[], name?: string) {
  const user = await createUser(w.ctx, { roles, name });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return { user, agent };
}

describe('proposing an event', () => {
  test('a member proposes through the form: a draft with the member as organiser, nothing public yet', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const { user, agent } = await signedIn(['member']);
    const page = await agent.get('/agenda/proposer');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('name="_csrf"'));
    assert.ok(!page.body.includes('name="prixMembre"'), 'the team decides prices');

    const bad = await agent.post('/agenda/proposer', { ...proposal({ titre: 'Mon atelier\u0001', debut: '2026-13-45T10:00', places: 'beaucoup' }) });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes('Apprendre à **composter**.') && bad.body.includes('value="beaucoup"'), 'the values come back');
    for (const message of ['Ce texte contient un caractère invisible non autorisé.', 'Cette date n’existe pas', 'Indiquez un nombre de places entre 1 et 10 000.'])
      assert.ok(bad.body.includes(message), message);

    const nul = await agent.post('/agenda/proposer', proposal({ titre: 'Mon atelier\u0000' }));
    assert.equal(nul.statusCode, 422, 'a NUL byte is refused, never a 500');
    const refused = await agent.post('/agenda/proposer', proposal(), { csrf: 'faux' });
    assert.equal(refused.statusCode, 403, 'a post without the right CSRF token is refused');

    const sent = await agent.post('/agenda/proposer', { ...proposal(), public: 'members', prixPublic: '50' });
    assert.equal(sent.statusCode, 303);
    const row = await w.ctx.db.selectFrom('event').selectAll().where('title', '=', 'Balade des haies').executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
    assert.equal(row.proposal_status, 'pending');
    assert.equal(row.proposed_by, user.id);
    assert.match(row.organiser ?? '', /^Personne \d+$/);
    assert.equal(row.audience, 'public', 'team-only fields are ignored');
    assert.equal(row.price_public_cents, null);
    assert.equal((await new Agent(w.app).get(`/agenda/${row.slug}`)).statusCode, 404, 'a proposal is not public');
  });

  test('per role: members propose; visitors and candidates are refused; only the team moderates', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const input = EventForm.parse({ ...proposal(), public: 'public', placesMax: '1', delaiReponse: '48' });
    const member = await createUser(w.ctx, { roles: ['member'] });
    const candidate = await createUser(w.ctx, { roles: ['candidate'] });
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    assert.equal(await codeOf(proposeEvent(w.ctx, actorFor(w.ctx, null), input)), 'unauthenticated');
    assert.equal(await codeOf(proposeEvent(w.ctx, actorFor(w.ctx, candidate, ['candidate']), input)), 'forbidden');
    const row = await proposeEvent(w.ctx, actorFor(w.ctx, member, ['member']), input);
    for (const [who, roles] of [[member, ['member']], [candidate, ['candidate']], [null, []]] as const) {
      const actor = actorFor(w.ctx, who, [...roles]);
      assert.notEqual(await codeOf(listProposals(w.ctx, actor)), 'ok');
      assert.notEqual(await codeOf(approveProposal(w.ctx, actor, row.id)), 'ok');
      assert.notEqual(await codeOf(declineProposal(w.ctx, actor, row.id, { message: 'non' })), 'ok');
    }
    assert.equal((await listProposals(w.ctx, actorFor(w.ctx, staff, ['staff']))).length, 1);
    assert.equal(await codeOf(approveProposal(w.ctx, actorFor(w.ctx, admin, ['admin']), row.id)), 'ok');
    assert.equal(await codeOf(declineProposal(w.ctx, actorFor(w.ctx, staff, ['staff']), row.id, { message: 'trop tard' })), 'conflict', 'decided once');
    // Over HTTP: a visitor is sent to sign in, a candidate refused.
    const visitor = await new Agent(w.app).get('/agenda/proposer');
    assert.ok([302, 303].includes(visitor.statusCode));
    const { agent } = await signedIn(['candidate']);
    assert.equal((await agent.get('/agenda/proposer')).statusCode, 403);
  });
});

describe('moderating proposals', () => {
  test('approving publishes the event under the member’s name, tells them, and the agenda shows it at once', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const { user, agent: member } = await signedIn(['member'], 'Léa Solo');
    await member.post('/agenda/proposer', proposal());
    await new Agent(w.app).get('/agenda');
    const { agent: staff } = await signedIn(['staff']);
    const list = await staff.get('/admin/agenda/propositions');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes('Balade des haies') && list.body.includes('Léa Solo'));
    const row = await w.ctx.db.selectFrom('event').select(['id', 'slug']).where('title', '=', 'Balade des haies').executeTakeFirstOrThrow();
    const res = await staff.post(`/admin/agenda/propositions/${row.id}/approuver`, {});
    assert.equal(res.statusCode, 303);
    const agenda = await new Agent(w.app).get('/agenda');
    assert.ok(agenda.body.includes('Balade des haies'), 'the cached agenda was cleared');
    const page = await new Agent(w.app).get(`/agenda/${row.slug}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Léa Solo'), 'the member is credited as organiser');
    const mails = await mailsTo(user.email);
    assert.equal(mails.length, 1);
    assert.match(mails[0].subject, /Votre événement est publié : Balade des haies/);
  });

  test('declining needs a message (422 in French), keeps the draft and mails the message', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const { user, agent: member } = await signedIn(['member']);
    await member.post('/agenda/proposer', proposal());
    const row = await w.ctx.db.selectFrom('event').select(['id', 'slug']).where('title', '=', 'Balade des haies').executeTakeFirstOrThrow();
    const { agent: staff } = await signedIn(['staff']);
    await staff.get('/admin/agenda/propositions');
    const empty = await staff.post(`/admin/agenda/propositions/${row.id}/refuser`, { message: '  ' });
    assert.equal(empty.statusCode, 422);
    assert.ok(empty.body.includes('Écrivez un message au membre'));
    const res = await staff.post(`/admin/agenda/propositions/${row.id}/refuser`, { message: 'Le même jour que la fête du village : une autre date ?' });
    assert.equal(res.statusCode, 303);
    const after = await w.ctx.db.selectFrom('event').select(['status', 'proposal_status', 'proposal_message']).where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.deepEqual(after, { status: 'draft', proposal_status: 'declined', proposal_message: 'Le même jour que la fête du village : une autre date ?' });
    const mails = await mailsTo(user.email);
    assert.equal(mails.length, 1);
    assert.ok(mails[0].text_body.includes('une autre date ?'));
    assert.equal((await staff.post(`/admin/agenda/propositions/${row.id}/approuver`, {})).statusCode, 409);
  });
});

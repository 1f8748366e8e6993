/**
 * Members' proposals: the form over HTTP (CSRF, 422 with the values and a French message per field), the rules
 * per role in the service (members propose; visitors and candidates are refused; the team moderates), approving
 * (published, the member credited, a mail, the agenda shows it at once) and declining (a message, a mail); the
 * member's own proposals and the cover they upload to one (while it waits or once published, never someone else's).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, signedInUser } from '../../../../tests/support/factories.js';
import { multipartBody } from '../../../../tests/support/multipart.js';
import type { Role } from '../../../db/schema.js';
import { EventForm } from '../events.schemas.js';
import { eventForm, publishedEvent } from '../events.testing.js';
import { seedEventTypes } from '../staff/index.js';
import { approveProposal, declineProposal, listProposals, proposeEvent } from './index.js';

const w = useTestWorld();

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();
const proposal = (overrides: Record<string, string> = {}) => {
  const form = eventForm(w.ctx, { titre: 'Balade des haies', ...overrides });
  for (const k of ['public', 'placesMax', 'delaiReponse']) delete form[k];
  return form;
};

const signedIn = (roles: Role[], name?: string) => signedInUser(w, roles, name);

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

describe('the member’s own proposals', () => {
  /** The cover's form of a proposal's page as a browser sends it: the token, the alternative text, then the file. */
  async function sendCover(agent: Agent, id: number, file: { filename: string; type: string; data: Buffer }, alt = '') {
    const html = (await agent.get(`/agenda/proposer/${id}`)).body;
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: token }, { name: 'alt', value: alt }, { name: 'image', ...file }]);
    return w.app.inject({ method: 'POST', url: `/agenda/proposer/${id}/couverture`, payload, headers: { 'content-type': contentType, cookie: `sid=${agent.cookie('sid')}; csrf=${agent.cookie('csrf')}` } });
  }
  const poster = () => sharp({ create: { width: 1600, height: 900, channels: 3, background: '#2f6b3a' } }).jpeg().toBuffer();
  const coverOf = (id: number) => w.ctx.db.selectFrom('event').select(['cover_id', 'cover_alt']).where('id', '=', id).executeTakeFirstOrThrow();

  test('a member lists their proposals, uploads a cover while it waits (seen by them and the team only), keeps it once published', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const { agent: member } = await signedIn(['member'], 'Léa Solo');
    await member.post('/agenda/proposer', proposal());
    const row = await w.ctx.db.selectFrom('event').select(['id', 'slug']).where('title', '=', 'Balade des haies').executeTakeFirstOrThrow();
    const form = await member.get('/agenda/proposer');
    assert.ok(form.body.includes('Vos propositions') && form.body.includes(`href="/agenda/proposer/${row.id}"`) && form.body.includes('À examiner'));

    const page = await member.get(`/agenda/proposer/${row.id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`action="/agenda/proposer/${row.id}/couverture"`));
    const refused = await sendCover(member, row.id, { filename: 'affiche.png', type: 'image/png', data: Buffer.from('pas une image') }, 'Une haie en fleurs');
    assert.equal(refused.statusCode, 422);
    assert.ok(refused.body.includes('Ce fichier n’est pas une image JPEG, PNG ou WebP.') && refused.body.includes('value="Une haie en fleurs"'), 'the message and the text typed');
    assert.equal((await coverOf(row.id)).cover_id, null, 'nothing stored');

    const sent = await sendCover(member, row.id, { filename: 'affiche.jpg', type: 'image/jpeg', data: await poster() }, 'Une haie en fleurs');
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `/agenda/proposer/${row.id}`);
    const { cover_id, cover_alt } = await coverOf(row.id);
    assert.ok(cover_id);
    assert.equal(cover_alt, 'Une haie en fleurs');
    const src = `/agenda/couvertures/${cover_id}.webp`;
    assert.ok((await member.get(`/agenda/proposer/${row.id}`)).body.includes(`src="${src}"`));
    // A draft's cover: its member and the team see it, nobody else.
    assert.equal((await member.get(src)).statusCode, 200);
    const { agent: other } = await signedIn(['member']);
    assert.equal((await other.get(src)).statusCode, 404);
    assert.equal((await new Agent(w.app).get(src)).statusCode, 404);
    const { agent: staff } = await signedIn(['staff']);
    assert.equal((await staff.get(src)).statusCode, 200);

    await staff.get('/admin/agenda/propositions');
    assert.equal((await staff.post(`/admin/agenda/propositions/${row.id}/approuver`, {})).statusCode, 303);
    const published = await new Agent(w.app).get(`/agenda/${row.slug}`);
    assert.ok(published.body.includes(`src="${src}"`) && published.body.includes('alt="Une haie en fleurs"'), 'the public page shows the member’s cover');
    const mine = (await member.get(`/agenda/proposer/${row.id}`)).body;
    assert.ok(mine.includes('Publié') && mine.includes(`href="/agenda/${row.slug}"`));
    assert.equal((await member.post(`/agenda/proposer/${row.id}/couverture/supprimer`, {})).statusCode, 303);
    assert.equal((await coverOf(row.id)).cover_id, null, 'the member may remove it');
    const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', 'in', ['event.cover_set', 'event.cover_removed']).execute();
    assert.equal(audit.length, 2);
  });

  test('someone else’s proposal, a declined one, an event of the team: not the member’s to change', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const { agent: author } = await signedIn(['member']);
    await author.post('/agenda/proposer', proposal());
    const row = await w.ctx.db.selectFrom('event').select(['id']).where('title', '=', 'Balade des haies').executeTakeFirstOrThrow();
    const { agent: other } = await signedIn(['member']);
    assert.equal((await other.get(`/agenda/proposer/${row.id}`)).statusCode, 404);
    assert.equal((await sendCover(other, row.id, { filename: 'a.jpg', type: 'image/jpeg', data: await poster() })).statusCode, 403);
    assert.equal((await other.post(`/agenda/proposer/${row.id}/couverture/supprimer`, {})).statusCode, 403);
    assert.equal((await other.get('/agenda/proposer/abc')).statusCode, 404, 'a malformed id is not found, never a 500');
    // The team's own event is not a proposal: a member cannot reach it through the proposals' pages.
    const { user: staffUser, agent: staff } = await signedIn(['staff']);
    const teamEvent = await publishedEvent(w.ctx, staffUser.id, { titre: 'Petit-déjeuner des solos' });
    assert.equal((await other.get(`/agenda/proposer/${teamEvent.id}`)).statusCode, 404);
    assert.equal((await sendCover(other, teamEvent.id, { filename: 'a.jpg', type: 'image/jpeg', data: await poster() })).statusCode, 403);

    await staff.get('/admin/agenda/propositions');
    await staff.post(`/admin/agenda/propositions/${row.id}/refuser`, { message: 'Une autre date ?' });
    const declined = (await author.get(`/agenda/proposer/${row.id}`)).body;
    assert.ok(declined.includes('Une autre date ?') && declined.includes('ne peut plus être changée') && !declined.includes('/couverture"'));
    const late = await sendCover(author, row.id, { filename: 'a.jpg', type: 'image/jpeg', data: await poster() });
    assert.equal(late.statusCode, 409);
    assert.equal((await coverOf(row.id)).cover_id, null);
  });
});

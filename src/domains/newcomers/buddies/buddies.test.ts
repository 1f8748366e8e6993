import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { shippedCommune, straightKm } from '../../../../tests/support/gers-data.js';
import type { Actor } from '../../../context.js';
import { anonymous } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { hashPassword } from '../../accounts/index.js';
import { anonymiseCase } from '../privacy/privacy.service.js';
import * as buddies from './buddies.service.js';
import * as service from '../cases/cases.service.js';
import { applyAsVisitor, sectionData } from '../newcomers.testing.js';
import { buddiesCaseSection } from './buddies.sections.js';

const w = useTestWorld();

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();

async function person(roles: Role[], name?: string) {
  const user = await createUser(w.ctx, { roles, name });
  return { user, actor: actorFor(w.ctx, user, roles) };
}

async function agentFor(email: string, password = PASSWORD) {
  const agent = new Agent(w.app);
  await agent.login(email, password);
  return agent;
}

async function householdAgent(email = 'camille.martin@exemple.fr') {
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', email).execute();
  return agentFor(email);
}

/** A member who offers to be a buddy from a commune, for these projects, up to `max` households. */
async function buddy(name: string, homeInsee: string, projects: string[], max = 2) {
  const m = await person(['member'], name);
  await buddies.saveMyBuddyOffer(w.ctx, m.actor, { homeInsee, projects: projects as never, maxHouseholds: max });
  return m;
}

/** The Martin family targets Lectoure only: Camille teleworks, Sami takes over a bakery. */
const lectoureFamily = (email = 'camille.martin@exemple.fr', contactName = 'Camille Martin') => applyAsVisitor(w.ctx, { email, contactName, targetCodes: ['32208'] });

describe('the member’s offer (/parrainage)', () => {
  test('a member offers to be a buddy; mistakes come back with 422 and the values typed; stepping back hides them from suggestions', async () => {
    const m = await person(['member'], 'Léa Solo');
    const agent = await agentFor(m.user.email);
    const page = await agent.get('/parrainage');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Devenir parrain ou marraine/);

    const bad = await agent.post('/parrainage', { homeInsee: '32999', presentation: 'Graphiste à Fleurance depuis 2019.', maxHouseholds: '9' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="e-projects"[^>]*>Cochez au moins un projet/);
    assert.match(bad.body, /id="e-maxHouseholds"/);
    assert.match(bad.body, /Graphiste à Fleurance depuis 2019\./, 'the presentation typed is kept');
    const unknown = await agent.post('/parrainage', { homeInsee: '32999', projects: ['freelance'], maxHouseholds: '2' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /id="e-homeInsee"[^>]*>Choisissez une commune du territoire/);

    const ok = await agent.post('/parrainage', { homeInsee: '32132', projects: ['freelance', 'telework'], presentation: 'Graphiste', maxHouseholds: '2' });
    assert.equal(ok.statusCode, 303);
    const row = await w.ctx.db.selectFrom('buddy').selectAll().where('user_id', '=', m.user.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.home_insee, row.projects, row.max_households, row.withdrawn_at], ['32132', ['freelance', 'telework'], 2, null]);
    assert.match((await agent.get('/parrainage')).body, /Vous êtes parrain ou marraine depuis le .* à Fleurance/);

    const { caseId } = await lectoureFamily();
    const staff = await person(['staff']);
    assert.equal(sectionData(await service.getCaseFile(w.ctx, staff.actor, caseId), buddiesCaseSection).buddies.suggestions.length, 1);
    assert.equal((await agent.post('/parrainage/retrait', {})).statusCode, 303);
    assert.ok((await w.ctx.db.selectFrom('buddy').select('withdrawn_at').executeTakeFirstOrThrow()).withdrawn_at);
    assert.equal(sectionData(await service.getCaseFile(w.ctx, staff.actor, caseId), buddiesCaseSection).buddies.suggestions.length, 0, 'a buddy who stepped back is not suggested');
    const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', 'like', 'buddy.%').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['buddy.opted_in', 'buddy.withdrawn']);
  });

  test('only members may offer: others get a 403 that explains, visitors are sent to sign in', async () => {
    await lectoureFamily();
    const household = await householdAgent();
    const refused = await household.get('/parrainage');
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Le parrainage est proposé par les membres du programme/);
    assert.equal((await household.post('/parrainage', { homeInsee: '32208', projects: 'other', maxHouseholds: '1' })).statusCode, 403);
    const anonymousGet = await new Agent(w.app).get('/parrainage');
    assert.equal(anonymousGet.statusCode, 303);
    assert.match(String(anonymousGet.headers.location), /^\/connexion/);

    const offer = { homeInsee: '32208', projects: ['other' as const], maxHouseholds: 1 };
    const roles: [Role | null, string][] = [[null, 'unauthenticated'], ['candidate', 'forbidden'], ['partner', 'forbidden'], ['staff', 'forbidden'], ['admin', 'forbidden'], ['space_manager', 'forbidden'], ['member', 'ok']];
    for (const [role, expected] of roles) {
      const actor: Actor = role ? (await person([role])).actor : anonymous(w.ctx.territory.id);
      assert.equal(await codeOf(buddies.getMyBuddyPage(w.ctx, actor)), expected, `${role} reads the page`);
      assert.equal(await codeOf(buddies.saveMyBuddyOffer(w.ctx, actor, offer)), expected, `${role} offers`);
      assert.equal(await codeOf(buddies.withdrawMyBuddyOffer(w.ctx, actor)), expected, `${role} withdraws`);
    }
    assert.equal(await w.ctx.db.selectFrom('buddy').select('user_id').execute().then((r) => r.length), 1, 'only the member’s offer was saved');
  });
});

describe('staff and buddies', () => {
  test('staff mark a member account as buddy; an address that is not a member’s is refused with 422', async () => {
    const staff = await person(['staff'], 'Léa Dupuis');
    const agent = await agentFor(staff.user.email);
    await lectoureFamily();
    const solo = await person(['member'], 'Jo Solo');
    const notMember = await agent.post('/admin/accueil/parrains', { email: 'camille.martin@exemple.fr', homeInsee: '32208', projects: 'telework', maxHouseholds: '1' });
    assert.equal(notMember.statusCode, 422);
    assert.match(notMember.body, /id="e-email"[^>]*>Aucun compte membre actif n’a cette adresse/);
    assert.match(notMember.body, /value="camille.martin@exemple.fr"/);
    const ok = await agent.post('/admin/accueil/parrains', { email: solo.user.email.toUpperCase(), homeInsee: '32107', projects: ['telework', 'creation'], maxHouseholds: '3' });
    assert.equal(ok.statusCode, 303);
    const list = await agent.get('/admin/accueil/parrains');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<th scope="row">Jo Solo/);
    assert.match(list.body, /Condom/);
    assert.match(list.body, /0 sur 3/);
    const row = await w.ctx.db.selectFrom('buddy').select(['marked_by', 'max_households']).executeTakeFirstOrThrow();
    assert.equal(row.marked_by, staff.user.id);

    assert.equal((await agent.post(`/admin/accueil/parrains/${solo.user.id}/retrait`, {})).statusCode, 303);
    assert.match((await agent.get('/admin/accueil/parrains')).body, /Retiré\(e\) le/);
  });

  test('the staff buddy pages and every pairing use case are for the welcome team only', async () => {
    const { caseId } = await lectoureFamily();
    const b = await buddy('Jo Solo', '32107', ['telework']);
    const input = { email: b.user.email, homeInsee: '32107', projects: ['telework' as const], maxHouseholds: 2 };
    const roles: [Role | null, string][] = [[null, 'unauthenticated'], ['candidate', 'forbidden'], ['member', 'forbidden'], ['partner', 'forbidden'], ['space_manager', 'forbidden']];
    for (const [role, expected] of roles) {
      const actor: Actor = role ? (await person([role])).actor : anonymous(w.ctx.territory.id);
      assert.equal(await codeOf(buddies.listBuddiesForStaff(w.ctx, actor)), expected, `${role} lists`);
      assert.equal(await codeOf(buddies.markMemberAsBuddy(w.ctx, actor, input)), expected, `${role} marks`);
      assert.equal(await codeOf(buddies.unmarkBuddy(w.ctx, actor, b.user.id)), expected, `${role} unmarks`);
      assert.equal(await codeOf(buddies.confirmBuddyPairing(w.ctx, actor, caseId, b.user.id)), expected, `${role} pairs`);
      assert.equal(await codeOf(buddies.endBuddyPairing(w.ctx, actor, caseId)), expected, `${role} ends`);
    }
    assert.equal((await w.ctx.db.selectFrom('case_buddy').selectAll().execute()).length, 0);
    for (const role of ['staff', 'admin'] as Role[]) {
      const { actor } = await person([role]);
      assert.equal(await codeOf(buddies.listBuddiesForStaff(w.ctx, actor)), 'ok');
      assert.equal(await codeOf(buddies.confirmBuddyPairing(w.ctx, actor, caseId, b.user.id)), 'ok', `${role} pairs`);
      assert.equal(await codeOf(buddies.endBuddyPairing(w.ctx, actor, caseId)), 'ok', `${role} ends`);
    }
    const other = await person(['member']);
    const anyone = await agentFor(other.user.email);
    assert.equal((await anyone.get('/admin/accueil/parrains')).statusCode, 403);
    assert.equal((await anyone.post(`/admin/accueil/${caseId}/parrainage`, { buddyId: b.user.id })).statusCode, 403);
  });
});

/** Whole kilometres between two communes' centres, from the shipped centres file. */
const kmBetween = (a: string, b: string) => Math.round(straightKm(shippedCommune(a), shippedCommune(b)));

describe('suggestions on the case page', () => {
  test('buddies are ranked by distance to the target villages, shared projects counting 20 km each; those at capacity come last', async () => {
    const staff = await person(['staff'], 'Léa Dupuis');
    const { caseId } = await lectoureFamily();
    await buddy('Ana Fleurance', '32132', ['creation']); // 11 km, nothing shared
    await buddy('Bruno Condom', '32107', ['telework']); // 22 km, telework shared: 2
    await buddy('Chloé Mirande', '32256', ['takeover', 'other']); // 51 km, takeover shared: 31
    const full = await buddy('Dan Lectoure', '32208', ['telework', 'takeover'], 1); // 0 km, both shared, but full
    const { caseId: otherCase } = await lectoureFamily('autre@exemple.fr', 'Autre Foyer');
    await buddies.confirmBuddyPairing(w.ctx, staff.actor, otherCase, full.user.id);

    const { suggestions, basis } = sectionData(await service.getCaseFile(w.ctx, staff.actor, caseId), buddiesCaseSection).buddies;
    assert.equal(basis, 'targets');
    assert.deepEqual(
      suggestions.map((s) => [s.name, s.km, s.shared, s.full]),
      [
        ['Bruno Condom', kmBetween('32208', '32107'), ['telework'], false],
        ['Ana Fleurance', kmBetween('32208', '32132'), [], false],
        ['Chloé Mirande', kmBetween('32208', '32256'), ['takeover'], false],
        ['Dan Lectoure', 0, ['telework', 'takeover'], true],
      ],
    );

    const page = await (await agentFor(staff.user.email)).get(`/admin/accueil/${caseId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="parrainage">Parrainage<\/h2>/);
    assert.ok(page.body.includes(`<th scope="row">Bruno Condom</th><td>Condom</td><td class="num">${kmBetween('32208', '32107')} km</td><td>Télétravail`));
    assert.match(page.body, /<th scope="row">Dan Lectoure<\/th>.*?<td>Complet<\/td><td>—<\/td>/s, 'a full buddy has no confirm button');
    assert.match(page.body, /Confirmer avec Bruno Condom/);
  });

  test('once settled, the distance is measured from the settled commune', async () => {
    const staff = await person(['staff']);
    const { caseId } = await lectoureFamily();
    await buddy('Ana Fleurance', '32132', ['telework']);
    await buddy('Gil Mirande', '32256', ['telework']);
    await service.qualifyCase(w.ctx, staff.actor, caseId);
    await service.startAccompaniment(w.ctx, staff.actor, caseId);
    await service.startMoving(w.ctx, staff.actor, caseId);
    await service.markSettled(w.ctx, staff.actor, caseId, { settledInsee: '32256', settledOn: '2026-11-20' });
    const { suggestions, basis } = sectionData(await service.getCaseFile(w.ctx, staff.actor, caseId), buddiesCaseSection).buddies;
    assert.equal(basis, 'settled');
    assert.deepEqual(suggestions.map((s) => [s.name, s.km]), [['Gil Mirande', 0], ['Ana Fleurance', kmBetween('32256', '32132')]]);
  });
});

describe('pairing a household with a buddy', () => {
  test('staff confirm a pairing: both sides are introduced by mail, and it shows on both sides without the stage or staff notes', async () => {
    const staff = await person(['staff'], 'Léa Dupuis');
    const agent = await agentFor(staff.user.email);
    const { caseId } = await lectoureFamily();
    await service.addCaseNote(w.ctx, staff.actor, caseId, 'Hésitent encore sur le budget.');
    const b = await buddy('Bruno Vidal', '32107', ['telework']);

    const res = await agent.post(`/admin/accueil/${caseId}/parrainage`, { buddyId: b.user.id });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/accueil/${caseId}#parrainage`);
    const pairing = await w.ctx.db.selectFrom('case_buddy').selectAll().executeTakeFirstOrThrow();
    assert.equal(pairing.confirmed_by, staff.user.id);
    assert.equal(pairing.ended_at, null);

    const toBuddy = await mailsTo(b.user.email);
    assert.equal(toBuddy.length, 1);
    assert.match(toBuddy[0].subject, /Un foyer à accompagner/);
    assert.match(toBuddy[0].text_body, /Nous vous présentons Camille, qui s’intéresse à : Lectoure/);
    assert.match(toBuddy[0].text_body, /camille\.martin@exemple\.fr/);
    assert.match(toBuddy[0].text_body, /http:\/\/localhost:3000\/parrainage/);
    assert.doesNotMatch(toBuddy[0].text_body, /budget/);
    const toHousehold = (await mailsTo('camille.martin@exemple.fr')).filter((m) => /parrain/.test(m.subject));
    assert.equal(toHousehold.length, 1);
    assert.match(toHousehold[0].text_body, /Nous vous présentons Bruno, qui vit à Condom/);
    assert.match(toHousehold[0].text_body, new RegExp(b.user.email.replace('.', '\\.')));
    assert.match(toHousehold[0].text_body, /\/mon-projet#parrain/);

    const staffPage = await agent.get(`/admin/accueil/${caseId}`);
    assert.match(staffPage.body, /Parrain ou marraine : Bruno Vidal \(Condom\)/);
    const household = await householdAgent();
    const mine = await household.get('/mon-projet');
    assert.match(mine.body, /<h2 id="parrain">Votre parrain \/ marraine<\/h2>/);
    assert.match(mine.body, /Bruno Vidal, qui habite à Condom/);
    assert.match(mine.body, new RegExp(`mailto:${b.user.email}`));
    const buddyPage = await (await agentFor(b.user.email)).get('/parrainage');
    assert.match(buddyPage.body, /<h3>Camille<\/h3>/);
    assert.match(buddyPage.body, /2 adulte\(s\), 2 enfant\(s\) · Reprise d’entreprise, Télétravail/);
    assert.match(buddyPage.body, /Villages : Lectoure/);
    assert.match(buddyPage.body, /mailto:camille\.martin@exemple\.fr/);
    assert.doesNotMatch(buddyPage.body, /budget|Nouveau|n° \d/, 'no stage, no case number, no staff note');

    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'data']).where('action', '=', 'case_buddy.confirmed').executeTakeFirstOrThrow();
    assert.equal((audit.data as { buddy: string }).buddy, b.user.id);

    // Anonymising the case deletes its pairings: the buddy no longer sees the household.
    await anonymiseCase(w.ctx, actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']), caseId);
    assert.doesNotMatch((await (await agentFor(b.user.email)).get('/parrainage')).body, /camille\.martin/);
  });

  test('one active pairing per case: a second is refused until the first ends, and the database refuses it too', async () => {
    const staff = await person(['staff']);
    const agent = await agentFor(staff.user.email);
    const { caseId } = await lectoureFamily();
    const first = await buddy('Bruno Vidal', '32107', ['telework']);
    const second = await buddy('Ana Fleurance', '32132', ['telework']);
    await buddies.confirmBuddyPairing(w.ctx, staff.actor, caseId, first.user.id);
    assert.equal(await codeOf(buddies.confirmBuddyPairing(w.ctx, staff.actor, caseId, second.user.id)), 'conflict');
    await assert.rejects(
      w.ctx.db.insertInto('case_buddy').values({ territory_id: w.ctx.territory.id, case_id: caseId, buddy_user_id: second.user.id, confirmed_at: w.clock.now(), confirmed_by: null }).execute(),
      /case_buddy_active_unique|duplicate key/,
    );
    const refused = await agent.post(`/admin/accueil/${caseId}/parrainage`, { buddyId: second.user.id });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Ce foyer a déjà un parrain ou une marraine/);

    assert.equal((await agent.post(`/admin/accueil/${caseId}/parrainage/fin`, {})).statusCode, 303);
    const ended = await w.ctx.db.selectFrom('case_buddy').select(['ended_at', 'ended_by']).executeTakeFirstOrThrow();
    assert.ok(ended.ended_at);
    assert.equal(ended.ended_by, staff.user.id);
    // Both people hear that the pairing has ended.
    const endedMails = await w.ctx.db.selectFrom('outbox_mail').select(['to_address', 'subject', 'text_body']).where('subject', 'like', 'Fin %').orderBy('to_address').execute();
    assert.deepEqual(endedMails.map((m) => m.to_address).sort(), [first.user.email, 'camille.martin@exemple.fr'].sort());
    assert.ok(endedMails.find((m) => m.to_address === first.user.email)!.text_body.includes('/parrainage'));
    assert.ok(endedMails.find((m) => m.to_address === 'camille.martin@exemple.fr')!.text_body.includes('Bruno'));
    assert.equal((await agent.post(`/admin/accueil/${caseId}/parrainage`, { buddyId: second.user.id })).statusCode, 303);
    const page = await agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /Parrainages passés/);
    assert.match(page.body, /Bruno Vidal, du/);
    assert.equal((await agent.post(`/admin/accueil/${caseId}/parrainage`, { buddyId: 'pas-un-id' })).statusCode, 422);
  });

  test('a buddy never gets more households than offered, even when two advisers confirm at the same moment', async () => {
    const staff = await person(['staff']);
    const colleague = await person(['staff']);
    const cases = [];
    for (let i = 0; i < 4; i++) cases.push((await lectoureFamily(`foyer${i}@exemple.fr`, `Foyer ${i}`)).caseId);
    const b = await buddy('Bruno Vidal', '32107', ['telework'], 2);
    const results = await Promise.all(cases.map((caseId, i) => codeOf(buddies.confirmBuddyPairing(w.ctx, i % 2 ? colleague.actor : staff.actor, caseId, b.user.id))));
    assert.equal(results.filter((r) => r === 'ok').length, 2);
    assert.equal(results.filter((r) => r === 'conflict').length, 2);
    const active = await w.ctx.db.selectFrom('case_buddy').select('id').where('buddy_user_id', '=', b.user.id).where('ended_at', 'is', null).execute();
    assert.equal(active.length, 2);
    // The same case confirmed twice at once gets one pairing.
    const c = (await lectoureFamily('seul@exemple.fr', 'Seul Foyer')).caseId;
    const other = await buddy('Ana Fleurance', '32132', ['telework'], 5);
    const twice = await Promise.all([staff.actor, colleague.actor].map((a) => codeOf(buddies.confirmBuddyPairing(w.ctx, a, c, other.user.id))));
    assert.deepEqual([...twice].sort(), ['conflict', 'ok']);
  });
});

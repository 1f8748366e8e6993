import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import type { Actor } from '../../../context.js';
import { anonymous } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { hashPassword } from '../../accounts/index.js';
import * as service from './cases.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

type Who = 'visitor' | 'owner' | 'otherCandidate' | 'member' | 'spaceManager' | 'partner' | 'staff' | 'admin';
const EVERYONE: Who[] = ['visitor', 'owner', 'otherCandidate', 'member', 'spaceManager', 'partner', 'staff', 'admin'];
const TEAM: Who[] = ['staff', 'admin'];

/** The Martin family's case, a second candidate with a case of their own, and one person per role. */
async function world() {
  const { caseId } = await applyAsVisitor(w.ctx);
  const { caseId: otherCaseId } = await applyAsVisitor(w.ctx, {
    email: 'autre.foyer@exemple.fr',
    contactName: 'Dominique Autre',
    adults: [{ position: 1, firstName: 'Dominique', project: 'freelance' }],
    children: [],
  });
  const hash = await hashPassword(PASSWORD);
  await w.ctx.db.updateTable('user_account').set({ password_hash: hash, email_verified_at: w.clock.now() }).execute();
  const owner = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'camille.martin@exemple.fr').executeTakeFirstOrThrow();
  const other = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'autre.foyer@exemple.fr').executeTakeFirstOrThrow();
  const people: Record<Who, Actor> = {
    visitor: anonymous(w.ctx.territory.id),
    owner: actorFor(w.ctx, owner, ['candidate']),
    otherCandidate: actorFor(w.ctx, other, ['candidate']),
    member: actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']),
    spaceManager: actorFor(w.ctx, await createUser(w.ctx, { roles: ['space_manager'] }), ['space_manager']),
    partner: actorFor(w.ctx, await createUser(w.ctx, { roles: ['partner'] }), ['partner']),
    staff: actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff'] as Role[]),
    admin: actorFor(w.ctx, await createUser(w.ctx, { roles: ['admin'] }), ['admin'] as Role[]),
  };
  return { caseId, otherCaseId, people };
}

describe('staff use cases: only the welcome team, refused before anything is looked up', () => {
  const DUMMY = '00000000-0000-4000-8000-000000000000';
  const useCases: [string, (actor: Actor, caseId: string) => Promise<unknown>][] = [
    ['list the cases', (a) => service.listCasesForStaff(w.ctx, a, { page: 1 })],
    ['see the board', (a) => service.getBoard(w.ctx, a, { page: 1 })],
    ['open a case', (a, id) => service.getCaseFile(w.ctx, a, id)],
    // Pausing then resuming can be repeated by each person of the team, so every role meets the same case state.
    ['change a case’s stage', async (a, id) => {
      await service.putOnHold(w.ctx, a, id);
      await service.resumeCase(w.ctx, a, id);
    }],
    ['assign an adviser', (a, id) => service.assignAdviser(w.ctx, a, id, 'moi')],
    ['add a note', (a, id) => service.addCaseNote(w.ctx, a, id, 'Appel de découverte fait')],
    ['add a task', (a, id) => service.addCaseTask(w.ctx, a, id, { title: 'Rappeler', dueOn: '2026-12-01' })],
    ['add a checklist item', (a, id) => service.addChecklistItem(w.ctx, a, id, 'Visiter l’école')],
    ['write to the household', (a, id) => service.sendStaffMessage(w.ctx, a, id, 'Bonjour !')],
    ['list the drop reasons', (a) => service.listDropReasonsForStaff(w.ctx, a)],
    ['add a drop reason', (a) => service.addDropReason(w.ctx, a, 'Santé')],
  ];
  for (const [name, run] of useCases) {
    test(`${name}: staff and admin may; visitors are asked to log in; candidates (even the owner), members, space managers and partners are refused`, async () => {
      const { caseId, people } = await world();
      for (const who of EVERYONE) {
        const expected = TEAM.includes(who) ? 'ok' : who === 'visitor' ? 'unauthenticated' : 'forbidden';
        assert.equal(await codeOf(run(people[who], caseId)), expected, `${who}`);
        if (!TEAM.includes(who)) assert.equal(await codeOf(run(people[who], DUMMY)), expected, `${who} on a case that does not exist`);
      }
      assert.equal(await codeOf(service.getCaseFile(w.ctx, people.staff, DUMMY)), 'not_found');
      assert.equal(await codeOf(service.getCaseFile(w.ctx, people.staff, '999999')), 'not_found');
    });
  }
});

describe('the household’s own case', () => {
  test('each signed-in person reaches only the case whose contact they are', async () => {
    const { caseId, otherCaseId, people } = await world();
    assert.equal(await codeOf(service.getMyCase(w.ctx, people.visitor)), 'unauthenticated');
    assert.equal((await service.getMyCase(w.ctx, people.owner))!.case.id, caseId);
    assert.equal((await service.getMyCase(w.ctx, people.otherCandidate))!.case.id, otherCaseId);
    for (const who of ['member', 'staff', 'admin'] as Who[]) assert.equal(await service.getMyCase(w.ctx, people[who]), null, who);
  });

  test('writing to the team: the owner writes on their own case; someone without a case cannot; a visitor must log in', async () => {
    const { caseId, people } = await world();
    await service.sendHouseholdMessage(w.ctx, people.owner, 'Bonjour, une question sur les écoles.');
    const messages = await w.ctx.db.selectFrom('case_message').select(['case_id', 'from_staff']).execute();
    assert.deepEqual(messages, [{ case_id: caseId, from_staff: false }]);
    assert.equal(await codeOf(service.sendHouseholdMessage(w.ctx, people.member, 'Hello')), 'not_found');
    assert.equal(await codeOf(service.sendHouseholdMessage(w.ctx, people.visitor, 'Hello')), 'unauthenticated');
  });

  test('the data export holds the owner’s case only', async () => {
    const { people } = await world();
    const mine = await service.exportMyData(w.ctx, people.owner);
    assert.equal(mine.case!.contact.email, 'camille.martin@exemple.fr');
    const member = await service.exportMyData(w.ctx, people.member);
    assert.equal(member.case, null);
    assert.equal(await codeOf(service.exportMyData(w.ctx, people.visitor)), 'unauthenticated');
  });
});

describe('over HTTP', () => {
  test('another candidate guessing a case id gets 403 on the case page and on its forms', async () => {
    const { caseId } = await world();
    const a = new Agent(w.app);
    await a.login('autre.foyer@exemple.fr', PASSWORD);
    assert.equal((await a.get(`/admin/accueil/${caseId}`)).statusCode, 403);
    assert.equal((await a.post(`/admin/accueil/${caseId}/messages`, { body: 'Je lis votre dossier' })).statusCode, 403);
    assert.equal((await a.post(`/admin/accueil/${caseId}/etape`, { transition: 'qualify' })).statusCode, 403);
    const own = await a.get('/mon-projet');
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Dominique/);
    assert.doesNotMatch(own.body, /Camille/);
    const data = await a.get('/mon-projet/donnees.json');
    assert.equal(data.statusCode, 200);
    assert.doesNotMatch(data.body, /camille/i);
  });

  test('the owner is refused the staff page of their own case too', async () => {
    const { caseId } = await world();
    const a = new Agent(w.app);
    await a.login('camille.martin@exemple.fr', PASSWORD);
    assert.equal((await a.get(`/admin/accueil/${caseId}`)).statusCode, 403);
  });

  test('a visitor is sent to the login page for /mon-projet and its export', async () => {
    const a = new Agent(w.app);
    for (const url of ['/mon-projet', '/mon-projet/donnees.json']) {
      const res = await a.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(String(res.headers.location), /^\/connexion\?retour=/);
    }
  });

  test('staff and admin open the list, the board and the case page', async () => {
    const { caseId } = await world();
    for (const role of ['staff', 'admin'] as Role[]) {
      const u = await createUser(w.ctx, { roles: [role] });
      const a = new Agent(w.app);
      await a.login(u.email, u.password);
      for (const url of ['/admin/accueil', '/admin/accueil/tableau', `/admin/accueil/${caseId}`, '/admin/accueil/motifs']) {
        assert.equal((await a.get(url)).statusCode, 200, `${role} ${url}`);
      }
    }
  });

  test('the menus show "Mon projet" to candidates and the welcome section to staff', async () => {
    await world();
    const candidate = new Agent(w.app);
    await candidate.login('camille.martin@exemple.fr', PASSWORD);
    const page = await candidate.get('/mon-projet');
    assert.match(page.body, /href="\/mon-projet"/);
    const staffUser = await createUser(w.ctx, { roles: ['staff'] });
    const staff = new Agent(w.app);
    await staff.login(staffUser.email, staffUser.password);
    const admin = await staff.get('/admin/accueil');
    assert.match(admin.body, /href="\/admin\/accueil"[^>]*>Accueil des nouveaux arrivants/);
    const home = await new Agent(w.app).get('/');
    assert.match(home.body, /href="\/candidature"/);
  });
});

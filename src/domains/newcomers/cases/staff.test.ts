import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { jobHandlers } from '../../../modules.js';
import { JobWorker } from '../../../jobs/worker.js';
import { hashPassword } from '../../accounts/index.js';
import * as service from './cases.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';
import { parisTime } from '../../../shared/time.js';

const w = useTestWorld();

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();

async function staffAgent(name = 'Léa Dupuis', roles: ('staff' | 'admin')[] = ['staff']) {
  const user = await createUser(w.ctx, { roles, name });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return { user, agent, actor: actorFor(w.ctx, user, roles) };
}

async function householdAgent(email = 'camille.martin@exemple.fr') {
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', email).execute();
  const agent = new Agent(w.app);
  await agent.login(email, PASSWORD);
  return agent;
}

describe('the staff list and board', () => {
  test('filters by stage, adviser, target commune, project and overdue tasks', async () => {
    const lea = await staffAgent();
    const martin = await applyAsVisitor(w.ctx);
    const bernard = await applyAsVisitor(w.ctx, {
      email: 'bernard@exemple.fr',
      contactName: 'Jo Bernard',
      adults: [{ position: 1, project: 'job_search' }],
      children: [],
      targetCodes: ['32107'],
    });
    await service.qualifyCase(w.ctx, lea.actor, martin.caseId);
    await service.assignAdviser(w.ctx, lea.actor, martin.caseId, 'moi');
    await service.addCaseTask(w.ctx, lea.actor, bernard.caseId, { title: 'Rappeler Jo', dueOn: '2026-11-20' });

    const names = async (url: string) => {
      const res = await lea.agent.get(url);
      assert.equal(res.statusCode, 200, url);
      return ['Camille Martin', 'Jo Bernard'].filter((n) => res.body.includes(`>${n}</a>`));
    };
    assert.deepEqual(await names('/admin/accueil'), ['Camille Martin', 'Jo Bernard']);
    assert.deepEqual(await names('/admin/accueil?etape=qualifie'), ['Camille Martin']);
    assert.deepEqual(await names('/admin/accueil?conseiller=moi'), ['Camille Martin']);
    assert.deepEqual(await names('/admin/accueil?conseiller=aucun'), ['Jo Bernard']);
    assert.deepEqual(await names(`/admin/accueil?conseiller=${lea.user.id}`), ['Camille Martin']);
    assert.deepEqual(await names('/admin/accueil?commune=32208'), ['Camille Martin']);
    assert.deepEqual(await names('/admin/accueil?commune=32107'), ['Jo Bernard']);
    assert.deepEqual(await names('/admin/accueil?projet=takeover'), ['Camille Martin']);
    assert.deepEqual(await names('/admin/accueil?projet=job_search'), ['Jo Bernard']);
    assert.deepEqual(await names('/admin/accueil?retard=1'), ['Jo Bernard']);
    assert.deepEqual(await names('/admin/accueil?etape=nimporte&projet=x'), ['Camille Martin', 'Jo Bernard'], 'unknown filter values are ignored');
    const list = await lea.agent.get('/admin/accueil');
    assert.match(list.body, /Lectoure/, 'target villages are named');
  });

  test('one search field finds a case by part of a name (accents and case ignored), an e-mail, a phone number or its number, on the list and the board', async () => {
    const lea = await staffAgent();
    const martin = await applyAsVisitor(w.ctx, { contactName: 'Hélène Gonzalez-Martín', phone: '06 12 34 56 78' });
    await applyAsVisitor(w.ctx, { email: 'jo.bernard@exemple.fr', contactName: 'Jo Bernard', phone: '05 62 00 11 22', adults: [{ position: 1, project: 'job_search' }], children: [], targetCodes: ['32107'] });
    const { number } = await w.ctx.db.selectFrom('newcomer_case').select('number').where('id', '=', martin.caseId).executeTakeFirstOrThrow();
    const found = async (url: string) => {
      const res = await lea.agent.get(url);
      assert.equal(res.statusCode, 200, url);
      return ['Hélène Gonzalez-Martín', 'Jo Bernard'].filter((n) => res.body.includes(`>${n}</a>`));
    };
    for (const q of ['gonzalez', 'HELENE', 'martin', 'camille.martin@exemple', '0612 3456', '12 34 56', String(number), `n° ${number}`]) {
      assert.deepEqual(await found(`/admin/accueil?q=${encodeURIComponent(q)}`), ['Hélène Gonzalez-Martín'], q);
      assert.deepEqual(await found(`/admin/accueil/tableau?q=${encodeURIComponent(q)}`), ['Hélène Gonzalez-Martín'], `board: ${q}`);
    }
    assert.deepEqual(await found('/admin/accueil?q=bern'), ['Jo Bernard']);
    assert.deepEqual(await found('/admin/accueil?q=%25'), [], 'a wildcard is taken literally');
    assert.deepEqual(await found('/admin/accueil?q=personne'), []);
    // The village filter offers the villages cases target, by name.
    const list = await lea.agent.get('/admin/accueil');
    assert.match(list.body, /<option value="32208"[^>]*>Lectoure<\/option>/);
  });

  test('the list is paginated', async () => {
    const lea = await staffAgent();
    for (let i = 0; i < service.CASES_PAGE_SIZE + 2; i++) {
      await applyAsVisitor(w.ctx, { email: `foyer${i}@exemple.fr`, contactName: `Foyer ${i}` });
    }
    const first = await service.listCasesForStaff(w.ctx, lea.actor, { page: 1 });
    assert.equal(first.rows.length, service.CASES_PAGE_SIZE);
    assert.equal(first.pages, 2);
    const second = await service.listCasesForStaff(w.ctx, lea.actor, { page: 2 });
    assert.equal(second.rows.length, 2);
  });

  test('the board shows each stage as a column and moves a case with a form', async () => {
    const lea = await staffAgent();
    const { caseId } = await applyAsVisitor(w.ctx);
    const board = await lea.agent.get('/admin/accueil/tableau');
    assert.equal(board.statusCode, 200);
    assert.match(board.body, /<h2 id="col-nouveau">Nouveau <span class="count">\(1\)<\/span>/);
    assert.match(board.body, /<h2 id="col-installe">/);
    assert.match(board.body, /<option value="qualify">Qualifier le dossier<\/option>/);
    assert.doesNotMatch(board.body, /<option value="settle">/, 'transitions that need input link to the case page');
    const moved = await lea.agent.post(`/admin/accueil/${caseId}/etape?retour=tableau`, { transition: 'qualify', expected: 'nouveau' });
    assert.equal(moved.statusCode, 303);
    assert.equal(moved.headers.location, '/admin/accueil/tableau');
    const after = await lea.agent.get('/admin/accueil/tableau');
    assert.match(after.body, /<h2 id="col-qualifie">Qualifié <span class="count">\(1\)<\/span>/);
  });
});

describe('the case page', () => {
  test('shows the household, its projects, needs, consents and target villages linked to their profile', async () => {
    const lea = await staffAgent();
    const { caseId } = await applyAsVisitor(w.ctx, { consentShare: true });
    const res = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.equal(res.statusCode, 200);
    for (const text of ['Camille Martin', 'Reprise d’entreprise', 'Boulanger', '8 ans', 'École élémentaire', 'Un logement à acheter', 'Accepte le partage avec les partenaires']) {
      assert.ok(res.body.includes(text), text);
    }
    assert.match(res.body, /<a href="\/villages\/32208">Lectoure<\/a>/);
    assert.match(res.body, /Dossier créé/);
    assert.match(res.body, /Candidature reçue/);
  });

  test('an adviser is assigned (to oneself or a colleague, who is told by mail); a non-staff person is refused', async () => {
    const lea = await staffAgent();
    const colleague = await createUser(w.ctx, { roles: ['staff'], name: 'Paul Roux' });
    const member = await createUser(w.ctx, { roles: ['member'] });
    const { caseId } = await applyAsVisitor(w.ctx);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/conseiller`, { adviserId: 'moi' })).statusCode, 303);
    let c = await w.ctx.db.selectFrom('newcomer_case').select('adviser_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(c.adviser_id, lea.user.id);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/conseiller`, { adviserId: colleague.id })).statusCode, 303);
    c = await w.ctx.db.selectFrom('newcomer_case').select('adviser_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(c.adviser_id, colleague.id);
    assert.match((await mailsTo(colleague.email))[0].subject, /Un dossier vous est confié/);
    const refused = await lea.agent.post(`/admin/accueil/${caseId}/conseiller`, { adviserId: member.id });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /id="e-adviserId"[^>]*>Choisissez une personne de l’équipe/);
  });

  test('private notes appear in the staff timeline, never on the household’s page nor in its export', async () => {
    const lea = await staffAgent();
    const { caseId } = await applyAsVisitor(w.ctx);
    const empty = await lea.agent.post(`/admin/accueil/${caseId}/notes`, { body: '  ' });
    assert.equal(empty.statusCode, 422);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/notes`, { body: 'Hésitent entre Lectoure et Condom.' })).statusCode, 303);
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /Hésitent entre Lectoure et Condom/);
    const household = await householdAgent();
    assert.doesNotMatch((await household.get('/mon-projet')).body, /Hésitent/);
    assert.doesNotMatch((await household.get('/mon-projet/donnees.json')).body, /Hésitent/);
    const audit = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'newcomer_case.note_added').executeTakeFirstOrThrow();
    assert.doesNotMatch(JSON.stringify(audit.data), /Hésitent/, 'the audit log does not copy the note');
  });

  test('the checklist staff tick and extend is what the household sees', async () => {
    const lea = await staffAgent();
    const { caseId } = await applyAsVisitor(w.ctx);
    const doctor = await w.ctx.db.selectFrom('case_checklist_item').select('id').where('case_id', '=', caseId).where('key', '=', 'doctor').executeTakeFirstOrThrow();
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/liste/${doctor.id}`, { done: '1' })).statusCode, 303);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/liste`, { label: 'Visiter l’école de Lectoure' })).statusCode, 303);
    const household = await householdAgent();
    const mine = await household.get('/mon-projet');
    assert.match(mine.body, /<li class="done"><span class="checklist-state">Fait :<\/span> Trouver un médecin traitant<\/li>/);
    assert.match(mine.body, /Visiter l’école de Lectoure/);
    assert.match(mine.body, /1 étape\(s\) faite\(s\) sur 7/);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/liste/${doctor.id}`, { done: '0' })).statusCode, 303);
    assert.match((await household.get('/mon-projet')).body, /0 étape\(s\) faite\(s\) sur 7/);
  });
});

describe('tasks and their reminder', () => {
  test('a task due on a day mails its assignee that morning (Paris time) through the job queue', async () => {
    const lea = await staffAgent();
    const paul = await createUser(w.ctx, { roles: ['staff'], name: 'Paul Roux' });
    const { caseId } = await applyAsVisitor(w.ctx);
    const res = await lea.agent.post(`/admin/accueil/${caseId}/taches`, { title: 'Envoyer la liste des écoles', dueOn: '2026-12-01', assigneeId: paul.id });
    assert.equal(res.statusCode, 303);
    const job = await w.ctx.db.selectFrom('job').select(['run_at', 'payload']).where('kind', '=', service.TASK_REMINDER_JOB).executeTakeFirstOrThrow();
    assert.equal(job.run_at.toISOString(), '2026-12-01T07:00:00.000Z', '8 h in Paris in winter');
    assert.equal(parisTime('2026-07-01', 8).toISOString(), '2026-07-01T06:00:00.000Z', 'and in summer');

    const worker = new JobWorker(w.ctx, jobHandlers);
    await worker.runOnce();
    assert.equal((await mailsTo(paul.email)).filter((m) => /Rappel/.test(m.subject)).length, 0, 'nothing before the day');
    w.clock.set('2026-12-01T07:05:00Z');
    await worker.runOnce();
    const reminders = (await mailsTo(paul.email)).filter((m) => /Rappel/.test(m.subject));
    assert.equal(reminders.length, 1);
    assert.match(reminders[0].subject, /Envoyer la liste des écoles/);
    assert.match(reminders[0].text_body, /1 décembre 2026/);
    assert.match(reminders[0].text_body, new RegExp(`/admin/accueil/${caseId}`));
  });

  test('a task done before its day sends no reminder; an overdue task is flagged on the page', async () => {
    const lea = await staffAgent();
    const { caseId } = await applyAsVisitor(w.ctx);
    await lea.agent.post(`/admin/accueil/${caseId}/taches`, { title: 'Appeler la mairie', dueOn: '2026-12-01' });
    const task = await w.ctx.db.selectFrom('case_task').select('id').executeTakeFirstOrThrow();
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/taches/${task.id}/fait`, {})).statusCode, 303);
    w.clock.set('2026-12-01T08:00:00Z');
    await new JobWorker(w.ctx, jobHandlers).runOnce();
    assert.equal((await mailsTo(lea.user.email)).filter((m) => /Rappel/.test(m.subject)).length, 0);

    await lea.agent.post(`/admin/accueil/${caseId}/taches`, { title: 'Relancer le foyer', dueOn: '2026-11-30' });
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /Relancer le foyer<\/strong>.*en retard/s);
    const bad = await lea.agent.post(`/admin/accueil/${caseId}/taches`, { title: '', dueOn: '2026-02-30' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="e-title"/);
    assert.match(bad.body, /id="e-dueOn"[^>]*>Saisissez une date valide/);
  });
});

describe('the message thread', () => {
  test('household and staff write to each other; each side is told by mail, without the text', async () => {
    const lea = await staffAgent();
    const paul = await createUser(w.ctx, { roles: ['staff'], name: 'Paul Roux' });
    const { caseId } = await applyAsVisitor(w.ctx);
    const household = await householdAgent();
    await household.get('/mon-projet');

    // Nobody follows the case yet: the whole team hears about it.
    const first = await household.post('/mon-projet/messages', { body: 'Bonjour, y a-t-il une école bilingue à Lectoure ?' });
    assert.equal(first.statusCode, 303);
    assert.equal((await mailsTo(lea.user.email)).filter((m) => /Message du foyer/.test(m.subject)).length, 1);
    assert.equal((await mailsTo(paul.email)).filter((m) => /Message du foyer/.test(m.subject)).length, 1);
    assert.doesNotMatch((await mailsTo(paul.email))[0].text_body, /bilingue/, 'the mail carries a link, not the message');

    await lea.agent.post(`/admin/accueil/${caseId}/conseiller`, { adviserId: 'moi' });
    const staffPage = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(staffPage.body, /école bilingue/);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/messages`, { body: 'Oui, l’école Jean-Jaurès.' })).statusCode, 303);
    const toHousehold = (await mailsTo('camille.martin@exemple.fr')).filter((m) => /Nouveau message/.test(m.subject));
    assert.equal(toHousehold.length, 1);
    assert.match(toHousehold[0].text_body, /\/mon-projet#messages/);

    // Now followed by Léa: only she is told.
    await household.post('/mon-projet/messages', { body: 'Merci beaucoup !' });
    assert.equal((await mailsTo(lea.user.email)).filter((m) => /Message du foyer/.test(m.subject)).length, 2);
    assert.equal((await mailsTo(paul.email)).filter((m) => /Message du foyer/.test(m.subject)).length, 1);

    const mine = await household.get('/mon-projet');
    assert.match(mine.body, /Léa Dupuis, équipe d’accueil/);
    assert.match(mine.body, /Oui, l’école Jean-Jaurès/);
    assert.match(mine.body, /Votre interlocuteur ou interlocutrice : Léa Dupuis/);
    const empty = await household.post('/mon-projet/messages', { body: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="e-body"/);
  });

  test('the household downloads its data as JSON: answers, history, checklist and messages', async () => {
    const lea = await staffAgent();
    const { caseId } = await applyAsVisitor(w.ctx);
    await service.sendStaffMessage(w.ctx, lea.actor, caseId, 'Bienvenue !');
    const household = await householdAgent();
    const res = await household.get('/mon-projet/donnees.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.match(String(res.headers['content-disposition']), /attachment/);
    const data = JSON.parse(res.body);
    assert.equal(data.case.contact.email, 'camille.martin@exemple.fr');
    assert.equal(data.case.adults.length, 2);
    assert.equal(data.case.applications.length, 1);
    assert.deepEqual(data.case.stageHistory.map((s: { to: string }) => s.to), ['nouveau']);
    assert.equal(data.case.messages[0].text, 'Bienvenue !');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import type { Actor } from '../../../context.js';
import { anonymous } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { jobHandlers } from '../../../modules.js';
import { JobWorker } from '../../../jobs/worker.js';
import { hashPassword } from '../../accounts/index.js';
import { addMonths, answerMyFollowUp, FOLLOWUP_ROUND_JOB, followUpDates, recordFollowUpByPhone, scheduleFollowUpRound } from './followups.service.js';
import { anonymiseCase } from '../privacy/privacy.service.js';
import * as service from '../cases/cases.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();
const followUps = (caseId: string) =>
  w.ctx.db
    .selectFrom('case_followup')
    .select(['id', 'month_offset', (eb) => eb.fn<string>('to_char', [eb.ref('due_on'), eb.val('YYYY-MM-DD')]).as('due_on'), 'sent_at', 'answered_at', 'channel', 'comment'])
    .where('case_id', '=', caseId)
    .orderBy('month_offset')
    .execute();
const stageOf = async (caseId: string) => (await w.ctx.db.selectFrom('newcomer_case').select('stage').where('id', '=', caseId).executeTakeFirstOrThrow()).stage;

async function person(roles: Role[], name?: string) {
  const user = await createUser(w.ctx, { roles, name });
  return { user, actor: actorFor(w.ctx, user, roles) };
}

async function agentFor(email: string) {
  const agent = new Agent(w.app);
  await agent.login(email, PASSWORD);
  return agent;
}

async function householdAgent(email = 'camille.martin@exemple.fr') {
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', email).execute();
  return agentFor(email);
}

/** A case brought to "moving", then settled in Lectoure on this day. */
async function settledCase(staff: Actor, settledOn: string, email = 'camille.martin@exemple.fr') {
  const { caseId } = await applyAsVisitor(w.ctx, { email, contactName: email === 'camille.martin@exemple.fr' ? 'Camille Martin' : 'Autre Foyer' });
  await service.qualifyCase(w.ctx, staff, caseId);
  await service.startAccompaniment(w.ctx, staff, caseId);
  await service.startMoving(w.ctx, staff, caseId);
  await service.markSettled(w.ctx, staff, caseId, { settledInsee: '32208', settledOn });
  return caseId;
}

const answer = { stillLiving: 'yes', satisfaction: '4', housingSettled: 'yes', workSituation: 'under_way', comment: 'La boulangerie ouvre en janvier.' };

describe('scheduling the check-ins', () => {
  test('settling schedules check-ins 1, 6 and 12 months after the settled date, short months clamped', async () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2026-08-31', 6), '2027-02-28');
    assert.equal(addMonths('2026-11-15', 12), '2027-11-15');
    assert.deepEqual(followUpDates('2026-03-29'), [
      { months: 1, dueOn: '2026-04-29' },
      { months: 6, dueOn: '2026-09-29' },
      { months: 12, dueOn: '2027-03-29' },
    ]);
    const { actor } = await person(['staff']);
    const caseId = await settledCase(actor, '2026-08-31');
    assert.deepEqual(
      (await followUps(caseId)).map((f) => [f.month_offset, f.due_on, f.sent_at, f.answered_at]),
      [
        [1, '2026-09-30', null, null],
        [6, '2027-02-28', null, null],
        [12, '2027-08-31', null, null],
      ],
    );
  });

  test('settling again does not duplicate: unsent check-ins move to the new date, sent ones keep theirs', async () => {
    const { actor } = await person(['staff']);
    const caseId = await settledCase(actor, '2026-10-20');
    const first = await followUps(caseId);
    await w.ctx.db.updateTable('case_followup').set({ sent_at: w.clock.now() }).where('id', '=', first[0].id).execute();
    // The settled date is corrected: the case goes back to moving and is settled again.
    await w.ctx.db.updateTable('newcomer_case').set({ stage: 'installation', settled_insee: null, settled_on: null }).where('id', '=', caseId).execute();
    await service.markSettled(w.ctx, actor, caseId, { settledInsee: '32208', settledOn: '2026-11-02' });
    const again = await followUps(caseId);
    assert.equal(again.length, 3);
    assert.deepEqual(again.map((f) => f.id), first.map((f) => f.id), 'the same rows');
    assert.deepEqual(again.map((f) => f.due_on), ['2026-11-20', '2027-05-02', '2027-11-02']);
    await w.ctx.db.updateTable('newcomer_case').set({ stage: 'installation', settled_insee: null, settled_on: null }).where('id', '=', caseId).execute();
    await service.markSettled(w.ctx, actor, caseId, { settledInsee: '32208', settledOn: '2026-11-02' });
    assert.equal((await followUps(caseId)).length, 3);
  });
});

describe('the daily round', () => {
  test('on the due morning (Paris) the household gets a link to its page and the adviser is told; the round never sends twice', async () => {
    const lea = await person(['staff'], 'Léa Dupuis');
    const paul = await person(['staff'], 'Paul Roux');
    w.clock.set('2026-11-26T09:00:00Z');
    const caseId = await settledCase(lea.actor, '2026-10-27');
    await service.assignAdviser(w.ctx, lea.actor, caseId, 'moi');
    const laterId = await settledCase(lea.actor, '2026-10-28', 'autre@exemple.fr');

    // At start-up on the 27th at 06:30 (07:30 in Paris): the round waits for 8 h, Paris time.
    w.clock.set('2026-11-27T06:30:00Z');
    await scheduleFollowUpRound(w.ctx);
    const job = await w.ctx.db.selectFrom('job').select(['run_at', 'dedupe_key']).where('kind', '=', FOLLOWUP_ROUND_JOB).executeTakeFirstOrThrow();
    assert.equal(job.run_at.toISOString(), '2026-11-27T07:00:00.000Z');
    await scheduleFollowUpRound(w.ctx);
    assert.equal((await w.ctx.db.selectFrom('job').select('id').where('kind', '=', FOLLOWUP_ROUND_JOB).execute()).length, 1, 'one round per day');
    const worker = new JobWorker(w.ctx, jobHandlers);
    const drain = async () => {
      while (await worker.runOnce());
    };
    await drain();
    assert.equal((await mailsTo('camille.martin@exemple.fr')).filter((m) => /Comment se passe/.test(m.subject)).length, 0, 'nothing before 8 h');

    w.clock.set('2026-11-27T07:00:30Z');
    await drain();
    const toHousehold = (await mailsTo('camille.martin@exemple.fr')).filter((m) => /Comment se passe/.test(m.subject));
    assert.equal(toHousehold.length, 1);
    assert.match(toHousehold[0].text_body, /Cela fait 1 mois/);
    assert.match(toHousehold[0].text_body, /http:\/\/localhost:3000\/mon-projet#suivi/);
    const toAdviser = (await mailsTo(lea.user.email)).filter((m) => /Point de suivi/.test(m.subject));
    assert.equal(toAdviser.length, 1);
    assert.match(toAdviser[0].text_body, new RegExp(`/admin/accueil/${caseId}#suivi`));
    assert.equal((await mailsTo(paul.user.email)).filter((m) => /Point de suivi/.test(m.subject)).length, 0, 'only the adviser of a followed case');
    assert.ok((await followUps(caseId))[0].sent_at);
    assert.equal((await followUps(laterId))[0].sent_at, null, 'a check-in due tomorrow waits');
    assert.equal((await mailsTo('autre@exemple.fr')).filter((m) => /Comment se passe/.test(m.subject)).length, 0);

    const next = await w.ctx.db.selectFrom('job').select(['run_at', 'state']).where('dedupe_key', '=', `${FOLLOWUP_ROUND_JOB}:2026-11-28`).executeTakeFirstOrThrow();
    assert.equal(next.run_at.toISOString(), '2026-11-28T07:00:00.000Z', 'tomorrow at 8 h in Paris');

    // The server restarts the same day: no second round, nothing sent twice.
    await scheduleFollowUpRound(w.ctx);
    await drain();
    w.clock.set('2026-11-28T07:00:30Z');
    await drain();
    assert.equal((await mailsTo('camille.martin@exemple.fr')).filter((m) => /Comment se passe/.test(m.subject)).length, 1, 'sent once');
    assert.equal((await mailsTo('autre@exemple.fr')).filter((m) => /Comment se passe/.test(m.subject)).length, 1, 'the next day’s check-in goes out');
    // Nobody follows the second case: the whole team hears about it.
    assert.equal((await mailsTo(paul.user.email)).filter((m) => /Point de suivi/.test(m.subject)).length, 1);
    const audit = await w.ctx.db.selectFrom('audit_event').select('subject_id').where('action', '=', 'case_followup.sent').execute();
    assert.deepEqual(audit.map((a) => a.subject_id).sort(), [caseId, laterId].sort());
  });

  test('a settled date entered late makes one mail, for the latest check-in due', async () => {
    const { actor } = await person(['staff']);
    const caseId = await settledCase(actor, '2026-04-10');
    await scheduleFollowUpRound(w.ctx);
    const worker = new JobWorker(w.ctx, jobHandlers);
    while (await worker.runOnce());
    const mails = (await mailsTo('camille.martin@exemple.fr')).filter((m) => /Comment se passe/.test(m.subject));
    assert.equal(mails.length, 1);
    assert.match(mails[0].text_body, /Cela fait 6 mois/);
    assert.deepEqual((await followUps(caseId)).map((f) => !!f.sent_at), [false, true, false]);
  });
});

describe('answering a check-in', () => {
  test('the household answers on its page; mistakes come back with 422 and its values; the first answer moves the case to follow-up', async () => {
    const lea = await person(['staff'], 'Léa Dupuis');
    const caseId = await settledCase(lea.actor, '2026-10-27');
    await service.assignAdviser(w.ctx, lea.actor, caseId, 'moi');
    const household = await householdAgent();
    const page = await household.get('/mon-projet');
    assert.match(page.body, /<h2 id="suivi">Vos nouvelles<\/h2>/);
    assert.match(page.body, /Cela fait 1 mois que vous êtes installés/);
    const [first] = await followUps(caseId);

    const bad = await household.post('/mon-projet/suivi', { followUpId: String(first.id), stillLiving: 'yes', satisfaction: '9', comment: 'La boulangerie ouvre en janvier.' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="e-satisfaction"[^>]*>Choisissez une réponse dans la liste/);
    assert.match(bad.body, /id="e-housingSettled"/);
    assert.match(bad.body, /id="e-workSituation"/);
    assert.match(bad.body, /<option value="yes" selected>Oui<\/option>/);
    assert.match(bad.body, />La boulangerie ouvre en janvier\.<\/textarea>/);
    assert.equal((await followUps(caseId))[0].answered_at, null);

    const ok = await household.post('/mon-projet/suivi', { followUpId: String(first.id), ...answer });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/mon-projet#suivi');
    const saved = (await followUps(caseId))[0];
    assert.ok(saved.answered_at);
    assert.equal(saved.channel, 'household');
    assert.equal(saved.comment, 'La boulangerie ouvre en janvier.');
    assert.equal(await stageOf(caseId), 'suivi');
    const event = await w.ctx.db.selectFrom('case_stage_event').select(['from_stage', 'to_stage', 'at']).where('case_id', '=', caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([event.from_stage, event.to_stage, event.at.toISOString()], ['installe', 'suivi', w.clock.now().toISOString()]);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'data']).where('subject_id', '=', caseId).orderBy('id', 'desc').limit(2).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['case_followup.answered', 'newcomer_case.stage_changed']);
    assert.equal((audit.find((a) => a.action === 'newcomer_case.stage_changed')!.data as { transition: string }).transition, 'follow_up');
    assert.doesNotMatch(JSON.stringify(audit), /boulangerie/, 'the comment stays out of the audit log');
    assert.equal((await mailsTo(lea.user.email)).filter((m) => /Nouvelles du foyer/.test(m.subject)).length, 1);

    const again = await household.post('/mon-projet/suivi', { followUpId: String(first.id), ...answer });
    assert.equal(again.statusCode, 409);
    assert.match((await household.get('/mon-projet')).body, /merci, répondu le/);
    const staffPage = await (await agentFor(lea.user.email)).get(`/admin/accueil/${caseId}`);
    assert.match(staffPage.body, /<h2 id="suivi">Suivi après l’installation<\/h2>/);
    assert.match(staffPage.body, /Répondu le .* \(en ligne\)/);
    assert.match(staffPage.body, /4 sur 5/);
    assert.match(staffPage.body, /La boulangerie ouvre en janvier/);
    const exported = JSON.parse((await household.get('/mon-projet/donnees.json')).body);
    assert.deepEqual(exported.case.followUps.map((f: { months: number; comment: string | null }) => [f.months, f.comment]), [
      [1, 'La boulangerie ouvre en janvier.'],
      [6, null],
      [12, null],
    ]);

    // Anonymising the case keeps the anonymous answers, not the comment nor the unanswered check-ins.
    await anonymiseCase(w.ctx, actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']), caseId);
    assert.deepEqual((await followUps(caseId)).map((f) => [f.month_offset, f.channel, f.comment]), [[1, 'household', null]]);
  });

  test('a check-in not yet due cannot be answered by the household, nor another household’s', async () => {
    const { actor } = await person(['staff']);
    const caseId = await settledCase(actor, '2026-11-20');
    const otherId = await settledCase(actor, '2026-10-27', 'autre@exemple.fr');
    const household = await householdAgent();
    const page = await household.get('/mon-projet');
    assert.match(page.body, /Nous prendrons de vos nouvelles aux dates ci-dessous/);
    assert.doesNotMatch(page.body, /name="stillLiving"/);
    const [mine] = await followUps(caseId);
    assert.equal((await household.post('/mon-projet/suivi', { followUpId: String(mine.id), ...answer })).statusCode, 409);
    const [theirs] = await followUps(otherId);
    assert.equal((await household.post('/mon-projet/suivi', { followUpId: String(theirs.id), ...answer })).statusCode, 404);
    assert.equal((await followUps(otherId))[0].answered_at, null);
    assert.equal(await stageOf(caseId), 'installe');

    // Only a household answers, and only its own: others have no check-in to answer.
    const parsed = { followUpId: theirs.id, stillLiving: 'yes' as const, satisfaction: 5, housingSettled: true, workSituation: 'as_planned' as const };
    assert.equal(await codeOf(answerMyFollowUp(w.ctx, anonymous(w.ctx.territory.id), theirs.id, parsed)), 'unauthenticated');
    for (const role of ['member', 'staff', 'admin', 'partner'] as Role[]) {
      assert.equal(await codeOf(answerMyFollowUp(w.ctx, (await person([role])).actor, theirs.id, parsed)), 'not_found', role);
    }
    assert.equal((await followUps(otherId))[0].answered_at, null);
  });

  test('staff record an answer taken on the phone; only the welcome team may', async () => {
    const lea = await person(['staff'], 'Léa Dupuis');
    const caseId = await settledCase(lea.actor, '2026-11-20');
    const [first] = await followUps(caseId);
    const parsed = { followUpId: first.id, stillLiving: 'moved_within' as const, satisfaction: 3, housingSettled: false, workSituation: 'looking' as const };
    const roles: [Role | null, string][] = [[null, 'unauthenticated'], ['candidate', 'forbidden'], ['member', 'forbidden'], ['partner', 'forbidden'], ['space_manager', 'forbidden']];
    for (const [role, expected] of roles) {
      const actor: Actor = role ? (await person([role])).actor : anonymous(w.ctx.territory.id);
      assert.equal(await codeOf(recordFollowUpByPhone(w.ctx, actor, caseId, first.id, parsed)), expected, `${role ?? 'visitor'}`);
    }
    assert.equal((await followUps(caseId))[0].answered_at, null);

    const agent = await agentFor(lea.user.email);
    const bad = await agent.post(`/admin/accueil/${caseId}/suivi`, { followUpId: String(first.id), stillLiving: 'moved_within' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /<details open="">|<details open>/);
    assert.match(bad.body, /id="e-satisfaction"/);
    const ok = await agent.post(`/admin/accueil/${caseId}/suivi`, { followUpId: String(first.id), stillLiving: 'moved_within', satisfaction: '3', housingSettled: 'no', workSituation: 'looking' });
    assert.equal(ok.statusCode, 303);
    const saved = (await followUps(caseId))[0];
    assert.equal(saved.channel, 'phone');
    assert.equal(await stageOf(caseId), 'suivi');
    const page = await agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /Répondu le .* \(par téléphone, Léa Dupuis\)/);
    assert.match(page.body, /Non, nous avons déménagé ailleurs dans le Gers/);

    const admin = await person(['admin']);
    const [, second] = await followUps(caseId);
    assert.equal(await codeOf(recordFollowUpByPhone(w.ctx, admin.actor, caseId, second.id, { ...parsed, followUpId: second.id })), 'ok');
    assert.equal(await stageOf(caseId), 'suivi', 'later answers leave the stage alone');
  });
});

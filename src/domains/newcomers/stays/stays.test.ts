import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { anonymous, type Actor } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { hashPassword } from '../../accounts/index.js';
import * as cases from '../cases/cases.service.js';
import type { StayInput } from './stays.schemas.js';
import * as stays from './stays.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

const isCode = (code: string, message?: string) => (e: unknown) => e instanceof AppError && e.code === code && (!message || e.message === message);
const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();
const stageOf = async (id: string) => (await w.ctx.db.selectFrom('newcomer_case').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage;
const statusesOf = async (stayId: number) =>
  (
    await w.ctx.db
      .selectFrom('stay_application as a')
      .innerJoin('event_registration as r', 'r.id', 'a.registration_id')
      .select(['a.case_id', 'r.status'])
      .where('a.stay_id', '=', stayId)
      .orderBy('a.id')
      .execute()
  ).map((r) => ({ confirmed: 'selected', cancelled: 'withdrawn' })[r.status as string] ?? r.status);

async function staffMember(roles: Role[] = ['staff'], name = 'Léa Dupuis') {
  const user = await createUser(w.ctx, { roles, name });
  return { user, actor: actorFor(w.ctx, user, roles) };
}

/** A household that applied to the programme, seen as its own signed-in account. */
async function household(n = 1, overrides: Parameters<typeof applyAsVisitor>[1] = {}) {
  const email = `foyer${n}@exemple.fr`;
  const applied = await applyAsVisitor(w.ctx, { email, contactName: `Foyer ${n}`, ...overrides });
  const user = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return { caseId: applied.caseId, email, actor: actorFor(w.ctx, user, ['candidate']) };
}

async function householdAgent(email: string) {
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', email).execute();
  const agent = new Agent(w.app);
  await agent.login(email, PASSWORD);
  return agent;
}

const stayInput = (overrides: Partial<StayInput> = {}): StayInput => ({
  title: 'Trois jours autour de Lectoure',
  summary: 'Villages, écoles et tiers-lieux de la Lomagne.',
  startsOn: '2026-12-10',
  endsOn: '2026-12-12',
  applyBy: '2026-12-01',
  seats: 2,
  status: 'open',
  ...overrides,
});

async function openStay(staff: { actor: ReturnType<typeof actorFor> }, overrides: Partial<StayInput> = {}) {
  const { id } = await stays.createStay(w.ctx, staff.actor, stayInput(overrides));
  return id;
}

/** Applications of these households to the stay, in order; returns their ids. */
async function applyAll(stayId: number, households: Awaited<ReturnType<typeof household>>[]) {
  const ids: number[] = [];
  for (const h of households) ids.push((await stays.applyToStay(w.ctx, h.actor, stayId, { people: 3 })).id);
  return ids;
}

async function accompanied(staff: { actor: ReturnType<typeof actorFor> }, caseId: string) {
  await cases.qualifyCase(w.ctx, staff.actor, caseId);
  await cases.startAccompaniment(w.ctx, staff.actor, caseId);
}

const UUID = '00000000-0000-4000-8000-000000000000';

describe('who may manage stays and decide', () => {
  test('only the welcome team and admins; everyone else is refused before anything is read', async () => {
    const staff = await staffMember();
    const h = await household();
    const stayId = await openStay(staff);
    const [applicationId] = await applyAll(stayId, [h]);
    const calls = (actor: Actor) => [
      () => stays.listStaysForStaff(w.ctx, actor),
      () => stays.getStayForStaff(w.ctx, actor, stayId),
      () => stays.createStay(w.ctx, actor, stayInput()),
      () => stays.updateStay(w.ctx, actor, stayId, stayInput()),
      () => stays.addProgrammeItem(w.ctx, actor, stayId, { day: '2026-12-10', startsAt: '10:00', kind: 'visit', itemTitle: 'Marché', insee: '32208' }),
      () => stays.removeProgrammeItem(w.ctx, actor, stayId, 1),
      () => stays.decideApplication(w.ctx, actor, stayId, applicationId, 'selected'),
      () => stays.recordAttendance(w.ctx, actor, stayId, applicationId, true),
      () => stays.enrolCase(w.ctx, actor, h.caseId, { stayId, people: 2 }),
      // A dummy id answers the same refusal: nothing tells an outsider what exists.
      () => stays.getStayForStaff(w.ctx, actor, 999_999),
      () => stays.enrolCase(w.ctx, actor, UUID, { stayId: 999_999, people: 2 }),
    ];
    for (const roles of [['member'], ['candidate'], ['partner'], ['space_manager'], []] as Role[][]) {
      const outsider = actorFor(w.ctx, await createUser(w.ctx, { roles }), roles);
      for (const call of calls(outsider)) await assert.rejects(call(), isCode('forbidden'), roles.join() || 'no role');
    }
    for (const call of calls(anonymous(w.ctx.territory.id))) await assert.rejects(call(), isCode('unauthenticated'));
    assert.deepEqual(await statusesOf(stayId), ['applied'], 'nothing changed');
    const admin = await staffMember(['admin'], 'Alex Admin');
    await stays.decideApplication(w.ctx, admin.actor, stayId, applicationId, 'selected');
    assert.equal((await stays.listStaysForStaff(w.ctx, admin.actor)).stays[0].taken, 1);
  });

  test('the household side needs a signed-in account with its own case; a household acts on its own application only', async () => {
    const staff = await staffMember();
    const stayId = await openStay(staff);
    const [a, b] = [await household(1), await household(2)];
    await assert.rejects(stays.applyToStay(w.ctx, anonymous(w.ctx.territory.id), stayId, { people: 2 }), isCode('unauthenticated'));
    await assert.rejects(stays.getStayForHousehold(w.ctx, anonymous(w.ctx.territory.id), stayId), isCode('unauthenticated'));
    await assert.rejects(stays.withdrawFromStay(w.ctx, anonymous(w.ctx.territory.id), stayId), isCode('unauthenticated'));
    // Signed in without a case of one's own (a member, or staff acting as themselves): nothing to apply with.
    for (const roles of [['member'], ['staff'], ['partner']] as Role[][]) {
      const someone = actorFor(w.ctx, await createUser(w.ctx, { roles }), roles);
      await assert.rejects(stays.applyToStay(w.ctx, someone, stayId, { people: 2 }), isCode('not_found', 'newcomers.my.none'));
      await assert.rejects(stays.withdrawFromStay(w.ctx, someone, stayId), isCode('not_found', 'newcomers.my.none'));
      await assert.rejects(stays.getStayForHousehold(w.ctx, someone, stayId), isCode('not_found', 'newcomers.my.none'));
    }
    await applyAll(stayId, [a]);
    // B has no application to this stay: withdrawing finds nothing and A's application is untouched.
    await assert.rejects(stays.withdrawFromStay(w.ctx, b.actor, stayId), isCode('not_found'));
    assert.deepEqual(await statusesOf(stayId), ['applied']);
    // The back office pages refuse the household.
    const agent = await householdAgent(a.email);
    assert.equal((await agent.get('/admin/accueil/sejours')).statusCode, 403);
    assert.equal((await agent.get(`/admin/accueil/sejours/${stayId}`)).statusCode, 403);
    assert.equal((await agent.post(`/admin/accueil/sejours/${stayId}/candidatures/1`, { decision: 'selected' })).statusCode, 403);
  });
});

describe('a household applies from its case', () => {
  test('/mon-projet lists open stays with dates, places and seats left; applying twice leaves one application', async () => {
    const staff = await staffMember();
    const h = await household();
    const stayId = await openStay(staff);
    await stays.addProgrammeItem(w.ctx, staff.actor, stayId, { day: '2026-12-10', startsAt: '09:30', kind: 'visit', itemTitle: 'Marché de Lectoure', place: 'Place de la mairie', insee: '32208' });
    await stays.addProgrammeItem(w.ctx, staff.actor, stayId, { day: '2026-12-11', startsAt: '12:30', kind: 'meal', itemTitle: 'Repas avec des élus', insee: '32107' });
    await openStay(staff, { title: 'Séjour en brouillon', status: 'draft' });
    await openStay(staff, { title: 'Séjour clos', status: 'closed' });
    const agent = await householdAgent(h.email);
    const page = await agent.get('/mon-projet');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Trois jours autour de Lectoure/);
    assert.match(page.body, /du 10 décembre 2026 au 12 décembre 2026/);
    assert.match(page.body, /Lieux : Lectoure, /);
    assert.match(page.body, /Places restantes : 2 foyer\(s\)/);
    assert.doesNotMatch(page.body, /Séjour en brouillon|Séjour clos/, 'drafts and closed stays are not offered');
    assert.match(page.body, new RegExp(`<input id="people-${stayId}" name="people"`), 'each stay has its own apply form');
    const stayPage = await agent.get(`/mon-projet/sejours/${stayId}`);
    assert.match(stayPage.body, /<td>9 h 30<\/td><td>Visite<\/td><th scope="row">Marché de Lectoure<\/th><td>Place de la mairie, <a href="\/villages\/32208">Lectoure<\/a>/);

    const first = await agent.post(`/mon-projet/sejours/${stayId}`, { people: '4', message: 'Nous viendrons avec nos deux enfants.' });
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/mon-projet#sejours');
    const again = await agent.post(`/mon-projet/sejours/${stayId}`, { people: '2' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Ce foyer a déjà candidaté à ce séjour/);
    // Two at the same instant: still one.
    const both = await Promise.allSettled([stays.applyToStay(w.ctx, h.actor, stayId, { people: 1 }), stays.applyToStay(w.ctx, h.actor, stayId, { people: 1 })]);
    assert.ok(both.every((r) => r.status === 'rejected'));
    const rows = await w.ctx.db
      .selectFrom('stay_application as a')
      .innerJoin('event_registration as r', 'r.id', 'a.registration_id')
      .select(['a.people', 'a.message', 'r.status'])
      .where('a.case_id', '=', h.caseId)
      .execute();
    assert.deepEqual(rows, [{ people: 4, message: 'Nous viendrons avec nos deux enfants.', status: 'applied' }]);
    const after = await agent.get('/mon-projet');
    assert.match(after.body, /Vous avez candidaté à ce séjour/);
    assert.match(after.body, /Trois jours autour de Lectoure<\/a> · du 10 décembre 2026 au 12 décembre 2026 · 4 personne\(s\) · <span class="tag">Candidature reçue<\/span>/);
    // The team hears about it, without the household's words.
    const toTeam = await mailsTo(staff.user.email);
    assert.equal(toTeam.length, 1);
    assert.match(toTeam[0].subject, /Candidature au séjour « Trois jours autour de Lectoure »/);
    assert.doesNotMatch(toTeam[0].text_body, /deux enfants/);
    const audit = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'stay_application.submitted').executeTakeFirstOrThrow();
    assert.doesNotMatch(JSON.stringify(audit.data), /enfants/, 'the message stays out of the audit log');
  });

  test('a closed, draft or past-deadline stay refuses applications with a clear message', async () => {
    const staff = await staffMember();
    const h = await household();
    const closed = await openStay(staff, { status: 'closed' });
    const draft = await openStay(staff, { status: 'draft' });
    const open = await openStay(staff);
    await assert.rejects(stays.applyToStay(w.ctx, h.actor, closed, { people: 2 }), isCode('conflict', 'newcomers.stays.closed'));
    await assert.rejects(stays.applyToStay(w.ctx, h.actor, draft, { people: 2 }), isCode('not_found'));
    const agent = await householdAgent(h.email);
    const refused = await agent.post(`/mon-projet/sejours/${closed}`, { people: '2' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Les candidatures à ce séjour sont closes/);
    assert.equal((await agent.get(`/mon-projet/sejours/${draft}`)).statusCode, 404);
    w.clock.set('2026-12-02T09:00:00Z');
    await assert.rejects(stays.applyToStay(w.ctx, h.actor, open, { people: 2 }), isCode('conflict', 'newcomers.stays.deadlinePassed'));
    const late = await agent.post(`/mon-projet/sejours/${open}`, { people: '2' });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /La date limite des candidatures à ce séjour est passée/);
    assert.equal(await w.ctx.db.selectFrom('stay_application').select('id').executeTakeFirst(), undefined);
  });

  test('a wrong number of persons re-renders the stay page with 422, the values typed and the message', async () => {
    const staff = await staffMember();
    const h = await household();
    const stayId = await openStay(staff);
    const agent = await householdAgent(h.email);
    const res = await agent.post(`/mon-projet/sejours/${stayId}`, { people: '0', message: 'Avec notre chien' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="e-people"[^>]*>Indiquez un nombre de personnes entre 1 et 12/);
    assert.match(res.body, />Avec notre chien<\/textarea>/);
  });

  test('the household withdraws before the stay; after it has begun it must call the team', async () => {
    const staff = await staffMember();
    const [a, b] = [await household(1), await household(2)];
    const stayId = await openStay(staff);
    await applyAll(stayId, [a, b]);
    const agent = await householdAgent(a.email);
    assert.equal((await agent.post(`/mon-projet/sejours/${stayId}/retrait`, {})).statusCode, 303);
    assert.deepEqual(await statusesOf(stayId), ['withdrawn', 'applied']);
    // Withdrawn, it may apply again.
    await stays.applyToStay(w.ctx, a.actor, stayId, { people: 2 });
    assert.deepEqual(await statusesOf(stayId), ['applied', 'applied']);
    w.clock.set('2026-12-10T09:00:00Z');
    await assert.rejects(stays.withdrawFromStay(w.ctx, b.actor, stayId), isCode('conflict', 'newcomers.stays.started'));
  });
});

describe('staff select, put on the waiting list or decline', () => {
  test('concurrent selections never give more seats than the stay has', async () => {
    const staff = await staffMember();
    const colleague = await staffMember(['staff'], 'Paul Roux');
    const households = [];
    for (let i = 1; i <= 5; i++) households.push(await household(i));
    const stayId = await openStay(staff, { seats: 2 });
    const ids = await applyAll(stayId, households);
    const results = await Promise.allSettled(ids.map((id, i) => stays.decideApplication(w.ctx, (i % 2 ? colleague : staff).actor, stayId, id, 'selected')));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(refused.length, 3);
    assert.ok(refused.every((r) => isCode('conflict', 'newcomers.stays.full')(r.reason)));
    assert.equal((await statusesOf(stayId)).filter((s) => s === 'selected').length, 2);
    const listed = (await stays.listStaysForStaff(w.ctx, staff.actor)).stays[0];
    assert.deepEqual([listed.seats, listed.taken, listed.pending], [2, 2, 3]);
    // Fewer seats than households already selected is refused.
    await assert.rejects(stays.updateStay(w.ctx, staff.actor, stayId, stayInput({ seats: 1 })), isCode('invalid', 'newcomers.stays.seatsBelowSelected'));
  });

  test('a seat freed by a withdrawal or a later decline lets a household of the waiting list be selected', async () => {
    const staff = await staffMember();
    const [a, b, c] = [await household(1), await household(2), await household(3)];
    const stayId = await openStay(staff, { seats: 1 });
    const [ia, ib, ic] = await applyAll(stayId, [a, b, c]);
    await stays.decideApplication(w.ctx, staff.actor, stayId, ia, 'selected');
    await stays.decideApplication(w.ctx, staff.actor, stayId, ib, 'waiting');
    await stays.decideApplication(w.ctx, staff.actor, stayId, ic, 'waiting');
    await assert.rejects(stays.decideApplication(w.ctx, staff.actor, stayId, ib, 'selected'), isCode('conflict', 'newcomers.stays.full'));
    const agent = new Agent(w.app);
    await agent.login(staff.user.email, staff.user.password);
    const full = await agent.post(`/admin/accueil/sejours/${stayId}/candidatures/${ib}`, { decision: 'selected' });
    assert.equal(full.statusCode, 409);
    assert.match(full.body, /Toutes les places de ce séjour sont prises/);
    assert.match(full.body, /Foyer 2<\/a>.*Liste d’attente<\/span><span class="small"> \(rang 1\)/s);
    assert.match(full.body, /Foyer 3<\/a>.*Liste d’attente<\/span><span class="small"> \(rang 2\)/s);
    await stays.withdrawFromStay(w.ctx, a.actor, stayId);
    assert.ok((await mailsTo(staff.user.email)).some((m) => /Une place se libère/.test(m.subject)), 'mail /Une place se libère/ sent');
    await stays.decideApplication(w.ctx, staff.actor, stayId, ib, 'selected');
    assert.deepEqual(await statusesOf(stayId), ['withdrawn', 'selected', 'waiting']);
    await assert.rejects(stays.decideApplication(w.ctx, staff.actor, stayId, ia, 'selected'), isCode('conflict', 'newcomers.stays.withdrawnAlready'));
    await stays.decideApplication(w.ctx, staff.actor, stayId, ib, 'declined');
    await stays.decideApplication(w.ctx, staff.actor, stayId, ic, 'selected');
    assert.deepEqual(await statusesOf(stayId), ['withdrawn', 'declined', 'selected']);
  });

  test('each decision is mailed to the household with a link to its page, never to anyone else', async () => {
    const staff = await staffMember();
    const [a, b, c] = [await household(1), await household(2), await household(3)];
    const stayId = await openStay(staff);
    const [ia, ib, ic] = await applyAll(stayId, [a, b, c]);
    const agent = new Agent(w.app);
    await agent.login(staff.user.email, staff.user.password);
    await agent.get(`/admin/accueil/sejours/${stayId}`);
    for (const [id, decision] of [[ia, 'selected'], [ib, 'waiting'], [ic, 'declined']] as const) {
      const res = await agent.post(`/admin/accueil/sejours/${stayId}/candidatures/${id}`, { decision });
      assert.equal(res.statusCode, 303, decision);
    }
    // Mails written at one instant of the test clock have no order among them: each decision's mail is found by its subject.
    const decisionMail = async (to: string, subject: RegExp) => {
      const found = (await mailsTo(to)).filter((m) => subject.test(m.subject));
      assert.equal(found.length, 1, `${to}: ${subject}`);
      return found[0];
    };
    const ma = await decisionMail(a.email, /Vous êtes retenus pour le séjour « Trois jours autour de Lectoure »/);
    const mb = await decisionMail(b.email, /Liste d’attente/);
    const mc = await decisionMail(c.email, /Votre candidature au séjour/);
    for (const m of [ma, mb, mc]) assert.match(m.text_body, /http:\/\/localhost:3000\/mon-projet#sejours/);
    const unknown = await agent.post(`/admin/accueil/sejours/${stayId}/candidatures/${ia}`, { decision: 'maybe' });
    assert.equal(unknown.statusCode, 422);
    const page = await agent.get(`/admin/accueil/sejours/${stayId}`);
    assert.match(page.body, /1 foyer\(s\) retenu\(s\) sur 2 ; 1 place\(s\) restante\(s\)/);
    const audit = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'stay_application.decided').execute();
    assert.equal(audit.length, 3);
  });

  test('a selected household whose case is accompanied moves to the discovery stay stage, dated and audited', async () => {
    const staff = await staffMember();
    const [a, settled, fresh] = [await household(1), await household(2), await household(3)];
    await accompanied(staff, a.caseId);
    await accompanied(staff, settled.caseId);
    await cases.startMoving(w.ctx, staff.actor, settled.caseId);
    await cases.markSettled(w.ctx, staff.actor, settled.caseId, { settledInsee: '32208', settledOn: '2026-11-20' });
    const stayId = await openStay(staff, { seats: 3 });
    const [ia, is, ifresh] = await applyAll(stayId, [a, settled, fresh]);
    w.clock.advance(60_000);
    assert.deepEqual(await stays.decideApplication(w.ctx, staff.actor, stayId, ia, 'selected'), { moved: true });
    assert.equal(await stageOf(a.caseId), 'sejour_decouverte');
    const event = await w.ctx.db.selectFrom('case_stage_event').select(['from_stage', 'to_stage', 'at', 'by_user_id']).where('case_id', '=', a.caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(event, { from_stage: 'accompagne', to_stage: 'sejour_decouverte', at: w.clock.now(), by_user_id: staff.user.id });
    const moved = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'newcomer_case.stage_changed').where('subject_id', '=', a.caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal((moved.data as { transition: string }).transition, 'discovery');
    // Not allowed from "installé" nor from "nouveau": the selection stands, the stage does not move.
    assert.deepEqual(await stays.decideApplication(w.ctx, staff.actor, stayId, is, 'selected'), { moved: false });
    assert.equal(await stageOf(settled.caseId), 'installe');
    await stays.decideApplication(w.ctx, staff.actor, stayId, ifresh, 'selected');
    assert.equal(await stageOf(fresh.caseId), 'nouveau');
    assert.deepEqual(await statusesOf(stayId), ['selected', 'selected', 'selected']);
  });

  test('selecting from the agenda’s back office (/admin/agenda) moves the case and mails the household as the stays page does', async () => {
    const staff = await staffMember();
    const [a, b] = [await household(1), await household(2)];
    await accompanied(staff, a.caseId);
    await accompanied(staff, b.caseId);
    const stayId = await openStay(staff);
    const [ia, ib] = await applyAll(stayId, [a, b]);
    const registrationOf = async (applicationId: number) =>
      (await w.ctx.db.selectFrom('stay_application').select('registration_id').where('id', '=', applicationId).executeTakeFirstOrThrow()).registration_id;
    const { event_id: eventId } = await w.ctx.db.selectFrom('discovery_stay').select('event_id').where('id', '=', stayId).executeTakeFirstOrThrow();
    const agent = new Agent(w.app);
    await agent.login(staff.user.email, staff.user.password);
    await agent.get(`/admin/agenda/${eventId}`);
    w.clock.advance(60_000);
    const selected = await agent.post(`/admin/agenda/${eventId}/inscriptions/${await registrationOf(ia)}/decision`, { decision: 'selected' });
    assert.equal(selected.statusCode, 303);
    assert.equal(await stageOf(a.caseId), 'sejour_decouverte');
    const moved = await w.ctx.db.selectFrom('case_stage_event').select(['to_stage', 'at', 'by_user_id']).where('case_id', '=', a.caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(moved, { to_stage: 'sejour_decouverte', at: w.clock.now(), by_user_id: staff.user.id });
    const declined = await agent.post(`/admin/agenda/${eventId}/inscriptions/${await registrationOf(ib)}/decision`, { decision: 'declined' });
    assert.equal(declined.statusCode, 303);
    assert.equal(await stageOf(b.caseId), 'accompagne');
    assert.deepEqual(await statusesOf(stayId), ['selected', 'declined']);
    // One mail each, the stays' own (with the household's page), not the agenda's.
    const [ma, mb] = [await mailsTo(a.email), await mailsTo(b.email)];
    const selectedMails = ma.filter((m) => /retenus pour le séjour/.test(m.subject));
    assert.equal(selectedMails.length, 1);
    assert.match(selectedMails[0].text_body, /\/mon-projet#sejours/);
    assert.equal(mb.filter((m) => /Votre candidature au séjour/.test(m.subject)).length, 1);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'data']).where('action', 'in', ['stay_application.decided', 'event_registration.decided']).orderBy('id').execute();
    assert.deepEqual(audit.map((e) => e.action).sort(), ['event_registration.decided', 'event_registration.decided', 'stay_application.decided', 'stay_application.decided']);
    assert.equal((audit.find((e) => e.action === 'stay_application.decided')!.data as { stage?: string }).stage, 'sejour_decouverte');
  });

  test('attendance is recorded for selected households once the stay has begun, and shows on the case page', async () => {
    const staff = await staffMember();
    const [a, b] = [await household(1), await household(2)];
    const stayId = await openStay(staff, { seats: 1 });
    const [ia, ib] = await applyAll(stayId, [a, b]);
    await stays.decideApplication(w.ctx, staff.actor, stayId, ia, 'selected');
    await stays.decideApplication(w.ctx, staff.actor, stayId, ib, 'waiting');
    await assert.rejects(stays.recordAttendance(w.ctx, staff.actor, stayId, ia, true), isCode('conflict', 'newcomers.stays.notStarted'));
    w.clock.set('2026-12-12T17:00:00Z');
    await assert.rejects(stays.recordAttendance(w.ctx, staff.actor, stayId, ib, true), isCode('conflict', 'newcomers.stays.attendanceSelectedOnly'));
    const agent = new Agent(w.app);
    await agent.login(staff.user.email, staff.user.password);
    const stayPage = await agent.get(`/admin/accueil/sejours/${stayId}`);
    assert.match(stayPage.body, /name="attended" value="1"/);
    assert.equal((await agent.post(`/admin/accueil/sejours/${stayId}/candidatures/${ia}/presence`, { attended: '0' })).statusCode, 303);
    assert.equal((await agent.post(`/admin/accueil/sejours/${stayId}/candidatures/${ia}/presence`, { attended: '1' })).statusCode, 303);
    const row = await w.ctx.db.selectFrom('stay_application').select(['attended', 'attendance_by']).where('id', '=', ia).executeTakeFirstOrThrow();
    assert.deepEqual(row, { attended: true, attendance_by: staff.user.id });
    const casePage = await agent.get(`/admin/accueil/${a.caseId}`);
    assert.match(casePage.body, /<h2 id="sejours">Séjours découverte<\/h2>/);
    assert.match(casePage.body, /Trois jours autour de Lectoure<\/a>.*Retenu · Présent/s);
    assert.equal((await w.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'stay_application.attendance_recorded').execute()).length, 2);
  });

  test('staff enrol a case from its page; the same stay twice is refused on the form', async () => {
    const staff = await staffMember();
    const h = await household();
    const stayId = await openStay(staff, { status: 'draft' });
    const agent = new Agent(w.app);
    await agent.login(staff.user.email, staff.user.password);
    const page = await agent.get(`/admin/accueil/${h.caseId}`);
    assert.match(page.body, new RegExp(`<option value="${stayId}">Trois jours autour de Lectoure \\(Brouillon\\)</option>`));
    assert.equal((await agent.post(`/admin/accueil/${h.caseId}/sejours`, { stayId: String(stayId), people: '3' })).statusCode, 303);
    const again = await agent.post(`/admin/accueil/${h.caseId}/sejours`, { stayId: String(stayId), people: '3' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /id="e-stayId"[^>]*>Ce foyer a déjà candidaté à ce séjour/);
    const missing = await agent.post(`/admin/accueil/${h.caseId}/sejours`, { stayId: '', people: '0' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /id="e-stayId"[^>]*>Choisissez un séjour/);
    assert.match(missing.body, /id="e-people"/);
    const rows = await w.ctx.db.selectFrom('stay_application').select(['people', 'applied_by']).where('case_id', '=', h.caseId).execute();
    assert.deepEqual(rows, [{ people: 3, applied_by: staff.user.id }]);
    // The household sees the draft stay it was enrolled in, and only that one.
    const mine = await householdAgent(h.email);
    assert.equal((await mine.get(`/mon-projet/sejours/${stayId}`)).statusCode, 200);
    const other = await openStay(staff, { status: 'draft', title: 'Autre brouillon' });
    assert.equal((await mine.get(`/mon-projet/sejours/${other}`)).statusCode, 404);
  });
});

describe('the stay and programme forms', () => {
  test('a wrong stay re-renders with 422, the values typed and a message per field', async () => {
    const staff = await staffMember();
    const agent = new Agent(w.app);
    await agent.login(staff.user.email, staff.user.password);
    const form = { title: 'Week-end en Astarac', summary: '', startsOn: '2026-12-12', endsOn: '2026-12-10', applyBy: '2026-12-01', seats: '4', status: 'open' };
    const backwards = await agent.post('/admin/accueil/sejours', form);
    assert.equal(backwards.statusCode, 422);
    assert.match(backwards.body, /id="e-endsOn"[^>]*>Le dernier jour ne peut pas précéder le premier/);
    assert.match(backwards.body, /value="Week-end en Astarac"/);
    const noSeat = await agent.post('/admin/accueil/sejours', { ...form, endsOn: '2026-12-13', seats: '0' });
    assert.equal(noSeat.statusCode, 422);
    assert.match(noSeat.body, /id="e-seats"[^>]*>Indiquez un nombre de foyers entre 1 et 200/);
    const created = await agent.post('/admin/accueil/sejours', { ...form, endsOn: '2026-12-13' });
    assert.equal(created.statusCode, 303);
    const stayId = Number(/\/admin\/accueil\/sejours\/(\d+)$/.exec(String(created.headers.location))![1]);
    const list = await agent.get('/admin/accueil/sejours');
    assert.match(list.body, /Week-end en Astarac<\/a>/);
    assert.match((await agent.get('/admin/accueil')).body, /href="\/admin\/accueil\/sejours"/, 'the cases list links to the stays');

    const item = { day: '2026-12-12', startsAt: '10:00', kind: 'workshop', itemTitle: 'Atelier CAE', place: '', insee: '75056' };
    const unknown = await agent.post(`/admin/accueil/sejours/${stayId}/programme`, item);
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /id="e-insee"[^>]*>Cette commune n’est pas dans le territoire/);
    assert.match(unknown.body, /value="Atelier CAE"/);
    const outside = await agent.post(`/admin/accueil/sejours/${stayId}/programme`, { ...item, insee: '32013', day: '2026-12-20' });
    assert.equal(outside.statusCode, 422);
    assert.match(outside.body, /id="e-day"[^>]*>Ce jour n’est pas dans les dates du séjour/);
    const badTime = await agent.post(`/admin/accueil/sejours/${stayId}/programme`, { ...item, insee: '32013', startsAt: '25:00' });
    assert.equal(badTime.statusCode, 422);
    assert.equal((await agent.post(`/admin/accueil/sejours/${stayId}/programme`, { ...item, insee: '32013' })).statusCode, 303);
    const page = await agent.get(`/admin/accueil/sejours/${stayId}`);
    assert.match(page.body, /Atelier CAE<\/th>/);
    assert.match(page.body, /<a href="\/villages\/32013">Auch<\/a>/);
    // Moving the stay away from its programme is refused; removing the item allows it.
    const moved = await agent.post(`/admin/accueil/sejours/${stayId}`, { ...form, startsOn: '2027-01-10', endsOn: '2027-01-12', applyBy: '2027-01-01' });
    assert.equal(moved.statusCode, 422);
    assert.match(moved.body, /id="e-startsOn"[^>]*>Des éléments du programme tombent hors de ces dates/);
    const itemRow = await w.ctx.db.selectFrom('stay_programme_item').select('id').executeTakeFirstOrThrow();
    assert.equal((await agent.post(`/admin/accueil/sejours/${stayId}/programme/${itemRow.id}/suppression`, {})).statusCode, 303);
    assert.equal((await agent.post(`/admin/accueil/sejours/${stayId}`, { ...form, startsOn: '2027-01-10', endsOn: '2027-01-12', applyBy: '2027-01-01' })).statusCode, 303);
  });
});

describe('privacy', () => {
  test('a case’s stay applications, with the household’s message, are in its export and go with the case', async () => {
    const staff = await staffMember();
    const h = await household();
    const stayId = await openStay(staff);
    await stays.applyToStay(w.ctx, h.actor, stayId, { people: 2, message: 'Mon mari est malentendant.' });
    const exported = await cases.exportMyData(w.ctx, h.actor);
    assert.deepEqual(
      ((exported.case as Record<string, unknown> | null)?.discoveryStays as { stay: string; people: number; message: string | null; status: string }[]).map((a) => [a.stay, a.people, a.message, a.status]),
      [['Trois jours autour de Lectoure', 2, 'Mon mari est malentendant.', 'applied']],
      'the household’s export holds its applications',
    );
    await w.ctx.db.deleteFrom('newcomer_case').where('id', '=', h.caseId).execute();
    assert.equal(await w.ctx.db.selectFrom('stay_application').select('id').executeTakeFirst(), undefined);
  });
});

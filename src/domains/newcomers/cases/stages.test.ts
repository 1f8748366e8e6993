import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { AppError } from '../../../shared/app-error.js';
import { DAY } from '../../../shared/time.js';
import * as service from './cases.service.js';
import { allowedTransitions, targetOf } from './stages.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

async function setup() {
  const staffUser = await createUser(w.ctx, { roles: ['staff'], name: 'Léa Dupuis' });
  const staff = actorFor(w.ctx, staffUser, ['staff']);
  const { caseId } = await applyAsVisitor(w.ctx);
  return { staffUser, staff, caseId };
}
const stageOf = async (id: string) => (await w.ctx.db.selectFrom('newcomer_case').select(['stage', 'paused_from', 'settled_insee', 'drop_reason_id']).where('id', '=', id).executeTakeFirstOrThrow());
const events = (id: string) => w.ctx.db.selectFrom('case_stage_event').select(['from_stage', 'to_stage', 'by_user_id', 'reason_id', 'at']).where('case_id', '=', id).orderBy('id').execute();

describe('the stage machine, pure', () => {
  test('each stage offers only its named transitions', () => {
    assert.deepEqual(allowedTransitions('nouveau'), ['qualify', 'pause', 'drop']);
    assert.deepEqual(allowedTransitions('accompagne'), ['discovery', 'moving', 'pause', 'drop']);
    assert.deepEqual(allowedTransitions('installe'), ['follow_up']);
    assert.deepEqual(allowedTransitions('en_pause'), ['resume', 'drop']);
    assert.deepEqual(allowedTransitions('abandon'), ['reopen']);
    assert.deepEqual(allowedTransitions('suivi'), []);
  });

  test('a transition from the wrong stage is a conflict; resuming goes back where the case paused', () => {
    assert.throws(() => targetOf('settle', { stage: 'nouveau', paused_from: null }), isCode('conflict'));
    assert.equal(targetOf('resume', { stage: 'en_pause', paused_from: 'accompagne' }), 'accompagne');
  });
});

describe('moving a case through its stages', () => {
  test('from new to follow-up, every step dated, by whom, and audited', async () => {
    const { staff, staffUser, caseId } = await setup();
    await service.qualifyCase(w.ctx, staff, caseId);
    w.clock.advance(3 * DAY);
    await service.startAccompaniment(w.ctx, staff, caseId);
    w.clock.advance(10 * DAY);
    await service.startDiscoveryStay(w.ctx, staff, caseId);
    await service.startMoving(w.ctx, staff, caseId);
    await service.markSettled(w.ctx, staff, caseId, { settledInsee: '32208', settledOn: '2026-12-05' });
    await service.startFollowUp(w.ctx, staff, caseId);
    const c = await stageOf(caseId);
    assert.equal(c.stage, 'suivi');
    assert.equal(c.settled_insee, '32208');
    const history = await events(caseId);
    assert.deepEqual(
      history.map((e) => [e.from_stage, e.to_stage]),
      [
        [null, 'nouveau'],
        ['nouveau', 'qualifie'],
        ['qualifie', 'accompagne'],
        ['accompagne', 'sejour_decouverte'],
        ['sejour_decouverte', 'installation'],
        ['installation', 'installe'],
        ['installe', 'suivi'],
      ],
    );
    assert.ok(history.slice(1).every((e) => e.by_user_id === staffUser.id));
    assert.equal(history[2].at.getTime() - history[1].at.getTime(), 3 * DAY, 'time spent in "qualifie" can be computed');
    const audit = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'newcomer_case.stage_changed').execute();
    assert.equal(audit.length, 6);
  });

  test('a transition not allowed from the current stage is refused with a conflict and changes nothing', async () => {
    const { staff, caseId } = await setup();
    await assert.rejects(service.startAccompaniment(w.ctx, staff, caseId), isCode('conflict'));
    await assert.rejects(service.markSettled(w.ctx, staff, caseId, { settledInsee: '32013', settledOn: '2026-11-20' }), isCode('conflict'));
    await assert.rejects(service.resumeCase(w.ctx, staff, caseId), isCode('conflict'));
    assert.equal((await stageOf(caseId)).stage, 'nouveau');
    assert.equal((await events(caseId)).length, 1);
  });

  test('a case put on hold resumes at the stage it left', async () => {
    const { staff, caseId } = await setup();
    await service.qualifyCase(w.ctx, staff, caseId);
    await service.startAccompaniment(w.ctx, staff, caseId);
    await service.putOnHold(w.ctx, staff, caseId, { comment: 'Attend la vente de leur appartement' });
    assert.deepEqual(await stageOf(caseId), { stage: 'en_pause', paused_from: 'accompagne', settled_insee: null, drop_reason_id: null });
    await service.resumeCase(w.ctx, staff, caseId);
    assert.equal((await stageOf(caseId)).stage, 'accompagne');
    assert.equal((await stageOf(caseId)).paused_from, null);
  });

  test('dropping needs a reason from the staff list; a dropped case can be reopened', async () => {
    const { staff, caseId } = await setup();
    await assert.rejects(service.dropCase(w.ctx, staff, caseId, { reasonId: 999_999 }), isCode('invalid'));
    const reasons = await service.listDropReasonsForStaff(w.ctx, staff);
    assert.deepEqual(reasons.map((r) => r.key), ['housing_not_found', 'partner_job', 'finances', 'changed_plans', 'other_region', 'other']);
    const housing = reasons[0];
    await service.dropCase(w.ctx, staff, caseId, { reasonId: housing.id, comment: 'Rien à louer à Lectoure' });
    assert.equal((await stageOf(caseId)).drop_reason_id, housing.id);
    assert.equal((await events(caseId)).at(-1)!.reason_id, housing.id);
    await service.reopenCase(w.ctx, staff, caseId);
    assert.deepEqual(await stageOf(caseId), { stage: 'nouveau', paused_from: null, settled_insee: null, drop_reason_id: null });
  });

  test('an archived reason is no longer accepted; staff can add their own', async () => {
    const { staff, caseId } = await setup();
    const [first] = await service.listDropReasonsForStaff(w.ctx, staff);
    await service.updateDropReason(w.ctx, staff, first.id, { archived: true });
    await assert.rejects(service.dropCase(w.ctx, staff, caseId, { reasonId: first.id }), isCode('invalid'));
    const added = await service.addDropReason(w.ctx, staff, 'Santé');
    await service.dropCase(w.ctx, staff, caseId, { reasonId: added.id });
    assert.equal((await stageOf(caseId)).stage, 'abandon');
  });

  test('the database itself refuses a settled case without commune or date', async () => {
    const { caseId } = await setup();
    await assert.rejects(
      w.ctx.db.updateTable('newcomer_case').set({ stage: 'installe' }).where('id', '=', caseId).execute(),
      (e: unknown) => (e as { code?: string }).code === '23514',
    );
  });

  test('a colleague who moved the case meanwhile is not overridden', async () => {
    const { staff, caseId } = await setup();
    await service.qualifyCase(w.ctx, staff, caseId, { expected: 'nouveau' });
    await assert.rejects(service.putOnHold(w.ctx, staff, caseId, { expected: 'nouveau' }), isCode('conflict'));
    assert.equal((await stageOf(caseId)).stage, 'qualifie');
  });
});

describe('the stage form on the case page', () => {
  async function onPage() {
    const { staffUser, caseId } = await setup();
    const a = new Agent(w.app);
    await a.login(staffUser.email, staffUser.password);
    await a.get(`/admin/accueil/${caseId}`);
    return { a, caseId };
  }
  const advanceTo = async (a: Agent, caseId: string, transitions: string[]) => {
    for (const transition of transitions) assert.equal((await a.post(`/admin/accueil/${caseId}/etape`, { transition })).statusCode, 303, transition);
  };

  test('settled requires the commune and the date: 422 with a message next to each field', async () => {
    const { a, caseId } = await onPage();
    await advanceTo(a, caseId, ['qualify', 'accompany', 'moving']);
    const page = await a.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /name="settledInsee"/);
    const res = await a.post(`/admin/accueil/${caseId}/etape`, { transition: 'settle', settledInsee: '', settledOn: '' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="e-settledInsee"[^>]*>Indiquez la commune/);
    assert.match(res.body, /id="e-settledOn"[^>]*>Indiquez la date/);
    const unknown = await a.post(`/admin/accueil/${caseId}/etape`, { transition: 'settle', settledInsee: '75056', settledOn: '2026-11-20' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /id="e-settledInsee"[^>]*>Cette commune ne fait pas partie du territoire/);
    const future = await a.post(`/admin/accueil/${caseId}/etape`, { transition: 'settle', settledInsee: '32208', settledOn: '2027-03-01' });
    assert.equal(future.statusCode, 422);
    assert.equal((await stageOf(caseId)).stage, 'installation');
    const ok = await a.post(`/admin/accueil/${caseId}/etape`, { transition: 'settle', settledInsee: '32208', settledOn: '2026-11-20' });
    assert.equal(ok.statusCode, 303);
    const after = await a.get(`/admin/accueil/${caseId}`);
    assert.match(after.body, /Installé à Lectoure le 20 novembre 2026/);
  });

  test('a transition not allowed answers 409 with a French explanation on the case page', async () => {
    const { a, caseId } = await onPage();
    const res = await a.post(`/admin/accueil/${caseId}/etape`, { transition: 'follow_up' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /n’est pas possible depuis l’étape actuelle/);
    const unknown = await a.post(`/admin/accueil/${caseId}/etape`, { transition: 'teleport' });
    assert.equal(unknown.statusCode, 422);
  });

  test('the page offers only the allowed transitions as buttons', async () => {
    const { a, caseId } = await onPage();
    const page = await a.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /name="transition" value="qualify"/);
    assert.match(page.body, /name="transition" value="pause"/);
    assert.doesNotMatch(page.body, /name="transition" value="accompany"/);
    assert.doesNotMatch(page.body, /name="transition" value="settle"/);
  });
});

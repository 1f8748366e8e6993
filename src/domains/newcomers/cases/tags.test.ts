import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import type { Role } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import * as service from './cases.service.js';
import { addFunderTag, listFunderTagsForStaff, setCaseFunderTags, updateFunderTag } from './tags.service.js';
import { applyAsVisitor } from '../newcomers.testing.js';

const w = useTestWorld();

async function agentFor(roles: Role[]) {
  const user = await createUser(w.ctx, { roles, name: `Équipe ${roles.join('+') || 'aucun'}` });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return { user, agent, actor: actorFor(w.ctx, user, roles) };
}

const audits = (action: string) => w.ctx.db.selectFrom('audit_event').select(['actor_id', 'subject_id', 'data']).where('action', '=', action).execute();
const caseTags = async (caseId: string) => (await w.ctx.db.selectFrom('case_funder_tag').select('tag_id').where('case_id', '=', caseId).orderBy('tag_id').execute()).map((r) => r.tag_id);

describe('the territory’s funder tags', () => {
  test('are seeded with the built-in funders; staff add, rename, archive and restore them, each change audited', async () => {
    const lea = await agentFor(['staff']);
    const page = await lea.agent.get('/admin/accueil/financeurs');
    assert.equal(page.statusCode, 200);
    for (const name of ['Département', 'Région', 'LEADER (Europe)', 'État / ANCT']) assert.ok(page.body.includes(`value="${name}"`), name);

    assert.equal((await lea.agent.post('/admin/accueil/financeurs', { label: 'Fondation de France' })).statusCode, 303);
    let tags = await listFunderTagsForStaff(w.ctx, lea.actor);
    const fondation = tags.find((t) => t.label === 'Fondation de France')!;
    assert.ok(fondation);
    assert.equal((await lea.agent.post(`/admin/accueil/financeurs/${fondation.id}`, { label: 'Fondation de France (appel 2026)' })).statusCode, 303);
    assert.equal((await lea.agent.post(`/admin/accueil/financeurs/${fondation.id}`, { archived: '1' })).statusCode, 303);
    tags = await listFunderTagsForStaff(w.ctx, lea.actor);
    const changed = tags.find((t) => t.id === fondation.id)!;
    assert.equal(changed.label, 'Fondation de France (appel 2026)');
    assert.ok(changed.archived_at);
    await updateFunderTag(w.ctx, lea.actor, fondation.id, { archived: false });
    assert.equal((await listFunderTagsForStaff(w.ctx, lea.actor)).find((t) => t.id === fondation.id)!.archived_at, null);

    assert.equal((await audits('funder_tag.created')).length, 1);
    assert.deepEqual((await audits('funder_tag.updated')).map((a) => a.data), [{ label: 'Fondation de France (appel 2026)' }, { archived: true }, { archived: false }]);
  });

  test('a blank or too long name comes back with 422 and a message; an unknown tag is a 404', async () => {
    const lea = await agentFor(['admin']);
    const blank = await lea.agent.post('/admin/accueil/financeurs', { label: '  ' });
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /class="error-message"/);
    const long = await lea.agent.post('/admin/accueil/financeurs', { label: 'x'.repeat(81) });
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /value="x{81}"/, 'the value typed is kept');
    assert.equal((await lea.agent.post('/admin/accueil/financeurs/999999', { label: 'Autre' })).statusCode, 404);
    assert.equal((await lea.agent.post('/admin/accueil/financeurs/abc', { archived: '1' })).statusCode, 404);
  });

  test('people outside the welcome team can neither see nor change the tags', async () => {
    const lea = await agentFor(['staff']);
    const tag = await addFunderTag(w.ctx, lea.actor, 'Communauté de communes');
    for (const roles of [['member'], ['partner'], ['candidate'], ['space_manager'], []] as Role[][]) {
      const { agent, actor } = await agentFor(roles);
      assert.equal((await agent.get('/admin/accueil/financeurs')).statusCode, 403, String(roles));
      assert.equal((await agent.post('/admin/accueil/financeurs', { label: 'Pirate' })).statusCode, 403, String(roles));
      assert.equal((await agent.post(`/admin/accueil/financeurs/${tag.id}`, { archived: '1' })).statusCode, 403, String(roles));
      await assert.rejects(addFunderTag(w.ctx, actor, 'Pirate'), (e: AppError) => e.code === 'forbidden');
    }
    const anonymous = await w.app.inject({ method: 'GET', url: '/admin/accueil/financeurs' });
    assert.equal(anonymous.statusCode, 303);
    assert.equal((await audits('funder_tag.created')).length, 1);
  });
});

describe('tags on a case and on its tasks', () => {
  test('staff tick the case’s funders on its page; the change is audited with what was added and removed', async () => {
    const lea = await agentFor(['staff']);
    const { caseId } = await applyAsVisitor(w.ctx);
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /<h2 id="financeurs">Financeurs du dossier<\/h2>/);
    const tags = await listFunderTagsForStaff(w.ctx, lea.actor);
    const [dep, region, leader] = tags;
    const res = await lea.agent.post(`/admin/accueil/${caseId}/financeurs`, { tags: [String(dep.id), String(leader.id)] });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/accueil/${caseId}#financeurs`);
    assert.deepEqual(await caseTags(caseId), [dep.id, leader.id]);
    const again = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(again.body, new RegExp(`name="tags" value="${leader.id}" checked`));

    await lea.agent.post(`/admin/accueil/${caseId}/financeurs`, { tags: [String(region.id), String(leader.id)] });
    assert.deepEqual(await caseTags(caseId), [region.id, leader.id]);
    await lea.agent.post(`/admin/accueil/${caseId}/financeurs`, {});
    assert.deepEqual(await caseTags(caseId), [], 'no box ticked removes every tag');
    assert.deepEqual(
      (await audits('newcomer_case.funder_tags_changed')).map((a) => [a.subject_id, (a.data as { added: number[] }).added, (a.data as { removed: number[] }).removed]),
      [
        [caseId, [dep.id, leader.id], []],
        [caseId, [region.id], [dep.id]],
        [caseId, [], [region.id, leader.id]],
      ],
    );
  });

  test('an archived tag stays on the cases that carry it but cannot be newly added; an unknown one is refused with 422', async () => {
    const lea = await agentFor(['staff']);
    const one = await applyAsVisitor(w.ctx);
    const other = await applyAsVisitor(w.ctx, { email: 'autre@exemple.fr', contactName: 'Autre Foyer' });
    const tag = await addFunderTag(w.ctx, lea.actor, 'Ancien appel');
    await setCaseFunderTags(w.ctx, lea.actor, one.caseId, [tag.id]);
    await updateFunderTag(w.ctx, lea.actor, tag.id, { archived: true });
    await setCaseFunderTags(w.ctx, lea.actor, one.caseId, [tag.id]);
    assert.deepEqual(await caseTags(one.caseId), [tag.id], 'kept');
    await assert.rejects(setCaseFunderTags(w.ctx, lea.actor, other.caseId, [tag.id]), (e: AppError) => e.code === 'invalid');
    const res = await lea.agent.post(`/admin/accueil/${other.caseId}/financeurs`, { tags: ['999999'] });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Ce financeur n’existe pas ou n’est plus proposé/);
    const bad = await lea.agent.post(`/admin/accueil/${other.caseId}/financeurs`, { tags: ['abc'] });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(await caseTags(other.caseId), []);
  });

  test('a tag of another territory can never be put on a case (the database refuses it)', async () => {
    const { caseId } = await applyAsVisitor(w.ctx);
    const other = await w.ctx.db.insertInto('territory').values({ slug: 'landes-test', name: 'Landes', programme_name: 'Landes Accueil' }).returning('id').executeTakeFirstOrThrow();
    const tag = await w.ctx.db.insertInto('funder_tag').values({ territory_id: other.id, key: null, label: 'Landes', created_at: w.clock.now() }).returning('id').executeTakeFirstOrThrow();
    await assert.rejects(
      w.ctx.db.insertInto('case_funder_tag').values({ territory_id: w.ctx.territory.id, case_id: caseId, tag_id: tag.id, added_at: w.clock.now() }).execute(),
      /foreign key|violates/i,
    );
  });

  test('a task can carry a tag, shown next to it; an archived or unknown tag is refused with the form kept', async () => {
    const lea = await agentFor(['staff']);
    const { caseId } = await applyAsVisitor(w.ctx);
    await lea.agent.get(`/admin/accueil/${caseId}`);
    const tags = await listFunderTagsForStaff(w.ctx, lea.actor);
    const leader = tags.find((t) => t.key === 'leader')!;
    const res = await lea.agent.post(`/admin/accueil/${caseId}/taches`, { title: 'Visite du tiers-lieu', dueOn: '2026-12-10', funderTagId: String(leader.id) });
    assert.equal(res.statusCode, 303);
    const task = await w.ctx.db.selectFrom('case_task').select(['id', 'funder_tag_id']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(task.funder_tag_id, leader.id);
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /Visite du tiers-lieu<\/strong>[^<]*<span class="small"> · financeur : LEADER \(Europe\)<\/span>/);
    const [audit] = await audits('newcomer_case.task_added');
    assert.equal((audit.data as { funderTag: number }).funderTag, leader.id);

    await updateFunderTag(w.ctx, lea.actor, leader.id, { archived: true });
    const refused = await lea.agent.post(`/admin/accueil/${caseId}/taches`, { title: 'Rappel', dueOn: '2026-12-11', funderTagId: String(leader.id) });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /value="Rappel"/);
    assert.match(refused.body, /Ce financeur n’existe pas ou n’est plus proposé/);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/taches`, { title: 'Rappel', dueOn: '2026-12-11', funderTagId: 'x' })).statusCode, 422);
    assert.equal((await w.ctx.db.selectFrom('case_task').select('id').where('case_id', '=', caseId).execute()).length, 1);
    // Without a tag, as before.
    await service.addCaseTask(w.ctx, lea.actor, caseId, { title: 'Sans financeur', dueOn: '2026-12-12' });
    assert.equal((await w.ctx.db.selectFrom('case_task').select('funder_tag_id').where('title', '=', 'Sans financeur').executeTakeFirstOrThrow()).funder_tag_id, null);
  });

  test('outsiders cannot change a case’s tags, whether the case exists or not', async () => {
    const lea = await agentFor(['staff']);
    const { caseId } = await applyAsVisitor(w.ctx);
    const [tag] = await listFunderTagsForStaff(w.ctx, lea.actor);
    for (const roles of [['member'], ['partner'], ['candidate']] as Role[][]) {
      const { agent, actor } = await agentFor(roles);
      assert.equal((await agent.post(`/admin/accueil/${caseId}/financeurs`, { tags: [String(tag.id)] })).statusCode, 403);
      assert.equal((await agent.post('/admin/accueil/00000000-0000-4000-8000-000000000000/financeurs', { tags: [String(tag.id)] })).statusCode, 403);
      await assert.rejects(setCaseFunderTags(w.ctx, actor, caseId, [tag.id]), (e: AppError) => e.code === 'forbidden');
    }
    assert.deepEqual(await caseTags(caseId), []);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { anonymous, type Actor } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { erasePersonalData, exportPersonalData } from '../../../modules.js';
import { hashPassword } from '../../accounts/index.js';
import { approvedMember, makePlan } from '../members.testing.js';
import { getGroupMail, mailGroup, unsubscribeFromGroupMails, unsubscribePath } from './group-mail.service.js';

const w = useTestWorld();

async function world() {
  const staffUser = await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  const staff = actorFor(w.ctx, staffUser, ['staff']) as Actor & { userId: string };
  const plan = await makePlan(w.ctx);
  const anne = await approvedMember(w.ctx, staff, plan, { email: 'anne@exemple.fr', firstName: 'Anne', lastName: 'Abadie' }, '2026-06-01');
  const bruno = await approvedMember(w.ctx, staff, plan, { email: 'bruno@exemple.fr', firstName: 'Bruno', lastName: 'Bordes' }, '2026-05-01');
  const chloe = await approvedMember(w.ctx, staff, plan, { email: 'chloe@exemple.fr', firstName: 'Chloé', lastName: 'Castaing' }, '2025-10-01');
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).execute();
  return { staff, anne, bruno, chloe };
}

const outbox = () => w.ctx.db.selectFrom('outbox_mail').select(['to_address', 'subject', 'text_body', 'list_unsubscribe']).where('subject', 'like', 'Apéro%').orderBy('to_address').execute();
const draft = (essential: boolean) => ({ subject: 'Apéro des solos', body: 'Rendez-vous jeudi à la Dynamo.\n=1+1', essential, intent: 'send' as const });

describe('mailing a filtered group', () => {
  test('the form counts the group; sending queues one mail per member with an unsubscribe link, and an unsubscribed member gets only essential mails', async () => {
    const x = await world();
    const active = { page: 1, statut: 'actif' as const };
    const form = await getGroupMail(w.ctx, x.staff, active, draft(false));
    assert.deepEqual(form.counts, { matching: 2, essential: 2, optional: 2, optedOut: 0, unreachable: 0 });
    assert.match(form.preview!.text, /^Bonjour Anne,\n\nRendez-vous jeudi à la Dynamo\./);
    assert.match(form.preview!.text, /\/adherents\/desabonnement\//);

    assert.deepEqual(await mailGroup(w.ctx, x.staff, active, draft(false)).then((r) => r.count), 2);
    const sent = await outbox();
    assert.deepEqual(sent.map((m) => m.to_address), ['anne@exemple.fr', 'bruno@exemple.fr']);
    const link = `${w.ctx.config.baseUrl}${unsubscribePath(w.ctx, x.anne.memberId)}`;
    assert.equal(sent[0].list_unsubscribe, link);
    assert.ok(sent[0].text_body.includes(link));
    assert.ok(!sent[1].text_body.includes(link), 'each member has their own link');
    const audit = await w.ctx.db.selectFrom('audit_event').select('data').where('action', '=', 'member.group_mailed').executeTakeFirstOrThrow();
    assert.deepEqual(audit.data, { count: 2, essential: false, subject: 'Apéro des solos', filter: { statut: 'actif' } });

    // Anne follows her link: the page asks, the button (or the mail client's one-click post) unsubscribes.
    const visitor = new Agent(w.app);
    const path = unsubscribePath(w.ctx, x.anne.memberId);
    const page = await visitor.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<form action="${path}" method="post"`));
    const oneClick = await w.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    assert.equal(oneClick.statusCode, 200);
    assert.equal((await w.ctx.db.selectFrom('member_mail_optout').select('member_id').execute()).length, 1);
    assert.equal((await visitor.get(`${path.slice(0, -3)}abc`)).statusCode, 404);
    assert.equal((await visitor.get(unsubscribePath(w.ctx, x.anne.memberId).replace(x.anne.memberId, x.bruno.memberId))).statusCode, 404);

    await w.ctx.db.deleteFrom('outbox_mail').execute();
    assert.deepEqual((await getGroupMail(w.ctx, x.staff, active)).counts, { matching: 2, essential: 2, optional: 1, optedOut: 1, unreachable: 0 });
    await mailGroup(w.ctx, x.staff, active, draft(false));
    assert.deepEqual((await outbox()).map((m) => m.to_address), ['bruno@exemple.fr']);
    await w.ctx.db.deleteFrom('outbox_mail').execute();
    await mailGroup(w.ctx, x.staff, active, draft(true));
    const essential = await outbox();
    assert.deepEqual(essential.map((m) => [m.to_address, m.list_unsubscribe]), [['anne@exemple.fr', null], ['bruno@exemple.fr', null]]);

    // Anne subscribes again from her membership page.
    const anne = new Agent(w.app);
    await anne.login('anne@exemple.fr', PASSWORD);
    const mine = await anne.get('/compte/adhesion');
    assert.match(mine.body, /Vous ne recevez plus les courriels non essentiels/);
    assert.equal((await anne.post('/compte/adhesion/courriels', { groupMails: '1' })).statusCode, 303);
    assert.equal((await w.ctx.db.selectFrom('member_mail_optout').select('member_id').execute()).length, 0);
    assert.match((await anne.get('/compte/adhesion')).body, /Vous recevez les courriels de l’équipe/);
    assert.equal((await anne.post('/compte/adhesion/courriels', { groupMails: '0' })).statusCode, 303);
    assert.equal((await w.ctx.db.selectFrom('member_mail_optout').select('member_id').execute()).length, 1);
  });

  test('the form comes back with 422 and the typed values; preview shows the mail; sending redirects to the filtered list', async () => {
    await world();
    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', PASSWORD);
    const form = await agent.get('/admin/adherents/courriel?statut=actif');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<input type="hidden" name="statut" value="actif"/);
    const bad = await agent.post('/admin/adherents/courriel', { statut: 'actif', subject: 'Apéro', body: '', intent: 'send' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /value="Apéro"/);
    const preview = await agent.post('/admin/adherents/courriel', { statut: 'actif', subject: 'Apéro des solos', body: 'Jeudi <b>soir</b>', intent: 'preview' });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Bonjour Anne,/);
    assert.match(preview.body, /Jeudi &lt;b>soir&lt;\/b>|Jeudi &lt;b&gt;soir&lt;\/b&gt;/);
    assert.equal((await outbox()).length, 0);
    const sent = await agent.post('/admin/adherents/courriel', { statut: 'actif', subject: 'Apéro des solos', body: 'Jeudi soir', intent: 'send' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/admin/adherents?statut=actif');
    assert.equal((await outbox()).length, 2);
  });

  test('staff and admins mail a group; members, candidates and visitors are refused', async () => {
    const x = await world();
    const as = async (roles: Role[]) => actorFor(w.ctx, await createUser(w.ctx, { roles }), roles);
    for (const roles of [['staff'], ['admin']] as Role[][]) assert.equal(await codeOf(getGroupMail(w.ctx, await as(roles), { page: 1 })), 'ok');
    for (const roles of [['member'], ['candidate']] as Role[][]) {
      const actor = await as(roles);
      assert.equal(await codeOf(getGroupMail(w.ctx, actor, { page: 1 })), 'forbidden');
      assert.equal(await codeOf(mailGroup(w.ctx, actor, { page: 1 }, draft(true))), 'forbidden');
    }
    assert.equal(await codeOf(mailGroup(w.ctx, anonymous(w.ctx.territory.id), { page: 1 }, draft(true))), 'unauthenticated');
    assert.equal(await codeOf(unsubscribeFromGroupMails(w.ctx, x.anne.memberId, 'x'.repeat(43))), 'not_found');
    assert.equal((await outbox()).length, 0);
  });
});

describe('personal data', () => {
  test('the export says since when the member unsubscribed; erasure removes the choice', async () => {
    const x = await world();
    const path = unsubscribePath(w.ctx, x.anne.memberId).split('/');
    await unsubscribeFromGroupMails(w.ctx, x.anne.memberId, path[path.length - 1]);
    const user = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'anne@exemple.fr').executeTakeFirstOrThrow();
    const data = (await exportPersonalData(w.ctx, user.id)).members as { memberships: { groupMailsOffSince: string | null }[] };
    assert.equal(data.memberships[0].groupMailsOffSince, w.clock.now().toISOString());
    await erasePersonalData(w.ctx, user.id);
    assert.equal((await w.ctx.db.selectFrom('member_mail_optout').select('member_id').execute()).length, 0);
  });
});

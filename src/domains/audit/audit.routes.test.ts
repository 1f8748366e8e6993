import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { createUser } from '../../../tests/support/factories.js';
import type { Role } from '../../db/schema.js';
import { MINUTE } from '../../shared/time.js';
import { recordAudit } from './index.js';

const w = useTestWorld();

async function agentWith(roles: Role[], email?: string) {
  const user = await createUser(w.ctx, { roles, email });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  // Logging in is itself recorded; each test counts only the entries it writes.
  await w.ctx.db.deleteFrom('audit_event').execute();
  return { agent, user };
}

const record = (userId: string | null, action: string, subjectId?: string, data?: Record<string, unknown>) =>
  recordAudit(w.ctx.db, w.ctx, { userId, territoryId: w.ctx.territory.id }, { action, subjectType: subjectId ? 'user' : undefined, subjectId, data });

describe('/admin/journal: who may read it', () => {
  test('a visitor is sent to the login page with a way back', async () => {
    const res = await new Agent(w.app).get('/admin/journal?action=mail');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/connexion?retour=%2Fadmin%2Fjournal%3Faction%3Dmail');
  });

  for (const role of ['member', 'staff', 'space_manager', 'partner'] as Role[]) {
    test(`a ${role} is refused with 403`, async () => {
      const { agent } = await agentWith([role]);
      const res = await agent.get('/admin/journal');
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Accès refusé/);
    });
  }
});

describe('/admin/journal for an admin', () => {
  test('shows who did what, when and on which record, newest first, in Paris time', async () => {
    const { agent, user } = await agentWith(['admin'], 'lea@exemple.fr');
    await record(user.id, 'account.roles_changed', user.id, { roles: ['staff'] });
    w.clock.advance(MINUTE);
    await record(null, 'mail.requeued', undefined, { note: '<script>x</script>' });
    const res = await agent.get('/admin/journal');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Journal des actions<\/h1>/);
    assert.match(res.body, /2 entrée\(s\)/);
    assert.match(res.body, /27 novembre 2026, 10 h 00/);
    assert.match(res.body, /lea@exemple\.fr/);
    assert.match(res.body, /Système/, 'an entry without author is the system');
    assert.match(res.body, new RegExp(`<a href="/admin/utilisateurs/${user.id}">user ${user.id}</a>`));
    assert.ok(res.body.indexOf('mail.requeued') < res.body.indexOf('account.roles_changed'), 'newest first');
    assert.doesNotMatch(res.body, /<script>x/, 'details are escaped');
  });

  test('filters by action prefix, by author and by record, and keeps the filter values in the form', async () => {
    const { agent, user } = await agentWith(['admin'], 'lea@exemple.fr');
    const other = await createUser(w.ctx, { email: 'marc@exemple.fr', roles: ['staff'] });
    await record(user.id, 'account.roles_changed', other.id);
    await record(other.id, 'mail.requeued', 'mail-1');
    await record(other.id, 'mailing.sent', 'x');

    const byAction = await agent.get('/admin/journal?action=mail.');
    assert.match(byAction.body, /1 entrée\(s\)/);
    assert.match(byAction.body, /mail\.requeued/);
    assert.match(byAction.body, /id="f-action" name="action" value="mail\."/);

    const wildcard = await agent.get('/admin/journal?action=%25');
    assert.match(wildcard.body, /0 entrée\(s\)/, 'a % is a character, not a wildcard');

    const byActor = await agent.get('/admin/journal?acteur=MARC@exemple.fr');
    assert.match(byActor.body, /2 entrée\(s\)/);
    assert.doesNotMatch(byActor.body, /account\.roles_changed/);

    const bySubject = await agent.get(`/admin/journal?sujet=${other.id}`);
    assert.match(bySubject.body, /1 entrée\(s\)/);
    assert.match(bySubject.body, /account\.roles_changed/);
  });

  test('fifty entries per page, with previous and next links that keep the filter', async () => {
    const { agent, user } = await agentWith(['admin']);
    for (let i = 0; i < 55; i++) {
      await record(user.id, 'account.profile_updated', `n${i}`);
      w.clock.advance(MINUTE);
    }
    const first = await agent.get('/admin/journal?action=account');
    assert.match(first.body, /55 entrée\(s\)/);
    assert.match(first.body, /user n54/);
    assert.doesNotMatch(first.body, /user n4</);
    assert.match(first.body, /Page 1 sur 2/);
    assert.match(first.body, /href="\?action=account&amp;page=2" rel="next"/);
    const second = await agent.get('/admin/journal?action=account&page=2');
    assert.match(second.body, /user n0</);
    assert.match(second.body, /user n4</);
    assert.match(second.body, /rel="prev"/);
    const beyond = await agent.get('/admin/journal?page=abc');
    assert.equal(beyond.statusCode, 200, 'a malformed page number shows the first page');
  });

  test('entries of another territory are not shown', async () => {
    const { agent } = await agentWith(['admin']);
    const other = await w.ctx.db.insertInto('territory').values({ slug: 'autre', name: 'Autre', programme_name: 'Autre' }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(w.ctx.db, w.ctx, { userId: null, territoryId: other.id }, { action: 'secret.elsewhere' });
    const res = await agent.get('/admin/journal');
    assert.doesNotMatch(res.body, /secret\.elsewhere/);
    await w.ctx.db.deleteFrom('territory').where('id', '=', other.id).execute();
  });
});

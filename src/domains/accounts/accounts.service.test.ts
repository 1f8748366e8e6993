import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../tests/support/factories.js';
import type { Role } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { DAY } from '../../shared/time.js';
import { acceptInvitation, createAdmin, inviteUser, listUsers, setRoles } from './accounts.service.js';

const w = useTestWorld();

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => (e instanceof AppError ? e.code : Promise.reject(e)),
  );

const invitationToken = async (email: string) => {
  const mail = await w.ctx.db.selectFrom('outbox_mail').selectAll().where('to_address', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  return /jeton=([\w-]+)/.exec(mail.text_body)![1];
};

describe('who may manage people', () => {
  for (const roles of [[], ['member'], ['candidate'], ['partner'], ['staff'], ['space_manager']] as Role[][]) {
    test(`a user with roles [${roles.join(', ')}] can neither list, invite nor change roles`, async () => {
      const u = await createUser(w.ctx, { roles });
      const target = await createUser(w.ctx);
      const actor = actorFor(w.ctx, u, roles);
      assert.equal(await code(listUsers(w.ctx, actor, { page: 1 })), 'forbidden');
      assert.equal(await code(inviteUser(w.ctx, actor, { email: 'x@exemple.fr', roles: ['staff'] })), 'forbidden');
      assert.equal(await code(setRoles(w.ctx, actor, target.id, ['admin'])), 'forbidden');
    });
  }

  test('an anonymous actor is asked to log in', async () => {
    assert.equal(await code(listUsers(w.ctx, actorFor(w.ctx, null), { page: 1 })), 'unauthenticated');
  });

  test('an admin changes roles and each grant and revocation is audited', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    const target = await createUser(w.ctx, { roles: ['member'] });
    await setRoles(w.ctx, actorFor(w.ctx, admin, ['admin']), target.id, ['staff', 'partner']);
    const roles = await w.ctx.db.selectFrom('role_grant').select('role').where('user_id', '=', target.id).orderBy('role').execute();
    assert.deepEqual(roles.map((r) => r.role), ['partner', 'staff']);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'actor_id']).where('subject_id', '=', target.id).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['role.granted', 'role.granted', 'role.revoked']);
    assert.ok(audit.every((a) => a.actor_id === admin.id));
  });

  test('an admin cannot remove their own admin role', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    assert.equal(await code(setRoles(w.ctx, actorFor(w.ctx, admin, ['admin']), admin.id, ['staff'])), 'invalid');
  });
});

describe('invitations', () => {
  test('an invited person creates an account with the invited address and gets the roles', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    await inviteUser(w.ctx, actorFor(w.ctx, admin, ['admin']), { email: 'nouvelle@exemple.fr', roles: ['staff'] });
    const token = await invitationToken('nouvelle@exemple.fr');
    const { sessionToken } = await acceptInvitation(w.ctx, actorFor(w.ctx, null), { token, displayName: 'Nouvelle', password: 'une phrase de passe' });
    assert.ok(sessionToken);
    const user = await w.ctx.db.selectFrom('user_account').selectAll().where('email', '=', 'nouvelle@exemple.fr').executeTakeFirstOrThrow();
    assert.ok(user.email_verified_at, 'the invitation proves the address');
    const roles = await w.ctx.db.selectFrom('role_grant').select('role').where('user_id', '=', user.id).execute();
    assert.deepEqual(roles.map((r) => r.role), ['staff']);
    assert.equal(await code(acceptInvitation(w.ctx, actorFor(w.ctx, null), { token, displayName: 'Autre', password: 'une phrase de passe' })), 'invalid');
  });

  test('an invitation for an existing account must be accepted by that account, logged in', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    const lea = await createUser(w.ctx, { email: 'lea@exemple.fr', roles: ['member'] });
    const intruder = await createUser(w.ctx);
    await inviteUser(w.ctx, actorFor(w.ctx, admin, ['admin']), { email: 'lea@exemple.fr', roles: ['partner'] });
    const token = await invitationToken('lea@exemple.fr');
    assert.equal(await code(acceptInvitation(w.ctx, actorFor(w.ctx, null), { token })), 'forbidden');
    assert.equal(await code(acceptInvitation(w.ctx, actorFor(w.ctx, intruder), { token })), 'forbidden');
    assert.equal(await code(acceptInvitation(w.ctx, actorFor(w.ctx, lea, ['member']), { token })), 'ok');
  });

  test('an invitation expires after 14 days', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    await inviteUser(w.ctx, actorFor(w.ctx, admin, ['admin']), { email: 'tard@exemple.fr', roles: ['staff'] });
    const token = await invitationToken('tard@exemple.fr');
    w.clock.advance(15 * DAY);
    assert.equal(await code(acceptInvitation(w.ctx, actorFor(w.ctx, null), { token, displayName: 'Tard', password: 'une phrase de passe' })), 'invalid');
  });

  test('candidates are not handed out by invitation', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    assert.equal(await code(inviteUser(w.ctx, actorFor(w.ctx, admin, ['admin']), { email: 'c@exemple.fr', roles: ['candidate'] })), 'invalid');
  });

  test('the invitation page lets a new person create the account in the browser flow', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin', 'staff'] });
    const a = new Agent(w.app);
    await a.login(admin.email, PASSWORD);
    const sent = await a.post('/admin/utilisateurs/inviter', { email: 'staff@exemple.fr', roles: ['staff'] });
    assert.equal(sent.statusCode, 303);
    const token = await invitationToken('staff@exemple.fr');
    const b = new Agent(w.app);
    const page = await b.get(`/invitation?jeton=${token}`);
    assert.equal(page.statusCode, 200);
    const accepted = await b.post('/invitation', { token, displayName: 'Sam', password: 'une phrase de passe' });
    assert.equal(accepted.statusCode, 303);
    const dashboard = await b.get('/admin');
    assert.equal(dashboard.statusCode, 200);
    assert.match(dashboard.body, /Tableau de bord/);
  });
});

describe('first admin from the command line', () => {
  test('creates the account with admin and staff roles and a link to choose the password', async () => {
    const { link } = await createAdmin(w.ctx, 'chef@exemple.fr');
    assert.match(link, /\/mot-de-passe-oublie\/nouveau\?jeton=/);
    const user = await w.ctx.db.selectFrom('user_account').selectAll().where('email', '=', 'chef@exemple.fr').executeTakeFirstOrThrow();
    assert.equal(user.password_hash, null, 'no password until the link is used');
    const roles = await w.ctx.db.selectFrom('role_grant').select('role').where('user_id', '=', user.id).orderBy('role').execute();
    assert.deepEqual(roles.map((r) => r.role), ['admin', 'staff']);
    const a = new Agent(w.app);
    const token = new URL(link).searchParams.get('jeton')!;
    await a.get(`/mot-de-passe-oublie/nouveau?jeton=${token}`);
    assert.equal((await a.post('/mot-de-passe-oublie/nouveau', { token, password: 'le chef du programme' })).statusCode, 303);
    await a.login('chef@exemple.fr', 'le chef du programme');
    assert.equal((await a.get('/admin/utilisateurs')).statusCode, 200);
  });
});

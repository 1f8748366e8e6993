import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, useTestWorld } from '../../../tests/support/context.js';
import { createUser, PASSWORD } from '../../../tests/support/factories.js';
import { loadConfig } from '../../config.js';
import { HOUR } from '../../shared/time.js';

const w = useTestWorld();

const lastMailLink = async (to: string) => {
  const mail = await w.ctx.db.selectFrom('outbox_mail').selectAll().where('to_address', '=', to).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const m = /http:\/\/localhost:3000(\S+)/.exec(mail.text_body);
  assert.ok(m, 'the mail contains a link');
  return m[1];
};

describe('sign-up and email verification', () => {
  test('a visitor signs up, verifies by the mailed link, then logs in', async () => {
    const a = new Agent(w.app);
    const res = await a.post('/inscription', { displayName: 'Anne Martin', email: 'Anne@Exemple.fr', password: 'les collines du Gers', locale: 'fr' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /anne@exemple\.fr/);
    const loginBefore = await a.post('/connexion', { email: 'anne@exemple.fr', password: 'les collines du Gers' });
    assert.equal(loginBefore.statusCode, 403, 'unverified accounts cannot log in yet');
    const link = await lastMailLink('anne@exemple.fr');
    assert.equal((await a.get(link)).statusCode, 200);
    const reused = await a.get(link);
    assert.equal(reused.statusCode, 410, 'a verification link works once');
    assert.match(reused.body, /déjà été utilisé/);
    await a.login('anne@exemple.fr', 'les collines du Gers');
    assert.ok(a.cookie('sid'));
    const account = await a.get('/compte');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Anne Martin/);
  });

  test('an expired verification link is refused with a way to get a new one', async () => {
    const a = new Agent(w.app);
    await a.post('/inscription', { displayName: 'Bo', email: 'bo@exemple.fr', password: 'les collines du Gers' });
    const link = await lastMailLink('bo@exemple.fr');
    w.clock.advance(49 * HOUR);
    const res = await a.get(link);
    assert.equal(res.statusCode, 410);
    assert.match(res.body, /expiré/);
    assert.match(res.body, /action="\/inscription\/renvoyer"/);
  });

  test('a sign-up with a known address, whatever its case, answers like any other and tells the owner by mail', async () => {
    await createUser(w.ctx, { email: 'anne@exemple.fr', name: 'Anne' });
    const fresh = await new Agent(w.app).post('/inscription', { displayName: 'Nouvelle', email: 'nouvelle@exemple.fr', password: 'les collines du Gers' });
    const res = await new Agent(w.app).post('/inscription', { displayName: 'Anne', email: 'ANNE@exemple.FR', password: 'les collines du Gers' });
    assert.equal(res.statusCode, fresh.statusCode);
    const shape = (body: string, email: string) => body.replace(email, 'EMAIL').replace(/value="[^"]*"/g, '').replace(/<meta name="csrf-token"[^>]*>/, '');
    assert.equal(shape(res.body, 'anne@exemple.fr'), shape(fresh.body, 'nouvelle@exemple.fr'), 'the same page, but for the address');
    assert.doesNotMatch(res.body, /existe déjà/);
    const mails = await w.ctx.db.selectFrom('outbox_mail').selectAll().where('to_address', '=', 'anne@exemple.fr').execute();
    assert.equal(mails.length, 1, 'the owner hears of the attempt');
    assert.match(mails[0].text_body, /mot-de-passe-oublie/);
    assert.doesNotMatch(mails[0].text_body, /jeton=/, 'no link that would act on the account');
    const users = await w.ctx.db.selectFrom('user_account').select(['display_name', 'password_hash']).where('email', '=', 'anne@exemple.fr').execute();
    assert.equal(users.length, 1);
    assert.equal(users[0].display_name, 'Anne', 'the account is untouched');
  });

  test('a weak password and a bad address get one French message per field, values kept', async () => {
    const res = await new Agent(w.app).post('/inscription', { displayName: 'Jean', email: 'pas-une-adresse', password: 'court' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Saisissez une adresse e-mail valide/);
    assert.match(res.body, /au moins 10 caractères/);
    assert.match(res.body, /value="pas-une-adresse"/);
    assert.doesNotMatch(res.body, /value="court"/, 'a password is never echoed back');
    const common = await new Agent(w.app).post('/inscription', { displayName: 'Jean', email: 'jean@exemple.fr', password: 'motdepasse123' });
    assert.match(common.body, /trop courant/);
  });
});

describe('login', () => {
  test('a wrong password and an unknown address get the same clear answer', async () => {
    await createUser(w.ctx, { email: 'lea@exemple.fr' });
    const a = new Agent(w.app);
    const wrong = await a.post('/connexion', { email: 'lea@exemple.fr', password: 'pas le bon mot de passe' });
    const unknown = await a.post('/connexion', { email: 'personne@exemple.fr', password: 'pas le bon mot de passe' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    for (const res of [wrong, unknown]) assert.match(res.body, /Adresse e-mail ou mot de passe incorrect/);
  });

  test('the session cookie is httpOnly and SameSite=Lax, stored hashed in the database', async () => {
    const u = await createUser(w.ctx);
    const res = await new Agent(w.app).login(u.email, PASSWORD);
    const cookie = res.cookies.find((c) => c.name === 'sid')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    const rows = await w.ctx.db.selectFrom('session').select('token_hash').execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0].token_hash, cookie.value);
  });

  test('logging out everywhere closes the other sessions but keeps this one', async () => {
    const u = await createUser(w.ctx);
    const phone = new Agent(w.app);
    const laptop = new Agent(w.app);
    await phone.login(u.email, PASSWORD);
    await laptop.login(u.email, PASSWORD);
    const res = await laptop.post('/compte/deconnexion-partout', {});
    assert.equal(res.statusCode, 303);
    assert.equal((await laptop.get('/compte')).statusCode, 200);
    assert.equal((await phone.get('/compte')).statusCode, 303, 'the other session is gone');
  });

  test('twenty rapid logins from one address are slowed down with a French 429', async () => {
    const strict = await createTestWorld({ rateLimitPerMinute: 10 });
    try {
      const a = new Agent(strict.app);
      const codes: number[] = [];
      for (let i = 0; i < 20; i++) codes.push((await a.post('/connexion', { email: 'x@exemple.fr', password: 'nimporte quoi du tout' })).statusCode);
      assert.ok(codes.slice(0, 10).every((c) => c === 401));
      assert.ok(codes.slice(10).every((c) => c === 429));
      const last = await a.post('/connexion', { email: 'x@exemple.fr', password: 'nimporte quoi du tout' });
      assert.match(last.body, /Trop de tentatives/);
    } finally {
      await strict.close();
    }
  });
});

describe('rate limits behind a proxy', () => {
  for (const setting of ['1', '127.0.0.1']) {
    test(`a client cannot dodge the login limit by inventing X-Forwarded-For addresses (TRUST_PROXY=${setting})`, async () => {
      // The proxy in front (one hop, or its address): only the address it appended counts, not what the client wrote.
      const { trustProxy } = loadConfig({ TRUST_PROXY: setting, SESSION_SECRET: 'x'.repeat(32) });
      const strict = await createTestWorld({ rateLimitPerMinute: 3, trustProxy });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 6; i++) {
          const a = new Agent(strict.app, { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` });
          codes.push((await a.post('/connexion', { email: 'x@exemple.fr', password: 'nimporte quoi du tout' })).statusCode);
        }
        assert.deepEqual(codes.slice(3), [429, 429, 429], codes.join(','));
        const other = new Agent(strict.app, { 'x-forwarded-for': '203.0.113.8' });
        const o = await other.post('/connexion', { email: 'x@exemple.fr', password: 'nimporte quoi du tout' });
        assert.equal(o.statusCode, 401, 'another visitor behind the same proxy is not blocked');
      } finally {
        await strict.close();
      }
    });
  }
});

describe('password reset', () => {
  test('a reset link changes the password once, closes the sessions, and cannot be reused', async () => {
    const u = await createUser(w.ctx, { email: 'reset@exemple.fr' });
    const other = new Agent(w.app);
    await other.login(u.email, PASSWORD);
    const a = new Agent(w.app);
    const sent = await a.post('/mot-de-passe-oublie', { email: 'reset@exemple.fr' });
    assert.match(sent.body, /Si un compte existe/);
    const link = await lastMailLink('reset@exemple.fr');
    assert.equal((await a.get(link)).statusCode, 200);
    const token = new URL(link, 'http://x').searchParams.get('jeton')!;
    const done = await a.post('/mot-de-passe-oublie/nouveau', { token, password: 'un tout nouveau secret' });
    assert.equal(done.statusCode, 303);
    await a.login(u.email, 'un tout nouveau secret');
    assert.equal((await other.get('/compte')).statusCode, 303, 'older sessions were closed');
    const again = await a.post('/mot-de-passe-oublie/nouveau', { token, password: 'encore un autre secret' });
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /déjà servi/);
  });

  test('an unknown address gets the same answer, and the same work: a mail is queued either way', async () => {
    await createUser(w.ctx, { email: 'connue@exemple.fr' });
    const known = await new Agent(w.app).post('/mot-de-passe-oublie', { email: 'connue@exemple.fr' });
    const res = await new Agent(w.app).post('/mot-de-passe-oublie', { email: 'inconnu@exemple.fr' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body.replace(/value="[^"]*"/g, ''), known.body.replace(/value="[^"]*"/g, ''));
    assert.match(res.body, /Si un compte existe/);
    const mails = await w.ctx.db.selectFrom('outbox_mail').selectAll().where('to_address', '=', 'inconnu@exemple.fr').execute();
    assert.equal(mails.length, 1, 'the address hears that it has no account here');
    assert.doesNotMatch(mails[0].text_body, /jeton=/, 'and gets no token');
    assert.match(mails[0].text_body, /\/inscription/);
    assert.equal((await w.ctx.db.selectFrom('email_token').selectAll().execute()).length, 1, 'a token only for the known account');
  });

  test('an expired reset link says so', async () => {
    await createUser(w.ctx, { email: 'late@exemple.fr' });
    const a = new Agent(w.app);
    await a.post('/mot-de-passe-oublie', { email: 'late@exemple.fr' });
    const link = await lastMailLink('late@exemple.fr');
    w.clock.advance(2 * HOUR);
    const res = await a.get(link);
    assert.equal(res.statusCode, 410);
    assert.match(res.body, /expiré/);
  });
});

describe('forms are protected', () => {
  test('a missing or forged CSRF token is refused with a French explanation', async () => {
    const a = new Agent(w.app);
    await a.get('/connexion');
    const missing = await a.post('/connexion', { email: 'a@exemple.fr', password: 'x' }, { csrf: null });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /Ce formulaire a expiré/);
    const forged = await a.post('/connexion', { email: 'a@exemple.fr', password: 'x' }, { csrf: 'forged-token-forged-token-forged-token-00' });
    assert.equal(forged.statusCode, 403);
  });

  test('a 10 MB form body gets a 413 page in French, not a crash', async () => {
    const res = await w.app.inject({
      method: 'POST',
      url: '/inscription',
      payload: 'displayName=' + 'a'.repeat(10 * 1024 * 1024),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /Envoi trop volumineux/);
  });
});

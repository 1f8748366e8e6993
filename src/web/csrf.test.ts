import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent } from '../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../tests/support/context.js';
import { createUser } from '../../tests/support/factories.js';

const cookiesOf = (res: { cookies: unknown }) => res.cookies as { name: string; value: string; secure?: boolean; path?: string; domain?: string }[];
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];

describe('the CSRF token is bound to the session', () => {
  let w: TestWorld;
  before(async () => {
    w = await createTestWorld();
  });
  after(() => w.close());

  test('a cookie planted with its own token does not pass for a signed-in person', async () => {
    const user = await createUser(w.ctx);
    const victim = new Agent(w.app);
    await victim.login(user.email, user.password);
    // The attacker fetches a page anonymously: a csrf cookie and the token that goes with it.
    const attacker = await w.app.inject({ url: '/connexion' });
    const planted = cookiesOf(attacker).find((c) => c.name === 'csrf')!;
    const token = csrfOf(attacker.body)!;
    victim.setCookie('csrf', planted.value);
    const res = await victim.post('/compte/deconnexion-partout', {}, { csrf: token });
    assert.equal(res.statusCode, 403);
    assert.equal((await victim.get('/compte')).statusCode, 200, 'still signed in');
  });

  test('the token of the signed-in page works, and the anonymous one stops working once signed in', async () => {
    const user = await createUser(w.ctx);
    const a = new Agent(w.app);
    const anonymousPage = await a.get('/connexion');
    const anonymousToken = csrfOf(anonymousPage.body)!;
    await a.login(user.email, user.password);
    assert.equal((await a.post('/compte/deconnexion-partout', {}, { csrf: anonymousToken })).statusCode, 403);
    const page = await a.get('/compte');
    const token = csrfOf(page.body)!;
    assert.notEqual(token, anonymousToken);
    assert.equal((await a.post('/compte/deconnexion-partout', {}, { csrf: token })).statusCode, 303);
  });
});

describe('cookies over https', () => {
  let w: TestWorld;
  before(async () => {
    w = await createTestWorld({ baseUrl: 'https://accueil.example.org', secureCookies: true });
  });
  after(() => w.close());

  test('the CSRF cookie carries the __Host- prefix and Secure; the flash cookie is Secure too', async () => {
    const page = await w.app.inject({ url: '/connexion' });
    const csrf = cookiesOf(page).find((c) => c.name.endsWith('csrf'))!;
    assert.equal(csrf.name, '__Host-csrf');
    assert.equal(csrf.secure, true);
    assert.equal(csrf.path, '/');
    assert.equal(csrf.domain, undefined);
    const user = await createUser(w.ctx);
    const a = new Agent(w.app);
    await a.login(user.email, user.password);
    const out = await a.post('/deconnexion', {});
    assert.equal(out.statusCode, 303, 'the __Host- cookie is what forms are checked against');
    const flash = cookiesOf(out).find((c) => c.name === 'flash')!;
    assert.equal(flash.secure, true);
  });
});

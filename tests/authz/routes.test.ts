/**
 * The authorisation matrix: every route registered under /admin (and /api/v1/admin), whoever added it, refuses
 * anonymous visitors and people who are not staff. Routes are read from `app.routeTable`, so a route added
 * tomorrow is covered without touching this file. Refusals must come from authorisation: the outsiders post
 * with a valid CSRF token, and path parameters are dummies, so a 404 or 422 before the role check fails here.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Role } from '../../src/db/schema.js';
import { tFor } from '../../src/web/i18n/index.js';
import { Agent } from '../support/agent.js';
import { createTestWorld, type TestWorld } from '../support/context.js';
import { createUser } from '../support/factories.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
  await w.reset();
});
after(() => w.close());

const isBackOffice = (url: string) => url === '/admin' || url.startsWith('/admin/') || url.startsWith('/api/v1/admin');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Back office routes a non-staff role may open on purpose, e.g. `'GET /admin/offres': ['partner']`, each with
 * a comment saying why. Empty today: every /admin route is for staff, space managers and admins only.
 */
const OPEN_TO: Record<string, Role[]> = {};

/** Dummy path parameters of both shapes ids take here (uuid and integer); neither exists. */
const DUMMIES = ['00000000-0000-4000-8000-000000000000', '999999'];

function concreteUrls(url: string): string[] {
  if (!url.includes(':') && !url.includes('*')) return [url];
  return DUMMIES.map((d) => url.replace(/:[A-Za-z_]\w*/g, d).replace(/\*/g, 'x'));
}

function backOfficeRoutes() {
  const seen = new Set<string>();
  const routes: { method: string; url: string }[] = [];
  for (const r of w.app.routeTable) {
    if (!isBackOffice(r.url) || !METHODS.includes(r.method)) continue;
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push(r);
  }
  return routes.sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}

/** A signed-in outsider: session cookie, CSRF cookie and the matching form token read from a page. */
async function signedIn(roles: Role[]) {
  const user = await createUser(w.ctx, { roles });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  const page = await agent.get('/compte');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(token, 'the account page carries a CSRF token');
  return { cookie: `sid=${agent.cookie('sid')}; csrf=${agent.cookie('csrf')}`, token };
}

/** An anonymous visitor who fetched a form first, so holds a valid CSRF cookie and token but no session. */
async function anonymousWithCsrf() {
  const agent = new Agent(w.app);
  const page = await agent.get('/connexion');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(token, 'the login page carries a CSRF token');
  return { cookie: `csrf=${agent.cookie('csrf')}`, token };
}

async function call(method: string, url: string, who?: { cookie: string; token: string }) {
  const unsafe = method !== 'GET';
  return w.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(who ? { cookie: who.cookie } : {}),
      ...(unsafe && who ? { 'x-csrf-token': who.token } : {}),
      ...(unsafe ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(unsafe ? { payload: new URLSearchParams(who ? { _csrf: who.token } : {}).toString() } : {}),
  });
}

test('the route table lists the back office routes the app registers', () => {
  const urls = backOfficeRoutes().map((r) => `${r.method} ${r.url}`);
  for (const expected of ['GET /admin', 'GET /admin/utilisateurs', 'POST /admin/utilisateurs/inviter', 'GET /admin/journal']) {
    assert.ok(urls.includes(expected), `${expected} is in the route table`);
  }
});

test('every back office route sends an anonymous visitor to the login page and refuses an anonymous post', async (t) => {
  for (const route of backOfficeRoutes()) {
    for (const url of concreteUrls(route.url)) {
      await t.test(`${route.method} ${url}`, async () => {
        const res = await call(route.method, url);
        if (url.startsWith('/api/')) {
          assert.ok([401, 403].includes(res.statusCode), `${route.method} ${url} answered ${res.statusCode}`);
          assert.match(String(res.headers['content-type']), /problem\+json/);
        } else if (route.method === 'GET') {
          assert.equal(res.statusCode, 303, `${route.method} ${url} answered ${res.statusCode}`);
          assert.match(String(res.headers.location), /^\/connexion\?retour=/);
        } else {
          assert.equal(res.statusCode, 403, `${route.method} ${url} answered ${res.statusCode}`);
        }
      });
      if (route.method !== 'GET') {
        await t.test(`${route.method} ${url} with a valid CSRF token but no session`, async () => {
          const res = await call(route.method, url, await anonymousWithCsrf());
          if (res.statusCode === 303) assert.match(String(res.headers.location), /^\/connexion\?retour=/);
          else assert.ok([401, 403].includes(res.statusCode), `${route.method} ${url} answered ${res.statusCode}`);
        });
      }
    }
  }
});

test('every back office route refuses a signed-in member, candidate, partner or person without role with 403', async (t) => {
  const outsiders: [string, Role[]][] = [
    ['no role', []],
    ['member', ['member']],
    ['candidate', ['candidate']],
    ['partner', ['partner']],
  ];
  const forbiddenTitle = tFor('fr')('errors.forbidden.title');
  for (const [label, roles] of outsiders) {
    const who = await signedIn(roles);
    for (const route of backOfficeRoutes()) {
      if (roles.some((r) => OPEN_TO[`${route.method} ${route.url}`]?.includes(r))) continue;
      for (const url of concreteUrls(route.url)) {
        await t.test(`${label}: ${route.method} ${url}`, async () => {
          const res = await call(route.method, url, who);
          assert.equal(res.statusCode, 403, `${label} got ${res.statusCode} on ${route.method} ${url}`);
          if (!url.startsWith('/api/')) {
            assert.match(res.body, /<html lang="fr"/);
            assert.ok(res.body.includes(forbiddenTitle), 'the refusal page is in French');
          }
        });
      }
    }
  }
});

test('a refused post changes nothing: no audit entry, no mail', async () => {
  const who = await signedIn(['member']);
  const res = await w.app.inject({
    method: 'POST',
    url: '/admin/utilisateurs/inviter',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: who.token, email: 'intrus@exemple.fr', roles: 'admin' }).toString(),
  });
  assert.equal(res.statusCode, 403);
  const mails = await w.ctx.db.selectFrom('outbox_mail').select('id').where('to_address', '=', 'intrus@exemple.fr').execute();
  assert.equal(mails.length, 0);
  const audits = await w.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'invitation.sent').execute();
  assert.equal(audits.length, 0);
});

/** The partner area lives outside the back office (partners are refused there); it too asks visitors to log in. */
test('every partner area route sends an anonymous visitor to the login page and refuses an anonymous post', async (t) => {
  const routes = w.app.routeTable.filter((r) => (r.url === '/partenaire' || r.url.startsWith('/partenaire/')) && METHODS.includes(r.method));
  assert.ok(routes.some((r) => r.method === 'GET' && r.url === '/partenaire'), 'GET /partenaire is in the route table');
  for (const route of routes) {
    for (const url of concreteUrls(route.url)) {
      await t.test(`${route.method} ${url}`, async () => {
        const res = await call(route.method, url);
        if (route.method === 'GET') {
          assert.equal(res.statusCode, 303, `${route.method} ${url} answered ${res.statusCode}`);
          assert.match(String(res.headers.location), /^\/connexion\?retour=/);
        } else {
          assert.equal(res.statusCode, 403, `${route.method} ${url} answered ${res.statusCode}`);
        }
      });
    }
  }
});

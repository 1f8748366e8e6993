/**
 * Malformed input never answers 500. Every route the app registers (read from `app.routeTable`, so a route added
 * tomorrow is covered without touching this file) is called, anonymously and as a member of the whole team, with:
 * a NUL byte in every field a page's forms carry (form body, JSON body, query string and path), impossible dates
 * in every field, and a `multipart/form-data` body without its boundary. PostgreSQL refuses `0x00` in text and
 * `toISOString()` throws on an invalid date, so any of these reaching the database or a date check unguarded
 * used to answer 500.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/domains/accounts/index.js';
import { loadDemoContent } from '../../src/modules.js';
import { familyForm } from '../../src/domains/newcomers/newcomers.testing.js';
import { tFor } from '../../src/web/i18n/index.js';
import { Agent } from '../support/agent.js';
import { createTestWorld, type TestWorld } from '../support/context.js';
import { createUser } from '../support/factories.js';

const fr = tFor('fr');
let w: TestWorld;
after(() => w.close());

const DUMMIES = ['00000000-0000-4000-8000-000000000000', '999999'];
const concrete = (url: string, dummy: string) => url.replace(/:[A-Za-z_]\w*/g, dummy).replace(/\*/g, 'x');

function routes(methods: string[]) {
  const seen = new Set<string>();
  return w.app.routeTable
    .filter((r) => methods.includes(r.method) && !r.url.startsWith('/assets'))
    .filter((r) => !seen.has(`${r.method} ${r.url}`) && !!seen.add(`${r.method} ${r.url}`))
    .sort((a, b) => endsSession(a.url) - endsSession(b.url) || a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}

/** Routes that sign the poster out go last, so the team's session serves every other route first. */
const endsSession = (url: string) => Number(/deconnexion|mot-de-passe|suppression/.test(url));

interface Who {
  label: string;
  cookie: string;
  token: string;
}

async function whoFrom(agent: Agent, label: string, page: string): Promise<Who> {
  const res = await agent.get(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  assert.ok(token, `${page} carries a CSRF token`);
  const cookie = ['sid', 'csrf'].filter((n) => agent.cookie(n)).map((n) => `${n}=${agent.cookie(n)}`).join('; ');
  return { label, cookie, token };
}

interface FormSeen {
  action: string;
  /** The form's own values as the page sent them (first value per name). */
  values: Map<string, string>;
  dateFields: Set<string>;
}

const patternOf = (url: string) => new RegExp(`^${url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*/g, '[^/]+').replace(/\*/g, '.*')}$`);

/** The registered route a concrete path lands on: static routes first, as the router does. */
function routeOf(method: string, path: string) {
  const candidates = routes([method]).sort((a, b) => Number(a.url.includes(':')) - Number(b.url.includes(':')));
  return candidates.find((r) => patternOf(r.url).test(path));
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/**
 * Walks the site as the team and as a visitor from the home page and the back office, one page per route, and
 * keeps every form seen with its action, its values and its date fields: so the posts below carry real ids and
 * real forms, and reach the schemas and services instead of stopping at a "not found".
 */
async function crawl(who: Who[]): Promise<{ forms: FormSeen[]; pages: Map<string, string> }> {
  const forms: FormSeen[] = [];
  const pages = new Map<string, string>(); // route -> one concrete path
  for (const person of who) {
    const queue = ['/', '/admin', '/mon-projet', '/compte'];
    const visited = new Set<string>();
    const visits = new Map<string, number>();
    while (queue.length) {
      const path = queue.shift()!;
      const route = routeOf('GET', path);
      // A few pages per route (cases at different stages show different forms), each page once.
      const key = `${person.label} ${route?.url}`;
      if (!route || visited.has(path) || (visits.get(key) ?? 0) >= (route.url.includes(':') ? 4 : 1)) continue;
      visited.add(path);
      visits.set(key, (visits.get(key) ?? 0) + 1);
      const res = await w.app.inject({ method: 'GET', url: path, headers: { cookie: person.cookie } });
      if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('text/html')) continue;
      if (!pages.has(route.url)) pages.set(route.url, path);
      for (const m of res.body.matchAll(/href="(\/[^"#?]*)/g)) queue.push(decode(m[1]));
      for (const f of res.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
        const action = decode(/action="([^"]*)"/.exec(f[1])?.[1] ?? path).split('?')[0].split('#')[0];
        if (!/method="post"/i.test(f[1])) continue;
        const form: FormSeen = { action, values: new Map(), dateFields: new Set() };
        for (const field of f[2].matchAll(/<(input|textarea)\b([^>]*)>|<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
          const attrs = field[2] ?? field[3];
          const name = /\bname="([^"]+)"/.exec(attrs)?.[1];
          if (!name || name === '_csrf' || form.values.has(name)) continue;
          const type = field[1] === 'input' ? (/\btype="([^"]+)"/.exec(attrs)?.[1] ?? 'text') : (field[1] ?? 'select');
          if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(attrs)) continue;
          if (type === 'date' || /(date|On)$/.test(name)) form.dateFields.add(name);
          const options = field[4] ? [...field[4].matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]) : [];
          const option = options.find((o) => /\bselected\b/.test(o)) ?? options.find((o) => !/value=""/.test(o));
          const value = field[4] !== undefined ? /value="([^"]*)"/.exec(option ?? '')?.[1] : /\bvalue="([^"]*)"/.exec(attrs)?.[1];
          form.values.set(name, decode(value ?? (type === 'checkbox' ? 'on' : 'x')));
        }
        forms.push(form);
      }
    }
  }
  return { forms, pages };
}

let team: Who;
let admin: { email: string; password: string };
/** A fresh session for the team member: the walk posts to the sign-out forms too. */
async function teamSession() {
  const agent = new Agent(w.app);
  await agent.login(admin.email, admin.password);
  return whoFrom(agent, 'team', '/compte');
}
/**
 * Set when the team posted to a route that may sign it out; the next test (subtests included: node:test runs this
 * hook before each of them) signs in again. Signing in costs an Argon2 hash, so it happens only then, not before each
 * of the thousands of subtests.
 */
let teamSignedOut = false;
beforeEach(async () => {
  if (!teamSignedOut) return;
  Object.assign(team, await teamSession());
  teamSignedOut = false;
});
let visitor: Who;
let fields: string[];
let seen: Awaited<ReturnType<typeof crawl>>;
before(async () => {
  w = await createTestWorld();
  await w.reset();
  // The walk signs in as the demo household: demo accounts work only in demo mode.
  w.ctx.demo = true;
  await loadDemoContent(w.ctx);
  admin = await createUser(w.ctx, { roles: ['admin', 'staff', 'space_manager'] });
  team = await teamSession();
  const candidate = new Agent(w.app);
  await candidate.login(DEMO_ACCOUNTS.find((a) => a.roles.includes('candidate'))!.email, DEMO_PASSWORD);
  const household = await whoFrom(candidate, 'household', '/compte');
  visitor = await whoFrom(new Agent(w.app), 'visitor', '/connexion');
  seen = await crawl([team, household, visitor]);
  fields = [...new Set(seen.forms.flatMap((f) => [...f.values.keys()]))].sort();
});

/** Concrete paths for a route: the actions of the forms seen for it (real ids), or dummies. */
function targets(method: string, url: string): { path: string; form?: FormSeen }[] {
  const pattern = patternOf(url);
  const found = seen.forms.filter((f) => pattern.test(f.action) && routeOf(method, f.action)?.url === url);
  // Distinct forms posting to the route (one per set of fields: the stage forms share an action), a few at most.
  const distinct = new Map(found.map((f) => [[...f.values.keys()].sort().join(','), f]));
  if (distinct.size) return [...distinct.values()].slice(0, 4).map((form) => ({ path: form.action, form }));
  return [{ path: seen.pages.get(url) ?? concrete(url, DUMMIES[0]) }];
}

/** The form as the page sent it, with `change` applied to each field (every field when no form was seen). */
function formBody(who: Who, form: FormSeen | undefined, change: (name: string, value: string) => string) {
  const body = new URLSearchParams({ _csrf: who.token });
  if (form?.values.size) for (const [name, value] of form.values) body.append(name, change(name, value));
  else for (const name of fields) body.append(name, change(name, ''));
  return body.toString();
}

async function post(method: string, url: string, who: Who, payload: string, contentType: string) {
  if (who === team && endsSession(url)) teamSignedOut = true;
  return w.app.inject({
    method: method as 'POST',
    url,
    payload,
    headers: { cookie: who.cookie, 'x-csrf-token': who.token, 'content-type': contentType },
  });
}

const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];

test('the walk finds the public forms and the back office forms with their real ids and date fields', () => {
  const urls = routes(UNSAFE).map((r) => `${r.method} ${r.url}`);
  for (const expected of ['POST /candidature', 'POST /inscription', 'POST /admin/accueil/:id/documents']) assert.ok(urls.includes(expected), expected);
  assert.ok(fields.includes('contactName') && fields.includes('startsOn'), 'field names are read from the forms');
  assert.ok(seen.forms.some((f) => /^\/admin\/accueil\/[0-9a-f-]{36}\//.test(f.action)), 'case forms carry real case ids');
  assert.ok(seen.forms.filter((f) => f.dateFields.size).length >= 3, 'forms with dates were seen');
});

test('a NUL byte in a valid application or sign-up re-renders the form with 422, the field named and the text kept; nothing is written', async () => {
  const before = await w.ctx.db.selectFrom('newcomer_case').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const a = new Agent(w.app);
  const res = await a.post('/candidature', familyForm({ email: 'nul@exemple.fr', contactName: 'Camille\u0000Martin' }));
  assert.equal(res.statusCode, 422);
  assert.ok(res.body.includes(fr('errors.nul_field')), 'the message names the field');
  assert.ok(res.body.includes('value="CamilleMartin"'), 'the text is kept, the NUL removed');
  assert.ok(res.body.includes('value="nul@exemple.fr"'), 'the other fields are kept');
  const signUp = await a.post('/inscription', { displayName: 'Anne\u0000Martin', email: 'anne.nul@exemple.fr', password: 'un mot de passe solide' });
  assert.equal(signUp.statusCode, 422);
  assert.match(signUp.body, /aria-describedby="[^"]*displayName[^"]*"/);
  assert.ok(signUp.body.includes(fr('errors.nul_field')));
  const after = await w.ctx.db.selectFrom('newcomer_case').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(after.n), Number(before.n));
  assert.equal(await w.ctx.db.selectFrom('user_account').select('id').where('email', 'in', ['nul@exemple.fr', 'anne.nul@exemple.fr']).executeTakeFirst(), undefined);
});

/**
 * A form post carrying a NUL byte in every field: the forms that read their fields re-render with 422 and the message
 * on each field (`parseForm`); a route that reads none (cancel, sign out) goes on; the guards still come first.
 * Never a 500: PostgreSQL refuses a NUL in text, so one reaching the database unguarded would answer 500.
 */
test('every form and API route answers a NUL byte in its fields without a 500, naming the field when it reads it', async (t) => {
  let named = 0;
  for (const r of routes(UNSAFE)) {
    for (const { path, form } of targets(r.method, r.url)) {
      for (const who of [visitor, team]) {
        await t.test(`${who.label}: ${r.method} ${path} (form)`, async () => {
          const res = await post(r.method, path, who, formBody(who, form, (_, v) => `${v}\u0000`), 'application/x-www-form-urlencoded');
          assert.ok(res.statusCode < 500, `answered ${res.statusCode}`);
          if (res.statusCode === 422 && res.body.includes(fr('errors.nul_field'))) named++;
        });
        await t.test(`${who.label}: ${r.method} ${path} (JSON)`, async () => {
          const values = form?.values.size ? [...form.values] : fields.map((f) => [f, ''] as const);
          const json = JSON.stringify({ _csrf: who.token, ...Object.fromEntries(values.map(([k, v]) => [k, `${v}\u0000`])) });
          const res = await post(r.method, path, who, json, 'application/json');
          assert.ok(res.statusCode >= 400 && res.statusCode < 500, `answered ${res.statusCode}`);
        });
      }
    }
  }
  assert.ok(named >= 60, `${named} forms named the field that held the NUL byte`);
});

test('every page and API route refuses a NUL byte in its query string or path with 422', async (t) => {
  for (const r of routes(['GET'])) {
    for (const who of [visitor, team]) {
      await t.test(`${who.label}: GET ${r.url}`, async () => {
        const query = fields.map((f) => `${encodeURIComponent(f)}=a%00b`).join('&');
        const path = seen.pages.get(r.url) ?? concrete(r.url, DUMMIES[1]);
        const res = await w.app.inject({ method: 'GET', url: `${path}?${query}`, headers: { cookie: who.cookie } });
        assert.equal(res.statusCode, 422, `answered ${res.statusCode}`);
        if (path.startsWith('/api/')) assert.match(String(res.headers['content-type']), /problem\+json/);
        if (r.url.includes(':')) {
          const inPath = await w.app.inject({ method: 'GET', url: concrete(r.url, 'a%00b'), headers: { cookie: who.cookie } });
          assert.equal(inPath.statusCode, 422, `answered ${inPath.statusCode} with a NUL in the path`);
        }
      });
    }
  }
});

test('every form, page and API route answers an impossible date with a 4xx or a page, never a 500', async (t) => {
  for (const date of ['2027-13-01', '0000-00-00', '2027-02-30', '0000-01-01']) {
    for (const r of routes([...UNSAFE, 'GET'])) {
      for (const { path, form } of r.method === 'GET' ? [{ path: seen.pages.get(r.url) ?? concrete(r.url, DUMMIES[0]), form: undefined }] : targets(r.method, r.url)) {
        for (const who of [visitor, team]) {
          await t.test(`${date} ${who.label}: ${r.method} ${path}`, async () => {
            const res =
              r.method === 'GET'
                ? await w.app.inject({ method: 'GET', url: `${path}?${fields.map((f) => `${encodeURIComponent(f)}=${date}`).join('&')}`, headers: { cookie: who.cookie } })
                : await post(r.method, path, who, formBody(who, form, (name, v) => (!form || form.dateFields.has(name) ? date : v)), 'application/x-www-form-urlencoded');
            assert.ok(res.statusCode < 500, `answered ${res.statusCode}`);
          });
        }
      }
    }
  }
});

test('every form and upload route answers a multipart body without its boundary with a 4xx', async (t) => {
  for (const r of routes(UNSAFE)) {
    for (const { path } of targets(r.method, r.url)) {
      await t.test(`${r.method} ${path}`, async () => {
        const body = `--x\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${team.token}\r\n--x--\r\n`;
        const res = await post(r.method, path, team, body, 'multipart/form-data');
        assert.ok(res.statusCode >= 400 && res.statusCode < 500, `answered ${res.statusCode}`);
      });
    }
  }
});

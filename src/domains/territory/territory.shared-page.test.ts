/**
 * The commune profile is rendered once and shared by every signed-in visitor, with only the layout's personal
 * parts (menus, account links with the logout token, the flash message) rendered per request: nothing personal may
 * travel from one visitor's page to another's, and a change to the commune shows at once.
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Role } from '../../db/schema.js';
import { Agent } from '../../../tests/support/agent.js';
import { createTestWorld, type TestWorld } from '../../../tests/support/context.js';
import { createUser } from '../../../tests/support/factories.js';
import { restoreShippedTerritory } from '../../../tests/support/territory.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  await restoreShippedTerritory(w.ctx);
});

async function signedIn(roles: Role[]) {
  const user = await createUser(w.ctx, { roles, name: `Personne ${roles.join('+') || 'sans rôle'}` });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return agent;
}

const logoutToken = (html: string) => /action="\/deconnexion"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(html)?.[1];
/** The page without its personal parts: what every visitor must share. */
const sharedPart = (html: string) =>
  html
    .replace(/<nav[^>]*class="main-nav"[^>]*>[\s\S]*?<\/nav>/, '')
    .replace(/<nav[^>]*class="user-nav"[^>]*>[\s\S]*?<\/nav>/, '')
    .replace(/<p class="alert alert-success" role="status">[\s\S]*?<\/p>/, '');

describe('the commune profile shared by signed-in visitors', () => {
  test('each visitor gets their own menus and logout token around the same profile, whoever came first', async () => {
    const anonymous = await new Agent(w.app).get('/villages/32013');
    const staff = await signedIn(['staff']);
    const member = await signedIn(['member']);
    const staffPage = await staff.get('/villages/32013');
    const memberPage = await member.get('/villages/32013');
    const staffAgain = await staff.get('/villages/32013');
    for (const res of [staffPage, memberPage, staffAgain]) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store', 'a signed-in page is never stored by the browser or a proxy');
      assert.doesNotMatch(res.body, /[0-9a-f]{32}:\w+:[0-9a-f]{32}/, 'no marker is ever sent');
    }
    assert.match(staffPage.body, /href="\/admin"/, 'the staff member sees the back office link');
    assert.doesNotMatch(memberPage.body, /href="\/admin"/, 'the member, served after the staff member, does not');
    assert.match(staffAgain.body, /href="\/admin"/, 'and the staff member still does after the member');
    assert.doesNotMatch(anonymous.body, /\/deconnexion/, 'the anonymous page has no logout form');
    assert.match(anonymous.body, /href="\/connexion"/);
    for (const res of [staffPage, memberPage]) assert.doesNotMatch(res.body, /href="\/connexion"/, 'signed-in visitors are not asked to sign in');

    const staffToken = logoutToken(staffPage.body);
    const memberToken = logoutToken(memberPage.body);
    assert.ok(staffToken && memberToken);
    assert.notEqual(staffToken, memberToken, 'each page carries its own visitor’s token');
    assert.equal(logoutToken(staffAgain.body), staffToken);
    // The token of each page is the one of its visitor: the member's logout works with the member's page's token.
    const logout = await member.post('/deconnexion', {}, { csrf: memberToken });
    assert.equal(logout.statusCode, 303);

    const shared = sharedPart(anonymous.body);
    assert.equal(sharedPart(staffPage.body), shared, 'the profile itself is the one anonymous visitors see');
    assert.equal(sharedPart(memberPage.body), shared);
  });

  test('a correction shows at once on the shared page, and a flash message reaches only its visitor', async () => {
    const staff = await signedIn(['staff']);
    const member = await signedIn(['member']);
    assert.doesNotMatch((await member.get('/villages/32013')).body, /Par la N124/);
    const saved = await staff.post('/admin/territoire/communes/32013/corrections', { figure: 'min_toulouse', value: '65', note: 'Par la N124 à 2 × 2 voies' });
    assert.equal(saved.statusCode, 303);
    // The staff member's flash cookie is still pending: it shows on the next page, here the commune's.
    const withFlash = await staff.get('/villages/32013');
    assert.match(withFlash.body, /class="alert alert-success"/);
    assert.match(withFlash.body, /Par la N124/, 'the correction is on the page right after it was saved');
    const memberPage = await member.get('/villages/32013');
    assert.match(memberPage.body, /Par la N124/);
    assert.doesNotMatch(memberPage.body, /class="alert alert-success"/, 'the flash is the staff member’s only');
    assert.doesNotMatch((await staff.get('/villages/32013')).body, /class="alert alert-success"/, 'and it shows once');
  });

  test('gzip assembled from the shared pieces and the visitor’s parts decodes to the very page sent uncompressed', async () => {
    const staff = await signedIn(['staff']);
    for (const url of ['/villages/32013', '/villages', '/sources']) {
      const plain = await staff.get(url);
      const zipped = await staff.get(url, { 'accept-encoding': 'br, gzip' });
      assert.equal(zipped.statusCode, 200);
      assert.equal(zipped.headers['content-encoding'], 'gzip', url);
      assert.ok(zipped.rawPayload.length < plain.rawPayload.length / 2, `${url} is compressed: ${zipped.rawPayload.length} of ${plain.rawPayload.length}`);
      assert.equal(gunzipSync(zipped.rawPayload).toString(), plain.body, url);
    }
  });

  test('the English page is shared among English readers only', async () => {
    const member = await signedIn(['member']);
    const fr = await member.get('/villages/32013');
    member.setCookie('lang', 'en');
    const en = await member.get('/villages/32013');
    assert.match(fr.body, /<html lang="fr"/);
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /\/deconnexion/);
  });
});

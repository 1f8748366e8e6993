import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { hashPassword } from '../../accounts/index.js';
import { eraseMemberData, exportMemberData } from '../members.service.js';
import { approvedMember, makePlan } from '../members.testing.js';
import { DEFAULT_VISIBILITY, visibleProfile, type ProfileRecord } from './profiles.visibility.js';

const w = useTestWorld();

type Staff = ReturnType<typeof actorFor> & { userId: string };
const staffActor = async () => actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']) as Staff;

/** An approved member with paid dues, signed in (verified address). */
async function signedInMember(staff: Staff, planId: number, who: { firstName: string; lastName: string; email: string; insee?: string }) {
  const m = await approvedMember(w.ctx, staff, planId, who, '2026-11-20');
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', who.email).execute();
  const agent = new Agent(w.app);
  await agent.login(who.email, PASSWORD);
  return { ...m, agent };
}

const visibility = (over: Record<string, string> = {}) => Object.fromEntries(Object.entries({ ...DEFAULT_VISIBILITY, ...over }).map(([k, v]) => [`vis_${k}`, v]));

const profileForm = (over: Record<string, string | string[]> = {}) => ({
  displayName: 'Camille Dubois',
  activity: 'Développeuse web indépendante',
  sector: 'Numérique',
  skills: 'Développement web, Accessibilité',
  bio: 'Sites accessibles pour les artisans du Gers.',
  insee: '32013',
  website: 'https://camille.example',
  languages: ['fr', 'en'],
  phone: '06 12 34 56 78',
  contactOpen: '1',
  ...visibility(),
  ...over,
});

test('a member’s skills are one tag whatever the accents and case, and a visitor finds them by a word without accent once they join the public showcase', async () => {
  const staff = await staffActor();
  const planId = await makePlan(w.ctx);
  const camille = await signedInMember(staff, planId, { firstName: 'Camille', lastName: 'Dubois', email: 'camille.dubois@exemple.fr' });
  const page = await camille.agent.get('/compte/profil');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<datalist id="skill-suggestions">/);

  assert.equal((await camille.agent.post('/compte/profil', profileForm())).statusCode, 303);
  const louis = await signedInMember(staff, planId, { firstName: 'Louis', lastName: 'Martin', email: 'louis.martin@exemple.fr', insee: '32107' });
  assert.equal((await louis.agent.post('/compte/profil', profileForm({ displayName: 'Louis Martin', skills: 'developpement WEB, Menuiserie' }))).statusCode, 303);
  const tags = await w.ctx.db.selectFrom('member_tag').select(['key', 'label']).orderBy('key').execute();
  assert.deepEqual(tags, [
    { key: 'accessibilite', label: 'Accessibilité' },
    { key: 'developpement web', label: 'Développement web' },
    { key: 'menuiserie', label: 'Menuiserie' },
  ]);
  // What the directory reads instead of recounting at each search: each skill's number of profiles, each member's last paid day.
  const uses = async () => (await w.ctx.db.selectFrom('member_tag').select(['key', 'uses']).orderBy('key').execute()).map((t) => `${t.key}:${t.uses}`);
  assert.deepEqual(await uses(), ['accessibilite:1', 'developpement web:2', 'menuiserie:1']);
  assert.equal((await camille.agent.post('/compte/profil', profileForm({ skills: 'Développement web' }))).statusCode, 303);
  assert.deepEqual(await uses(), ['accessibilite:0', 'developpement web:2', 'menuiserie:1']);
  assert.equal((await camille.agent.post('/compte/profil', profileForm())).statusCode, 303);
  assert.deepEqual(await uses(), ['accessibilite:1', 'developpement web:2', 'menuiserie:1']);
  const validity = await w.ctx.db
    .selectFrom('member as m')
    .select(['m.valid_until', (eb) => eb.selectFrom('membership_period as pe').select((e) => e.fn.max('pe.ends_on').as('x')).whereRef('pe.member_id', '=', 'm.id').as('latest')])
    .execute();
  assert.ok(validity.length === 2 && validity.every((v) => v.valid_until !== null && String(v.valid_until) === String(v.latest)), JSON.stringify(validity));

  const visitor = new Agent(w.app);
  let found = await visitor.get('/annuaire?q=developpement');
  assert.equal(found.statusCode, 200);
  assert.doesNotMatch(found.body, /Camille Dubois/, 'nothing public before the showcase');

  // Members see each other, with the stemmed search ("Développements" finds "Développement").
  found = await louis.agent.get('/annuaire?q=D%C3%A9veloppements');
  assert.match(found.body, /Camille Dubois/);
  found = await louis.agent.get('/annuaire?competence=D%C3%A9veloppement+web');
  assert.match(found.body, /Camille Dubois/);

  assert.equal((await camille.agent.post('/compte/profil', profileForm({ publicShowcase: '1', ...visibility({ name: 'public', skills: 'public', activity: 'public' }) }))).statusCode, 303);
  found = await new Agent(w.app).get('/annuaire?q=developpement');
  assert.match(found.body, /Camille Dubois/);
  assert.doesNotMatch(found.body, /Louis Martin/, 'Louis is not in the showcase');
  assert.doesNotMatch(found.body, /camille\.dubois@exemple\.fr/);
  const slug = /href="\/annuaire\/(camille-dubois-\d+)"/.exec(found.body)?.[1];
  assert.ok(slug);
  const entry = await new Agent(w.app).get(`/annuaire/${slug}`);
  assert.equal(entry.statusCode, 200);
  assert.doesNotMatch(entry.body, /camille\.dubois@exemple\.fr|06 12 34 56 78|Sites accessibles/, 'no address, phone, or members-only bio');
  const api = await new Agent(w.app).get('/api/v1/annuaire?q=developpement');
  assert.equal(api.statusCode, 200);
  const body = api.json();
  assert.equal(body.audience, 'public');
  assert.equal(body.items.length, 1);
  assert.deepEqual(body.items[0].skills, ['Développement web', 'Accessibilité']);
  assert.equal(body.items[0].bio, undefined);
  assert.doesNotMatch(api.body, /exemple\.fr|06 12/);
  // A members-only bio word does not find the entry in the public search.
  assert.equal((await new Agent(w.app).get('/api/v1/annuaire?q=artisans')).json().total, 0);
  assert.equal((await louis.agent.get('/api/v1/annuaire?q=artisans')).json().total, 2, 'members search the members-only bios (both share it)');
});

test('a member reading another’s staff-only field through the API or a guessed URL gets nothing; the team sees it', async () => {
  const staff = await staffActor();
  const planId = await makePlan(w.ctx);
  const camille = await signedInMember(staff, planId, { firstName: 'Camille', lastName: 'Dubois', email: 'camille.dubois@exemple.fr' });
  await camille.agent.post('/compte/profil', profileForm({ ...visibility({ bio: 'staff', website: 'staff' }) }));
  const louis = await signedInMember(staff, planId, { firstName: 'Louis', lastName: 'Martin', email: 'louis.martin@exemple.fr' });
  const slug = (await w.ctx.db.selectFrom('member_profile').select('slug').executeTakeFirstOrThrow()).slug;

  const asMember = await louis.agent.get(`/api/v1/annuaire/${slug}`);
  assert.equal(asMember.statusCode, 200);
  const entry = asMember.json();
  assert.equal(entry.name, 'Camille Dubois');
  for (const hidden of ['email', 'phone', 'bio', 'website']) assert.equal(entry[hidden], undefined, hidden);
  const page = await louis.agent.get(`/annuaire/${slug}`);
  assert.doesNotMatch(page.body, /camille\.dubois@exemple\.fr|06 12 34 56 78|Sites accessibles|camille\.example/);
  // The number-based address of a member without a saved profile, and unknown addresses: 404 for visitors.
  for (const guess of [slug, `adherent-2`, 'x']) {
    const res = await new Agent(w.app).get(`/api/v1/annuaire/${guess}`);
    assert.equal(res.statusCode, 404, guess);
    assert.match(String(res.headers['content-type']), /problem\+json/);
  }

  const team = new Agent(w.app);
  const staffUser = await createUser(w.ctx, { roles: ['staff'] });
  await team.login(staffUser.email, staffUser.password);
  const asStaff = (await team.get(`/api/v1/annuaire/${slug}`)).json();
  assert.equal(asStaff.email, 'camille.dubois@exemple.fr');
  assert.equal(asStaff.bio, 'Sites accessibles pour les artisans du Gers.');
});

test('the visibility rule: nothing public without the showcase, e-mail never public, inactive members hidden but to the team and themself', () => {
  const p: ProfileRecord = {
    memberId: 'x',
    slug: 'a-1',
    active: true,
    publicShowcase: false,
    visibility: { ...DEFAULT_VISIBILITY, name: 'public', email: 'public' },
    name: 'A',
    photoId: null,
    activity: 'B',
    sector: null,
    skills: ['C'],
    bio: null,
    commune: null,
    website: null,
    languages: [],
    email: 'a@example.fr',
    phone: null,
    openToBusiness: false,
    buddyOpen: true,
    contactOpen: true,
  };
  assert.equal(visibleProfile(p, 'public'), null);
  assert.equal(visibleProfile({ ...p, publicShowcase: true }, 'public')?.name, 'A');
  assert.equal(visibleProfile({ ...p, publicShowcase: true }, 'public')?.email, undefined, 'a stored "public" e-mail is read as members');
  assert.equal(visibleProfile({ ...p, publicShowcase: true }, 'public')?.skills, undefined);
  assert.equal(visibleProfile(p, 'members')?.email, 'a@example.fr');
  assert.equal(visibleProfile({ ...p, active: false }, 'members'), null);
  assert.equal(visibleProfile({ ...p, active: false }, 'staff')?.name, 'A');
  assert.equal(visibleProfile({ ...p, active: false }, 'self')?.contactOpen, false, 'no contact form to oneself');
});

test('bad input comes back with 422 and a message per field: a NUL byte, a javascript: website, an unknown commune; a <script> bio is shown as text', async () => {
  const staff = await staffActor();
  const planId = await makePlan(w.ctx);
  const camille = await signedInMember(staff, planId, { firstName: 'Camille', lastName: 'Dubois', email: 'camille.dubois@exemple.fr' });
  // A NUL byte is refused for the whole request, in one place (the form parser).
  const nul = await camille.agent.post('/compte/profil', profileForm({ bio: 'Bonjour\u0000' }));
  assert.equal(nul.statusCode, 422);
  assert.match(nul.body, /caractère nul/);
  for (const [field, value] of [
    ['website', 'javascript:alert(1)'],
    ['website', 'ftp://exemple.fr'],
    ['insee', '99999'],
    ['vis_email', 'public'],
    ['languages', 'klingon'],
    ['skills', '!!!'],
  ] as const) {
    const res = await camille.agent.post('/compte/profil', profileForm({ [field]: value }));
    assert.equal(res.statusCode, 422, `${field}=${value}`);
    assert.match(res.body, /class="error-message"/);
  }
  assert.equal(await w.ctx.db.selectFrom('member_profile').select('slug').executeTakeFirst(), undefined, 'nothing saved');
  assert.equal((await camille.agent.post('/compte/profil', profileForm({ bio: '<script>alert(1)</script> et </p><img src=x>' }))).statusCode, 303);
  const slug = (await w.ctx.db.selectFrom('member_profile').select('slug').executeTakeFirstOrThrow()).slug;
  const page = await camille.agent.get(`/annuaire/${slug}`);
  assert.doesNotMatch(page.body, /<script>alert|<img src=x>/);
  assert.match(page.body, /&lt;script>alert\(1\)&lt;\/script>/);
  assert.equal((await new Agent(w.app).get('/annuaire?q=zz&commune=abc&page=-1')).statusCode, 200);
  assert.equal((await new Agent(w.app).get('/annuaire?q=%00')).statusCode, 422, 'a NUL byte is refused in one place');
});

test('a message is relayed by mail with the sender’s verified address to reply to, logged, limited, and refused when the member switched it off', async () => {
  const staff = await staffActor();
  const planId = await makePlan(w.ctx);
  const camille = await signedInMember(staff, planId, { firstName: 'Camille', lastName: 'Dubois', email: 'camille.dubois@exemple.fr' });
  await camille.agent.post('/compte/profil', profileForm());
  const louis = await signedInMember(staff, planId, { firstName: 'Louis', lastName: 'Martin', email: 'louis.martin@exemple.fr' });
  const slug = (await w.ctx.db.selectFrom('member_profile').select('slug').executeTakeFirstOrThrow()).slug;

  const sent = await louis.agent.post(`/annuaire/${slug}/contact`, { subject: 'Un site pour ma ferme', message: 'Bonjour, pouvons-nous en parler ?' });
  assert.equal(sent.statusCode, 303);
  const mail = await w.ctx.db.selectFrom('outbox_mail').selectAll().where('to_address', '=', 'camille.dubois@exemple.fr').where('subject', 'like', '%annuaire%').executeTakeFirstOrThrow();
  assert.equal(mail.reply_to, 'louis.martin@exemple.fr');
  assert.match(mail.text_body, /pouvons-nous en parler/);
  const page = await louis.agent.get(`/annuaire/${slug}`);
  assert.doesNotMatch(page.body, /camille\.dubois@exemple\.fr/);

  for (let i = 1; i < 5; i++) assert.equal((await louis.agent.post(`/annuaire/${slug}/contact`, { subject: `Relance ${i}`, message: 'Encore moi.' })).statusCode, 303);
  const limited = await louis.agent.post(`/annuaire/${slug}/contact`, { subject: 'Trop', message: 'Encore moi.' });
  assert.equal(limited.statusCode, 429);
  assert.match(limited.body, /réessayez dans une heure/);
  assert.equal(Number((await w.ctx.db.selectFrom('member_contact').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 5);

  // A visitor is sent to sign in; an unverified address is refused.
  assert.equal((await new Agent(w.app).post(`/annuaire/${slug}/contact`, { subject: 'x', message: 'y' })).statusCode, 303);
  w.clock.advance(2 * 3_600_000);
  await w.ctx.db.updateTable('user_account').set({ email_verified_at: null }).where('email', '=', 'louis.martin@exemple.fr').execute();
  assert.equal((await louis.agent.post(`/annuaire/${slug}/contact`, { subject: 'Non vérifié', message: 'Oui.' })).statusCode, 403);
  await w.ctx.db.updateTable('user_account').set({ email_verified_at: w.clock.now() }).where('email', '=', 'louis.martin@exemple.fr').execute();

  // Switched off: the form is gone and a post is refused.
  await camille.agent.post('/compte/profil', profileForm({ contactOpen: '' }));
  const closed = await louis.agent.post(`/annuaire/${slug}/contact`, { subject: 'Fermé ?', message: 'Oui.' });
  assert.equal(closed.statusCode, 409);

  const team = new Agent(w.app);
  const staffUser = await createUser(w.ctx, { roles: ['staff'] });
  await team.login(staffUser.email, staffUser.password);
  const log = await team.get('/admin/adherents/contacts');
  assert.equal(log.statusCode, 200);
  assert.match(log.body, /Un site pour ma ferme/);
  assert.equal((await louis.agent.get('/admin/adherents/contacts')).statusCode, 403);
});

test('the map and the village page count members of the public showcase per commune; erasure removes the entry at once and exports hold the profile', async () => {
  const staff = await staffActor();
  const planId = await makePlan(w.ctx);
  const camille = await signedInMember(staff, planId, { firstName: 'Camille', lastName: 'Dubois', email: 'camille.dubois@exemple.fr' });
  const before = await new Agent(w.app).get('/villages/32013');
  assert.match(before.body, /Aucun membre de la vitrine publique/);
  await camille.agent.post('/compte/profil', profileForm({ publicShowcase: '1', ...visibility({ name: 'public', commune: 'public' }) }));
  const village = await new Agent(w.app).get('/villages/32013');
  assert.match(village.body, /1 membre de la vitrine publique des solos vit dans cette commune/);
  assert.match(village.body, /Source : annuaire des adhérents/);
  const map = await new Agent(w.app).get('/annuaire/carte');
  assert.equal(map.statusCode, 200);
  assert.match(map.body, /aria-label="Auch : 1 solo"/);

  const userId = (await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'camille.dubois@exemple.fr').executeTakeFirstOrThrow()).id;
  const exported = await exportMemberData(w.ctx, userId);
  assert.deepEqual((exported as { directory: { profiles: { skills: string[] }[] } }).directory.profiles[0].skills, ['Développement web', 'Accessibilité']);
  await eraseMemberData(w.ctx, userId);
  assert.equal((await new Agent(w.app).get('/api/v1/annuaire')).json().total, 0);
  assert.match((await new Agent(w.app).get('/villages/32013')).body, /Aucun membre de la vitrine publique/);
  assert.equal(await w.ctx.db.selectFrom('member_profile_tag').select('tag_id').executeTakeFirst(), undefined);
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../tests/support/factories.js';
import type { Actor } from '../../context.js';
import { anonymous } from '../../context.js';
import type { Role } from '../../db/schema.js';
import { hashPassword } from '../accounts/index.js';
import { loadDemoOffers } from './offers.demo.js';
import type { OfferInput } from './offers.schemas.js';
import * as offers from './offers.service.js';
import * as service from '../newcomers/cases/cases.service.js';
import { applyAsVisitor, sectionData } from '../newcomers/newcomers.testing.js';
import { offersCaseSection } from '../newcomers/newcomers.offers.js';

const w = useTestWorld();

const LECTOURE = '32208';
const AUCH = '32013';
const SELLER = { sellerName: 'Jean Cédant', sellerEmail: 'jean.cedant@exemple.fr', sellerPhone: '05 62 11 22 33' };

const base = { title: 'Boulangerie au cœur du village', description: 'Fonds de commerce **rentable**, clientèle fidèle.', insee: LECTOURE, expiresOn: '2026-12-31', publish: true };
const takeoverInput = (o: Partial<OfferInput> = {}): OfferInput => ({
  ...base,
  kind: 'takeover',
  sector: 'food',
  takeover: { priceMin: 120_000, priceMax: 150_000, turnover: 300_000, ...SELLER },
  ...o,
});
const jobInput = (o: Partial<OfferInput> = {}): OfferInput => ({
  ...base,
  kind: 'job',
  title: 'Développeuse ou développeur web',
  sector: 'digital',
  job: { employer: 'Agence Gasconne', contract: 'cdi', remote: true },
  ...o,
});
const housingInput = (type: 'rent' | 'sale' | 'temporary', o: Partial<OfferInput> = {}): OfferInput => ({
  ...base,
  kind: 'housing',
  title: `Maison de village (${type})`,
  housing: { housingType: type, price: type === 'sale' ? 180_000 : 750, surfaceM2: 95, rooms: 4, availableOn: '2027-01-15' },
  ...o,
});

/** The takeover form as the team fills it in. */
const takeoverForm = (o: Record<string, string> = {}): Record<string, string> => ({
  kind: 'takeover',
  title: 'Boulangerie au cœur du village',
  description: 'Fonds de commerce rentable.',
  insee: LECTOURE,
  expiresOn: '2026-12-31',
  sector: 'food',
  priceMin: '120 000',
  priceMax: '150000',
  turnover: '',
  sellerName: SELLER.sellerName,
  sellerEmail: SELLER.sellerEmail,
  sellerPhone: SELLER.sellerPhone,
  ...o,
});

async function person(roles: Role[]) {
  const user = await createUser(w.ctx, { roles });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return { user, agent, actor: actorFor(w.ctx, user, roles) };
}

/** The Martin family applies (takeover project, a house to buy, Lectoure and Auch) and signs in. */
async function household(overrides: Parameters<typeof applyAsVisitor>[1] = {}) {
  const applied = await applyAsVisitor(w.ctx, overrides);
  const email = overrides.email ?? 'camille.martin@exemple.fr';
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', email).execute();
  const user = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const agent = new Agent(w.app);
  await agent.login(email, PASSWORD);
  return { caseId: applied.caseId, agent, actor: actorFor(w.ctx, user, ['candidate']) };
}

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).execute();

/** Another commune of the same intercommunality, and a commune of another one. */
async function neighbours(insee: string) {
  const c = await w.ctx.db.selectFrom('commune').select('epci_siren').where('insee', '=', insee).executeTakeFirstOrThrow();
  const same = await w.ctx.db.selectFrom('commune').select(['insee', 'name']).where('epci_siren', '=', c.epci_siren).where('insee', '<>', insee).orderBy('insee').executeTakeFirstOrThrow();
  const far = await w.ctx.db
    .selectFrom('commune')
    .select(['insee', 'name', 'epci_siren'])
    .where('epci_siren', '<>', c.epci_siren!)
    .where('insee', 'not in', [AUCH, LECTOURE])
    .where('epci_siren', 'not in', w.ctx.db.selectFrom('commune').select('epci_siren').where('insee', '=', AUCH).where('epci_siren', 'is not', null))
    .orderBy('insee')
    .executeTakeFirstOrThrow();
  return { epci: c.epci_siren!, same, far };
}

describe('who may do what', () => {
  const roles: [string, Role[]][] = [
    ['candidate', ['candidate']],
    ['member', ['member']],
    ['partner', ['partner']],
    ['staff', ['staff']],
    ['admin', ['admin']],
  ];

  test('the team’s use cases: staff and admin may; visitors must log in; candidates, members and partners are refused, whether the offer exists or not', async () => {
    const staff = await person(['staff']);
    const { id } = await offers.createOffer(w.ctx, staff.actor, takeoverInput({ publish: false }));
    const useCases: [string, (a: Actor, offerId: number) => Promise<unknown>][] = [
      ['write an offer', (a) => offers.createOffer(w.ctx, a, jobInput())],
      ['list offers', (a) => offers.listOffersForStaff(w.ctx, a, { page: 1 })],
      ['open an offer', (a, i) => offers.getOfferForStaff(w.ctx, a, i)],
      ['open the form', (a, i) => offers.getOfferFormForStaff(w.ctx, a, i)],
      ['change an offer', (a, i) => offers.updateOffer(w.ctx, a, i, takeoverInput({ publish: false }))],
      ['publish', (a, i) => offers.publishOffer(w.ctx, a, i)],
      ['withdraw', (a, i) => offers.withdrawOffer(w.ctx, a, i)],
    ];
    const people: [string, Actor][] = [['visitor', anonymous(w.ctx.territory.id)]];
    for (const [label, r] of roles) people.push([label, (await person(r)).actor]);
    for (const [name, run] of useCases) {
      for (const [who, actor] of people) {
        const expected = who === 'staff' || who === 'admin' ? 'ok' : who === 'visitor' ? 'unauthenticated' : 'forbidden';
        assert.equal(await codeOf(run(actor, id)), expected, `${name}: ${who}`);
        if (expected !== 'ok') assert.equal(await codeOf(run(actor, 999_999)), expected, `${name}: ${who}, offer that does not exist`);
      }
    }
    assert.equal(await codeOf(offers.getOfferForStaff(w.ctx, staff.actor, 999_999)), 'not_found');
  });

  test('proposing offers is for partners only; the interest is for a household with a case', async () => {
    const staff = await person(['staff']);
    const { id } = await offers.createOffer(w.ctx, staff.actor, jobInput());
    const { actor: owner } = await household();
    assert.equal(await codeOf(offers.proposeOffer(w.ctx, anonymous(w.ctx.territory.id), jobInput())), 'unauthenticated');
    for (const [label, r] of roles) {
      const { actor } = await person(r);
      assert.equal(await codeOf(offers.proposeOffer(w.ctx, actor, jobInput())), label === 'partner' ? 'ok' : 'forbidden', `propose: ${label}`);
      assert.equal(await codeOf(offers.listOwnProposals(w.ctx, actor)), label === 'partner' ? 'ok' : 'forbidden', `own list: ${label}`);
      // Nobody but a household with a case can say an offer interests it: these people have no case.
      assert.equal(await codeOf(offers.markInterest(w.ctx, actor, id)), 'forbidden', `interest: ${label}`);
    }
    assert.equal(await codeOf(offers.markInterest(w.ctx, anonymous(w.ctx.territory.id), id)), 'unauthenticated');
    assert.equal(await codeOf(offers.markInterest(w.ctx, owner, id)), 'ok');
    assert.equal(await codeOf(offers.markInterest(w.ctx, owner, 999_999)), 'not_found');
  });

  test('over HTTP: visitors are sent to log in, partners get 403 on /admin/offres and the team 403 on /partenaire/offres', async () => {
    const visitor = new Agent(w.app);
    for (const url of ['/admin/offres', '/admin/offres/nouvelle', '/partenaire/offres', '/partenaire/offres/nouvelle']) {
      const res = await visitor.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(String(res.headers.location), /^\/connexion\?retour=/);
    }
    assert.equal((await visitor.get('/offres')).statusCode, 200);
    const partner = await person(['partner']);
    assert.equal((await partner.agent.get('/admin/offres')).statusCode, 403);
    assert.equal((await partner.agent.post('/admin/offres/nouvelle', takeoverForm())).statusCode, 403);
    assert.equal((await partner.agent.get('/partenaire/offres')).statusCode, 200);
    for (const r of [['staff'], ['admin']] as Role[][]) {
      const team = await person(r);
      assert.equal((await team.agent.get('/admin/offres')).statusCode, 200);
      assert.equal((await team.agent.get('/admin/offres/nouvelle')).statusCode, 200);
      assert.equal((await team.agent.get('/partenaire/offres')).statusCode, 403);
    }
    for (const r of [['member'], ['candidate']] as Role[][]) {
      const other = await person(r);
      assert.equal((await other.agent.get('/admin/offres')).statusCode, 403);
      assert.equal((await other.agent.get('/partenaire/offres')).statusCode, 403);
      assert.equal((await other.agent.get('/offres')).statusCode, 200);
    }
    const home = await visitor.get('/');
    assert.match(home.body, /<a href="\/offres"[^>]*>Offres<\/a>/);
    const staff = await person(['staff']);
    assert.match((await staff.agent.get('/admin/offres')).body, /href="\/admin\/offres" aria-current="page">Offres/);
  });
});

describe('the team publishes offers', () => {
  test('a takeover written with the form is a draft until published, then on the public list; withdrawn, its page says it is gone', async () => {
    const staff = await person(['staff']);
    const created = await staff.agent.post('/admin/offres/nouvelle', takeoverForm());
    assert.equal(created.statusCode, 303);
    const id = Number(/\/admin\/offres\/(\d+)$/.exec(String(created.headers.location))![1]);
    const row = await w.ctx.db.selectFrom('offer').select(['status', 'price_min', 'price_max', 'turnover']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'draft', price_min: 120_000, price_max: 150_000, turnover: null });
    const visitor = new Agent(w.app);
    assert.doesNotMatch((await visitor.get('/offres')).body, /Boulangerie/, 'a draft is not public');
    assert.equal((await visitor.get(`/offres/${id}`)).statusCode, 404);

    assert.equal((await staff.agent.post(`/admin/offres/${id}/publier`, {})).statusCode, 303);
    const list = await visitor.get('/offres');
    assert.match(list.body, new RegExp(`<a href="/offres/${id}">Boulangerie au cœur du village</a>`));
    const page = await visitor.get(`/offres/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/villages\/32208">Lectoure<\/a>/);
    assert.match(page.body, /31 décembre 2026/);
    assert.match(page.body, /120\u202f000\s€|120 000 €/);

    // The anonymous list was cached: withdrawing empties the cache.
    assert.equal((await staff.agent.post(`/admin/offres/${id}/retirer`, {})).statusCode, 303);
    assert.doesNotMatch((await visitor.get('/offres')).body, /Boulangerie/);
    const gone = await visitor.get(`/offres/${id}`);
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /n’est plus disponible/);
    const audits = await w.ctx.db.selectFrom('audit_event').select('action').where('subject_type', '=', 'offer').orderBy('id').execute();
    assert.deepEqual(audits.map((a) => a.action), ['offer.created', 'offer.published', 'offer.withdrawn']);
  });

  test('the seller’s contact shows to the team only: never on the public pages, the list nor the API', async () => {
    const staff = await person(['staff']);
    const { id } = await offers.createOffer(w.ctx, staff.actor, takeoverInput());
    const { agent: householdAgent } = await household();
    const member = await person(['member']);
    const pages = [
      await new Agent(w.app).get('/offres'),
      await new Agent(w.app).get(`/offres/${id}`),
      await new Agent(w.app).get('/api/v1/offres'),
      await householdAgent.get(`/offres/${id}`),
      await member.agent.get(`/offres/${id}`),
      await new Agent(w.app, { 'accept-language': 'en' }).get(`/offres/${id}`),
    ];
    for (const res of pages) {
      assert.equal(res.statusCode, 200);
      for (const secret of ['Jean Cédant', 'jean.cedant', '05 62 11 22 33', 'Cédant']) assert.ok(!res.body.includes(secret), `${secret} leaked`);
    }
    const api = JSON.parse(pages[2].body);
    assert.equal(api.items.length, 1);
    assert.deepEqual(api.items[0].takeover, { priceMin: 120_000, priceMax: 150_000, turnover: 300_000 });
    assert.ok(!('seller' in api.items[0]) && !JSON.stringify(api).includes('seller'));
    const admin = await staff.agent.get(`/admin/offres/${id}`);
    assert.match(admin.body, /Jean Cédant/);
    assert.match(admin.body, /mailto:jean.cedant@exemple.fr/);
  });

  test('an expired offer leaves the list and the API, and its page says it is gone (never a 500)', async () => {
    const staff = await person(['staff']);
    const { id } = await offers.createOffer(w.ctx, staff.actor, jobInput({ expiresOn: '2026-11-30' }));
    const visitor = new Agent(w.app);
    assert.match((await visitor.get('/offres')).body, /Développeuse/);
    // 23:30 in Paris on the 30th is still the 30th: the offer is listed on its last day.
    w.clock.set('2026-11-30T22:30:00Z');
    w.ctx.pageCache.clear();
    assert.match((await visitor.get('/offres')).body, /Développeuse/);
    w.clock.set('2026-11-30T23:30:00Z');
    w.ctx.pageCache.clear();
    assert.doesNotMatch((await visitor.get('/offres')).body, /Développeuse/);
    assert.equal(JSON.parse((await visitor.get('/api/v1/offres')).body).total, 0);
    assert.equal((await visitor.get(`/offres/${id}`)).statusCode, 410);
    assert.equal((await visitor.get('/offres/999999')).statusCode, 404);
    assert.equal((await visitor.get('/offres/abc')).statusCode, 404);
    const list = await staff.agent.get('/admin/offres?statut=expired');
    assert.match(list.body, /Développeuse/);
    assert.match(list.body, /Expirée/);
    assert.doesNotMatch((await staff.agent.get('/admin/offres?statut=published')).body, /Développeuse/);
    assert.equal(await codeOf(offers.publishOffer(w.ctx, staff.actor, id)), 'ok', 'already published: nothing to do');
    await offers.withdrawOffer(w.ctx, staff.actor, id);
    assert.equal(await codeOf(offers.publishOffer(w.ctx, staff.actor, id)), 'conflict', 'an expired offer is not published again');
  });

  test('bad input comes back with 422, the values typed and a French message per field', async () => {
    const staff = await person(['staff']);
    const cases: [Record<string, string>, string, RegExp][] = [
      [takeoverForm({ insee: '75056' }), 'insee', /n’est pas une commune du territoire/],
      [takeoverForm({ insee: 'xyz' }), 'insee', /n’est pas une commune du territoire/],
      [takeoverForm({ priceMin: '200000', priceMax: '150000' }), 'priceMax', /supérieur ou égal au prix minimum/],
      [takeoverForm({ priceMin: '12,5' }), 'priceMin', /nombre entier/],
      [takeoverForm({ expiresOn: '2026-11-26' }), 'expiresOn', /Cette date est passée/],
      [takeoverForm({ expiresOn: '2030-01-01' }), 'expiresOn', /deux ans/],
      [takeoverForm({ expiresOn: '2026-02-30' }), 'expiresOn', /date valide/],
      [takeoverForm({ sellerEmail: '', sellerPhone: '' }), 'sellerEmail', /e-mail ou un téléphone du cédant/],
      [takeoverForm({ sellerName: '' }), 'sellerName', /id="e-sellerName"/],
      [takeoverForm({ kind: '' }), 'kind', /Choisissez le type d’offre/],
      [{ ...takeoverForm({ kind: 'job' }) }, 'employer', /id="e-employer"/],
      [{ ...takeoverForm({ kind: 'job', employer: 'Agence' }) }, 'contract', /Choisissez le type de contrat/],
      [{ ...takeoverForm({ kind: 'housing' }) }, 'housingType', /Choisissez le type de logement/],
      [{ ...takeoverForm({ kind: 'housing', housingType: 'rent' }) }, 'price', /id="e-price"/],
    ];
    for (const [form, field, message] of cases) {
      const res = await staff.agent.post('/admin/offres/nouvelle', form);
      assert.equal(res.statusCode, 422, `${field}: ${res.statusCode}`);
      assert.match(res.body, new RegExp(`id="e-${field}"`), field);
      assert.match(res.body, message, field);
      assert.match(res.body, /value="Boulangerie au cœur du village"/, `${field}: the title typed is kept`);
    }
    const job = await staff.agent.post('/admin/offres/nouvelle', takeoverForm({ kind: 'job', employer: '' }));
    assert.match(job.body, /id="e-employer"/);
    assert.match(job.body, /id="e-contract"/, 'every missing field at once');
    assert.equal((await w.ctx.db.selectFrom('offer').select('id').execute()).length, 0, 'nothing saved');
    // Fields of the other kinds are ignored, so nothing of a takeover sticks to a job.
    const ok = await staff.agent.post('/admin/offres/nouvelle', takeoverForm({ kind: 'job', employer: 'Agence Gasconne', contract: 'cdd', remote: '1', publish: '1' }));
    assert.equal(ok.statusCode, 303);
    const row = await w.ctx.db.selectFrom('offer').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'published');
    assert.equal(row.seller_name, null);
    assert.equal(row.price_min, null);
    assert.equal(row.remote, true);
  });

  test('editing keeps the form’s values on a mistake and saves the change; the public page follows', async () => {
    const staff = await person(['staff']);
    const { id } = await offers.createOffer(w.ctx, staff.actor, housingInput('rent'));
    const form = await staff.agent.get(`/admin/offres/${id}/modifier`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Maison de village \(rent\)"/);
    assert.match(form.body, /<option value="rent" selected/);
    const visitor = new Agent(w.app);
    assert.match((await visitor.get(`/offres/${id}`)).body, /750\s€ par mois/);
    const fields = { kind: 'housing', title: 'Maison rénovée', description: 'Belle maison.', insee: LECTOURE, expiresOn: '2026-12-31', housingType: 'rent', price: '820' };
    const bad = await staff.agent.post(`/admin/offres/${id}/modifier`, { ...fields, rooms: '0' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /value="Maison rénovée"/);
    assert.equal((await staff.agent.post(`/admin/offres/${id}/modifier`, fields)).statusCode, 303);
    const page = await visitor.get(`/offres/${id}`);
    assert.match(page.body, /Maison rénovée/);
    assert.match(page.body, /820\s€ par mois/);
    assert.equal((await staff.agent.get('/admin/offres/999999/modifier')).statusCode, 404);
  });
});

describe('the public list', () => {
  test('filters by kind, housing type, commune, intercommunality, sector and price, as GET forms; in French and English', async () => {
    const staff = await person(['staff']);
    const { epci, same, far } = await neighbours(LECTOURE);
    const t = await offers.createOffer(w.ctx, staff.actor, takeoverInput());
    const j = await offers.createOffer(w.ctx, staff.actor, jobInput({ insee: far.insee }));
    const rent = await offers.createOffer(w.ctx, staff.actor, housingInput('rent', { insee: same.insee }));
    const sale = await offers.createOffer(w.ctx, staff.actor, housingInput('sale', { insee: far.insee }));
    const visitor = new Agent(w.app);
    const ids = async (query: string) => {
      const res = await visitor.get(`/offres${query}`);
      assert.equal(res.statusCode, 200, query);
      return [...res.body.matchAll(/<a href="\/offres\/(\d+)">/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    };
    const all = [t.id, j.id, rent.id, sale.id].sort((a, b) => a - b);
    assert.deepEqual(await ids(''), all);
    assert.deepEqual(await ids('?type=takeover'), [t.id]);
    assert.deepEqual(await ids('?type=housing&logement=rent'), [rent.id]);
    assert.deepEqual(await ids(`?commune=${LECTOURE}`), [t.id]);
    assert.deepEqual(await ids(`?epci=${epci}`), [t.id, rent.id].sort((a, b) => a - b));
    assert.deepEqual(await ids('?secteur=digital'), [j.id]);
    assert.deepEqual(await ids('?prixMax=1000'), [rent.id]);
    assert.deepEqual(await ids('?prixMax=150000'), [t.id, rent.id].sort((a, b) => a - b));
    assert.deepEqual(await ids('?type=nimporte&prixMax=abc&epci=1'), all, 'unknown filter values are ignored');
    const page = await visitor.get(`/offres?epci=${epci}`);
    assert.match(page.body, new RegExp(`<option value="${epci}" selected`));
    assert.match(page.body, /<form method="get" action="\/offres"/);
    const english = await new Agent(w.app, { 'accept-language': 'en' }).get('/offres');
    assert.match(english.body, /<html lang="en"/);
    assert.match(english.body, /Offers: business takeovers, jobs and housing/);
    assert.match(english.body, /Business takeover/);
  });

  test('is paginated, and the API answers the same filters with public fields only', async () => {
    const staff = await person(['staff']);
    for (let i = 0; i < offers.PUBLIC_PAGE_SIZE + 1; i++) await offers.createOffer(w.ctx, staff.actor, housingInput('temporary', { title: `Logement passerelle ${i}` }));
    await offers.createOffer(w.ctx, staff.actor, jobInput({ publish: false }));
    const visitor = new Agent(w.app);
    const first = await visitor.get('/offres');
    assert.match(first.body, /21 offre\(s\)/);
    assert.match(first.body, /href="\?page=2" rel="next"/);
    const second = await visitor.get('/offres?page=2');
    assert.equal([...second.body.matchAll(/<a href="\/offres\/\d+">/g)].length, 1);
    const api = JSON.parse((await visitor.get('/api/v1/offres?type=housing&logement=temporary&page=2')).body);
    assert.equal(api.total, 21);
    assert.equal(api.pages, 2);
    assert.equal(api.items.length, 1);
    assert.deepEqual(Object.keys(api.items[0]).sort(), ['commune', 'description', 'expiresOn', 'housing', 'id', 'job', 'kind', 'publishedAt', 'sector', 'takeover', 'title', 'url']);
    assert.equal(api.items[0].housing.type, 'temporary');
    assert.equal(JSON.parse((await visitor.get('/api/v1/offres?type=job')).body).total, 0, 'drafts are not in the API');
    const doc = JSON.parse((await visitor.get('/api/openapi.json')).body);
    assert.ok(doc.paths['/api/v1/offres'].get, 'the API is described');
    assert.ok(doc.paths['/api/v1/offres'].get.parameters.some((p: { name: string }) => p.name === 'epci'));
  });
});

describe('a household’s interest', () => {
  test('a household with a case says an offer interests it once: the team is mailed once, and the interest shows on the case page, the offer’s page and /mon-projet', async () => {
    const lea = await person(['staff']);
    const paul = await person(['admin']);
    const { id } = await offers.createOffer(w.ctx, lea.actor, takeoverInput());
    const { agent, caseId } = await household();
    const page = await agent.get(`/offres/${id}`);
    assert.match(page.body, /Cette offre m’intéresse/);
    assert.equal((await agent.post(`/offres/${id}/interet`, {})).statusCode, 303);
    assert.equal((await agent.post(`/offres/${id}/interet`, {})).statusCode, 303, 'clicking twice is harmless');
    const rows = await w.ctx.db.selectFrom('offer_interest').select(['offer_id', 'case_id']).execute();
    assert.deepEqual(rows, [{ offer_id: id, case_id: caseId }]);
    for (const who of [lea, paul]) {
      const mails = (await mailsTo(who.user.email)).filter((m) => /s’intéresse à une offre/.test(m.subject));
      assert.equal(mails.length, 1, 'nobody follows the case: the whole team is told, once');
      assert.match(mails[0].text_body, new RegExp(`/admin/accueil/${caseId}#offres`));
      assert.doesNotMatch(mails[0].text_body, /Jean Cédant/);
    }
    assert.match((await agent.get(`/offres/${id}`)).body, /Vous avez signalé votre intérêt/);
    const mine = await agent.get('/mon-projet');
    assert.match(mine.body, /Les offres qui vous intéressent/);
    assert.match(mine.body, new RegExp(`<a href="/offres/${id}">Boulangerie au cœur du village</a>`));
    const exported = JSON.parse((await agent.get('/mon-projet/donnees.json')).body);
    assert.deepEqual(exported.case.offerInterests.map((i: { offer: number }) => i.offer), [id], 'the interest is part of the household’s data');
    const casePage = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(casePage.body, /Offres qui intéressent le foyer/);
    assert.match(casePage.body, new RegExp(`<a href="/admin/offres/${id}">Boulangerie`));
    const offerPage = await lea.agent.get(`/admin/offres/${id}`);
    assert.match(offerPage.body, new RegExp(`<a href="/admin/accueil/${caseId}#offres">Dossier n° \\d+ · Camille Martin</a>`));
    assert.equal((await w.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'offer.interest_marked').execute()).length, 1);
  });

  test('with an adviser, only the adviser is told; simultaneous clicks record one interest and one mail', async () => {
    const lea = await person(['staff']);
    const paul = await person(['staff']);
    const { id } = await offers.createOffer(w.ctx, lea.actor, jobInput());
    const { actor, caseId } = await household();
    await service.assignAdviser(w.ctx, lea.actor, caseId, 'moi');
    const results = await Promise.all([1, 2, 3, 4].map(() => offers.markInterest(w.ctx, actor, id)));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal((await w.ctx.db.selectFrom('offer_interest').select('id').execute()).length, 1);
    assert.equal((await mailsTo(lea.user.email)).filter((m) => /s’intéresse/.test(m.subject)).length, 1);
    assert.equal((await mailsTo(paul.user.email)).filter((m) => /s’intéresse/.test(m.subject)).length, 0);
  });

  test('visitors and people without a case are invited to apply; a gone offer cannot be marked', async () => {
    const staff = await person(['staff']);
    const { id } = await offers.createOffer(w.ctx, staff.actor, jobInput());
    const visitor = await new Agent(w.app).get(`/offres/${id}`);
    assert.match(visitor.body, /href="\/candidature"/);
    assert.doesNotMatch(visitor.body, /\/interet/);
    const member = await person(['member']);
    const page = await member.agent.get(`/offres/${id}`);
    assert.match(page.body, /href="\/candidature"/);
    assert.doesNotMatch(page.body, /\/interet/);
    assert.equal((await member.agent.post(`/offres/${id}/interet`, {})).statusCode, 403);
    const anonymousPost = await new Agent(w.app).post(`/offres/${id}/interet`, {});
    assert.equal(anonymousPost.statusCode, 303);
    assert.match(String(anonymousPost.headers.location), /^\/connexion/);
    const { agent } = await household();
    await offers.withdrawOffer(w.ctx, staff.actor, id);
    assert.equal((await agent.post(`/offres/${id}/interet`, {})).statusCode, 409);
    assert.equal((await w.ctx.db.selectFrom('offer_interest').select('id').execute()).length, 0);
  });
});

describe('suggestions on the case page', () => {
  test('live offers in the target villages or their intercommunality that match the projects and needs, same commune first, five at most', async () => {
    const staff = await person(['staff']);
    const { same, far } = await neighbours(LECTOURE);
    // The Martins: a takeover project (and telework), a house to buy, Lectoure and Auch in mind.
    const { caseId } = await household();
    const takeoverHere = await offers.createOffer(w.ctx, staff.actor, takeoverInput({ title: 'Reprise à Lectoure' }));
    const saleNearby = await offers.createOffer(w.ctx, staff.actor, housingInput('sale', { title: 'Maison à vendre tout près', insee: same.insee }));
    await offers.createOffer(w.ctx, staff.actor, jobInput({ title: 'Emploi à Lectoure' }));
    await offers.createOffer(w.ctx, staff.actor, housingInput('rent', { title: 'Location à Lectoure' }));
    await offers.createOffer(w.ctx, staff.actor, takeoverInput({ title: 'Reprise lointaine', insee: far.insee }));
    await offers.createOffer(w.ctx, staff.actor, takeoverInput({ title: 'Reprise en brouillon', publish: false }));
    await offers.createOffer(w.ctx, staff.actor, takeoverInput({ title: 'Reprise bientôt finie', expiresOn: '2026-11-28' }));
    w.clock.set('2026-11-29T09:00:00Z');

    const file = await service.getCaseFile(w.ctx, staff.actor, caseId);
    assert.deepEqual(sectionData(file, offersCaseSection).suggestions.map((o) => o.id), [takeoverHere.id, saleNearby.id]);
    const page = await staff.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /Offres qui pourraient correspondre/);
    assert.match(page.body, /Reprise à Lectoure.*dans un village visé/s);
    assert.match(page.body, /Maison à vendre tout près.*dans la même intercommunalité/s);
    assert.doesNotMatch(page.body, /Emploi à Lectoure|Location à Lectoure|Reprise lointaine|Reprise en brouillon|Reprise bientôt finie/);

    for (let i = 0; i < 6; i++) await offers.createOffer(w.ctx, staff.actor, housingInput('sale', { title: `Maison ${i}`, insee: same.insee, expiresOn: '2027-01-31' }));
    const more = await service.getCaseFile(w.ctx, staff.actor, caseId);
    assert.equal(sectionData(more, offersCaseSection).suggestions.length, offers.MAX_SUGGESTIONS);
    assert.equal(sectionData(more, offersCaseSection).suggestions[0].id, takeoverHere.id, 'the same commune comes first');
  });

  test('a job seeker who needs temporary housing is shown jobs and passerelle housing; a case without villages gets none', async () => {
    const staff = await person(['staff']);
    const { caseId } = await household({
      email: 'jo@exemple.fr',
      contactName: 'Jo Bernard',
      adults: [{ position: 1, project: 'job_search' }],
      children: [],
      needs: ['temporary_housing'],
      targetCodes: [AUCH],
    });
    const job = await offers.createOffer(w.ctx, staff.actor, jobInput({ insee: AUCH }));
    const temporary = await offers.createOffer(w.ctx, staff.actor, housingInput('temporary', { insee: AUCH }));
    await offers.createOffer(w.ctx, staff.actor, housingInput('sale', { insee: AUCH }));
    await offers.createOffer(w.ctx, staff.actor, takeoverInput({ insee: AUCH }));
    const file = await service.getCaseFile(w.ctx, staff.actor, caseId);
    assert.deepEqual(sectionData(file, offersCaseSection).suggestions.map((o) => o.id).sort(), [job.id, temporary.id].sort());

    const { caseId: nowhere } = await household({ email: 'nulle.part@exemple.fr', adults: [{ position: 1, project: 'job_search' }], targetCodes: [] });
    const none = await service.getCaseFile(w.ctx, staff.actor, nowhere);
    assert.deepEqual(sectionData(none, offersCaseSection).suggestions, []);
    assert.match((await staff.agent.get(`/admin/accueil/${nowhere}`)).body, /pas encore choisi de village/);
  });
});

describe('partners propose offers', () => {
  test('a partner’s offer waits as proposed, the team is mailed, the partner corrects it until the team publishes it', async () => {
    const staff = await person(['staff']);
    const admin = await person(['admin']);
    const partner = await person(['partner']);
    const otherPartner = await person(['partner']);
    const bad = await partner.agent.post('/partenaire/offres/nouvelle', takeoverForm({ priceMin: '200000', priceMax: '100000' }));
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /id="e-priceMax"/);
    assert.match(bad.body, /value="Boulangerie au cœur du village"/);
    const sent = await partner.agent.post('/partenaire/offres/nouvelle', takeoverForm({ publish: '1' }));
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/partenaire/offres');
    const offer = await w.ctx.db.selectFrom('offer').select(['id', 'status', 'proposed_by']).executeTakeFirstOrThrow();
    assert.deepEqual(offer, { id: offer.id, status: 'proposed', proposed_by: partner.user.id }, 'a partner cannot publish, even by sending the button’s value');
    for (const who of [staff, admin]) {
      const mails = (await mailsTo(who.user.email)).filter((m) => /Offre proposée par un partenaire/.test(m.subject));
      assert.equal(mails.length, 1);
      assert.match(mails[0].text_body, new RegExp(`/admin/offres/${offer.id}`));
    }
    assert.doesNotMatch((await new Agent(w.app).get('/offres')).body, /Boulangerie/);
    const own = await partner.agent.get('/partenaire/offres');
    assert.match(own.body, /Proposée par un partenaire/);
    assert.match(own.body, new RegExp(`href="/partenaire/offres/${offer.id}/modifier"`));
    assert.doesNotMatch((await otherPartner.agent.get('/partenaire/offres')).body, /Boulangerie/);
    assert.equal((await otherPartner.agent.get(`/partenaire/offres/${offer.id}/modifier`)).statusCode, 403);
    assert.equal((await otherPartner.agent.post(`/partenaire/offres/${offer.id}/modifier`, takeoverForm({ title: 'Piraté' }))).statusCode, 403);

    assert.equal((await partner.agent.post(`/partenaire/offres/${offer.id}/modifier`, takeoverForm({ title: 'Boulangerie-pâtisserie' }))).statusCode, 303);
    const list = await staff.agent.get('/admin/offres?statut=proposed');
    assert.match(list.body, /Boulangerie-pâtisserie/);
    const adminPage = await staff.agent.get(`/admin/offres/${offer.id}`);
    assert.match(adminPage.body, /proposée par Personne/);
    assert.equal((await staff.agent.post(`/admin/offres/${offer.id}/publier`, {})).statusCode, 303);
    assert.match((await new Agent(w.app).get('/offres')).body, /Boulangerie-pâtisserie/);
    const told = (await mailsTo(partner.user.email)).filter((m) => /Votre offre est publiée/.test(m.subject));
    assert.equal(told.length, 1, 'the partner hears that its offer is online');
    assert.match(told[0].text_body, new RegExp(`/offres/${offer.id}`));
    assert.equal((await partner.agent.get(`/partenaire/offres/${offer.id}/modifier`)).statusCode, 409, 'published: the partner asks the team');
    assert.equal(await codeOf(offers.updateProposal(w.ctx, partner.actor, offer.id, takeoverInput())), 'conflict');
  });
});

describe('partners withdraw their proposals', () => {
  test('a partner takes back its own proposal before publication; another partner, the team’s published offer and a second click change nothing', async () => {
    const staff = await person(['staff']);
    const partner = await person(['partner']);
    const otherPartner = await person(['partner']);
    assert.equal((await partner.agent.post('/partenaire/offres/nouvelle', takeoverForm())).statusCode, 303);
    const offer = await w.ctx.db.selectFrom('offer').select('id').executeTakeFirstOrThrow();
    const form = await partner.agent.get(`/partenaire/offres/${offer.id}/modifier`);
    assert.match(form.body, new RegExp(`action="/partenaire/offres/${offer.id}/retirer"`));
    assert.equal((await otherPartner.agent.post(`/partenaire/offres/${offer.id}/retirer`, {})).statusCode, 403, 'not its own');
    assert.equal(await codeOf(offers.withdrawProposal(w.ctx, staff.actor, offer.id)), 'forbidden', 'the team withdraws through its own page');
    const done = await partner.agent.post(`/partenaire/offres/${offer.id}/retirer`, {});
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/partenaire/offres');
    const row = await w.ctx.db.selectFrom('offer').select(['status', 'withdrawn_at']).where('id', '=', offer.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'withdrawn');
    assert.ok(row.withdrawn_at);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'actor_id']).where('action', '=', 'offer.withdrawn').execute();
    assert.deepEqual(audit, [{ action: 'offer.withdrawn', actor_id: partner.user.id }]);
    assert.equal((await partner.agent.post(`/partenaire/offres/${offer.id}/retirer`, {})).statusCode, 303, 'a second click is harmless');
    assert.equal((await w.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'offer.withdrawn').execute()).length, 1);

    // Once the team has published a proposal, it is the team's to withdraw.
    assert.equal((await partner.agent.post('/partenaire/offres/nouvelle', takeoverForm({ title: 'Épicerie de la place' }))).statusCode, 303);
    const second = await w.ctx.db.selectFrom('offer').select('id').where('title', '=', 'Épicerie de la place').executeTakeFirstOrThrow();
    await offers.publishOffer(w.ctx, staff.actor, second.id);
    assert.equal(await codeOf(offers.withdrawProposal(w.ctx, partner.actor, second.id)), 'conflict');
    assert.equal(await codeOf(offers.withdrawProposal(w.ctx, partner.actor, 999_999)), 'not_found');
  });
});

describe('demo offers', () => {
  test('a demo database gets one example of each kind once, listed publicly without the seller’s contact', async () => {
    await loadDemoOffers(w.ctx);
    await loadDemoOffers(w.ctx);
    const rows = await w.ctx.db.selectFrom('offer').select(['kind', 'housing_type', 'status']).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.housing_type ?? r.kind), ['takeover', 'job', 'rent', 'temporary', 'sale']);
    assert.ok(rows.every((r) => r.status === 'published'));
    const list = await new Agent(w.app).get('/offres');
    assert.match(list.body, /5 offre\(s\)/);
    assert.doesNotMatch(list.body, /cedant@demo/);
  });
});

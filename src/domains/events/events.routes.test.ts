/**
 * The events' pages, forms and API over HTTP: the agenda and its filters without JavaScript, an event's page and its
 * schema.org data, the online link kept from those without a confirmed seat, bad input answered in French with 4xx
 * (never a 500), the staff's back office and the API's problem+json.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { createUser, signedInUser } from '../../../tests/support/factories.js';
import { registrationToken } from './events.common.js';
import { eventForm, publishedEvent } from './events.testing.js';
import { seedEventTypes } from './staff/index.js';
import { loadDemoEvents } from './events.demo.js';
import { seedThirdPlaces } from '../places/index.js';
import { territoryDataDir } from '../../bootstrap.js';

const w = useTestWorld();

const signedIn = (roles: ('staff' | 'member' | 'candidate')[]) => signedInUser(w, roles);

const ldJson = (html: string) => {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the page carries JSON-LD');
  return JSON.parse(m[1]) as Record<string, unknown>;
};

describe('public pages', () => {
  test('the agenda lists published events, filters them without JavaScript and shows a month', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    await publishedEvent(w.ctx, staff.id, { titre: 'Atelier à Lectoure' });
    await publishedEvent(w.ctx, staff.id, { titre: 'Petit-déjeuner à Auch', type: 'breakfast', commune: '32013', public: 'members' });
    const visitor = new Agent(w.app);
    const all = await visitor.get('/agenda');
    assert.equal(all.statusCode, 200);
    assert.ok(all.body.includes('Atelier à Lectoure') && all.body.includes('Petit-déjeuner à Auch'));
    const filtered = await visitor.get('/agenda?type=breakfast');
    assert.ok(!filtered.body.includes('Atelier à Lectoure') && filtered.body.includes('Petit-déjeuner à Auch'));
    assert.ok(!(await visitor.get('/agenda?commune=32013')).body.includes('Atelier à Lectoure'));
    // The commune filter offers the communes where something is on (Lectoure 32208, Auch 32013), not all 458.
    const communeOptions = (html: string) => [.../<select[^>]*name="commune"[^>]*>([\s\S]*?)<\/select>/.exec(html)![1].matchAll(/<option value="(\d[\dAB]\d{3})"/g)].map((m) => m[1]);
    assert.deepEqual(communeOptions(all.body), ['32013', '32208']);
    assert.deepEqual(communeOptions((await visitor.get('/agenda?commune=32107')).body), ['32013', '32107', '32208'], 'a commune chosen stays offered');
    assert.ok(!(await visitor.get('/agenda?public=members')).body.includes('Atelier à Lectoure'));
    const month = await visitor.get('/agenda?vue=mois&mois=2026-11');
    assert.equal(month.statusCode, 200);
    assert.ok(month.body.includes('novembre 2026') && month.body.includes('Atelier à Lectoure'));
    assert.ok(!(await visitor.get('/agenda?vue=mois&mois=2027-01')).body.includes('Atelier à Lectoure'));
    // A wrong query value is ignored, never an error.
    assert.equal((await visitor.get('/agenda?vue=semaine&mois=2026-13&type=zz')).statusCode, 200);
    assert.equal((await visitor.get('/agenda?type=%00')).statusCode, 422, 'a NUL byte is refused in one place');
  });

  test('an event’s page carries schema.org Event data that the CSP allows, and hides the online link from visitors', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const ev = await publishedEvent(w.ctx, staff.id, { titre: 'Visio </script><script>alert(1)</script>', lieu: 'online', lien: 'https://visio.example.org/salle-secrete', public: 'members' });
    const visitor = new Agent(w.app);
    const page = await visitor.get(`/agenda/${ev.slug}`);
    assert.equal(page.statusCode, 200);
    const data = ldJson(page.body);
    assert.equal(data['@type'], 'Event');
    assert.equal(data.name, 'Visio </script><script>alert(1)</script>');
    assert.equal(data.startDate, new Date('2026-11-30T09:00:00Z').toISOString());
    const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    for (const [, attrs, body] of scripts) if (!/application\/ld\+json/.test(attrs)) assert.equal(body.trim(), '');
    assert.ok(!page.body.includes('salle-secrete'), 'a visitor never sees the online link');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);

    const { agent: member } = await signedIn(['member']);
    let mine = await member.get(`/agenda/${ev.slug}`);
    assert.ok(!mine.body.includes('salle-secrete'), 'not before registering');
    const res = await member.post(`/agenda/${ev.slug}/inscrire`, {});
    assert.equal(res.statusCode, 303);
    mine = await member.get(`/agenda/${ev.slug}`);
    assert.ok(mine.body.includes('https://visio.example.org/salle-secrete'), 'a confirmed member sees it');
  });

  test('past events are archived with their attendance and its source', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const ev = await publishedEvent(w.ctx, staff.id, { titre: 'Atelier passé' });
    const { agent } = await signedIn(['member']);
    await agent.post(`/agenda/${ev.slug}/inscrire`, {});
    w.clock.advance(5 * 24 * 3600 * 1000);
    w.ctx.pageCache.clear();
    const archives = await new Agent(w.app).get('/agenda/archives');
    assert.ok(archives.body.includes('Atelier passé'));
    assert.ok(archives.body.includes('1 place(s) confirmée(s) sur 20'));
    assert.ok(archives.body.includes('Source'));
    assert.ok(!(await new Agent(w.app).get('/agenda')).body.includes('Atelier passé'));
  });
});

describe('registration forms', () => {
  test('a visitor registers for a public workshop and confirms from the mail', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const ev = await publishedEvent(w.ctx, staff.id, { titre: 'Atelier compost' });
    const visitor = new Agent(w.app);
    await visitor.get(`/agenda/${ev.slug}/inscription`);
    const sent = await visitor.post(`/agenda/${ev.slug}/inscription`, { nom: 'Anne', email: 'anne@exemple.fr' });
    assert.equal(sent.statusCode, 200);
    assert.ok(sent.body.includes('Vérifiez votre messagerie'));
    const mail = await w.ctx.db.selectFrom('outbox_mail').select('text_body').where('to_address', '=', 'anne@exemple.fr').executeTakeFirstOrThrow();
    const link = /http:\/\/localhost:3000(\/agenda\/inscription\/[^\s]+)/.exec(mail.text_body)![1];
    const page = await visitor.get(link);
    assert.equal(page.statusCode, 200);
    const confirmed = await visitor.post(`${link}/confirmer`, {});
    assert.equal(confirmed.statusCode, 303);
    assert.ok((await visitor.get(link)).body.includes('Votre inscription est confirmée'));
  });

  test('bad input gets a French answer, never a 500', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const ev = await publishedEvent(w.ctx, staff.id, { places: '20', placesMax: '12' });
    const members = await publishedEvent(w.ctx, staff.id, { titre: 'Membres', public: 'members' });
    const visitor = new Agent(w.app);
    await visitor.get(`/agenda/${ev.slug}/inscription`);
    const nul = await visitor.post(`/agenda/${ev.slug}/inscription`, { nom: 'A\u0000nne', email: 'anne@exemple.fr' });
    assert.equal(nul.statusCode, 422);
    assert.ok(nul.body.includes('caractère nul'));
    const badMail = await visitor.post(`/agenda/${ev.slug}/inscription`, { nom: 'Anne', email: 'pas-une-adresse', places: '99' });
    assert.equal(badMail.statusCode, 422);
    const membersOnly = await visitor.post(`/agenda/${members.slug}/inscription`, { nom: 'Anne', email: 'anne@exemple.fr' });
    assert.equal(membersOnly.statusCode, 403);
    assert.ok(membersOnly.body.includes('réservé aux membres'));

    const { agent: a } = await signedIn(['member']);
    await a.get(`/agenda/${ev.slug}`);
    await a.post(`/agenda/${ev.slug}/inscrire`, { places: '12' });
    const { agent: b } = await signedIn(['member']);
    await b.get(`/agenda/${ev.slug}`);
    await b.post(`/agenda/${ev.slug}/inscrire`, { places: '5' });
    const { agent: c } = await signedIn(['member']);
    await c.get(`/agenda/${ev.slug}`);
    const tooMany = await c.post(`/agenda/${ev.slug}/inscrire`, { places: '12' });
    assert.equal(tooMany.statusCode, 409);
    assert.ok(tooMany.body.includes('Il ne reste que 3 place(s)'));

    // After the deadline.
    w.clock.advance(4 * 24 * 3600 * 1000);
    const late = await c.post(`/agenda/${ev.slug}/inscrire`, { places: '1' });
    assert.equal(late.statusCode, 409);
    assert.ok(late.body.includes('inscriptions à cet événement sont closes'));

    // A forged or broken link, an unknown event.
    const forged = await visitor.get(`/agenda/inscription/00000000-0000-4000-8000-000000000000/${'a'.repeat(43)}`);
    assert.equal(forged.statusCode, 404);
    assert.equal((await visitor.get('/agenda/inscription/pas-un-id/x')).statusCode, 404);
    assert.equal((await visitor.get('/agenda/n-existe-pas')).statusCode, 404);
    assert.equal((await visitor.get('/agenda/%00')).statusCode, 422);
  });

  test('a claim link used twice answers that the seat is already claimed', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const ev = await publishedEvent(w.ctx, staff.id, { places: '1' });
    const { agent: a } = await signedIn(['member']);
    const { agent: b, user: bUser } = await signedIn(['member']);
    await a.get(`/agenda/${ev.slug}`);
    await a.post(`/agenda/${ev.slug}/inscrire`, {});
    await b.get(`/agenda/${ev.slug}`);
    await b.post(`/agenda/${ev.slug}/inscrire`, {});
    const mine = await a.get('/compte/inscriptions');
    const id = /\/compte\/inscriptions\/([0-9a-f-]{36})\/annuler/.exec(mine.body)![1];
    assert.equal((await a.post(`/compte/inscriptions/${id}/annuler`, {})).statusCode, 303);
    const bReg = await w.ctx.db.selectFrom('event_registration').select('id').where('user_id', '=', bUser.id).executeTakeFirstOrThrow();
    const link = `/agenda/inscription/${bReg.id}/${registrationToken(w.ctx, bReg.id)}`;
    assert.equal((await b.post(`${link}/accepter`, {})).statusCode, 303);
    const twice = await b.post(`${link}/accepter`, {});
    assert.equal(twice.statusCode, 409);
    assert.ok(twice.body.includes('déjà été acceptée'));
  });
});

describe('the team’s agenda', () => {
  test('staff create an event, are told about an end before the start and a NUL byte, publish, export the registrants', async () => {
    await seedEventTypes(w.ctx.db, w.ctx.territory.id);
    const { agent } = await signedIn(['staff']);
    await agent.get('/admin/agenda/nouveau');
    const backwards = await agent.post('/admin/agenda/nouveau', eventForm(w.ctx, { debut: '2026-12-10T10:00', fin: '2026-12-10T09:00' }));
    assert.equal(backwards.statusCode, 422);
    assert.ok(backwards.body.includes('La fin doit venir après le début'));
    const impossible = await agent.post('/admin/agenda/nouveau', eventForm(w.ctx, { debut: '2026-02-31T10:00' }));
    assert.equal(impossible.statusCode, 422);
    assert.ok(impossible.body.includes('Cette date n’existe pas'));
    const nul = await agent.post('/admin/agenda/nouveau', eventForm(w.ctx, { titre: 'Atelier\u0000' }));
    assert.equal(nul.statusCode, 422);
    const created = await agent.post('/admin/agenda/nouveau', eventForm(w.ctx, { titre: 'Atelier vélo' }));
    assert.equal(created.statusCode, 303);
    const path = String(created.headers.location);
    const id = Number(/\/admin\/agenda\/(\d+)$/.exec(path)![1]);
    assert.equal((await agent.post(`${path}/publier`, {})).statusCode, 303);
    const { agent: member } = await signedIn(['member']);
    const slug = (await w.ctx.db.selectFrom('event').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
    await member.get(`/agenda/${slug}`);
    await member.post(`/agenda/${slug}/inscrire`, {});
    const csv = await agent.get(`${path}/inscrits.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.ok(csv.body.startsWith('\uFEFF"Nom";"Courriel"'));
    assert.ok(csv.body.includes('"Confirmée"'));
    const dup = await agent.post(`${path}/dupliquer`, {});
    assert.equal(dup.statusCode, 303);
    const cancelled = await agent.post(`${path}/annuler`, {});
    assert.equal(cancelled.statusCode, 303);
    const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', 'like', 'event%').execute();
    for (const action of ['event.created', 'event.published', 'event.registrants_exported', 'event.duplicated', 'event.cancelled']) assert.ok(audit.some((a) => a.action === action), action);
  });

  test('a member cannot open the team’s agenda', async () => {
    const { agent } = await signedIn(['member']);
    assert.equal((await agent.get('/admin/agenda')).statusCode, 403);
  });
});

describe('the API', () => {
  test('lists and reads events, registers and cancels a signed-in account, answers problem+json', async () => {
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const ev = await publishedEvent(w.ctx, staff.id, { titre: 'Atelier API', lieu: 'online', lien: 'https://visio.example.org/api-secret' });
    const list = await w.app.inject({ url: '/api/v1/agenda' });
    assert.equal(list.statusCode, 200);
    const items = (list.json() as { items: { slug: string }[] }).items;
    assert.deepEqual(items.map((i) => i.slug), [ev.slug]);
    assert.ok(!list.body.includes('api-secret'));
    const one = await w.app.inject({ url: `/api/v1/agenda/${ev.slug}` });
    assert.equal(one.statusCode, 200);
    const missing = await w.app.inject({ url: '/api/v1/agenda/inconnu' });
    assert.equal(missing.statusCode, 404);
    assert.match(String(missing.headers['content-type']), /problem\+json/);
    const anonymousPost = await w.app.inject({ method: 'POST', url: `/api/v1/agenda/${ev.slug}/inscription`, payload: { seats: 1 } });
    assert.ok([401, 403].includes(anonymousPost.statusCode));
    assert.match(String(anonymousPost.headers['content-type']), /problem\+json/);

    const { agent } = await signedIn(['member']);
    const page = await agent.get('/compte/inscriptions');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const cookie = `sid=${agent.cookie('sid')}; csrf=${agent.cookie('csrf')}`;
    const reg = await w.app.inject({ method: 'POST', url: `/api/v1/agenda/${ev.slug}/inscription`, headers: { cookie, 'x-csrf-token': token }, payload: { seats: 1 } });
    assert.equal(reg.statusCode, 201);
    assert.equal((reg.json() as { status: string }).status, 'confirmed');
    const again = await w.app.inject({ method: 'POST', url: `/api/v1/agenda/${ev.slug}/inscription`, headers: { cookie, 'x-csrf-token': token }, payload: { seats: 1 } });
    assert.equal(again.statusCode, 200);
    const bad = await w.app.inject({ method: 'POST', url: `/api/v1/agenda/${ev.slug}/inscription`, headers: { cookie, 'x-csrf-token': token }, payload: { seats: 0 } });
    assert.equal(bad.statusCode, 422);
    assert.match(String(bad.headers['content-type']), /problem\+json/);
    const del = await w.app.inject({ method: 'DELETE', url: `/api/v1/agenda/${ev.slug}/inscription`, headers: { cookie, 'x-csrf-token': token } });
    assert.equal(del.statusCode, 204);
    const openapi = await w.app.inject({ url: '/api/openapi.json' });
    assert.equal(openapi.statusCode, 200);
    assert.ok(openapi.body.includes('/agenda/{slug}/inscription'), 'the registration is in the OpenAPI document');
  });
});

describe('the demo', () => {
  test('loads a dozen events at La Dynamo and in villages, one full with a waiting list, once', async () => {
    await seedThirdPlaces(w.ctx.db, w.ctx.territory.id, territoryDataDir(w.ctx.territory.slug), w.clock.now());
    for (const email of ['solo@demo.soho-solo.fr', 'visiteur@demo.soho-solo.fr', 'accueil@demo.soho-solo.fr']) await createUser(w.ctx, { email });
    await loadDemoEvents(w.ctx);
    await loadDemoEvents(w.ctx);
    const events = await w.ctx.db.selectFrom('event').select(['id', 'capacity', 'place_kind', 'status']).execute();
    assert.equal(events.length, 12);
    assert.ok(events.every((e) => e.status === 'published'));
    assert.ok(events.filter((e) => e.place_kind === 'third_place').length >= 4, 'several at La Dynamo');
    const full = await w.ctx.db.selectFrom('event_registration').select(['event_id', 'status', 'seats']).execute();
    const waiting = full.filter((r) => r.status === 'waiting');
    assert.equal(waiting.length, 2);
    const fullEvent = events.find((e) => e.id === waiting[0].event_id)!;
    assert.equal(full.filter((r) => r.event_id === fullEvent.id && r.status === 'confirmed').reduce((n, r) => n + r.seats, 0), fullEvent.capacity);
  });
});

/**
 * Booking over HTTP: the pages work without JavaScript (plain links and forms), bad input comes back as a French
 * message with the person's values (422/409, never 500), the API answers problem+json, and the back office's
 * resource form keeps what was typed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { tFor } from '../../../web/i18n/index.js';
import { addThirdPlace, makeResource, roomInput } from '../bookings.testing.js';

const w = useTestWorld();
const fr = tFor('fr');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

async function setup() {
  w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const staffUser = await createUser(w.ctx, { roles: ['space_manager'] });
  const staff = actorFor(w.ctx, staffUser, ['space_manager']);
  const room = await makeResource(w.ctx, staff, roomInput(placeId));
  const open = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'salle-ouverte', name: 'Salle ouverte', audience: 'visitors' }));
  const memberUser = await createUser(w.ctx, { roles: ['member'] });
  const member = new Agent(w.app);
  await member.login(memberUser.email, memberUser.password);
  return { placeId, staffUser, room, open, memberUser, member };
}

describe('pages', () => {
  test('the list and the grid are plain HTML: each free slot is a link to its booking form', async () => {
    const { room } = await setup();
    const list = await w.app.inject({ url: '/reservations' });
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(`href="/reservations/${room.slug}"`));
    const grid = await w.app.inject({ url: `/reservations/${room.slug}?date=2026-12-01` });
    assert.equal(grid.statusCode, 200);
    assert.match(grid.body, /<table/);
    // Anonymous visitors see the slots of a members-only room, without links, and are asked to sign in.
    assert.ok(!grid.body.includes('/reserver?date=2026-12-01&amp;debut=10:00'));
    assert.ok(grid.body.includes(esc(fr('bookings.grid.signInToBook'))));
    const week = await w.app.inject({ url: `/reservations/${room.slug}?date=2026-12-01&vue=semaine` });
    assert.equal(week.statusCode, 200);
    assert.ok(week.body.includes(esc(fr('bookings.grid.weekTitle'))));
    const missing = await w.app.inject({ url: '/reservations/pas-une-salle' });
    assert.equal(missing.statusCode, 404);
    assert.ok(missing.body.includes(esc(fr('bookings.errors.resourceNotFound'))));
    const odd = await w.app.inject({ url: `/reservations/${room.slug}?date=2026-02-31&vue=zzz` });
    assert.equal(odd.statusCode, 200);
    // A NUL byte is refused for the whole request, in one place (the form parser), never reaching the page.
    assert.equal((await w.app.inject({ url: `/reservations/${room.slug}?vue=%00` })).statusCode, 422);
  });

  test('a member books from the form, finds it in "my bookings" and cancels it', async () => {
    const { room, member } = await setup();
    const grid = await member.get(`/reservations/${room.slug}?date=2026-12-01`);
    assert.ok(grid.body.includes(`/reservations/${room.slug}/reserver?date=2026-12-01&amp;debut=10:00`));
    const form = await member.get(`/reservations/${room.slug}/reserver?date=2026-12-01&debut=10:00`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<option value="12:00"/);
    const res = await member.post(`/reservations/${room.slug}/reserver`, { date: '2026-12-01', debut: '10:00', fin: '12:00', note: '' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/compte/reservations');
    const mine = await member.get('/compte/reservations');
    assert.ok(mine.body.includes(room.name));
    const id = /\/compte\/reservations\/([0-9a-f-]{36})\/annuler/.exec(mine.body)![1];
    const cancel = await member.post(`/compte/reservations/${id}/annuler`, {});
    assert.equal(cancel.statusCode, 303);
    assert.ok(!(await member.get('/compte/reservations')).body.includes(`/compte/reservations/${id}/annuler`));
  });

  test('bad input comes back with a French message and the typed values, never a 500', async () => {
    const { room, member } = await setup();
    const post = (fields: Record<string, string>) => member.post(`/reservations/${room.slug}/reserver`, { date: '2026-12-01', debut: '10:00', fin: '12:00', note: '', ...fields });
    const cases: [Record<string, string>, number, string][] = [
      [{ note: 'bonjour\u0000' }, 422, 'errors.nul_field'],
      [{ date: '2026-02-31' }, 422, 'bookings.form.date'],
      [{ debut: '25:00' }, 422, 'bookings.form.time'],
      [{ debut: '7:00' }, 422, 'bookings.form.time'],
      [{ debut: '07:00', fin: '09:00' }, 422, 'bookings.errors.outsideHours'],
      [{ date: '2026-12-25' }, 422, 'bookings.errors.holiday'],
      [{ fin: '10:30' }, 422, 'bookings.errors.tooShort'],
      [{ date: '2026-11-27' }, 422, 'bookings.errors.past'],
      [{ date: '2027-06-01' }, 422, 'bookings.errors.beyondHorizon'],
    ];
    for (const [fields, status, key] of cases) {
      const res = await post(fields);
      assert.equal(res.statusCode, status, `${JSON.stringify(fields)} → ${res.statusCode}`);
      assert.ok(res.body.includes(esc(fr(key))), `${JSON.stringify(fields)} says ${key}`);
    }
    assert.equal((await post({})).statusCode, 303);
    const taken = await post({ debut: '11:00', fin: '13:00', note: 'réunion' });
    assert.equal(taken.statusCode, 409);
    assert.ok(taken.body.includes(esc(fr('bookings.errors.taken'))));
    assert.ok(taken.body.includes(esc(fr('bookings.alternatives.title'))));
    assert.ok(taken.body.includes('réunion'), 'the note typed is kept');
  });

  test('another person’s booking, or a forged id, answers not found', async () => {
    const { room, member } = await setup();
    await member.post(`/reservations/${room.slug}/reserver`, { date: '2026-12-01', debut: '10:00', fin: '12:00', note: '' });
    const id = /\/compte\/reservations\/([0-9a-f-]{36})\/annuler/.exec((await member.get('/compte/reservations')).body)![1];
    const otherUser = await createUser(w.ctx, { roles: ['member'] });
    const other = new Agent(w.app);
    await other.login(otherUser.email, otherUser.password);
    assert.equal((await other.post(`/compte/reservations/${id}/annuler`, {})).statusCode, 404);
    assert.equal((await other.post('/compte/reservations/pas-un-id/annuler', {})).statusCode, 404);
    assert.equal((await other.post(`/admin/reservations/${id}/annuler`, {})).statusCode, 403);
  });

  test('a visitor books a room open to visitors, is mailed a link and confirms it', async () => {
    const { open } = await setup();
    const visitor = new Agent(w.app);
    await visitor.get(`/reservations/${open.slug}/reserver?date=2026-12-01&debut=10:00`);
    const bad = await visitor.post(`/reservations/${open.slug}/reserver`, { date: '2026-12-01', debut: '10:00', fin: '12:00', nom: '', email: 'pas-une-adresse' });
    assert.equal(bad.statusCode, 422);
    const res = await visitor.post(`/reservations/${open.slug}/reserver`, { date: '2026-12-01', debut: '10:00', fin: '12:00', nom: 'Inès Laffitte', email: 'ines@exemple.fr' });
    assert.equal(res.statusCode, 303);
    const mail = await w.ctx.db.selectFrom('outbox_mail').select('text_body').where('to_address', '=', 'ines@exemple.fr').executeTakeFirstOrThrow();
    const path = /http:\/\/localhost:3000(\/reservations\/confirmation\/\S+)/.exec(mail.text_body)![1];
    const page = await visitor.get(path);
    assert.equal(page.statusCode, 200);
    const done = await visitor.post(path, {});
    assert.equal(done.statusCode, 303);
    assert.equal((await w.ctx.db.selectFrom('booking').select('status').executeTakeFirstOrThrow()).status, 'confirmed');
    assert.equal((await visitor.get('/reservations/confirmation/nimportequoi')).statusCode, 404);
  });
});

describe('API', () => {
  test('resources and availability are public JSON; a bad range is a problem+json', async () => {
    const { room } = await setup();
    const list = await w.app.inject({ url: '/api/v1/reservations/ressources' });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().items.some((r: { id: number }) => r.id === room.id));
    const avail = await w.app.inject({ url: `/api/v1/reservations/ressources/${room.id}/disponibilites?from=2026-12-01&to=2026-12-07` });
    assert.equal(avail.statusCode, 200);
    const days = avail.json().days as { day: string; slots: { state: string }[] }[];
    assert.equal(days.length, 7);
    assert.equal(days[0].slots.length, 18);
    const bad = await w.app.inject({ url: `/api/v1/reservations/ressources/${room.id}/disponibilites?from=2026-12-01&to=2027-03-01` });
    assert.equal(bad.statusCode, 422);
    assert.match(String(bad.headers['content-type']), /problem\+json/);
    const forged = await w.app.inject({ url: '/api/v1/reservations/ressources/999999/disponibilites?from=2026-12-01&to=2026-12-02' });
    assert.equal(forged.statusCode, 404);
    assert.equal(forged.json().title, fr('bookings.errors.resourceNotFound'));
    const spec = (await w.app.inject({ url: '/api/openapi.json' })).json();
    assert.ok(spec.paths['/api/v1/reservations']?.post);
    assert.ok(spec.paths['/api/v1/reservations/ressources/{id}/disponibilites']?.get);
  });

  test('booking through the API needs a session and JSON; a taken slot answers 409 with the nearest free ones', async () => {
    const { room, member } = await setup();
    const body = JSON.stringify({ resourceId: room.id, start: '2026-12-01T10:00:00+01:00', end: '2026-12-01T12:00:00+01:00' });
    const anon = await w.app.inject({ method: 'POST', url: '/api/v1/reservations', payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(anon.statusCode, 401);
    assert.match(String(anon.headers['content-type']), /problem\+json/);
    const cookie = `sid=${member.cookie('sid')}`;
    const call = (payload: string, type = 'application/json') => w.app.inject({ method: 'POST', url: '/api/v1/reservations', payload, headers: { 'content-type': type, cookie } });
    const form = await call(`resourceId=${room.id}`, 'application/x-www-form-urlencoded');
    assert.equal(form.statusCode, 422);
    const ok = await call(body);
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().status, 'confirmed');
    const again = await call(body);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().title, fr('bookings.errors.taken'));
    assert.ok(again.json().alternatives.length > 0);
    assert.equal((await call(JSON.stringify({ resourceId: 424242, start: '2026-12-01T10:00:00+01:00', end: '2026-12-01T12:00:00+01:00' }))).statusCode, 404);
    assert.equal((await call(JSON.stringify({ resourceId: room.id, start: 'demain', end: '2026-12-01T12:00:00+01:00' }))).statusCode, 422);
    assert.equal((await call(JSON.stringify({ resourceId: room.id, start: '2026-12-02T10:00:00+01:00', end: '2026-12-02T12:00:00+01:00', note: 'a\u0000b' }))).statusCode, 422);
    const cancel = await w.app.inject({ method: 'POST', url: `/api/v1/reservations/${ok.json().id}/annulation`, payload: '{}', headers: { 'content-type': 'application/json', cookie } });
    assert.equal(cancel.statusCode, 200);
    assert.equal(cancel.json().status, 'cancelled');
  });
});

describe('the back office', () => {
  test('a space manager creates a resource; a wrong form comes back with the typed values and a message per field', async () => {
    const { placeId, staffUser } = await setup();
    const staff = new Agent(w.app);
    await staff.login(staffUser.email, staffUser.password);
    assert.equal((await staff.get('/admin/reservations')).statusCode, 200);
    assert.equal((await staff.get('/admin/reservations/ressources/nouvelle')).statusCode, 200);
    const fields = {
      name: 'Studio Son',
      slug: '',
      kind: 'studio',
      placeId: String(placeId),
      parentId: '',
      capacity: '1',
      description: 'Un studio',
      equipment: '',
      hours_1: '9h-12h, 14h-18h',
      hours_2: '',
      hours_3: '',
      hours_4: '',
      hours_5: '',
      hours_6: '',
      hours_7: '',
      slotMinutes: '60',
      minMinutes: '60',
      maxMinutes: '240',
      memberHorizonDays: '60',
      visitorHorizonDays: '14',
      noticeHours: '2',
      cancelHours: '48',
      price_memberHour: '12,50',
      audience: 'members',
      active: '1',
    };
    const bad = await staff.post('/admin/reservations/ressources/nouvelle', { ...fields, minMinutes: '90', hours_2: '18h-9h', price_hour: 'gratuit' });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes(esc(fr('bookings.form.multipleOfStep'))));
    assert.ok(bad.body.includes(esc(fr('bookings.form.price'))));
    assert.ok(bad.body.includes('value="Studio Son"'));
    const ok = await staff.post('/admin/reservations/ressources/nouvelle', fields);
    assert.equal(ok.statusCode, 303);
    const page = await staff.get(String(ok.headers.location));
    assert.ok(page.body.includes('value="12,50"'));
    assert.ok(page.body.includes('value="studio-son"'));
    const grid = await w.app.inject({ url: '/reservations/studio-son?date=2026-12-07' });
    assert.equal(grid.statusCode, 200);
    assert.match(grid.body, /12,50/);
  });
});

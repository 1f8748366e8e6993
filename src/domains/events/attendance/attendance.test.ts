/**
 * Attendance: the door list without JavaScript (search, tick, walk-in), the check-in QR code's page (the team ticks,
 * others see nothing, a forged token is refused), attendance in the archives, and the figures with their CSV.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser, signedInUser } from '../../../../tests/support/factories.js';
import { DAY } from '../../../shared/time.js';
import { checkinToken, registrationToken } from '../events.common.js';
import { publishedEvent } from '../events.testing.js';
import { registerForEvent } from '../registrations/index.js';

const w = useTestWorld();

const signedIn = (roles: ('staff' | 'member')[]) => signedInUser(w, roles);

async function eventWithTwo() {
  const { user: staff, agent } = await signedIn(['staff']);
  const ev = await publishedEvent(w.ctx, staff.id, { titre: 'Petit-déjeuner' });
  const ids: string[] = [];
  for (const name of ['Élodie Martin', 'Bruno Petit']) {
    const m = await createUser(w.ctx, { roles: ['member'], name });
    ids.push((await registerForEvent(w.ctx, actorFor(w.ctx, m, ['member']), ev.slug, { seats: 1 })).registrationId);
  }
  return { staff, agent, ev, ids };
}

const attendanceOf = (id: string) => w.ctx.db.selectFrom('event_registration').select(['attendance', 'attendance_by', 'attendance_at', 'status']).where('id', '=', id).executeTakeFirstOrThrow();

describe('the door list', () => {
  test('staff search by name without accents, tick present and absent, and add a walk-in with or without an address', async () => {
    const { staff, agent, ev, ids } = await eventWithTwo();
    const list = await agent.get(`/admin/agenda/${ev.id}/porte`);
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes('Élodie Martin') && list.body.includes('Bruno Petit'));
    const found = await agent.get(`/admin/agenda/${ev.id}/porte?q=elodie`);
    assert.ok(found.body.includes('Élodie Martin') && !found.body.includes('Bruno Petit'));
    assert.equal((await agent.get(`/admin/agenda/${ev.id}/porte?q=%25`)).statusCode, 200, 'a wildcard is a plain character');

    const ticked = await agent.post(`/admin/agenda/${ev.id}/porte/${ids[0]}`, { presence: 'present', q: 'elodie' });
    assert.equal(ticked.statusCode, 303);
    assert.match(String(ticked.headers.location), /porte\?q=elodie#r-/);
    const a = await attendanceOf(ids[0]);
    assert.equal(a.attendance, 'present');
    assert.equal(a.attendance_by, staff.id);
    assert.ok(a.attendance_at);
    await agent.post(`/admin/agenda/${ev.id}/porte/${ids[1]}`, { presence: 'absent' });
    assert.equal((await attendanceOf(ids[1])).attendance, 'absent');
    assert.equal((await agent.post(`/admin/agenda/${ev.id}/porte/${ids[1]}`, { presence: 'peut-être' })).statusCode, 422);

    assert.equal((await agent.post(`/admin/agenda/${ev.id}/porte/sur-place`, { nom: 'Chloé' })).statusCode, 303);
    assert.equal((await agent.post(`/admin/agenda/${ev.id}/porte/sur-place`, { nom: 'Denis', email: 'denis@exemple.fr' })).statusCode, 303);
    const bad = await agent.post(`/admin/agenda/${ev.id}/porte/sur-place`, { nom: '', email: 'pas-une-adresse' });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes('id="walkin-e-nom"') && bad.body.includes('id="walkin-e-email"'));
    const walkIns = await w.ctx.db.selectFrom('event_registration').select(['name', 'email', 'status', 'attendance']).where('status', '=', 'walk_in').orderBy('name').execute();
    assert.deepEqual(walkIns.map((r) => [r.name, r.email, r.attendance]), [['Chloé', null, 'walk_in'], ['Denis', 'denis@exemple.fr', 'walk_in']]);
    const page = await agent.get(`/admin/agenda/${ev.id}/porte`);
    assert.ok(page.body.includes('3 présent(s) sur 2 place(s) confirmée(s)'));
    // A walk-in holds no seat: the event still shows its 2 seats taken.
    const taken = await w.ctx.db.selectFrom('event_registration').select(({ fn }) => fn.sum<number>('seats').as('n')).where('event_id', '=', ev.id).where('status', 'in', ['confirmed', 'offered']).executeTakeFirstOrThrow();
    assert.equal(Number(taken.n), 2);
  });

  test('members and visitors cannot open or post to the door list', async () => {
    const { ev, ids } = await eventWithTwo();
    const { agent: member } = await signedIn(['member']);
    assert.equal((await member.get(`/admin/agenda/${ev.id}/porte`)).statusCode, 403);
    assert.equal((await member.post(`/admin/agenda/${ev.id}/porte/${ids[0]}`, { presence: 'present' })).statusCode, 403);
    assert.equal((await member.post(`/admin/agenda/${ev.id}/porte/sur-place`, { nom: 'X' })).statusCode, 403);
    const visitor = await new Agent(w.app).get(`/admin/agenda/${ev.id}/porte`);
    assert.ok([302, 303, 401].includes(visitor.statusCode));
    assert.equal((await attendanceOf(ids[0])).attendance, null);
  });
});

describe('the check-in QR code', () => {
  test('the registration page shows it; staff who scan it tick the person present; others see a harmless page; a forged token is refused', async () => {
    const { agent: staff, ids } = await eventWithTwo();
    const mine = await new Agent(w.app).get(`/agenda/inscription/${ids[0]}/${registrationToken(w.ctx, ids[0])}`);
    assert.ok(mine.body.includes('<svg'), 'the QR code is on the registration page');
    const mail = await w.ctx.db.selectFrom('outbox_mail').select('text_body').where('subject', 'like', 'Inscription confirmée%').orderBy('created_at').executeTakeFirstOrThrow();
    assert.ok(mail.text_body.includes(`/agenda/accueil/${ids[0]}/${checkinToken(w.ctx, ids[0])}`), 'and its link in the confirmation mail');

    const path = `/agenda/accueil/${ids[0]}/${checkinToken(w.ctx, ids[0])}`;
    const anonymousPage = await new Agent(w.app).get(path);
    assert.equal(anonymousPage.statusCode, 200);
    assert.ok(!anonymousPage.body.includes('Élodie') && !anonymousPage.body.includes('Petit-déjeuner'));
    const { agent: member } = await signedIn(['member']);
    assert.ok(!(await member.get(path)).body.includes('Élodie'));
    assert.equal((await member.post(path, {})).statusCode, 403);

    const forged = `/agenda/accueil/${ids[0]}/${checkinToken(w.ctx, ids[1])}`;
    assert.equal((await staff.get(forged)).statusCode, 404);
    assert.equal((await staff.post(forged, {})).statusCode, 404);
    assert.equal((await staff.get(`/agenda/accueil/${ids[0]}/${registrationToken(w.ctx, ids[0])}`)).statusCode, 404, 'the registration link is not a check-in token');
    assert.equal((await staff.get('/agenda/accueil/pas-un-id/xyz')).statusCode, 404);

    const staffPage = await staff.get(path);
    assert.ok(staffPage.body.includes('Élodie Martin'));
    assert.equal((await staff.post(path, {})).statusCode, 303);
    assert.equal((await attendanceOf(ids[0])).attendance, 'present');
  });
});

describe('attendance figures', () => {
  test('archives and figures count people present where the door list was used, per event, type and month, with their source and a CSV', async () => {
    const { agent, ev, ids } = await eventWithTwo();
    await agent.post(`/admin/agenda/${ev.id}/porte/${ids[0]}`, { presence: 'present' });
    await agent.post(`/admin/agenda/${ev.id}/porte/sur-place`, { nom: 'Chloé' });
    const { user: staff2 } = await signedIn(['staff']);
    await publishedEvent(w.ctx, staff2.id, { titre: 'Atelier sans pointage', type: 'breakfast' });
    w.clock.advance(5 * DAY);
    w.ctx.pageCache.clear();
    const archives = await new Agent(w.app).get('/agenda/archives');
    assert.ok(archives.body.includes('2 personne(s) présente(s) (pointage à la porte)'));
    assert.ok(archives.body.includes('0 place(s) confirmée(s) sur 20'));

    const page = await agent.get('/admin/agenda/chiffres');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Source : registres du programme'));
    assert.ok(page.body.includes('non pointé'));
    assert.equal((await agent.get('/admin/agenda/chiffres?de=2026-13&a=zz')).statusCode, 200, 'a wrong period is ignored');
    const csv = await agent.get('/admin/agenda/chiffres.csv?de=2026-11&a=2026-12');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.body.split('\r\n');
    assert.ok(lines[0].includes('Présents'));
    assert.ok(lines.some((l) => l.startsWith('"Petit-déjeuner";') && l.endsWith('"2";"oui";"2";"1"')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('"Atelier sans pointage";') && l.includes('"non"')));
    assert.ok(lines.some((l) => l.startsWith('"Source : registres du programme')));
    const { agent: member } = await signedIn(['member']);
    assert.equal((await member.get('/admin/agenda/chiffres')).statusCode, 403);
    assert.equal((await member.get('/admin/agenda/chiffres.csv')).statusCode, 403);
  });
});

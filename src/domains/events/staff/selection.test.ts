import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { isPostgresRun, useTestWorld } from '../../../../tests/support/context.js';
import { anonymous } from '../../../context.js';
import { publishedEvent, staffActor } from '../events.testing.js';
import { registerForEvent, cancelOwnRegistration } from '../registrations/index.js';
import { decideRegistration, getEventForStaff } from './index.js';

const w = useTestWorld();

const registrations = (eventId: number) =>
  w.ctx.db.selectFrom('event_registration').selectAll().where('event_id', '=', eventId).orderBy('queue_position').orderBy('created_at').execute();
const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'attachments']).where('to_address', '=', to).orderBy('created_at').execute();

async function selectionEvent(places = '3') {
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  const event = await publishedEvent(w.ctx, staff.id, { modeInscription: 'selection', places, titre: 'Atelier sur candidature' });
  return { staff: staffActor(w.ctx, staff.id), staffUser: staff, event };
}

async function applicant() {
  const u = await createUser(w.ctx, { roles: ['member'] });
  const actor = actorFor(w.ctx, u, ['member']);
  return { ...u, actor };
}

describe('selection mode', () => {
  test('applying holds no seat; the team selects up to the capacity, the rest wait or are declined', async () => {
    const { staff, event } = await selectionEvent('2');
    const people = [await applicant(), await applicant(), await applicant(), await applicant()];
    for (const p of people) assert.equal((await registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 })).status, 'applied');
    const again = await registerForEvent(w.ctx, people[0].actor, event.slug, { seats: 1 });
    assert.equal(again.created, false, 'applying twice returns the first application');
    let rows = await registrations(event.id);
    assert.deepEqual(rows.map((r) => r.status), ['applied', 'applied', 'applied', 'applied']);
    assert.deepEqual(rows.map((r) => r.queue_position), [1, 2, 3, 4], 'arrival order is kept');

    await decideRegistration(w.ctx, staff, event.id, rows[0].id, 'selected');
    await decideRegistration(w.ctx, staff, event.id, rows[2].id, 'selected');
    const full = await decideRegistration(w.ctx, staff, event.id, rows[1].id, 'selected').catch((e: unknown) => e as { message: string; params?: Record<string, unknown> });
    assert.equal((full as { message: string }).message, 'events.selection.full', 'never over capacity');
    await decideRegistration(w.ctx, staff, event.id, rows[1].id, 'waiting');
    await decideRegistration(w.ctx, staff, event.id, rows[3].id, 'declined');
    rows = await registrations(event.id);
    assert.deepEqual(rows.map((r) => r.status), ['confirmed', 'waiting', 'confirmed', 'declined']);
    assert.ok(rows.every((r) => r.decided_at), 'each decision is dated');

    // A selected person who withdraws frees the seat; nothing is offered by itself, the team selects someone.
    await cancelOwnRegistration(w.ctx, people[0].actor, rows[0].id);
    assert.equal((await registrations(event.id))[1].status, 'waiting', 'no automatic offer in selection mode');
    await decideRegistration(w.ctx, staff, event.id, rows[1].id, 'selected');
    const page = await getEventForStaff(w.ctx, staff, event.id);
    assert.equal(page.event.taken, 2);
  });

  test('each decision is mailed once, when the state changes; the selection carries the event as .ics', async () => {
    const { staff, event } = await selectionEvent('1');
    const [a, b] = [await applicant(), await applicant()];
    await registerForEvent(w.ctx, a.actor, event.slug, { seats: 1 });
    await registerForEvent(w.ctx, b.actor, event.slug, { seats: 1 });
    const [ra, rb] = await registrations(event.id);
    assert.deepEqual((await mailsTo(a.email)).map((m) => m.subject), ['Candidature reçue : Atelier sur candidature']);

    assert.deepEqual(await decideRegistration(w.ctx, staff, event.id, ra.id, 'selected'), { changed: true });
    assert.deepEqual(await decideRegistration(w.ctx, staff, event.id, ra.id, 'selected'), { changed: false });
    await decideRegistration(w.ctx, staff, event.id, rb.id, 'waiting');
    await decideRegistration(w.ctx, staff, event.id, rb.id, 'waiting');
    await decideRegistration(w.ctx, staff, event.id, rb.id, 'declined');
    const toA = await mailsTo(a.email);
    assert.deepEqual(toA.map((m) => m.subject), ['Candidature reçue : Atelier sur candidature', 'Vous êtes sélectionné·e : Atelier sur candidature']);
    assert.equal(toA[1].attachments.length, 1);
    assert.deepEqual((await mailsTo(b.email)).map((m) => m.subject), ['Candidature reçue : Atelier sur candidature', 'Liste d’attente : Atelier sur candidature', 'Votre candidature : Atelier sur candidature']);
  });

  test('only the welcome team and admins decide; members, candidates, partners and visitors are refused', async () => {
    const { event } = await selectionEvent();
    const p = await applicant();
    await registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 });
    const [r] = await registrations(event.id);
    for (const role of ['member', 'candidate', 'partner'] as const) {
      const u = await createUser(w.ctx, { roles: [role] });
      assert.equal(await codeOf(decideRegistration(w.ctx, actorFor(w.ctx, u, [role]), event.id, r.id, 'selected')), 'forbidden', role);
    }
    assert.equal(await codeOf(decideRegistration(w.ctx, anonymous(w.ctx.territory.id), event.id, r.id, 'selected')), 'unauthenticated');
    const admin = await createUser(w.ctx, { roles: ['admin'] });
    assert.deepEqual(await decideRegistration(w.ctx, actorFor(w.ctx, admin, ['admin']), event.id, r.id, 'selected'), { changed: true });
    // A first-come event takes no decisions.
    const staff = await createUser(w.ctx, { roles: ['staff'] });
    const plain = await publishedEvent(w.ctx, staff.id, { titre: 'Atelier libre' });
    const q = await applicant();
    await registerForEvent(w.ctx, q.actor, plain.slug, { seats: 1 });
    const [rq] = await registrations(plain.id);
    assert.equal(await codeOf(decideRegistration(w.ctx, staffActor(w.ctx, staff.id), plain.id, rq.id, 'declined')), 'conflict');
  });

  test('the staff page lists the applications with a decision per person; a decision through the form redirects', async () => {
    const { staffUser, event } = await selectionEvent();
    const p = await applicant();
    await registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 });
    const [r] = await registrations(event.id);
    const agent = new Agent(w.app);
    await agent.login(staffUser.email, staffUser.password);
    const page = await agent.get(`/admin/agenda/${event.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Candidatures/);
    assert.match(page.body, new RegExp(`/admin/agenda/${event.id}/inscriptions/${r.id}/decision`));
    const res = await agent.post(`/admin/agenda/${event.id}/inscriptions/${r.id}/decision`, { decision: 'selected' });
    assert.equal(res.statusCode, 303);
    assert.equal((await registrations(event.id))[0].status, 'confirmed');
    const bad = await agent.post(`/admin/agenda/${event.id}/inscriptions/${r.id}/decision`, { decision: 'tous' });
    assert.equal(bad.statusCode, 422, 'an unknown decision changes nothing and says so');
    const nul = await agent.post(`/admin/agenda/${event.id}/inscriptions/${r.id}/decision`, { decision: 'selected\u0000' });
    assert.ok(nul.statusCode < 500, `never a 500 (${nul.statusCode})`);
    assert.equal((await registrations(event.id))[0].status, 'confirmed');
  });
});

describe('selection under concurrency (' + (isPostgresRun() ? 'PostgreSQL' : 'PGlite') + ')', () => {
  test('40 applications selected at once by several advisers for 10 seats: exactly 10 selected, the others refused as full', async () => {
    const { staff, event } = await selectionEvent('10');
    const people = [];
    for (let i = 0; i < 40; i++) people.push(await applicant());
    for (const p of people) await registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 });
    const rows = await registrations(event.id);
    const results = await Promise.allSettled(rows.map((r) => decideRegistration(w.ctx, staff, event.id, r.id, 'selected')));
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 30);
    assert.ok(refused.every((r) => (r as PromiseRejectedResult).reason.message === 'events.selection.full'), 'no refusal other than "full"');
    const after = await registrations(event.id);
    assert.equal(after.filter((r) => r.status === 'confirmed').length, 10);
    assert.equal(after.filter((r) => r.status === 'applied').length, 30);
  });
});

/**
 * The trainings and presence pages over HTTP: a refused booking of a gated machine names the next session with its
 * link; bad input comes back as a French message with the values (422), forged ids are French 404s, never a 500.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { tFor } from '../../../web/i18n/index.js';
import { addThirdPlace, addTrainingEvent, makeResource, roomInput } from '../bookings.testing.js';
import { createKind, linkSession } from './authorisations.service.js';

const w = useTestWorld();
const fr = tFor('fr');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

test('a gated machine refused over HTTP names the next session; bad forms and forged ids answer in French', async () => {
  w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const staffUser = await createUser(w.ctx, { roles: ['space_manager'] });
  const staff = actorFor(w.ctx, staffUser, ['space_manager']);
  const laser = await makeResource(w.ctx, staff, roomInput(placeId, { slug: 'laser', name: 'Découpeuse laser', kind: 'machine', requiresAuthorisation: true }));
  const { id: kindId } = await createKind(w.ctx, staff, { name: 'Découpe laser', slug: 'decoupe-laser', validityMonths: 12, lapseMonths: null, machineIds: [laser.id] });
  const event = await addTrainingEvent(w.ctx, { slug: 'formation-laser', title: 'Formation laser', startsAt: new Date('2026-12-03T13:00:00Z'), placeId });
  await linkSession(w.ctx, staff, kindId, event.id);

  const memberUser = await createUser(w.ctx, { roles: ['member'] });
  const member = new Agent(w.app);
  await member.login(memberUser.email, memberUser.password);
  const refused = await member.post('/reservations/laser/reserver', { date: '2026-12-07', debut: '10:00', fin: '12:00', note: '' });
  assert.equal(refused.statusCode, 403);
  assert.ok(refused.body.includes(esc(fr('bookings.gate.errors.none'))));
  assert.ok(refused.body.includes('href="/agenda/formation-laser"'));
  assert.ok(refused.body.includes('3 décembre 2026, 14 h 00'));
  const account = await member.get('/compte/reservations');
  assert.ok(account.body.includes(esc(fr('bookings.gate.mineNone'))));
  // A member never reaches the trainings' back office.
  assert.equal((await member.get('/admin/reservations/formations')).statusCode, 403);

  const desk = new Agent(w.app);
  await desk.login(staffUser.email, staffUser.password);
  const bad = await desk.post('/admin/reservations/formations', { nom: 'Impression 3D', slug: '', validite: '0', inactivite: 'six' });
  assert.equal(bad.statusCode, 422);
  assert.ok(bad.body.includes(esc(fr('bookings.gate.form.months'))));
  assert.ok(bad.body.includes('value="Impression 3D"'));
  const taken = await desk.post('/admin/reservations/formations', { nom: 'Autre', slug: 'decoupe-laser', validite: '12', inactivite: '' });
  assert.equal(taken.statusCode, 409);
  assert.ok(taken.body.includes(esc(fr('bookings.gate.errors.slugTaken'))));
  const forgedMachine = await desk.post(`/admin/reservations/formations/${kindId}`, { nom: 'Découpe laser', validite: '12', machines: ['999999'] });
  assert.equal(forgedMachine.statusCode, 422);
  const missingKind = await desk.get('/admin/reservations/formations/999999');
  assert.equal(missingKind.statusCode, 404);
  assert.ok(missingKind.body.includes(esc(fr('bookings.gate.errors.kindNotFound'))));
  assert.equal((await desk.get('/admin/reservations/formations/sessions/abc')).statusCode, 404);
  const noChoice = await desk.post(`/admin/reservations/formations/${kindId}/sessions`, { evenement: '' });
  assert.equal(noChoice.statusCode, 422);
  assert.ok(noChoice.body.includes(esc(fr('bookings.gate.form.chooseSession'))));
  const early = await desk.post(`/admin/reservations/formations/sessions/${event.id}`, { reussi: memberUser.id });
  assert.equal(early.statusCode, 409);
  assert.ok(early.body.includes(esc(fr('bookings.gate.errors.notYet'))));
  const forgedPerson = await desk.post(`/admin/reservations/formations/sessions/${event.id}`, { reussi: 'pas-un-id' });
  assert.equal(forgedPerson.statusCode, 422);

  // Presence: a forged booking id, an unknown mark, a month that does not parse.
  assert.equal((await desk.post('/admin/reservations/presence/00000000-0000-4000-8000-000000000000', { presence: 'arrived' })).statusCode, 404);
  const odd = await desk.post('/admin/reservations/presence/00000000-0000-4000-8000-000000000000', { presence: 'peut-etre' });
  assert.equal(odd.statusCode, 422);
  assert.ok(odd.body.includes(esc(fr('bookings.presence.errors.choice'))));
  assert.equal((await desk.get('/admin/reservations/occupation?mois=2026-13')).statusCode, 200);
  const csv = await desk.get('/admin/reservations/occupation.csv?mois=2026-12');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
});

/**
 * An adviser's note after a member's creator-support appointment joins the member's record (members' notes, wired
 * to `appointmentRecordsPoint` at composition): the team reads it on the member's staff page; the member's own page
 * and other members never see it. A household with a case still gets the note on its case first.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, createUser } from '../../../../tests/support/factories.js';
import { approveApplication, applyForMembership } from '../../members/joining/index.js';
import { applicationInput, makePlan } from '../../members/members.testing.js';
import { addThirdPlace } from '../bookings.testing.js';
import * as service from './appointments.service.js';

const w = useTestWorld();
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/’/g, '’');

async function world() {
  w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const adviserUser = await createUser(w.ctx, { roles: ['staff'], name: 'Claire Conseil' });
  const adviser = actorFor(w.ctx, adviserUser, ['staff']);
  // Léa has an account, applies for membership while signed in, and the team approves her.
  const leaUser = await createUser(w.ctx, { email: 'lea.solo@exemple.fr', name: 'Léa Solo' });
  const plan = await makePlan(w.ctx);
  const applied = await applyForMembership(w.ctx, actorFor(w.ctx, leaUser, []), applicationInput(plan, { email: leaUser.email, firstName: 'Léa', lastName: 'Solo' }), 'fr');
  if (!applied.approved) await approveApplication(w.ctx, adviser, applied.memberId);
  const lea = actorFor(w.ctx, leaUser, ['member']);
  const slot = await service.publishSlot(w.ctx, adviser, { day: '2026-12-02', startMinutes: 600, minutes: 60, mode: 'place', placeId, videoUrl: null });
  return { adviser, adviserUser, leaUser, lea, memberId: applied.memberId, slot };
}

describe('an adviser’s note on a member’s record', () => {
  test('a member books, the adviser writes a note: it shows on the member’s staff page, not to members', async () => {
    const { adviser, adviserUser, leaUser, lea, memberId, slot } = await world();
    const a = await service.bookAppointment(w.ctx, lea, slot.id, { project: 'Atelier de céramique' });
    w.clock.set('2026-12-02T10:00:00Z');
    const note = 'Prévoir un prévisionnel et voir la CCI';
    const r = await service.recordOutcome(w.ctx, adviser, a.id, { outcome: 'attended', note });
    assert.equal(r.attachedTo, 'member');
    const rows = await w.ctx.db.selectFrom('member_note').select(['body', 'source', 'author_id']).where('member_id', '=', memberId).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].source, 'appointment');
    assert.equal(rows[0].author_id, adviserUser.id);
    assert.ok(rows[0].body.includes(note) && rows[0].body.includes('Claire Conseil'));

    const staff = new Agent(w.app);
    await staff.login(adviserUser.email, adviserUser.password);
    const page = await staff.get(`/admin/adherents/${memberId}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(esc(note)), 'the team reads the note on the record');

    // Léa's own membership page does not show it, and another member cannot open the staff page.
    const self = new Agent(w.app);
    await self.login(leaUser.email, leaUser.password);
    const own = await self.get('/compte/adhesion');
    assert.equal(own.statusCode, 200);
    assert.ok(!own.body.includes(esc(note)));
    const otherUser = await createUser(w.ctx, { roles: ['member'] });
    const other = new Agent(w.app);
    await other.login(otherUser.email, otherUser.password);
    const refused = await other.get(`/admin/adherents/${memberId}`);
    assert.equal(refused.statusCode, 403);
    assert.ok(!refused.body.includes(esc(note)));
  });

  test('the person’s export carries the note and erasure deletes it', async () => {
    const { adviser, leaUser, lea, memberId, slot } = await world();
    const a = await service.bookAppointment(w.ctx, lea, slot.id, { project: 'Projet' });
    w.clock.set('2026-12-02T10:00:00Z');
    await service.recordOutcome(w.ctx, adviser, a.id, { outcome: 'attended', note: 'Une note' });
    const { exportMemberData, eraseMemberData } = await import('../../members/members.service.js');
    const data = await exportMemberData(w.ctx, leaUser.id);
    assert.ok(JSON.stringify(data).includes('Une note'));
    await eraseMemberData(w.ctx, leaUser.id);
    assert.equal((await w.ctx.db.selectFrom('member_note').select('id').where('member_id', '=', memberId).execute()).length, 0);
  });
});

/**
 * Creator-support appointments against a real database: who publishes, overlapping slots refused by the database,
 * booking by a candidate, a member and a visitor (held, confirmed by the mail's link, released when the hold ran
 * out), one person per slot, cancellation, the outcome and the note joining the household's case (through the
 * extension point), follow-ups and no-shows in the figures, mails once with their `.ics`, and the person's data.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { anonymous } from '../../../context.js';
import { applyAsVisitor } from '../../newcomers/newcomers.testing.js';
import { addThirdPlace } from '../bookings.testing.js';
import * as repo from './appointments.repo.js';
import * as service from './appointments.service.js';

const w = useTestWorld();

async function world() {
  // Monday 30 November 2026, 8:00 in Paris.
  w.clock.set('2026-11-30T07:00:00Z');
  const placeId = await addThirdPlace(w.ctx);
  const adviserUser = await createUser(w.ctx, { roles: ['staff'], name: 'Claire Conseil' });
  const adviser = actorFor(w.ctx, adviserUser, ['staff']);
  const memberUser = await createUser(w.ctx, { roles: ['member'], name: 'Léa Solo' });
  const member = actorFor(w.ctx, memberUser, ['member']);
  const slot = await service.publishSlot(w.ctx, adviser, { day: '2026-12-02', startMinutes: 600, minutes: 60, mode: 'place', placeId, videoUrl: null });
  return { placeId, adviser, adviserUser, member, memberUser, slot };
}

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body', 'attachments']).where('to_address', '=', to).orderBy('created_at').execute();

describe('advisers publish slots', () => {
  test('only the team publishes; a member, a space manager and a visitor are refused', async () => {
    const { placeId, memberUser } = await world();
    const input = { day: '2026-12-03', startMinutes: 600, minutes: 30 as const, mode: 'place' as const, placeId, videoUrl: null };
    assert.equal(await codeOf(service.publishSlot(w.ctx, actorFor(w.ctx, memberUser, ['member']), input)), 'forbidden');
    const manager = await createUser(w.ctx, { roles: ['space_manager'] });
    assert.equal(await codeOf(service.publishSlot(w.ctx, actorFor(w.ctx, manager, ['space_manager']), input)), 'forbidden');
    assert.equal(await codeOf(service.publishSlot(w.ctx, anonymous(w.ctx.territory.id), input)), 'unauthenticated');
  });

  test('an adviser cannot publish two overlapping slots, nor one in the past; another adviser may take the same hour', async () => {
    const { adviser } = await world();
    const phone = { day: '2026-12-02', startMinutes: 630, minutes: 30 as const, mode: 'phone' as const, placeId: null, videoUrl: null };
    assert.equal(await codeOf(service.publishSlot(w.ctx, adviser, phone)), 'conflict');
    assert.equal(await codeOf(service.publishSlot(w.ctx, adviser, { ...phone, day: '2026-11-29' })), 'invalid');
    const other = actorFor(w.ctx, await createUser(w.ctx, { roles: ['admin'] }), ['admin']);
    assert.equal(await codeOf(service.publishSlot(w.ctx, other, phone)), 'ok');
  });

  test('the database refuses a slot that is neither 30 nor 60 minutes long', async () => {
    const { adviserUser } = await world();
    await assert.rejects(repo.insertSlot(w.ctx.db, { territoryId: w.ctx.territory.id, adviserId: adviserUser.id, start: new Date('2026-12-04T09:00:00Z'), end: new Date('2026-12-04T09:45:00Z'), mode: 'phone', placeId: null, videoUrl: null, by: adviserUser.id, at: w.clock.now() }));
  });
});

describe('people book a slot', () => {
  test('a member books: confirmed at once, mailed once with the appointment as an .ics file; the slot leaves the list', async () => {
    const { member, memberUser, slot } = await world();
    assert.equal((await service.listBookableSlots(w.ctx)).length, 1);
    const a = await service.bookAppointment(w.ctx, member, slot.id, { project: 'Reprise d’une librairie à Lectoure' });
    assert.equal(a.status, 'confirmed');
    const mails = await mailsTo(memberUser.email);
    assert.equal(mails.length, 1);
    assert.match(mails[0].subject, /Claire Conseil/);
    const ics = Buffer.from(mails[0].attachments[0].content, 'base64').toString('utf8');
    assert.match(ics, /BEGIN:VEVENT/);
    assert.match(ics, /DTSTART;TZID=Europe\/Paris:20261202T100000/);
    assert.equal((await service.listBookableSlots(w.ctx)).length, 0);
    assert.equal(await codeOf(service.bookAppointment(w.ctx, actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']), slot.id, { project: 'x' })), 'conflict');
  });

  test('a visitor holds the slot, confirms with the mailed link (twice changes nothing), and is mailed the confirmation once', async () => {
    const { slot } = await world();
    await service.holdAppointmentForVisitor(w.ctx, anonymous(w.ctx.territory.id), slot.id, { project: 'Graphiste indépendante', name: 'Nina', email: 'nina@exemple.fr' }, 'fr');
    const [first] = await mailsTo('nina@exemple.fr');
    const token = /\/rendez-vous\/confirmation\/([A-Za-z0-9_-]+)/.exec(first.text_body)![1];
    assert.equal((await service.getHeldAppointment(w.ctx, token)).live, true);
    await service.confirmVisitorAppointment(w.ctx, token);
    await service.confirmVisitorAppointment(w.ctx, token);
    const mails = await mailsTo('nina@exemple.fr');
    assert.equal(mails.length, 2);
    assert.equal(mails[1].attachments.length, 1);
  });

  test('a visitor’s hold that ran out frees the slot for someone else, and its link then says it expired', async () => {
    const { member, slot } = await world();
    await service.holdAppointmentForVisitor(w.ctx, anonymous(w.ctx.territory.id), slot.id, { project: 'Projet', name: 'Nina', email: 'nina@exemple.fr' }, 'fr');
    assert.equal(await codeOf(service.bookAppointment(w.ctx, member, slot.id, { project: 'Moi aussi' })), 'conflict');
    w.clock.advance(31 * 60_000);
    assert.equal(await codeOf(service.bookAppointment(w.ctx, member, slot.id, { project: 'Moi aussi' })), 'ok');
    const [first] = await mailsTo('nina@exemple.fr');
    const token = /\/rendez-vous\/confirmation\/([A-Za-z0-9_-]+)/.exec(first.text_body)![1];
    assert.equal(await codeOf(service.confirmVisitorAppointment(w.ctx, token)), 'conflict');
  });

  test('a forged, withdrawn or past slot is "not found" or refused, never a database error', async () => {
    const { adviser, member, slot } = await world();
    assert.equal(await codeOf(service.bookAppointment(w.ctx, member, null, { project: 'x' })), 'not_found');
    assert.equal(await codeOf(service.bookAppointment(w.ctx, member, '00000000-0000-4000-8000-000000000000', { project: 'x' })), 'not_found');
    await service.withdrawSlot(w.ctx, adviser, slot.id);
    assert.equal(await codeOf(service.bookAppointment(w.ctx, member, slot.id, { project: 'x' })), 'not_found');
  });

  test('the person cancels until the start; someone else’s appointment is "not found"; the slot is free again', async () => {
    const { member, memberUser, slot } = await world();
    const a = await service.bookAppointment(w.ctx, member, slot.id, { project: 'Projet' });
    const stranger = actorFor(w.ctx, await createUser(w.ctx, { roles: ['member'] }), ['member']);
    assert.equal(await codeOf(service.cancelAppointment(w.ctx, stranger, a.id)), 'not_found');
    await service.cancelAppointment(w.ctx, member, a.id);
    assert.equal((await service.listBookableSlots(w.ctx)).length, 1);
    const mails = await mailsTo(memberUser.email);
    assert.deepEqual(mails.map((m) => m.subject.startsWith('Rendez-vous annulé')), [false, true]);
  });
});

describe('after the meeting', () => {
  test('the adviser’s note joins the candidate household’s case as a note; the outcome is recorded once', async () => {
    const { adviser, slot } = await world();
    const applied = await applyAsVisitor(w.ctx, { email: 'famille@exemple.fr' });
    const c = await w.ctx.db.selectFrom('newcomer_case').select(['id', 'contact_user_id']).where('id', '=', applied.caseId).executeTakeFirstOrThrow();
    const candidate = actorFor(w.ctx, { id: c.contact_user_id! }, ['candidate']);
    const a = await service.bookAppointment(w.ctx, candidate, slot.id, { project: 'Création d’une ferme-auberge' });
    assert.equal(await codeOf(service.recordOutcome(w.ctx, adviser, a.id, { outcome: 'attended', note: 'Étude de marché à faire' })), 'conflict');
    w.clock.set('2026-12-02T10:00:00Z');
    const r = await service.recordOutcome(w.ctx, adviser, a.id, { outcome: 'attended', note: 'Étude de marché à faire' });
    assert.equal(r.attachedTo, 'newcomer_case');
    const notes = await w.ctx.db.selectFrom('case_note').select('body').where('case_id', '=', c.id).execute();
    assert.ok(notes.some((n) => n.body.includes('Étude de marché à faire') && n.body.includes('Claire Conseil')));
    assert.equal(await codeOf(service.recordOutcome(w.ctx, adviser, a.id, { outcome: 'no_show', note: null })), 'conflict');
    assert.equal(await codeOf(service.recordOutcome(w.ctx, candidate, a.id, { outcome: 'no_show', note: null })), 'forbidden');
  });

  test('without a case or a membership the note stays with the appointment', async () => {
    const { adviser, slot } = await world();
    const someone = actorFor(w.ctx, await createUser(w.ctx), []);
    const a = await service.bookAppointment(w.ctx, someone, slot.id, { project: 'Projet' });
    w.clock.set('2026-12-02T10:00:00Z');
    assert.equal((await service.recordOutcome(w.ctx, adviser, a.id, { outcome: 'attended', note: 'Note' })).attachedTo, null);
  });

  test('the figures count confirmed appointments, no-shows and follow-ups per month', async () => {
    const { adviser, member, placeId, slot } = await world();
    const second = await service.publishSlot(w.ctx, adviser, { day: '2026-12-09', startMinutes: 600, minutes: 30, mode: 'video', placeId: null, videoUrl: 'https://visio.exemple.fr/abc' });
    void placeId;
    const first = await service.bookAppointment(w.ctx, member, slot.id, { project: 'Projet' });
    w.clock.set('2026-12-02T10:00:00Z');
    await service.recordOutcome(w.ctx, adviser, first.id, { outcome: 'attended', note: null });
    const again = await service.bookAppointment(w.ctx, member, second.id, { project: 'La suite' });
    w.clock.set('2026-12-09T10:00:00Z');
    await service.recordOutcome(w.ctx, adviser, again.id, { outcome: 'no_show', note: null });
    const { figures } = await service.getAdviserBoard(w.ctx, adviser);
    assert.deepEqual(figures, [{ month: '2026-12', booked: 2, attended: 1, no_show: 1, follow_up: 1 }]);
  });
});

describe('personal data', () => {
  test('the export lists the person’s appointments; erasure cancels the coming ones and unlinks every one', async () => {
    const { member, memberUser, slot } = await world();
    await service.bookAppointment(w.ctx, member, slot.id, { project: 'Projet secret' });
    const exported = await service.exportAppointments(w.ctx, memberUser.id);
    assert.equal(exported?.[0].project, 'Projet secret');
    assert.ok((await service.eraseAppointments(w.ctx, memberUser.id)) > 0);
    const rows = await w.ctx.db.selectFrom('appointment').select(['user_id', 'project', 'status']).execute();
    assert.deepEqual(rows, [{ user_id: null, project: '', status: 'cancelled' }]);
    assert.equal((await service.listBookableSlots(w.ctx)).length, 1);
  });
});

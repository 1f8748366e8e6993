import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describe, test } from 'node:test';
import { actorFor, codeOf, createUser } from '../../../../tests/support/factories.js';
import { isPostgresRun, useTestWorld } from '../../../../tests/support/context.js';
import { anonymous } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { HOUR } from '../../../shared/time.js';
import { registrationToken } from '../events.common.js';
import { publishedEvent, runDueJobs, staffActor } from '../events.testing.js';
import { cancelEvent, confirmByHand, moveInLine } from '../staff/index.js';
import { GROUP_MAX, oneClickTurn, waitingToRegister } from './registrations.one-click.js';
import * as service from './registrations.service.js';

const w = useTestWorld();

const registrations = (eventId: number) =>
  w.ctx.db.selectFrom('event_registration').selectAll().where('event_id', '=', eventId).orderBy('queue_position').orderBy('created_at').execute();
const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body', 'attachments']).where('to_address', '=', to).orderBy('created_at').execute();
const linkOf = (id: string) => ({ id, token: registrationToken(w.ctx, id) });
const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  assert.fail('expected a refusal');
};

async function staffAndEvent(overrides: Record<string, string> = {}) {
  const staff = await createUser(w.ctx, { roles: ['staff'] });
  const event = await publishedEvent(w.ctx, staff.id, overrides);
  return { staff, event };
}

async function person(roles: ('member' | 'candidate')[] = []) {
  const u = await createUser(w.ctx, { roles });
  return { ...u, actor: actorFor(w.ctx, u, roles) };
}

describe('registering', () => {
  test('a member registers in one click for a members-only breakfast; an account without the role and a visitor are refused', async () => {
    const { event } = await staffAndEvent({ public: 'members', type: 'breakfast' });
    const member = await person(['member']);
    const outcome = await service.registerForEvent(w.ctx, member.actor, event.slug, { seats: 1 });
    assert.equal(outcome.status, 'confirmed');
    const [mail] = await mailsTo(member.email);
    assert.match(mail.subject, /Inscription confirmée/);
    assert.equal(mail.attachments.length, 1, 'the confirmation carries the event as .ics');
    assert.match(Buffer.from(mail.attachments[0].content, 'base64').toString(), /BEGIN:VEVENT/);

    const outsider = await person([]);
    assert.equal(await codeOf(service.registerForEvent(w.ctx, outsider.actor, event.slug, { seats: 1 })), 'forbidden');
    const refusal = await errorOf(service.requestVisitorRegistration(w.ctx, anonymous(w.ctx.territory.id), event.slug, { name: 'Paul', email: 'paul@exemple.fr', seats: 1, locale: 'fr' }));
    assert.equal(refusal.code, 'forbidden');
    assert.equal(refusal.message, 'events.register.audience.members');
  });

  test('registering twice returns the first registration', async () => {
    const { event } = await staffAndEvent();
    const member = await person(['member']);
    const first = await service.registerForEvent(w.ctx, member.actor, event.slug, { seats: 1 });
    const again = await service.registerForEvent(w.ctx, member.actor, event.slug, { seats: 1 });
    assert.equal(again.registrationId, first.registrationId);
    assert.equal(again.created, false);
    assert.equal((await registrations(event.id)).length, 1);
  });

  test('after the deadline, before the opening and on a cancelled event, registering is refused', async () => {
    const { staff, event } = await staffAndEvent();
    const member = await person(['member']);
    w.clock.advance(3 * 24 * HOUR);
    assert.equal((await errorOf(service.registerForEvent(w.ctx, member.actor, event.slug, { seats: 1 }))).message, 'events.register.closed');
    w.clock.set('2026-11-27T09:00:00Z');
    const later = await publishedEvent(w.ctx, staff.id, { titre: 'Plus tard', ouverture: '2026-11-28T09:00' });
    assert.equal((await errorOf(service.registerForEvent(w.ctx, member.actor, later.slug, { seats: 1 }))).message, 'events.register.notOpen');
    await cancelEvent(w.ctx, staffActor(w.ctx, staff.id), event.id);
    assert.equal((await errorOf(service.registerForEvent(w.ctx, member.actor, event.slug, { seats: 1 }))).message, 'events.register.cancelled');
  });

  test('asking for 12 seats when 3 remain is refused with the number left; more than the maximum per registration too', async () => {
    const { event } = await staffAndEvent({ places: '20', placesMax: '12' });
    const a = await person(['member']);
    const b = await person(['member']);
    await service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 12 });
    await service.registerForEvent(w.ctx, b.actor, event.slug, { seats: 5 });
    const c = await person(['member']);
    const refusal = await errorOf(service.registerForEvent(w.ctx, c.actor, event.slug, { seats: 12 }));
    assert.equal(refusal.code, 'conflict');
    assert.equal(refusal.message, 'events.register.onlyLeft');
    assert.equal(refusal.params.left, 3);
    assert.equal((await errorOf(service.registerForEvent(w.ctx, c.actor, event.slug, { seats: 13 }))).message, 'events.register.tooManySeats');
    // Said explicitly, a place in line for 12 is fine.
    assert.equal((await service.registerForEvent(w.ctx, c.actor, event.slug, { seats: 12, waitlist: true })).status, 'waiting');
  });

  test('a visitor registers from the form and gets the seat only once the mail link is followed', async () => {
    const { event } = await staffAndEvent({ places: '1' });
    await service.requestVisitorRegistration(w.ctx, anonymous(w.ctx.territory.id), event.slug, { name: 'Anne Visiteuse', email: 'anne@exemple.fr', seats: 1, locale: 'fr' });
    const [pending] = await registrations(event.id);
    assert.equal(pending.status, 'pending');
    const [mail] = await mailsTo('anne@exemple.fr');
    assert.ok(mail.text_body.includes(`/agenda/inscription/${pending.id}/${registrationToken(w.ctx, pending.id)}`));
    // Asking again sends the link again and creates nothing.
    await service.requestVisitorRegistration(w.ctx, anonymous(w.ctx.territory.id), event.slug, { name: 'Anne Visiteuse', email: 'ANNE@exemple.fr', seats: 1, locale: 'fr' });
    assert.equal((await registrations(event.id)).length, 1);
    await service.confirmVisitorRegistration(w.ctx, pending.id, registrationToken(w.ctx, pending.id));
    assert.equal((await registrations(event.id))[0].status, 'confirmed');
    // A forged link is refused.
    assert.equal(await codeOf(service.confirmVisitorRegistration(w.ctx, pending.id, 'x'.repeat(43))), 'not_found');
  });
});

describe('the waiting list', () => {
  test('a freed seat is offered to the first in line, who claims it within the window; a second claim and a late claim are refused', async () => {
    const { event } = await staffAndEvent({ places: '1' });
    const [a, b, c] = [await person(['member']), await person(['member']), await person(['member'])];
    await service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 1 });
    const bOut = await service.registerForEvent(w.ctx, b.actor, event.slug, { seats: 1 });
    const cOut = await service.registerForEvent(w.ctx, c.actor, event.slug, { seats: 1 });
    assert.deepEqual([bOut.status, bOut.position, cOut.status, cOut.position], ['waiting', 1, 'waiting', 2]);

    const aReg = (await registrations(event.id)).find((r) => r.user_id === a.id)!;
    await service.cancelOwnRegistration(w.ctx, a.actor, aReg.id);
    let rows = await registrations(event.id);
    const bReg = rows.find((r) => r.user_id === b.id)!;
    assert.equal(bReg.status, 'offered');
    // The event starts in 72 hours: the window is the default 48 hours shortened to half the time left.
    assert.equal(bReg.offer_expires_at!.getTime() - w.clock.now().getTime(), 36 * HOUR);
    assert.ok((await mailsTo(b.email)).some((m) => /Une place s’est libérée/.test(m.subject)), 'mail /Une place s’est libérée/ sent');

    w.clock.advance(35 * HOUR);
    await service.claimOffer(w.ctx, bReg.id, linkOf(bReg.id).token);
    rows = await registrations(event.id);
    assert.equal(rows.find((r) => r.id === bReg.id)!.status, 'confirmed');
    assert.equal((await errorOf(service.claimOffer(w.ctx, bReg.id, linkOf(bReg.id).token))).message, 'events.offer.alreadyClaimed');

    // b cancels in turn: c is offered the seat, lets the window pass, and the job gives it to nobody else (list empty).
    await service.cancelOwnRegistration(w.ctx, b.actor, bReg.id);
    const cReg = (await registrations(event.id)).find((r) => r.user_id === c.id)!;
    assert.equal(cReg.status, 'offered');
    const window = cReg.offer_expires_at!.getTime() - w.clock.now().getTime();
    assert.ok(window < 48 * HOUR && window >= HOUR, `the window is shortened as the event nears (${window / HOUR} h)`);
    w.clock.set(new Date(cReg.offer_expires_at!.getTime() + 1000));
    await runDueJobs(w.ctx);
    assert.equal((await registrations(event.id)).find((r) => r.id === cReg.id)!.status, 'lapsed');
    assert.equal((await errorOf(service.claimOffer(w.ctx, cReg.id, linkOf(cReg.id).token))).message, 'events.offer.expired');
  });

  test('an unclaimed offer passes to the next person by a job, even after a restart (the job is in the database)', async () => {
    const { event } = await staffAndEvent({ places: '1' });
    const [a, b, c] = [await person(['member']), await person(['member']), await person(['member'])];
    for (const p of [a, b, c]) await service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 });
    const aReg = (await registrations(event.id)).find((r) => r.user_id === a.id)!;
    await service.cancelOwnRegistration(w.ctx, a.actor, aReg.id);
    const job = await w.ctx.db.selectFrom('job').select(['kind', 'run_at', 'state']).where('kind', '=', 'events.offerExpiry').executeTakeFirstOrThrow();
    assert.equal(job.state, 'pending');
    w.clock.set(new Date(job.run_at.getTime() + 1));
    await runDueJobs(w.ctx);
    const rows = await registrations(event.id);
    assert.equal(rows.find((r) => r.user_id === b.id)!.status, 'lapsed');
    assert.equal(rows.find((r) => r.user_id === c.id)!.status, 'offered');
    assert.ok((await mailsTo(b.email)).some((m) => /Place non acceptée/.test(m.subject)), 'mail /Place non acceptée/ sent');
  });

  test('a family of 3 first in line keeps its rank when one seat frees: the seat goes to the next request that fits, and the family is told once', async () => {
    const { event } = await staffAndEvent({ places: '4', placesMax: '4' });
    const [a, x, family, single] = [await person(['member']), await person(['member']), await person(['member']), await person(['member'])];
    await service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 1 });
    await service.registerForEvent(w.ctx, x.actor, event.slug, { seats: 3 });
    assert.equal((await service.registerForEvent(w.ctx, family.actor, event.slug, { seats: 3 })).status, 'waiting');
    assert.equal((await service.registerForEvent(w.ctx, single.actor, event.slug, { seats: 1 })).status, 'waiting');
    const rowOf = async (userId: string) => (await registrations(event.id)).find((r) => r.user_id === userId)!;

    await service.cancelOwnRegistration(w.ctx, a.actor, (await rowOf(a.id)).id);
    assert.equal((await rowOf(single.id)).status, 'offered', 'the request that fits gets the free seat');
    assert.equal((await rowOf(family.id)).status, 'waiting');
    assert.equal((await rowOf(family.id)).passed_over_notified, true);
    const told = async () => (await mailsTo(family.email)).filter((m) => /demande plus petite/.test(m.text_body)).length;
    assert.equal(await told(), 1);

    // The family still comes first when enough seats free up, and is not told twice.
    await service.cancelOwnRegistration(w.ctx, x.actor, (await rowOf(x.id)).id);
    assert.equal((await rowOf(family.id)).status, 'offered');
    assert.equal(await told(), 1);
  });

  test('someone waiting may lower their request and is offered the seats that now fit', async () => {
    const { event } = await staffAndEvent({ places: '3', placesMax: '3' });
    const [a, b, family] = [await person(['member']), await person(['member']), await person(['member'])];
    await service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 2 });
    await service.registerForEvent(w.ctx, b.actor, event.slug, { seats: 1 });
    await service.registerForEvent(w.ctx, family.actor, event.slug, { seats: 3 });
    const aReg = (await registrations(event.id)).find((r) => r.user_id === a.id)!;
    await service.cancelOwnRegistration(w.ctx, a.actor, aReg.id);
    const familyReg = (await registrations(event.id)).find((r) => r.user_id === family.id)!;
    assert.equal(familyReg.status, 'waiting');
    const { offered } = await service.lowerWaitingSeats(w.ctx, familyReg.id, linkOf(familyReg.id).token, 2);
    assert.equal(offered, true);
    assert.equal(await codeOf(service.lowerWaitingSeats(w.ctx, familyReg.id, linkOf(familyReg.id).token, 1)), 'conflict');
  });

  test('staff reorder the list and confirm someone by hand, never beyond the capacity', async () => {
    const { staff, event } = await staffAndEvent({ places: '1' });
    const [a, b, c] = [await person(['member']), await person(['member']), await person(['member'])];
    for (const p of [a, b, c]) await service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 });
    const rows = await registrations(event.id);
    const cReg = rows.find((r) => r.user_id === c.id)!;
    const staffA = staffActor(w.ctx, staff.id);
    await moveInLine(w.ctx, staffA, event.id, cReg.id, 'up');
    const waiting = (await registrations(event.id)).filter((r) => r.status === 'waiting').sort((x, y) => x.queue_position! - y.queue_position!);
    assert.deepEqual(waiting.map((r) => r.user_id), [c.id, b.id]);
    assert.equal(await codeOf(confirmByHand(w.ctx, staffA, event.id, cReg.id)), 'conflict');
    const aReg = rows.find((r) => r.user_id === a.id)!;
    await service.cancelOwnRegistration(w.ctx, a.actor, aReg.id);
    assert.equal((await registrations(event.id)).find((r) => r.id === cReg.id)!.status, 'offered', 'the reordered list decides who is offered');
    await confirmByHand(w.ctx, staffA, event.id, cReg.id);
    assert.equal((await registrations(event.id)).find((r) => r.id === cReg.id)!.status, 'confirmed');
  });
});

describe('mails and jobs', () => {
  test('the reminder goes out once, 24 hours before, and not for a cancelled registration', async () => {
    const { event } = await staffAndEvent();
    const [a, b] = [await person(['member']), await person(['member'])];
    await service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 1 });
    const bOut = await service.registerForEvent(w.ctx, b.actor, event.slug, { seats: 1 });
    await service.cancelOwnRegistration(w.ctx, b.actor, bOut.registrationId);
    w.clock.advance(2 * 24 * HOUR + HOUR);
    await runDueJobs(w.ctx);
    await runDueJobs(w.ctx);
    assert.equal((await mailsTo(a.email)).filter((m) => /Rappel/.test(m.subject)).length, 1);
    assert.equal((await mailsTo(b.email)).filter((m) => /Rappel/.test(m.subject)).length, 0);
  });

  test('cancelling the event cancels every registration and tells each person', async () => {
    const { staff, event } = await staffAndEvent({ places: '1' });
    const [a, b] = [await person(['member']), await person(['member'])];
    await service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 1 });
    await service.registerForEvent(w.ctx, b.actor, event.slug, { seats: 1 });
    const { told } = await cancelEvent(w.ctx, staffActor(w.ctx, staff.id), event.id);
    assert.equal(told, 2);
    assert.ok((await registrations(event.id)).every((r) => r.status === 'cancelled'));
    // Mails written at one instant of the test clock have no order among them: each person has one notice.
    for (const p of [a, b]) assert.equal((await mailsTo(p.email)).filter((m) => /Événement annulé/.test(m.subject)).length, 1);
  });

  test('erasing a person cancels their live registrations (the seat goes to the list) and anonymises them', async () => {
    const { event } = await staffAndEvent({ places: '1' });
    const [a, b] = [await person(['member']), await person(['member'])];
    await service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 1 });
    await service.registerForEvent(w.ctx, b.actor, event.slug, { seats: 1 });
    assert.equal(await service.eraseRegistrations(w.ctx, a.id), 1);
    const rows = await registrations(event.id);
    assert.ok(!rows.some((r) => r.email === a.email));
    assert.equal(rows.find((r) => r.user_id === b.id)!.status, 'offered');
  });
});

describe('under concurrency (' + (isPostgresRun() ? 'PostgreSQL' : 'PGlite') + ')', () => {
  test('200 simultaneous registrations for 20 seats: exactly 20 confirmed and 180 waiting, in arrival order, no other answer', async () => {
    const { event } = await staffAndEvent({ places: '20' });
    const people = [];
    for (let i = 0; i < 200; i++) people.push(await person(['member']));
    const results = await Promise.allSettled(people.map((p) => service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 })));
    const failures = results.filter((r) => r.status === 'rejected');
    assert.deepEqual(failures, [], 'no registration fails');
    const rows = await registrations(event.id);
    assert.equal(rows.length, 200);
    assert.equal(rows.filter((r) => r.status === 'confirmed').length, 20);
    assert.equal(rows.filter((r) => r.status === 'waiting').length, 180);
    // Arrival order is the order of the lock: positions 1..200 without gaps, the first 20 confirmed.
    const ordered = [...rows].sort((x, y) => x.queue_position! - y.queue_position!);
    assert.deepEqual(ordered.map((r) => r.queue_position), Array.from({ length: 200 }, (_, i) => i + 1));
    assert.ok(ordered.slice(0, 20).every((r) => r.status === 'confirmed'));
    assert.ok(ordered.slice(20).every((r) => r.status === 'waiting'));
    // Each person got the answer their row says.
    const byId = new Map(rows.map((r) => [r.id, r.status]));
    for (const r of results) if (r.status === 'fulfilled') assert.equal(byId.get(r.value.registrationId), r.value.status);
  });

  test('50 simultaneous cancellations with a waiting list: every freed seat is offered exactly once', async () => {
    const { event } = await staffAndEvent({ places: '50' });
    const people = [];
    for (let i = 0; i < 110; i++) people.push(await person(['member']));
    for (const p of people) await service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 });
    const confirmed = (await registrations(event.id)).filter((r) => r.status === 'confirmed');
    assert.equal(confirmed.length, 50);
    const byUser = new Map(people.map((p) => [p.id, p]));
    const results = await Promise.allSettled(confirmed.map((r) => service.cancelOwnRegistration(w.ctx, byUser.get(r.user_id!)!.actor, r.id)));
    assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
    const rows = await registrations(event.id);
    const offered = rows.filter((r) => r.status === 'offered');
    assert.equal(offered.length, 50, 'fifty seats, fifty offers');
    assert.ok(offered.every((r) => r.offers_made === 1), 'nobody is offered twice');
    const waiting = rows.filter((r) => r.status === 'waiting');
    assert.equal(waiting.length, 10);
    assert.ok(Math.max(...offered.map((r) => r.queue_position!)) < Math.min(...waiting.map((r) => r.queue_position!)), 'the first fifty in line are the ones offered');
    const jobs = await w.ctx.db.selectFrom('job').select('dedupe_key').where('kind', '=', 'events.offerExpiry').execute();
    assert.equal(jobs.length, 50);
    const offerMails = await w.ctx.db.selectFrom('outbox_mail').select('to_address').where('subject', 'like', 'Une place s’est libérée%').execute();
    assert.equal(offerMails.length, 50);
    assert.equal(new Set(offerMails.map((m) => m.to_address)).size, 50);
  });
});

/**
 * Runs the calls as one group: the one-click groups' turn is held while the calls join the next transaction one
 * after the other (each reads the event first: on PostgreSQL's pool they would otherwise arrive in any order), then
 * released, so they are decided together in the order given (the group takes all of them, up to its maximum).
 */
async function inOneGroup<T>(calls: (() => Promise<T>)[]) {
  let release!: () => void;
  const held = oneClickTurn(w.ctx.territory.id, () => new Promise<void>((resolve) => (release = resolve)));
  const started: Promise<T>[] = [];
  for (const call of calls) {
    const p = call();
    p.catch(() => undefined);
    started.push(p);
    for (let i = 0; waitingToRegister(w.ctx.territory.id) < started.length; i++) {
      if (i > 2000) assert.fail(`only ${waitingToRegister(w.ctx.territory.id)} of ${started.length} calls joined the group`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  release();
  await held;
  return Promise.allSettled(started);
}

const auditsOf = (eventId: number) => w.ctx.db.selectFrom('audit_event').select(['actor_id', 'action', 'data']).where('subject_type', '=', 'event').where('subject_id', '=', String(eventId)).where('action', 'like', 'event_registration.%').execute();
const remindersOf = async () => (await w.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'events.reminder').execute()).map((j) => String((j.payload as { registrationId: string }).registrationId));

describe('registrations decided together (one transaction per group)', () => {
  test('a group mixing refusals and seats gives each person their own answer and writes only the registrations kept', async () => {
    const { event } = await staffAndEvent({ places: '4', placesMax: '3', public: 'members' });
    const [first, outsider, tooMany, tooLarge, last, late] = [await person(['member']), await person([]), await person(['member']), await person(['member']), await person(['member']), await person(['member'])];
    const asks: [typeof first, number][] = [[first, 2], [outsider, 1], [tooMany, 4], [tooLarge, 3], [last, 2], [late, 1]];
    const results = await inOneGroup(asks.map(([p, seats]) => () => service.registerForEvent(w.ctx, p.actor, event.slug, { seats })));
    const answer = (i: number) => results[i];
    const refusal = (i: number) => {
      const r = answer(i);
      assert.equal(r.status, 'rejected', `request ${i} is refused`);
      return (r as PromiseRejectedResult).reason as AppError;
    };
    const outcome = (i: number) => {
      const r = answer(i);
      assert.equal(r.status, 'fulfilled', `request ${i} is kept: ${r.status === 'rejected' ? String(r.reason) : ''}`);
      return (r as PromiseFulfilledResult<service.Outcome>).value;
    };
    assert.deepEqual([outcome(0).status, outcome(0).created], ['confirmed', true]);
    assert.equal(refusal(1).message, 'events.register.audience.members');
    assert.equal(refusal(2).message, 'events.register.tooManySeats');
    // Two seats left after the first request: three is refused with that number, unless a place in line is fine.
    assert.equal(refusal(3).message, 'events.register.onlyLeft');
    assert.equal(refusal(3).params.left, 2);
    assert.equal(outcome(4).status, 'confirmed');
    assert.deepEqual([outcome(5).status, outcome(5).position], ['waiting', 1]);

    const rows = await registrations(event.id);
    assert.deepEqual(rows.map((r) => [r.user_id, r.status, r.queue_position, r.seats]), [[first.id, 'confirmed', 1, 2], [last.id, 'confirmed', 2, 2], [late.id, 'waiting', 3, 1]]);
    for (const p of [outsider, tooMany, tooLarge]) assert.equal((await mailsTo(p.email)).length, 0, 'a refused request sends nothing');
    assert.equal((await auditsOf(event.id)).length, 3);
    assert.match((await mailsTo(late.email))[0].subject, /Liste d’attente/);
  });

  test('the same account twice in one group, and an account already registered, get one registration each', async () => {
    const { event } = await staffAndEvent({ places: '5' });
    const [earlier, twice] = [await person(['member']), await person(['member'])];
    const before = await service.registerForEvent(w.ctx, earlier.actor, event.slug, { seats: 1 });
    const results = await inOneGroup([twice, twice, earlier].map((p) => () => service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 })));
    assert.ok(results.every((r) => r.status === 'fulfilled'));
    const [a, b, c] = results.map((r) => (r as PromiseFulfilledResult<service.Outcome>).value);
    assert.deepEqual([a.status, a.created], ['confirmed', true]);
    assert.deepEqual([b.registrationId, b.status, b.created], [a.registrationId, 'confirmed', false]);
    assert.deepEqual([c.registrationId, c.created], [before.registrationId, false]);
    const rows = await registrations(event.id);
    assert.equal(rows.length, 2);
    assert.equal((await mailsTo(twice.email)).length, 1);
    assert.equal((await auditsOf(event.id)).length, 2);
    assert.deepEqual((await remindersOf()).sort(), [before.registrationId, a.registrationId].sort());
  });

  test('a group spanning several events decides each against its own seats, in one transaction', async () => {
    const { staff, event: small } = await staffAndEvent({ places: '2', public: 'members' });
    const single = await publishedEvent(w.ctx, staff.id, { titre: 'Atelier à une place', places: '1', public: 'members' });
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await person(['member']));
    const slugs = [small.slug, single.slug, small.slug, single.slug, small.slug];
    const results = await inOneGroup(people.map((p, i) => () => service.registerForEvent(w.ctx, p.actor, slugs[i], { seats: 1 })));
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<service.Outcome>).value);
    assert.deepEqual(outcomes.map((o) => [o.status, o.position]), [['confirmed', undefined], ['confirmed', undefined], ['confirmed', undefined], ['waiting', 1], ['waiting', 1]]);
    assert.deepEqual((await registrations(small.id)).map((r) => [r.user_id, r.status, r.queue_position]), [[people[0].id, 'confirmed', 1], [people[2].id, 'confirmed', 2], [people[4].id, 'waiting', 3]]);
    assert.deepEqual((await registrations(single.id)).map((r) => [r.user_id, r.status, r.queue_position]), [[people[1].id, 'confirmed', 1], [people[3].id, 'waiting', 2]]);
    // Rows written by one transaction carry its id.
    const { rows } = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from event_registration`.execute(w.ctx.db);
    assert.equal(rows[0].n, 1);
    assert.equal((await auditsOf(small.id)).length + (await auditsOf(single.id)).length, 5);
    assert.equal((await remindersOf()).length, 3);
    const titles = new Map((await w.ctx.db.selectFrom('event').select(['slug', 'title']).execute()).map((e) => [e.slug, e.title]));
    for (const [i, p] of people.entries()) {
      const mails = await mailsTo(p.email);
      assert.equal(mails.length, 1);
      assert.ok(mails[0].subject.startsWith(i < 3 ? 'Inscription confirmée' : 'Liste d’attente'), mails[0].subject);
      assert.ok(mails[0].subject.endsWith(titles.get(slugs[i])!), mails[0].subject);
    }
  });

  test('each confirmed registration of a group has one confirmation with its .ics, one reminder and one log entry by its person; each waiting one its mail with its rank', async () => {
    const { event } = await staffAndEvent({ places: '6' });
    const people = [];
    for (let i = 0; i < 10; i++) people.push(await person(['member']));
    const results = await inOneGroup(people.map((p) => () => service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 })));
    assert.ok(results.every((r) => r.status === 'fulfilled'));
    const rows = await registrations(event.id);
    const confirmed = rows.filter((r) => r.status === 'confirmed');
    assert.equal(confirmed.length, 6);
    // Arrival order: the first six callers have the seats, the next four wait in their order.
    assert.deepEqual(rows.map((r) => r.user_id), people.map((p) => p.id));
    assert.deepEqual((await remindersOf()).sort(), confirmed.map((r) => r.id).sort());
    const audits = await auditsOf(event.id);
    assert.equal(audits.length, 10);
    for (const r of rows) {
      const mails = await mailsTo(r.email!);
      assert.equal(mails.length, 1, `one mail to ${r.email}`);
      assert.ok(mails[0].text_body.includes(`/agenda/inscription/${r.id}/${registrationToken(w.ctx, r.id)}`), 'the mail carries its own registration’s link');
      if (r.status === 'confirmed') {
        assert.match(mails[0].subject, /Inscription confirmée/);
        assert.equal(mails[0].attachments.length, 1);
      } else {
        assert.equal(mails[0].attachments.length, 0);
        assert.ok(mails[0].text_body.includes(String(r.queue_position! - 6)), 'the waiting mail gives the rank');
      }
      const entry = audits.find((a) => (a.data as { registration: string }).registration === r.id)!;
      assert.equal(entry.actor_id, r.user_id);
    }
    const deliveries = await w.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.deliver').execute();
    const outbox = await w.ctx.db.selectFrom('outbox_mail').select('id').execute();
    assert.deepEqual(deliveries.map((d) => (d.payload as { mailId: string }).mailId).sort(), outbox.map((m) => m.id).sort(), 'one delivery job per mail');
  });

  test('a group larger than the maximum is split, in arrival order', async () => {
    const { event } = await staffAndEvent({ places: '20' });
    const people = [];
    for (let i = 0; i < GROUP_MAX + 5; i++) people.push(await person(['member']));
    const results = await inOneGroup(people.map((p) => () => service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 })));
    assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);
    const rows = await registrations(event.id);
    assert.deepEqual(rows.map((r) => r.user_id), people.map((p) => p.id));
    assert.equal(rows.filter((r) => r.status === 'confirmed').length, 20);
  });

  test('when the database refuses one request of a group, nothing of the group is kept from that attempt: the others are written once each, that one not at all', async () => {
    const { event } = await staffAndEvent({ places: '2' });
    const [a, bad, c, d] = [await person(['member']), await person(['member']), await person(['member']), await person(['member'])];
    const contact = (p: typeof a, name: string) => ({ email: p.email, name, locale: 'fr' as const });
    const results = await inOneGroup([
      () => service.registerForEvent(w.ctx, a.actor, event.slug, { seats: 1 }, contact(a, 'Anne')),
      // Longer than the column allows (CHECK length(name) between 1 and 120): the group's insert fails.
      () => service.registerForEvent(w.ctx, bad.actor, event.slug, { seats: 1 }, contact(bad, 'x'.repeat(121))),
      () => service.registerForEvent(w.ctx, c.actor, event.slug, { seats: 1 }, contact(c, 'Claire')),
      () => service.registerForEvent(w.ctx, d.actor, event.slug, { seats: 1 }, contact(d, 'Denis')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    assert.ok(!((results[1] as PromiseRejectedResult).reason instanceof AppError), 'the database’s refusal reaches only its caller');
    const rows = await registrations(event.id);
    assert.deepEqual(rows.map((r) => [r.user_id, r.status, r.queue_position]), [[a.id, 'confirmed', 1], [c.id, 'confirmed', 2], [d.id, 'waiting', 3]]);
    assert.equal((await mailsTo(bad.email)).length, 0);
    for (const p of [a, c, d]) assert.equal((await mailsTo(p.email)).length, 1);
    assert.equal((await auditsOf(event.id)).length, 3);
    assert.equal((await remindersOf()).length, 2);
    assert.equal((await w.ctx.db.selectFrom('outbox_mail').select('id').execute()).length, 3);
  });
});

describe('the claim window', () => {
  test('is the event’s window far from the start, half the time left nearer, and at least an hour while time remains', async () => {
    const { claimWindowMs } = await import('../events.seats.js');
    const now = new Date('2026-11-27T09:00:00Z');
    const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
    assert.equal(claimWindowMs({ claim_window_hours: 48, starts_at: at(24 * 10) }, now), 48 * HOUR);
    assert.equal(claimWindowMs({ claim_window_hours: 12, starts_at: at(24 * 10) }, now), 12 * HOUR);
    assert.equal(claimWindowMs({ claim_window_hours: 48, starts_at: at(30) }, now), 15 * HOUR);
    assert.equal(claimWindowMs({ claim_window_hours: 48, starts_at: at(1.5) }, now), HOUR);
    assert.equal(claimWindowMs({ claim_window_hours: 48, starts_at: at(0.5) }, now), 0.5 * HOUR);
    assert.equal(claimWindowMs({ claim_window_hours: 48, starts_at: at(-1) }, now), 0);
  });
});

describe('the event read kept between registrations (decision 0033)', () => {
  const icsOf = async (email: string) => Buffer.from((await mailsTo(email))[0].attachments[0].content, 'base64').toString();

  test('an event changed after a registration read it (at the same instant, by another writer) is read again: the next confirmation carries the change', async () => {
    const { event } = await staffAndEvent({ titre: 'Atelier compost' });
    const [first, second] = [await person(['member']), await person(['member'])];
    await service.registerForEvent(w.ctx, first.actor, event.slug, { seats: 1 });
    assert.match(await icsOf(first.email), /SUMMARY:Atelier compost/);
    // Same clock instant (its updated_at does not move), written outside the staff's use cases.
    await sql`update event set title = 'Atelier lombricompost' where id = ${event.id}`.execute(w.ctx.db);
    await service.registerForEvent(w.ctx, second.actor, event.slug, { seats: 1 });
    assert.match(await icsOf(second.email), /SUMMARY:Atelier lombricompost/);
  });

  test('an event cancelled, or back to draft, after a registration read it refuses the next ones', async () => {
    const { staff, event } = await staffAndEvent();
    await service.registerForEvent(w.ctx, (await person(['member'])).actor, event.slug, { seats: 1 });
    await sql`update event set status = 'draft' where id = ${event.id}`.execute(w.ctx.db);
    assert.equal(await codeOf(service.registerForEvent(w.ctx, (await person(['member'])).actor, event.slug, { seats: 1 })), 'not_found');
    await sql`update event set status = 'published' where id = ${event.id}`.execute(w.ctx.db);
    await service.registerForEvent(w.ctx, (await person(['member'])).actor, event.slug, { seats: 1 });
    await cancelEvent(w.ctx, staffActor(w.ctx, staff.id), event.id);
    assert.equal((await errorOf(service.registerForEvent(w.ctx, (await person(['member'])).actor, event.slug, { seats: 1 }))).message, 'events.register.cancelled');
  });

  test('a slug given to another event after a registration read it leads to that event', async () => {
    const { staff, event } = await staffAndEvent();
    await service.registerForEvent(w.ctx, (await person(['member'])).actor, event.slug, { seats: 1 });
    await sql`update event set slug = ${`${event.slug}-ancien`} where id = ${event.id}`.execute(w.ctx.db);
    const other = await publishedEvent(w.ctx, staff.id, { titre: 'Autre atelier' });
    await sql`update event set slug = ${event.slug} where id = ${other.id}`.execute(w.ctx.db);
    const p = await person(['member']);
    await service.registerForEvent(w.ctx, p.actor, event.slug, { seats: 1 });
    assert.deepEqual((await registrations(other.id)).map((r) => r.user_id), [p.id]);
    assert.equal((await registrations(event.id)).length, 1);
  });
});

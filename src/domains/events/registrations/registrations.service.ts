/**
 * Registrations (`first_come`): a signed-in account registers in one click, a visitor through a short form
 * confirmed by mail; both get a seat while there are enough, else a place on the waiting list. Every decision runs
 * in one transaction that locks the event row first (then registrations), so seats are never given twice, and the
 * mails and jobs it causes are written in that same transaction. Registering twice returns the first registration.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { completeWithin, enqueueJob, type ClaimedJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { hashToken, newToken } from '../../../shared/tokens.js';
import { isUuid } from '../../../shared/input.js';
import { HOUR } from '../../../shared/time.js';
import { recordAudit } from '../../audit/index.js';
import { confirmationIcs, checkinQrSvg, checkinUrl, isRegistrationToken, registrationMail } from '../events.common.js';
import { applicationHostOf, applyPendingLocked } from '../events.selection.js';
import { assertSignedIn, audienceAllows, canManageEvents } from '../events.policy.js';
import * as repo from '../events.repo.js';
import type { VisitorRegistrationInput } from '../events.schemas.js';
import { OFFER_SWEEP_JOB, offerFreedSeats, oneAtATime, recipientOf, scheduleReminder } from '../events.seats.js';
import { checkOpen } from './registrations.one-click.js';

const notFound = () => new AppError('not_found', 'events.notFound');
const LIVE = ['pending', 'applied', 'confirmed', 'waiting', 'offered'] as const;

/** The event a registration is asked for, by its slug, before anything is locked. */
async function publishedEventId(ctx: AppContext, territoryId: number, slug: string) {
  if (!/^[a-z0-9-]{1,100}$/.test(slug)) throw notFound();
  const e = await repo.findEventHeadBySlug(ctx.db, territoryId, slug);
  if (!e || e.status === 'draft') throw notFound();
  // Applications to these events are made from another domain's page (discovery stays: the household's case).
  if (applicationHostOf(e.type_key)) throw new AppError('conflict', 'events.register.hosted');
  return e.id;
}

/**
 * Gives seats or a place in line to a registration, the event being locked: a seat when the whole request fits in
 * the free seats, the waiting list when none is free (or when the person said a place in line would do). A request
 * larger than the seats left is refused with their number, so nobody joins the list by surprise.
 */
async function place(trx: Executor, event: repo.LockedEvent, seats: number, waitlistOk: boolean): Promise<{ status: 'confirmed' | 'waiting'; position: number }> {
  const free = event.capacity - (await repo.sumSeats(trx, event.id));
  const position = await repo.nextQueuePosition(trx, event.id);
  if (seats <= free) return { status: 'confirmed', position };
  if (free > 0 && !waitlistOk) throw new AppError('conflict', 'events.register.onlyLeft', { places: 'events.register.seatsField' }, { left: free });
  return { status: 'waiting', position };
}

/** How many are ahead in line (for the mail and the page). */
const rankOf = async (db: Executor, eventId: number, id: string) => {
  const list = await repo.listWaiting(db, eventId);
  return list.findIndex((r) => r.id === id) + 1;
};

/** Mails and jobs of a registration that has just got its seat. */
async function confirmed(trx: Executor, ctx: AppContext, event: repo.LockedEvent, r: repo.RegistrationRow) {
  await registrationMail(trx, ctx, recipientOf(r), 'confirmed', event, { seats: r.seats }, await confirmationIcs(trx, ctx, event.id));
  await scheduleReminder(trx, ctx, r.id, event);
}

async function settle(trx: Executor, ctx: AppContext, event: repo.LockedEvent, id: string, status: 'confirmed' | 'waiting') {
  const r = (await repo.findRegistration(trx, ctx.territory.id, id))!;
  if (status === 'confirmed') {
    await confirmed(trx, ctx, event, r);
    return undefined;
  }
  const position = await rankOf(trx, event.id, id);
  await registrationMail(trx, ctx, recipientOf(r), 'waiting', event, { seats: r.seats, position });
  return position;
}

// ---------------------------------------------------------------------------------------------- signed in

// One click (grouped per event): `registrations.one-click.ts`.
export { registerForEvent, forgetKeptEvents, type Contact, type Outcome } from './registrations.one-click.js';

// ---------------------------------------------------------------------------------------------- visitors

/**
 * A visitor's form on a public event: nothing is held until the address is confirmed from the mail. Asking again
 * sends the same link again; the page says the same thing whatever the address, so it tells nobody who registered.
 */
export async function requestVisitorRegistration(ctx: AppContext, actor: Actor, slug: string, input: VisitorRegistrationInput & { locale: 'fr' | 'en' }) {
  const eventId = await publishedEventId(ctx, actor.territoryId, slug);
  await oneAtATime(eventId, () => ctx.db.transaction().execute(async (trx) => {
    const event = await repo.lockEvent(trx, actor.territoryId, eventId);
    if (!event || event.status === 'draft') throw notFound();
    if (event.audience !== 'public' && !audienceAllows(actor, event.audience)) throw new AppError('forbidden', `events.register.audience.${event.audience}`);
    const now = ctx.clock.now();
    checkOpen(event, now, input.seats);
    const existing = await repo.findLiveRegistration(trx, event.id, { email: input.email });
    if (existing) {
      await registrationMail(trx, ctx, recipientOf(existing), existing.status === 'pending' ? 'confirmAddress' : 'alreadyRegistered', event, { seats: existing.seats });
      return;
    }
    const { id } = await repo.insertRegistration(trx, { territoryId: actor.territoryId, eventId: event.id, userId: null, email: input.email, name: input.name, locale: input.locale, seats: input.seats, status: 'pending', queuePosition: null, now });
    await registrationMail(trx, ctx, { id, email: input.email, locale: input.locale, name: input.name }, 'confirmAddress', event, { seats: input.seats });
    // The visitor's address stays out of the audit log.
    await recordAudit(trx, ctx, actor, { action: 'event_registration.requested', subjectType: 'event', subjectId: String(event.id), data: { registration: id, seats: input.seats } });
  }));
}

// ---------------------------------------------------------------------------------------------- the registration's link

/** What the registration's page shows: the registration, its event, its rank in line, what may be done. */
export async function getRegistrationByLink(ctx: AppContext, id: string, token: string) {
  if (!isRegistrationToken(ctx, id, token)) throw new AppError('not_found', 'events.link.invalid');
  const r = await repo.findRegistration(ctx.db, ctx.territory.id, id);
  if (!r) throw new AppError('not_found', 'events.link.invalid');
  const event = (await repo.findEventById(ctx.db, ctx.territory.id, r.event_id))!;
  const now = ctx.clock.now();
  const rank = r.status === 'waiting' ? await rankOf(ctx.db, r.event_id, r.id) : null;
  const offerOpen = r.status === 'offered' && !!r.offer_expires_at && r.offer_expires_at > now;
  const checkin = r.status === 'confirmed' && event.status === 'published' && event.ends_at > now ? { url: checkinUrl(ctx, r.id), qrSvg: await checkinQrSvg(ctx, r.id) } : null;
  return { registration: r, event, rank, offerOpen, showLink: r.status === 'confirmed' && event.place_kind === 'online' && event.status === 'published', checkin, now };
}
export type RegistrationPage = Awaited<ReturnType<typeof getRegistrationByLink>>;

/** Runs a change on the registration of a link (or of the signed-in person), the event locked first. */
async function withRegistration<T>(
  ctx: AppContext,
  who: { link: { id: string; token: string } } | { actor: Actor; id: string },
  change: (trx: Executor, event: repo.LockedEvent, r: repo.RegistrationRow) => Promise<T>,
) {
  let id: string;
  if ('link' in who) {
    if (!isRegistrationToken(ctx, who.link.id, who.link.token)) throw new AppError('not_found', 'events.link.invalid');
    id = who.link.id;
  } else {
    assertSignedIn(who.actor);
    id = who.id;
  }
  if (!isUuid(id)) throw notFound();
  const first = await repo.findRegistration(ctx.db, ctx.territory.id, id);
  if (!first) throw notFound();
  if ('actor' in who && first.user_id !== who.actor.userId) throw notFound();
  const result = await oneAtATime(first.event_id, () =>
    ctx.db.transaction().execute(async (trx) => {
      const event = await repo.lockEvent(trx, ctx.territory.id, first.event_id);
      if (!event) throw notFound();
      const r = (await repo.findRegistration(trx, ctx.territory.id, id))!;
      return change(trx, event, r);
    }),
  );
  ctx.pageCache.clear();
  return result;
}

/** The visitor clicks the link of the mail: the address is theirs, the seat (or the place in line) is given now. */
export async function confirmVisitorRegistration(ctx: AppContext, id: string, token: string) {
  return withRegistration(ctx, { link: { id, token } }, async (trx, event, r) => {
    if (r.status !== 'pending') {
      if (r.status === 'cancelled' || r.status === 'lapsed') throw new AppError('conflict', 'events.link.cancelled');
      return { status: r.status, created: false };
    }
    const now = ctx.clock.now();
    checkOpen(event, now, r.seats);
    if (event.registration_mode === 'selection') {
      await applyPendingLocked(trx, ctx, event, r);
      await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'event_registration.applied', subjectType: 'event', subjectId: String(event.id), data: { registration: r.id } });
      return { status: 'applied' as const, created: true };
    }
    const { status, position } = await place(trx, event, r.seats, true);
    await repo.setRegistration(trx, r.id, { status, queuePosition: position, now });
    await settle(trx, ctx, event, r.id, status);
    await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'event_registration.confirmed', subjectType: 'event', subjectId: String(event.id), data: { registration: r.id, status } });
    return { status, created: true };
  });
}

async function cancelLocked(trx: Executor, ctx: AppContext, actorId: string | null, event: repo.LockedEvent, r: repo.RegistrationRow) {
  if (r.status === 'cancelled' || r.status === 'lapsed') return { cancelled: false };
  if (event.ends_at <= ctx.clock.now()) throw new AppError('conflict', 'events.cancel.over');
  const heldSeats = r.status === 'confirmed' || r.status === 'offered';
  await repo.setRegistration(trx, r.id, { status: 'cancelled', now: ctx.clock.now() });
  await registrationMail(trx, ctx, recipientOf(r), 'cancelledByYou', event);
  const offered = heldSeats ? await offerFreedSeats(trx, ctx, event) : [];
  await recordAudit(trx, ctx, { userId: actorId, territoryId: ctx.territory.id }, { action: 'event_registration.cancelled', subjectType: 'event', subjectId: String(event.id), data: { registration: r.id, from: r.status, offered: offered.length } });
  return { cancelled: true };
}

/** Cancels from the mail's link. Seats it held go to the waiting list in the same transaction. */
export const cancelByLink = (ctx: AppContext, id: string, token: string) => withRegistration(ctx, { link: { id, token } }, (trx, event, r) => cancelLocked(trx, ctx, null, event, r));

/** Cancels from the account's page (`/compte/inscriptions`) or the API. */
export const cancelOwnRegistration = (ctx: AppContext, actor: Actor, id: string) =>
  withRegistration(ctx, { actor, id }, (trx, event, r) => cancelLocked(trx, ctx, actor.userId, event, r));

/** The signed-in person cancels their registration to an event, by the event's slug (API). */
export async function cancelRegistrationForEvent(ctx: AppContext, actor: Actor, slug: string) {
  assertSignedIn(actor);
  const eventId = await publishedEventId(ctx, actor.territoryId, slug);
  const r = await repo.findLiveRegistration(ctx.db, eventId, { userId: actor.userId });
  if (!r) throw new AppError('not_found', 'events.cancel.none');
  return cancelOwnRegistration(ctx, actor, r.id);
}

/**
 * Claims an offered seat within its window. A second click answers that it is already claimed; a click after the
 * window that the offer has passed to the next person.
 */
export async function claimOffer(ctx: AppContext, id: string, token: string) {
  return withRegistration(ctx, { link: { id, token } }, async (trx, event, r) => {
    const now = ctx.clock.now();
    if (r.status === 'confirmed') throw new AppError('conflict', 'events.offer.alreadyClaimed');
    if (r.status === 'lapsed' || (r.status === 'offered' && r.offer_expires_at! <= now)) throw new AppError('conflict', 'events.offer.expired');
    if (r.status !== 'offered') throw new AppError('conflict', 'events.offer.none');
    if (event.status !== 'published') throw new AppError('conflict', 'events.register.cancelled');
    await repo.setRegistration(trx, r.id, { status: 'confirmed', now });
    await confirmed(trx, ctx, event, r);
    await recordAudit(trx, ctx, { userId: r.user_id, territoryId: ctx.territory.id }, { action: 'event_registration.offer_claimed', subjectType: 'event', subjectId: String(event.id), data: { registration: r.id, seats: r.seats } });
    return { claimed: true };
  });
}

/**
 * Someone waiting lowers the number of seats they ask for (a family that will come with fewer): they keep their
 * place in line, and the free seats are offered again under the same rule.
 */
export async function lowerWaitingSeats(ctx: AppContext, id: string, token: string, seats: number) {
  return withRegistration(ctx, { link: { id, token } }, async (trx, event, r) => {
    if (r.status !== 'waiting') throw new AppError('conflict', 'events.lower.notWaiting');
    if (seats >= r.seats) throw new AppError('invalid', 'events.lower.notLower', { places: 'events.lower.notLower' });
    await repo.setRegistration(trx, r.id, { status: 'waiting', seats, now: ctx.clock.now() });
    const offered = await offerFreedSeats(trx, ctx, event);
    await recordAudit(trx, ctx, { userId: r.user_id, territoryId: ctx.territory.id }, { action: 'event_registration.seats_lowered', subjectType: 'event', subjectId: String(event.id), data: { registration: r.id, from: r.seats, to: seats, offered: offered.length } });
    return { offered: offered.includes(r.id) };
  });
}

// ---------------------------------------------------------------------------------------------- the account's page

export async function listMyRegistrations(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const [rows, feed] = await Promise.all([repo.listRegistrationsOfUser(ctx.db, actor.territoryId, actor.userId), repo.findFeedOf(ctx.db, actor.userId)]);
  const now = ctx.clock.now();
  return {
    upcoming: rows.filter((r) => r.ends_at > now && (LIVE as readonly string[]).includes(r.status)).reverse(),
    past: rows.filter((r) => r.ends_at <= now || !(LIVE as readonly string[]).includes(r.status)),
    feedSince: feed?.created_at ?? null,
    now,
  };
}

/** A new secret address for the person's calendar feed; the old one stops working. Returned once, never stored. */
export async function renewMyFeed(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const { token, hash } = newToken(24);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertFeed(trx, actor.territoryId, actor.userId, hash, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'event_feed.renewed', subjectType: 'user', subjectId: actor.userId });
  });
  return `${ctx.config.baseUrl}/agenda/flux/${token}.ics`;
}

export async function revokeMyFeed(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const res = await repo.deleteFeed(trx, actor.userId);
    if (Number(res.numDeletedRows)) await recordAudit(trx, ctx, actor, { action: 'event_feed.revoked', subjectType: 'user', subjectId: actor.userId });
  });
}

/** Who a personal feed belongs to and what they may see (null for an unknown or revoked secret). */
export async function feedOwner(ctx: AppContext, token: string) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const owner = await repo.findFeedUser(ctx.db, hashToken(token));
  if (!owner || owner.territory_id !== ctx.territory.id) return null;
  const roles = await repo.rolesOf(ctx.db, owner.territory_id, owner.user_id);
  return { userId: owner.user_id, roles: new Set(roles) };
}

// ---------------------------------------------------------------------------------------------- jobs

/** At the end of a claim window: the offer lapses when nobody claimed it, and the seats go to the next in line. */
export async function offerExpiryJob(ctx: AppContext, job: ClaimedJob) {
  const id = String(job.payload.registrationId ?? '');
  const first = isUuid(id) ? await repo.findRegistration(ctx.db, ctx.territory.id, id) : undefined;
  const run = () =>
    ctx.db.transaction().execute(async (trx) => {
      if (first) await lapseIfDue(trx, ctx, first.event_id, id);
      await completeWithin(trx, job, ctx.clock.now());
    });
  await (first ? oneAtATime(first.event_id, run) : run());
  ctx.pageCache.clear();
}

async function lapseIfDue(trx: Executor, ctx: AppContext, eventId: number, id: string) {
  const event = await repo.lockEvent(trx, ctx.territory.id, eventId);
  const r = await repo.findRegistration(trx, ctx.territory.id, id);
  const now = ctx.clock.now();
  if (!event || !r || r.status !== 'offered' || r.offer_expires_at! > now) return false;
  await repo.setRegistration(trx, r.id, { status: 'lapsed', now });
  await registrationMail(trx, ctx, recipientOf(r), 'lapsed', event);
  const offered = await offerFreedSeats(trx, ctx, event);
  await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'event_registration.offer_lapsed', subjectType: 'event', subjectId: String(event.id), data: { registration: r.id, offered: offered.length } });
  return true;
}

/** Every hour: offers whose expiry job was lost (it never should be) lapse all the same. */
export async function offerSweepJob(ctx: AppContext, job: ClaimedJob) {
  const now = ctx.clock.now();
  let lapsed = 0;
  for (const due of await repo.listLapsedOffers(ctx.db, ctx.territory.id, now)) {
    if (await oneAtATime(due.event_id, () => ctx.db.transaction().execute((trx) => lapseIfDue(trx, ctx, due.event_id, due.id)))) lapsed += 1;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await enqueueSweep(trx, now, new Date(now.getTime() + HOUR));
    await completeWithin(trx, job, now);
  });
  if (lapsed) ctx.pageCache.clear();
}

/** One sweep per clock hour, whatever the number of processes (the job's key). */
const enqueueSweep = (db: Executor, now: Date, at: Date) =>
  enqueueJob(db, now, OFFER_SWEEP_JOB, {}, { runAt: at, dedupeKey: `events.offerSweep:${new Date(Math.floor(at.getTime() / HOUR) * HOUR).toISOString()}`, maxAttempts: 3 });

/** At start-up: the sweep is queued (idempotent); each sweep queues the next one. */
export const scheduleOfferSweep = (ctx: AppContext) => enqueueSweep(ctx.db, ctx.clock.now(), ctx.clock.now());

/** 24 hours before: a reminder to each confirmed registration, once (the job's key), only if nothing moved since. */
export async function reminderJob(ctx: AppContext, job: ClaimedJob) {
  const id = String(job.payload.registrationId ?? '');
  const startsAt = String(job.payload.startsAt ?? '');
  await ctx.db.transaction().execute(async (trx) => {
    const r = isUuid(id) ? await repo.findRegistration(trx, ctx.territory.id, id) : undefined;
    const event = r ? await repo.findEventById(trx, ctx.territory.id, r.event_id) : undefined;
    if (r && event && r.status === 'confirmed' && event.status === 'published' && event.starts_at.toISOString() === startsAt && event.starts_at > ctx.clock.now()) {
      await registrationMail(trx, ctx, recipientOf(r), 'reminder', event, { seats: r.seats });
    }
    await completeWithin(trx, job, ctx.clock.now());
  });
}

// ---------------------------------------------------------------------------------------------- personal data

export async function exportRegistrations(ctx: AppContext, userId: string) {
  const rows = await repo.listRegistrationsOfUser(ctx.db, ctx.territory.id, userId);
  if (!rows.length) return null;
  return {
    registrations: rows.map((r) => ({ event: r.title, startsAt: r.starts_at.toISOString(), seats: r.seats, status: r.status, registeredAt: r.created_at.toISOString(), email: r.email, name: r.name })),
  };
}

/** Live registrations are cancelled (their seats offered to the waiting list), then every one is anonymised. */
export async function eraseRegistrations(ctx: AppContext, userId: string) {
  const rows = await repo.listRegistrationsOfUser(ctx.db, ctx.territory.id, userId);
  const actor = { userId, territoryId: ctx.territory.id, roles: new Set<never>() };
  for (const r of rows) {
    if ((LIVE as readonly string[]).includes(r.status) && r.ends_at > ctx.clock.now()) await cancelOwnRegistration(ctx, actor, r.id).catch(() => undefined);
  }
  return ctx.db.transaction().execute(async (trx) => {
    const changed = await repo.anonymiseRegistrationsOfUser(trx, userId, ctx.clock.now());
    await repo.deleteFeed(trx, userId);
    if (changed.length) await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'event_registration.erased', subjectType: 'user', subjectId: userId, data: { count: changed.length } });
    return changed.length;
  });
}

export { canManageEvents };

/**
 * Booking, in the third place's words: look at a resource's free slots, book one (a member at once, a visitor once
 * they confirm by e-mail, within 30 minutes), cancel until the deadline, and for the back office book on someone's
 * behalf and block slots. Every check goes through the one availability function; the database has the last word
 * (exclusion constraint for single-use resources, a row lock and a count for shared spaces and for a room with its
 * machines). Each change runs in one transaction with its audit entry, its mail and its jobs.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import type { OpeningHours } from '../../../db/schema.js';
import { isExclusionViolation } from '../../../db/errors.js';
import { completeWithin, enqueueJob, type ClaimedJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { addDays, formatDateTime, HOUR, isoWeekday, MINUTE, parisClock, parisDay, parisTime } from '../../../shared/time.js';
import { tFor, type Locale } from '../../../web/i18n/index.js';
import { bookingIcsEvent, bookingsCalendar } from './reservations.ics.js';
import { findUserByEmail } from '../../accounts/index.js';
import { recordAudit } from '../../audit/index.js';
import { queueTemplatedMail } from '../../mail/index.js';
import { formatTime } from '../../places/index.js';
import { HOLD_MINUTES, holdIsLive, holdTokenHash, startHold } from '../bookings.holds.js';
import { assertBookingStaff, assertSignedIn, audienceOf, canManageBookings, mayBook } from '../bookings.policy.js';
import { assertAuthorised, listMyAuthorisations, withNextSession } from '../authorisations/index.js';
import { findActiveResource, listActiveResources, listChildIds, listClosures, type Resource } from '../resources/index.js';
import { availability, type Audience, type Busy, checkRequest, type DayAvailability, type Facts, nearestFree, type Refusal, type ResourceRules, wallInstant } from './reservations.availability.js';
import * as repo from './reservations.repo.js';
import { oneAtATime } from '../../../shared/one-at-a-time.js';
import type { GridQuery, SlotRequest } from './reservations.schemas.js';

export { HOLD_MINUTES };
export const REMINDER_HOURS = 24;
export const RELEASE_HOLD_JOB = 'bookings.release_hold';
export const REMINDER_JOB = 'bookings.reminder';

export type BookingRow = repo.BookingRow;

const resourceNotFound = () => new AppError('not_found', 'bookings.errors.resourceNotFound');
const bookingNotFound = () => new AppError('not_found', 'bookings.errors.bookingNotFound');

export const rulesOf = (r: Resource): ResourceRules => ({
  capacity: r.capacity,
  openingHours: r.opening_hours as OpeningHours,
  slotMinutes: r.slot_minutes,
  minMinutes: r.min_minutes,
  maxMinutes: r.max_minutes,
  memberHorizonDays: r.member_horizon_days,
  visitorHorizonDays: r.visitor_horizon_days,
  noticeMinutes: r.notice_minutes,
});

/** A resource's family: the room a machine sits in, or the machines a room holds. Booking one takes the others. */
export async function familyOf(db: Executor, r: Resource) {
  const children = r.parent_id === null ? await listChildIds(db, r.id) : [];
  return { related: r.parent_id !== null ? [r.parent_id] : children, lockId: r.parent_id ?? r.id };
}

/**
 * The facts the availability function needs over [from, to): the resource's own live bookings (a block takes it
 * whole), those of its room or machines (which take it whole too), and the closures of the resource and its room.
 */
export async function factsFor(db: Executor, ctx: AppContext, r: Resource, related: readonly number[], fromDay: string, toDay: string, audience: Audience) {
  const now = ctx.clock.now();
  const from = parisTime(fromDay, 0);
  const to = parisTime(addDays(toDay, 1), 0);
  const [bookings, closures] = await Promise.all([
    repo.listLiveBookings(db, [r.id, ...related], from, to, now),
    listClosures(db, [r.id, ...(r.parent_id !== null ? [r.parent_id] : [])], from, to),
  ]);
  const busy: Busy[] = bookings.map((b) => ({ start: b.starts_at, end: b.ends_at, units: b.resource_id === r.id && b.kind === 'booking' ? 1 : r.capacity }));
  return { busy, closures: closures.map((c) => ({ start: c.starts_at, end: c.ends_at, reason: c.reason })), now, audience };
}

/** A day and two wall-clock times → the period, or a French message on the field whose time does not exist. */
function periodOf(req: Pick<SlotRequest, 'day' | 'startMinutes' | 'endMinutes'>) {
  const start = wallInstant(req.day, req.startMinutes);
  const end = wallInstant(req.day, req.endMinutes);
  const fields: Record<string, string> = {};
  if (!start) fields.debut = 'bookings.errors.timeDoesNotExist';
  if (!end) fields.fin = 'bookings.errors.timeDoesNotExist';
  if (!start || !end) throw new AppError('invalid', 'bookings.errors.timeDoesNotExist', fields);
  return { start, end };
}

// ---------------------------------------------------------------------------------------------- the "taken" answer

/** The nearest free periods travel with the "already taken" refusal, as ISO pairs, so pages and the API offer them. */
const ALTERNATIVES = 'alternatives';
export function alternativesOf(error: unknown): { start: Date; end: Date }[] {
  if (!(error instanceof AppError) || typeof error.params[ALTERNATIVES] !== 'string') return [];
  return String(error.params[ALTERNATIVES])
    .split(';')
    .filter(Boolean)
    .map((pair) => {
      const [s, e] = pair.split('/');
      return { start: new Date(s), end: new Date(e) };
    });
}

/** The days searched for other free periods: three before (not before today) to seven after the one asked for. */
function searchDays(ctx: AppContext, start: Date) {
  const day = parisClock(start).day;
  const today = parisDay(ctx.clock.now());
  return { fromDay: addDays(day, -3) < today ? today : addDays(day, -3), toDay: addDays(day, 7) };
}

function takenWith(r: Resource, facts: Facts, days: { fromDay: string; toDay: string }, wanted: { start: Date; end: Date }) {
  const near = nearestFree(availability(rulesOf(r), days.fromDay, days.toDay, facts), wanted);
  return new AppError('conflict', 'bookings.errors.taken', { _form: 'bookings.errors.taken' }, { [ALTERNATIVES]: near.map((a) => `${a.start.toISOString()}/${a.end.toISOString()}`).join(';') });
}

/** After the database refused a race (the transaction is gone): the alternatives read afresh. */
async function takenError(ctx: AppContext, r: Resource, related: readonly number[], wanted: { start: Date; end: Date }, audience: Audience) {
  const days = searchDays(ctx, wanted.start);
  return takenWith(r, await factsFor(ctx.db, ctx, r, related, days.fromDay, days.toDay, audience), days, wanted);
}

function refusalError(refusal: Refusal) {
  const field = ['bookings.errors.tooShort', 'bookings.errors.tooLong', 'bookings.errors.endBeforeStart', 'bookings.errors.sameDay'].includes(refusal.key)
    ? 'fin'
    : ['bookings.errors.past', 'bookings.errors.notice', 'bookings.errors.beyondHorizon', 'bookings.errors.holiday', 'bookings.errors.closed'].includes(refusal.key)
      ? 'date'
      : 'debut';
  return new AppError(refusal.code, refusal.key, refusal.code === 'invalid' ? { [field]: refusal.key } : { _form: refusal.key }, refusal.params ?? {});
}

// ---------------------------------------------------------------------------------------------- placing a booking

interface Placement {
  kind: 'booking' | 'block';
  status: 'held' | 'confirmed';
  audience: 'member' | 'visitor' | 'staff';
  userId: string | null;
  visitorName: string | null;
  visitorEmail: string | null;
  note: string;
  bookedBy: string | null;
  /** Whose rules apply (horizon). */
  rulesAudience: Audience;
  /** Whose mail, in which language. */
  recipient: { email: string; name: string; locale: Locale } | null;
}

/**
 * Checks and writes one booking. Single-use resources rely on the exclusion constraint (no lock: two requests
 * race to the insert and the database refuses the second); shared spaces and rooms with machines take the row
 * lock of the room (or space) first, then count, so no two requests can both see room left.
 */
async function place(
  ctx: AppContext,
  actor: Actor,
  key: { slug?: string; id?: number },
  period: { start: Date; end: Date },
  p: Placement,
  check: (r: Resource, trx: Executor) => void | Promise<void> = () => {},
) {
  // The facts cover the days around the request, so a refusal offers other slots without another round trip.
  const days = searchDays(ctx, period.start);
  // Everything happens on one connection: a burst of requests queues once for the pool, not three times; requests
  // for one resource wait their turn in memory first, so a burst for one slot never holds the whole pool.
  let found: { r: Resource; related: number[] } | null = null;
  try {
    return await oneAtATime(`resource:${key.id ?? key.slug}`, () => ctx.db.transaction().execute(async (trx) => {
      const now = ctx.clock.now();
      const r = await findActiveResource(ctx, key, trx);
      if (!r) throw resourceNotFound();
      await check(r, trx);
      const { related, lockId } = await familyOf(trx, r);
      found = { r, related };
      const rules = rulesOf(r);
      if (r.capacity > 1 || related.length > 0) await repo.lockResource(trx, lockId);
      await repo.releaseExpiredHolds(trx, [r.id, ...related], now);
      const facts = await factsFor(trx, ctx, r, related, days.fromDay < parisClock(period.start).day ? days.fromDay : parisClock(period.start).day, days.toDay, p.rulesAudience);
      // A block takes what is left; it does not need the slot to be free for the audience's rules (past aside).
      const refusal = checkRequest(p.kind === 'block' ? { ...rules, minMinutes: rules.slotMinutes, maxMinutes: 24 * 60, noticeMinutes: 0 } : rules, period.start, period.end, facts);
      if (refusal) throw refusal.key === 'bookings.errors.taken' ? takenWith(r, facts, days, period) : refusalError(refusal);
      const hold = p.status === 'held' ? startHold(now) : null;
      const holdUntil = hold?.until ?? null;
      const row = await repo.insertBooking(trx, {
        territoryId: ctx.territory.id,
        resourceId: r.id,
        start: period.start,
        end: period.end,
        exclusive: r.capacity === 1 || p.kind === 'block',
        kind: p.kind,
        status: p.status,
        audience: p.audience,
        userId: p.userId,
        visitorName: p.visitorName,
        visitorEmail: p.visitorEmail,
        confirmTokenHash: hold?.hash ?? null,
        holdUntil,
        note: p.note,
        bookedBy: p.bookedBy,
        at: now,
      });
      await recordAudit(trx, ctx, actor, {
        action: p.kind === 'block' ? 'booking.blocked' : p.status === 'held' ? 'booking.held' : 'booking.created',
        subjectType: 'booking',
        subjectId: row.id,
        data: { resource: r.id, start: period.start.toISOString(), end: period.end.toISOString(), onBehalf: p.bookedBy !== null && p.bookedBy !== p.userId },
      });
      // An account's mail goes to its address, in its language.
      let recipient = p.recipient;
      if (!recipient && p.userId) {
        const saved = await repo.findBooking(trx, ctx.territory.id, row.id);
        if (saved?.person_email) recipient = { email: saved.person_email, name: saved.person_name ?? '', locale: saved.person_locale ?? 'fr' };
      }
      const params = mailParams(r, period, recipient?.locale ?? 'fr', recipient?.name ?? '');
      if (p.status === 'held' && holdUntil && recipient) {
        await enqueueJob(trx, now, RELEASE_HOLD_JOB, { bookingId: row.id }, { runAt: holdUntil, dedupeKey: `booking-release:${row.id}`, maxAttempts: 5 });
        await queueTemplatedMail(trx, ctx, { to: recipient.email, locale: recipient.locale, template: 'bookings.mail.confirmVisitor', params: { ...params, minutes: HOLD_MINUTES }, path: `/reservations/confirmation/${hold!.token}` });
      } else if (p.kind === 'booking') {
        await afterConfirmed(trx, ctx, row.id, period, now, recipient, params);
      }
      return { id: row.id, status: p.status, start: period.start, end: period.end };
    }));
  } catch (error) {
    const f = found as { r: Resource; related: number[] } | null;
    if (isExclusionViolation(error) && f) throw await takenError(ctx, f.r, f.related, period, p.rulesAudience);
    // A machine behind a training: the refusal names the next session (read once the transaction is over).
    throw await withNextSession(ctx, error);
  }
}

/** A confirmed booking: its mail now, its reminder the day before (once, by the job system). */
async function afterConfirmed(trx: Executor, ctx: AppContext, bookingId: string, period: { start: Date; end: Date }, now: Date, recipient: Placement['recipient'], params: Record<string, string | number>) {
  const remindAt = new Date(period.start.getTime() - REMINDER_HOURS * HOUR);
  if (remindAt > now) await enqueueJob(trx, now, REMINDER_JOB, { bookingId }, { runAt: remindAt, dedupeKey: `booking-reminder:${bookingId}`, maxAttempts: 5 });
  if (!recipient) return;
  // The booking travels with its confirmation as an .ics file, so it lands in the person's calendar at Paris time.
  const t = tFor(recipient.locale);
  const ics = bookingsCalendar(ctx, String(params.resource), [
    bookingIcsEvent(ctx, { id: bookingId, resourceName: String(params.resource), placeName: String(params.place), start: period.start, end: period.end, cancelled: false, updatedAt: now }, t('bookings.ics.title', { resource: String(params.resource) })),
  ]);
  await queueTemplatedMail(trx, ctx, {
    to: recipient.email,
    locale: recipient.locale,
    template: 'bookings.mail.confirmed',
    params,
    path: '/compte/reservations',
    attachments: [{ filename: 'reservation.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
  });
}

export function mailParams(r: Pick<Resource, 'name' | 'place_name'> & { cancel_hours: number }, period: { start: Date; end: Date }, locale: Locale, name: string) {
  const intl = locale === 'fr' ? 'fr-FR' : 'en-GB';
  const end = parisClock(period.end);
  const endText = formatTime(`${String(Math.floor(end.minutes / 60)).padStart(2, '0')}:${String(end.minutes % 60).padStart(2, '0')}`, intl);
  return { resource: r.name, place: r.place_name, when: formatDateTime(period.start, intl), until: endText, name, hours: r.cancel_hours };
}

// ---------------------------------------------------------------------------------------------- use cases

async function bookableResource(ctx: AppContext, key: { slug?: string; id?: number }) {
  const r = await findActiveResource(ctx, key);
  if (!r) throw resourceNotFound();
  return r;
}

/** Who may book this resource, and for a machine behind a training, whether the person holds a valid authorisation. */
async function assertMayBook(trx: Executor, ctx: AppContext, actor: Actor, r: Resource) {
  if (!mayBook(actor, r.audience)) {
    if (!actor.userId) throw new AppError('unauthenticated', 'bookings.errors.signInToBook');
    throw new AppError('forbidden', r.audience === 'staff' ? 'bookings.errors.staffOnly' : 'bookings.errors.membersOnly');
  }
  await assertAuthorised(trx, ctx, actor, r);
}

/** A signed-in person books a slot for themselves: confirmed at once (their address is verified with the account). */
export async function bookResource(ctx: AppContext, actor: Actor, key: { slug?: string; id?: number }, req: SlotRequest) {
  assertSignedIn(actor);
  const period = periodOf(req);
  const audience = audienceOf(actor);
  return place(ctx, actor, key, period, {
    kind: 'booking',
    status: 'confirmed',
    audience: canManageBookings(actor) && !actor.roles.has('member') ? 'staff' : audience,
    userId: actor.userId,
    visitorName: null,
    visitorEmail: null,
    note: req.note,
    bookedBy: actor.userId,
    rulesAudience: audience,
    recipient: null,
  }, (r, trx) => assertMayBook(trx, ctx, actor, r));
}

/** A visitor without an account books a resource open to visitors: held 30 minutes until they confirm by mail. */
export async function holdForVisitor(ctx: AppContext, actor: Actor, slug: string, req: SlotRequest & { name: string; email: string }, locale: Locale) {
  const period = periodOf(req);
  const onlyVisitors = (r: Resource) => {
    if (r.audience !== 'visitors') throw new AppError(actor.userId ? 'forbidden' : 'unauthenticated', actor.userId ? 'bookings.errors.membersOnly' : 'bookings.errors.signInToBook');
    if (r.requires_authorisation) throw new AppError('forbidden', 'bookings.errors.authorisationRequired');
  };
  return place(ctx, actor, { slug }, period, {
    kind: 'booking',
    status: 'held',
    audience: 'visitor',
    userId: null,
    visitorName: req.name,
    visitorEmail: req.email,
    note: req.note,
    bookedBy: null,
    rulesAudience: 'visitor',
    recipient: { email: req.email, name: req.name, locale },
  }, onlyVisitors);
}

/** The visitor's link: shows the held booking (GET), confirms it (POST) while the hold lasts. */
export async function getHeldBooking(ctx: AppContext, token: string) {
  const hash = holdTokenHash(token);
  const b = hash ? await repo.findBookingByTokenHash(ctx.db, hash) : undefined;
  if (!b) throw new AppError('not_found', 'bookings.errors.linkInvalid');
  return { booking: b, live: holdIsLive(b, ctx.clock.now()) };
}

export async function confirmVisitorBooking(ctx: AppContext, token: string, locale: Locale) {
  const hash = holdTokenHash(token);
  if (!hash) throw new AppError('not_found', 'bookings.errors.linkInvalid');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const b = await repo.findBookingByTokenHash(trx, hash, { lock: true });
    if (!b) throw new AppError('not_found', 'bookings.errors.linkInvalid');
    // A second click on the link changes nothing and mails nobody again.
    if (b.status === 'confirmed') return { id: b.id, resourceSlug: b.resource_slug };
    if (!holdIsLive(b, now)) throw new AppError('conflict', 'bookings.errors.holdExpired');
    await repo.setStatus(trx, b.id, { status: 'confirmed', at: now });
    await recordAudit(trx, ctx, { userId: null, territoryId: b.territory_id }, { action: 'booking.confirmed', subjectType: 'booking', subjectId: b.id, data: { resource: b.resource_id } });
    const params = mailParams({ name: b.resource_name, place_name: b.place_name, cancel_hours: b.cancel_hours }, { start: b.starts_at, end: b.ends_at }, locale, b.visitor_name ?? '');
    await afterConfirmed(trx, ctx, b.id, { start: b.starts_at, end: b.ends_at }, now, b.visitor_email ? { email: b.visitor_email, name: b.visitor_name ?? '', locale } : null, params);
    return { id: b.id, resourceSlug: b.resource_slug };
  });
}

/**
 * Cancels a booking: its owner until the resource's deadline (for example 24 hours before), the back office at any
 * time (blocks included). Someone else's booking is "not found", so ids reveal nothing.
 */
export async function cancelBooking(ctx: AppContext, actor: Actor, bookingId: string | null) {
  assertSignedIn(actor);
  if (!bookingId) throw bookingNotFound();
  const staff = canManageBookings(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const b = await repo.findBooking(trx, ctx.territory.id, bookingId, { lock: true });
    if (!b || (b.user_id !== actor.userId && !staff)) throw bookingNotFound();
    if (b.status !== 'confirmed' && b.status !== 'held') throw new AppError('conflict', 'bookings.errors.notCancellable');
    if (b.ends_at <= now) throw new AppError('conflict', 'bookings.errors.alreadyPast');
    const deadline = new Date(b.starts_at.getTime() - b.cancel_hours * HOUR);
    if (!staff && now > deadline) throw new AppError('conflict', 'bookings.errors.cancelDeadline', { _form: 'bookings.errors.cancelDeadline' }, { hours: b.cancel_hours });
    await repo.setStatus(trx, b.id, { status: 'cancelled', at: now, by: actor.userId });
    await recordAudit(trx, ctx, actor, { action: b.kind === 'block' ? 'booking.unblocked' : 'booking.cancelled', subjectType: 'booking', subjectId: b.id, data: { resource: b.resource_id, byStaff: b.user_id !== actor.userId } });
    const to = b.person_email ?? b.visitor_email;
    if (b.kind === 'booking' && to) {
      const locale: Locale = b.person_locale ?? 'fr';
      await queueTemplatedMail(trx, ctx, {
        to,
        locale,
        template: 'bookings.mail.cancelled',
        params: mailParams({ name: b.resource_name, place_name: b.place_name, cancel_hours: b.cancel_hours }, { start: b.starts_at, end: b.ends_at }, locale, b.person_name ?? b.visitor_name ?? ''),
        path: `/reservations/${b.resource_slug}`,
      });
    }
    return { id: b.id };
  });
}

// ---------------------------------------------------------------------------------------------- the back office

/** Staff book a slot for someone (found by e-mail, or noted by name and e-mail) or block it. */
export async function bookForSomeone(
  ctx: AppContext,
  actor: Actor,
  resourceId: number,
  req: SlotRequest & { mode: 'pour' | 'blocage'; name: string; email?: string },
) {
  assertBookingStaff(actor);
  if (!isRowId(resourceId)) throw resourceNotFound();
  const period = periodOf(req);
  if (req.mode === 'blocage') {
    return place(ctx, actor, { id: resourceId }, period, {
      kind: 'block',
      status: 'confirmed',
      audience: 'staff',
      userId: null,
      visitorName: null,
      visitorEmail: null,
      note: req.note,
      bookedBy: actor.userId,
      rulesAudience: 'member',
      recipient: null,
    });
  }
  const email = req.email!;
  const account = await findUserByEmail(ctx.db, email);
  if (!account && !req.name) throw new AppError('invalid', 'errors.invalid', { nom: 'bookings.form.nameForVisitor' });
  return place(
    ctx,
    actor,
    { id: resourceId },
    period,
    {
      kind: 'booking',
      status: 'confirmed',
      audience: account ? 'member' : 'visitor',
      userId: account?.id ?? null,
      visitorName: account ? null : req.name,
      visitorEmail: account ? null : email,
      note: req.note,
      bookedBy: actor.userId,
      rulesAudience: 'member',
      recipient: { email, name: account?.display_name ?? req.name, locale: account?.locale ?? 'fr' },
    },
    // A machine behind a training is booked for a person who holds a valid authorisation, like by themselves.
    (r, trx) => assertAuthorised(trx, ctx, actor, r, account?.id ?? null),
  );
}

/** The back office's week: every live booking and block from a day, seven days. */
export async function listBookingsForStaff(ctx: AppContext, actor: Actor, fromDay: string | undefined) {
  assertBookingStaff(actor);
  const day = fromDay ?? parisDay(ctx.clock.now());
  const rows = await repo.listBookingsBetween(ctx.db, ctx.territory.id, parisTime(day, 0), parisTime(addDays(day, 7), 0));
  return { day, rows, resources: await listActiveResources(ctx) };
}

// ---------------------------------------------------------------------------------------------- reading

/** The public list: active resources by place, each with who may book it. */
export async function listResourcesForBooking(ctx: AppContext, actor: Actor) {
  const resources = await listActiveResources(ctx);
  return resources.map((r) => ({ resource: r, mayBook: mayBook(actor, r.audience) }));
}

/** Monday of the week holding `day`. */
const mondayOf = (day: string) => addDays(day, 1 - isoWeekday(day));

/** A resource's grid: one day or the week around it, each slot free, taken or why not, for this person's rules. */
export async function getGrid(ctx: AppContext, actor: Actor, slug: string, q: GridQuery) {
  const r = await bookableResource(ctx, { slug });
  const today = parisDay(ctx.clock.now());
  const day = q.date && q.date >= addDays(today, -7) && q.date <= addDays(today, 400) ? q.date : today;
  const fromDay = q.vue === 'semaine' ? mondayOf(day) : day;
  const toDay = q.vue === 'semaine' ? addDays(fromDay, 6) : day;
  const audience = audienceOf(actor);
  const { related } = await familyOf(ctx.db, r);
  const facts = await factsFor(ctx.db, ctx, r, related, fromDay, toDay, audience);
  const days = availability(rulesOf(r), fromDay, toDay, facts);
  const step = q.vue === 'semaine' ? 7 : 1;
  return {
    resource: r,
    days,
    view: q.vue,
    day,
    prev: addDays(fromDay, -step),
    next: addDays(fromDay, step),
    today,
    audience,
    signedIn: !!actor.userId,
    mayBook: mayBook(actor, r.audience),
    visitorsMayBook: r.audience === 'visitors' && !r.requires_authorisation,
    staff: canManageBookings(actor),
    now: ctx.clock.now(),
  };
}
export type Grid = Awaited<ReturnType<typeof getGrid>>;

/** The booking form of one slot: the end times that keep the booking free and within the allowed durations. */
export async function getBookingForm(ctx: AppContext, actor: Actor, slug: string, q: { date?: string; debut?: string }) {
  const r = await bookableResource(ctx, { slug });
  const day = q.date ?? parisDay(ctx.clock.now());
  const audience = audienceOf(actor);
  const { related } = await familyOf(ctx.db, r);
  const facts = await factsFor(ctx.db, ctx, r, related, day, day, audience);
  const [{ slots }] = availability(rulesOf(r), day, day, facts);
  const first = slots.findIndex((s) => s.label === q.debut && s.state === 'free');
  const ends: string[] = [];
  if (first >= 0) {
    for (let i = first; i < slots.length && slots[i].state === 'free'; i++) {
      if (i > first && slots[i].start.getTime() !== slots[i - 1].end.getTime()) break;
      const minutes = (slots[i].end.getTime() - slots[first].start.getTime()) / MINUTE;
      if (minutes > r.max_minutes) break;
      const endClock = parisClock(slots[i].end);
      const label = endClock.day === day ? `${String(Math.floor(endClock.minutes / 60)).padStart(2, '0')}:${String(endClock.minutes % 60).padStart(2, '0')}` : '24:00';
      if (minutes >= r.min_minutes) ends.push(label);
    }
  }
  return {
    resource: r,
    day,
    start: first >= 0 ? slots[first].label : q.debut,
    ends,
    free: first >= 0,
    signedIn: !!actor.userId,
    mayBook: mayBook(actor, r.audience),
    audience,
    staff: canManageBookings(actor),
  };
}

/** Availability of one resource for the API: each day's slots as instants, state and room left. */
export async function getAvailability(ctx: AppContext, actor: Actor, resourceId: number, fromDay: string, toDay: string): Promise<{ resource: Resource; days: DayAvailability[] }> {
  const r = await bookableResource(ctx, { id: resourceId });
  const audience = audienceOf(actor);
  const { related } = await familyOf(ctx.db, r);
  const facts = await factsFor(ctx.db, ctx, r, related, fromDay, toDay, audience);
  return { resource: r, days: availability(rulesOf(r), fromDay, toDay, facts) };
}

/** API: a signed-in person books [start, end) given as instants; the same checks as the form. */
export async function bookByInstants(ctx: AppContext, actor: Actor, resourceId: number, start: Date, end: Date, note: string) {
  assertSignedIn(actor);
  if (!isRowId(resourceId)) throw resourceNotFound();
  const startClock = parisClock(start);
  const endClock = parisClock(end);
  const endMinutes = endClock.day === startClock.day ? endClock.minutes : endClock.minutes === 0 && endClock.day === addDays(startClock.day, 1) ? 24 * 60 : -1;
  if (endMinutes < 0) throw new AppError('invalid', 'bookings.errors.sameDay', { end: 'bookings.errors.sameDay' });
  // Instants carry seconds; slots do not.
  if (start.getTime() % MINUTE || end.getTime() % MINUTE) throw new AppError('invalid', 'bookings.errors.step', { start: 'bookings.errors.step' });
  return bookResource(ctx, actor, { id: resourceId }, { day: startClock.day, startMinutes: startClock.minutes, endMinutes, note });
}

/** "My bookings": the person's bookings, each saying until when it may be cancelled. */
export async function listMyBookings(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const now = ctx.clock.now();
  const rows = await repo.listBookingsOfUser(ctx.db, ctx.territory.id, actor.userId);
  return rows.map((b) => {
    const deadline = new Date(b.starts_at.getTime() - b.cancel_hours * HOUR);
    const live = b.status === 'confirmed' || b.status === 'held';
    return { booking: b, upcoming: live && b.ends_at > now, cancellable: live && b.ends_at > now && now <= deadline, deadline };
  });
}

/** The person's bookings page: their bookings and their machine authorisations. */
export async function getMyBookingsPage(ctx: AppContext, actor: Actor) {
  const rows = await listMyBookings(ctx, actor);
  return { rows, authorisations: await listMyAuthorisations(ctx, actor) };
}

// ---------------------------------------------------------------------------------------------- jobs

/** 30 minutes after a visitor's hold: released unless confirmed meanwhile (once, with the job's completion). */
export async function releaseHoldJob(ctx: AppContext, job: ClaimedJob) {
  const id = String(job.payload.bookingId ?? '');
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const b = /^[0-9a-f-]{36}$/.test(id) ? await repo.findBooking(trx, ctx.territory.id, id, { lock: true }) : undefined;
    if (b && b.status === 'held') {
      if (b.hold_until && b.hold_until > now) throw new Error('hold still running');
      await repo.setStatus(trx, b.id, { status: 'released', at: now });
      await recordAudit(trx, ctx, { userId: null, territoryId: b.territory_id }, { action: 'booking.released', subjectType: 'booking', subjectId: b.id, data: { resource: b.resource_id } });
    }
    await completeWithin(trx, job, now);
  });
}

/** The day before: one reminder to the person, if the booking still stands. */
export async function reminderJob(ctx: AppContext, job: ClaimedJob) {
  const id = String(job.payload.bookingId ?? '');
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const b = /^[0-9a-f-]{36}$/.test(id) ? await repo.findBooking(trx, ctx.territory.id, id, { lock: true }) : undefined;
    const to = b?.person_email ?? b?.visitor_email;
    if (b && b.status === 'confirmed' && b.starts_at > now && to) {
      const locale: Locale = b.person_locale ?? 'fr';
      await queueTemplatedMail(trx, ctx, {
        to,
        locale,
        template: 'bookings.mail.reminder',
        params: mailParams({ name: b.resource_name, place_name: b.place_name, cancel_hours: b.cancel_hours }, { start: b.starts_at, end: b.ends_at }, locale, b.person_name ?? b.visitor_name ?? ''),
        path: b.user_id ? '/compte/reservations' : `/reservations/${b.resource_slug}`,
      });
    }
    await completeWithin(trx, job, now);
  });
}

// ---------------------------------------------------------------------------------------------- personal data

export async function exportBookings(ctx: AppContext, userId: string) {
  const rows = await repo.exportBookingsOfUser(ctx.db, ctx.territory.id, userId);
  return rows.length ? { bookings: rows } : null;
}

export async function eraseBookings(ctx: AppContext, userId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const n = await repo.eraseBookingsOfUser(trx, ctx.territory.id, userId, ctx.clock.now());
    await repo.deleteFeed(trx, userId);
    if (n) await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'booking.erased', subjectType: 'user', subjectId: userId, data: { count: n } });
    return n;
  });
}


/** For the back office's routes whose use case also serves others (cancelling): staff only there. */
export const checkBookingStaff = (actor: Actor) => assertBookingStaff(actor);

/** The back office's booking form needs the resource's page address: the resource, for staff only. */
export async function findResourceForStaff(ctx: AppContext, actor: Actor, id: number) {
  assertBookingStaff(actor);
  return bookableResource(ctx, { id });
}

/** At start-up: every held booking has its release job (idempotent: the dedupe key makes a second one a no-op). */
export async function scheduleHoldReleases(ctx: AppContext) {
  const now = ctx.clock.now();
  for (const b of await repo.listHeldBookingIds(ctx.db)) {
    await enqueueJob(ctx.db, now, RELEASE_HOLD_JOB, { bookingId: b.id }, { runAt: b.holdUntil, dedupeKey: `booking-release:${b.id}`, maxAttempts: 5 });
  }
}

/**
 * Demo content only: a confirmed booking written as it would have been made, without mails (the demo people's
 * addresses are not real). Refuses, like any booking, what the availability function refuses, except the past.
 */
export async function insertDemoBooking(ctx: AppContext, r: Resource, start: Date, end: Date, who: { userId: string | null; visitorName?: string; visitorEmail?: string; note?: string }) {
  const { related } = await familyOf(ctx.db, r);
  const facts = await factsFor(ctx.db, ctx, r, related, parisClock(start).day, parisClock(start).day, 'member');
  const [{ slots }] = availability({ ...rulesOf(r), noticeMinutes: 0 }, parisClock(start).day, parisClock(start).day, { ...facts, now: start });
  const covered = slots.filter((s) => s.start < end && start < s.end);
  if (!covered.length || covered.some((s) => s.state !== 'free')) return false;
  await repo.insertBooking(ctx.db, {
    territoryId: ctx.territory.id,
    resourceId: r.id,
    start,
    end,
    exclusive: r.capacity === 1,
    kind: 'booking',
    status: 'confirmed',
    audience: who.userId ? 'member' : 'visitor',
    userId: who.userId,
    visitorName: who.userId ? null : (who.visitorName ?? null),
    visitorEmail: who.userId ? null : (who.visitorEmail ?? null),
    confirmTokenHash: null,
    holdUntil: null,
    note: who.note ?? '',
    bookedBy: who.userId,
    at: ctx.clock.now(),
  });
  return true;
}

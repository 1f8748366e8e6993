/**
 * The seat engine, shared by the registrations and the staff's back office. Every function here runs inside a
 * transaction that has locked the event row (`lockEvent`), so seats are counted and given one transaction at a
 * time and an event never has more confirmed and offered seats than its capacity.
 *
 * The waiting list (decision 0020): people join in arrival order (`queue_position`); when seats free up, they are
 * offered to the first person in line whose request fits in them, for a claim window (the event's, 48 h by
 * default, shortened to half the time left before the start, at least an hour or what remains). Someone ahead whose
 * request is larger keeps their place and is told once, by mail, that a smaller request went first and that they
 * may lower their number of seats. An unclaimed offer lapses (a job at the window's end, backed by an hourly sweep)
 * and the seats go to the next person the same way.
 */
import type { AppContext, Executor } from '../../context.js';
import { enqueueJob, enqueueJobs } from '../../jobs/queue.js';
import { oneAtATime as inOrder } from '../../shared/one-at-a-time.js';
import { HOUR } from '../../shared/time.js';
import { registrationMail, type MailRecipient } from './events.common.js';
import * as repo from './events.repo.js';

export const OFFER_EXPIRY_JOB = 'events.offerExpiry';
export const REMINDER_JOB = 'events.reminder';
export const OFFER_SWEEP_JOB = 'events.offerSweep';
/** Reminders go out this long before the start. */
export const REMINDER_BEFORE_MS = 24 * HOUR;

/** The changes to one event, one after the other in this process (see `src/shared/one-at-a-time.ts`). */
export const oneAtATime = <T>(eventId: number, run: () => Promise<T>): Promise<T> => inOrder(`event:${eventId}`, run);

/** How long the person offered a seat has to claim it, from `now`; 0 once the event has begun. */
export function claimWindowMs(event: Pick<repo.LockedEvent, 'claim_window_hours' | 'starts_at'>, now: Date): number {
  const left = event.starts_at.getTime() - now.getTime();
  if (left <= 0) return 0;
  const configured = event.claim_window_hours * HOUR;
  return Math.min(configured, Math.max(Math.floor(left / 2), Math.min(HOUR, left)));
}

export const recipientOf = (r: Pick<repo.RegistrationRow, 'id' | 'email' | 'locale' | 'name'>): MailRecipient => ({ id: r.id, email: r.email, locale: r.locale, name: r.name });

/** The reminder job of one confirmed registration, once per start time (a moved event gets a new one); null once too late. */
export function reminderJobOf(now: Date, registrationId: string, event: Pick<repo.LockedEvent, 'starts_at'>) {
  const at = new Date(event.starts_at.getTime() - REMINDER_BEFORE_MS);
  if (at <= now) return null;
  return { kind: REMINDER_JOB, payload: { registrationId, startsAt: event.starts_at.toISOString() }, opts: { runAt: at, dedupeKey: `events.reminder:${registrationId}:${event.starts_at.getTime()}`, maxAttempts: 5 } };
}

export async function scheduleReminder(db: Executor, ctx: AppContext, registrationId: string, event: Pick<repo.LockedEvent, 'starts_at'>) {
  const now = ctx.clock.now();
  const job = reminderJobOf(now, registrationId, event);
  if (job) await enqueueJob(db, now, job.kind, job.payload, job.opts);
}

/** The reminders of several registrations confirmed in one transaction (to one event or several), in one statement. */
export async function scheduleReminders(db: Executor, ctx: AppContext, confirmed: { id: string; event: Pick<repo.LockedEvent, 'starts_at'> }[]) {
  const now = ctx.clock.now();
  await enqueueJobs(db, now, confirmed.map(({ id, event }) => reminderJobOf(now, id, event)).filter((j) => j !== null));
}

/**
 * Offers the free seats to the waiting list, as the decision record says. Returns the registrations offered a seat.
 * The caller holds the event's lock.
 */
export async function offerFreedSeats(db: Executor, ctx: AppContext, event: repo.LockedEvent): Promise<string[]> {
  // In selection mode the team decides who gets a seat: nothing is offered by itself.
  if (event.status !== 'published' || event.registration_mode === 'selection') return [];
  const now = ctx.clock.now();
  const windowMs = claimWindowMs(event, now);
  if (windowMs <= 0) return [];
  let free = event.capacity - (await repo.sumSeats(db, event.id));
  if (free <= 0) return [];
  const offered: string[] = [];
  const passedOver: repo.RegistrationRow[] = [];
  for (const r of await repo.listWaiting(db, event.id)) {
    if (free <= 0) break;
    if (r.seats > free) {
      passedOver.push(r);
      continue;
    }
    const expires = new Date(now.getTime() + windowMs);
    const offersMade = r.offers_made + 1;
    await repo.setRegistration(db, r.id, { status: 'offered', offerExpiresAt: expires, offersMade, now });
    await enqueueJob(db, now, OFFER_EXPIRY_JOB, { registrationId: r.id }, { runAt: expires, dedupeKey: `events.offer:${r.id}:${offersMade}`, maxAttempts: 5 });
    await registrationMail(db, ctx, recipientOf(r), 'offer', event, { seats: r.seats, until: untilText(expires, r.locale) });
    free -= r.seats;
    offered.push(r.id);
    // People ahead who asked for more seats than were free hear once that a smaller request went first.
    for (const ahead of passedOver.splice(0)) {
      if (ahead.passed_over_notified) continue;
      await repo.markPassedOverNotified(db, ahead.id);
      await registrationMail(db, ctx, recipientOf(ahead), 'passedOver', event, { seats: ahead.seats });
    }
  }
  return offered;
}

const untilText = (d: Date, locale: 'fr' | 'en') =>
  new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' }).format(d);

/**
 * The `selection` mode of the registration engine: people apply (`applied`, no seat held, arrival order kept in
 * `queue_position`), the team selects up to the capacity (`confirmed`), puts others on the waiting list (`waiting`,
 * never offered a seat by itself) or declines them (`declined`). Like the seat engine, every function here runs in a
 * transaction that has locked the event row, so two people selecting at the same moment cannot give more seats than
 * the capacity: the seats are counted under the lock. Each decision is mailed once, when the state changes; a domain
 * that writes its own mails (discovery stays, from the household's case) passes `notify: false`.
 */
import type { Actor, AppContext, Executor } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { extensionPoint } from '../../shared/extensions.js';
import { confirmationIcs, registrationMail } from './events.common.js';
import * as repo from './events.repo.js';
import type { Decision } from './events.schemas.js';
import { oneAtATime, recipientOf, scheduleReminder } from './events.seats.js';

export interface Applicant {
  userId: string | null;
  email: string;
  name: string;
  locale: 'fr' | 'en';
  seats: number;
}
export interface SelectionOptions {
  /** The engine's own mails (default); false when the calling domain writes its own. */
  notify?: boolean;
}

/** The registration state a decision leads to. */
export const STATUS_OF: Record<Decision, 'confirmed' | 'waiting' | 'declined'> = { selected: 'confirmed', waiting: 'waiting', declined: 'declined' };
const MAIL_OF: Record<Decision, string> = { selected: 'selected', waiting: 'selectionWaiting', declined: 'declined' };

/**
 * Runs a change on one event, its row locked for the transaction (changes to one event also queue in this process
 * first, decision 0023). The agenda's cached pages are dropped afterwards.
 */
export async function withEventLocked<T>(ctx: AppContext, territoryId: number, eventId: number, change: (trx: Executor, event: repo.LockedEvent) => Promise<T>): Promise<T> {
  const result = await oneAtATime(eventId, () =>
    ctx.db.transaction().execute(async (trx) => {
      const event = await repo.lockEvent(trx, territoryId, eventId);
      if (!event) throw new AppError('not_found', 'events.notFound');
      return change(trx, event);
    }),
  );
  ctx.pageCache.clear();
  return result;
}

function assertSelection(event: repo.LockedEvent) {
  if (event.registration_mode !== 'selection') throw new AppError('conflict', 'events.selection.notSelection');
}

/**
 * An application, the event locked by the caller. Applying twice returns the live application (one per account and
 * per address); a cancelled one may apply again, as a new application at the end of the order.
 */
export async function applyLocked(trx: Executor, ctx: AppContext, event: repo.LockedEvent, who: Applicant, opts: SelectionOptions = {}) {
  assertSelection(event);
  if (event.status === 'cancelled') throw new AppError('conflict', 'events.register.cancelled');
  const existing = await repo.findLiveRegistration(trx, event.id, { userId: who.userId ?? undefined, email: who.email });
  if (existing) return { id: existing.id, status: existing.status, created: false };
  if (who.seats > event.max_seats) throw new AppError('invalid', 'events.register.tooManySeats', { places: 'events.register.seatsField' }, { max: event.max_seats });
  const now = ctx.clock.now();
  const queuePosition = await repo.nextQueuePosition(trx, event.id);
  const { id } = await repo.insertRegistration(trx, { territoryId: event.territory_id, eventId: event.id, userId: who.userId, email: who.email, name: who.name, locale: who.locale, seats: who.seats, status: 'applied', queuePosition, now });
  if (opts.notify !== false) await registrationMail(trx, ctx, { id, email: who.email, locale: who.locale, name: who.name }, 'applied', event, { seats: who.seats });
  return { id, status: 'applied' as const, created: true };
}

/** An application made by the visitor's confirmed address (the short form's link). */
export async function applyPendingLocked(trx: Executor, ctx: AppContext, event: repo.LockedEvent, r: repo.RegistrationRow) {
  assertSelection(event);
  const now = ctx.clock.now();
  await repo.setRegistration(trx, r.id, { status: 'applied', queuePosition: await repo.nextQueuePosition(trx, event.id), now });
  await registrationMail(trx, ctx, recipientOf(r), 'applied', event, { seats: r.seats });
}

/**
 * The team's decision on an application, the event locked by the caller. Selecting is refused when the seats asked
 * for are more than the seats left (`events.selection.full`, with the number left): never over capacity. A decision
 * equal to the current state changes nothing and sends nothing, so each mail goes once.
 */
export async function decideLocked(trx: Executor, ctx: AppContext, event: repo.LockedEvent, r: repo.RegistrationRow, decision: Decision, opts: SelectionOptions = {}) {
  assertSelection(event);
  if (r.event_id !== event.id) throw new AppError('not_found', 'events.notFound');
  const to = STATUS_OF[decision];
  if (r.status === to) return { changed: false, from: r.status };
  if (!['applied', 'waiting', 'declined', 'confirmed'].includes(r.status)) throw new AppError('conflict', 'events.selection.notDecidable');
  if (event.status === 'cancelled') throw new AppError('conflict', 'events.register.cancelled');
  const now = ctx.clock.now();
  if (to === 'confirmed') {
    const left = event.capacity - (await repo.sumSeats(trx, event.id));
    if (r.seats > left) throw new AppError('conflict', 'events.selection.full', {}, { left: Math.max(0, left) });
  }
  await repo.setRegistration(trx, r.id, { status: to, now, decided: true });
  if (opts.notify !== false) {
    const ics = to === 'confirmed' ? await confirmationIcs(trx, ctx, event.id) : undefined;
    await registrationMail(trx, ctx, recipientOf(r), MAIL_OF[decision], event, { seats: r.seats }, ics);
    if (to === 'confirmed') await scheduleReminder(trx, ctx, r.id, event);
  }
  return { changed: true, from: r.status };
}

/**
 * A domain hosting a type's applications reacts to every decision on them, wherever the team takes it (its own
 * pages or the agenda's `/admin/agenda/:id`): discovery stays move the household's case and write their own mail.
 * `decided` runs in the decision's transaction, the event locked, after the registration changed; what it returns
 * comes back to the caller of `decideHostedLocked`.
 */
export interface DecisionHost {
  typeKey: string;
  decided(trx: Executor, ctx: AppContext, staff: Actor & { userId: string }, event: repo.LockedEvent, registration: repo.RegistrationRow, decision: Decision, from: string): Promise<unknown>;
}
export const decisionHostsPoint = extensionPoint<DecisionHost>('events.decisionHosts');

/**
 * The one path of a team's decision on an application, the event locked by the caller: the engine changes the
 * registration; when another domain hosts the event's type, the engine sends no mail and that domain's `decided`
 * follows in the same transaction (its result is `hosted`), otherwise the engine mails the person.
 */
export async function decideHostedLocked(trx: Executor, ctx: AppContext, staff: Actor & { userId: string }, event: repo.LockedEvent, r: repo.RegistrationRow, decision: Decision) {
  const typeKey = await repo.typeKeyOf(trx, event.id);
  const host = ctx.extensions.all(decisionHostsPoint).find((h) => h.typeKey === typeKey);
  const { changed, from } = await decideLocked(trx, ctx, event, r, decision, { notify: !host });
  const hosted = changed && host ? await host.decided(trx, ctx, staff, event, { ...r, status: STATUS_OF[decision] }, decision, from) : undefined;
  return { changed, from, hosted };
}

/** The applicant withdraws (the caller checks who may): the seat, if any, is free for the team to give again. */
export async function withdrawLocked(trx: Executor, ctx: AppContext, event: repo.LockedEvent, r: repo.RegistrationRow) {
  assertSelection(event);
  if (r.event_id !== event.id) throw new AppError('not_found', 'events.notFound');
  if (r.status === 'cancelled') return { changed: false, from: r.status };
  await repo.setRegistration(trx, r.id, { status: 'cancelled', now: ctx.clock.now() });
  return { changed: true, from: r.status };
}

/**
 * Types of event whose applications are made from another domain's pages (discovery stays: from the household's
 * case, where the newcomers domain links the application to the case). The agenda then points there instead of
 * showing its own form, and the agenda's own registration refuses them. Registered once, when that domain loads.
 */
const hosted = new Map<string, { href: string; labelKey: string }>();
export function hostApplications(typeKey: string, where: { href: string; labelKey: string }) {
  hosted.set(typeKey, where);
}
export const applicationHostOf = (typeKey: string) => hosted.get(typeKey);

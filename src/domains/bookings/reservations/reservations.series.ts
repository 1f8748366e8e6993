/**
 * Weekly recurring bookings by the back office: a resource booked on some weekdays, at the same Paris wall-clock
 * times, from a day until a day (or for a number of occurrences), for a person or as a block. Each occurrence is
 * judged by the one availability function; the ones that cannot be booked are listed with their reason and the
 * nearest free periods, never skipped in silence: staff see the preview, then confirm the free ones. They are all
 * written in one transaction under the resource's row lock, and the exclusion constraint still has the last word
 * (a race makes the whole confirmation come back with the fresh preview). The series' id cancels what remains.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { isExclusionViolation } from '../../../db/errors.js';
import { enqueueJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId, isUuid } from '../../../shared/input.js';
import { addDays, formatDay, HOUR, isoWeekday, parisDay, parisTime } from '../../../shared/time.js';
import { tFor, type Locale } from '../../../web/i18n/index.js';
import { findUserByEmail } from '../../accounts/index.js';
import { recordAudit } from '../../audit/index.js';
import { queueTemplatedMail } from '../../mail/index.js';
import { assertBookingStaff } from '../bookings.policy.js';
import { assertAuthorised } from '../authorisations/index.js';
import { findActiveResource, type Resource } from '../resources/index.js';
import { availability, checkRequest, type Facts, nearestFree, type ResourceRules, wallInstant } from './reservations.availability.js';
import { bookingIcsEvent, bookingsCalendar } from './reservations.ics.js';
import * as repo from './reservations.repo.js';
import { factsFor, familyOf, mailParams, REMINDER_HOURS, REMINDER_JOB, rulesOf } from './reservations.service.js';
import type { SeriesRequest } from './reservations.schemas.js';

/** A series covers at most a year from its first day. */
export const MAX_SERIES_DAYS = 365;

export type SeriesRow = repo.SeriesRow;

export interface Occurrence {
  day: string;
  start: Date | null;
  end: Date | null;
}

export interface Conflict extends Occurrence {
  key: string;
  params: Record<string, string | number>;
  alternatives: { start: Date; end: Date }[];
}

/** The days of the series, in order: the chosen weekdays from the first day, until the last day or the count. */
export function occurrenceDays(req: Pick<SeriesRequest, 'weekdays' | 'fromDay' | 'untilDay' | 'count'>): string[] {
  const days: string[] = [];
  const last = req.untilDay ?? addDays(req.fromDay, MAX_SERIES_DAYS);
  for (let day = req.fromDay; day <= last && days.length < (req.count ?? Infinity); day = addDays(day, 1)) {
    if (req.weekdays.includes(isoWeekday(day))) days.push(day);
  }
  return days;
}

/** Each occurrence's instants (null when a wall time does not exist that day: the night of the spring change). */
export const occurrencesOf = (req: SeriesRequest): Occurrence[] =>
  occurrenceDays(req).map((day) => ({ day, start: wallInstant(day, req.startMinutes), end: wallInstant(day, req.endMinutes) }));

/** Staff rules: a series may reach a year ahead; a block only needs the slots to be free and in hours. */
function seriesRules(r: Resource, kind: 'booking' | 'block'): ResourceRules {
  const rules = rulesOf(r);
  const horizon = { memberHorizonDays: MAX_SERIES_DAYS + 1, visitorHorizonDays: MAX_SERIES_DAYS + 1 };
  return kind === 'block' ? { ...rules, ...horizon, minMinutes: rules.slotMinutes, maxMinutes: 24 * 60, noticeMinutes: 0 } : { ...rules, ...horizon };
}

/** Judges every occurrence on the facts read once for the whole span: the free ones and the listed conflicts. */
function judge(rules: ResourceRules, occurrences: Occurrence[], facts: Facts) {
  const free: (Occurrence & { start: Date; end: Date })[] = [];
  const conflicts: Conflict[] = [];
  if (!occurrences.length) return { free, conflicts };
  const span = availability(rules, addDays(occurrences[0].day, -3), addDays(occurrences[occurrences.length - 1].day, 7), facts);
  for (const o of occurrences) {
    if (!o.start || !o.end) {
      conflicts.push({ ...o, key: 'bookings.errors.timeDoesNotExist', params: {}, alternatives: [] });
      continue;
    }
    const refusal = checkRequest(rules, o.start, o.end, facts);
    if (!refusal) {
      free.push({ ...o, start: o.start, end: o.end });
      continue;
    }
    const near = span.filter((d) => d.day >= addDays(o.day, -3) && d.day <= addDays(o.day, 7));
    conflicts.push({ ...o, key: refusal.key, params: refusal.params ?? {}, alternatives: nearestFree(near, { start: o.start, end: o.end }) });
  }
  return { free, conflicts };
}

async function staffResource(ctx: AppContext, actor: Actor, resourceId: number, db?: Executor) {
  assertBookingStaff(actor);
  const r = isRowId(resourceId) ? await findActiveResource(ctx, { id: resourceId }, db) : undefined;
  if (!r) throw new AppError('not_found', 'bookings.errors.resourceNotFound');
  return r;
}

async function plan(db: Executor, ctx: AppContext, r: Resource, req: SeriesRequest) {
  const occurrences = occurrencesOf(req);
  if (!occurrences.length) throw new AppError('invalid', 'bookings.series.errors.noOccurrence', { du: 'bookings.series.errors.noOccurrence' });
  // A count that would run past a year is refused like a last day past a year.
  if (req.count !== undefined && occurrences.length < req.count) throw new AppError('invalid', 'bookings.series.errors.tooLong', { nombre: 'bookings.series.errors.tooLong' });
  const { related } = await familyOf(db, r);
  const facts = await factsFor(db, ctx, r, related, addDays(occurrences[0].day, -3), addDays(occurrences[occurrences.length - 1].day, 7), 'member');
  return { related, ...judge(seriesRules(r, req.mode === 'blocage' ? 'block' : 'booking'), occurrences, facts) };
}

/** The preview: every occurrence, the free ones to create and the conflicts with their reason and other slots. */
export async function previewSeries(ctx: AppContext, actor: Actor, resourceId: number, req: SeriesRequest) {
  const r = await staffResource(ctx, actor, resourceId);
  const { free, conflicts } = await plan(ctx.db, ctx, r, req);
  return { resource: r, free, conflicts };
}
export type SeriesPreview = Awaited<ReturnType<typeof previewSeries>>;

/** Thrown when what staff confirmed no longer holds: the route shows the fresh preview. */
export const seriesChanged = () => new AppError('conflict', 'bookings.series.errors.changed', { _form: 'bookings.series.errors.changed' });

/**
 * Creates the occurrences staff accepted (the free days of the preview they saw), all or none. If one of them is
 * no longer free, nothing is written and the error asks to look again.
 */
export async function createSeries(ctx: AppContext, actor: Actor, resourceId: number, req: SeriesRequest, acceptedDays: readonly string[]) {
  const base = await staffResource(ctx, actor, resourceId);
  const email = req.mode === 'pour' ? req.email! : null;
  const account = email ? await findUserByEmail(ctx.db, email) : undefined;
  if (req.mode === 'pour' && !account && !req.name) throw new AppError('invalid', 'errors.invalid', { nom: 'bookings.form.nameForVisitor' });
  const kind = req.mode === 'blocage' ? 'block' : 'booking';
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.clock.now();
      const r = await staffResource(ctx, actor, resourceId, trx);
      if (kind === 'booking') await assertAuthorised(trx, ctx, actor, r, account?.id ?? null);
      // The room's (or space's) row lock: two series, or a series and a booking, never both see a slot free.
      const { lockId, related } = await familyOf(trx, r);
      await repo.lockResource(trx, lockId);
      await repo.releaseExpiredHolds(trx, [r.id, ...related], now);
      const { free } = await plan(trx, ctx, r, req);
      const freeDays = new Set(free.map((o) => o.day));
      const wanted = [...new Set(acceptedDays)];
      if (!wanted.length || wanted.some((d) => !freeDays.has(d))) throw seriesChanged();
      const chosen = free.filter((o) => wanted.includes(o.day));
      const series = await repo.insertSeries(trx, {
        territoryId: ctx.territory.id,
        resourceId: r.id,
        kind,
        weekdays: req.weekdays,
        startMinutes: req.startMinutes,
        endMinutes: req.endMinutes,
        firstDay: chosen[0].day,
        lastDay: chosen[chosen.length - 1].day,
        createdBy: actor.userId,
        at: now,
      });
      const ids: string[] = [];
      for (const o of chosen) {
        const row = await repo.insertBooking(trx, {
          territoryId: ctx.territory.id,
          resourceId: r.id,
          start: o.start,
          end: o.end,
          exclusive: r.capacity === 1 || kind === 'block',
          kind,
          status: 'confirmed',
          audience: kind === 'block' ? 'staff' : account ? 'member' : 'visitor',
          userId: account?.id ?? null,
          visitorName: kind === 'block' || account ? null : req.name,
          visitorEmail: kind === 'block' || account ? null : email,
          confirmTokenHash: null,
          holdUntil: null,
          note: req.note,
          bookedBy: actor.userId,
          at: now,
          seriesId: series.id,
        });
        ids.push(row.id);
        const remindAt = new Date(o.start.getTime() - REMINDER_HOURS * HOUR);
        if (kind === 'booking' && remindAt > now) await enqueueJob(trx, now, REMINDER_JOB, { bookingId: row.id }, { runAt: remindAt, dedupeKey: `booking-reminder:${row.id}`, maxAttempts: 5 });
      }
      await recordAudit(trx, ctx, actor, {
        action: kind === 'block' ? 'booking_series.blocked' : 'booking_series.created',
        subjectType: 'booking_series',
        subjectId: series.id,
        data: { resource: r.id, occurrences: ids.length, first: chosen[0].day, last: chosen[chosen.length - 1].day },
      });
      // One mail for the whole series, with every occurrence in its .ics, rather than one mail per week.
      if (kind === 'booking' && email) {
        const locale: Locale = account?.locale ?? 'fr';
        const t = tFor(locale);
        const intl = locale === 'fr' ? 'fr-FR' : 'en-GB';
        const params = mailParams(r, chosen[0], locale, account?.display_name ?? req.name);
        const ics = bookingsCalendar(
          ctx,
          r.name,
          chosen.map((o, i) => bookingIcsEvent(ctx, { id: ids[i], resourceName: r.name, placeName: r.place_name, start: o.start, end: o.end, cancelled: false, updatedAt: now }, t('bookings.ics.title', { resource: r.name }))),
        );
        await queueTemplatedMail(trx, ctx, {
          to: email,
          locale,
          template: 'bookings.mail.seriesConfirmed',
          params: { ...params, count: ids.length, last: formatDay(chosen[chosen.length - 1].day, intl) },
          path: account ? '/compte/reservations' : `/reservations/${r.slug}`,
          attachments: [{ filename: 'reservations.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
        });
      }
      return { id: series.id, created: ids.length };
    });
  } catch (error) {
    // Another booking slipped in between the preview and the insert: nothing was written; look again.
    if (isExclusionViolation(error)) throw seriesChanged();
    throw error;
  }
}

/** A series for the back office: what was asked and each occurrence with its state. */
export async function getSeries(ctx: AppContext, actor: Actor, seriesId: string) {
  assertBookingStaff(actor);
  const series = isUuid(seriesId) ? await repo.findSeries(ctx.db, ctx.territory.id, seriesId.toLowerCase()) : undefined;
  if (!series) throw new AppError('not_found', 'bookings.series.errors.notFound');
  const now = ctx.clock.now();
  const rows = await repo.listBookingsOfSeries(ctx.db, series.id);
  return { series, rows, remaining: rows.filter((b) => b.status === 'confirmed' && b.starts_at > now).length, now };
}

/** Cancels the occurrences still to come (those under way or past stay as they are), with one mail to the person. */
export async function cancelSeries(ctx: AppContext, actor: Actor, seriesId: string) {
  assertBookingStaff(actor);
  if (!isUuid(seriesId)) throw new AppError('not_found', 'bookings.series.errors.notFound');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const series = await repo.findSeries(trx, ctx.territory.id, seriesId.toLowerCase(), { lock: true });
    if (!series) throw new AppError('not_found', 'bookings.series.errors.notFound');
    const cancelled = await repo.cancelRemainingOfSeries(trx, series.id, now, actor.userId);
    await repo.markSeriesCancelled(trx, series.id, now);
    await recordAudit(trx, ctx, actor, { action: 'booking_series.cancelled', subjectType: 'booking_series', subjectId: series.id, data: { resource: series.resource_id, cancelled: cancelled.length } });
    const first = cancelled[0] ? await repo.findBooking(trx, ctx.territory.id, cancelled[0].id) : undefined;
    const to = first?.person_email ?? first?.visitor_email;
    if (first && first.kind === 'booking' && to) {
      const locale: Locale = first.person_locale ?? 'fr';
      const intl = locale === 'fr' ? 'fr-FR' : 'en-GB';
      await queueTemplatedMail(trx, ctx, {
        to,
        locale,
        template: 'bookings.mail.seriesCancelled',
        params: { ...mailParams({ name: first.resource_name, place_name: first.place_name, cancel_hours: first.cancel_hours }, { start: first.starts_at, end: first.ends_at }, locale, first.person_name ?? first.visitor_name ?? ''), count: cancelled.length, from: formatDay(parisDay(first.starts_at), intl) },
        path: first.user_id ? '/compte/reservations' : `/reservations/${first.resource_slug}`,
      });
    }
    return { id: series.id, cancelled: cancelled.length, day: first ? parisDay(first.starts_at) : parisDay(parisTime(series.first_day, 12)) };
  });
}

/**
 * Recurring series (decision 0026): a rule read against a Paris wall-clock start, its occurrences materialised as
 * ordinary events up to a bounded horizon (a year ahead, at most 100 to come), moved forward by a daily job and at
 * each change. An occurrence is an event like any other: edited, published or cancelled on its own (its registrants
 * told by mail, once). The team may also change every occurrence from a day onward.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { completeWithin, enqueueJob, type ClaimedJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { isRowId } from '../../../shared/input.js';
import { DAY, MINUTE, addDays, parisParts } from '../../../shared/time.js';
import { recordAudit } from '../../audit/index.js';
import { assertEventStaff } from '../events.policy.js';
import * as repo from '../events.repo.js';
import { HORIZON_DAYS, MAX_UPCOMING, instantOf, isFinite, occurrences } from '../events.rrule.js';
import type { EventInput, SeriesEditInput } from '../events.schemas.js';

export const SERIES_EXTEND_JOB = 'events.seriesExtend';
const notFound = () => new AppError('not_found', 'events.notFound');

/** Wall-clock arithmetic on `YYYY-MM-DDTHH:MM` keys (no zone: 18:30 stays 18:30 across a clock change). */
const plusMinutes = (key: string, minutes: number) => new Date(Date.parse(`${key}:00Z`) + minutes * MINUTE).toISOString().slice(0, 16);
const minutesBetween = (a: string, b: string) => Math.round((Date.parse(`${b}:00Z`) - Date.parse(`${a}:00Z`)) / MINUTE);
const localKey = (d: Date) => {
  const p = parisParts(d);
  return `${p.day}T${p.time}`;
};

/** Start and end of an occurrence on `day`, at the template's local time and length. */
function timesOn(day: string, template: { starts_at: Date; ends_at: Date; all_day: boolean }) {
  const startKey = `${day}T${localKey(template.starts_at).slice(11)}`;
  if (template.all_day) {
    const days = Math.max(1, Math.round(minutesBetween(localKey(template.starts_at), localKey(template.ends_at)) / (24 * 60)));
    return { startsAt: instantOf(`${day}T00:00`), endsAt: instantOf(`${addDays(day, days)}T00:00`) };
  }
  const length = minutesBetween(localKey(template.starts_at), localKey(template.ends_at));
  return { startsAt: instantOf(startKey), endsAt: instantOf(plusMinutes(startKey, length)) };
}

/**
 * Makes the occurrences missing up to the horizon, copying the template (the last occurrence not cancelled), under
 * the series' lock. Keys already made (moved, cancelled) are never made again; occurrences already past are not
 * made. Returns how many were made.
 */
export async function extendSeries(trx: Executor, ctx: AppContext, territoryId: number, seriesId: number, freeSlug: (db: Executor, territoryId: number, title: string, startsAt: Date) => Promise<string>) {
  const series = await repo.lockSeries(trx, territoryId, seriesId);
  if (!series) throw notFound();
  const template = await repo.findSeriesTemplate(trx, territoryId, seriesId);
  if (!template) return 0;
  const now = ctx.clock.now();
  const horizon = new Date(now.getTime() + HORIZON_DAYS * DAY);
  const keys = occurrences(series.rrule, series.first_local, { before: horizon, max: MAX_UPCOMING, countFrom: now });
  const made = await repo.listOccurrenceKeys(trx, seriesId);
  const status = template.status === 'published' ? 'published' : 'draft';
  let count = 0;
  for (const key of keys) {
    if (made.has(key)) continue;
    const { startsAt, endsAt } = timesOn(key.slice(0, 10), template);
    if (endsAt <= now) continue;
    const shift = (d: Date | null) => (d ? new Date(d.getTime() + startsAt.getTime() - template.starts_at.getTime()) : null);
    await repo.insertEvent(trx, {
      title: template.title,
      description_md: template.description_md,
      type_id: template.type_id,
      place_kind: template.place_kind,
      registration_mode: template.registration_mode,
      third_place_id: template.third_place_id,
      insee: template.insee,
      address: template.address,
      online_url: template.online_url,
      starts_at: startsAt,
      ends_at: endsAt,
      all_day: template.all_day,
      audience: template.audience,
      capacity: template.capacity,
      max_seats: template.max_seats,
      registration_opens_at: shift(template.registration_opens_at),
      registration_closes_at: shift(template.registration_closes_at),
      price_member_cents: template.price_member_cents,
      price_public_cents: template.price_public_cents,
      organiser: template.organiser,
      claim_window_hours: template.claim_window_hours,
      territoryId,
      slug: await freeSlug(trx, territoryId, template.title, startsAt),
      by: template.created_by,
      now,
      seriesId,
      occurrenceKey: key,
      status,
    });
    count += 1;
  }
  await repo.setSeriesHorizon(trx, seriesId, horizon, now);
  return count;
}

/** The series row for a new event's values: the first occurrence is the event itself, the others follow. */
export async function insertSeriesOf(trx: Executor, ctx: AppContext, actor: Actor & { userId: string }, input: EventInput & { series: NonNullable<EventInput['series']> }) {
  const duration = Math.max(1, Math.round((input.endsAt.getTime() - input.startsAt.getTime()) / MINUTE));
  return repo.insertSeries(trx, { territoryId: actor.territoryId, rule: input.series.rule, firstLocal: input.series.firstLocal, durationMinutes: duration, allDay: input.allDay, by: actor.userId, now: ctx.clock.now() });
}

export async function getSeriesForStaff(ctx: AppContext, actor: Actor, id: number) {
  assertEventStaff(actor);
  if (!isRowId(id)) throw notFound();
  const series = await repo.findSeries(ctx.db, actor.territoryId, id);
  if (!series) throw notFound();
  const occurrencesList = await repo.listOccurrences(ctx.db, actor.territoryId, id);
  return { series, occurrences: occurrencesList, finite: isFinite(series.rrule), now: ctx.clock.now() };
}
export type SeriesForStaff = Awaited<ReturnType<typeof getSeriesForStaff>>;

/** The daily job: every series' horizon moves a day forward (idempotent: keys already made are skipped). */
export async function seriesExtendJob(ctx: AppContext, job: ClaimedJob, freeSlug: Parameters<typeof extendSeries>[4]) {
  const now = ctx.clock.now();
  let made = 0;
  for (const id of await repo.listSeriesIds(ctx.db, ctx.territory.id)) {
    made += await ctx.db.transaction().execute((trx) => extendSeries(trx, ctx, ctx.territory.id, id, freeSlug));
  }
  await ctx.db.transaction().execute(async (trx) => {
    await enqueueExtend(trx, now, new Date(now.getTime() + DAY));
    await completeWithin(trx, job, now);
  });
  if (made) ctx.pageCache.clear();
  return made;
}

const enqueueExtend = (db: Executor, now: Date, at: Date) =>
  enqueueJob(db, now, SERIES_EXTEND_JOB, {}, { runAt: at, dedupeKey: `${SERIES_EXTEND_JOB}:${at.toISOString().slice(0, 10)}`, maxAttempts: 3 });

/** At start-up: the daily extension is queued (idempotent); each run queues the next one. */
export const scheduleSeriesExtend = (ctx: AppContext) => enqueueExtend(ctx.db, ctx.clock.now(), ctx.clock.now());

/** The values "from a day onward" give one occurrence: the form's fields, on the occurrence's own day. */
export function inputForOccurrence(input: SeriesEditInput['event'], occurrence: { starts_at: Date }): EventInput {
  const day = parisParts(occurrence.starts_at).day;
  const { startsAt, endsAt } = timesOn(day, { starts_at: input.startsAt, ends_at: input.endsAt, all_day: input.allDay });
  const shift = (d: Date | undefined) => (d ? new Date(d.getTime() + startsAt.getTime() - input.startsAt.getTime()) : undefined);
  return { ...input, startsAt, endsAt, opensAt: shift(input.opensAt), closesAt: shift(input.closesAt), series: undefined };
}

export const recordSeriesAudit = (db: Executor, ctx: AppContext, actor: Actor, action: string, id: number, data: Record<string, unknown>) =>
  recordAudit(db, ctx, actor, { action, subjectType: 'event_series', subjectId: String(id), data });

/**
 * Presence and occupancy, for the space manager: the day's list (who is expected, who arrived, who did not come)
 * and the month's figures per resource, type and audience. Opening hours come from the one availability function
 * (the resource's hours, computed public holidays, closures of the resource and its room), so the figures and the
 * grid can never disagree on when a resource is open. Every figure is the third place's own bookings, as of now.
 */
import type { Actor, AppContext } from '../../../context.js';
import type { BookingPresence, BookingResourceKind } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { toCsv } from '../../../shared/csv.js';
import { isUuid } from '../../../shared/input.js';
import { addDays, MINUTE, parisDay, parisTime } from '../../../shared/time.js';
import { tFor, type Locale } from '../../../web/i18n/index.js';
import { recordAudit } from '../../audit/index.js';
import { assertBookingStaff } from '../bookings.policy.js';
import { availability, rulesOf } from '../reservations/index.js';
import { listActiveResources, listClosures, type Resource } from '../resources/index.js';
import * as repo from './presence.repo.js';

export type PresenceChoice = BookingPresence | 'expected';
export type DayBooking = repo.DayBooking;
const AUDIENCES = ['member', 'visitor', 'staff'] as const;

// ---------------------------------------------------------------------------------------------- the day's list

/** The day's bookings at every third place, each expected, arrived or absent. */
export async function getDayList(ctx: AppContext, actor: Actor, day: string | undefined) {
  assertBookingStaff(actor);
  const today = parisDay(ctx.clock.now());
  const d = day ?? today;
  const rows = await repo.listBookingsStarting(ctx.db, ctx.territory.id, parisTime(d, 0), parisTime(addDays(d, 1), 0));
  return { day: d, today, prev: addDays(d, -1), next: addDays(d, 1), rows, markable: d <= today };
}

/** Ticks an arrival, a no-show, or back to expected: any confirmed booking that starts today or before. */
export async function markPresence(ctx: AppContext, actor: Actor, bookingId: string, choice: PresenceChoice | null) {
  assertBookingStaff(actor);
  if (!isUuid(bookingId)) throw new AppError('not_found', 'bookings.errors.bookingNotFound');
  if (!choice) throw new AppError('invalid', 'bookings.presence.errors.choice', { _form: 'bookings.presence.errors.choice' });
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const b = await repo.findBookingForPresence(trx, ctx.territory.id, bookingId.toLowerCase());
    if (!b || b.kind !== 'booking' || b.status !== 'confirmed') throw new AppError('not_found', 'bookings.errors.bookingNotFound');
    const day = parisDay(new Date(b.starts_at));
    if (day > parisDay(now)) throw new AppError('conflict', 'bookings.presence.errors.notYet', { _form: 'bookings.presence.errors.notYet' });
    const presence = choice === 'expected' ? null : choice;
    await repo.setPresence(trx, b.id, presence, now, actor.userId);
    await recordAudit(trx, ctx, actor, { action: 'booking.presence', subjectType: 'booking', subjectId: b.id, data: { presence: choice } });
    return { id: b.id, day };
  });
}

// ---------------------------------------------------------------------------------------------- the month's figures

export interface Occupancy {
  key: string;
  /** Open hours times capacity (seats × hours for an open space). */
  openHours: number;
  bookedHours: number;
  /** bookedHours / openHours, 0 to 1; null when the resource was never open. */
  rate: number | null;
  bookings: number;
  /** Bookings already over that were marked as no-shows, and their share of the bookings over. */
  noShows: number;
  past: number;
  noShowRate: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const hoursOf = (ms: number) => Math.round((ms / 3_600_000) * 10) / 10;

/** Minutes a resource is open over [fromDay, toDay]: its slots that are neither closed nor a public holiday. */
export function openMinutes(r: Resource, fromDay: string, toDay: string, closures: { start: Date; end: Date; reason: string }[]) {
  // Nothing is past or beyond the horizon here: only the calendar counts.
  const rules = { ...rulesOf(r), noticeMinutes: 0, memberHorizonDays: 100_000 };
  const days = availability(rules, fromDay, toDay, { busy: [], closures, now: new Date(0), audience: 'member' });
  let minutes = 0;
  for (const d of days) for (const s of d.slots) if (s.state !== 'closed' && s.state !== 'holiday') minutes += (s.end.getTime() - s.start.getTime()) / MINUTE;
  return minutes;
}

/** Pure: the figures of a set of resources from their open minutes and bookings clipped to [from, to). */
export function occupancyOf(key: string, parts: { openMinutes: number; capacity: number }[], bookings: repo.MonthBooking[], from: Date, to: Date, now: Date): Occupancy {
  const open = parts.reduce((n, p) => n + p.openMinutes * p.capacity, 0) * MINUTE;
  let booked = 0;
  let past = 0;
  let noShows = 0;
  for (const b of bookings) {
    const start = Math.max(new Date(b.starts_at).getTime(), from.getTime());
    const end = Math.min(new Date(b.ends_at).getTime(), to.getTime());
    if (end > start) booked += end - start;
    if (new Date(b.ends_at) <= now) {
      past++;
      if (b.presence === 'no_show') noShows++;
    }
  }
  const rate = ratio(booked, open);
  return { key, openHours: hoursOf(open), bookedHours: hoursOf(booked), rate: rate === null ? null : Math.min(1, rate), bookings: bookings.length, noShows, past, noShowRate: ratio(noShows, past) };
}

const monthBounds = (month: string) => {
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { first, last: addDays(next, -1), from: parisTime(first, 0), to: parisTime(next, 0), next: next.slice(0, 7), prev: (m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`) };
};

/** The month's occupancy per resource, per type and per audience, with the no-show rate; the source and its date. */
export async function getOccupancy(ctx: AppContext, actor: Actor, month: string | undefined) {
  assertBookingStaff(actor);
  const now = ctx.clock.now();
  const m = month ?? parisDay(now).slice(0, 7);
  const b = monthBounds(m);
  const resources = await listActiveResources(ctx);
  const bookings = await repo.listBookingsOverlapping(ctx.db, ctx.territory.id, b.from, b.to);
  const parts = new Map<number, { openMinutes: number; capacity: number }>();
  for (const r of resources) {
    const closures = await listClosures(ctx.db, [r.id, ...(r.parent_id !== null ? [r.parent_id] : [])], b.from, b.to);
    parts.set(r.id, { openMinutes: openMinutes(r, b.first, b.last, closures.map((c) => ({ start: c.starts_at, end: c.ends_at, reason: c.reason }))), capacity: r.capacity });
  }
  const of = (r: Resource) => bookings.filter((x) => x.resource_id === r.id);
  const perResource = resources.map((r) => ({ resource: r, figures: occupancyOf(String(r.id), [parts.get(r.id)!], of(r), b.from, b.to, now) }));
  const kinds = [...new Set(resources.map((r) => r.kind))] as BookingResourceKind[];
  const perKind = kinds.map((k) => {
    const rs = resources.filter((r) => r.kind === k);
    return occupancyOf(k, rs.map((r) => parts.get(r.id)!), rs.flatMap(of), b.from, b.to, now);
  });
  // Per audience: the share of the open hours of every resource that each audience booked.
  const all = resources.map((r) => parts.get(r.id)!);
  const known = new Set(resources.map((r) => r.id));
  const perAudience = AUDIENCES.map((a) => occupancyOf(a, all, bookings.filter((x) => x.audience === a && known.has(x.resource_id)), b.from, b.to, now));
  const total = occupancyOf('total', all, bookings.filter((x) => known.has(x.resource_id)), b.from, b.to, now);
  return { month: m, prev: b.prev, next: b.next, asOf: now, perResource, perKind, perAudience, total };
}
export type OccupancyData = Awaited<ReturnType<typeof getOccupancy>>;

/** The same figures as a CSV file for a spreadsheet (French Excel), one line per resource, type and audience. */
export async function exportOccupancyCsv(ctx: AppContext, actor: Actor, month: string | undefined, locale: Locale) {
  const t = tFor(locale);
  const data = await getOccupancy(ctx, actor, month);
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  const line = (group: string, name: string, extra: string, f: Occupancy) => [group, name, extra, f.openHours, f.bookedHours, pct(f.rate), f.bookings, f.noShows, pct(f.noShowRate)];
  const rows = [
    [t('bookings.presence.csv.group'), t('bookings.presence.csv.name'), t('bookings.presence.csv.place'), t('bookings.presence.openHours'), t('bookings.presence.bookedHours'), t('bookings.presence.csv.rate'), t('bookings.presence.bookings'), t('bookings.presence.noShows'), t('bookings.presence.csv.noShowRate')],
    ...data.perResource.map((r) => line(t('bookings.presence.csv.resource'), r.resource.name, r.resource.place_name, r.figures)),
    ...data.perKind.map((f) => line(t('bookings.presence.csv.kind'), t(`bookings.kind.${f.key}`), '', f)),
    ...data.perAudience.map((f) => line(t('bookings.presence.csv.audience'), t(`bookings.presence.audience.${f.key}`), '', f)),
    line(t('bookings.presence.csv.total'), t('bookings.presence.csv.total'), '', data.total),
    [t('bookings.presence.source', { date: parisDay(data.asOf) })],
  ];
  return { name: `occupation-${data.month}.csv`, body: toCsv(rows) };
}

/**
 * Bookings as iCalendar (RFC 5545), written with the events domain's writer (Paris wall-clock times with the
 * Europe/Paris VTIMEZONE): a booking attached to its confirmation, a person's bookings in their secret feed, and a
 * resource's busy and closed periods for anyone (no names, no notes: only when it is taken, or closed and why).
 */
import type { AppContext } from '../../../context.js';
import { buildCalendar, type IcsEvent } from '../../events/index.js';

const host = (ctx: AppContext) => new URL(ctx.config.baseUrl).hostname || 'localhost';

export interface IcsBooking {
  id: string;
  resourceName: string;
  placeName: string;
  start: Date;
  end: Date;
  cancelled: boolean;
  updatedAt: Date;
}

/** One booking as the person sees it in their calendar. */
export const bookingIcsEvent = (ctx: AppContext, b: IcsBooking, title: string): IcsEvent => ({
  uid: `booking-${b.id}@${host(ctx)}`,
  title,
  description: '',
  location: `${b.resourceName}, ${b.placeName}`,
  url: `${ctx.config.baseUrl}/compte/reservations`,
  startsAt: b.start,
  endsAt: b.end,
  allDay: false,
  cancelled: b.cancelled,
  updatedAt: b.updatedAt,
  sequence: b.cancelled ? 1 : 0,
});

export const bookingsCalendar = (ctx: AppContext, name: string, events: IcsEvent[]) =>
  buildCalendar({ name, prodId: `-//${ctx.territory.programmeName}//Reservations//FR`, events });

/** A period of a resource's feed: taken ("Occupé"), or closed with its reason. */
export interface FeedPeriod {
  start: Date;
  end: Date;
  title: string;
  closed: boolean;
}

/** A resource's busy and closed periods: a UID from the resource, the kind and the start (no booking id). */
export function busyCalendar(ctx: AppContext, r: { id: number; slug: string; name: string; place_name: string }, periods: readonly FeedPeriod[], name: string, stamp: Date) {
  return bookingsCalendar(
    ctx,
    name,
    periods.map((p) => ({
      uid: `${p.closed ? 'closed' : 'busy'}-${r.id}-${p.start.getTime()}@${host(ctx)}`,
      title: p.title,
      description: '',
      location: `${r.name}, ${r.place_name}`,
      url: `${ctx.config.baseUrl}/reservations/${r.slug}`,
      startsAt: p.start,
      endsAt: p.end,
      allDay: false,
      cancelled: false,
      updatedAt: stamp,
      sequence: 0,
    })),
  );
}

/**
 * Reading an external feed with ical.js: its VEVENTs, recurring ones expanded over a bounded horizon (their
 * RECURRENCE-ID exceptions applied), local times resolved through the feed's own VTIMEZONEs. Pure: text in, a list
 * of occurrences out; a feed ical.js cannot read throws `FeedError`.
 */
import ICAL from 'ical.js';

export class FeedError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

export interface FeedEvent {
  /** The feed's UID, with `#<start in UTC>` for an occurrence of a recurring event. */
  uid: string;
  title: string;
  description: string;
  location: string | null;
  url: string | null;
  startsAt: Date;
  endsAt: Date;
  /** An all-day event: its first day and the day after its last (YYYY-MM-DD, as written in the feed). */
  days: { first: string; after: string } | null;
}

export const HORIZON_DAYS = 180;
export const MAX_OCCURRENCES = 200;
export const MAX_EVENTS = 500;

const text = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v)).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();

function occurrence(uid: string, e: ICAL.Event, start: ICAL.Time, end: ICAL.Time | null): FeedEvent | null {
  const title = text(e.summary).slice(0, 160);
  if (!title) return null;
  const allDay = start.isDate;
  const startsAt = start.toJSDate();
  let endsAt = end ? end.toJSDate() : new Date(startsAt.getTime() + (allDay ? 24 : 1) * 3600_000);
  if (endsAt <= startsAt) endsAt = new Date(startsAt.getTime() + (allDay ? 24 : 1) * 3600_000);
  let days: FeedEvent['days'] = null;
  if (allDay) {
    const after = end && end.compare(start) > 0 ? end : start.clone();
    if (!end || end.compare(start) <= 0) after.adjust(1, 0, 0, 0);
    days = { first: start.toString().slice(0, 10), after: after.toString().slice(0, 10) };
  }
  const url = text(e.component.getFirstPropertyValue('url'));
  return {
    uid: uid.slice(0, 600),
    title,
    description: text(e.description).slice(0, 15000),
    location: text(e.location).slice(0, 300) || null,
    url: /^https?:\/\/\S+$/i.test(url) && url.length <= 500 ? url : null,
    startsAt,
    endsAt,
    days,
  };
}

/** Occurrences ending after `now`, and starting before `now` + the horizon. */
export function readFeed(body: string, now: Date): FeedEvent[] {
  let cal: ICAL.Component;
  try {
    cal = new ICAL.Component(ICAL.parse(body));
  } catch {
    throw new FeedError('events.imports.error.parse');
  }
  if (cal.name !== 'vcalendar') throw new FeedError('events.imports.error.parse');
  for (const tz of cal.getAllSubcomponents('vtimezone')) {
    try {
      const zone = new ICAL.Timezone(tz);
      if (zone.tzid && !ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone);
    } catch {
      // A broken zone: its times are read as floating.
    }
  }
  const horizon = new Date(now.getTime() + HORIZON_DAYS * 24 * 3600_000);
  const masters = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Component[] = [];
  for (const v of cal.getAllSubcomponents('vevent')) {
    const uid = text(v.getFirstPropertyValue('uid'));
    if (!uid) continue;
    if (v.hasProperty('recurrence-id')) exceptions.push(v);
    else if (!masters.has(uid)) masters.set(uid, new ICAL.Event(v));
  }
  for (const v of exceptions) masters.get(text(v.getFirstPropertyValue('uid')))?.relateException(v);

  const out: FeedEvent[] = [];
  const keep = (ev: FeedEvent | null) => {
    if (ev && ev.endsAt > now && ev.startsAt < horizon && out.length < MAX_EVENTS) out.push(ev);
  };
  for (const [uid, e] of masters) {
    try {
      if (!e.startDate) continue;
      if (!e.isRecurring()) {
        keep(occurrence(uid, e, e.startDate, e.endDate));
        continue;
      }
      const it = e.iterator();
      for (let n = 0, next = it.next(); next && n < MAX_OCCURRENCES; n++, next = it.next()) {
        if (next.toJSDate() >= horizon) break;
        const d = e.getOccurrenceDetails(next);
        keep(occurrence(`${uid}#${d.recurrenceId.toJSDate().toISOString()}`, d.item, d.startDate, d.endDate));
      }
    } catch {
      // One unreadable event does not stop the others.
    }
  }
  return out;
}

/**
 * iCalendar (RFC 5545) for the agenda's feeds and the confirmation's attachment. Times are written as Paris
 * wall-clock readings with `TZID=Europe/Paris` and the calendar carries that zone's `VTIMEZONE` (its rules since
 * 1996: summer time from the last Sunday of March 02:00 to the last Sunday of October 03:00), so a calendar shows
 * the same hour on both sides of a change; all-day events are `VALUE=DATE` with an exclusive end. Lines end with
 * CRLF and are folded at 75 octets without cutting a UTF-8 character; text values are escaped.
 */
import { parisParts } from '../../shared/time.js';

export interface IcsEvent {
  uid: string;
  title: string;
  description: string;
  location: string | null;
  url: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  cancelled: boolean;
  /** Last change (DTSTAMP) and a number that grows with each change (SEQUENCE). */
  updatedAt: Date;
  sequence: number;
}

const encoder = new TextEncoder();

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');

/** Folds one content line at 75 octets: continuation lines start with one space, characters are never split. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    // The first line holds 75 octets; the next ones 74 after their leading space.
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const compactUtc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const parisStamp = (d: Date) => {
  const { day, time } = parisParts(d);
  return `${day.replace(/-/g, '')}T${time.replace(':', '')}00`;
};
const parisDate = (d: Date) => parisParts(d).day.replace(/-/g, '');

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'X-LIC-LOCATION:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function eventLines(e: IcsEvent): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${compactUtc(e.updatedAt)}`];
  if (e.allDay) {
    lines.push(`DTSTART;VALUE=DATE:${parisDate(e.startsAt)}`, `DTEND;VALUE=DATE:${parisDate(e.endsAt)}`);
  } else {
    lines.push(`DTSTART;TZID=Europe/Paris:${parisStamp(e.startsAt)}`, `DTEND;TZID=Europe/Paris:${parisStamp(e.endsAt)}`);
  }
  lines.push(`SUMMARY:${escapeText(e.title)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  lines.push(`URL:${e.url}`, `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`, `SEQUENCE:${e.sequence}`, 'END:VEVENT');
  return lines;
}

/** A whole calendar: its name, the Paris zone, and the events. */
export function buildCalendar(opts: { name: string; prodId: string; events: IcsEvent[] }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${opts.prodId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(opts.name)}`,
    'X-WR-TIMEZONE:Europe/Paris',
    ...VTIMEZONE,
    ...opts.events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

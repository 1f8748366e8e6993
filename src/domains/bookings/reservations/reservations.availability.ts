/**
 * The one availability function. From a resource's rules (opening hours, slot step, durations, horizons, notice),
 * the computed public holidays, its closures and what is already booked, it lays out each day's slots with their
 * state. The week grid draws it, the API returns it, and a booking request is checked against it
 * (`checkRequest`), so the three can never disagree. Pure: the service fetches the facts, the clock comes in `now`.
 *
 * Times are wall-clock in Europe/Paris: a slot starting at 9:00 starts at 9:00 in Auch in winter and in summer. A
 * wall time that does not exist (the spring-forward hour) has no slot; durations are real elapsed time.
 */
import type { OpeningHours } from '../../../db/schema.js';
import { addDays, isoWeekday, MINUTE, parisClock, parisDay, parisTime } from '../../../shared/time.js';
import { holidayOn, type HolidayKey } from '../resources/index.js';

export interface ResourceRules {
  capacity: number;
  openingHours: OpeningHours;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  memberHorizonDays: number;
  visitorHorizonDays: number;
  noticeMinutes: number;
}

/** Something taking room in a period: a booking takes one unit, a block or the surrounding room takes them all. */
export interface Busy {
  start: Date;
  end: Date;
  units: number;
}

export interface Closure {
  start: Date;
  end: Date;
  reason: string;
}

export type Audience = 'member' | 'visitor';

export interface Facts {
  busy: readonly Busy[];
  closures: readonly Closure[];
  now: Date;
  audience: Audience;
}

export type SlotState = 'free' | 'full' | 'closed' | 'holiday' | 'past' | 'notice' | 'beyond';

export interface Slot {
  start: Date;
  end: Date;
  /** Wall-clock start in Paris, "HH:MM". */
  label: string;
  state: SlotState;
  /** Units still free (0 unless `free`). */
  remaining: number;
  closure?: string;
}

export interface DayAvailability {
  day: string;
  holiday?: HolidayKey;
  slots: Slot[];
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Midnight of each day, and whether the day lasts exactly 24 hours (no clock change): most days do. */
const dayStarts = new Map<string, { start: number; plain: boolean }>();
function dayStart(day: string) {
  let d = dayStarts.get(day);
  if (!d) {
    const start = parisTime(day, 0).getTime();
    d = { start, plain: parisTime(addDays(day, 1), 0).getTime() - start === 24 * 60 * MINUTE };
    if (dayStarts.size > 5000) dayStarts.clear();
    dayStarts.set(day, d);
  }
  return d;
}

/** The instant of a wall time on a day, or null when that wall time does not exist (spring forward). */
export function wallInstant(day: string, minutes: number): Date | null {
  // A day without a clock change: the wall time is midnight plus the minutes (the common case, without Intl).
  const d = dayStart(day);
  if (d.plain) return new Date(d.start + minutes * MINUTE);
  const at = parisTime(day, Math.floor(minutes / 60), minutes % 60);
  if (minutes === 24 * 60) return at;
  const seen = parisClock(at);
  return seen.day === day && seen.minutes === minutes ? at : null;
}

/** The first instant past the horizon: the end of the last day this audience may book. */
export function horizonEnd(rules: ResourceRules, now: Date, audience: Audience) {
  const days = audience === 'member' ? rules.memberHorizonDays : rules.visitorHorizonDays;
  return parisTime(addDays(parisDay(now), days + 1), 0);
}

/**
 * What takes room, as sorted numbers, so that each slot looks only at the few periods that may overlap it (those
 * starting after the slot's start minus the longest period, and before its end) instead of at every booking of the
 * range: a month of a busy resource has hundreds of slots and of bookings, and comparing Date objects is slow.
 */
function busyIndex(busy: readonly Busy[]) {
  const sorted = busy.map((b) => ({ start: b.start.getTime(), end: b.end.getTime(), units: b.units })).sort((a, b) => a.start - b.start);
  const longest = sorted.reduce((m, b) => Math.max(m, b.end - b.start), 0);
  /** First index whose start is ≥ t. */
  const firstFrom = (t: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid].start < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (start: number, end: number) => {
    let used = 0;
    for (let i = firstFrom(start - longest); i < sorted.length && sorted[i].start < end; i++) if (sorted[i].end > start) used += sorted[i].units;
    return used;
  };
}

/** Each day's slots from `fromDay` to `toDay` included (YYYY-MM-DD, Paris), with their state. */
export function availability(rules: ResourceRules, fromDay: string, toDay: string, facts: Facts): DayAvailability[] {
  const out: DayAvailability[] = [];
  const horizon = horizonEnd(rules, facts.now, facts.audience).getTime();
  const now = facts.now.getTime();
  const noticeEnd = now + rules.noticeMinutes * MINUTE;
  const usedIn = busyIndex(facts.busy);
  const closures = facts.closures.map((c) => ({ start: c.start.getTime(), end: c.end.getTime(), reason: c.reason }));
  for (let day = fromDay; day <= toDay; day = addDays(day, 1)) {
    const holiday = holidayOn(day);
    const ranges = rules.openingHours[String(isoWeekday(day)) as keyof OpeningHours] ?? [];
    const slots: Slot[] = [];
    for (const range of ranges) {
      const to = minutesOf(range.to);
      for (let m = minutesOf(range.from); m + rules.slotMinutes <= to; m += rules.slotMinutes) {
        const start = wallInstant(day, m);
        if (!start) continue;
        // The slot ends where the next wall time exists (after the spring-forward hour, that is an hour later on the wall).
        let end: Date | null = null;
        for (let e = m + rules.slotMinutes; !end && e <= 24 * 60; e += rules.slotMinutes) end = wallInstant(day, e);
        if (!end || end <= start) continue;
        const s = start.getTime();
        const e = end.getTime();
        const slot: Slot = { start, end, label: hhmm(m), state: 'free', remaining: 0 };
        const closure = closures.find((c) => c.start < e && s < c.end);
        if (holiday) slot.state = 'holiday';
        else if (closure) {
          slot.state = 'closed';
          slot.closure = closure.reason;
        } else if (s < now) slot.state = 'past';
        else if (s < noticeEnd) slot.state = 'notice';
        else if (s >= horizon) slot.state = 'beyond';
        else {
          slot.remaining = Math.max(0, rules.capacity - usedIn(s, e));
          slot.state = slot.remaining > 0 ? 'free' : 'full';
        }
        slots.push(slot);
      }
    }
    out.push({ day, ...(holiday ? { holiday } : {}), slots });
  }
  return out;
}

export type Refusal = { code: 'invalid' | 'conflict'; key: string; params?: Record<string, string | number> };

/** The wall-clock day a request belongs to (the day of its start in Paris). */
export const dayOf = (start: Date) => parisClock(start).day;

/**
 * Whether [start, end) may be booked now by this audience, judged on the same slots the grid shows. Returns the
 * first reason it may not, in the order a person can act on: time, calendar, duration, hours, then room left.
 */
export function checkRequest(rules: ResourceRules, start: Date, end: Date, facts: Facts): Refusal | null {
  if (!(end > start)) return { code: 'invalid', key: 'bookings.errors.endBeforeStart' };
  if (start < facts.now) return { code: 'invalid', key: 'bookings.errors.past' };
  if (start.getTime() < facts.now.getTime() + rules.noticeMinutes * MINUTE) {
    return { code: 'invalid', key: 'bookings.errors.notice', params: { hours: Math.ceil(rules.noticeMinutes / 60) } };
  }
  const day = dayOf(start);
  const endClock = parisClock(end);
  if (endClock.day !== day && !(endClock.day === addDays(day, 1) && endClock.minutes === 0)) return { code: 'invalid', key: 'bookings.errors.sameDay' };
  if (start >= horizonEnd(rules, facts.now, facts.audience)) {
    return { code: 'invalid', key: 'bookings.errors.beyondHorizon', params: { days: facts.audience === 'member' ? rules.memberHorizonDays : rules.visitorHorizonDays } };
  }
  const holiday = holidayOn(day);
  if (holiday) return { code: 'invalid', key: 'bookings.errors.holiday' };
  const minutes = Math.round((end.getTime() - start.getTime()) / MINUTE);
  if (minutes < rules.minMinutes) return { code: 'invalid', key: 'bookings.errors.tooShort', params: { minutes: rules.minMinutes } };
  if (minutes > rules.maxMinutes) return { code: 'invalid', key: 'bookings.errors.tooLong', params: { minutes: rules.maxMinutes } };
  const [{ slots }] = availability(rules, day, day, facts);
  const first = slots.findIndex((s) => s.start.getTime() === start.getTime());
  const chain: Slot[] = [];
  if (first >= 0) {
    for (let i = first; i < slots.length && slots[i].start < end; i++) {
      if (i > first && slots[i].start.getTime() !== slots[i - 1].end.getTime()) break;
      chain.push(slots[i]);
    }
  }
  if (!chain.length || chain[chain.length - 1].end.getTime() !== end.getTime()) {
    const inHours = slots.some((s) => s.start <= start && start < s.end) && slots.some((s) => s.start < end && end <= s.end);
    return inHours ? { code: 'invalid', key: 'bookings.errors.step', params: { minutes: rules.slotMinutes } } : { code: 'invalid', key: 'bookings.errors.outsideHours' };
  }
  const closed = chain.find((s) => s.state === 'closed');
  if (closed) return { code: 'invalid', key: 'bookings.errors.closed', params: { reason: closed.closure ?? '' } };
  if (chain.some((s) => s.state === 'beyond')) {
    return { code: 'invalid', key: 'bookings.errors.beyondHorizon', params: { days: facts.audience === 'member' ? rules.memberHorizonDays : rules.visitorHorizonDays } };
  }
  if (chain.some((s) => s.state !== 'free')) return { code: 'conflict', key: 'bookings.errors.taken' };
  return null;
}

/**
 * The free periods of the same length nearest to the one asked for, over the days given (a refused request offers
 * them). Candidates start on a slot and run over consecutive free slots.
 */
export function nearestFree(days: readonly DayAvailability[], wanted: { start: Date; end: Date }, limit = 3) {
  const length = wanted.end.getTime() - wanted.start.getTime();
  const found: { start: Date; end: Date }[] = [];
  for (const { slots } of days) {
    for (let i = 0; i < slots.length; i++) {
      if (slots[i].state !== 'free') continue;
      for (let j = i; j < slots.length && slots[j].state === 'free'; j++) {
        if (j > i && slots[j].start.getTime() !== slots[j - 1].end.getTime()) break;
        const span = slots[j].end.getTime() - slots[i].start.getTime();
        if (span === length) found.push({ start: slots[i].start, end: slots[j].end });
        if (span >= length) break;
      }
    }
  }
  const target = wanted.start.getTime();
  return found.sort((a, b) => Math.abs(a.start.getTime() - target) - Math.abs(b.start.getTime() - target) || a.start.getTime() - b.start.getTime()).slice(0, limit);
}

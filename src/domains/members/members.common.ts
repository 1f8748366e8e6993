/**
 * What the members' rooms share: calendar arithmetic on Paris days, how a membership's status follows from the
 * staff's decision and the periods paid, the member and receipt numbers as printed, and the mails' one shape.
 * Pure functions, except `mail`, which queues in the caller's transaction.
 */
import type { AppContext, Executor } from '../../context.js';
import type { MemberState, PaymentMethod, PlanPeriod } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { isUuid } from '../../shared/input.js';
import { parisDay } from '../../shared/time.js';
import type { Locale } from '../../web/i18n/index.js';
import { queueTemplatedMail } from '../mail/index.js';

export const MEMBER_STATUSES = ['en_attente', 'actif', 'expire_bientot', 'expire', 'radie', 'refuse'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const PAYMENT_METHODS = ['cheque', 'transfer', 'cash', 'card', 'online'] as const satisfies readonly PaymentMethod[];

/** Reminder offsets in days before expiry (negative: after). Defaults: a month and a week before, a week after. */
export const DEFAULT_REMINDER_OFFSETS = [30, 7, -7] as const;

export const today = (ctx: AppContext) => parisDay(ctx.clock.now());

const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

import { addDays } from '../../shared/time.js';

export { addDays };

/** The same day `months` later; a day the month lacks becomes its last day (31 January + 1 month = 28 February). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return ymd(year, month, Math.min(d, last));
}

/**
 * The days a payment covers. It starts on the payment day, or the day after the current period when the member
 * renews before expiry (nothing paid is lost); a calendar-year plan covers that whole year, a twelve-month plan
 * twelve months from that day (the last day included).
 */
export function periodFor(period: PlanPeriod, paidOn: string, lastEndsOn: string | null): { startsOn: string; endsOn: string } {
  const from = lastEndsOn && lastEndsOn >= paidOn ? addDays(lastEndsOn, 1) : paidOn;
  if (period === 'calendar_year') {
    const year = from.slice(0, 4);
    return { startsOn: `${year}-01-01`, endsOn: `${year}-12-31` };
  }
  return { startsOn: from, endsOn: addDays(addMonths(from, 12), -1) };
}

/** The reminder window: "expiring soon" starts at the earliest reminder before expiry. */
export const reminderWindow = (offsets: readonly number[]) => Math.max(0, ...offsets);

/**
 * The status shown: what staff decided first (struck off, declined, still pending), then the latest period paid:
 * none yet is pending (waiting for the first dues), past is expired, within the reminder window is expiring soon.
 */
export function statusOf(state: MemberState, validUntil: string | null, day: string, windowDays: number): MemberStatus {
  if (state === 'struck_off') return 'radie';
  if (state === 'declined') return 'refuse';
  if (state === 'pending' || !validUntil) return 'en_attente';
  if (validUntil < day) return 'expire';
  if (addDays(day, windowDays) >= validUntil) return 'expire_bientot';
  return 'actif';
}

export const memberNumber = (n: number) => `M-${String(n).padStart(6, '0')}`;
export const receiptNumber = (year: number, seq: number) => `${year}-${String(seq).padStart(4, '0')}`;

/** Euros from cents, as typed in a form ("25", "25,50", "25.50 €"); null when it is not an amount. */
export function centsOf(text: string): number | null {
  const m = /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0\u202f€]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + (m[2] ? Number(m[2].padEnd(2, '0')) : 0);
}
export const eurosText = (cents: number) => (cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2).replace('.', ','));

export const notFound = () => new AppError('not_found', 'members.notFound');
export { isUuid };

/** Members' mails: the body from the catalogue in the recipient's language, a link to a page of this site. */
export const mail = (db: Executor, ctx: AppContext, to: string, locale: Locale, kind: string, params: Record<string, string | number>, path: string) =>
  queueTemplatedMail(db, ctx, { to, locale, template: `members.mail.${kind}`, params, path, territoryId: ctx.territory.id });

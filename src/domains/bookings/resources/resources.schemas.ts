/**
 * The resource form of the back office and its closure form. French field names stay in the form; the service gets
 * typed English input. Hours are typed as one line per weekday, like a third place's ("9h-12h30, 14h-18h").
 */
import { z } from 'zod';
import type { BookingAudienceRule, BookingResourceKind, OpeningHours } from '../../../db/schema.js';
import { blankToUndefined, fieldReader, isIsoDate, slugify } from '../../../shared/input.js';
import { parseWeekHours, WEEKDAYS, type Weekday } from '../../places/index.js';

export const RESOURCE_KINDS = ['desk', 'meeting_room', 'studio', 'machine'] as const satisfies readonly BookingResourceKind[];
export const AUDIENCE_RULES = ['visitors', 'members', 'staff'] as const satisfies readonly BookingAudienceRule[];
export const SLOT_STEPS = [15, 30, 60] as const;
export const PRICE_FIELDS = ['memberHour', 'memberHalfDay', 'memberDay', 'hour', 'halfDay', 'day'] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];

export interface ResourceInput {
  name: string;
  slug: string;
  kind: BookingResourceKind;
  placeId: number;
  parentId: number | null;
  capacity: number;
  description: string;
  equipment: string;
  openingHours: OpeningHours;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  memberHorizonDays: number;
  visitorHorizonDays: number;
  noticeMinutes: number;
  cancelHours: number;
  prices: Record<PriceField, number | null>;
  audience: BookingAudienceRule;
  requiresAuthorisation: boolean;
  active: boolean;
}

const text = (max: number) => z.preprocess((v) => (v === undefined ? '' : v), z.string().trim().max(max, 'errors.too_long'));
const requiredText = (max: number) =>
  z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long'));
const whole = (min: number, max: number, key = 'bookings.form.wholeNumber') =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'errors.required' })
      .trim()
      .regex(/^\d{1,6}$/, key)
      .transform(Number)
      .refine((n) => n >= min && n <= max, 'bookings.form.outOfRange'),
  );
/** "12", "12,50", "12.5 €" → cents; empty → no price shown. */
const euros = z.preprocess(
  (v) => (typeof v === 'string' ? blankToUndefined(v.replace(/[\s\u00a0\u202f€]/g, '')) : v),
  z
    .string()
    .regex(/^\d{1,5}([.,]\d{1,2})?$/, 'bookings.form.price')
    .transform((s) => Math.round(Number(s.replace(',', '.')) * 100))
    .optional(),
);
const checked = (v: unknown) => v === '1' || v === 'on' || v === 'true';
/** Accepts a slug typed by staff or makes one from the name. */
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const ResourceForm = z.record(z.string(), z.unknown()).transform((raw, ctx): ResourceInput => {
  const { take, fail, need, anyError } = fieldReader(raw, ctx);
  const name = take('name', requiredText(120));
  const typedSlug = take('slug', z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(80, 'errors.too_long').optional()));
  const slug = typedSlug ?? (name ? slugify(name, 80) : undefined);
  if (typedSlug !== undefined && !SLUG.test(typedSlug)) fail('slug', 'bookings.form.slug');
  const kind = take('kind', z.preprocess(blankToUndefined, z.enum(RESOURCE_KINDS, { error: 'errors.required' })));
  const placeId = take('placeId', whole(1, 2_147_483_647, 'errors.required'));
  const parentId = take('parentId', z.preprocess(blankToUndefined, z.string().regex(/^\d{1,9}$/, 'errors.invalid_field').transform(Number).optional()));
  const capacity = take('capacity', whole(1, 200));
  const description = take('description', text(4000));
  const equipment = take('equipment', text(1000));
  const lines: Partial<Record<Weekday, string>> = {};
  for (const d of WEEKDAYS) {
    const v = raw[`hours_${d}`];
    lines[d] = typeof v === 'string' ? v : '';
  }
  const hours = parseWeekHours(lines);
  if (!hours.ok) for (const [field, key] of Object.entries(hours.errors)) fail(field, key);
  else if (!hours.hours) fail('hours_1', 'bookings.form.hoursRequired');
  const slotMinutes = take('slotMinutes', z.preprocess(blankToUndefined, z.enum(['15', '30', '60'], { error: 'errors.required' }).transform(Number)));
  const minMinutes = take('minMinutes', whole(15, 1440));
  const maxMinutes = take('maxMinutes', whole(15, 1440));
  const memberHorizonDays = take('memberHorizonDays', whole(1, 400));
  const visitorHorizonDays = take('visitorHorizonDays', whole(1, 400));
  const noticeHours = take('noticeHours', whole(0, 336));
  const cancelHours = take('cancelHours', whole(0, 720));
  const prices = {} as Record<PriceField, number | null>;
  for (const p of PRICE_FIELDS) prices[p] = take(`price_${p}`, euros) ?? null;
  const audience = take('audience', z.preprocess(blankToUndefined, z.enum(AUDIENCE_RULES, { error: 'errors.required' })));
  need('name', name);
  need('slug', slug);
  need('kind', kind);
  if (slotMinutes !== undefined) {
    if (minMinutes !== undefined && minMinutes % slotMinutes !== 0) fail('minMinutes', 'bookings.form.multipleOfStep');
    if (maxMinutes !== undefined && maxMinutes % slotMinutes !== 0) fail('maxMinutes', 'bookings.form.multipleOfStep');
  }
  if (minMinutes !== undefined && maxMinutes !== undefined && minMinutes > maxMinutes) fail('maxMinutes', 'bookings.form.minAboveMax');
  if (kind !== undefined && kind !== 'desk' && capacity !== undefined && capacity > 1) fail('capacity', 'bookings.form.capacityDesksOnly');
  if (anyError() || !hours.ok || !hours.hours) return z.NEVER;
  return {
    name: name!,
    slug: slug!,
    kind: kind!,
    placeId: placeId!,
    parentId: parentId ?? null,
    capacity: capacity!,
    description: description ?? '',
    equipment: equipment ?? '',
    openingHours: hours.hours,
    slotMinutes: slotMinutes!,
    minMinutes: minMinutes!,
    maxMinutes: maxMinutes!,
    memberHorizonDays: memberHorizonDays!,
    visitorHorizonDays: visitorHorizonDays!,
    noticeMinutes: noticeHours! * 60,
    cancelHours: cancelHours!,
    prices,
    audience: audience!,
    requiresAuthorisation: checked(raw.requiresAuthorisation),
    active: checked(raw.active),
  };
});

export interface ClosureInput {
  from: string;
  to: string;
  reason: string;
}

/** A maintenance period or any closure: whole days, from and to included. */
export const ClosureForm = z.record(z.string(), z.unknown()).transform((raw, ctx): ClosureInput => {
  const { take, fail, need, anyError } = fieldReader(raw, ctx);
  const date = z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().refine(isIsoDate, 'bookings.form.date'));
  const from = take('from', date);
  const to = take('to', date);
  const reason = take('reason', requiredText(200));
  need('from', from);
  need('to', to);
  if (from && to && to < from) fail('to', 'bookings.form.closureOrder');
  if (anyError()) return z.NEVER;
  return { from: from!, to: to!, reason: reason! };
});

/**
 * The forms of the trainings' back office: a training kind (name, how long an authorisation lasts, after how many
 * months without use it lapses, which machines require it), linking a training event to a kind, and marking who
 * passed a session. French field names stay in the form; the service gets typed English input.
 */
import { z } from 'zod';
import { blankToUndefined, fieldReader, isUuid, slugify } from '../../../shared/input.js';

export interface KindInput {
  name: string;
  slug: string;
  validityMonths: number;
  lapseMonths: number | null;
  machineIds: number[];
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const months = z.preprocess(
  blankToUndefined,
  z
    .string({ error: 'errors.required' })
    .trim()
    .regex(/^\d{1,3}$/, 'bookings.form.wholeNumber')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 120, 'bookings.gate.form.months'),
);
/** Every value of a field sent once or many times (checkboxes), as a list of strings. */
const many = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

export const KindForm = z.record(z.string(), z.unknown()).transform((raw, ctx): KindInput => {
  const { take, fail, need, anyError } = fieldReader(raw, ctx);
  const name = take('nom', z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.too_long')));
  const typedSlug = take('slug', z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(80, 'errors.too_long').optional()));
  const slug = typedSlug ?? (name ? slugify(name, 80) : undefined);
  if (typedSlug !== undefined && !SLUG.test(typedSlug)) fail('slug', 'bookings.form.slug');
  const validityMonths = take('validite', months);
  const lapseMonths = take('inactivite', z.preprocess(blankToUndefined, months.optional()));
  const machines = many(raw.machines);
  if (machines.some((m) => !/^\d{1,9}$/.test(m))) fail('machines', 'errors.invalid_field');
  need('nom', name);
  need('slug', slug);
  need('validite', validityMonths);
  if (anyError()) return z.NEVER;
  return { name: name!, slug: slug!, validityMonths: validityMonths!, lapseMonths: lapseMonths ?? null, machineIds: [...new Set(machines.map(Number))] };
});

export const SessionLinkForm = z.record(z.string(), z.unknown()).transform((raw, ctx): { eventId: number } => {
  const { take, need, anyError } = fieldReader(raw, ctx);
  const eventId = take('evenement', z.preprocess(blankToUndefined, z.string({ error: 'bookings.gate.form.chooseSession' }).regex(/^\d{1,9}$/, 'bookings.gate.form.chooseSession').transform(Number)));
  need('evenement', eventId, 'bookings.gate.form.chooseSession');
  if (anyError()) return z.NEVER;
  return { eventId: eventId! };
});

/** The people ticked as having passed: account ids (anything else is refused as a whole). */
export const PassedForm = z.record(z.string(), z.unknown()).transform((raw, ctx): { userIds: string[] } => {
  const ids = many(raw.reussi);
  if (ids.some((id) => !isUuid(id))) {
    ctx.addIssue({ code: 'custom', path: ['reussi'], message: 'errors.invalid_field' });
    return z.NEVER;
  }
  return { userIds: [...new Set(ids.map((id) => id.toLowerCase()))] };
});

/**
 * What people send about appointments: the adviser's new slot (date, debut, duree, mode, lieu, lien), a booking
 * (projet, and nom and email for a visitor without an account), the outcome with the adviser's note. French field
 * names at the edge, typed English input inside.
 */
import { z } from 'zod';
import { blankToUndefined, isIsoDate, isUuid } from '../../../shared/input.js';

const noNul = (s: string) => !s.includes('\u0000');
const required = (max: number) => z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long').refine(noNul, 'errors.invalid_field'));
const optional = (max: number) => z.preprocess(blankToUndefined, z.string({ error: 'errors.invalid_field' }).trim().max(max, 'errors.too_long').refine(noNul, 'errors.invalid_field').optional());

export const MODES = ['place', 'phone', 'video'] as const;
export const DURATIONS = [30, 60] as const;

export const SlotForm = z
  .object({
    date: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().refine(isIsoDate, 'bookings.form.date')),
    debut: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'errors.required' })
        .trim()
        .regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'bookings.form.time')
        .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5))),
    ),
    duree: z.preprocess(blankToUndefined, z.enum(['30', '60'], { error: 'bookings.appointments.errors.duration' }).transform(Number)),
    mode: z.preprocess(blankToUndefined, z.enum(MODES, { error: 'errors.required' })),
    lieu: z.preprocess(blankToUndefined, z.string().regex(/^\d{1,9}$/, 'errors.invalid_field').transform(Number).optional()),
    lien: z.preprocess(blankToUndefined, z.string().trim().max(500, 'errors.too_long').regex(/^https:\/\/[^\s\u0000]+$/, 'bookings.appointments.errors.videoUrl').optional()),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'place' && v.lieu === undefined) ctx.addIssue({ code: 'custom', path: ['lieu'], message: 'bookings.appointments.errors.placeRequired' });
    if (v.mode === 'video' && !v.lien) ctx.addIssue({ code: 'custom', path: ['lien'], message: 'bookings.appointments.errors.videoUrl' });
  })
  .transform((v) => ({
    day: v.date,
    startMinutes: v.debut,
    minutes: v.duree as 30 | 60,
    mode: v.mode,
    placeId: v.mode === 'place' ? (v.lieu ?? null) : null,
    videoUrl: v.mode === 'video' ? (v.lien ?? null) : null,
  }));
export type SlotInput = z.output<typeof SlotForm>;

export const BookAppointmentForm = z.object({ projet: required(1000) }).transform((v) => ({ project: v.projet }));

export const VisitorAppointmentForm = z
  .object({
    projet: required(1000),
    nom: required(120),
    email: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' }))),
  })
  .transform((v) => ({ project: v.projet, name: v.nom, email: v.email }));

export const OutcomeForm = z
  .object({
    bilan: z.preprocess(blankToUndefined, z.enum(['attended', 'no_show'], { error: 'errors.required' })),
    note: optional(3500),
  })
  .transform((v) => ({ outcome: v.bilan, note: v.note ?? null }));

/** A path's id, or null when it cannot be one (then "not found", never a database error). */
export const idOf = (raw: unknown) => (typeof raw === 'string' && isUuid(raw) ? raw.toLowerCase() : null);

/**
 * What people send to book: the form's French field names (date, debut, fin, nom, email, note) turned into typed
 * input; the grid's query string; the API's JSON. A day and two wall-clock times in Paris make a period.
 */
import { z } from 'zod';
import { blankToUndefined, isIsoDate, isUuid } from '../../../shared/input.js';

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;
const noNul = (s: string) => !s.includes('\u0000');

const day = (key = 'bookings.form.date') => z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().refine(isIsoDate, key));
const time = z.preprocess(
  blankToUndefined,
  z
    .string({ error: 'errors.required' })
    .trim()
    .regex(TIME, 'bookings.form.time')
    .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5)))
    .refine((m) => m <= 24 * 60, 'bookings.form.time'),
);
const text = (max: number) => z.preprocess((v) => (v === undefined ? '' : v), z.string({ error: 'errors.invalid_field' }).trim().max(max, 'errors.too_long').refine(noNul, 'errors.invalid_field'));

export interface SlotRequest {
  day: string;
  /** Minutes since midnight, wall clock in Paris. */
  startMinutes: number;
  endMinutes: number;
  note: string;
}

export const SlotFields = {
  date: day(),
  debut: time,
  fin: time,
  note: text(500),
};

export const BookForm = z.object(SlotFields).transform((v): SlotRequest => ({ day: v.date, startMinutes: v.debut, endMinutes: v.fin, note: v.note }));

/** A visitor without an account also says who they are; the confirmation goes to this address. */
export const VisitorBookForm = z
  .object({
    ...SlotFields,
    nom: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(120, 'errors.too_long').refine(noNul, 'errors.invalid_field')),
    email: z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' }))),
  })
  .transform((v) => ({ day: v.date, startMinutes: v.debut, endMinutes: v.fin, note: v.note, name: v.nom, email: v.email }));

/** The back office books for someone (by e-mail, with a name when they have no account) or blocks the slot. */
export const StaffBookForm = z
  .object({
    ...SlotFields,
    mode: z.enum(['pour', 'blocage'], { error: 'errors.required' }),
    nom: z.preprocess((v) => (v === undefined ? '' : v), z.string().trim().max(120, 'errors.too_long').refine(noNul, 'errors.invalid_field')),
    email: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' })).optional()),
  })
  .superRefine((v, ctx) => {
    if (v.mode === 'pour' && !v.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'errors.required' });
  })
  .transform((v) => ({ day: v.date, startMinutes: v.debut, endMinutes: v.fin, note: v.note, mode: v.mode, name: v.nom, email: v.email }));

/** The grid: a day (today by default) and a day or week view. */
export const GridQuery = z.object({
  date: z.preprocess((v) => (typeof v === 'string' && isIsoDate(v) ? v : undefined), z.string().optional()),
  vue: z.preprocess((v) => (v === 'semaine' ? 'semaine' : 'jour'), z.enum(['jour', 'semaine'])),
});
export type GridQuery = z.infer<typeof GridQuery>;

/** The booking form's query: the slot clicked on the grid. */
export const SlotQuery = z.object({
  date: z.preprocess((v) => (typeof v === 'string' && isIsoDate(v) ? v : undefined), z.string().optional()),
  debut: z.preprocess((v) => (typeof v === 'string' && TIME.test(v) ? v : undefined), z.string().optional()),
});

export const bookingIdOf = (v: unknown) => (typeof v === 'string' && isUuid(v) ? v.toLowerCase() : null);

// ---------------------------------------------------------------------------------------------- API

export const MAX_API_DAYS = 31;

export const AvailabilityQuery = z
  .object({
    from: day('bookings.form.date').meta({ description: 'First day (YYYY-MM-DD, Europe/Paris).' }),
    to: day('bookings.form.date').meta({ description: `Last day, included; at most ${MAX_API_DAYS} days after the first.` }),
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'bookings.form.rangeOrder' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= (MAX_API_DAYS - 1) * 86_400_000, { path: ['to'], message: 'bookings.form.rangeTooLong' });

export const ResourceIdParams = z.object({ id: z.string().meta({ description: 'Resource id.' }) });
export const BookingIdParams = z.object({ id: z.string().meta({ description: 'Booking id (uuid).' }) });

export const CreateBookingBody = z.object({
  resourceId: z.number({ error: 'errors.required' }).int('errors.invalid_field'),
  start: z.iso.datetime({ offset: true, error: 'bookings.form.instant' }),
  end: z.iso.datetime({ offset: true, error: 'bookings.form.instant' }),
  note: z.string().max(500, 'errors.too_long').refine(noNul, 'errors.invalid_field').optional(),
});

// ---------------------------------------------------------------------------------------------- weekly series

/** A weekly series asked by the back office (wall-clock times in Paris; `untilDay` or `count` ends it). */
export interface SeriesRequest {
  weekdays: number[];
  startMinutes: number;
  endMinutes: number;
  fromDay: string;
  untilDay?: string;
  count?: number;
  mode: 'pour' | 'blocage';
  name: string;
  email?: string;
  note: string;
}

const list = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string({ error: 'errors.invalid_field' }).max(20, 'errors.invalid_field')).max(400, 'errors.invalid_field'));
const optionalDay = z.preprocess(blankToUndefined, z.string().trim().refine(isIsoDate, 'bookings.form.date').optional());
const SERIES_MAX_DAYS = 365;

/**
 * The series form: weekdays (`jours`, 1 = Monday), times, first day (`du`), then the last day (`au`) or a number of
 * occurrences (`nombre`); at most a year. On confirmation, `accepter` lists the free days staff accept.
 */
export const StaffSeriesForm = z
  .object({
    jours: list.pipe(z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'], { error: 'errors.invalid_field' })).min(1, 'bookings.series.errors.noWeekday')),
    debut: time,
    fin: time,
    du: day(),
    au: optionalDay,
    nombre: z.preprocess(blankToUndefined, z.coerce.number({ error: 'bookings.series.errors.count' }).int('bookings.series.errors.count').min(1, 'bookings.series.errors.count').max(366, 'bookings.series.errors.tooLong').optional()),
    mode: z.enum(['pour', 'blocage'], { error: 'errors.required' }),
    nom: z.preprocess((v) => (v === undefined ? '' : v), z.string().trim().max(120, 'errors.too_long').refine(noNul, 'errors.invalid_field')),
    email: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(254, 'errors.too_long').pipe(z.email({ error: 'errors.email' })).optional()),
    note: text(500),
    accepter: list,
  })
  .superRefine((v, ctx) => {
    if (v.fin <= v.debut) ctx.addIssue({ code: 'custom', path: ['fin'], message: 'bookings.errors.endBeforeStart' });
    if (v.mode === 'pour' && !v.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'errors.required' });
    if (v.au === undefined && v.nombre === undefined) ctx.addIssue({ code: 'custom', path: ['au'], message: 'bookings.series.errors.untilOrCount' });
    if (v.au !== undefined && v.nombre !== undefined) ctx.addIssue({ code: 'custom', path: ['nombre'], message: 'bookings.series.errors.untilOrCount' });
    if (v.au !== undefined && v.au < v.du) ctx.addIssue({ code: 'custom', path: ['au'], message: 'bookings.series.errors.untilBeforeFrom' });
    if (v.au !== undefined && Date.parse(v.au) - Date.parse(v.du) > SERIES_MAX_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['au'], message: 'bookings.series.errors.tooLong' });
    if (v.accepter.some((d) => !isIsoDate(d))) ctx.addIssue({ code: 'custom', path: ['accepter'], message: 'errors.invalid_field' });
  })
  .transform((v): SeriesRequest & { accepted: string[] } => ({
    weekdays: [...new Set(v.jours.map(Number))].sort(),
    startMinutes: v.debut,
    endMinutes: v.fin,
    fromDay: v.du,
    untilDay: v.au,
    count: v.nombre,
    mode: v.mode,
    name: v.nom,
    email: v.mode === 'pour' ? v.email : undefined,
    note: v.note,
    accepted: v.accepter,
  }));

export const seriesIdOf = (v: unknown) => (typeof v === 'string' && isUuid(v) ? v.toLowerCase() : null);

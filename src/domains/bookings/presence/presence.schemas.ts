/** The presence room's inputs: a day (`?date=`), a month (`?mois=`), a presence mark. French names at the edge. */
import { z } from 'zod';
import { isIsoDate } from '../../../shared/input.js';

const MONTH = /^(19|20)\d\d-(0[1-9]|1[0-2])$/;

/** Anything unreadable falls back to today or this month, like the grid's date. */
export const DayQuery = z.object({ date: z.unknown() }).partial().transform((q) => ({ day: typeof q.date === 'string' && isIsoDate(q.date) ? q.date : undefined }));
export const MonthQuery = z.object({ mois: z.unknown() }).partial().transform((q) => ({ month: typeof q.mois === 'string' && MONTH.test(q.mois) ? q.mois : undefined }));

export const PresenceForm = z.object({
  presence: z.enum(['arrived', 'no_show', 'expected'], { error: 'errors.invalid_field' }),
  date: z.preprocess((v) => (typeof v === 'string' && isIsoDate(v) ? v : undefined), z.string().optional()),
});

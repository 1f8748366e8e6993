/** Discovery stays: one schema per form. Messages are i18n keys shown next to the field. */
import { z } from 'zod';
import { blankToUndefined, frenchDateToIso, frenchTimeToIso, INSEE, isIsoDate } from '../../../shared/input.js';

export const STAY_STATUSES = ['draft', 'open', 'closed'] as const;
export const ITEM_KINDS = ['visit', 'meeting', 'meal', 'workshop', 'other'] as const;
/** What staff decide for an application; "withdrawn" is the household's own choice. */
export const DECISIONS = ['selected', 'waiting', 'declined'] as const;
export const MAX_SEATS = 200;
export const MAX_PEOPLE = 12;

const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.too_long').optional());
const requiredText = (max: number) =>
  z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long'));
const date = z.preprocess((v) => frenchDateToIso(blankToUndefined(v)), z.string({ error: 'errors.required' }).trim().refine(isIsoDate, 'newcomers.date.invalid'));
const whole = (min: number, max: number, message: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d{1,4}\s*$/.test(v) ? Number(v) : blankToUndefined(v)),
    z.number({ error: message }).int(message).min(min, message).max(max, message),
  );

export const StayForm = z
  .object({
    title: requiredText(160),
    summary: optionalText(2000),
    startsOn: date,
    endsOn: date,
    applyBy: date,
    seats: whole(1, MAX_SEATS, 'newcomers.stays.seatsInvalid'),
    status: z.enum(STAY_STATUSES, { error: 'errors.invalid_field' }),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'newcomers.stays.endBeforeStart' });
    if (v.applyBy > v.startsOn) ctx.addIssue({ code: 'custom', path: ['applyBy'], message: 'newcomers.stays.deadlineAfterStart' });
  });
export type StayInput = z.output<typeof StayForm>;

export const ProgrammeItemForm = z.object({
  day: date,
  startsAt: z.preprocess((v) => frenchTimeToIso(blankToUndefined(v)), z.string({ error: 'errors.required' }).trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'newcomers.stays.timeInvalid')),
  kind: z.enum(ITEM_KINDS, { error: 'errors.required' }),
  // Not "title": the stay's own form on the same page has one.
  itemTitle: requiredText(160),
  place: optionalText(160),
  insee: z.preprocess(blankToUndefined, z.string({ error: 'newcomers.stays.communeRequired' }).trim().toUpperCase().regex(INSEE, 'newcomers.stays.communeUnknown')),
});
export type ProgrammeItemInput = z.output<typeof ProgrammeItemForm>;

/** The household's application: how many persons come, and a word for the team if they wish. */
export const StayApplyForm = z.object({
  people: whole(1, MAX_PEOPLE, 'newcomers.stays.peopleInvalid'),
  message: optionalText(1000),
});
export type StayApplyInput = z.output<typeof StayApplyForm>;

/** Staff enrol a case from its page: the stay and the number of persons. */
export const StayEnrolForm = z.object({
  stayId: z.preprocess(blankToUndefined, z.string({ error: 'newcomers.stays.stayRequired' }).regex(/^\d{1,9}$/, 'newcomers.stays.stayRequired').transform(Number)),
  people: whole(1, MAX_PEOPLE, 'newcomers.stays.peopleInvalid'),
});
export type StayEnrolInput = z.output<typeof StayEnrolForm>;

export const StayDecisionForm = z.object({ decision: z.enum(DECISIONS, { error: 'errors.invalid_field' }) });

export const AttendanceForm = z.object({ attended: z.enum(['1', '0'], { error: 'errors.invalid_field' }).transform((v) => v === '1') });

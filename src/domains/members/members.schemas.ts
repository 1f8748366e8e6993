/**
 * Field readers the members' forms share. Every text refuses the NUL character (PostgreSQL cannot store it) with
 * a French message instead of reaching the database; dates must be real calendar days.
 */
import { z } from 'zod';
import { INSEE, blankToUndefined, isIsoDate } from '../../shared/input.js';
import { MEMBER_STATUSES } from './members.common.js';

const noNul = (s: string) => !s.includes('\u0000');

export const requiredText = (max: number) =>
  z.preprocess(
    blankToUndefined,
    z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(max, 'errors.too_long').refine(noNul, 'members.form.badCharacter'),
  );
export const optionalText = (max: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.too_long').refine(noNul, 'members.form.badCharacter').optional());
export const checked = z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean());
export const day = z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().refine(isIsoDate, 'members.form.dateInvalid'));
export const phone = z.preprocess(blankToUndefined, z.string().trim().regex(/^\+?[0-9 ().-]{4,30}$/, 'members.form.phoneInvalid').optional());
export const email = z.preprocess(
  blankToUndefined,
  z.string({ error: 'errors.required' }).trim().toLowerCase().max(254, 'errors.too_long').refine(noNul, 'members.form.badCharacter').pipe(z.email({ error: 'errors.email' })),
);
/** A row id typed in a form or a URL: anything else reads as "unknown". */
export const rowId = (message: string) =>
  z.preprocess(blankToUndefined, z.string({ error: message }).regex(/^[1-9]\d{0,9}$/, message).transform(Number).refine((n) => n <= 2_147_483_647, message));

/** A filter in a query string: a value that does not read reads as "all". */
const filterOf = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional()).catch(undefined);

/**
 * The team's list, its CSV export and its group mail:
 * `?statut=actif&formule=2&commune=32013&epci=243200599&echeance=2026-12&competence=developpement web&page=2`.
 * Unknown values read as "all" (here when they do not read, in the service when no such commune, EPCI or skill).
 */
export const MemberListQuery = z.object({
  statut: filterOf(z.enum(MEMBER_STATUSES)),
  formule: filterOf(z.coerce.number().int().positive().max(2_147_483_647)),
  commune: filterOf(z.string().trim().regex(INSEE)),
  epci: filterOf(z.string().trim().regex(/^[0-9]{9}$/)),
  /** The month the membership ends (`AAAA-MM`). */
  echeance: filterOf(z.string().trim().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/)),
  /** A skill, by its label or its normalised key. */
  competence: filterOf(z.string().trim().max(60).refine(noNul)),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type MemberListQuery = z.infer<typeof MemberListQuery>;

/** The list's filters as a query string's parameters (links, the export, the group mail's hidden fields). */
export const filterParams = (q: MemberListQuery): Record<string, string | undefined> => ({
  statut: q.statut,
  formule: q.formule?.toString(),
  commune: q.commune,
  epci: q.epci,
  echeance: q.echeance,
  competence: q.competence,
});

/** A mail from the team to a filtered group: plain text, essential (dues, statutes) or not. */
export const GroupMailForm = z.object({
  subject: requiredText(150),
  body: requiredText(5000),
  essential: checked,
  intent: z.enum(['preview', 'send']).catch('preview'),
});
export type GroupMailInput = z.infer<typeof GroupMailForm>;

/** The member's choice on /compte/adhesion: the team's non-essential group mails, yes or no. */
export const GroupMailsChoice = z.object({ groupMails: checked });

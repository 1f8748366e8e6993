/**
 * Field readers the members' forms share. Every text refuses the NUL character (PostgreSQL cannot store it) with
 * a French message instead of reaching the database; dates must be real calendar days.
 */
import { z } from 'zod';
import { blankToUndefined, isIsoDate } from '../../shared/input.js';
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

/** The team's list: `?statut=actif&formule=2&page=2`. Unknown values read as "all". */
export const MemberListQuery = z.object({
  statut: z.enum(MEMBER_STATUSES).optional().catch(undefined),
  formule: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type MemberListQuery = z.infer<typeof MemberListQuery>;

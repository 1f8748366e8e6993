/** The funder tags' forms: a case's tags, a new tag, a tag renamed or archived. */
import { z } from 'zod';
import { blankToUndefined } from '../../../shared/input.js';

/** The tags form of a case: the checked boxes (none checked: the field is absent). */
export const CaseTagsForm = z.object({
  tags: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().regex(/^\d{1,10}$/, 'newcomers.tags.unknown')).max(50)),
});

const label = z.preprocess(blankToUndefined, z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(80, 'errors.too_long'));

/** A new funder tag. */
export const FunderTagForm = z.object({ label });

/** Renames a tag, or archives / restores it (the two small forms of the tags page). */
export const FunderTagChangeForm = z
  .object({ label: label.optional(), archived: z.preprocess(blankToUndefined, z.enum(['0', '1']).optional()) })
  .refine((v) => v.label !== undefined || v.archived !== undefined, { path: ['label'], message: 'errors.required' })
  .transform((v) => ({ label: v.label, archived: v.archived === undefined ? undefined : v.archived === '1' }));

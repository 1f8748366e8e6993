/** One schema per use case. Messages are i18n keys, shown next to the field. */
import { z } from 'zod';
import { blankToUndefined } from '../../shared/input.js';

const required = (min: number, max: number, tooShort: string) =>
  z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').min(min, tooShort).max(max, 'errors.too_long');

/** A home page highlight: never a figure without its source and the date of that source. */
export const HighlightInput = z.object({
  figure: required(1, 40, 'errors.required'),
  textFr: required(3, 300, 'site.highlights.errors.textTooShort'),
  textEn: z.preprocess(blankToUndefined, required(3, 300, 'site.highlights.errors.textTooShort').optional()),
  sourceNote: required(3, 500, 'site.highlights.errors.sourceTooShort'),
  sourceUrl: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'site.highlights.errors.badUrl' }).max(500, 'errors.too_long').optional()),
  sourceDate: z.iso.date({ error: 'site.highlights.errors.badDate' }),
  position: z.preprocess(
    (v) => (v === '' || v === undefined ? 0 : v),
    z.coerce.number({ error: 'site.highlights.errors.position' }).int('site.highlights.errors.position').min(0, 'site.highlights.errors.position').max(1000, 'site.highlights.errors.position'),
  ),
});
export type HighlightInput = z.infer<typeof HighlightInput>;

export const HighlightId = z.coerce.number().int().positive();

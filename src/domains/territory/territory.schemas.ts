/** One schema per use case. Messages are i18n keys, shown next to the field. */
import { z } from 'zod';
import { CORRECTABLE_FIGURES, type FigureKey } from './territory.figures.js';
import { blankToUndefined, frenchDateToIso } from '../../shared/input.js';

/** A commune code: five characters, digits (2A/2B for Corsica). */
export const INSEE_PATTERN = /^([0-9]{2}|2A|2B)[0-9]{3}$/;
export const Insee = z.string().regex(INSEE_PATTERN);
export const InseeParams = z.object({ insee: Insee.describe('Code INSEE de la commune, 5 caractères (32013 = Auch)') });

const wholeNumber = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/[\s\u00a0\u202f]/g, '') : v),
    z
      .string({ error: 'errors.required' })
      .min(1, 'errors.required')
      .regex(/^[0-9]+$/, 'territory.correction.notWholeNumber')
      .transform(Number)
      .pipe(z.number().max(max, 'territory.correction.tooBig')),
  );

export const CorrectFigureInput = z.object({
  figure: z.enum(CORRECTABLE_FIGURES as [FigureKey, ...FigureKey[]], { error: 'territory.correction.chooseFigure' }),
  value: wholeNumber(10_000_000),
  note: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').min(3, 'territory.correction.noteTooShort').max(1000, 'errors.too_long'),
});
export type CorrectFigureInput = z.infer<typeof CorrectFigureInput>;

/** A price to compare with (Paris), typed by staff with its own source. */
export const PriceReferenceInput = z
  .object({
    houseMedian: z.preprocess(blankToUndefined, wholeNumber(100_000).optional()),
    flatMedian: z.preprocess(blankToUndefined, wholeNumber(100_000).optional()),
    sourceNote: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').min(3, 'territory.reference.sourceTooShort').max(500, 'errors.too_long'),
    sourceUrl: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'territory.reference.badUrl' }).max(500, 'errors.too_long').optional()),
    sourceDate: z.preprocess(frenchDateToIso, z.iso.date({ error: 'territory.reference.badDate' })),
  })
  .refine((v) => v.houseMedian !== undefined || v.flatMedian !== undefined, { path: ['houseMedian'], message: 'territory.reference.oneValue' })
  .refine((v) => (v.houseMedian ?? 1) > 0 && (v.flatMedian ?? 1) > 0, { path: ['houseMedian'], message: 'territory.reference.positive' });
export type PriceReferenceInput = z.infer<typeof PriceReferenceInput>;

/** A record of an imported list marked as a duplicate of another record of the same list. */
const recordKey = z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').max(100, 'errors.too_long').regex(/^[A-Za-z0-9_.-]+$/, 'territory.duplicates.badKey');
export const MarkDuplicateInput = z
  .object({
    kind: z.enum(['festival', 'cinema'], { error: 'territory.duplicates.chooseKind' }),
    recordKey,
    duplicateOf: recordKey,
    note: z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').min(3, 'territory.correction.noteTooShort').max(1000, 'errors.too_long'),
  })
  .refine((v) => v.recordKey !== v.duplicateOf, { path: ['duplicateOf'], message: 'territory.duplicates.itself' });
export type MarkDuplicateInput = z.infer<typeof MarkDuplicateInput>;

export const AdminSearchQuery = z.object({ q: z.string().trim().max(100).optional().catch(undefined) });
